"""Normalize decoded text and strip the site chrome that aggregators paste around articles.

Every character offset in the project refers to the output of `clean`, so it is a pure function of
its input: NFC, "\\n" newlines, no invisible characters, boilerplate lines removed, lines stripped,
at most one blank line in a row, no leading or trailing blank lines.

What is removed (each rule is a whole-line rule; text inside sentences is never touched):
- anywhere: comment counters ("Komen (0)", "Bình luận (12)"), "No data", ad markers ("[iklan_1]"),
  "No videos available";
- at the top: site chrome ("Vietnam.vn - Nền tảng quảng bá Việt Nam", "Độc lập - Tự do - Hạnh
  phúc") and series links (">> Lekcja 1: ...");
- at the end: the navigation tail after the article, i.e. after the last source line ("Sumber:
  URL") or a related-articles heading ("Dalam topik yang sama", "Cùng chủ đề", ...), every line
  that looks like a headline or menu item (at most 200 characters and 30 words, and no final
  period unless it has at most 4 words), read backwards from the end. A paragraph or a sentence
  stops the trimming, so a source line in the middle of a text never costs the body.
The source line itself is kept: it is part of the article and metadata reads it.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import filterfalse

from .metadata import SOURCE_LINE

#: Characters that need work: odd line breaks (-> "\n"), and invisible characters and controls that
#: are removed (zero-width space, BOM, soft hyphen, C0/C1 controls other than tab and newline).
_SPECIAL = re.compile(
    "[\u2028\u2029\u0085\u000b\u000c\u200b\ufeff\u00ad\u0000-\u0008\u000e-\u001f\u007f-\u009f]"
)
#: _SPECIAL's ASCII characters (as bytes) and its characters beyond U+00FF, for `_has_special`.
_SPECIAL_ASCII_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_SPECIAL_WIDE = ("\u200b", "\u2028", "\u2029", "\ufeff")
_LINE_BREAKS = re.compile("[\u2028\u2029\u0085\u000b\u000c]")
_INVISIBLE = re.compile("[\u200b\ufeff\u00ad\u0000-\u0008\u000e-\u001f\u007f-\u009f]")

_COMMENT_WORDS = (
    "komen|komentar|komentarz|komentarze|komentarzy|comments?|bình luận|binh luan|"
    "commentaires?|комментари[йяи]|ý kiến|opinie|ulasan"
)
_BOILERPLATE_LINE = re.compile(
    rf"^(?:(?:{_COMMENT_WORDS})\s*\(\s*\d+\s*\)"
    r"|no data|brak danych|tiada data|tidak ada data|không có dữ liệu|aucune donnée|нет данных"
    r"|no videos? available|brak (?:dostępnych )?filmów|tiada video|tidak ada video|không có video"
    r"|aucune vidéo disponible|нет доступных видео"
    r"|\[\s*[^\W\d_]{2,15}(?:[_ ]\d{1,3})?\s*\])$",
    re.I,
)
_LEADING_CHROME = re.compile(
    r"^(?:vietnam\.vn(?:\s*[-–—|:].*)?|độc lập\s*[-–—]\s*tự do\s*[-–—]\s*hạnh phúc"
    r"|cộng hòa xã hội chủ nghĩa việt nam|>>.*)$",
    re.I,
)
_LEADING_CHROME_LINES = 8  # chrome is only looked for among the first non-empty lines

_RELATED_HEADING = re.compile(
    r"^(?:dalam topik yang sama|dalam kategori yang sama|dari penulis yang sama"
    r"|daripada pengarang yang sama|dalam topik|berita terkait|baca juga|artikel terkait"
    r"|cùng chủ đề|cùng chuyên mục|cùng tác giả|tin liên quan|bài viết liên quan|tin cùng chuyên mục"
    r"|xem thêm|w tej samej kategorii|w tym samym temacie|od tego samego autora|tego samego autora"
    r"|powiązane|in the same (?:topic|category)|from the same author|by the same author"
    r"|related(?: articles| news| posts)?|read more|see also|dans le même (?:sujet|thème)"
    r"|dans la même catégorie|du même auteur|à lire aussi|voir aussi"
    r"|в той же (?:теме|категории)|от того же автора|по теме|читайте также|похожие новости)\s*:?$",
    re.I,
)
#: A line this short (characters and words) in the tail is a headline or menu item, not article text.
_TAIL_LINE_MAX_CHARS = 200
_TAIL_LINE_MAX_WORDS = 30
_MENU_MAX_WORDS = 4  # a line this short is navigation even with a final period


def normalize(text: str) -> str:
    """NFC, LF newlines, invisible characters removed."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _has_special(text):  # rare: one scan decides whether the two rewrites are needed
        text = _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _has_special(text: str) -> bool:
    """`_SPECIAL.search(text)`, in about a third of the time.

    A regex scan costs some 60 instructions a character. Instead: the four characters beyond
    U+00FF are looked for with `in`; in the UTF-8 bytes, U+0080..U+00BF (the C1 controls, U+0085
    and the soft hyphen among them) are the only characters that start with 0xC2, so without that
    byte only ASCII controls are left, which a byte deletion counts. Text with a 0xC2 byte (a
    no-break space, guillemets) still gets the regex.
    """
    if not text.isascii() and any(map(text.__contains__, _SPECIAL_WIDE)):
        return True
    encoded = text.encode("utf-8", "surrogatepass")
    if b"\xc2" in encoded:
        return _SPECIAL.search(text) is not None
    return len(encoded.translate(None, _SPECIAL_ASCII_BYTES)) != len(encoded)


def clean(text: str) -> str:
    """`normalize`, then strip boilerplate lines and tidy whitespace (see the module docstring)."""
    lines = list(map(str.strip, normalize(text).split("\n")))
    lines = list(filterfalse(_BOILERPLATE_LINE.match, lines))
    lines = _drop_navigation_tail(_drop_leading_chrome(lines))  # a new list: ours to change
    while lines and not lines[-1]:  # a final newline leaves one
        lines.pop()
    if "" in lines:  # most texts have no other blank line, and then there is nothing to squeeze
        lines = _squeeze_blank_lines(lines)
    return "\n".join(lines)


def _squeeze_blank_lines(lines: list[str]) -> list[str]:
    """No leading or trailing blank lines, and at most one blank line in a row."""
    out: list[str] = []
    blank = True  # drops leading blank lines and runs of blank lines
    for line in lines:
        if line or not blank:
            out.append(line)
        blank = not line
    while out and not out[-1]:
        out.pop()
    return out


def _drop_leading_chrome(lines: list[str]) -> list[str]:
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if not _LEADING_CHROME.match(line):
            return lines[i:]
        seen += 1
        if seen >= _LEADING_CHROME_LINES:
            return lines[i + 1 :]
    return []


def _is_short(line: str) -> bool:
    """Headline or menu item: short, and not a sentence (headlines carry no final period)."""
    if len(line) > _TAIL_LINE_MAX_CHARS or line.count(" ") >= _TAIL_LINE_MAX_WORDS:
        return False
    return not line.endswith(".") or line.endswith("...") or line.count(" ") < _MENU_MAX_WORDS


def _drop_navigation_tail(lines: list[str]) -> list[str]:
    """Cut after the last source line / related heading when only short lines follow it."""
    end = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line:
            continue
        if SOURCE_LINE.match(line):
            return lines[: i + 1]
        if _RELATED_HEADING.match(line):
            end = i  # keep looking: a source line above it may close the article
            continue
        if not _is_short(line):
            return lines[:end]
    return lines[:end]
