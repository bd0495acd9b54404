"""Decoding: certain encodings are decoded, everything else is rejected with a reason."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from pipelines.corpus import read_bytes
from pipelines.corpus.decode import decode

VI = (
    "Đảng bộ xã Pa Ủ có gần 400 đảng viên, sinh hoạt tại 26 chi bộ. Công tác xây dựng Đảng của "
    "huyện được các cấp ủy quan tâm, những kết quả đạt được trong năm qua là rất đáng ghi nhận.\n"
)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese software writes it: base letter precomposed, tone mark combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
        out += (base + "".join(c for c in nfd if c in _TONES)).encode("cp1258")
    return bytes(out)


_TCVN3_LETTERS = "đăâêôơưĐàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
_TCVN3_BYTES = bytes.fromhex(
    "AE A8 A9 AA AB AC AD A7 B5 B6 B7 B8 B9 BB BC BD BE C6 C7 C8 C9 CA CB CC CE CF D0 D1 D2 D3 D4 D5"
    " D6 D7 D8 DC DD DE DF E1 E2 E3 E4 E5 E6 E7 E8 E9 EA EB EC ED EE EF F1 F2 F3 F4 F5 F6 F7 F8 F9 FA"
    " FB FC FD FE"
)
_TCVN3 = dict(zip(_TCVN3_LETTERS, _TCVN3_BYTES, strict=True))


def to_tcvn3(text: str) -> bytes:
    """TCVN3 (ABC), the pre-Unicode Vietnamese font encoding (lower-case letters are enough here)."""
    out = bytearray()
    for ch in text:
        low = ch.lower()
        if ch in _TCVN3:
            out.append(_TCVN3[ch])
        elif low in _TCVN3:
            out.append(_TCVN3[low])
        else:
            out += ch.encode("ascii", "replace")
    return bytes(out)


def test_utf8():
    doc = read_bytes(VI.encode("utf-8"), "a.txt")
    assert (doc.status, doc.encoding, doc.reason) == ("ok", "utf-8", None)
    assert doc.text == VI.strip()


def test_utf8_bom():
    doc = read_bytes(codecs.BOM_UTF8 + VI.encode("utf-8"), "a.txt")
    assert doc.status == "ok"
    assert doc.encoding == "utf-8-sig"
    assert doc.text == VI.strip()
    assert "\ufeff" not in doc.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    data = VI.encode(codec)
    if codec != "utf-16":
        data = ("\ufeff" + VI).encode(codec)
    doc = read_bytes(data, "a.txt")
    assert (doc.status, doc.encoding) == ("ok", "utf-16")
    assert doc.text == VI.strip()


def test_utf16_without_bom_is_decoded_only_when_certain():
    doc = read_bytes(VI.encode("utf-16-le"), "a.txt")
    assert (doc.status, doc.encoding) == ("ok", "utf-16-le")
    assert doc.text == VI.strip()


def test_cp1258_vietnamese_is_decoded():
    data = to_cp1258(VI * 2)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    doc = read_bytes(data, "legacy.txt")
    assert (doc.status, doc.encoding) == ("ok", "cp1258")
    assert doc.text == unicodedata.normalize("NFC", (VI * 2).strip())
    assert doc.language == "vi"


def test_tcvn3_is_rejected_with_reason():
    doc = read_bytes(to_tcvn3(VI * 3), "tcvn3.txt")
    assert doc.status == "rejected"
    assert "legacy Vietnamese encoding" in doc.reason
    assert doc.text == ""
    assert doc.doc_id == doc.content_hash[:16]


def test_short_cp1258_is_not_certain():
    # two words decode "fine" as cp1258 but say nothing certain about the language
    doc = read_bytes("Xin chào ".encode("cp1258") + b"\xe9t\xe9", "short.txt")
    assert doc.status == "rejected"
    assert doc.reason.startswith("not UTF-8")


def test_invalid_utf8_is_rejected():
    doc = read_bytes(b"Hello world, this is text \xc3\x28 broken", "bad.txt")
    assert doc.status == "rejected"
    assert "not UTF-8" in doc.reason
    assert "offset 26" in doc.reason


def test_empty_file():
    doc = read_bytes(b"", "empty.txt")
    assert (doc.status, doc.reason, doc.n_bytes) == ("rejected", "empty file", 0)
    assert doc.doc_id == doc.content_hash[:16]


def test_blank_file():
    doc = read_bytes(b"  \n\r\n\t \n", "blank.txt")
    assert doc.status == "rejected"
    assert doc.reason.startswith("no text")


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"text\x00with\x00nul" * 3, "NUL"),
        (bytes(range(1, 32)) * 20, "control"),
    ],
)
def test_binary_is_rejected(data, kind):
    doc = read_bytes(data, "x.bin")
    assert doc.status == "rejected"
    assert doc.reason.startswith("binary file, not text")
    assert kind in doc.reason


def test_declared_html_charset_is_used():
    page = "<html><head><meta charset='windows-1258'></head><body><p>" + VI + "</p></body></html>"
    doc = read_bytes(to_cp1258(page), "page.html")
    assert doc.status == "ok"
    assert doc.encoding == "cp1258"
    assert doc.text == VI.strip()


def test_decode_prefix_of_cut_file_tolerates_split_character():
    data = "ệ".encode() * 10
    cut = data[:-1]  # last character cut in the middle
    assert decode(cut, cut=True).text == "ệ" * 9
    assert decode(cut).text is None


PL = "Komitet partyjny gminy liczy 2639 członków partii, zrzeszonych w 24 oddziałach partyjnych."


def test_declared_non_vietnamese_charset_is_used_and_undeclared_is_rejected():
    page = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1250">'
        f"</head><body><p>{PL}</p></body></html>"
    )
    doc = read_bytes(page.encode("cp1250"), "strona.html")
    assert (doc.status, doc.encoding, doc.text) == ("ok", "cp1250", PL)
    plain = read_bytes(PL.encode("cp1250"), "tekst.txt")
    assert plain.status == "rejected"
    assert plain.reason.startswith("not UTF-8")
