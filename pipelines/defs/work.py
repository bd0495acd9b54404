"""Per-article work as plain functions: file -> documents part, documents part -> fact parts.

No Dagster here: the assets in `raw.py` / `core.py` loop over their partition keys and call these,
and a notebook or another orchestrator can call them the same way. Each article owns one folder
`parts_dir/<partition key>/` of small Parquet files that are only ever replaced whole (written to a
temporary name, then `os.replace`), so a reader (the publish step) sees the old or the new file,
never half of one.

Files per article folder (one writer each):
- `documents.parquet`  (raw `articles`)        one row: the Document, normalized text included
- `extraction.parquet` (core `article_facts`)  one row: counts, extractor version, error if any
- `facts.parquet`, `mergers.parquet`, `people.parquet`, `subjects.parquet` (core `article_facts`)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
import shutil
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl

from pipelines import settings
from pipelines.extract.model import Extraction, Subject

# ----------------------------------------------------------------------------- schemas
# Explicit schemas so that an article with no facts still writes a well-typed empty file and
# DuckDB's union over all parts never has to guess a type from nulls.

DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String,
    "partition_key": pl.String,
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
    "read_at": pl.Datetime("us"),
}

EXTRACTION_SCHEMA: dict[str, pl.DataType] = {
    "partition_key": pl.String,
    "doc_id": pl.String,
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
    "partition_key": pl.String,
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
    "partition_key": pl.String,
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
    "partition_key": pl.String,
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


# ----------------------------------------------------------------------------- raw: one file


def document_row(doc: Any, key: str) -> dict[str, Any]:
    """The Document as one `documents.parquet` row (contract fields plus partition key)."""
    row = {c: getattr(doc, c, None) for c in DOCUMENT_SCHEMA}
    row["partition_key"] = key
    row["text"] = row["text"] or ""
    row["n_chars"] = len(row["text"])
    row["read_at"] = now_utc()
    return row


def read_one(path: Path, key: str, parts_root: Path) -> dict[str, Any]:
    """Read one article file with the corpus reader and write its `documents.parquet`.

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
    row = document_row(doc, key)
    write_part(frame([row], DOCUMENT_SCHEMA), part_dir(parts_root, key), "documents")
    return row


# ----------------------------------------------------------------------------- core: one article


@dataclass
class ExtractStats:
    key: str
    doc_id: str | None
    status: str
    n_facts: int = 0
    n_mergers: int = 0
    n_people: int = 0
    n_subjects: int = 0
    n_linked: int = 0
    error: str | None = None


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
                "partition_key": key,
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
                "partition_key": key,
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
                "partition_key": key,
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
        row = {"subject_id": sid, "name": s.name, "level": s.level, "province": s.province}
        for col, names in _LINK_FIELDS.items():
            v = _attr(link, names) if link is not None else None
            row[col] = v if v is None or col in ("lat", "lon") else str(v)
        subject_rows.append(row)
    return {"facts": facts, "mergers": mergers, "people": people, "subjects": subject_rows}


