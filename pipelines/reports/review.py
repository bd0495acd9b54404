"""The evidence review site: static HTML pages over the warehouse, readable offline.

`build_review_site(warehouse_path, out_dir)` writes

- `index.html`, `index-2.html`, ...: every input document, `page_size` rows a page in file-name
  order (language, outlet, date, counts, check flags such as rejected, duplicate, evidence span
  mismatch, unresolved subjects (province, district or commune subjects not linked to the
  gazetteer), merger claims that disagree with the official lineage). `index.html` is page 1 and
  carries the summary counts of the whole corpus and links to every page;
- `flagged.html`, `flagged-2.html`, ...: only the documents with at least one flag, the ones with
  a problem flag (red: rejected, evidence span mismatch, merger disagrees) first, then those with
  warnings only, each group in file-name order. A separate list rather than "flagged first" in
  the index, because most of a real corpus carries some warning (an unresolved village subject):
  the problems a reviewer must look at would otherwise sink among them;
- `articles/<doc_id>.html`: the article's text with each fact's evidence highlighted as
  `<mark class="fact" data-fact-id=...>` around `text[span_start:span_end]` (mergers and people
  as `mark.merger` / `mark.person`), and beside it the facts, mergers and people;
- `summary.json`: the counts of the whole corpus (`site_summary`).

Overlapping spans stay one mark per item: marks nest, and where two spans cross, the inner one
is split into parts that share the same `data-fact-id` (the first part carries the `id`). A span
that does not match its evidence is relocated to where the evidence occurs in the text; evidence
that occurs nowhere is shown under the text, still as a mark, and flagged.

Scale: the work streams over `batch_size` documents at a time (their texts, facts, mergers and
people are queried for that batch only), and index rows are spooled to files and paginated at the
end, so memory stays flat however large the corpus is; an article page depends only on its own
document, so it is byte-identical whatever the batch size. Each batch's facts, mergers and
people come from a semi join on its ids, one scan of those tables per batch: the total cost grows
as corpus² / batch_size, which a batch of 2,000 keeps to a fraction of the rendering time at
100,000 articles (a single sorted merge over all tables would be linear, but DuckDB would then
hold or spill a sort of every text). DuckDB's own memory is capped too
(`VN_PARTY_DUCKDB_MEMORY`, default 128MB here), or its buffer pool would keep every text scanned.

No external JS or CSS; all text goes through `html.escape`. The warehouse is opened read-only,
and the site is built in a temporary folder swapped in at the end, so a reader never sees half
of it.
"""

from __future__ import annotations

import html
import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

#: documents queried and rendered at a time: bounds memory (texts of one batch only); larger
#: batches mean fewer scans of the facts, mergers and people tables
BATCH_SIZE = 2000
#: rows of one index page (index.html, index-2.html, ...; flagged.html, flagged-2.html, ...)
PAGE_SIZE = 1000
MEMORY_ENV = "VN_PARTY_DUCKDB_MEMORY"
DEFAULT_MEMORY = "128MB"

KINDS = ("fact", "merger", "person")
#: subject levels the gazetteer holds: only these count as "unresolved" when unlinked
GAZETTEER_LEVELS = ("province", "district", "commune")
ID_ATTR = {"fact": "data-fact-id", "merger": "data-merger-id", "person": "data-person-id"}

