"""The province a provincial outlet covers, read from its domain name.

Provincial Party papers and portals put the province in the domain ('baogialai.com.vn',
'baodienbienphu.com.vn', 'maichau.hoabinh.gov.vn'), so one generic rule covers them all and new
outlets need no table: drop TLDs and language/www labels, drop a leading 'bao'/'tapchi'/... from
each label, then look for province keys (both eras, plus aliases) equal to the label or at its
start or end; the longest key wins ('bacgiang' over 'giang', 'namdinh' over 'hanam'). Only the
national outlets need listing, so that a stray province-like label never localises them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from pipelines.gazetteer.index import Gazetteer

#: National outlets: no province, whatever their labels look like.
NATIONAL_OUTLETS: frozenset[str] = frozenset(
    {
        "nhandan.vn",
        "vietnam.vn",
        "vietnamplus.vn",
        "baochinhphu.vn",
        "qdnd.vn",
        "tuoitre.vn",
        "thanhnien.vn",
        "vnexpress.net",
        "dangcongsan.vn",
        "xaydungdang.org.vn",
        "tapchicongsan.org.vn",
    }
)

_IGNORED_LABELS = frozenset(
    {
        "www", "m", "amp", "en", "english", "vi", "fr", "ru", "zh", "cn", "ja", "ko", "es", "de",
        "id", "ms", "pl", "vn", "com", "net", "org", "gov", "edu", "info", "int", "biz", "io",
    }
)  # fmt: skip
_LABEL_PREFIXES = ("bao", "tapchi", "truyenhinh", "dangbo", "tinhuy", "ubnd", "hdnd", "congan")
#: Keys shorter than this must equal a label ('hue', 'hn', 'hcm'); longer ones may be a prefix/suffix.
_MIN_AFFIX_KEY = 5


def _host(domain: str) -> str:
    d = domain.strip().lower()
    if "://" in d:
        d = urlsplit(d).hostname or ""
    return d.split("/")[0].split(":")[0].strip(".")


def _is_national(host: str) -> bool:
    return any(host == n or host.endswith("." + n) for n in NATIONAL_OUTLETS)


def _label_variants(label: str) -> list[str]:
    out = [label]
    for p in _LABEL_PREFIXES:
        if label.startswith(p) and len(label) > len(p):
            out.append(label[len(p) :])
    return out


def _names(label: str, province_key: str) -> bool:
    """Does a domain label name the province: equal, or (keys of 5+ letters) its start or end?"""
    if label == province_key:
        return True
    return len(province_key) >= _MIN_AFFIX_KEY and (
        label.startswith(province_key) or label.endswith(province_key)
    )


def province_from_outlet(gz: Gazetteer, domain: str | None) -> str | None:
    """Canonical ASCII province name for a provincial outlet's domain (or URL); None otherwise."""
    if not domain:
        return None
    host = _host(domain)
    if not host or _is_national(host):
        return None
    best: tuple[int, str] | None = None
    for label in host.split("."):
        if label in _IGNORED_LABELS:
            continue
        for variant in _label_variants(label.replace("-", "")):
            for k in gz.provinces:
                # Earlier (more specific) labels win ties: only a strictly longer key replaces.
                if _names(variant, k) and (best is None or len(k) > best[0]):
                    best = (len(k), k)
    if best is None:
        return None
    return gz.province_name(best[1])
