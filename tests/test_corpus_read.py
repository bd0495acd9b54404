"""read_article end to end: the seed articles, file-system trouble, HTML pages, huge files."""

from __future__ import annotations

import hashlib
import json
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.corpus import MAX_TEXT_CHARS, Document, read_article, read_bytes
from pipelines.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES

SEEDS = PROJECT_ROOT / "seeds"

# file stem prefix -> (language, outlet, published, title)
EXPECTED = {
    "000": (
        "ms",
        "nhandan.vn",
        None,
        "Jawatankuasa Parti Tempatan secara serentak menstabilkan peralatan organisasi dan "
        "mendekati kawasan besar dengan populasi yang berselerak.",
    ),
    "001": ("pl", "baogialai.com.vn", None, "Wzmocnij się od wewnątrz"),
    "002": ("pl", "baotuyenquang.com.vn", None, "„Prawidłowa” i „dokładna” treść aktywności"),
    "003": ("ms", None, None, None),  # first line is a long lead: the title is a cut of it
    "004": (
        "id",
        "nhandan.vn",
        "2024-05-29",
        "Nam Dinh berfokus pada peningkatan kualitas organisasi partai akar rumput dan anggota partai.",
    ),
}


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata_matches_gold(prefix):
    path = _seed(prefix)
    gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text(encoding="utf-8"))
    doc = read_article(path)
    language, outlet, published, title = EXPECTED[prefix]
    assert doc.status == "ok" and doc.reason is None
    assert doc.encoding == "utf-8"
    assert doc.language == language == gold["language"]
    assert doc.language_confidence > 0.9
    assert doc.source_url == gold["source_url"]
    assert doc.outlet == outlet
    assert doc.published == published == gold["published"]
    if title is not None:
        assert doc.title == title
    else:
        assert doc.title and doc.title.endswith("…") and doc.text.startswith(doc.title[:-1])
    assert doc.file_name == path.name
    assert doc.path == str(path.absolute())
    assert doc.n_bytes == path.stat().st_size
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.doc_id == hashlib.sha256(doc.text.encode()).hexdigest()[:16]


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_gold_evidence_survives_cleaning(prefix):
    path = _seed(prefix)
    gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text(encoding="utf-8"))
    text = read_article(path).text
    evidence = [item["evidence"] for key in ("metrics", "mergers") for item in gold.get(key, [])]
    assert evidence
    for snippet in evidence:
        assert snippet in text


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_boilerplate_is_gone(prefix):
    text = read_article(_seed(prefix)).text
    for junk in (
        "Komen (0)",
        "Komentarz (0)",
        "Komentar (0)",
        "No data",
        "[iklan_",
        "No videos available",
        "Dalam topik yang sama",
        "Vietnam.vn",
        "Độc lập - Tự do",
        ">> Lekcja",
        "\n\n\n",
        "\r",
    ):
        assert junk not in text
    assert text == text.strip()
    assert all(line == line.strip() for line in text.split("\n"))


def test_seed_004_keeps_source_line_and_drops_navigation_tail():
    text = read_article(_seed("004")).text
    assert text.endswith(
        "Sumber: https://nhandan.vn/nam-dinh-chu-trong-nang-cao-chat-luong-to-chuc-co-so-dang-va-dang-vien-post811422.html"
    )
    assert "Jet tempur" not in text
    assert text.startswith("Nam Dinh berfokus")


def test_reading_is_deterministic_and_renaming_keeps_doc_id(tmp_path):
    data = _seed("001").read_bytes()
    odd_name = tmp_path / "bài viết số 1 — Gia Lai (kopia).txt"
    odd_name.write_bytes(data)
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(data.replace(b"\n", b"\r\n"))
    original = read_article(_seed("001"))
    renamed = read_article(odd_name)
    assert renamed.status == "ok"
    assert renamed.file_name == "bài viết số 1 — Gia Lai (kopia).txt"
    assert renamed.doc_id == original.doc_id
    assert renamed.text == original.text
    windows = read_article(crlf)
    assert windows.doc_id == original.doc_id  # same text, other line endings
    assert windows.content_hash != original.content_hash  # but other bytes


def test_missing_file_is_rejected_not_raised(tmp_path):
    doc = read_article(tmp_path / "vanished.txt")
    assert isinstance(doc, Document)
    assert doc.status == "rejected"
    assert "not found" in doc.reason
    assert doc.file_name == "vanished.txt"
    assert len(doc.doc_id) == 16 and doc.text == ""
    assert read_article(tmp_path / "other.txt").doc_id != doc.doc_id