CSS = """
:root { --fact: rgba(255, 200, 0, .38); --merger: rgba(80, 160, 255, .30);
        --person: rgba(60, 190, 90, .30); }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       color: #1d232a; background: #fafafa; }
header { background: #20324a; color: #fff; padding: .8rem 1.4rem; }
header a { color: #cfe3ff; }
header h1 { margin: 0; font-size: 1.25rem; }
main { padding: 1rem 1.4rem; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13.5px; }
th, td { border: 1px solid #dde1e6; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; position: sticky; top: 0; }
nav.pager { margin: .6rem 0; } nav.pager a, nav.pager b { margin-right: .35rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; border-radius: .6rem; padding: 0 .5rem; margin: 0 .2rem .15rem 0;
         font-size: 12px; background: #e3e7ec; white-space: nowrap; }
.badge.bad { background: #ffd9d6; color: #8a1a10; }
.badge.warn { background: #fff0c2; color: #6b4e00; }
.badge.ok { background: #d8f3dc; color: #1d5e2b; }
.summary { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.summary div { background: #fff; border: 1px solid #dde1e6; padding: .5rem .8rem; border-radius: .4rem; }
.summary b { display: block; font-size: 1.3rem; }
.layout { display: grid; grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr); gap: 1.2rem; }
@media (max-width: 1100px) { .layout { grid-template-columns: 1fr; } }
.text { white-space: pre-wrap; background: #fff; border: 1px solid #dde1e6; padding: 1rem;
        border-radius: .4rem; line-height: 1.75; }
mark { color: inherit; padding: .05em 0; border-radius: 2px; cursor: pointer; }
mark.fact { background: var(--fact); box-shadow: inset 0 -2px rgba(190, 130, 0, .55); }
mark.merger { background: var(--merger); }
mark.person { background: var(--person); }
mark.active, tr.active { outline: 2px solid #d9480f; }
.swatch { padding: 0 .3rem; border-radius: 2px; }
.swatch.fact { background: var(--fact); } .swatch.merger { background: var(--merger); }
.swatch.person { background: var(--person); }
.meta { color: #56606b; font-size: 13px; overflow-wrap: anywhere; }
.unlocated { margin-top: .8rem; padding: .6rem; border: 1px dashed #c92a2a; background: #fff5f5; }
h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
code { font-size: 12.5px; }
"""

JS = """
document.addEventListener('click', function (e) {
  var m = e.target.closest('mark[data-kind]');
  var r = e.target.closest('tr[data-ref]');
  document.querySelectorAll('.active').forEach(function (x) { x.classList.remove('active'); });
  if (m) {
    var row = document.getElementById(m.dataset.kind + '-' + m.dataset.ref);
    if (row) { row.classList.add('active'); row.scrollIntoView({block: 'nearest'}); }
    e.stopPropagation();
  } else if (r) {
    var marks = document.querySelectorAll('mark[data-kind="' + r.dataset.kind + '"][data-ref="'
      + CSS.escape(r.dataset.ref) + '"]');
    marks.forEach(function (x) { x.classList.add('active'); });
    if (marks.length) marks[0].scrollIntoView({block: 'center'});
    r.classList.add('active');
  }
});
"""


def esc(v: Any) -> str:
    return html.escape("" if v is None else str(v), quote=True)


# ----------------------------------------------------------------------------- spans
@dataclass
class Span:
    kind: str  # fact | merger | person
    ref: str  # its id
    start: int
    end: int
    title: str
    status: str = "ok"  # ok | relocated | unlocated


def locate(text: str, start: Any, end: Any, evidence: str | None) -> tuple[int, int, str]:
    """Where to highlight: the stored span when it holds the evidence, else the evidence found
    in the text ('relocated'), else 'unlocated' (offsets -1)."""
    ev = evidence or ""
    if (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
            and (not ev or text[start:end] == ev)):
        return start, end, "ok"
    if ev:
        i = text.find(ev)
        if i >= 0:
            return i, i + len(ev), "relocated"
    return -1, -1, "unlocated"


def _open_tag(sp: Span, part: int) -> str:
    attrs = [f'class="{sp.kind}"', f'{ID_ATTR[sp.kind]}="{esc(sp.ref)}"',
             f'data-kind="{sp.kind}"', f'data-ref="{esc(sp.ref)}"', f'title="{esc(sp.title)}"']
    if part == 1:
        attrs.append(f'id="ev-{sp.kind}-{esc(sp.ref)}"')
    else:
        attrs.append(f'data-part="{part}"')
    return "<mark " + " ".join(attrs) + ">"


