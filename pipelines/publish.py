"""Parquet parts + gazetteer -> one DuckDB file, published atomically. The only DuckDB writer.

Why a new file every time: DuckDB allows one writing process and then no other process may open
the file, so we never open the live warehouse for writing. A publish builds
`<warehouse>.tmp-<pid>` next to the target (same filesystem), checkpoints and closes it, fsyncs it
and `os.replace`s it over the target. Readers that hold the old file open keep reading the old
inode; a publish killed or failed at any point leaves the previous warehouse whole (the stale temp
file is removed by the next publish).

Incremental: the new file starts as a copy of the previous warehouse, which records the state
(folder mtime) of every shard its rows come from (`_publish_state`); only the rows of shards whose
folder changed since are deleted and read again from their Parquet parts (see `_replace_shards`),
and the doc_ids whose rows were replaced are listed in `_publish_changes`. Work that does not grow
with the change is not redone: `subjects` is redone only for the subject ids those articles touch
(from `_subject_rows`, one row per article and subject), the gazetteer tables are kept while their
files are unchanged, and per-document marts (below) are updated in place; the aggregate marts,
views and `meta` are rebuilt. A first load, many changed shards, a new layout or every
FULL_REBUILD_EVERY-th publish builds from empty instead. The parts are read directly
(`read_parquet`, column-pruned), so no other database sits between the parts and the warehouse.
Concurrent publishers are serialized by an advisory `flock` on `<warehouse>.lock`, on top of
Dagster's pool, so `make run` and the UI can coexist.

Marts: every `warehouse/sql/out_*.sql` runs in name order after the core tables exist. Convention:
a file holds one query (`SELECT ...` or `WITH ... SELECT ...`, trailing `;` allowed) and becomes
`CREATE TABLE <file stem> AS <query>`; a file that starts with `CREATE` is executed verbatim as its
own DDL instead. Marts can read earlier marts. A failing mart fails the publish (old warehouse kept).
A one-query mart whose every row belongs to one document, computed from that document's rows of
`documents`, `facts`, `mergers` and `people` plus `subjects` and the gazetteer (never from another
mart), may say so in its header with a line `-- per document: doc_id` (its doc_id column). An
incremental publish then deletes the rows of the changed documents and inserts what the query
gives with those four tables restricted to the changed documents (`_changed_documents_only`),
instead of recomputing every row; the mart's SQL and the gazetteer's digest are recorded
(`_derived_state`), and a changed file or gazetteer rebuilds the mart whole.

Duplicates: documents with the same `doc_id` (same normalized text) under several files keep one
row each; the first file in name order is canonical, the others get status `duplicate` and a
reason naming it, and only the canonical article's facts, mergers, people and subjects load.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from pipelines import settings

SQL_DIR = settings.PROJECT_ROOT / "warehouse" / "sql"
#: Test hook: seconds to sleep in the middle of a build (after the core tables, before marts).
SLEEP_ENV = "VN_PARTY_PUBLISH_SLEEP"

TABLE_DDL: dict[str, str] = {
    "documents": """
        doc_id VARCHAR, partition_key VARCHAR, article_key VARCHAR, file_name VARCHAR,
        path VARCHAR, status VARCHAR,
        reason VARCHAR, content_hash VARCHAR, n_bytes BIGINT, encoding VARCHAR, language VARCHAR,
        language_confidence DOUBLE, title VARCHAR, source_url VARCHAR, outlet VARCHAR,
        published DATE, text VARCHAR, n_chars BIGINT, n_facts BIGINT, n_mergers BIGINT,
        n_people BIGINT, extractor_version VARCHAR, extracted_at TIMESTAMP""",
    "facts": """
        fact_id VARCHAR, doc_id VARCHAR, metric VARCHAR, unit VARCHAR, value DOUBLE,
        qualifier VARCHAR, target DOUBLE, period VARCHAR, period_start INTEGER,
        period_end INTEGER, subject_id VARCHAR, subject_name VARCHAR, subject_level VARCHAR,
        subject_province VARCHAR, evidence VARCHAR, span_start BIGINT, span_end BIGINT,
        confidence DOUBLE, language VARCHAR""",
    "mergers": """
        merger_id VARCHAR, doc_id VARCHAR, new_unit_id VARCHAR, new_unit_name VARCHAR,
        new_unit_level VARCHAR, new_unit_province VARCHAR, predecessors VARCHAR[],
        n_predecessors INTEGER, evidence VARCHAR, span_start BIGINT, span_end BIGINT,
        confidence DOUBLE, lineage_status VARCHAR, lineage_official VARCHAR[],
        lineage_matched INTEGER""",
    "people": """
        person_id VARCHAR, doc_id VARCHAR, name VARCHAR, role VARCHAR, title VARCHAR,
        org_subject_id VARCHAR, org_name VARCHAR, org_level VARCHAR, org_province VARCHAR,
        evidence VARCHAR, span_start BIGINT, span_end BIGINT, confidence DOUBLE""",
    "subjects": """
        subject_id VARCHAR, name VARCHAR, level VARCHAR, province VARCHAR, era VARCHAR,
        unit_code VARCHAR, unit_name VARCHAR, province_code VARCHAR, province_name VARCHAR,
        province_code_2025 VARCHAR, province_name_2025 VARCHAR, lat DOUBLE, lon DOUBLE,
        link_status VARCHAR, link_reason VARCHAR""",
}


#: DuckDB memory cap for the publish connection (it spills to disk past it), so a
#: publish of a large corpus stays within the pipeline's memory budget; `VN_PARTY_DUCKDB_MEMORY`.
MEMORY_ENV = "VN_PARTY_DUCKDB_MEMORY"
DEFAULT_MEMORY = "1GB"


def _writer(path: Path) -> duckdb.DuckDBPyConnection:
    """A writing connection with the memory cap (the only way this module opens one)."""
    con = duckdb.connect(str(path))
    con.execute("SET memory_limit = ?", [os.environ.get(MEMORY_ENV, DEFAULT_MEMORY)])
    con.execute("SET enable_progress_bar = false")  # no progress bars in the run's output
    return con


def _columns(table: str) -> list[str]:
    return [c.strip().split()[0] for c in TABLE_DDL[table].split(",") if c.strip()]


@dataclass
class PublishResult:
    path: Path
    counts: dict[str, int]
    marts: list[str]
    seconds: float
    partitions: int
    meta: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase and per mart


@contextmanager
def _timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds spent inside to `timings[name]` (shown with the warehouse asset)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - t0, 3)


@contextmanager
def _publish_lock(target: Path) -> Iterator[None]:
    lock_path = target.with_name(target.name + ".lock")
    with lock_path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


#: what earlier versions kept beside the parts; removed on sight
LEGACY_STAGING = "_staging.duckdb"


def _sql_list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def scan_parts(parts_dir: Path) -> dict[str, int]:
    """Shard folder -> its mtime (ns). Replacing a part file renames into the folder, which
    moves the folder's mtime: a changed mtime is a re-run shard."""
    found: dict[str, int] = {}
    if not parts_dir.is_dir():
        return found
    with os.scandir(parts_dir) as it:
        for e in it:
            if e.is_dir(follow_symlinks=False) and not e.name.startswith((".", "_")):
                found[e.name] = e.stat(follow_symlinks=False).st_mtime_ns
    return found


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Tables of the connection's own database (not of attached ones)."""
    return {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'main' AND table_catalog = current_database()"
        ).fetchall()
    }


