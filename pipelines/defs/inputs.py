"""Which files in the input folder are articles, the key of each, and the shard it belongs to.

Plain Python (no Dagster): the sensor, the assets, `python -m pipelines run` and the checks must
all agree on the same listing, keys and shards, so they live here once.

Article keys are the file name itself when it is short and made of safe characters
(`000_0dc725d09b6e7b3a.txt`); otherwise a slug plus a short hash of the full name
(`Bài viết số 1.txt` -> `bai-viet-so-1.txt-3f2a91c0`).

Dagster partitions are *shards* of the corpus, not single articles: an article belongs to shard
`shard-NN` with NN = a hash of its key modulo SHARDS. Why: Dagster writes a few events per
partition and asset (~15-35 ms each on SQLite), and each partition owns a folder of Parquet files;
at 100,000 articles, one partition per article meant hours of bookkeeping and 600,000 small files.
With at most SHARDS partitions the bookkeeping is bounded whatever the corpus size, and inside a
shard every article is skipped when its content hash (and the code version) is unchanged, so one
new article is still the only one read and extracted. Shard keys double as folder names under
`settings.parts_dir()`. Both keys are pure functions of the file name, never stored. Changing
SHARDS moves articles between shards: run `python -m pipelines run --full` after it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import time
from pathlib import Path

from pipelines.textnorm import fold

#: Annotation files beside the articles (gold standard), never articles themselves.
IGNORED_SUFFIXES: tuple[str, ...] = (".gold.json",)

_SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_SLUG_BAD = re.compile(r"[^a-z0-9._-]+")


def partition_key_for(file_name: str) -> str:
    """Dagster-safe and filesystem-safe partition key of an article file name (deterministic)."""
    if _SAFE_KEY.match(file_name) and ".." not in file_name:
        return file_name
    slug = _SLUG_BAD.sub("-", fold(file_name).lower()).strip("-._")
    slug = re.sub(r"\.{2,}", ".", slug)[:60].strip("-._") or "file"
    digest = hashlib.sha1(file_name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{slug}-{digest}"


#: Number of shards (Dagster partitions) the corpus is spread over; see the module docstring.
SHARDS = 64


@functools.lru_cache(maxsize=1 << 18)  # pure; a run asks for every key more than once
def shard_for(article_key: str) -> str:
    """The shard (Dagster partition key) of an article key: stable across runs and machines."""
    n = int(hashlib.sha1(article_key.encode("utf-8", "surrogateescape")).hexdigest()[:8], 16)
    return f"shard-{n % SHARDS:02d}"


def shards_of(files: dict[str, Path]) -> dict[str, dict[str, Path]]:
    """shard -> {article key -> file}, shards in key order, articles in listing order."""
    out: dict[str, dict[str, Path]] = {}
    for key, path in files.items():
        out.setdefault(shard_for(key), {})[key] = path
    return dict(sorted(out.items()))


def _is_input_name(name: str) -> bool:
    """Every visible regular file (`list_inputs` checks that) except gold annotations is an input.

    Files of an unsupported type are inputs too: they become `rejected` documents with a reason
    instead of being silently skipped, so the file-accounting check can see them.
    """
    return not name.startswith((".", "~")) and not name.endswith(IGNORED_SUFFIXES)


#: the last listing: (folder, its inode and mtime) -> the listing; see `list_inputs`
_SETTLED_NS = 1_000_000_000  # far above a local file system's timestamp tick (1-10 ms)
_last_listing: tuple[tuple[str, int, int], dict[str, Path]] | None = None


def list_inputs(articles_dir: Path) -> dict[str, Path]:
    """article key -> file, for the top level of `articles_dir` (empty if it does not exist).

    `os.scandir` reads the file type from the directory entry, so listing 100,000 files costs no
    `stat` per file. A run lists the folder several times (before the run, in the `articles`
    step, in the file-accounting check): the last listing is reused while the folder's mtime,
    which moves whenever a file is added, removed or renamed in it, is unchanged."""
    global _last_listing
    try:
        st = articles_dir.stat()
    except OSError:
        return {}
    if not articles_dir.is_dir():
        return {}
    stamp = (str(articles_dir), st.st_ino, st.st_mtime_ns)
    if _last_listing is not None and _last_listing[0] == stamp:
        return dict(_last_listing[1])
    with os.scandir(articles_dir) as it:
        names = sorted(e.name for e in it if _is_input_name(e.name) and e.is_file())
    listing = {partition_key_for(n): articles_dir / n for n in names}
    # like git's racy-timestamp rule: a folder changed in the last second may change again
    # within the same clock tick without its mtime moving, so such a listing is not reused
    settled = time.time_ns() - st.st_mtime_ns > _SETTLED_NS
    _last_listing = (stamp, listing) if settled else None
    return dict(listing)


def file_sha256(path: Path) -> str:
    """sha256 of the raw bytes: the same `content_hash` the corpus reader records."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
