"""Boilerplate removal and normalization on snippets modelled on the seed articles."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.corpus.boilerplate import clean, normalize

BODY = (
    "Jawatankuasa Parti komune kini mempunyai hampir 400 ahli parti, beroperasi di 26 sel parti. "
    "Selepas 1 Julai 2025, Jawatankuasa Parti telah bersetuju untuk mengatur kader lama."
)


def test_vietnam_vn_page_chrome_and_tail():
    raw = "\n".join(
        [
            "Vietnam.vn - Nền tảng quảng bá Việt Nam",
            "",
            "Độc lập - Tự do - Hạnh phúc",
            "",
            "Nam Dinh berfokus pada peningkatan kualitas organisasi partai.",
            "",
            "Báo Nhân dânBáo Nhân dân29/05/2024",
            "",
            "[iklan_1]",
            "",
            BODY,
            "",
            "",
            "[iklan_2]",
            "Sumber: https://nhandan.vn/nam-dinh-post811422.html",
            "",
            "Komentar (0)",
            "",
            "No data",
            "No data",
            "",
            "Dalam topik yang sama",
            "",
            "Dalam kategori yang sama",
            "",
            "Jet tempur Su-30-MK2 jatuhkan peluru pengacau, helikopter mengibarkan bendera di langit",
            "(Langsung) Gladi bersih perayaan, pawai, dan pawai Hari Nasional 2 September",
            "",
            "Dari penulis yang sama",
            "",
            "Warisan",
            "",
            "No videos available",
            "",
            "Berita",
            "Produk",
        ]
    )
    assert clean(raw) == "\n".join(
        [
            "Nam Dinh berfokus pada peningkatan kualitas organisasi partai.",
            "",
            "Báo Nhân dânBáo Nhân dân29/05/2024",
            "",
            BODY,
            "",
            "Sumber: https://nhandan.vn/nam-dinh-post811422.html",
        ]
    )


def test_comment_counters_in_all_languages_are_removed():
    for counter in [
        "Komen (0)",
        "Komentarz (0)",
        "Komentar (12)",
        "Comments (0)",
        "Bình luận (0)",
        "Commentaires (3)",
        "Комментарии (0)",
    ]:
        assert clean(f"{BODY}\nSource: https://example.vn/a.html\n\n\n{counter}") == (
            f"{BODY}\nSource: https://example.vn/a.html"
        ), counter


def test_bare_source_label_ends_the_article():
    raw = f"{BODY}\nSumber\n\n\n\n\n\n\n\nKomen (0)"
    assert clean(raw) == f"{BODY}\nSumber"


def test_related_heading_without_source_line_cuts_the_tail():
    raw = f"{BODY}\n\nCùng chủ đề\n\nTin ngắn một\nTin ngắn hai\n\nW tej samej kategorii\nKrótki tytuł"
    assert clean(raw) == BODY


def test_long_paragraph_after_source_line_is_kept():
    raw = f"Source: https://example.vn/a.html\n{BODY}\nShort line"
    assert clean(raw) == raw


def test_series_links_at_the_top_are_removed():
    raw = (
        ">> Lekcja 1: Słabe komórki partyjne\n>> Lekcja 2: Dobre działania\nTytuł artykułu\n" + BODY
    )
    assert clean(raw) == "Tytuł artykułu\n" + BODY


def test_boilerplate_words_inside_sentences_are_kept():
    raw = "Komitet wydał Komentarz (0) w sprawie No data dla gminy.\nNo data w tekście"
    assert clean(raw) == raw


def test_whitespace_newlines_and_invisible_characters():
    raw = "  Title  \r\n\r\n\r\n\r\nFirst\u00ad line\u200b.  \rSecond\u2028Third\t \n\n\n"
    assert clean(raw) == "Title\n\nFirst line.\nSecond\nThird"


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "Đảng bộ xã Ia Púch")
    assert decomposed != "Đảng bộ xã Ia Púch"
    assert clean(decomposed) == "Đảng bộ xã Ia Púch"
    assert normalize(decomposed) == "Đảng bộ xã Ia Púch"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "",
                " ",
                "Komen (0)",
                "No data",
                "[iklan_1]",
                "Sumber: https://a.vn/x",
                "Dalam topik yang sama",
                "Vietnam.vn - Nền tảng",
                BODY,
                "Kort",
                "e\u0301",
                "\r",
                "\t",
                "\u200b",
            ]
        )
        | st.text(max_size=30),
        max_size=20,
    )
)
def test_clean_is_idempotent_and_tidy(parts):
    out = clean("\n".join(parts))
    assert clean(out) == out
    assert "\r" not in out
    assert "\n\n\n" not in out
    assert unicodedata.is_normalized("NFC", out)
    assert all(line == line.strip() for line in out.split("\n"))
    assert out == out.strip("\n")