def _part_source(parts_dir: Path, shards: Iterable[str], table: str, columns: str = "*") -> str | None:
    """A `read_parquet` over the `table` part of each shard that has one, or None."""
    files = [str(parts_dir / k / f"{table}.parquet") for k in sorted(shards)]
    files = [f for f in files if os.path.exists(f)]
    if not files:
        return None
    return f"(SELECT {columns} FROM read_parquet({_sql_list(files)}, union_by_name = true))"


def stored_state(parts_dir: Path) -> dict[str, tuple[str | None, str | None, str | None]]:
    """Article key -> (content hash, reader version, extractor version) of what the parts hold.

    Used by `python -m pipelines run` to run only the shards with new, changed or deleted files.
    Reads four small columns of every shard's parts (Parquet column pruning: no text is read)."""
    shards = scan_parts(parts_dir)
    docs = _part_source(parts_dir, shards, "documents")
    if docs is None:
        return {}
    ex = _part_source(parts_dir, shards, "extraction")
    con = duckdb.connect()
    try:
        cols = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {docs}").fetchall()}
        if not {"article_key", "reader_version"} <= cols:
            return {}  # parts of an older layout: everything is stale
        version, join = "NULL", ""
        if ex is not None:
            version = "x.extractor_version"
            join = f"LEFT JOIN {ex} x ON x.article_key = d.article_key"
        rows = con.execute(
            f"SELECT d.article_key, d.content_hash, d.reader_version, {version} FROM {docs} d {join}"
        ).fetchall()
        return {k: (h, r, v) for k, h, r, v in rows}
    finally:
        con.close()


