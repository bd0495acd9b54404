"""A small synthetic warehouse with the contract schema (docs/contracts.md), for the analyses.

It makes the mart, notebook and review-page tests independent of extraction quality: every row
here is chosen by hand so that the marts have exact expected values (see tests/test_marts.py).

Contents, in words:

- gazetteer: three 2025 provinces (Lai Chau 12, Ninh Binh 37, Gia Lai 52), five legacy provinces
  (Lai Chau 12, Ninh Binh 37, Nam Dinh 36 -> Ninh Binh, Gia Lai 64 -> Gia Lai, Binh Dinh 52 ->
  Gia Lai), five 2025 communes and nine legacy communes; the lineage has an unchanged commune
  (Pa U), a three-way merger (Dong Thai), a merger with a split part (Ya Ma takes part of Kong
  Yang, whose other part goes to Chu Krey);
- five documents: a Malay article (no date), a Polish one (published 2025-09-15), an
  Indonesian one (published 2025-03-01), a rejected file and a duplicate of the Indonesian one;
- thirteen facts, with evidence spans found in the text (two identical spans, one nested span,
  two crossing spans and one deliberately wrong span), four mergers (agrees, partial,
  disagrees, unresolved) and one person.

`build_synthetic_warehouse(path)` writes the DuckDB file and then builds every
`warehouse/sql/out_*.sql` mart the way the publish step does (`CREATE TABLE out_x AS <select>`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "warehouse" / "sql"

DDL = """
CREATE TABLE documents (
    doc_id VARCHAR, partition_key VARCHAR, file_name VARCHAR, path VARCHAR, status VARCHAR,
    reason VARCHAR, content_hash VARCHAR, n_bytes BIGINT, encoding VARCHAR, language VARCHAR,
    language_confidence DOUBLE, title VARCHAR, source_url VARCHAR, outlet VARCHAR,
    published DATE, text VARCHAR, n_chars BIGINT, n_facts BIGINT, n_mergers BIGINT,
    n_people BIGINT, extractor_version VARCHAR, extracted_at TIMESTAMP);
CREATE TABLE facts (
    fact_id VARCHAR, doc_id VARCHAR, metric VARCHAR, unit VARCHAR, value DOUBLE,
    qualifier VARCHAR, target DOUBLE, period VARCHAR, period_start INTEGER, period_end INTEGER,
    subject_id VARCHAR, subject_name VARCHAR, subject_level VARCHAR, subject_province VARCHAR,
    evidence VARCHAR, span_start INTEGER, span_end INTEGER, confidence DOUBLE,
    language VARCHAR);
CREATE TABLE mergers (
    merger_id VARCHAR, doc_id VARCHAR, new_unit_id VARCHAR, new_unit_name VARCHAR,
    new_unit_level VARCHAR, new_unit_province VARCHAR, predecessors VARCHAR[],
    n_predecessors INTEGER, evidence VARCHAR, span_start INTEGER, span_end INTEGER,
    confidence DOUBLE, lineage_status VARCHAR, lineage_official VARCHAR[],
    lineage_matched INTEGER);
CREATE TABLE people (
    person_id VARCHAR, doc_id VARCHAR, name VARCHAR, role VARCHAR, title VARCHAR,
    org_subject_id VARCHAR, org_name VARCHAR, org_level VARCHAR, org_province VARCHAR,
    evidence VARCHAR, span_start INTEGER, span_end INTEGER, confidence DOUBLE);
CREATE TABLE subjects (
    subject_id VARCHAR, name VARCHAR, level VARCHAR, province VARCHAR, era VARCHAR,
    unit_code VARCHAR, unit_name VARCHAR, province_code VARCHAR, province_name VARCHAR,
    province_code_2025 VARCHAR, province_name_2025 VARCHAR, lat DOUBLE, lon DOUBLE,
    link_status VARCHAR, link_reason VARCHAR);