def highlight(text: str, spans: list[Span]) -> str:
    """Escaped `text` with a properly nested `<mark>` per span (crossing spans are split)."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    starts: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        starts[s.start].append(s)
    points = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    parts: dict[int, int] = {}
    stack: list[Span] = []
    out: list[str] = []
    for i, p in enumerate(points):
        # close the spans that end here; spans opened above them are closed and reopened
        ending = [k for k, s in enumerate(stack) if s.end == p]
        if ending:
            lowest = ending[0]
            above = stack[lowest:]
            out.extend("</mark>" for _ in above)
            del stack[lowest:]
            for s in above:
                if s.end != p:
                    parts[id(s)] += 1
                    out.append(_open_tag(s, parts[id(s)]))
                    stack.append(s)
        for s in sorted(starts.get(p, []), key=lambda s: (-s.end, KINDS.index(s.kind), s.ref)):
            parts[id(s)] = 1
            out.append(_open_tag(s, 1))
            stack.append(s)
        if i + 1 < len(points):
            out.append(esc(text[p : points[i + 1]]))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


# ----------------------------------------------------------------------------- data
def _rows(con: duckdb.DuckDBPyConnection, sql: str,
          params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or {})
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}


def _fmt_value(value: Any, unit: str | None) -> str:
    if value is None:
        return ""
    v = float(value)
    s = f"{v:,.0f}" if v.is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    if unit == "percent":
        return f"{s} %"
    if unit == "VND":
        return f"{s} VND"
    return s


def _group(rows: list[dict[str, Any]], key: str = "doc_id") -> dict[str, list[dict[str, Any]]]:
    g: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        g[r[key]].append(r)
    return g


#: the rows of one batch: a semi join on the batch's ids (a hash join, cheap on every table)
_IN_BATCH = "SEMI JOIN (SELECT unnest($ids) AS doc_id) _b USING (doc_id)"


def _doc_id_batches(con: duckdb.DuckDBPyConnection, size: int) -> Iterator[list[str]]:
    """Every doc_id once, in index order (file name, doc_id), `size` at a time, streamed from a
    cursor of its own so the batch queries can run on `con` meanwhile."""
    cur = con.cursor()
    try:
        cur.execute("SELECT doc_id FROM documents GROUP BY doc_id "
                    "ORDER BY min(file_name), doc_id")
        while batch := cur.fetchmany(size):
            yield [r[0] for r in batch]
    finally:
        cur.close()


def _load_batch(con: duckdb.DuckDBPyConnection, tables: set[str], ids: list[str]) -> dict[str, Any]:
    """Documents (with their texts), facts, mergers, people and merger verdicts of `ids` only."""
    p = {"ids": ids}
    docs = _rows(con, f"SELECT * FROM documents {_IN_BATCH} ORDER BY file_name, doc_id", p)
    subj = "subjects" in tables
    facts = _rows(con, f"""
        SELECT f.*, {'s.era, s.unit_code, s.unit_name, s.province_name, s.province_name_2025, '
                     's.link_status, s.link_reason' if subj else
                     'NULL era, NULL unit_code, NULL unit_name, NULL province_name, '
                     'NULL province_name_2025, NULL link_status, NULL link_reason'}
        FROM (SELECT * FROM facts {_IN_BATCH}) f
        {'LEFT JOIN subjects s ON s.subject_id = f.subject_id' if subj else ''}
        ORDER BY f.doc_id, f.span_start NULLS LAST, f.fact_id""", p)
    mergers = _rows(con, f"SELECT * FROM mergers {_IN_BATCH} "
                         "ORDER BY doc_id, span_start NULLS LAST, merger_id", p) \
        if "mergers" in tables else []
    if "out_merger_claims" in tables:
        verdicts = dict(con.execute(
            "SELECT merger_id, verdict FROM out_merger_claims "
            "SEMI JOIN (SELECT unnest($m) AS merger_id) _m USING (merger_id)",
            {"m": [m["merger_id"] for m in mergers]}).fetchall()) if mergers else {}
    else:
        verdicts = {m["merger_id"]: m.get("lineage_status") for m in mergers}
    people = _rows(con, f"SELECT * FROM people {_IN_BATCH} "
                        "ORDER BY doc_id, span_start NULLS LAST, person_id", p) \
        if "people" in tables else []
    return {"docs": docs, "facts": _group(facts), "mergers": _group(mergers),
            "people": _group(people), "verdicts": verdicts}


# ----------------------------------------------------------------------------- pages
def _page(title: str, body: str, *, depth: int = 0) -> str:
    home = "../" * depth + "index.html"
    flagged = "../" * depth + "flagged.html"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><div><a href=\"{home}\">All articles</a> · "
        f"<a href=\"{flagged}\">Flagged</a></div></header>"
        f"<main>{body}</main><script>{JS}</script></body></html>\n"
    )


def _badge(text: str, cls: str = "") -> str:
    return f'<span class="badge {cls}">{esc(text)}</span>'


def _doc_checks(doc: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Span statuses and flags of one document."""
    text = doc.get("text") or ""
    facts = data["facts"].get(doc["doc_id"], [])
    mergers = data["mergers"].get(doc["doc_id"], [])
    people = data["people"].get(doc["doc_id"], [])
    spans: list[Span] = []
    status: dict[tuple[str, str], str] = {}
    for kind, items, key in (("fact", facts, "fact_id"), ("merger", mergers, "merger_id"),
                             ("person", people, "person_id")):
        for it in items:
            s, e, st = locate(text, it.get("span_start"), it.get("span_end"), it.get("evidence"))
            if kind == "fact":
                title = f"{it.get('metric')} = {_fmt_value(it.get('value'), it.get('unit'))}"
            elif kind == "merger":
                title = f"merger: {it.get('new_unit_name')}"
            else:
                title = f"{it.get('name')} ({it.get('role')})"
            sp = Span(kind, str(it[key]), s, e, title, st)
            spans.append(sp)
            status[(kind, str(it[key]))] = st
    flags: list[tuple[str, str]] = []
    st = doc.get("status") or "ok"
    if st == "rejected":
        flags.append(("rejected", "bad"))
    elif st == "duplicate":
        flags.append(("duplicate", "warn"))
    elif not facts:
        flags.append(("no facts", "warn"))
    bad_spans = sum(1 for v in status.values() if v != "ok")
    if bad_spans:
        flags.append((f"evidence span mismatch: {bad_spans}", "bad"))
    unresolved = sum(1 for f in facts if not f.get("unit_code")
                     and (f.get("subject_level") in GAZETTEER_LEVELS))
    if unresolved:
        flags.append((f"unresolved subjects: {unresolved}", "warn"))
    for verdict in ("disagrees", "partly agrees", "unresolved"):
        n = sum(1 for m in mergers if data["verdicts"].get(m["merger_id"]) == verdict)
        if n:
            flags.append((f"merger {verdict}: {n}", "bad" if verdict == "disagrees" else "warn"))
    return {"spans": spans, "status": status, "flags": flags, "facts": facts,
            "mergers": mergers, "people": people}


