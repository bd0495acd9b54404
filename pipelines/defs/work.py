"""Per-shard work as plain functions: files -> documents part, documents part -> fact parts.

No Dagster here: the assets in `raw.py` / `core.py` loop over their partition keys (shards, see
`inputs.py`) and call these, and a notebook or another orchestrator can call them the same way.
Each shard owns one folder `parts_dir/<shard>/` of Parquet files that are only ever replaced whole
(written to a temporary name, then `os.replace`), so a reader (the publish step) sees the old or
the new file, never half of one. Rows carry `article_key`, so one article's rows can be kept or
replaced inside its shard: unchanged articles are carried over, never read or extracted again.

Files per shard folder (one writer each):
- `documents.parquet`  (raw `articles`)        a row per file: the Document, normalized text included
- `extraction.parquet` (core `article_facts`)  a row per file: counts, extractor version, error
- `facts.parquet`, `mergers.parquet`, `people.parquet`, `subjects.parquet` (core `article_facts`)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import re
import shutil
import traceback
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl

from pipelines import settings
from pipelines.defs.inputs import file_sha256
from pipelines.extract.model import Extraction, Subject
from pipelines.sourcehash import source_digest

# ----------------------------------------------------------------------------- schemas
# Explicit schemas so that an article with no facts still writes a well-typed empty file and
# DuckDB's union over all parts never has to guess a type from nulls.

DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String,
    "partition_key": pl.String,
    "article_key": pl.String,
    "file_name": pl.String,
    "path": pl.String,
    "status": pl.String,
    "reason": pl.String,
    "content_hash": pl.String,
    "n_bytes": pl.Int64,
    "encoding": pl.String,
    "language": pl.String,
    "language_confidence": pl.Float64,
    "title": pl.String,
    "source_url": pl.String,
    "outlet": pl.String,
    "published": pl.String,
    "text": pl.String,
    "n_chars": pl.Int64,
    "reader_version": pl.String,
    "read_at": pl.Datetime("us"),
}

EXTRACTION_SCHEMA: dict[str, pl.DataType] = {
    "partition_key": pl.String,
    "article_key": pl.String,
    "doc_id": pl.String,
    "status": pl.String,
    "n_facts": pl.Int64,
    "n_mergers": pl.Int64,
    "n_people": pl.Int64,
    "extractor_version": pl.String,
    "extracted_at": pl.Datetime("us"),
    "error": pl.String,
}

FACT_SCHEMA: dict[str, pl.DataType] = {
    "fact_id": pl.String,
    "doc_id": pl.String,
    "article_key": pl.String,
    "metric": pl.String,
    "unit": pl.String,
    "value": pl.Float64,
    "qualifier": pl.String,
    "target": pl.Float64,
    "period": pl.String,
    "period_start": pl.Int32,
    "period_end": pl.Int32,
    "subject_id": pl.String,
    "subject_name": pl.String,
    "subject_level": pl.String,
    "subject_province": pl.String,
    "evidence": pl.String,
    "span_start": pl.Int64,
    "span_end": pl.Int64,
    "confidence": pl.Float64,
    "language": pl.String,
}

MERGER_SCHEMA: dict[str, pl.DataType] = {
    "merger_id": pl.String,
    "doc_id": pl.String,
    "article_key": pl.String,
    "new_unit_id": pl.String,
    "new_unit_name": pl.String,
    "new_unit_level": pl.String,
    "new_unit_province": pl.String,
    "predecessors": pl.List(pl.String),
    "n_predecessors": pl.Int32,
    "evidence": pl.String,
    "span_start": pl.Int64,
    "span_end": pl.Int64,
    "confidence": pl.Float64,
    "lineage_status": pl.String,
    "lineage_official": pl.List(pl.String),
    "lineage_matched": pl.Int32,
}

PERSON_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.String,
    "doc_id": pl.String,
    "article_key": pl.String,
    "name": pl.String,
    "role": pl.String,
    "title": pl.String,
    "org_subject_id": pl.String,
    "org_name": pl.String,
    "org_level": pl.String,
    "org_province": pl.String,
    "evidence": pl.String,
    "span_start": pl.Int64,
    "span_end": pl.Int64,
    "confidence": pl.Float64,
}

SUBJECT_SCHEMA: dict[str, pl.DataType] = {
    "article_key": pl.String,
    "subject_id": pl.String,
    "name": pl.String,
    "level": pl.String,
    "province": pl.String,
    "era": pl.String,
    "unit_code": pl.String,
    "unit_name": pl.String,
    "province_code": pl.String,
    "province_name": pl.String,
    "province_code_2025": pl.String,
    "province_name_2025": pl.String,
    "lat": pl.Float64,
    "lon": pl.Float64,
    "link_status": pl.String,
    "link_reason": pl.String,
}

PART_SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "documents": DOCUMENT_SCHEMA,
    "extraction": EXTRACTION_SCHEMA,
    "facts": FACT_SCHEMA,
    "mergers": MERGER_SCHEMA,
    "people": PERSON_SCHEMA,
    "subjects": SUBJECT_SCHEMA,
}

#: Link attributes copied into `subjects` (contract column -> candidate attribute names on Link).
_LINK_FIELDS: dict[str, tuple[str, ...]] = {
    "era": ("era",),
    "unit_code": ("unit_code", "code"),
    "unit_name": ("unit_name",),
    "province_code": ("province_code",),
    "province_name": ("province_name",),
    "province_code_2025": ("province_code_2025",),
    "province_name_2025": ("province_name_2025",),
    "lat": ("lat",),
    "lon": ("lon",),
    "link_status": ("link_status", "status"),
    "link_reason": ("link_reason", "reason"),
}
_LINEAGE_FIELDS: dict[str, tuple[str, ...]] = {
    "lineage_status": ("lineage_status", "status"),
    "lineage_official": ("lineage_official", "official", "official_predecessors"),
    "lineage_matched": ("lineage_matched", "matched", "n_matched"),
}


# ----------------------------------------------------------------------------- helpers


def part_dir(parts_root: Path, key: str) -> Path:
    return parts_root / key


def now_utc() -> dt.datetime:
    """Naive UTC (DuckDB `TIMESTAMP`), microsecond precision."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def frame(rows: list[dict[str, Any]], schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict(schema), strict=False)


