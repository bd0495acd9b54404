"""Vietnamese names inside other languages: syllable shape, Polish case endings, place/person split."""

import pytest

from pipelines.extract.names import (
    NameRun,
    depolonize,
    display_name,
    is_syllable,
    split_person_tail,
)


@pytest.mark.parametrize("tok", ["Ngh", "Party", "Committee", "Jawatankuasa", "Accordingly", "Komitet", "Sanga"])
def test_not_syllables(tok):
    assert not is_syllable(tok)


@pytest.mark.parametrize("tok", ["Nguyễn", "Pồn", "Hiao", "H'Ler", "Púch", "Khuong", "Drang", "Y", "Ia"])
def test_syllables(tok):
    assert is_syllable(tok)


def test_polish_case_endings_are_undone():
    assert depolonize("Sanga") == "Sang"
    assert depolonize("Hoa") == "Hoa"  # already a syllable: untouched


def test_display_name_is_ascii_and_unshouted():
    assert display_name(("Đồng", "Thái")) == "Dong Thai"
    assert display_name(("MAO", "DIEN")) == "Mao Dien"


def _run(words):
    text = " ".join(words)
    return NameRun(text, 0, len(text), tuple(words))


def test_place_then_person_is_split():
    place, person = split_person_tail(_run(["Hua", "Bum", "Phan", "Van", "Coc"]))
    assert place.text == "Hua Bum" and person.text == "Phan Van Coc"
    place, person = split_person_tail(_run(["Dong", "Thai", "Nguyen", "Tien", "Viet"]))
    assert place.text == "Dong Thai" and person.text == "Nguyen Tien Viet"


def test_place_names_stay_whole():
    place, person = split_person_tail(_run(["Dak", "To", "Pang"]))
    assert person is None and place.text == "Dak To Pang"
    place, person = split_person_tail(_run(["Nguyen", "Thi", "Thanh", "Huyen"]))
    assert place is None and person.text == "Nguyen Thi Thanh Huyen"
