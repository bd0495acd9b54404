"""Source URL, outlet, title and publication date."""

from __future__ import annotations

import pytest

from pipelines.corpus.metadata import find_published, find_source_url, find_title, outlet_of

BODY = "W gminie Chu Se lokalny komitet partyjny po połączeniu liczy 24 oddziały partyjne i 2639 członków."


@pytest.mark.parametrize(
    "line,url",
    [
        (
            "Source: https://baogialai.com.vn/a-post330788.html",
            "https://baogialai.com.vn/a-post330788.html",
        ),
        ("Sumber: https://nhandan.vn/b-post913642.html", "https://nhandan.vn/b-post913642.html"),
        ("Źródło: https://baotuyenquang.com.vn/c.html", "https://baotuyenquang.com.vn/c.html"),
        ("Nguồn: https://dangcongsan.vn/d.html.", "https://dangcongsan.vn/d.html"),
        ("Источник: https://vietnam.vn/ru/e", "https://vietnam.vn/ru/e"),
        ("Source : http://www.example.vn/f", "http://www.example.vn/f"),
        ("Nguồn: www.nhandan.vn/g-post1.html", "https://www.nhandan.vn/g-post1.html"),
        ("Sumber", None),
        ("Nguồn: Báo Nhân dân", None),
    ],
)
def test_source_url(line, url):
    assert find_source_url(f"{BODY}\n{line}") == url


def test_source_of_something_in_a_sentence_is_not_a_source_line():
    assert find_source_url(f"Source of income: https://x.vn/y is given below.\n{BODY}") is None


def test_last_source_line_wins():
    text = f"Source: https://first.vn/a\n{BODY}\nSource: https://second.vn/b"
    assert find_source_url(text) == "https://second.vn/b"


@pytest.mark.parametrize(
    "url,outlet",
    [
        ("https://www.nhandan.vn/a", "nhandan.vn"),
        ("https://baogialai.com.vn/a-post1.html", "baogialai.com.vn"),
        ("http://EN.Baodienbienphu.com.vn/x", "en.baodienbienphu.com.vn"),
        (None, None),
        ("", None),
    ],
)
def test_outlet(url, outlet):
    assert outlet_of(url) == outlet


@pytest.mark.parametrize(
    "text,published",
    [
        (
            "Nam Dinh berfokus pada kualitas.\n\nBáo Nhân dânBáo Nhân dân29/05/2024\n\n" + BODY,
            "2024-05-29",
        ),
        ("27/08/2025\n1st PARTY CONGRESS OF MAO DIEN COMMUNE\n" + BODY, "2025-08-27"),
        (" date 2025-07-26 Đại hội đại biểu Đảng bộ xã Dân Chủ\n\n" + BODY, "2025-07-26"),
        (" date 2024-12 Chiều 12/12, Huyện ủy tổ chức hội nghị.\n" + BODY, None),  # month only
        ("Tytuł\nThứ Tư, 29/05/2024 10:30 (GMT+7)\n" + BODY, "2024-05-29"),
        ("Title\nPublished: 2024-05-29\n" + BODY, "2024-05-29"),
        ("Title\nWednesday, May 29, 2024\n" + BODY, "2024-05-29"),
        ("Title\n31/02/2024\n" + BODY, None),  # not a date
        ("Title\n" + BODY + "\nResolution No. 21 dated 16/06/2022 was adopted.", None),
        ("Title\nMarch 2024\n" + BODY, None),  # no day
    ],
)
def test_published(text, published):
    assert find_published(text, "en") == published


def test_dates_deep_in_the_body_are_ignored():
    text = "\n".join(["Title", *[BODY] * 10, "16/06/2022"])
    assert find_published(text) is None


def test_date_inside_a_title_is_not_the_publication_date():
    assert (
        find_published("Sáp nhập xã Tam An từ ngày 1/1/2025 theo nghị quyết mới\n" + BODY) is None
    )


@pytest.mark.parametrize(
    "text,title",
    [
        ("Steadfast organization, strong faith\n\n" + BODY, "Steadfast organization, strong faith"),
        (
            "27/08/2025\n1st PARTY CONGRESS OF MAO DIEN COMMUNE\n" + BODY,
            "1st PARTY CONGRESS OF MAO DIEN COMMUNE",
        ),
        (
            " date 2025-07-26 Đại hội đại biểu Đảng bộ xã Dân Chủ lần thứ I\n\n" + BODY,
            "Đại hội đại biểu Đảng bộ xã Dân Chủ lần thứ I",
        ),
        (">> Lekcja 1: Słabe komórki\nTytuł\n" + BODY, "Tytuł"),
        ((BODY + " ") * 3 + "\nA heading\n" + BODY, "A heading"),
        ("", None),
    ],
)
def test_title(text, title):
    assert find_title(text) == title


def test_title_falls_back_to_first_line_cut_at_a_word():
    long_line = "kata " * 100
    title = find_title(long_line + "\n" + (BODY + " ") * 3)
    assert title.endswith("…")
    assert len(title) <= 161
    assert title.startswith("kata kata")
