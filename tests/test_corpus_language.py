"""Language detection among the supported languages, and the unsupported-language rule."""

from __future__ import annotations

import pytest

from pipelines.corpus import read_bytes
from pipelines.corpus.language import detect, detector, unsupported_language
from pipelines.settings import SUPPORTED_LANGUAGES

SENTENCES = {
    "vi": "Đảng bộ xã hiện có 32 chi bộ trực thuộc với 754 đảng viên.",
    "en": "The commune Party Committee currently has 38 Party cells with 560 members.",
    "fr": "Le Comité du Parti compte 40 cellules du Parti, avec 1 193 membres du Parti.",
    "ru": "Партийный комитет коммуны имеет 11 подчиненных отделений и 178 членов партии.",
    "pl": "Komitet partyjny gminy liczy 24 oddziały partyjne, zrzeszające 2639 członków partii.",
    "ms": "Jawatankuasa Parti komune kini mempunyai hampir 400 ahli parti, beroperasi di 26 sel parti.",
    "id": "Komite Partai kelurahan saat ini beranggotakan 11 orang dan membawahi tiga sel Partai.",
}


@pytest.mark.parametrize("code,sentence", SENTENCES.items())
def test_short_sentences(code, sentence):
    language, confidence = detect(sentence)
    assert language == code
    assert 0.5 < confidence <= 1.0


def test_detector_is_built_once_for_supported_languages_only():
    assert detector() is detector()
    values = detector().compute_language_confidence_values("Komite Partai kelurahan")
    codes = {value.language.iso_code_639_1.name.lower() for value in values}
    assert codes == set(SUPPORTED_LANGUAGES)


def test_no_letters_gives_no_language():
    assert detect("12345 67,89 %") == (None, 0.0)


def test_tiny_text_still_gets_a_guess():
    language, confidence = detect("Komite Partai")
    assert language in SUPPORTED_LANGUAGES
    assert 0.0 < confidence <= 1.0


@pytest.mark.parametrize(
    "text,verdict",
    [
        (
            "Das ist ein Artikel über die Partei und die Gemeinde. Die Mitglieder der Partei sind in der "
            "Gemeinde sehr aktiv, und das Komitee hat auch eine neue Sitzung mit den Vertretern abgehalten.",
            "German",
        ),
        ("พรรคคอมมิวนิสต์เวียดนามมีสมาชิกพรรคจำนวนมากในระดับตำบลและหมู่บ้านทั่วประเทศ", "Thai script"),
        ("越南共产党在全国各地的乡镇和村庄都有大量党员，基层党组织不断巩固和发展。", "Han script"),
        (
            "Партійний комітет громади має 11 підпорядкованих осередків і 178 членів партії, які "
            "активно працюють у селах.",
            "Ukrainian",
        ),
    ],
)
def test_unsupported_languages_are_flagged(text, verdict):
    assert unsupported_language(text) == verdict
    doc = read_bytes(text.encode(), "foreign.txt")
    assert doc.status == "rejected"
    assert doc.reason == f"unsupported language ({verdict})"
    assert doc.language is None


@pytest.mark.parametrize("code", SENTENCES)
def test_supported_languages_are_not_flagged(code):
    text = " ".join([SENTENCES[code]] * 4)
    assert unsupported_language(text) is None


def test_quoted_foreign_phrase_does_not_flag_an_article():
    text = (SENTENCES["en"] + " ") * 3 + 'The motto "Einigkeit und Recht und Freiheit" was quoted.'
    assert unsupported_language(text) is None
