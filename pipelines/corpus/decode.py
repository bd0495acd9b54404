"""Bytes -> str, only when the encoding is certain.

A wrong guess would silently corrupt Vietnamese names (and every offset after them), so anything that
is not UTF-8/UTF-16/UTF-32 with certainty, a declared HTML charset, or Windows-1258 that passes a
strict Vietnamese test is rejected with a reason a person can act on.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple


class Decoded(NamedTuple):
    text: str | None
    encoding: str | None
    reason: str | None  # why it was rejected (text is None then)


def _words(words: str) -> frozenset[str]:
    """A set written as one space-separated string (easier to read and extend than a list)."""
    return frozenset(words.split())


_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"{\\rtf", "RTF document"),
)

#: C0 controls other than tab, LF, VT, FF, CR, plus DEL: rare in text, common in binaries.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_SNIFF = 65536
_CONTROL_CHAR = re.compile("[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ud800-\udfff]")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

#: Letters only Vietnamese uses among our languages (ă â đ ê ô ơ ư and the Latin Extended Additional
#: block of tone-marked vowels), plus the tone-marked vowels shared with Latin-1.
_VI_LETTER = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵÀÁÈÉÌÍÒÓÙÚÝÃÕĨŨ]"
)
_LETTER = re.compile(r"[^\W\d_]")
_COMBINING = re.compile("[\u0300-\u036f]")
#: cp1258 characters that Vietnamese prose hardly uses but TCVN3/VNI bytes decode to.
_ODD_1258 = re.compile("[§¶©®¬¯±²³µ·¸¹º¼½¾¿×÷ÆÇÑØßæçñøÿƒ†‡‰‹›ŒœŸ¢£¤¥¦¨ªÄËÏÖÜäëïöüÅåÎîÛû]")
_VI_WORDS = _words(
    "của và các có là được những trong cho với này đã người không một đảng xã chi bộ đồng chí "
    "năm tỉnh huyện cơ sở việc đến theo để từ khi về nhân dân công tác"
)
_WORD = re.compile(r"[^\W\d_]+")
_BYTE_WORD = re.compile(rb"\S+")
_BYTE_WORD_HIGH = re.compile(rb"[^\s\x80-\xff]*[\x80-\xff]\S*")
_ASCII_LETTER = re.compile(rb"[A-Za-z]")


def decode(data: bytes, *, cut: bool = False) -> Decoded:
    """Decode `data` (possibly a prefix of a larger file when `cut`) or say why not."""
    if not data:
        return Decoded(None, None, "empty file")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec, label, cut)
    sniff = data[:_SNIFF]
    for magic, kind in _MAGIC:
        if sniff.startswith(magic):
            return Decoded(None, None, f"binary file, not text ({kind})")
    if b"\x00" in data:
        guess = _bomless_utf16(data, cut)
        return (
            guess
            if guess is not None
            else Decoded(None, None, "binary file, not text (contains NUL bytes)")
        )
    n_control = len(sniff) - len(sniff.translate(None, _CONTROL_BYTES))
    if n_control > 0.05 * len(sniff):
        return Decoded(None, None, "binary file, not text (many control characters)")
    try:
        return Decoded(_decode(data, "utf-8", cut), "utf-8", None)
    except UnicodeDecodeError as err:
        utf8_error = err
    declared = _declared_charset(sniff)
    if declared is not None:
        try:
            return Decoded(_decode(data, declared, cut), declared, None)
        except (UnicodeDecodeError, LookupError):  # wrong declaration, or not a text codec
            pass
    text = _certain_cp1258(data, cut)
    if text is not None:
        return Decoded(text, "cp1258", None)
    bad = data[utf8_error.start]
    if _looks_legacy_vietnamese(sniff):
        return Decoded(
            None,
            None,
            "not UTF-8; looks like a legacy Vietnamese encoding (TCVN3/VNI) that cannot be "
            "decoded with certainty",
        )
    return Decoded(
        None,
        None,
        f"not UTF-8 (invalid byte 0x{bad:02x} at offset {utf8_error.start}) and not an encoding "
        "that can be decoded with certainty",
    )


def _decode(data: bytes, codec: str, cut: bool) -> str:
    """Strict decode; a file cut mid-character only tolerates the incomplete tail."""
    if not cut:
        return data.decode(codec)
    return codecs.getincrementaldecoder(codec)(errors="strict").decode(data, final=False)


def _strict(data: bytes, codec: str, label: str, cut: bool) -> Decoded:
    try:
        return Decoded(_decode(data, codec, cut), label, None)
    except UnicodeDecodeError as err:
        return Decoded(
            None,
            None,
            f"starts with a {label} byte-order mark but is not valid {label} ({err.reason})",
        )


def _bomless_utf16(data: bytes, cut: bool) -> Decoded | None:
    """UTF-16 without BOM: certain when one byte of most pairs is NUL, the other byte never is, and
    the decoded text has no control characters (Latin-script text is mostly ASCII, whose UTF-16 code
    units carry a NUL high byte)."""
    sample = data[: _SNIFF & ~1]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    if odd_nul >= 0.5 * pairs and even_nul == 0:
        codec = "utf-16-le"
    elif even_nul >= 0.5 * pairs and odd_nul == 0:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = _decode(data, codec, cut)
    except UnicodeDecodeError:
        return None
    if _CONTROL_CHAR.search(text[:_SNIFF]):
        return None
    return Decoded(text, codec, None)


def _declared_charset(sniff: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, as a Python codec name.

    A declaration is trusted as certain (the page's author chose it); it is only consulted when
    the bytes are not UTF-8.
    """
    m = _META_CHARSET.search(sniff[:8192])
    if m is None:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def _certain_cp1258(data: bytes, cut: bool) -> str | None:
    """Windows-1258 text, only if the result is unmistakably Vietnamese.

    cp1258 writes tone marks as combining characters after the vowel; NFC composes them. Garbage
    (TCVN3 or VNI bytes read as cp1258) leaves stray combining marks, odd symbols and few Vietnamese
    letters or words, so all of those are checked.
    """
    try:
        text = unicodedata.normalize("NFC", _decode(data, "cp1258", cut))
    except UnicodeDecodeError:
        return None
    sample = text[:20000]
    n_letters = len(_LETTER.findall(sample))
    n_vi = len(_VI_LETTER.findall(sample))
    if n_letters == 0 or n_vi < 10 or n_vi < 0.12 * n_letters:
        return None
    if _COMBINING.search(sample) or len(_ODD_1258.findall(sample)) > 0.01 * n_letters:
        return None
    words = {w.lower() for w in _WORD.findall(sample)}
    if len(words & _VI_WORDS) < 3:
        return None
    return text


def _looks_legacy_vietnamese(sniff: bytes) -> bool:
    """Mostly ASCII words with 8-bit bytes inside many of them: the shape of TCVN3/VNI text."""
    n_words = len(_BYTE_WORD.findall(sniff))
    if n_words == 0:
        return False
    with_high = len(_BYTE_WORD_HIGH.findall(sniff))
    ascii_letters = len(_ASCII_LETTER.findall(sniff))
    return with_high >= 0.25 * n_words and ascii_letters >= 0.4 * len(sniff)
