"""`read_article` / `read_bytes`: one file in, one `Document` out, never an exception for bad input.

Order of work: fingerprint the raw bytes, decode (or reject), convert HTML, cap the size, clean,
check the language, read the metadata. Every failure becomes status "rejected" with a sentence a
person can act on, so one bad file never stops a run over a folder.

Size policy: a file of any size is hashed in full (streamed), but only its first MAX_TEXT_CHARS
characters are decoded and kept; such a document stays "ok" and says so in `reason`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO

from .boilerplate import clean
from .decode import Decoded, decode
from .document import STATUS_OK, STATUS_REJECTED, Document, text_id
from .htmltext import html_to_text, looks_like_html
from .language import detect, unsupported_language
from .metadata import find_source_url, outlet_of, published_in, title_in, top_lines

#: Characters kept for extraction (about 400 pages); longer files are cut at a line break.
MAX_TEXT_CHARS = 2_000_000
#: Bytes that can hold MAX_TEXT_CHARS characters in any supported encoding (UTF-8/32: 4 a char).
MAX_DECODE_BYTES = 4 * MAX_TEXT_CHARS + 4
_CHUNK = 1 << 20


def read_article(path: str | os.PathLike[str]) -> Document:
    """Read one article file. OSErrors (vanished file, permission, directory) become rejections."""
    p = Path(path)
    abs_path = str(p.absolute())
    try:
        with p.open("rb") as fh:
            if os.fstat(fh.fileno()).st_size <= MAX_DECODE_BYTES:  # the usual case: one read
                data = fh.read()
                head, n_bytes, content_hash = data, len(data), None
                if n_bytes > MAX_DECODE_BYTES:  # grew since fstat
                    head, content_hash = data[:MAX_DECODE_BYTES], hashlib.sha256(data).hexdigest()
            else:
                head, n_bytes, content_hash = _stream(fh)
    except OSError as err:
        return _unreadable(p.name, abs_path, err)
    if content_hash is None:
        return read_bytes(head, p.name, abs_path)
    return _safe_build(head, p.name, abs_path, n_bytes=n_bytes, content_hash=content_hash)


def read_bytes(data: bytes, file_name: str, path: str | None = None) -> Document:
    """Same as `read_article` for bytes already in memory (tests, benchmarks, uploads)."""
    whole = len(data) <= MAX_DECODE_BYTES  # then `_build` hashes it (with the text, in one pass)
    return _safe_build(
        data if whole else data[:MAX_DECODE_BYTES],
        file_name,
        path if path is not None else file_name,
        n_bytes=len(data),
        content_hash=None if whole else hashlib.sha256(data).hexdigest(),
    )


def _stream(fh: BinaryIO) -> tuple[bytes, int, str]:
    """Huge file: hash all of it, keep only the head that can hold MAX_TEXT_CHARS characters."""
    digest = hashlib.sha256()
    kept = bytearray()
    n_bytes = 0
    while chunk := fh.read(_CHUNK):
        digest.update(chunk)
        n_bytes += len(chunk)
        if len(kept) < MAX_DECODE_BYTES:
            kept += chunk[: MAX_DECODE_BYTES - len(kept)]
    return bytes(kept), n_bytes, digest.hexdigest()


def _safe_build(
    data: bytes, file_name: str, path: str, *, n_bytes: int, content_hash: str | None
) -> Document:
    """`_build`, with any unexpected error turned into a rejection so one file never stops a run.

    `content_hash` None means `data` is the whole file, not hashed yet.
    """
    try:
        return _build(data, file_name, path, n_bytes=n_bytes, content_hash=content_hash)
    except Exception as err:  # a bug on one odd file must not stop a folder; the reason names it
        return _rejected(
            file_name,
            path,
            n_bytes,
            content_hash or hashlib.sha256(data).hexdigest(),
            f"internal error while reading: {type(err).__name__}: {err}",
        )


def _unreadable(file_name: str, path: str, err: OSError) -> Document:
    if isinstance(err, FileNotFoundError):
        reason = "file not found (it was moved or deleted before it could be read)"
    elif isinstance(err, IsADirectoryError):
        reason = "is a directory, not a file"
    elif isinstance(err, PermissionError):
        reason = "cannot read file: permission denied"
    else:
        reason = f"cannot read file: {err.strerror or err}"
    # No bytes, so no content hash; the id comes from the path so two unreadable files stay apart.
    doc_id = hashlib.sha256(f"unreadable:{path}".encode()).hexdigest()[:16]
    return Document(
        doc_id=doc_id,
        file_name=file_name,
        path=path,
        status=STATUS_REJECTED,
        reason=reason,
        content_hash="",
        n_bytes=0,
    )


def _rejected(
    file_name: str,
    path: str,
    n_bytes: int,
    content_hash: str,
    reason: str,
    encoding: str | None = None,
) -> Document:
    return Document(
        doc_id=content_hash[:16],
        file_name=file_name,
        path=path,
        status=STATUS_REJECTED,
        reason=reason,
        content_hash=content_hash,
        n_bytes=n_bytes,
        encoding=encoding,
    )


def _build(
    data: bytes, file_name: str, path: str, *, n_bytes: int, content_hash: str | None
) -> Document:
    cut_bytes = n_bytes > len(data)
    decoded = decode(data, cut=cut_bytes)
    if decoded.text is None:
        content_hash = content_hash or hashlib.sha256(data).hexdigest()
        return _rejected(file_name, path, n_bytes, content_hash, decoded.reason or "cannot decode")
    raw = decoded.text
    truncated = cut_bytes
    if len(raw) > MAX_TEXT_CHARS:
        raw = _cut(raw, MAX_TEXT_CHARS)
        truncated = True
    if looks_like_html(raw, file_name):
        raw = html_to_text(raw)
    text = clean(raw)
    if content_hash is None:
        doc_id, content_hash = _ids(data, decoded, text)
    else:
        doc_id = text_id(text)
    if not text:
        return _rejected(
            file_name,
            path,
            n_bytes,
            content_hash,
            "no text (the file is blank or holds only site boilerplate)",
            decoded.encoding,
        )
    reason = None
    if truncated:
        reason = (
            f"file is {n_bytes / 1e6:.1f} MB: only the first {MAX_TEXT_CHARS:,} characters "
            "were kept for extraction"
        )
    source_url = find_source_url(text)
    top = top_lines(text)  # where both the title and the date are looked for
    doc = Document(
        doc_id=doc_id,
        file_name=file_name,
        path=path,
        status=STATUS_OK,
        reason=reason,
        content_hash=content_hash,
        n_bytes=n_bytes,
        encoding=decoded.encoding,
        text=text,
        title=title_in(top),
        source_url=source_url,
        outlet=outlet_of(source_url),
    )
    foreign = unsupported_language(text)
    if foreign is not None:
        doc.status = STATUS_REJECTED
        doc.reason = f"unsupported language ({foreign})"
        return doc
    doc.language, doc.language_confidence = detect(text)
    doc.published = published_in(text, top, doc.language)
    return doc


def _ids(data: bytes, decoded: Decoded, text: str) -> tuple[str, str]:
    """(`text_id(text)`, SHA-256 of `data`) for a whole file `data` and its cleaned `text`.

    When `data` is plain UTF-8 and cleaning kept a prefix of it (it often only drops the final
    newline), the text's UTF-8 bytes are a prefix of `data`: one SHA-256 pass gives both hashes,
    and the text need not be encoded.
    """
    if decoded.encoding == "utf-8" and decoded.text is not None and decoded.text.startswith(text):
        tail = decoded.text[len(text) :]
        size = len(data) - (len(tail) if tail.isascii() else len(tail.encode("utf-8")))
        view = memoryview(data)
        digest = hashlib.sha256(view[:size])
        doc_id = digest.hexdigest()[:16]  # hexdigest leaves the digest open for more data
        digest.update(view[size:])
        return doc_id, digest.hexdigest()
    return text_id(text), hashlib.sha256(data).hexdigest()


def _cut(text: str, limit: int) -> str:
    """First `limit` characters, ending at a line break when one is near the limit."""
    head = text[:limit]
    newline = head.rfind("\n", limit - limit // 10)
    return head[:newline] if newline > 0 else head