def _article_page(doc: dict[str, Any], chk: dict[str, Any], data: dict[str, Any]) -> str:
    text = doc.get("text") or ""
    spans: list[Span] = chk["spans"]
    located = [s for s in spans if s.status != "unlocated"]
    unlocated = [s for s in spans if s.status == "unlocated"]
    ev = {(s.kind, s.ref): s for s in spans}

    meta = " · ".join(esc(x) for x in (
        doc.get("file_name"), doc.get("language"), doc.get("outlet"), doc.get("published"),
        f"doc_id {doc.get('doc_id')}") if x)
    url = doc.get("source_url")
    head = [f'<p class="meta">{meta}'
            + (f' · <a href="{esc(url)}">{esc(url)}</a>' if url else "") + "</p>"]
    if doc.get("reason"):
        head.append(f"<p>{_badge(doc.get('status') or '', 'bad')} {esc(doc['reason'])}</p>")
    head.append("<p>" + "".join(_badge(t, c) for t, c in chk["flags"]) + "</p>")
    head.append('<p class="legend meta">Highlights: <span class="swatch fact">fact</span> '
                '<span class="swatch merger">merger</span> '
                '<span class="swatch person">person</span> '
                '(click a highlight or a table row to find its counterpart)</p>')

    left = [f'<div class="text">{highlight(text, located)}</div>']
    if unlocated:
        items = []
        for s in unlocated:
            item = next((x for x in chk[s.kind + "s" if s.kind != "person" else "people"]
                         if str(x[f"{s.kind}_id"]) == s.ref), {})
            items.append(f"<li>{_open_tag(s, 1)}{esc(item.get('evidence') or '(no evidence)')}"
                         "</mark></li>")
        left.append('<div class="unlocated"><b>Evidence not found in the text</b><ul>'
                    + "".join(items) + "</ul></div>")

    right = [f"<h2>Facts ({len(chk['facts'])})</h2>"]
    if chk["facts"]:
        right.append("<table><tr><th>metric</th><th>value</th><th>qualifier</th><th>subject</th>"
                     "<th>gazetteer unit</th><th>span</th></tr>")
        for f in chk["facts"]:
            fid = str(f["fact_id"])
            extra = []
            if f.get("target") is not None:
                extra.append(f"target {_fmt_value(f['target'], f.get('unit'))}")
            if f.get("period"):
                extra.append(f"period {f['period']}")
            subject = (f"{esc(f.get('subject_name'))} <span class=\"meta\">({esc(f.get('subject_level'))}"
                       f"{', ' + esc(f.get('subject_province')) if f.get('subject_province') else ''})"
                       "</span>")
            if f.get("unit_code"):
                unit = (f"{esc(f.get('unit_name'))} <span class=\"meta\">{esc(f.get('era'))} "
                        f"{esc(f.get('unit_code'))}, {esc(f.get('province_name_2025') or f.get('province_name'))}"
                        "</span>")
            else:
                unit = _badge(f.get("link_status") or "unresolved", "warn") + (
                    f' <span class="meta">{esc(f.get("link_reason"))}</span>'
                    if f.get("link_reason") else "")
            st = ev[("fact", fid)].status
            right.append(
                f'<tr id="fact-{esc(fid)}" data-kind="fact" data-ref="{esc(fid)}">'
                f"<td><code>{esc(f.get('metric'))}</code></td>"
                f'<td class="num">{esc(_fmt_value(f.get("value"), f.get("unit")))}'
                f'{"<br><span class=meta>" + esc("; ".join(extra)) + "</span>" if extra else ""}</td>'
                f"<td>{esc(f.get('qualifier'))}</td>"
                f"<td>{subject}</td>"
                f"<td>{unit}</td>"
                f"<td>{_badge(st, 'ok' if st == 'ok' else 'bad')}</td></tr>")
        right.append("</table>")
    right.append(f"<h2>Mergers ({len(chk['mergers'])})</h2>")
    if chk["mergers"]:
        right.append("<table><tr><th>new unit</th><th>predecessors (article)</th>"
                     "<th>official lineage</th><th>verdict</th></tr>")
        for m in chk["mergers"]:
            mid = str(m["merger_id"])
            verdict = data["verdicts"].get(m["merger_id"]) or ""
            cls = {"agrees": "ok", "disagrees": "bad"}.get(verdict, "warn")
            right.append(
                f'<tr id="merger-{esc(mid)}" data-kind="merger" data-ref="{esc(mid)}">'
                f"<td>{esc(m.get('new_unit_name'))} <span class=\"meta\">"
                f"({esc(m.get('new_unit_level'))}, {esc(m.get('new_unit_province'))})</span></td>"
                f"<td>{esc(', '.join(m.get('predecessors') or []))}</td>"
                f"<td>{esc(', '.join(m.get('lineage_official') or []) or '—')}</td>"
                f"<td>{_badge(verdict, cls)}</td></tr>")
        right.append("</table>")
    right.append(f"<h2>People ({len(chk['people'])})</h2>")
    if chk["people"]:
        right.append("<table><tr><th>name</th><th>role</th><th>title as written</th>"
                     "<th>organisation</th></tr>")
        for p in chk["people"]:
            pid = str(p["person_id"])
            org = ", ".join(str(x) for x in (p.get("org_name"), p.get("org_level"),
                                             p.get("org_province")) if x)
            right.append(
                f'<tr id="person-{esc(pid)}" data-kind="person" data-ref="{esc(pid)}">'
                f"<td>{esc(p.get('name'))}</td><td>{esc(p.get('role'))}</td>"
                f"<td>{esc(p.get('title'))}</td><td>{esc(org)}</td></tr>")
        right.append("</table>")

    body = ("".join(head) + '<div class="layout"><section>' + "".join(left)
            + "</section><section>" + "".join(right) + "</section></div>")
    return _page(doc.get("title") or doc.get("file_name") or doc["doc_id"], body, depth=1)