#: bump when TABLE_DDL or the build below changes: an older warehouse is then rebuilt whole
LAYOUT_VERSION = "5"
#: table in the warehouse recording which state (folder mtime) of each shard its rows come from
STATE_TABLE = "_publish_state"
#: the subjects of every canonical article, one row per (article, subject): `subjects` is their
#: distinct rows, so an incremental publish redoes only the subject ids its articles touch
SUBJECT_ROWS_TABLE = "_subject_rows"
#: the doc_ids whose rows this publish replaced (every doc_id on a full build): incremental
#: checks and per-document marts redo only these
CHANGES_TABLE = "_publish_changes"
#: table name -> digest of what built it (SQL file, gazetteer files), for the derived tables an
#: incremental publish keeps: the per-document marts and the gazetteer tables
DERIVED_STATE_TABLE = "_derived_state"
#: hidden tables an incremental publish keeps from the previous warehouse
KEPT_TABLES = {STATE_TABLE, SUBJECT_ROWS_TABLE, DERIVED_STATE_TABLE}
#: an incremental publish is refused (full rebuild instead) past this many changed shards (a
#: quarter of `inputs.SHARDS`: a first load or a re-extraction of everything) or after this many
#: incremental publishes in a row (deleted rows leave holes that a rebuild compacts)
FULL_REBUILD_SHARDS = 16
FULL_REBUILD_EVERY = 20


@dataclass
class BuildPlan:
    """Which shards a publish must reload into a copy of the previous warehouse."""

    incremental: bool
    changed: list[str]  # shards whose rows are deleted and reloaded
    n_shards: int
    generation: int  # incremental publishes since the last full build
    previous_build: str | None = None  # build_id of the warehouse copied (incremental only)
    #: derived table -> digest of what built it, for those the previous warehouse holds
    previous_derived: dict[str, str] = field(default_factory=dict)


def _plan(previous: Path, current: dict[str, int], incremental: bool) -> BuildPlan:
    """Compare the shard folders now (shard -> mtime) with the state the previous warehouse
    records (read-only), before anything is copied: a full build copies nothing."""
    everything = BuildPlan(False, sorted(current), len(current), 0)
    if not incremental or not previous.exists():
        return everything
    try:
        with duckdb.connect(str(previous), read_only=True) as con:
            if not {STATE_TABLE, "meta"} <= _tables(con):
                return everything
            layout, generation, build_id = con.execute(
                "SELECT layout_version, generation, build_id FROM meta"
            ).fetchone()
            built = dict(con.execute(f"SELECT shard, mtime_ns FROM {STATE_TABLE}").fetchall())
            tables = _tables(con)
            derived: dict[str, str] = {}
            if DERIVED_STATE_TABLE in tables:
                rows = con.execute(f"SELECT name, digest FROM {DERIVED_STATE_TABLE}").fetchall()
                derived = {name: digest for name, digest in rows if name in tables}
    except duckdb.Error:  # an older meta without these columns, or a damaged file
        return everything
    if layout != LAYOUT_VERSION or generation >= FULL_REBUILD_EVERY:
        return everything
    changed = sorted(k for k in set(current) | set(built) if current.get(k) != built.get(k))
    if len(changed) > FULL_REBUILD_SHARDS:
        return everything
    return BuildPlan(True, changed, len(current), generation + 1, build_id, derived)


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLE_DDL:
        con.execute(f"CREATE TABLE {table} ({TABLE_DDL[table]})")
    con.execute(f"CREATE TABLE {STATE_TABLE} (shard VARCHAR, mtime_ns BIGINT)")
    con.execute(f"CREATE TABLE {SUBJECT_ROWS_TABLE} (article_key VARCHAR, {TABLE_DDL['subjects']})")
    con.execute(f"CREATE TABLE {DERIVED_STATE_TABLE} (name VARCHAR, digest VARCHAR)")


