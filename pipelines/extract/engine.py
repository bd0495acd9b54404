"""The shared engine: one pass over an article's sentences with one language pack.

For each sentence: find the units it names, read mergers (which marks the former units so
they never become the topic), read metric facts and people, then move the discourse topic.
Figures before any named unit (a headline) take the first unit named later.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from pipelines.extract.fastre import LiteralGate, PrefixScan, guarded, lowered, may_match
from pipelines.extract.mergers import MergerReader
from pipelines.extract.metrics import MetricReader
from pipelines.extract.model import Extraction, Fact, Merger, Subject
from pipelines.extract.pack import Pack
from pipelines.extract.people import PeopleReader, merge_people
from pipelines.extract.sentences import Span, split_clauses, split_sentences
from pipelines.extract.subjects import ArticleContext, MentionFinder, Resolver
from pipelines.sourcehash import source_digest
from pipelines.textnorm import key

#: a changed rule is a new version: incremental runs re-extract every article after an upgrade
EXTRACTOR_VERSION = f"0.3.0+{source_digest(Path(__file__).resolve().parent)}"
_URL = guarded(re.compile(r"(?:Source|Sumber|Źródło|Nguồn|Источник|Fonte|Quelle)\s*:?\s*(https?://\S+)", re.I))
_URL_SCAN = PrefixScan(_URL)
FALLBACK_LANGUAGE = "en"


@cache
def get_pack(language: str | None) -> Pack:
    code = (language or FALLBACK_LANGUAGE).lower()
    try:
        mod = importlib.import_module(f"pipelines.extract.langs.{code}")
    except ModuleNotFoundError:
        mod = importlib.import_module(f"pipelines.extract.langs.{FALLBACK_LANGUAGE}")
    return mod.PACK


@cache
def _readers(language: str) -> tuple[MentionFinder, MetricReader, MergerReader, PeopleReader]:
    pack = get_pack(language)
    return MentionFinder(pack), MetricReader(pack), MergerReader(pack), PeopleReader(pack)


@cache
def _gates(language: str) -> tuple[LiteralGate, LiteralGate]:
    """Literal gates of the patterns a reader needs before it reads anything: a sentence without
    a merger trigger has no merger, one without a title names no official."""
    _f, _m, mergers_r, people_r = _readers(language)
    return LiteralGate(mergers_r.any_trigger), LiteralGate(people_r.roles_rx)


def _any_in(starts: list[int], a: int, b: int) -> bool:
    """Some position of the sorted `starts` lies in [a, b)."""
    i = bisect_left(starts, a)
    return i < len(starts) and starts[i] < b


def _outlet_province(source_url: str | None, finder: MentionFinder) -> str | None:
    if not source_url or finder.gz is None:
        return None
    m = re.match(r"https?://([^/]+)", source_url)
    if not m:
        return None
    try:
        return finder.gz.province_from_outlet(m.group(1).lower())
    except Exception:
        return None


def _voted_province(mentions: list[list]) -> str | None:
    """Without an outlet province: the province that the article's named units agree on."""
    votes: Counter[str] = Counter()
    for ms in mentions:
        for m in ms:
            if m.kind != "anaphor" and m.province:
                votes[m.province] += 1
    if not votes:
        return None
    ranked = votes.most_common(2)
    top, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return top if second == 0 or n >= 2 * second else None


def extract_text(
    text: str, language: str | None, source_url: str | None = None, published: str | None = None
) -> Extraction:
    """All facts of one article; every fact's span slices `text` to its evidence."""
    lang = (language or FALLBACK_LANGUAGE).lower()
    finder, metrics, mergers_r, people_r = _readers(lang)
    low = lowered(text)
    if source_url is None:
        m = _URL_SCAN.search(text, low)
        source_url = m.group(1) if m else None
    sentences = split_sentences(text)
    ctx = ArticleContext()
    all_mentions = finder.find_all(text, sentences, ctx, low)
    ctx.province = _outlet_province(source_url, finder) or _voted_province(all_mentions)
    if ctx.province:
        for ms in all_mentions:
            for m in ms:
                if m.kind != "anaphor" and not m.province:
                    m.province = ctx.province
    resolver = Resolver(ctx)
    merger_gate, people_gate = _gates(lang)
    triggers = merger_gate.spans(low)
    # where a title can start; without them (odd text) the literal gate decides
    title_starts = people_r.roles_scan.positions(low)
    titles = people_gate.spans(low) if title_starts is None else None
    facts: list[Fact] = []
    mergers: list[Merger] = []
    people = []
    pending: list[Fact] = []
    for i, sent in enumerate(sentences):
        ms = all_mentions[i]
        clauses: list[Span] | None = None  # split only for a reader that will look at them
        if may_match(triggers, sent.start, sent.end):
            clauses = split_clauses(text, sent)
            got_m, got_f = mergers_r.read(text, sent, clauses, ms, resolver, low)
            mergers += got_m
            facts += got_f
        resolver.enter(ms)
        if metrics.has_figures(text, sent):
            if clauses is None:
                clauses = split_clauses(text, sent)
            for f in metrics.read(text, sent, clauses, ms, resolver, low):
                (pending if not f.subject.name else facts).append(f)
        if _any_in(title_starts, sent.start, sent.end) if title_starts is not None else may_match(titles, sent.start, sent.end):
            people += people_r.read(text, sent, ms, resolver, title_starts)
        resolver.leave(ms)
    if pending and resolver.first_topic is not None:
        t = resolver.first_topic
        for f in pending:
            f.subject = Subject(t.name, t.level, t.province)
            f.confidence = 0.5
            facts.append(f)
    facts.sort(key=lambda f: f.start)
    return Extraction(
        language=lang,
        metrics=_dedupe_facts(facts),
        mergers=_dedupe_mergers(mergers),
        people=merge_people(people),
    )


def _dedupe_facts(facts: list[Fact]) -> list[Fact]:
    seen: set[tuple[str, str, str, float]] = set()
    out: list[Fact] = []
    for f in sorted(facts, key=lambda f: -f.confidence):
        k = (key(f.subject.name), f.subject.level, f.metric, round(f.value, 4))
        if k in seen:
            continue
        seen.add(k)
        out.append(f)
    out.sort(key=lambda f: f.start)
    return out


def _dedupe_mergers(ms: list[Merger]) -> list[Merger]:
    seen: set[tuple[str, frozenset[str]]] = set()
    out: list[Merger] = []
    for m in ms:
        k = (key(m.new_unit.name), frozenset(key(p) for p in m.predecessors))
        if k in seen:
            continue
        seen.add(k)
        out.append(m)
    return out


def extract_document(doc: Any) -> Extraction:
    """Extract from a `corpus.Document` (uses its normalized text, language and source URL)."""
    return extract_text(doc.text or "", doc.language, getattr(doc, "source_url", None), getattr(doc, "published", None))