def article_href(doc_id: str) -> str:
    return f"articles/{doc_id}.html"


ROWS_HEADER = ("<table><tr><th>file</th><th>title</th><th>lang</th><th>outlet</th>"
               "<th>published</th><th>status</th><th>facts</th><th>mergers</th><th>people</th>"
               "<th>checks</th></tr>")


def _index_row(d: dict[str, Any], c: dict[str, Any]) -> str:
    """One document's row of the index and flagged pages, on one line (newlines become the
    equivalent `&#10;`) so the rows can be spooled to a file a line each."""
    return (
        f'<tr><td><a href="{article_href(esc(d["doc_id"]))}">{esc(d.get("file_name"))}</a></td>'
        f"<td>{esc(d.get('title'))}</td><td>{esc(d.get('language'))}</td>"
        f"<td>{esc(d.get('outlet'))}</td><td>{esc(d.get('published'))}</td>"
        f"<td>{esc(d.get('status'))}</td>"
        f'<td class="num">{len(c["facts"])}</td><td class="num">{len(c["mergers"])}</td>'
        f'<td class="num">{len(c["people"])}</td>'
        f"<td>{''.join(_badge(t, k) for t, k in c['flags']) or _badge('ok', 'ok')}</td></tr>"
    ).replace("\r", "&#13;").replace("\n", "&#10;")