def _drop_derived(con: duckdb.DuckDBPyConnection, keep: set[str] = frozenset()) -> None:
    """Drop what every publish rebuilds from the core tables: marts (except `keep`, the
    per-document marts updated in place), views, meta, gazetteer."""
    for name, kind in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables"
        " WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall():
        if name in TABLE_DDL or name in KEPT_TABLES or name in keep:
            continue
        con.execute(f'DROP {"VIEW" if kind == "VIEW" else "TABLE"} "{name}"')


def _load_parts(
    con: duckdb.DuckDBPyConnection,
    parts_dir: Path,
    plan: BuildPlan,
    current: dict[str, int],
    keep: set[str] = frozenset(),
) -> None:
    """Bring the core tables in line with the shard folders `current`, as `plan` says: a copy
    of the previous warehouse loses its derived tables (but the marts in `keep`), a new (empty)
    file gets the core ones."""
    if plan.incremental:
        _drop_derived(con, keep)
    else:
        _create_tables(con)
    _replace_shards(con, parts_dir, plan.changed, current)
    con.execute(f"DELETE FROM {STATE_TABLE} WHERE list_contains($c, shard)", {"c": plan.changed})
    fresh = [[k, current[k]] for k in plan.changed if k in current]
    if fresh:
        con.executemany(f"INSERT INTO {STATE_TABLE} VALUES (?, ?)", fresh)


