"""Source URL, outlet, title and publication date from the cleaned text.

Translations keep the source line ("Sumber: https://nhandan.vn/...") and often a dateline near the
top; those are the only places trusted. Dates inside sentences ("Resolution No. 21 dated 16 June
2022") are about something else, so dates are only taken from short lines at the top.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

#: "Source: URL" in the languages we read; a bare label line ("Sumber") is a source line without URL.
SOURCE_LINE = re.compile(
    r"^(?:sources?|sumber|źródło|zrodlo|nguồn|nguon|nguồn tin|источник|источники|fuente|fonte|quelle)"
    r"\s*(?::\s*(?P<rest>.*))?$",
    re.I,
)
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"'()\[\]]*", re.I
)

#: Leading "date 2025-07-26" / "date 2024-12" stamp some exports put before the text.
DATE_STAMP = re.compile(r"\A\s*date\s+(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\b\s*", re.I)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_TIME = re.compile(r"\b\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:AM|PM|GMT[+-]?\d*|\(GMT[+-]\d+\))?", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19[4-9]\d|20\d\d)(?!\d)")
#: Numeric date patterns and the groups holding (year, month, day), tried in this order.
_DATE_PATTERNS = ((_ISO_DATE, (1, 2, 3)), (_NUMERIC_DATE, (3, 2, 1)))
_HAS_LETTER = re.compile(r"[^\W\d_]")
_LETTER_WORD = re.compile(r"[^\W\d_]+")

_TOP_LINES = 6  # dates and titles are looked for only in the first lines...
_TOP_CHARS = 800  # ...and only this far into the text
_DATELINE_MAX = 80  # a dateline is a short line, not a sentence
_TITLE_MAX_CHARS = 160
_TITLE_MAX_WORDS = 20
_HEADING_MAX_WORDS = 15

#: Leading lines that are site chrome even if boilerplate removal kept them (e.g. series links).
_NOT_TITLE = re.compile(r"^(?:>>|\||\[|#\s*$)")


def find_source_url(text: str) -> str | None:
    """URL of the last source line (it closes the article), or None."""
    end = len(text)
    while end >= 0:  # the lines of text.split("\n") from the last, without splitting all of it
        start = text.rfind("\n", 0, end) + 1
        m = SOURCE_LINE.match(text[start:end].strip())
        if m:
            return _url_in(m.group("rest") or "")
        end = start - 1
    return None


def _url_in(rest: str) -> str | None:
    m = _URL.search(rest)
    if m is None:
        return None
    url = m.group(0).rstrip(".,;:!?")
    if not url.lower().startswith(("http://", "https://")):
        url = "https://" + url
    return url


def outlet_of(url: str | None) -> str | None:
    """Domain of `url` without "www." ("https://www.nhandan.vn/x" -> "nhandan.vn")."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def top_lines(text: str) -> list[str]:
    """The first non-blank lines (stripped) where titles and datelines are looked for.

    `find_title` and `find_published` both start from them; a caller that needs both computes them
    once and uses `title_in` and `published_in`.
    """
    lines: list[str] = []
    seen = 0
    stop = min(len(text), _TOP_CHARS * 4)
    start = 0
    while start <= stop:  # the lines of text[:stop].split("\n"), only as many as are needed
        end = text.find("\n", start, stop)
        if end < 0:
            end = stop
        if seen > _TOP_CHARS and lines:
            break
        seen += end - start + 1
        line = text[start:end].strip()
        if line:
            lines.append(line)
        if len(lines) >= _TOP_LINES:
            break
        start = end + 1
    return lines


def _is_dateline(line: str, first: bool) -> bool:
    """A short line that is mostly a date (optionally with a byline, weekday or time)."""
    return _dateline_date(line, first=first) is not None


def find_title(text: str) -> str | None:
    """First heading-like line of the top of the article.

    The first line is the title when it is short (machine translations often add a final period to
    titles); otherwise the first short line without final punctuation among the next lines; otherwise
    the first line cut at a word boundary.
    """
    return title_in(top_lines(text))