def page_href(series: str, page: int) -> str:
    """`index.html`, `index-2.html`, ... (series 'index' or 'flagged')."""
    return f"{series}.html" if page == 1 else f"{series}-{page}.html"


def _nav(series: str, page: int, n_pages: int, first: int, last: int, total: int) -> str:
    """Rows shown, and links to the previous, next, first, last and nearby pages."""
    if n_pages <= 1:
        return f'<nav class="pager meta">{total} rows</nav>'
    show = sorted({1, n_pages, *range(max(1, page - 3), min(n_pages, page + 3) + 1)})
    links: list[str] = []
    if page > 1:
        links.append(f'<a href="{page_href(series, page - 1)}" rel="prev">‹ previous</a>')
    prev = 0
    for k in show:
        if k > prev + 1:
            links.append("…")
        links.append(f"<b>{k}</b>" if k == page else f'<a href="{page_href(series, k)}">{k}</a>')
        prev = k
    if page < n_pages:
        links.append(f'<a href="{page_href(series, page + 1)}" rel="next">next ›</a>')
    rows = f"Row {first:,}" if first == last else f"Rows {first:,}–{last:,}"
    return (f'<nav class="pager">{rows} of {total:,} · page {page} of {n_pages}: '
            f"{' '.join(links)}</nav>")