def _replace_shards(
    con: duckdb.DuckDBPyConnection, parts_dir: Path, changed: list[str], current: dict[str, int]
) -> None:
    """Replace the rows of the `changed` shards (all of them on a full build) by their parts.

    Rows are inserted in shard order, so one shard's rows sit together: replacing a shard later
    touches few of the tables' row groups, and the checkpoint rewrites little (rows of one
    shard spread over every row group made each checkpoint rewrite all of them, 0.5-3 s at
    100,000 articles).

    Duplicates are decided over the whole corpus: the canonical file of a text is the first in
    name order, so a change in one shard can turn a file of another shard into (or out of) a
    duplicate. Every document sharing a `doc_id` with a changed shard is therefore redone too,
    from its own shard's parts (the warehouse keeps only the decided status and reason)."""
    live = [k for k in changed if k in current]
    con.execute("CREATE OR REPLACE TEMP TABLE _changed AS SELECT unnest($c::VARCHAR[]) AS k", {"c": changed})
    new_docs = _part_source(parts_dir, live, "documents", "doc_id")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _affected AS "
        "SELECT doc_id FROM documents WHERE partition_key IN (SELECT k FROM _changed)"
        + (f" UNION SELECT doc_id FROM {new_docs}" if new_docs else "")
    )
    # shards to read: the changed ones, and those holding another copy of an affected text
    involved = set(live) | {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT partition_key FROM documents WHERE doc_id IN (SELECT doc_id FROM _affected)"
        ).fetchall()
        if r[0] in current
    }
    redo = "(partition_key IN (SELECT k FROM _changed) OR doc_id IN (SELECT doc_id FROM _affected))"
    con.execute(
        f"CREATE OR REPLACE TABLE {CHANGES_TABLE} AS"
        " SELECT DISTINCT doc_id FROM _affected WHERE doc_id IS NOT NULL"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _gone AS "
        f"SELECT article_key FROM documents WHERE {redo} AND status = 'ok'"
    )
    con.execute(f"DELETE FROM documents WHERE {redo}")
    for table in ("facts", "mergers", "people"):
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _affected)")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _touched AS "
        f"SELECT DISTINCT subject_id FROM {SUBJECT_ROWS_TABLE} WHERE article_key IN (SELECT article_key FROM _gone)"
    )
    con.execute(f"DELETE FROM {SUBJECT_ROWS_TABLE} WHERE article_key IN (SELECT article_key FROM _gone)")
    docs = _part_source(parts_dir, involved, "documents")
    if docs is None:
        _update_subjects(con)
        return
    con.execute(f"CREATE OR REPLACE TEMP TABLE _docs AS SELECT * FROM {docs} WHERE {redo}")
    # canonical article per touched text: first file name among readable documents
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _canon AS
           SELECT doc_id, min(file_name) AS first_file, arg_min(article_key, file_name) AS canonical_key,
                  arg_min(partition_key, file_name) AS canonical_shard
           FROM _docs WHERE status = 'ok' GROUP BY doc_id"""
    )
    ex = _part_source(parts_dir, involved, "extraction")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _ex AS "
        + (
            f"SELECT x.* FROM {ex} x SEMI JOIN _docs d ON x.article_key = d.article_key"
            if ex
            else "SELECT NULL::VARCHAR AS article_key, NULL::VARCHAR AS doc_id, 0 AS n_facts,"
            " 0 AS n_mergers, 0 AS n_people, NULL::VARCHAR AS extractor_version,"
            " NULL::TIMESTAMP AS extracted_at, NULL::VARCHAR AS error WHERE false"
        )
    )
    con.execute(
        """INSERT INTO documents
           SELECT d.doc_id, d.partition_key, d.article_key, d.file_name, d.path,
                  CASE WHEN d.status = 'ok' AND c.canonical_key <> d.article_key THEN 'duplicate'
                       WHEN d.status = 'ok' AND x.error IS NOT NULL THEN 'error'
                       ELSE d.status END,
                  CASE WHEN d.status = 'ok' AND c.canonical_key <> d.article_key
                            THEN 'same text as ' || c.first_file
                       WHEN d.status = 'ok' AND x.error IS NOT NULL THEN 'extraction failed: ' || x.error
                       ELSE d.reason END,
                  d.content_hash, d.n_bytes, d.encoding, d.language, d.language_confidence, d.title,
                  d.source_url, d.outlet, try_cast(d.published AS DATE), d.text, d.n_chars,
                  CASE WHEN c.canonical_key = d.article_key THEN coalesce(x.n_facts, 0) ELSE 0 END,
                  CASE WHEN c.canonical_key = d.article_key THEN coalesce(x.n_mergers, 0) ELSE 0 END,
                  CASE WHEN c.canonical_key = d.article_key THEN coalesce(x.n_people, 0) ELSE 0 END,
                  x.extractor_version, x.extracted_at
           FROM _docs d
           LEFT JOIN _canon c USING (doc_id)
           LEFT JOIN _ex x ON x.article_key = d.article_key AND x.doc_id = d.doc_id
           ORDER BY d.partition_key, d.file_name"""
    )
    for table in ("facts", "mergers", "people"):
        src = _part_source(parts_dir, involved, table)
        if src is None:
            continue
        cols = ", ".join(f"p.{c}" for c in _columns(table))
        con.execute(
            f"""INSERT INTO {table}
                SELECT {cols} FROM {src} p
                JOIN _canon c ON c.canonical_key = p.article_key AND c.doc_id = p.doc_id
                ORDER BY c.canonical_shard"""
        )
    src = _part_source(parts_dir, involved, "subjects")
    if src is not None:
        cols = ", ".join("s." + c for c in ["article_key", *_columns("subjects")])
        con.execute(
            f"""INSERT INTO {SUBJECT_ROWS_TABLE}
                SELECT {cols} FROM {src} s
                JOIN _docs n ON n.article_key = s.article_key
                SEMI JOIN documents d ON d.article_key = s.article_key AND d.status = 'ok'
                ORDER BY n.partition_key"""
        )
        con.execute(
            "INSERT INTO _touched SELECT DISTINCT s.subject_id FROM "
            f"{SUBJECT_ROWS_TABLE} s SEMI JOIN _docs n ON n.article_key = s.article_key"
        )
    _update_subjects(con)


def _update_subjects(con: duckdb.DuckDBPyConnection) -> None:
    """`subjects` = one row per subject id of the canonical articles' subject rows; only the
    ids whose rows changed (`_touched`) are redone. A linked row wins; the name breaks ties (the
    rows of one id differ only in how the name was written), so an incremental publish and a
    full build pick the same row."""
    cols = _columns("subjects")
    con.execute("DELETE FROM subjects WHERE subject_id IN (SELECT subject_id FROM _touched)")
    con.execute(
        f"""INSERT INTO subjects
            SELECT DISTINCT ON (subject_id) {", ".join(cols)}
            FROM {SUBJECT_ROWS_TABLE}
            WHERE subject_id IN (SELECT subject_id FROM _touched)
            ORDER BY subject_id, unit_code NULLS LAST, name"""
    )


def _gazetteer_files(gazetteer_dir: Path | None) -> dict[str, Path | None]:
    files = {t: gazetteer_dir / f"{t}.parquet" if gazetteer_dir else None for t in settings.GAZETTEER_TABLES}
    return {t: p if p is not None and p.exists() else None for t, p in files.items()}


def _gazetteer_digest(gazetteer_dir: Path | None) -> str:
    """sha1 of the gazetteer's Parquet files (about 0.6 MB): the tables and every per-document
    mart (which reads them) are rebuilt whole when it changes."""
    h = hashlib.sha1()
    for table, path in _gazetteer_files(gazetteer_dir).items():
        h.update(table.encode() + (path.read_bytes() if path else b"-"))
    return h.hexdigest()


def _load_gazetteer(
    con: duckdb.DuckDBPyConnection, gazetteer_dir: Path | None, kept: set[str] = frozenset()
) -> None:
    for table, path in _gazetteer_files(gazetteer_dir).items():
        if table in kept:
            continue
        if path is not None:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{path}')")
        elif table == "admin_units":
            con.execute(
                "CREATE TABLE admin_units (era VARCHAR, level VARCHAR, code VARCHAR, name VARCHAR,"
                " short_name VARCHAR, unit_type VARCHAR, key VARCHAR, short_key VARCHAR,"
                " province_code VARCHAR, province_name VARCHAR, district_code VARCHAR,"
                " district_name VARCHAR, lat DOUBLE, lon DOUBLE, area_km2 DOUBLE)"
            )
        else:
            con.execute(
                "CREATE TABLE unit_lineage (legacy_code VARCHAR, legacy_name VARCHAR,"
                " legacy_district VARCHAR, legacy_province_code VARCHAR, legacy_province VARCHAR,"
                " new_code VARCHAR, new_name VARCHAR, new_province_code VARCHAR, new_province VARCHAR,"
                " relation VARCHAR, is_default BOOLEAN)"
            )


def mart_files(sql_dir: Path) -> list[Path]:
    return sorted(sql_dir.glob("out_*.sql")) if sql_dir.is_dir() else []


#: the header line that declares a per-document mart: `-- per document: <column>`
_PER_DOCUMENT = re.compile(r"^--\s*per document:\s*(\w+)\s*$", re.M)


@dataclass(frozen=True)
class Mart:
    """One `out_*.sql` file: its table name, query text, digest and per-document key column."""

    name: str
    statements: list[str]  # the file's own DDL; empty when the file is one query
    query: str | None  # the file's one SELECT (or WITH ... SELECT), without its `;`
    digest: str
    per_document: str | None  # the doc_id column when every row belongs to one document

    @classmethod
    def read(cls, path: Path, gazetteer_digest: str, parser: duckdb.DuckDBPyConnection) -> Mart:
        """Parse the file once: one query, or DDL statements run as they are."""
        sql = path.read_text(encoding="utf-8")
        parsed = parser.extract_statements(sql)
        query = None
        if len(parsed) == 1 and parsed[0].type == duckdb.StatementType.SELECT:
            query = parsed[0].query.strip().rstrip(";")
        m = _PER_DOCUMENT.search(sql)
        digest = hashlib.sha1((sql + gazetteer_digest).encode()).hexdigest()
        # only one query can be restricted to the changed documents; DDL files are rebuilt
        per_document = m.group(1) if m and query is not None else None
        return cls(path.stem, [] if query else [st.query for st in parsed], query, digest, per_document)


def _keepable(marts: list[Mart], gazetteer_digest: str) -> dict[str, str]:
    """What an incremental publish may keep, with the digest it must have been built from."""
    state = {m.name: m.digest for m in marts if m.per_document}
    return state | dict.fromkeys(settings.GAZETTEER_TABLES, gazetteer_digest)


def _kept_tables(wanted: dict[str, str], plan: BuildPlan) -> set[str]:
    """Derived tables an incremental publish keeps from the previous warehouse: those it built
    from the same digest (`_derived_state`, read by `_plan`). Per-document marts are then
    updated in place."""
    if not plan.incremental:
        return set()
    return {n for n, d in wanted.items() if plan.previous_derived.get(n) == d}


#: the tables whose rows belong to one document (doc_id); see `_changed_documents_only`
PER_DOCUMENT_TABLES = ("documents", "facts", "mergers", "people")


@contextmanager
def _changed_documents_only(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """While inside, `documents`, `facts`, `mergers` and `people` name temporary views holding
    only the rows of the documents this publish changed (temporary objects shadow the
    database's own). A per-document mart's query then computes just those documents' rows,
    which is exact because each of its rows depends on one document's rows only (plus the
    subjects and gazetteer tables, which are not restricted)."""
    db = con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
    for t in PER_DOCUMENT_TABLES:
        con.execute(
            f'CREATE TEMP VIEW {t} AS SELECT * FROM "{db}".main.{t}'
            f' WHERE doc_id IN (SELECT doc_id FROM "{db}".main.{CHANGES_TABLE})'
        )
    try:
        yield
    finally:
        for t in PER_DOCUMENT_TABLES:
            con.execute(f"DROP VIEW IF EXISTS temp.main.{t}")


def _run_marts(
    con: duckdb.DuckDBPyConnection,
    marts: list[Mart],
    kept: set[str],
    timings: dict[str, float],
) -> list[str]:
    """Build every mart in name order; a kept per-document mart only has the rows of the
    documents this publish changed (`_publish_changes`) deleted and computed again."""
    built = []
    for mart in marts:
        with _timed(timings, mart.name):
            _run_mart(con, mart, mart.name in kept)
        built.append(mart.name)
    return built


def _run_mart(con: duckdb.DuckDBPyConnection, mart: Mart, kept: bool) -> None:
    """One mart: `CREATE TABLE AS` its query, or (kept) redo only the changed documents' rows."""
    if mart.query is None:
        for statement in mart.statements:  # the file's own DDL (never kept, see `Mart.read`)
            con.execute(statement)
        return
    if not kept:
        con.execute(f'CREATE TABLE "{mart.name}" AS {mart.query}\n')
        return
    con.execute(
        f'DELETE FROM "{mart.name}" WHERE "{mart.per_document}" IN (SELECT doc_id FROM {CHANGES_TABLE})'
    )
    with _changed_documents_only(con):
        con.execute(f'INSERT INTO "{mart.name}" {mart.query}\n')


