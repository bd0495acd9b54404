"""The evidence review site: one highlight per fact, escaped text, checked in headless Chromium."""

from __future__ import annotations

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