def test_directory_is_rejected(tmp_path):
    doc = read_article(tmp_path)
    assert doc.status == "rejected"
    assert "directory" in doc.reason


def test_unreadable_file_is_rejected(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("text")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)  # chmod 0 does not stop root, so simulate it
    doc = read_article(path)
    assert doc.status == "rejected"
    assert doc.reason == "cannot read file: permission denied"


def test_html_page_becomes_text(tmp_path):
    page = """<!DOCTYPE html>
<html><head><title>Báo Nhân dân</title>
<style>p { color: red }</style>
<script>var s = "<p>not text</p>";</script></head>
<body>
<nav><ul><li><a href="/">Trang chủ</a></li><li>Thời sự</li></ul></nav>
<h1>Đảng bộ xã Tam An có 754 đảng viên</h1>
<p>Đảng bộ xã Tam An gồm 32 chi bộ trực thuộc, với 754 đảng viên &amp; nhiều cơ sở.<br>
Đảng bộ chính thức đi vào hoạt động từ ngày 1/1/2025.</p>
<p>Nguồn: <a href="https://baobariavungtau.com.vn/x">https://baobariavungtau.com.vn/chinh-tri/x.html</a></p>
</body></html>"""
    path = tmp_path / "trang.html"
    path.write_text(page, encoding="utf-8")
    doc = read_article(path)
    assert doc.status == "ok"
    assert doc.encoding == "utf-8"
    assert doc.text == (
        "Đảng bộ xã Tam An có 754 đảng viên\n\n"
        "Đảng bộ xã Tam An gồm 32 chi bộ trực thuộc, với 754 đảng viên & nhiều cơ sở.\n"
        "Đảng bộ chính thức đi vào hoạt động từ ngày 1/1/2025.\n\n"
        "Nguồn: https://baobariavungtau.com.vn/chinh-tri/x.html"
    )
    assert doc.title == "Đảng bộ xã Tam An có 754 đảng viên"
    assert doc.outlet == "baobariavungtau.com.vn"
    assert doc.language == "vi"


def test_plain_text_mentioning_tags_is_not_html():
    text = "The <p> tag is not special here.\nCommune X has 10 Party cells with 232 members."
    assert read_bytes(text.encode(), "a.txt").text == text


def test_20_mb_file_is_capped_fast(tmp_path):
    paragraph = (
        "Đảng bộ xã Pa Ủ có gần 400 đảng viên, sinh hoạt tại 26 chi bộ, những kết quả đạt được "
        "trong năm qua là rất đáng ghi nhận.\n"
    ).encode()
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        for _ in range(20_000_000 // len(paragraph) + 1):
            fh.write(paragraph)
    start = time.perf_counter()
    doc = read_article(path)
    elapsed = time.perf_counter() - start
    assert doc.status == "ok"
    assert doc.n_bytes == path.stat().st_size > 20_000_000
    assert MAX_TEXT_CHARS * 0.9 < len(doc.text) <= MAX_TEXT_CHARS
    assert "only the first 2,000,000 characters" in doc.reason
    assert doc.language == "vi"
    assert doc.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert elapsed < 3.0


def test_read_bytes_never_raises_on_junk():
    import random

    rng = random.Random(7)
    for n in (1, 2, 3, 7, 100, 5000):
        for _ in range(20):
            doc = read_bytes(bytes(rng.randrange(256) for _ in range(n)), "junk.bin")
            assert doc.status in ("ok", "rejected")
            assert (doc.reason is not None) == (doc.status == "rejected")
            assert not (doc.reason or "").startswith("internal error")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda s: s.encode("utf-8")))
def test_read_bytes_contract_holds_for_any_input(data):
    doc = read_bytes(data, "any.txt")
    assert doc.status in ("ok", "rejected")
    assert not (doc.reason or "").startswith("internal error")
    assert doc.n_bytes == len(data)
    assert doc.content_hash == hashlib.sha256(data).hexdigest()
    if doc.text:
        assert doc.doc_id == hashlib.sha256(doc.text.encode()).hexdigest()[:16]
        assert unicodedata.is_normalized("NFC", doc.text)
        assert "\r" not in doc.text
    else:
        assert doc.status == "rejected" and doc.doc_id == doc.content_hash[:16]
    if doc.status == "ok":
        assert doc.language is None or doc.language in SUPPORTED_LANGUAGES
        assert 0.0 <= doc.language_confidence <= 1.0