def _record_derived(con: duckdb.DuckDBPyConnection, state: dict[str, str]) -> None:
    """Remember what built the keepable derived tables, for the next publish's `_kept_tables`."""
    con.execute(f"DELETE FROM {DERIVED_STATE_TABLE}")
    tables = _tables(con)
    rows = [[name, digest] for name, digest in state.items() if name in tables]
    if rows:
        con.executemany(f"INSERT INTO {DERIVED_STATE_TABLE} VALUES (?, ?)", rows)


def _table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            " AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY table_name"
        ).fetchall()
    ]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def publish(
    parts_dir: Path | None = None,
    target: Path | None = None,
    *,
    gazetteer_dir: Path | None = None,
    sql_dir: Path | None = None,
    keys: Iterable[str] | None = None,
    meta: Mapping[str, Any] | None = None,
    incremental: bool = True,
) -> PublishResult:
    """Build the warehouse from the parts of `keys` (all shard folders when None) and swap it in.

    Incremental by default: a copy of the previous warehouse gets only the rows of the shards
    whose parts changed since it was built replaced (see `_plan` for when a full build is done
    instead); marts, the gazetteer, views and `meta` are rebuilt every time. `incremental=False`
    builds from empty. Either way the result is a new file swapped in whole."""
    t0 = time.perf_counter()
    parts_dir = Path(parts_dir or settings.parts_dir())
    target = Path(target or settings.warehouse_path())
    sql_dir = Path(sql_dir or SQL_DIR)
    if gazetteer_dir is None:
        gazetteer_dir = parts_dir / "_gazetteer"
    key_set = set(keys) if keys is not None else None
    timings: dict[str, float] = {}
    target.parent.mkdir(parents=True, exist_ok=True)
    with _publish_lock(target):
        for stale in target.parent.glob(f"{target.name}.tmp-*"):
            stale.unlink(missing_ok=True)  # left by a killed publish; we hold the lock
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
        try:
            (parts_dir / LEGACY_STAGING).unlink(missing_ok=True)
            current = {
                k: m for k, m in scan_parts(parts_dir).items() if key_set is None or k in key_set
            }
            with _timed(timings, "plan"), duckdb.connect() as parser:
                plan = _plan(target, current, incremental)
                gazetteer_digest = _gazetteer_digest(gazetteer_dir)
                marts = [Mart.read(p, gazetteer_digest, parser) for p in mart_files(sql_dir)]
                keepable = _keepable(marts, gazetteer_digest)
                kept = _kept_tables(keepable, plan)
            if plan.incremental:  # start from the previous warehouse; only changed shards are redone
                with _timed(timings, "copy previous"):
                    shutil.copyfile(target, tmp)
            con = _writer(tmp)
            try:
                with _timed(timings, "core tables"):
                    _load_parts(con, parts_dir, plan, current, kept)
                with _timed(timings, "gazetteer"):
                    _load_gazetteer(con, gazetteer_dir, kept)
                con.execute(
                    "CREATE VIEW rejected_files AS SELECT * FROM documents WHERE status <> 'ok'"
                )
                if os.environ.get(SLEEP_ENV):
                    time.sleep(float(os.environ[SLEEP_ENV]))
                built = _run_marts(con, marts, kept, timings)
                _record_derived(con, keepable)
                counts = _table_counts(con)
                meta_row = {
                    "built_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
                    "n_documents": counts.get("documents", 0),
                    "n_facts": counts.get("facts", 0),
                    "n_mergers": counts.get("mergers", 0),
                    "n_people": counts.get("people", 0),
                    "n_partitions": plan.n_shards,
                    "marts": ",".join(built),
                    "layout_version": LAYOUT_VERSION,
                    "build": "incremental" if plan.incremental else "full",
                    "n_shards_rebuilt": len(plan.changed),
                    "kept_in_place": ",".join(sorted(kept)),
                    "generation": plan.generation,
                    "build_id": uuid.uuid4().hex,
                    "previous_build_id": plan.previous_build or "",
                    **{
                        k: (v if isinstance(v, (int, float)) else str(v))
                        for k, v in (meta or {}).items()
                    },
                }
                _create_meta(con, meta_row)
                counts["meta"] = 1
                with _timed(timings, "checkpoint"):
                    con.execute("CHECKPOINT")
            finally:
                con.close()
            with _timed(timings, "fsync"), tmp.open("rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            dir_fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        finally:
            tmp.unlink(missing_ok=True)
            tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    return PublishResult(
        path=target,
        counts=counts,
        marts=built,
        seconds=time.perf_counter() - t0,
        partitions=meta_row["n_partitions"],
        meta=meta_row,
        timings=timings,
    )


def _create_meta(con: duckdb.DuckDBPyConnection, row: Mapping[str, Any]) -> None:
    cols, vals = [], []
    for k, v in row.items():
        typ = (
            "BIGINT"
            if isinstance(v, int) and not isinstance(v, bool)
            else "DOUBLE"
            if isinstance(v, float)
            else "VARCHAR"
        )
        cols.append(f'"{k}" {typ}')
        vals.append(v if typ != "VARCHAR" else (v if isinstance(v, str) else json.dumps(v)))
    con.execute(f"CREATE TABLE meta ({', '.join(cols)})")
    con.execute(f"INSERT INTO meta VALUES ({', '.join('?' for _ in vals)})", vals)
    con.execute("ALTER TABLE meta ALTER built_at TYPE TIMESTAMP")


def open_readonly(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """How readers (checks, notebooks, tests) open the warehouse: never for writing."""
    return duckdb.connect(str(path or settings.warehouse_path()), read_only=True)