def write_part(df: pl.DataFrame, folder: Path, name: str) -> Path:
    """Write `folder/name.parquet` atomically: temp file in the same folder, then os.replace."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.parquet"
    tmp = folder / f".{name}.parquet.tmp-{os.getpid()}"
    df.write_parquet(tmp)
    os.replace(tmp, target)
    return target


def read_part(parts_root: Path, key: str, name: str) -> pl.DataFrame | None:
    path = part_dir(parts_root, key) / f"{name}.parquet"
    return pl.read_parquet(path) if path.exists() else None


def delete_part(parts_root: Path, key: str) -> bool:
    """Remove an article's folder (its file was deleted). Returns whether something was removed."""
    folder = part_dir(parts_root, key)
    if folder.is_dir():
        shutil.rmtree(folder)
        return True
    return False


def prune_parts(parts_root: Path, keep: Iterable[str]) -> list[str]:
    """Delete the folders of partitions that no longer exist; returns the removed keys."""
    keep = set(keep)
    removed: list[str] = []
    if parts_root.is_dir():
        for folder in sorted(parts_root.iterdir()):
            if (
                folder.is_dir()
                and not folder.name.startswith((".", "_"))
                and folder.name not in keep
            ):
                shutil.rmtree(folder)
                removed.append(folder.name)
    return removed


