"""The evidence review site: one highlight per fact, escaped text, checked in headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from analysis_fixtures import DOC_MS, DOC_PL, DOC_REJ, build_synthetic_warehouse

from pipelines.reports.review import Span, article_href, build_review_site, highlight, locate

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = build_synthetic_warehouse(tmp_path_factory.mktemp("review") / "vn_party.duckdb")
    index = build_review_site(path)
    return path, index


def facts_per_doc(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        docs = [r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()]
        counts = dict(con.execute("SELECT doc_id, count(*) FROM facts GROUP BY 1").fetchall())
    finally:
        con.close()
    return {d: counts.get(d, 0) for d in docs}


class MarkParser(HTMLParser):
    """Collect, per data-fact-id, the text inside its mark.fact elements (in document order)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            a = dict(attrs)
            fid = a.get("data-fact-id") if "fact" in (a.get("class") or "").split() else None
            self.stack.append(fid)
            if fid:
                self.text.setdefault(fid, "")

    def handle_endtag(self, tag):
        if tag == "mark":
            self.stack.pop()

    def handle_data(self, data):
        for fid in {f for f in self.stack if f}:
            self.text[fid] += data


# ----------------------------------------------------------------------------- unit level
def test_highlight_nests_and_splits_crossing_spans():
    text = "abcdefghij"
    spans = [Span("fact", "a", 0, 6, "a"), Span("fact", "b", 3, 9, "b"),
             Span("fact", "c", 0, 6, "c"), Span("fact", "d", 4, 5, "d")]
    out = highlight(text, spans)
    p = MarkParser()
    p.feed(out)
    assert p.text == {"a": "abcdef", "b": "defghi", "c": "abcdef", "d": "e"}
    assert re.sub(r"<[^>]+>", "", out) == text
    assert out.count("<mark") == out.count("</mark>")
    # exactly one element per span carries the id attribute
    for ref in "abcd":
        assert out.count(f'id="ev-fact-{ref}"') == 1


def test_locate_relocates_and_flags():
    text = "one two three"
    assert locate(text, 4, 7, "two") == (4, 7, "ok")
    assert locate(text, 5, 8, "two") == (4, 7, "relocated")
    assert locate(text, 0, 99, "four") == (-1, -1, "unlocated")


def test_site_pages_escape_text_and_count_facts(synthetic):
    warehouse, index = synthetic
    counts = facts_per_doc(warehouse)
    html = index.read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html  # works offline
    for doc_id, n in counts.items():
        page = (index.parent / article_href(doc_id)).read_text(encoding="utf-8")
        assert f'href="{article_href(doc_id)}"' in html
        assert len(set(re.findall(r'<mark class="fact" data-fact-id="([^"]+)"', page))) == n
        assert "<script src" not in page and "<link" not in page
    ms = (index.parent / article_href(DOC_MS)).read_text(encoding="utf-8")
    assert "&lt;semua&gt; &amp; &quot;penyelesaian&quot;" in ms
    assert "<semua>" not in ms
    p = MarkParser()
    p.feed(ms)
    assert p.text["f04"] == "19 sel parti"  # nested inside f03
    assert p.text["f01"] == p.text["f02"]  # identical spans, two marks
    # flags on the index
    row = lambda doc: html.split(article_href(doc))[1].split("</tr>")[0]  # noqa: E731
    assert "evidence span mismatch: 1" in row(DOC_PL)
    assert "unresolved subjects: 1" in row(DOC_PL)  # Na Hang; a village is not in the gazetteer
    assert "merger partly agrees: 1" in row(DOC_PL)
    assert "rejected" in row(DOC_REJ)


# ----------------------------------------------------------------------------- browser
def _browser():
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} missing: run scripts/ensure_chromium.sh"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    sync_api = pytest.importorskip("playwright.sync_api")
    return sync_api


