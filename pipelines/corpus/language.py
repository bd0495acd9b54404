"""Language of an article: lingua restricted to the supported languages, plus an unsupported check.

lingua restricted to our languages always answers one of them, which is what extraction needs
(it picks the language pack and the number locale), but it would also call a German or Thai article
"Polish" or "English". A cheap second opinion catches those, and only when it is certain:
- script: at least half of the letters are in a script none of our languages use (Thai, Han,
  Arabic, Hangul, ...), or the Cyrillic is clearly Ukrainian (і ї є ґ);
- stopwords: in a text of at least 15 words, the function words of one unsupported language
  (German, Spanish, Italian, Portuguese, Dutch; lists without words our languages use) make up at
  least 10% of the words and more than the function words of any supported language do.

Speed: lingua's cost grows with the text, so it reads the first ~300 characters (about 0.25 ms) and
only rereads up to 3,000 characters when it is not confident (below 0.9).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from itertools import compress
from operator import not_
from typing import TYPE_CHECKING

from pipelines.settings import SUPPORTED_LANGUAGES

if TYPE_CHECKING:
    from lingua import LanguageDetector

SHORT_SAMPLE = 300
SCRIPT_SAMPLE = 1000
LONG_SAMPLE = 3000
CONFIDENT = 0.9


def _words(words: str) -> frozenset[str]:
    """A set written as one space-separated string (easier to read and extend than a list)."""
    return frozenset(words.split())


_detector: LanguageDetector | None = None
_lock = threading.Lock()


def detector() -> LanguageDetector:
    """The lingua detector for SUPPORTED_LANGUAGES, built once per process (high-accuracy mode).

    Models load lazily per language on first use (about 200 MB for all seven).
    """
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

                languages = [
                    Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                    for code in SUPPORTED_LANGUAGES
                ]
                _detector = LanguageDetectorBuilder.from_languages(*languages).build()
    return _detector


def _sample(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    cut = text[:size]
    space = cut.rfind(" ")
    return cut[:space] if space > size // 2 else cut


def detect(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence 0..1) among SUPPORTED_LANGUAGES; (None, 0.0) when there is no text.

    A short or ambiguous text still gets lingua's best guess with its (low) confidence.
    """
    det = detector()
    sample = _sample(text, SHORT_SAMPLE)
    values = det.compute_language_confidence_values(sample)
    if values and values[0].value < CONFIDENT and len(text) > len(sample):
        values = det.compute_language_confidence_values(_sample(text, LONG_SAMPLE))
    if not values or values[0].value <= 0.0:
        return None, 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value)


#: Anything outside Latin, Cyrillic, combining marks and general punctuation/symbol blocks.
_FOREIGN_CHAR = re.compile(
    "[^\u0000-\u024f\u0300-\u036f\u0400-\u052f\u1e00-\u1eff\u2000-\u2bff\ufe00-\ufe0f]"
)
_OUR_SCRIPTS = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0400-\u04ff]")
_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")
#: Either of the two above in one scan: the script checks only run when it finds something. It is
#: _FOREIGN_CHAR with the eight Ukrainian letters (U+0404 U+0406 U+0407 U+0454 U+0456 U+0457
#: U+0490 U+0491) taken out of the allowed Cyrillic block.
_FOREIGN_OR_UKRAINIAN = re.compile(
    "[^\u0000-\u024f\u0300-\u036f\u0400-\u0403\u0405\u0408-\u0453\u0455\u0458-\u048f"
    "\u0492-\u052f\u1e00-\u1eff\u2000-\u2bff\ufe00-\ufe0f]"
)
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_NON_LETTERS = "".join(chr(c) for c in range(128) if not chr(c).isalpha())
_ASCII_NON_LETTER_TO_SPACE = str.maketrans(_ASCII_NON_LETTERS, " " * len(_ASCII_NON_LETTERS))
_ASCII_NON_LETTER_BYTES_TO_SPACE = bytes.maketrans(
    _ASCII_NON_LETTERS.encode(), b" " * len(_ASCII_NON_LETTERS)
)

_UNSUPPORTED_STOPWORDS: dict[str, frozenset[str]] = {
    "German": _words(
        "der die und das ist nicht mit von den dem ein eine einer auf für sich auch wird werden "
        "wurde zu sind bei nach über aus oder aber noch nur dass"
    ),
    "Spanish": _words(
        "el los las del y es al lo como más pero sus fue este esta también entre desde sobre"
    ),
    "Italian": _words(
        "della delle degli che nel nella alla sono gli anche questo questa più stato essere"
    ),
    "Portuguese": _words("não uma os dos das em ao mais pelo pela também seu sua foi são"),
    "Dutch": _words("het een niet zijn voor wordt worden ook uit naar deze maar nog wel heeft"),
}
_SUPPORTED_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the of and to in is that for with on by as are was it be at from"),
    "fr": _words("le la les de des et du un une est pour dans que qui sur au par avec"),
    "pl": _words("i w z się na do nie że jest oraz to o od po przez dla"),
    "ms/id": _words("yang dan di untuk dengan ini itu dari pada ke dalam tidak akan telah"),
    "vi": _words("của và các có là được những trong cho với này đã người không một"),
    "ru": _words("и в не на что с по как к из о за от для"),
}