def title_in(top: list[str]) -> str | None:
    """`find_title` for the text whose `top_lines` are `top`."""
    candidates = _title_candidates(top)  # lazy: usually the first candidate is the title
    first = next(candidates, None)
    if first is None:
        return None
    # words are whitespace-separated runs (str.split and re's \s agree on whitespace)
    if len(first) <= _TITLE_MAX_CHARS and len(first.split()) <= _TITLE_MAX_WORDS:
        return first
    for line in candidates:
        if (
            len(line) <= _TITLE_MAX_CHARS
            and len(line.split()) <= _HEADING_MAX_WORDS
            and not line.endswith((".", ":", ";", ",", "…"))
        ):
            return line
    cut = first[:_TITLE_MAX_CHARS]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _title_candidates(top: list[str]) -> Iterator[str]:
    """Top lines that can be a title: not chrome, a dateline or a source line, and with a letter."""
    for i, line in enumerate(top):
        line = DATE_STAMP.sub("", line).strip()
        if (
            not line
            or _NOT_TITLE.match(line)
            or _is_dateline(line, i == 0)
            or SOURCE_LINE.match(line)
        ):
            continue
        if not _HAS_LETTER.search(line):
            continue
        yield line


def find_published(text: str, language: str | None = None) -> str | None:
    """ISO date (YYYY-MM-DD) the article states at its top, or None.

    Accepted: a leading "date YYYY-MM-DD" stamp (a month-only stamp "date 2024-12" gives None: the
    day is unknown); a short top line holding a numeric date, read day-first ("29/05/2024",
    "Báo Nhân dân29/05/2024", "27/08/2025 10:30"); a short top line with a written month and a year
    ("Wednesday, May 29, 2024"), read by dateparser in the article's language with all parts required.
    """
    return published_in(text, top_lines(text), language)


def published_in(text: str, top: list[str], language: str | None = None) -> str | None:
    """`find_published` for `text`, whose `top_lines` are `top`."""
    stamp = DATE_STAMP.match(text)
    if stamp:
        if stamp.group(3) is None:
            return None
        return _iso(int(stamp.group(1)), int(stamp.group(2)), int(stamp.group(3)))
    for i, line in enumerate(top):
        found = _dateline_date(line, first=i == 0)
        if found:
            return found
        if len(line) <= _DATELINE_MAX and _YEAR.search(line) and len(line.split()) <= 6:
            found = _parse_written(line, language)
            if found:
                return found
    return None


def _dateline_date(line: str, *, first: bool) -> str | None:
    """The date of a short dateline: a numeric date at the start or end of the line, with at most
    3 other words (weekday, "Cập nhật:") or, below the first line (the title), a byline of up to 6."""
    if len(line) > _DATELINE_MAX:
        return None
    for pattern, order in _DATE_PATTERNS:
        m = pattern.search(line)
        if m is None:
            continue
        before, after = line[: m.start()], _TIME.sub(" ", line[m.end() :])
        n_other = len(_LETTER_WORD.findall(before)) + len(_LETTER_WORD.findall(after))
        at_edge = not _HAS_LETTER.search(before) or not _HAS_LETTER.search(after)
        if n_other <= 3 or (not first and at_edge and n_other <= 6):
            y, mo, d = (int(m.group(k)) for k in order)
            return _iso(y, mo, d)
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if not 1945 <= year <= dt.date.today().year + 1:
        return None
    return date.isoformat()


def _parse_written(line: str, language: str | None) -> str | None:
    """A dateline with a written month, via dateparser (imported lazily: it is slow to load)."""
    import dateparser  # noqa: PLC0415

    settings = {
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    languages = [language] if language else None
    candidate = _TIME.sub(" ", line).strip(" ,|-–—")
    try:
        parsed = dateparser.parse(candidate, languages=languages, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a missing date is fine
        return None
    if parsed is None:
        return None
    return _iso(parsed.year, parsed.month, parsed.day)