def _attr(obj: Any, names: tuple[str, ...]) -> Any:
    """The first of `names` the object has (plain attribute access: no `asdict` copy per field,
    this runs for every column of every subject and merger)."""
    for n in names:
        if hasattr(obj, n):
            return getattr(obj, n)
    return None


def _id(*parts: Any) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode()).hexdigest()[:16]


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def period_bounds(period: str | None) -> tuple[int | None, int | None]:
    """'2023' -> (2023, 2023); '2020-2022' -> (2020, 2022); no year -> (None, None)."""
    years = [int(y) for y in _YEAR.findall(period or "")]
    return (min(years), max(years)) if years else (None, None)


# ----------------------------------------------------------------------------- raw: one shard


def document_row(doc: Any, shard: str, article_key: str) -> dict[str, Any]:
    """The Document as one `documents.parquet` row (contract fields plus shard and article key)."""
    row = {c: getattr(doc, c, None) for c in DOCUMENT_SCHEMA}
    row["partition_key"] = shard
    row["article_key"] = article_key
    row["text"] = row["text"] or ""
    row["n_chars"] = len(row["text"])
    row["reader_version"] = reader_version()
    row["read_at"] = now_utc()
    return row


def read_file(path: Path, shard: str, article_key: str) -> dict[str, Any]:
    """Read one article file with the corpus reader into its `documents` row.

    Files whose type is not an article type are recorded as rejected with a reason rather than
    skipped: every input file ends up as a row of `documents`.
    """
    from pipelines.corpus import read_article  # lazy: keeps definitions importable early

    doc = read_article(path)
    suffix = path.suffix.lower()
    if suffix not in settings.ARTICLE_SUFFIXES and getattr(doc, "status", "ok") == "ok":
        accepted = ", ".join(s or "no extension" for s in settings.ARTICLE_SUFFIXES)
        reason = f"unsupported file type '{suffix}' (accepted: {accepted})"
        doc = dataclasses.replace(doc, status="rejected", reason=reason)
    return document_row(doc, shard, article_key)


#: the documents columns shown in the raw asset's preview
PREVIEW_COLUMNS = ("file_name", "status", "language", "n_chars", "title", "reason")


@dataclass
class ReadStats:
    shard: str
    n_files: int = 0
    n_read: int = 0
    n_reused: int = 0
    by_status: dict[str, int] = dataclasses.field(default_factory=dict)
    by_language: dict[str, int] = dataclasses.field(default_factory=dict)
    preview: list[dict[str, Any]] = dataclasses.field(default_factory=list)