def extract_one(key: str, parts_root: Path, gazetteer: Any, extractor_version: str) -> ExtractStats:
    """Extract and link one article from its stored document; write its five core parts.

    An extractor exception is caught and recorded (`extraction.parquet` `error`), so one bad
    article never stops a backfill of hundreds; the warehouse shows it with status `error`.
    """
    from pipelines.extract import extract_document

    docs = read_part(parts_root, key, "documents")
    if docs is None or docs.height == 0:
        # nothing was read for this partition (its file went away): nothing to extract, and one
        # missing article must not fail a backfill of hundreds
        return ExtractStats(key=key, doc_id=None, status="missing", error="no documents part")
    row = docs.row(0, named=True)
    doc_id, status = row["doc_id"], row["status"]
    stats = ExtractStats(key=key, doc_id=doc_id, status=status)
    rows: dict[str, list[dict[str, Any]]] = {
        "facts": [],
        "mergers": [],
        "people": [],
        "subjects": [],
    }
    if status == "ok":
        try:
            ex = extract_document(_as_document(row))
            rows = extraction_rows(ex, doc_id, key, row.get("language"), gazetteer)
        except Exception as e:  # noqa: BLE001 - recorded, see docstring
            stats.error = f"{type(e).__name__}: {e}"
            stats.status = "error"
            traceback.print_exc()
            rows = {"facts": [], "mergers": [], "people": [], "subjects": []}
    folder = part_dir(parts_root, key)
    for name, data in rows.items():
        write_part(frame(data, PART_SCHEMAS[name]), folder, name)
    stats.n_facts, stats.n_mergers = len(rows["facts"]), len(rows["mergers"])
    stats.n_people, stats.n_subjects = len(rows["people"]), len(rows["subjects"])
    stats.n_linked = sum(1 for s in rows["subjects"] if s.get("unit_code"))
    ex_row = {
        "partition_key": key,
        "doc_id": doc_id,
        "n_facts": stats.n_facts,
        "n_mergers": stats.n_mergers,
        "n_people": stats.n_people,
        "extractor_version": extractor_version,
        "extracted_at": now_utc(),
        "error": stats.error,
    }
    write_part(frame([ex_row], EXTRACTION_SCHEMA), folder, "extraction")
    return stats


# ----------------------------------------------------------------------------- gazetteer


def gazetteer_dir() -> Path:
    """Where the raw gazetteer assets keep their Parquet copies (beside the parts)."""
    return settings.parts_dir() / "_gazetteer"


def write_admin_units(folder: Path) -> pl.DataFrame:
    """2025 and legacy units in one table with an `era` column (contract `admin_units`)."""
    from pipelines.gazetteer import admin_units

    df = admin_units()
    write_part(df, folder, "admin_units")
    return df


def write_unit_lineage(folder: Path) -> pl.DataFrame:
    from pipelines.gazetteer import unit_lineage

    df = unit_lineage()
    write_part(df, folder, "unit_lineage")
    return df


def extractor_version() -> str:
    try:
        from pipelines.extract import engine

        return str(getattr(engine, "EXTRACTOR_VERSION", "unknown"))
    except Exception:  # noqa: BLE001
        return "unknown"


# ----------------------------------------------------------------------------- every core


#: below this many articles a step works in its own process (a pool costs ~0.2 s to start)
PARALLEL_MIN = 64


def workers() -> int:
    """Processes for per-article work: every core, or `VN_PARTY_WORKERS`."""
    env = os.environ.get("VN_PARTY_WORKERS")
    return max(1, int(env)) if env else max(1, os.cpu_count() or 1)


def _call(job: tuple[Callable[..., Any], tuple[Any, ...]]) -> Any:
    fn, args = job
    return fn(*args)


def map_articles(fn: Callable[..., Any], jobs: list[tuple[Any, ...]]) -> list[Any]:
    """`[fn(*args) for args in jobs]`, spread over every core when there are many.

    Workers are spawned, not forked: a fork of a process running Dagster's and Polars' threads
    can deadlock in the child (seen here). Each worker loads the gazetteer and language models
    once (about 2 s); each job writes its own partition's files, so workers never share an
    output. Results come back in order.
    """
    n = workers()
    if n == 1 or len(jobs) < PARALLEL_MIN:
        return [fn(*args) for args in jobs]
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(n) as pool:
        return pool.map(_call, [(fn, args) for args in jobs], chunksize=max(1, min(64, len(jobs) // (n * 8))))


def extract_key(key: str, parts_root: str, extractor_version: str) -> ExtractStats:
    """`extract_one` with the process's cached gazetteer (a picklable job for `map_articles`)."""
    from pipelines.gazetteer import Gazetteer

    return extract_one(key, Path(parts_root), Gazetteer.load(), extractor_version)


def read_key(path: str, key: str, parts_root: str) -> dict[str, Any]:
    """`read_one` as a picklable job for `map_articles`."""
    return read_one(Path(path), key, Path(parts_root))