def _write_series(tmp: Path, series: str, title: str, spools: list[Path], total: int,
                  page_size: int, intro: str) -> int:
    """Paginate the spooled rows (read a line at a time) into `series` pages; `intro` heads
    page 1. Returns the number of pages (at least 1, so every link resolves)."""
    n_pages = max(1, -(-total // page_size))
    page, rows = 1, []

    def flush() -> None:
        first = (page - 1) * page_size + 1 if total else 0
        last = first + len(rows) - 1 if rows else 0
        nav = _nav(series, page, n_pages, first, last, total)
        body = ((intro if page == 1 else "") + nav
                + (ROWS_HEADER + "".join(rows) + "</table>" if rows else "<p>No documents.</p>")
                + (nav if rows else ""))
        name = title if page == 1 else f"{title} (page {page} of {n_pages})"
        (tmp / page_href(series, page)).write_text(_page(name, body), encoding="utf-8")

    for spool in spools:
        with spool.open(encoding="utf-8") as f:
            for line in f:
                rows.append(line.rstrip("\n"))
                if len(rows) == page_size:
                    flush()
                    page, rows = page + 1, []
    if rows or page == 1:
        flush()
    return n_pages


def _summary_html(t: dict[str, Any], warehouse_path: Path, flagged_pages: int) -> str:
    langs = sorted(t["languages"])
    return (
        '<div class="summary">'
        f"<div><b>{t['documents']}</b>documents</div><div><b>{t['ok']}</b>ok</div>"
        f"<div><b>{t['documents'] - t['ok']}</b>rejected or duplicate</div>"
        f"<div><b>{t['facts']}</b>facts</div><div><b>{t['flagged_documents']}</b>with flags</div>"
        f"<div><b>{len(langs)}</b>languages: {esc(', '.join(langs))}</div></div>"
        f'<p><a href="{page_href("flagged", 1)}">Flagged documents</a>: '
        f"{t['flagged_documents']:,} ({t['problem_documents']:,} with a problem flag: rejected, "
        "evidence span mismatch or a merger claim that disagrees with the lineage; listed first)"
        f"{f', on {flagged_pages} pages' if flagged_pages > 1 else ''}.</p>"
        f'<p class="meta">Built from {esc(warehouse_path)}</p>')


def build_review_site(warehouse_path: Path | str, out_dir: Path | str | None = None, *,
                      batch_size: int = BATCH_SIZE, page_size: int = PAGE_SIZE) -> Path:
    """Write the review site for the warehouse at `warehouse_path` into `out_dir` (default
    `<warehouse dir>/review`), replacing the previous one; returns the path of index.html.

    `batch_size` documents are held at a time; `page_size` rows make an index page."""
    if batch_size < 1 or page_size < 1:
        raise ValueError("batch_size and page_size must be at least 1")
    warehouse_path = Path(warehouse_path).resolve()
    out_dir = Path(out_dir) if out_dir else warehouse_path.parent / "review"
    tmp = out_dir.with_name(out_dir.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "articles").mkdir(parents=True)
    spool = {k: tmp / f".rows-{k}" for k in ("all", "problem", "warn")}
    t: dict[str, Any] = {k: 0 for k in ("documents", "ok", "facts", "highlights",
                                        "spans_relocated", "spans_unlocated",
                                        "flagged_documents", "problem_documents")}
    t["languages"] = set()
    try:
        con = duckdb.connect(str(warehouse_path), read_only=True, config={
            "memory_limit": os.environ.get(MEMORY_ENV, DEFAULT_MEMORY)})
        try:
            tables = _tables(con)
            with (spool["all"].open("w", encoding="utf-8") as f_all,
                  spool["problem"].open("w", encoding="utf-8") as f_problem,
                  spool["warn"].open("w", encoding="utf-8") as f_warn):
                for ids in _doc_id_batches(con, batch_size):
                    data = _load_batch(con, tables, ids)
                    for d in data["docs"]:
                        c = _doc_checks(d, data)
                        (tmp / article_href(d["doc_id"])).write_text(
                            _article_page(d, c, data), encoding="utf-8")
                        row = _index_row(d, c) + "\n"
                        f_all.write(row)
                        t["documents"] += 1
                        t["ok"] += (d.get("status") or "ok") == "ok"
                        if d.get("language"):
                            t["languages"].add(d["language"])
                        t["facts"] += len(c["facts"])
                        t["highlights"] += sum(1 for s in c["spans"]
                                               if s.kind == "fact" and s.status != "unlocated")
                        t["spans_relocated"] += sum(1 for v in c["status"].values()
                                                    if v == "relocated")
                        t["spans_unlocated"] += sum(1 for v in c["status"].values()
                                                    if v == "unlocated")
                        if c["flags"]:
                            t["flagged_documents"] += 1
                            problem = any(k == "bad" for _, k in c["flags"])
                            t["problem_documents"] += problem
                            (f_problem if problem else f_warn).write(row)
        finally:
            con.close()

        flagged_pages = _write_series(
            tmp, "flagged", "Evidence review: flagged documents",
            [spool["problem"], spool["warn"]], t["flagged_documents"], page_size,
            f"<p>{t['flagged_documents']:,} of {t['documents']:,} documents carry a flag: first "
            f"the {t['problem_documents']:,} with a problem flag (red: rejected, evidence span "
            "mismatch, merger claim disagreeing with the lineage), then those with warnings "
            "only; each group in file-name order.</p>")
        index_pages = _write_series(
            tmp, "index", "Evidence review: articles", [spool["all"]], t["documents"], page_size,
            _summary_html(t, warehouse_path, flagged_pages))
        for f in spool.values():
            f.unlink()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    summary = {
        "documents": t["documents"],
        "pages": t["documents"] + index_pages + flagged_pages,
        "index_pages": index_pages,
        "flagged_pages": flagged_pages,
        "facts": t["facts"],
        "highlights": t["highlights"],
        "spans_relocated": t["spans_relocated"],
        "spans_unlocated": t["spans_unlocated"],
        "flagged_documents": t["flagged_documents"],
        "problem_documents": t["problem_documents"],
    }
    (tmp / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    old = out_dir.with_name(out_dir.name + f".old{os.getpid()}")
    if out_dir.exists():
        out_dir.rename(old)
    tmp.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
    return out_dir / "index.html"


def site_summary(index_html: Path) -> dict[str, int]:
    """Counts written beside the index by `build_review_site` (for asset metadata)."""
    return json.loads((Path(index_html).parent / "summary.json").read_text(encoding="utf-8"))