#: (name, is_supported) per stopword list, and word -> indexes of the lists it is in.
_GROUPS: list[tuple[str, bool]] = [(name, False) for name in _UNSUPPORTED_STOPWORDS] + [
    (name, True) for name in _SUPPORTED_STOPWORDS
]
_STOPWORD_GROUPS: dict[str, tuple[int, ...]] = {}
for _i, _words in enumerate([*_UNSUPPORTED_STOPWORDS.values(), *_SUPPORTED_STOPWORDS.values()]):
    for _w in _words:
        _STOPWORD_GROUPS[_w] = (*_STOPWORD_GROUPS.get(_w, ()), _i)
#: Every word of an unsupported list: their count bounds the hits of each unsupported list.
_UNSUPPORTED_WORDS: frozenset[str] = frozenset().union(*_UNSUPPORTED_STOPWORDS.values())


def unsupported_language(text: str) -> str | None:
    """A short description ("Thai script", "German") when the text is certainly in a language we
    do not support, else None. See the module docstring for the rule."""
    sample = _sample(text, SCRIPT_SAMPLE)
    # Both script rules need a non-ASCII letter, so ASCII text (and text whose non-ASCII letters
    # are all in our scripts, one scan) skips them.
    if not sample.isascii() and _FOREIGN_OR_UKRAINIAN.search(sample):
        script = _unsupported_script(sample)
        if script is not None:
            return script
    words = _letter_runs(sample.lower())
    if len(words) < 15:
        return None
    # No unsupported list can have more hits than there are words of any unsupported list; when
    # those are under the 10% bar (nearly every article) the per-word count below cannot pass it.
    if sum(map(_UNSUPPORTED_WORDS.__contains__, words)) < 0.10 * len(words):
        return None
    hits = [0] * len(_GROUPS)
    for word in words:
        for group in _STOPWORD_GROUPS.get(word, ()):
            hits[group] += 1
    best_supported = max(hits[i] for i, (_, supported) in enumerate(_GROUPS) if supported)
    for i, (name, supported) in enumerate(_GROUPS):
        if not supported and hits[i] >= 0.10 * len(words) and hits[i] > best_supported:
            return name
    return None


def _unsupported_script(sample: str) -> str | None:
    """The script rule: "<name> script" when most letters are in a script we do not read,
    "Ukrainian" for clearly Ukrainian Cyrillic, else None."""
    if _FOREIGN_CHAR.search(sample):  # the counting below only runs when a foreign letter exists
        n_letters = sum(ch.isalpha() for ch in sample)
        n_foreign = n_letters - len(_OUR_SCRIPTS.findall(sample))
        if n_letters >= 20 and n_foreign >= 0.5 * n_letters:
            return _main_foreign_script(sample) + " script"
    if _UKRAINIAN.search(sample):
        letters = _WORD.findall(sample)
        n_letters = sum(map(len, letters))
        n_ukrainian = len(_UKRAINIAN.findall(sample))
        if n_letters >= 20 and n_ukrainian >= 0.02 * n_letters:
            return "Ukrainian"
    return None


def _letter_runs(text: str) -> list[str]:
    """The words of `_WORD.findall(text)`, in another order (only their counts are used).

    One regex match per word is slow, and "word character, not digit, not underscore" is a costly
    class outside ASCII. Turning every ASCII non-letter into a space (a byte table, so non-ASCII
    characters pass untouched) keeps the letter runs as they are, and `split` then returns them as
    whole tokens; only tokens that still hold a non-letter (non-ASCII punctuation, a superscript)
    go through `_WORD`, joined by spaces so no run crosses from one token into the next.
    """
    if text.isascii():
        return text.translate(_ASCII_NON_LETTER_TO_SPACE).split()
    spaced = text.encode("utf-8", "surrogatepass").translate(_ASCII_NON_LETTER_BYTES_TO_SPACE)
    tokens = spaced.decode("utf-8", "surrogatepass").split()
    pure = list(map(str.isalpha, tokens))  # isalpha: every character is one of _WORD's letters
    words = list(compress(tokens, pure))
    if len(words) < len(tokens):
        words += _WORD.findall(" ".join(compress(tokens, map(not_, pure))))
    return words


def _main_foreign_script(sample: str) -> str:
    scripts: Counter[str] = Counter()
    for ch in sample:
        if ch.isalpha() and not _OUR_SCRIPTS.match(ch):
            scripts[unicodedata.name(ch, "UNKNOWN").split()[0]] += 1
    name = scripts.most_common(1)[0][0] if scripts else "UNKNOWN"
    return {"CJK": "Han", "HANGUL": "Hangul"}.get(name, name.title())
