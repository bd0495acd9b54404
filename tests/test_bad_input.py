"""Bad input, end to end: every messy file of a real folder ends in `documents` with a status and
a reason (or is extracted), nothing is lost, and the run still succeeds and publishes."""

from __future__ import annotations

import codecs
import shutil
import unicodedata

import duckdb
import pytest

from tests.conftest import SEEDS, materialize_graph

VI = (
    "Đảng bộ xã Tân Lập hiện có 25 chi bộ trực thuộc với 812 đảng viên. "
    "Đồng chí Nguyễn Văn An, Bí thư Đảng ủy xã cho biết năm 2024 Đảng bộ kết nạp 31 đảng viên mới.\n"
)
DE = "Die Partei hat in der Gemeinde viele Mitglieder, und die Mitglieder treffen sich jeden Monat in der Zelle.\n" * 3


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 writes tones as combining marks after a precomposed base (â, ơ, ư...)."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    root = tmp_path_factory.mktemp("messy")
    arts = root / "articles"
    arts.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(seed, arts / seed.name)
    shutil.copy(seed, arts / "same article again.txt")  # duplicate under another name
    (arts / "empty.txt").write_bytes(b"")
    (arts / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (arts / "invalid-utf8.txt").write_bytes(b"Dang bo xa \xff\xfe\xfa co 25 chi bo " * 20)
    (arts / "windows-1258.txt").write_bytes(to_cp1258(VI))
    (arts / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + VI.encode("utf-16-le"))
    (arts / "page.html").write_text(f"<!doctype html><html><head><title>t</title><script>x=1</script></head><body><p>{VI}</p></body></html>", encoding="utf-8")
    (arts / "Bài viết (Lai Châu) số 1.txt").write_text(VI, encoding="utf-8")
    (arts / "german.txt").write_text(DE, encoding="utf-8")
    big = (VI * 200_000)[: 20_000_000]
    (arts / "huge.txt").write_text(big, encoding="utf-8")
    gone = arts / "vanishes.txt"
    gone.write_text(VI, encoding="utf-8")

    from dagster import DagsterInstance

    from pipelines.defs import raw
    from pipelines.defs.inputs import list_inputs, shards_of

    instance = DagsterInstance.ephemeral()
    # the file is listed (its shard registered, the raw step's listing taken), then disappears
    # before the step reads it: the step sees exactly the listing taken before the unlink
    listing = list_inputs(arts)
    instance.add_dynamic_partitions(raw.articles_partitions.name, list(shards_of(listing)))
    gone.unlink()
    real_list_inputs = raw.list_inputs
    raw.list_inputs = lambda _folder: dict(listing)
    try:
        run = materialize_graph(arts, root / "wh" / "vn_party.duckdb", instance=instance)
    finally:
        raw.list_inputs = real_list_inputs
    con = duckdb.connect(str(run.warehouse), read_only=True)
    rows = {r[0]: r[1:] for r in con.execute("SELECT file_name, status, reason, language, n_facts FROM documents").fetchall()}
    yield run, rows, con
    con.close()


def test_the_run_succeeds_and_publishes(messy):
    run, rows, _ = messy
    assert run.result.success
    assert run.warehouse.exists()


@pytest.mark.parametrize(
    ("name", "status", "reason_part"),
    [
        ("empty.txt", "rejected", "empty"),
        ("binary.txt", "rejected", "binary"),
        ("invalid-utf8.txt", "rejected", "UTF-8"),
        ("german.txt", "rejected", "unsupported language"),
        ("vanishes.txt", "rejected", ""),
        ("same article again.txt", "duplicate", "same text as"),
    ],
)
def test_unreadable_files_are_rows_with_a_reason(messy, name, status, reason_part):
    _, rows, _ = messy
    assert name in rows, f"{name} was silently dropped"
    st, reason, _lang, n_facts = rows[name]
    assert st == status
    assert reason and reason_part in reason
    assert n_facts == 0


@pytest.mark.parametrize("name", ["windows-1258.txt", "utf16.txt", "page.html", "Bài viết (Lai Châu) số 1.txt", "huge.txt"])
def test_odd_but_readable_files_are_extracted(messy, name):
    _, rows, con = messy
    st, reason, lang, n_facts = rows[name]
    assert st in ("ok", "duplicate"), reason
    assert lang == "vi"
    if st == "ok":
        assert n_facts >= 2


def test_huge_file_is_cut_and_says_so(messy):
    _, rows, _ = messy
    st, reason, _, _ = rows["huge.txt"]
    assert "2,000,000 characters" in (reason or "") or st == "duplicate"


def test_rejected_files_view_lists_every_rejection(messy):
    _, rows, con = messy
    rejected = {r[0] for r in con.execute("SELECT file_name FROM rejected_files").fetchall()}
    expected = {n for n, (st, *_r) in rows.items() if st != "ok"}
    assert rejected == expected and len(rejected) >= 6


def test_the_cp1258_text_decodes_with_certainty(messy):
    _, _, con = messy
    text = con.execute("SELECT text FROM documents WHERE file_name = 'windows-1258.txt'").fetchone()[0]
    assert "Đảng bộ xã Tân Lập" in text
