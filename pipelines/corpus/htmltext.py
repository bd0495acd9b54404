"""HTML page -> plain article text with the standard library's html.parser.

People save articles from the browser as often as they copy the text, so a page is converted rather
than rejected: scripts, styles and navigation are dropped, entities unescaped, and block elements
become paragraph breaks so the text looks like the copied article.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


def _words(words: str) -> frozenset[str]:
    """A set written as one space-separated string (easier to read and extend than a list)."""
    return frozenset(words.split())


_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S
)
_HTML_TAGS = re.compile(r"<(?:/?p|br|/?div|body|head|/h[1-6])[\s/>]", re.I)

#: Elements whose content is never article text.
_SKIP = _words(
    "script style noscript template svg head title nav form button select iframe object canvas"
)
#: Elements that start a new paragraph.
_BLOCK = _words(
    "p div h1 h2 h3 h4 h5 h6 li ul ol tr table section article header footer aside main "
    "blockquote pre hr figure figcaption dl dt dd address"
)
_VOID = _words("br hr img meta link input area base col embed param source track wbr")
_BR = "\u2028"  # marks a <br> inside a block until the block is flushed
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def looks_like_html(text: str, file_name: str = "") -> bool:
    """A page (doctype/<html>), or a fragment with several paragraph tags, or an .html file with tags."""
    head = text[:4096]
    if "<" not in head:  # both patterns need a tag
        return False
    if _HTML_START.match(head):
        return True
    n_tags = len(_HTML_TAGS.findall(head))
    if file_name.lower().endswith((".html", ".htm")):
        return n_tags >= 1
    return n_tags >= 3


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0

    def _flush(self) -> None:
        text = "".join(self._current)
        self._current = []
        if self._pre_depth:
            lines = [line.strip() for line in text.replace(_BR, "\n").split("\n")]
        else:  # <br> left a line separator: it splits the block into lines, not paragraphs
            lines = [_SPACES.sub(" ", part).strip() for part in text.split(_BR)]
        lines = [line for line in lines if line]
        if lines:
            self.blocks.append("\n".join(lines))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":  # a page that never closed <head> (allowed in HTML5) still shows its body
            self._skip_depth = 0
        if tag in _SKIP:
            if tag not in _VOID:
                self._skip_depth += 1
            return
        if tag == "br":
            self._current.append(_BR)
        elif tag in _BLOCK:
            self._flush()
        if tag == "pre":
            self._pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if tag in _BLOCK:
            self._flush()
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._current.append(data)


def html_to_text(html: str) -> str:
    """Visible text of `html`, one block per paragraph, paragraphs separated by a blank line."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.blocks)
