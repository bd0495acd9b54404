"""Locale-aware numbers: the per-number rule of the stack notes, on forms seen in real articles."""

import pytest

from pipelines.extract.numbers import find_numbers, format_number, parse_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("110.300", 110300),  # id/vi thousands
        ("2,100", 2100),  # ms thousands before "bilion"
        ("71.1", 71.1),  # decimal
        ("85,94", 85.94),  # pl/vi decimal comma
        ("1,035", 1035),  # en thousands
        ("1.039", 1039),  # vi thousands
        ("4.293", 4293),
        ("104,55", 104.55),
        ("0.500", 0.5),  # a leading zero is never a thousands group
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("33 690", 33690),
        ("1 193", 1193),
        ("7", 7),
    ],
)
def test_parse_number(raw, value):
    assert parse_number(raw) == pytest.approx(value)


def test_parse_number_rejects_garbage():
    assert parse_number("") is None
    assert parse_number("1.2.3") is None  # inner groups of 1 digit are no thousands
    assert parse_number("abc") is None


def test_space_groups_only_where_the_language_writes_them():
    pl = [n.value for n in find_numbers("W 2023 r. 33 690/39 204 członków", space_groups=True)]
    assert pl == [2023, 33690, 39204]
    en = [n.value for n in find_numbers("has 38 Party cells with 560 members", space_groups=False)]
    assert en == [38, 560]
    # a number of more than three digits never takes a following group
    assert [n.value for n in find_numbers("w 2023 690 osób", space_groups=True)] == [2023, 690]


def test_spans_point_at_the_digits():
    text = "lebih dari 110.300 anggota Partai"
    (n,) = find_numbers(text)
    assert text[n.start : n.end] == "110.300" and n.value == 110300


@pytest.mark.parametrize("lang", ["vi", "en", "ms", "id", "pl", "fr", "ru"])
@pytest.mark.parametrize("value", [7, 1039, 110300, 2639000])
def test_format_then_parse_round_trips(lang, value):
    text = format_number(value, lang)
    nums = find_numbers(text, space_groups=lang in {"pl", "fr", "ru"})
    assert [n.value for n in nums] == [value]
