"""Property tests (hypothesis) for the number parser, the corpus reader and the extractor.

- `read_bytes` never raises on arbitrary bytes and never hides a bug behind its catch-all;
- `extract_text` never raises on arbitrary Unicode in any supported language, and every span it
  returns slices the text to exactly its evidence (facts, mergers, people);
- a number written by `format_number(value, lang)` parses back to the same value, for integers
  0..10^9 and two-decimal numbers below 1000, with `parse_number` and inside a sentence with
  `find_numbers`.

Settings are modest (200 examples, no deadline) so the suite stays fast.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.corpus import read_bytes
from pipelines.extract import extract_document, extract_text
from pipelines.extract.numbers import find_numbers, format_number, parse_number
from pipelines.settings import SUPPORTED_LANGUAGES

LANGS = ("vi", "en", "ms", "id", "pl", "fr", "ru")
SPACE_GROUPS = {"pl", "fr", "ru"}  # languages that group thousands with spaces ("1 193")

PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words the extractor reacts to, per language, so random text also reaches its deeper paths
# (units, keywords, qualifiers, roles) instead of stopping at "no number here".
VOCAB: dict[str, list[str]] = {
    "en": ["The", "Party", "Committee", "of", "commune", "ward", "district", "province", "has", "Party members",
           "Party cells", "nearly", "more than", "Secretary", "merged", "from", "and", "Pa Co", "Dong Loc", "(Hoa Binh)"],
    "vi": ["Đảng bộ", "xã", "phường", "huyện", "tỉnh", "có", "đảng viên", "chi bộ", "gần", "hơn", "Bí thư",
           "sáp nhập", "từ", "và", "Tâm An", "Đồng Thái", "(Ninh Bình)", "đồng chí"],
    "ms": ["Jawatankuasa Parti", "komune", "wad", "daerah", "wilayah", "mempunyai", "ahli parti", "sel parti",
           "hampir", "lebih", "Setiausaha", "bergabung", "daripada", "dan", "Pa U", "Dong Thai", "(Lai Chau)"],
    "id": ["Komite Partai", "Komune", "kelurahan", "distrik", "provinsi", "memiliki", "anggota Partai", "sel Partai",
           "hampir", "lebih dari", "Sekretaris", "digabung", "dari", "dan", "Drang Phok", "Nam Dinh"],
    "pl": ["Komitet Partii", "Gminy", "gmina", "dystrykt", "prowincji", "liczy", "członków partii", "komórek",
           "prawie", "ponad", "Sekretarz", "połączono", "z", "i", "Ia Hiao", "Chu Se", "(Gia Lai)"],
    "fr": ["Le Comité du Parti", "de la commune", "district", "province", "compte", "membres du Parti",
           "cellules", "près de", "plus de", "Secrétaire", "fusion", "de", "et", "Nam Dan", "(Nghe An)"],
    "ru": ["Партийный комитет", "коммуны", "района", "провинции", "имеет", "членов партии", "ячеек",
           "почти", "более", "Секретарь", "объединены", "из", "и", "Куэ Тан", "Que Tan"],
}

_numbers = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(0, 10**9).flatmap(lambda v: st.sampled_from(LANGS).map(lambda lang: format_number(v, lang))),
    st.sampled_from(["1.039", "110.300", "71.1", "85,94", "2,100", "33 690", "1 193", "97%", "1/7/2025",
                     "2020-2025", "0,5", "1.234,5", "1,234.5", "12.", ",5", "1..2", "1,,000"]),
)
_seps = st.sampled_from([" ", " ", " ", ", ", ". ", "; ", "\n", "\n\n", " - ", ": ", "\u00a0", "\t", "(", ")", "\u202f"])


def _mixed_text(lang: str) -> st.SearchStrategy[str]:
    """Arbitrary Unicode interleaved with the language's own words and written numbers."""
    token = st.one_of(
        st.text(max_size=12),
        st.sampled_from(VOCAB[lang]),
        _numbers,
        _seps,
    )
    return st.lists(token, max_size=60).map("".join)


def _assert_spans(text: str, ex) -> None:
    for kind, items in (("fact", ex.metrics), ("merger", ex.mergers), ("person", ex.people)):
        for it in items:
            assert 0 <= it.start <= it.end <= len(text), (kind, it.start, it.end, len(text))
            assert text[it.start : it.end] == it.evidence, (kind, it)


# ----------------------------------------------------------------------------- corpus reader


@PROPS
@given(data=st.binary(max_size=4000), name=st.text(max_size=40))
def test_read_bytes_never_raises(data: bytes, name: str) -> None:
    doc = read_bytes(data, name or "x.txt")
    assert doc.status in ("ok", "rejected")
    assert not (doc.reason or "").startswith("internal error"), doc.reason
    if doc.status == "ok":
        assert doc.text
        assert doc.language is None or doc.language in SUPPORTED_LANGUAGES
    else:
        assert doc.reason


@PROPS
@given(
    text=st.one_of(st.text(max_size=1500), _mixed_text("en"), _mixed_text("vi"), _mixed_text("pl")),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1", "cp1258"]),
)
def test_read_bytes_on_encoded_text_never_raises_and_extracts(text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    doc = read_bytes(data, "article.txt")
    assert not (doc.reason or "").startswith("internal error"), doc.reason
    if doc.status == "ok":
        _assert_spans(doc.text, extract_document(doc))


# ----------------------------------------------------------------------------- extractor


@pytest.mark.parametrize("lang", LANGS)
def test_extract_text_never_raises_and_spans_are_valid(lang: str) -> None:
    @PROPS
    @given(text=st.one_of(st.text(max_size=400), _mixed_text(lang)))
    def prop(text: str) -> None:
        _assert_spans(text, extract_text(text, lang))

    prop()


@PROPS
@given(text=_mixed_text("en"), lang=st.one_of(st.none(), st.sampled_from(["xx", "de", "EN", ""])))
def test_extract_text_unknown_language_falls_back(text: str, lang: str | None) -> None:
    _assert_spans(text, extract_text(text, lang))


# ----------------------------------------------------------------------------- numbers

_integers = st.integers(0, 10**9)
_two_decimals = st.integers(0, 99_999).map(lambda c: c / 100)  # 0.00 .. 999.99


@PROPS
@given(value=st.one_of(_integers, _two_decimals), lang=st.sampled_from(LANGS))
def test_parse_number_reads_back_format_number(value: float, lang: str) -> None:
    written = format_number(value, lang)
    assert parse_number(written) == float(value), (value, lang, written)


@PROPS
@given(value=st.one_of(_integers, _two_decimals), lang=st.sampled_from(LANGS))
def test_find_numbers_reads_back_format_number_in_a_sentence(value: float, lang: str) -> None:
    written = format_number(value, lang)
    text = f"The committee has {written} members."
    found = find_numbers(text, space_groups=lang in SPACE_GROUPS)
    assert [(n.value, text[n.start : n.end]) for n in found] == [(float(value), written)], (value, lang, written)


@PROPS
@given(raw=st.text(max_size=30), decimal_comma=st.booleans())
def test_parse_number_never_raises(raw: str, decimal_comma: bool) -> None:
    v = parse_number(raw, decimal_comma)
    assert v is None or v >= 0


@PROPS
@given(text=st.text(max_size=300), space_groups=st.booleans())
def test_find_numbers_never_raises_and_spans_are_digits(text: str, space_groups: bool) -> None:
    for n in find_numbers(text, space_groups=space_groups):
        assert text[n.start : n.end] == n.raw
        assert n.raw[0].isdigit() and n.raw[-1].isdigit()