CREATE TABLE admin_units (
    era VARCHAR, level VARCHAR, code VARCHAR, name VARCHAR, short_name VARCHAR,
    unit_type VARCHAR, key VARCHAR, short_key VARCHAR, province_code VARCHAR,
    province_name VARCHAR, district_code VARCHAR, district_name VARCHAR, lat DOUBLE,
    lon DOUBLE, area_km2 DOUBLE);
CREATE TABLE unit_lineage (
    legacy_code VARCHAR, legacy_name VARCHAR, legacy_district VARCHAR,
    legacy_province_code VARCHAR, legacy_province VARCHAR, new_code VARCHAR, new_name VARCHAR,
    new_province_code VARCHAR, new_province VARCHAR, relation VARCHAR, is_default BOOLEAN);
CREATE VIEW rejected_files AS SELECT * FROM documents WHERE status <> 'ok';
"""

# ---------------------------------------------------------------- gazetteer
PROVINCES_2025 = [  # code, full name, short name, lat, lon
    ("12", "Tỉnh Lai Châu", "Lai Châu", 22.39, 103.46),
    ("37", "Tỉnh Ninh Bình", "Ninh Bình", 20.25, 105.97),
    ("52", "Tỉnh Gia Lai", "Gia Lai", 13.98, 108.0),
]
PROVINCES_LEGACY = [
    ("12", "Tỉnh Lai Châu", "Lai Châu", 22.39, 103.46),
    ("37", "Tỉnh Ninh Bình", "Ninh Bình", 20.25, 105.97),
    ("36", "Tỉnh Nam Định", "Nam Định", 20.42, 106.17),
    ("64", "Tỉnh Gia Lai", "Gia Lai", 13.98, 108.0),
    ("52", "Tỉnh Bình Định", "Bình Định", 14.17, 108.9),
]
COMMUNES_2025 = [  # code, short name, province code, lat, lon, area
    ("10001", "Pa Ủ", "12", 22.62, 102.53, 300.5),
    ("20001", "Đồng Thái", "37", 20.08, 105.95, 25.4),
    ("20002", "Hải Hậu", "37", 20.15, 106.27, 40.0),
    ("30001", "Ya Ma", "52", 13.7, 108.55, 80.0),
    ("30002", "Chư Krey", "52", 13.78, 108.6, 120.25),
]
COMMUNES_LEGACY = [  # code, short name, district, province code, lat, lon
    ("03001", "Pa Ủ", "Mường Tè", "12", 22.62, 102.53),
    ("14001", "Yên Đồng", "Yên Mô", "37", 20.09, 105.94),
    ("14002", "Yên Thành", "Yên Mô", "37", 20.07, 105.96),
    ("14003", "Yên Thái", "Yên Mô", "37", 20.08, 105.97),
    ("13001", "Hải Hậu", "Hải Hậu", "36", 20.15, 106.27),
    ("23001", "Ya Ma", "Kông Chro", "64", 13.7, 108.55),
    ("23002", "Đắk Tơ Pang", "Kông Chro", "64", 13.72, 108.5),
    ("23003", "Kông Yang", "Kông Chro", "64", 13.75, 108.58),
    ("23004", "Chư Krey", "Kông Chro", "64", 13.78, 108.6),
]
LINEAGE = [  # legacy code, new code, relation, is_default
    ("03001", "10001", "unchanged", True),
    ("14001", "20001", "merged", True),
    ("14002", "20001", "merged", True),
    ("14003", "20001", "merged", True),
    ("13001", "20002", "unchanged", True),
    ("23001", "30001", "merged", True),
    ("23002", "30001", "merged", True),
    ("23003", "30001", "split", True),
    ("23003", "30002", "split", False),
    ("23004", "30002", "merged", True),
]


def _key(name: str) -> str:
    import unicodedata

    s = name.replace("Đ", "D").replace("đ", "d")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s.lower() if c.isalnum() and c.isascii())


def _admin_rows() -> list[tuple]:
    rows: list[tuple] = []
    for era, provs in (("2025", PROVINCES_2025), ("legacy", PROVINCES_LEGACY)):
        for code, full, short, lat, lon in provs:
            rows.append((era, "province", code, full, short, "Tỉnh", _key(full), _key(short),
                         code, full, None, None, lat, lon, None))
    p25 = {c: f for c, f, *_ in PROVINCES_2025}
    for code, short, pcode, lat, lon, area in COMMUNES_2025:
        full = f"Xã {short}"
        rows.append(("2025", "commune", code, full, short, "Xã", _key(full), _key(short), pcode,
                     p25[pcode], None, None, lat, lon, area))
    pl = {c: f for c, f, *_ in PROVINCES_LEGACY}
    for i, (code, short, district, pcode, lat, lon) in enumerate(COMMUNES_LEGACY):
        full = f"Xã {short}"
        rows.append(("legacy", "commune", code, full, short, "Xã", _key(full), _key(short),
                     pcode, pl[pcode], f"{pcode}{i:02d}", f"Huyện {district}", lat, lon, None))
    return rows


def _lineage_rows() -> list[tuple]:
    leg = {c: (s, d, p) for c, s, d, p, *_ in COMMUNES_LEGACY}
    new = {c: (s, p) for c, s, p, *_ in COMMUNES_2025}
    pl = {c: f for c, f, *_ in PROVINCES_LEGACY}
    p25 = {c: f for c, f, *_ in PROVINCES_2025}
    rows = []
    for lcode, ncode, relation, default in LINEAGE:
        ls, ld, lp = leg[lcode]
        ns, np_ = new[ncode]
        rows.append((lcode, f"Xã {ls}", f"Huyện {ld}", lp, pl[lp], ncode, f"Xã {ns}", np_,
                     p25[np_], relation, default))
    return rows


# ---------------------------------------------------------------- documents
DOC_MS = "aa00000000000001"
DOC_PL = "aa00000000000002"
DOC_ID = "aa00000000000003"
DOC_REJ = "aa00000000000004"
DOC_DUP = "aa00000000000005"

TEXT_MS = (
    "Meningkatkan keberkesanan jawatankuasa Parti akar umbi\n"
    "Selepas penggabungan, komune Pa U (Lai Chau) mempunyai hampir 400 ahli parti, "
    "beroperasi di 26 sel parti.\n"
    "Komune Dong Thai (Ninh Binh) bergabung daripada 3 komune: Yen Dong, Yen Thanh dan Yen Thai. "
    "Jawatankuasa Parti komune Dong Thai mempunyai 512 ahli parti dan 19 sel parti.\n"
    "Pada tahun 2023, komune Yen Dong mempunyai 180 ahli parti.\n"
    "Kadar sel parti yang diklasifikasikan sebagai bersih dan kuat mencapai 85,94% di wilayah "
    "Lai Chau.\n"
    "Wilayah Ninh Binh mencatat kadar pertumbuhan ekonomi tahunan sebanyak 7%.\n"
    "Rakan Tran Viet Anh, Timbalan Setiausaha Tetap Jawatankuasa Parti komune Pa U, berkata "
    "<semua> & \"penyelesaian\" berpunca daripada kader.\n"
)
TEXT_PL = (
    "Gmina Ya Ma po reorganizacji\n"
    "Gmina Ya Ma (Gia Lai) powstała z połączenia gmin Ya Ma i Dak To Pang. "
    "Komitet partyjny gminy Ya Ma liczy 230 członków partii w 12 komórkach partyjnych. "
    "Przed połączeniem gmina Kong Yang miała 95 członków partii. "
    "W gminie Na Hang (Tuyen Quang) działa 40 członków partii. "
    "Wskaźnik frekwencji na zebraniach komórek wyniósł 92,5%.\n"
)
TEXT_ID = (
    "Komune Pa U bersiap menghadapi penggabungan\n"
    "Komune Pa U, Lai Chau, memiliki 350 anggota Partai pada awal tahun ini. "
    "Komune Pa U dibentuk dari penggabungan komune Mu Ca dan Ka Lang. "
    "Komune Tan Hai dibentuk dari komune Tan Lap dan Tan Son.\n"
)

DOCS = [  # doc_id, file, status, reason, language, title, url, outlet, published, text
    (DOC_MS, "000_ms.txt", "ok", None, "ms", "Meningkatkan keberkesanan jawatankuasa Parti",
     "https://nhandan.vn/a-post1.html", "nhandan.vn", None, TEXT_MS),
    (DOC_PL, "001_pl.txt", "ok", None, "pl", "Gmina Ya Ma po reorganizacji",
     "https://baomoi.com/b-2.html", "baomoi.com", dt.date(2025, 9, 15), TEXT_PL),
    (DOC_ID, "002_id.txt", "ok", None, "id", "Komune Pa U bersiap menghadapi penggabungan",
     "https://tuoitre.vn/c-3.html", "tuoitre.vn", dt.date(2025, 3, 1), TEXT_ID),
    (DOC_REJ, "003_binary.txt", "rejected", "not a text file (binary content)", None, None,
     None, None, None, ""),
    (DOC_DUP, "004_copy.txt", "duplicate", "same text as 002_id.txt", "id",
     "Komune Pa U bersiap menghadapi penggabungan", "https://tuoitre.vn/c-3.html",
     "tuoitre.vn", dt.date(2025, 3, 1), TEXT_ID),
]

# ---------------------------------------------------------------- subjects
# subject_id, name, level, province, era, unit_code, unit_name, province_code, province_name,
# province_code_2025, province_name_2025, lat, lon, link_status, link_reason
SUBJECTS = [
    ("s_pau", "Pa U", "commune", "Lai Chau", "2025", "10001", "Xã Pa Ủ", "12", "Lai Châu", "12",
     "Lai Châu", 22.62, 102.53, "linked", "exact name in province"),
    ("s_dongthai", "Dong Thai", "commune", "Ninh Binh", "2025", "20001", "Xã Đồng Thái", "37",
     "Ninh Bình", "37", "Ninh Bình", 20.08, 105.95, "linked", "exact name in province"),
    ("s_yama", "Ya Ma", "commune", "Gia Lai", "2025", "30001", "Xã Ya Ma", "52", "Gia Lai", "52",
     "Gia Lai", 13.7, 108.55, "linked", "exact name in province"),
    ("s_yendong", "Yen Dong", "commune", "Ninh Binh", "legacy", "14001", "Xã Yên Đồng", "37",
     "Ninh Bình", "37", "Ninh Bình", 20.09, 105.94, "linked", "legacy unit"),
    ("s_kongyang", "Kong Yang", "commune", None, "legacy", "23003", "Xã Kông Yang", "64",
     "Gia Lai", "52", "Gia Lai", 13.75, 108.58, "linked", "unique legacy name"),
    ("s_laichau", "Lai Chau", "province", "Lai Chau", "2025", "12", "Tỉnh Lai Châu", "12",
     "Lai Châu", "12", "Lai Châu", 22.39, 103.46, "linked", "province"),
    ("s_ninhbinh", "Ninh Binh", "province", "Ninh Binh", "2025", "37", "Tỉnh Ninh Bình", "37",
     "Ninh Bình", "37", "Ninh Bình", 20.25, 105.97, "linked", "province"),
    ("s_nahang", "Na Hang", "commune", "Tuyen Quang", None, None, None, None, None, None, None,
     None, None, "not_found", "no such commune in Tuyen Quang"),
    ("s_hoabinh", "Hoa Binh", "village", None, None, None, None, None, None, None, None, None,
     None, "not_found", "villages are not in the gazetteer"),
    ("s_tanhai", "Tan Hai", "commune", None, None, None, None, None, None, None, None, None,
     None, "not_found", "no such commune"),
]
SUBJ = {s[0]: s for s in SUBJECTS}

# fact_id, doc, metric, unit, value, qualifier, period, period_start, period_end, subject,
# evidence, span shift (0 = correct span)
FACTS = [
    ("f01", DOC_MS, "party_members", "count", 400.0, "approx", None, None, None, "s_pau",
     "Selepas penggabungan, komune Pa U (Lai Chau) mempunyai hampir 400 ahli parti, "
     "beroperasi di 26 sel parti.", 0),
    ("f02", DOC_MS, "party_cells", "count", 26.0, "exact", None, None, None, "s_pau",
     "Selepas penggabungan, komune Pa U (Lai Chau) mempunyai hampir 400 ahli parti, "
     "beroperasi di 26 sel parti.", 0),
    ("f03", DOC_MS, "party_members", "count", 512.0, "exact", None, None, None, "s_dongthai",
     "Jawatankuasa Parti komune Dong Thai mempunyai 512 ahli parti dan 19 sel parti", 0),
    ("f04", DOC_MS, "party_cells", "count", 19.0, "exact", None, None, None, "s_dongthai",
     "19 sel parti", 0),
    ("f05", DOC_MS, "party_members", "count", 180.0, "exact", "2023", 2023, 2023, "s_yendong",
     "Pada tahun 2023, komune Yen Dong mempunyai 180 ahli parti.", 0),
    ("f06", DOC_MS, "cells_top_tier_rate", "percent", 85.94, "exact", None, None, None,
     "s_laichau", "Kadar sel parti yang diklasifikasikan sebagai bersih dan kuat mencapai 85,94%",
     0),
    ("f13", DOC_MS, "economic_growth_rate", "percent", 7.0, "exact", None, None, None,
     "s_ninhbinh", "kadar pertumbuhan ekonomi tahunan sebanyak 7%", 0),
    ("f07", DOC_PL, "party_members", "count", 230.0, "exact", None, None, None, "s_yama",
     "Komitet partyjny gminy Ya Ma liczy 230 członków partii", 0),
    ("f08", DOC_PL, "party_cells", "count", 12.0, "exact", None, None, None, "s_yama",
     "230 członków partii w 12 komórkach partyjnych", 0),
    ("f09", DOC_PL, "party_members", "count", 95.0, "exact", None, None, None, "s_kongyang",
     "Przed połączeniem gmina Kong Yang miała 95 członków partii.", 0),
    ("f10", DOC_PL, "party_members", "count", 40.0, "exact", None, None, None, "s_nahang",
     "W gminie Na Hang (Tuyen Quang) działa 40 członków partii.", 0),
    ("f11", DOC_PL, "cell_meeting_attendance_rate", "percent", 92.5, "exact", None, None, None,
     "s_hoabinh", "Wskaźnik frekwencji na zebraniach komórek wyniósł 92,5%.", 3),
    ("f12", DOC_ID, "party_members", "count", 350.0, "exact", None, None, None, "s_pau",
     "Komune Pa U, Lai Chau, memiliki 350 anggota Partai pada awal tahun ini.", 0),
]

# merger_id, doc, new unit subject, predecessors, evidence, status, official, matched
MERGERS = [
    ("m1", DOC_MS, "s_dongthai", ["Yen Dong", "Yen Thanh", "Yen Thai"],
     "Komune Dong Thai (Ninh Binh) bergabung daripada 3 komune: Yen Dong, Yen Thanh dan Yen Thai.",
     "agrees", ["Xã Yên Đồng", "Xã Yên Thành", "Xã Yên Thái"], 3),
    ("m2", DOC_PL, "s_yama", ["Ya Ma", "Dak To Pang"],
     "Gmina Ya Ma (Gia Lai) powstała z połączenia gmin Ya Ma i Dak To Pang.",
     "partial", ["Xã Ya Ma", "Xã Đắk Tơ Pang", "Xã Kông Yang"], 2),
    ("m3", DOC_ID, "s_pau", ["Mu Ca", "Ka Lang"],
     "Komune Pa U dibentuk dari penggabungan komune Mu Ca dan Ka Lang.",
     "disagrees", ["Xã Pa Ủ"], 0),
    ("m4", DOC_ID, "s_tanhai", ["Tan Lap", "Tan Son"],
     "Komune Tan Hai dibentuk dari komune Tan Lap dan Tan Son.", "unresolved", None, 0),
]

PEOPLE = [  # person_id, doc, name, role, title, org subject, evidence
    ("p1", DOC_MS, "Tran Viet Anh", "permanent deputy secretary",
     "Timbalan Setiausaha Tetap Jawatankuasa Parti", "s_pau",
     "Rakan Tran Viet Anh, Timbalan Setiausaha Tetap Jawatankuasa Parti komune Pa U"),
]

TEXTS = {d[0]: d[9] for d in DOCS}


def _span(doc_id: str, evidence: str) -> tuple[int, int]:
    start = TEXTS[doc_id].index(evidence)
    return start, start + len(evidence)


def expected_fact_counts() -> dict[str, int]:
    """Facts per document (documents without facts are absent)."""
    out: dict[str, int] = {}
    for f in FACTS:
        out[f[1]] = out.get(f[1], 0) + 1
    return out


def build_synthetic_warehouse(path: Path | str, *, marts: bool = True) -> Path:
    """Write the synthetic warehouse to `path` (replacing it) and build the out_* marts."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        con.executemany(
            "INSERT INTO admin_units VALUES (" + ",".join(["?"] * 15) + ")", _admin_rows()
        )
        con.executemany(
            "INSERT INTO unit_lineage VALUES (" + ",".join(["?"] * 11) + ")", _lineage_rows()
        )
        con.executemany("INSERT INTO subjects VALUES (" + ",".join(["?"] * 15) + ")", SUBJECTS)

        counts = {d[0]: [0, 0, 0] for d in DOCS}
        lang = {d[0]: d[4] for d in DOCS}
        for fid, doc, metric, unit, value, qual, period, p0, p1, sid, ev, shift in FACTS:
            s, e = _span(doc, ev)
            s, e = s + shift, e + shift
            subj = SUBJ[sid]
            con.execute(
                "INSERT INTO facts VALUES (" + ",".join(["?"] * 19) + ")",
                [fid, doc, metric, unit, value, qual, None, period, p0, p1, sid, subj[1],
                 subj[2], subj[3], ev, s, e, 0.9, lang[doc]],
            )
            counts[doc][0] += 1
        for mid, doc, sid, preds, ev, status, official, matched in MERGERS:
            s, e = _span(doc, ev)
            subj = SUBJ[sid]
            con.execute(
                "INSERT INTO mergers VALUES (" + ",".join(["?"] * 15) + ")",
                [mid, doc, sid, subj[1], subj[2], subj[3], preds, len(preds), ev, s, e, 0.8,
                 status, official, matched],
            )
            counts[doc][1] += 1
        for pid, doc, name, role, title, sid, ev in PEOPLE:
            s, e = _span(doc, ev)
            subj = SUBJ[sid]
            con.execute(
                "INSERT INTO people VALUES (" + ",".join(["?"] * 13) + ")",
                [pid, doc, name, role, title, sid, subj[1], subj[2], subj[3], ev, s, e, 0.7],
            )
            counts[doc][2] += 1
        for doc_id, fname, status, reason, lang_, title, url, outlet, pub, text in DOCS:
            con.execute(
                "INSERT INTO documents VALUES (" + ",".join(["?"] * 22) + ")",
                [doc_id, doc_id, fname, f"/data/articles/{fname}", status, reason,
                 "0" * 64, len(text.encode()), "utf-8" if text else None, lang_,
                 0.95 if lang_ else 0.0, title, url, outlet, pub, text, len(text),
                 *counts[doc_id], "synthetic-1", dt.datetime(2025, 10, 1, 12, 0)],
            )
        if marts:
            build_marts(con)
    finally:
        con.close()
    return path


def mart_files() -> list[Path]:
    return sorted(SQL_DIR.glob("out_*.sql"))


def build_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Run every mart file as `CREATE OR REPLACE TABLE out_x AS <select>` (the publish convention)."""
    names = []
    for sql_file in mart_files():
        name = sql_file.stem
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql_file.read_text(encoding='utf-8')}")
        names.append(name)
    return names