def _file_hash(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


#: threads reading files ahead of the parser: a first load reads mostly cold files, and the wait
#: for the disk (about 1 ms per small file here) would otherwise add to every article's CPU time
PREFETCH_THREADS = 4
_WARM_LIMIT = 8 << 20  # bytes read ahead per file at most


def _warm(path: str) -> None:
    """Read a file once so that the parser's own read finds it in the page cache."""
    try:
        with open(path, "rb") as fh:
            fh.read(_WARM_LIMIT)
    except OSError:
        pass  # the parser's read reports it


def _stored_documents(parts_root: Path, shard: str, columns: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """article key -> the shard's stored documents row (only when the part has this layout)."""
    path = part_dir(parts_root, shard) / "documents.parquet"
    if not path.exists() or pl.read_parquet_schema(path).names() != list(DOCUMENT_SCHEMA):
        return {}
    return {r["article_key"]: r for r in pl.read_parquet(path, columns=columns).iter_rows(named=True)}


def _unchanged(old: Mapping[str, Any] | None, path: Path, version: str) -> bool:
    """The stored row `old` was read from these very bytes, at this path, by this reader."""
    return (
        old is not None
        and old["reader_version"] == version
        and old["path"] == str(path.absolute())
        and old["content_hash"] == _file_hash(path)
    )


def files_to_read(shard: str, files: list[tuple[str, str]], parts_root: Path) -> list[str]:
    """The article keys of `files` that `read_shard` must read; the others keep their stored
    rows. Decided once, before the step picks its processes: a few new files among thousands
    stay in the step's process instead of starting workers."""
    stored = _stored_documents(parts_root, shard, ["article_key", "reader_version", "path", "content_hash"])
    version = reader_version()
    return [key for key, p in files if not _unchanged(stored.get(key), Path(p), version)]


def read_shard(
    shard: str, files: list[tuple[str, str]], parts_root: Path, to_read: list[str] | None = None
) -> ReadStats:
    """Write the shard's `documents.parquet`: one row per (article key, file) in `files`.

    A file whose bytes (sha256), path and reader version match its stored row keeps that row
    without being read again, so re-running a shard after one file changed reads one file. Files
    no longer listed drop out (deleted articles leave the warehouse); a file that vanishes while
    we read it becomes a rejected row saying so. `to_read` is `files_to_read(...)` when the
    caller has it (the files are then not hashed a second time).
    """
    if to_read is None:
        to_read = files_to_read(shard, files, parts_root)
    stale = set(to_read)
    stored = _stored_documents(parts_root, shard) if len(stale) < len(files) else {}
    rows, stats = [], ReadStats(shard=shard, n_files=len(files))
    todo = []
    for article_key, path_str in files:
        if article_key in stale:
            todo.append((article_key, path_str))
        else:
            rows.append(stored[article_key])
            stats.n_reused += 1
    prefetch = ThreadPoolExecutor(PREFETCH_THREADS)
    for _, path_str in todo:
        prefetch.submit(_warm, path_str)  # reads ahead on threads while this loop parses
    for article_key, path_str in todo:
        rows.append(read_file(Path(path_str), shard, article_key))
        stats.n_read += 1
    prefetch.shutdown(cancel_futures=True)
    rows.sort(key=lambda r: r["file_name"] or "")
    write_part(frame(rows, DOCUMENT_SCHEMA), part_dir(parts_root, shard), "documents")
    for r in rows:
        stats.by_status[r["status"]] = stats.by_status.get(r["status"], 0) + 1
        if r["status"] == "ok":
            lang = r["language"] or "?"
            stats.by_language[lang] = stats.by_language.get(lang, 0) + 1
    stats.preview = [{c: r[c] for c in PREVIEW_COLUMNS} for r in rows[:5]]
    return stats


# ----------------------------------------------------------------------------- core: one shard


@dataclass
class ExtractStats:
    """What extracting one shard did; `errors` holds (article key, message) per failed article."""

    shard: str
    n_articles: int = 0
    n_extracted: int = 0
    n_reused: int = 0
    n_facts: int = 0
    n_mergers: int = 0
    n_people: int = 0
    n_subjects: int = 0
    n_linked: int = 0
    errors: list[tuple[str, str]] = dataclasses.field(default_factory=list)


def _as_document(row: Mapping[str, Any]) -> Any:
    """Rebuild a corpus Document from its stored row so the extractor sees exactly the stored text."""
    try:
        from pipelines.corpus import Document

        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(Document):
            if f.name in row:
                kwargs[f.name] = row[f.name]
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                kwargs[f.name] = None
        return Document(**kwargs)
    except Exception:  # corpus not importable or Document changed shape: the fields suffice
        return SimpleNamespace(**row)


def extraction_rows(
    ex: Extraction, doc_id: str, key: str, language: str | None, gazetteer: Any
) -> dict[str, list[dict[str, Any]]]:
    """Flatten an Extraction into fact/merger/person/subject rows, linking every subject."""
    subjects: dict[str, Subject] = {}
    facts, mergers, people = [], [], []
    for i, f in enumerate(ex.metrics):
        sid = f.subject.key()
        subjects[sid] = f.subject
        p0, p1 = period_bounds(f.period)
        facts.append(
            {
                "fact_id": _id(doc_id, "fact", i, f.metric, f.start, f.end),
                "doc_id": doc_id,
                "article_key": key,
                "metric": f.metric,
                "unit": f.unit,
                "value": None if f.value is None else float(f.value),
                "qualifier": f.qualifier,
                "target": None if f.target is None else float(f.target),
                "period": f.period,
                "period_start": p0,
                "period_end": p1,
                "subject_id": sid,
                "subject_name": f.subject.name,
                "subject_level": f.subject.level,
                "subject_province": f.subject.province,
                "evidence": f.evidence,
                "span_start": f.start,
                "span_end": f.end,
                "confidence": f.confidence,
                "language": language,
            }
        )
    for i, m in enumerate(ex.mergers):
        sid = m.new_unit.key()
        subjects[sid] = m.new_unit
        check = gazetteer.lineage_check(m.new_unit, list(m.predecessors)) if gazetteer else None
        lineage = {
            c: (_attr(check, names) if check is not None else None)
            for c, names in _LINEAGE_FIELDS.items()
        }
        if lineage["lineage_official"] is not None:
            lineage["lineage_official"] = [str(x) for x in lineage["lineage_official"]]
        mergers.append(
            {
                "merger_id": _id(doc_id, "merger", i, m.start, m.end),
                "doc_id": doc_id,
                "article_key": key,
                "new_unit_id": sid,
                "new_unit_name": m.new_unit.name,
                "new_unit_level": m.new_unit.level,
                "new_unit_province": m.new_unit.province,
                "predecessors": list(m.predecessors),
                "n_predecessors": len(m.predecessors),
                "evidence": m.evidence,
                "span_start": m.start,
                "span_end": m.end,
                "confidence": m.confidence,
                **lineage,
            }
        )
    for i, p in enumerate(ex.people):
        org = p.organization
        if org is not None:
            subjects[org.key()] = org
        people.append(
            {
                "person_id": _id(doc_id, "person", i, p.name, p.role),
                "doc_id": doc_id,
                "article_key": key,
                "name": p.name,
                "role": p.role,
                "title": p.title,
                "org_subject_id": org.key() if org else None,
                "org_name": org.name if org else None,
                "org_level": org.level if org else None,
                "org_province": org.province if org else None,
                "evidence": p.evidence,
                "span_start": p.start,
                "span_end": p.end,
                "confidence": p.confidence,
            }
        )
    subject_rows = []
    for sid, s in subjects.items():
        link = gazetteer.link(s) if gazetteer else None
        row = {
            "article_key": key,
            "subject_id": sid,
            "name": s.name,
            "level": s.level,
            "province": s.province,
        }
        for col, names in _LINK_FIELDS.items():
            v = _attr(link, names) if link is not None else None
            row[col] = v if v is None or col in ("lat", "lon") else str(v)
        subject_rows.append(row)
    return {"facts": facts, "mergers": mergers, "people": people, "subjects": subject_rows}


CORE_TABLES = ("facts", "mergers", "people", "subjects")


def _reusable(ex: pl.DataFrame | None, version: str) -> dict[str, tuple[tuple[Any, Any], dict[str, Any]]]:
    """article key -> ((doc_id, status), extraction row) of the stored rows made by `version`."""
    if ex is None:
        return {}
    return {
        r["article_key"]: ((r["doc_id"], r["status"]), r)
        for r in ex.iter_rows(named=True)
        if r["extractor_version"] == version
    }


def _same_layout(folder: Path) -> bool:
    """True when the shard's core parts exist with exactly the columns this code writes: only
    then can an article's stored rows be carried over (work.py may have changed a schema)."""
    for t in (*CORE_TABLES, "extraction"):
        path = folder / f"{t}.parquet"
        if not path.exists() or pl.read_parquet_schema(path).names() != list(PART_SCHEMAS[t]):
            return False
    return True


def _reusable_in(parts_root: Path, shard: str, version: str) -> dict[str, tuple[tuple[Any, Any], dict[str, Any]]]:
    """`_reusable` for the shard's stored extraction, empty when its parts have another layout."""
    if not _same_layout(part_dir(parts_root, shard)):
        return {}
    return _reusable(read_part(parts_root, shard, "extraction"), version)


def pending_extractions(shard: str, parts_root: Path, version: str) -> int:
    """How many documents `extract_shard` would extract (the others keep their rows)."""
    path = part_dir(parts_root, shard) / "documents.parquet"
    if not path.exists():
        return 0
    reusable = _reusable_in(parts_root, shard, version)
    docs = pl.read_parquet(path, columns=["article_key", "doc_id", "status"])
    return sum(
        (old := reusable.get(key)) is None or old[0] != (doc_id, status)
        for key, doc_id, status in docs.iter_rows()
    )


def extract_shard(shard: str, parts_root: Path, gazetteer: Any, version: str) -> ExtractStats:
    """Extract and link every readable article of a shard; write its five core parts.

    An article whose stored extraction was made from the same text (`doc_id` is a hash of the
    normalized text) by the same extractor version keeps its rows; only the others run through
    the extractor. An extractor exception is caught and recorded (`extraction.parquet` `error`),
    so one bad article never stops a backfill of thousands; the warehouse shows it as `error`.
    """
    from pipelines.extract import extract_document

    folder = part_dir(parts_root, shard)
    docs = read_part(parts_root, shard, "documents")
    stats = ExtractStats(shard=shard)
    if docs is None:
        docs = frame([], DOCUMENT_SCHEMA)
    reusable = _reusable_in(parts_root, shard, version)
    keep: set[str] = set()
    new_rows: dict[str, list[dict[str, Any]]] = {t: [] for t in CORE_TABLES}
    ex_rows: list[dict[str, Any]] = []
    for row in docs.iter_rows(named=True):
        key, doc_id, status = row["article_key"], row["doc_id"], row["status"]
        stats.n_articles += 1
        old = reusable.get(key)
        if old is not None and old[0] == (doc_id, status):
            keep.add(key)
            ex_rows.append({**old[1], "partition_key": shard})
            stats.n_reused += 1
            if old[1]["error"]:
                stats.errors.append((key, old[1]["error"]))
            continue
        rows: dict[str, list[dict[str, Any]]] = {t: [] for t in CORE_TABLES}
        error = None
        if status == "ok":
            stats.n_extracted += 1
            try:
                ex = extract_document(_as_document(row))
                rows = extraction_rows(ex, doc_id, key, row.get("language"), gazetteer)
            except Exception as e:  # noqa: BLE001 - recorded, see docstring
                error = f"{type(e).__name__}: {e}"
                stats.errors.append((key, error))
                traceback.print_exc()
                rows = {t: [] for t in CORE_TABLES}
        for t in CORE_TABLES:
            new_rows[t].extend(rows[t])
        ex_rows.append(
            {
                "partition_key": shard,
                "article_key": key,
                "doc_id": doc_id,
                "status": status,
                "n_facts": len(rows["facts"]),
                "n_mergers": len(rows["mergers"]),
                "n_people": len(rows["people"]),
                "extractor_version": version,
                "extracted_at": now_utc(),
                "error": error,
            }
        )
    for t in CORE_TABLES:
        df = frame(new_rows[t], PART_SCHEMAS[t])
        if keep:  # same layout (checked above): the stored rows of unchanged articles come first
            kept = read_part(parts_root, shard, t).filter(pl.col("article_key").is_in(sorted(keep)))
            df = pl.concat([kept, df], how="vertical")
        write_part(df, folder, t)
        if t == "subjects":
            stats.n_subjects = df.height
            stats.n_linked = df.filter(pl.col("unit_code").is_not_null()).height
        else:
            setattr(stats, f"n_{t}", df.height)
    write_part(frame(ex_rows, EXTRACTION_SCHEMA), folder, "extraction")
    return stats


# ----------------------------------------------------------------------------- gazetteer


def _write_gazetteer_table(df: pl.DataFrame, folder: Path, name: str) -> pl.DataFrame:
    """Write a gazetteer table and, after it, a stamp of what built it (the package and code
    version, `gazetteer.index.version`): a stamp never vouches for a file that was not written."""
    from pipelines.gazetteer.index import version

    write_part(df, folder, name)
    (folder / f"{name}.version").write_text(version())
    return df


def gazetteer_current(folder: Path) -> bool:
    """Both gazetteer tables exist and were written by this package and code version."""
    from pipelines.gazetteer.index import version

    try:
        return all(
            (folder / f"{t}.parquet").exists() and (folder / f"{t}.version").read_text() == version()
            for t in settings.GAZETTEER_TABLES
        )
    except OSError:
        return False


def write_admin_units(folder: Path) -> pl.DataFrame:
    """2025 and legacy units in one table with an `era` column (contract `admin_units`)."""
    from pipelines.gazetteer import admin_units

    return _write_gazetteer_table(admin_units(), folder, "admin_units")


def write_unit_lineage(folder: Path) -> pl.DataFrame:
    from pipelines.gazetteer import unit_lineage

    return _write_gazetteer_table(unit_lineage(), folder, "unit_lineage")


def extractor_version() -> str:
    try:
        from pipelines.extract import engine

        return str(getattr(engine, "EXTRACTOR_VERSION", "unknown"))
    except Exception:  # noqa: BLE001
        return "unknown"


@functools.cache
def reader_version() -> str:
    """Digest of the corpus reader's source: a changed reader re-reads every file once."""
    return source_digest(Path(__file__).resolve().parents[1] / "corpus")


# ----------------------------------------------------------------------------- every core


#: below this many articles a step works in its own process (a pool costs ~2 s to start)
PARALLEL_MIN = 64


def workers() -> int:
    """Processes for per-shard work: every core, or `VN_PARTY_WORKERS`."""
    env = os.environ.get("VN_PARTY_WORKERS")
    return max(1, int(env)) if env else max(1, os.cpu_count() or 1)


def _call(job: tuple[Callable[..., Any], tuple[Any, ...]]) -> Any:
    fn, args = job
    return fn(*args)


def map_shards(fn: Callable[..., Any], jobs: list[tuple[Any, ...]], n_articles: int) -> list[Any]:
    """`[fn(*args) for args in jobs]`, one job per shard, spread over every core when the shards
    hold at least PARALLEL_MIN articles to work on between them (`files_to_read`,
    `pending_extractions`: articles that keep their rows cost next to nothing).

    Workers are spawned, not forked: a fork of a process running Dagster's and Polars' threads
    can deadlock in the child (seen here). Each worker loads the gazetteer and language models
    once (about 2 s); each job writes its own shard's files, so workers never share an output.
    Results come back in order; only small stats objects travel back to the parent.
    """
    n = min(workers(), len(jobs))
    if n <= 1 or n_articles < PARALLEL_MIN:
        return [fn(*args) for args in jobs]
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(n) as pool:
        return pool.map(_call, [(fn, args) for args in jobs], chunksize=1)


def extract_job(shard: str, parts_root: str, version: str) -> ExtractStats:
    """`extract_shard` with the process's cached gazetteer (a picklable job for `map_shards`)."""
    from pipelines.defs.resources import GAZETTEER_SUBDIR
    from pipelines.gazetteer import Gazetteer

    gazetteer = Gazetteer.load(cache=Path(parts_root) / GAZETTEER_SUBDIR / "index.pickle")
    return extract_shard(shard, Path(parts_root), gazetteer, version)


def read_job(shard: str, files: list[tuple[str, str]], parts_root: str, to_read: list[str]) -> ReadStats:
    """`read_shard` as a picklable job for `map_shards`."""
    return read_shard(shard, files, Path(parts_root), to_read)