def check_pages_in_browser(warehouse: Path, index: Path, label: str, docs: list[str] | None = None):
    sync_api = _browser()
    counts = facts_per_doc(warehouse)
    docs = docs or [d for d, n in counts.items() if n] or list(counts)
    ARTIFACTS.mkdir(exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        evidence = dict(con.execute("SELECT fact_id, evidence FROM facts").fetchall())
    finally:
        con.close()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(index.as_uri())
            assert page.locator("table tr").count() == len(counts) + 1
            page.screenshot(path=str(ARTIFACTS / f"review_{label}_index.png"), full_page=True)
            for doc_id in docs:
                page.goto((index.parent / article_href(doc_id)).as_uri())
                got = page.evaluate(
                    """() => { const t = {};
                        document.querySelectorAll('mark.fact').forEach(m => {
                          const id = m.dataset.factId;
                          t[id] = (t[id] || '') + m.textContent; });
                        return t; }""")
                assert len(got) == counts[doc_id], (doc_id, sorted(got))
                for fid, text in got.items():  # the parts of a split mark add up to it
                    assert text == evidence[fid], fid
                page.screenshot(path=str(ARTIFACTS / f"review_{label}_{doc_id}.png"),
                                full_page=True)
                if counts[doc_id]:  # clicking a highlight marks its row
                    page.locator("mark.fact").first.click()
                    assert page.locator("tr.active").count() == 1
        finally:
            browser.close()


def test_review_page_in_chromium_synthetic(synthetic):
    warehouse, index = synthetic
    check_pages_in_browser(warehouse, index, "synthetic", [DOC_MS, DOC_PL, DOC_REJ])


def test_review_page_in_chromium_seed(request, tmp_path):
    try:
        warehouse = Path(request.getfixturevalue("seed_warehouse"))
    except pytest.FixtureLookupError:
        pytest.skip("seed_warehouse fixture not available")
    index = build_review_site(warehouse, tmp_path / "review")
    check_pages_in_browser(warehouse, index, "seed")


# ----------------------------------------------------------------------------- scale
class LinkParser(HTMLParser):
    """Every href of a page, and the article links inside its table rows (in order), with
    whether the row carries a problem (red) badge."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.rows: list[tuple[str, bool]] = []  # (article href, has a red badge)
        self._row: list[str | bool] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self._row = ["", False]
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
            if self._row is not None and a["href"].startswith("articles/"):
                self._row[0] = a["href"]
        if tag == "span" and self._row is not None and "bad" in (a.get("class") or "").split():
            self._row[1] = True

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            if self._row[0]:
                self.rows.append((str(self._row[0]), bool(self._row[1])))
            self._row = None


def series_pages(site: Path, series: str) -> list[Path]:
    """index.html, index-2.html, ... in page order (the names the site links to)."""
    pages = [site / f"{series}.html"]
    k = 2
    while (site / f"{series}-{k}.html").exists():
        pages.append(site / f"{series}-{k}.html")
        k += 1
    assert not list(site.glob(f"{series}-{k + 1}.html")), "a gap in the page numbers"
    return pages


def parse(page: Path) -> LinkParser:
    p = LinkParser()
    p.feed(page.read_text(encoding="utf-8"))
    return p


@pytest.mark.parametrize("which", ["synthetic", "seed"])
def test_index_pages_list_every_document_once_and_links_resolve(which, request, tmp_path):
    if which == "synthetic":
        warehouse = request.getfixturevalue("synthetic")[0]
    else:
        try:
            warehouse = Path(request.getfixturevalue("seed_warehouse"))
        except pytest.FixtureLookupError:
            pytest.skip("seed_warehouse fixture not available")
    docs = facts_per_doc(warehouse)
    assert len(docs) >= 5
    index = build_review_site(warehouse, tmp_path / "review", page_size=2, batch_size=3)
    site = index.parent
    summary = json.loads((site / "summary.json").read_text(encoding="utf-8"))

    pages = series_pages(site, "index")
    assert len(pages) == -(-len(docs) // 2) == summary["index_pages"]
    listed = [href for page in pages for href, _ in parse(page).rows]
    assert sorted(listed) == sorted(article_href(d) for d in docs)  # each exactly once
    assert all(len(parse(p).rows) <= 2 for p in pages)
    # whole-corpus counts on page 1 only
    assert f"<b>{len(docs)}</b>documents" in pages[0].read_text(encoding="utf-8")
    assert "documents</div>" not in pages[1].read_text(encoding="utf-8")

    flagged = series_pages(site, "flagged")
    rows = [r for page in flagged for r in parse(page).rows]
    assert len(rows) == len({h for h, _ in rows}) == summary["flagged_documents"]
    assert len(flagged) == summary["flagged_pages"] == max(1, -(-len(rows) // 2))
    problems = [bad for _, bad in rows]
    assert problems == sorted(problems, reverse=True), "problem flags come first"
    assert sum(problems) == summary["problem_documents"]
    if which == "synthetic":
        assert summary["problem_documents"] >= 1
        assert (article_href(DOC_REJ), True) in rows and (article_href(DOC_PL), True) in rows

    # every link of every index, flagged and article page resolves to a file of the site
    for page in [*pages, *flagged, *(site / "articles").glob("*.html")]:
        for href in parse(page).hrefs:
            if "://" in href or href.startswith(("mailto:", "#")):
                continue
            assert (page.parent / href.split("#")[0]).resolve().is_file(), (page.name, href)
    assert summary["pages"] == len(list(site.rglob("*.html")))
    assert not list(site.glob(".rows-*")), "spool files left in the site"


def test_batch_size_does_not_change_a_byte(synthetic, tmp_path):
    warehouse = synthetic[0]
    sites = {b: build_review_site(warehouse, tmp_path / f"b{b}", batch_size=b, page_size=3).parent
             for b in (1, 2, 1000)}
    files = {b: sorted(p.relative_to(s) for p in s.rglob("*") if p.is_file())
             for b, s in sites.items()}
    assert files[1] == files[2] == files[1000]
    assert len([f for f in files[1] if f.parts[0] == "articles"]) == len(facts_per_doc(warehouse))
    for rel in files[1]:
        one = (sites[1] / rel).read_bytes()
        assert one == (sites[2] / rel).read_bytes() == (sites[1000] / rel).read_bytes(), rel


def test_rebuild_swaps_in_place_and_leaves_no_temp(synthetic, tmp_path):
    warehouse = synthetic[0]
    out = tmp_path / "review"
    build_review_site(warehouse, out, page_size=1)
    assert (out / "index-2.html").exists()
    build_review_site(warehouse, out)  # one page now: the old page 2 must be gone
    assert not (out / "index-2.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review"]


def test_pager_in_chromium(synthetic, tmp_path):
    sync_api = _browser()
    warehouse = synthetic[0]
    index = build_review_site(warehouse, tmp_path / "review", page_size=2)
    n_docs = len(facts_per_doc(warehouse))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(index.as_uri())
            seen = []
            while True:
                seen += page.eval_on_selector_all(
                    "table tr td:first-child a", "els => els.map(e => e.getAttribute('href'))")
                nxt = page.locator("nav.pager a[rel=next]").first
                if not nxt.count():
                    break
                nxt.click()
                page.wait_for_load_state()
            assert len(seen) == len(set(seen)) == n_docs
            assert page.url.endswith(f"index-{-(-n_docs // 2)}.html")
            page.screenshot(path=str(ARTIFACTS / "review_pager_last.png"), full_page=True)
            page.locator("header a", has_text="Flagged").click()
            page.wait_for_load_state()
            assert page.url.endswith("flagged.html")
            assert page.locator("table tr").count() >= 2
        finally:
            browser.close()
