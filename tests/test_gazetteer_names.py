"""Province names, the province of a district/commune name, and provinces from outlet domains."""

from __future__ import annotations

import pytest

from pipelines.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ba Ria-Vung Tau", "Ba Ria-Vung Tau"),
        ("Bà Rịa - Vũng Tàu", "Ba Ria-Vung Tau"),
        ("Vung Tau", "Ba Ria-Vung Tau"),
        ("Hanoi", "Ha Noi"),
        ("Ha Noi", "Ha Noi"),
        ("HCMC", "Ho Chi Minh"),
        ("Ho Chi Minh City", "Ho Chi Minh"),
        ("Thua Thien Hue", "Hue"),
        ("Hue", "Hue"),
        ("Dak Lak", "Dak Lak"),
        ("Đắk Lắk", "Dak Lak"),
        ("Daklak", "Dak Lak"),
        ("Lai Chau", "Lai Chau"),
        ("Nam Dinh", "Nam Dinh"),
        ("tỉnh Gia Lai", "Gia Lai"),
        ("Hoa Binh province", "Hoa Binh"),
        ("Pa U", None),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_province_name(gz: Gazetteer, text: str, expected: str | None) -> None:
    assert gz.province_name(text) == expected


@pytest.mark.parametrize(
    ("name", "level", "expected"),
    [
        ("Mai Chau", "district", "Hoa Binh"),
        ("Giao Thuy", "district", "Nam Dinh"),
        # merged into Long Dat in January 2025: found as a former name
        ("Long Dien", "district", "Ba Ria-Vung Tau"),
        ("Lam Binh", "district", "Tuyen Quang"),
        ("Son Dong", "district", "Bac Giang"),
        ("Hiep Duc", "district", "Quang Nam"),
        ("Pa U", "commune", "Lai Chau"),
        ("Ya Ma", "commune", "Gia Lai"),
        ("Tan Son", "commune", None),  # many communes share the name
        ("Xyzzy", "commune", None),
        # district of Hoa Binh and 2025 commune of Phu Tho: one place
        ("Mai Chau", None, "Hoa Binh"),
    ],
)
def test_province_of(gz: Gazetteer, name: str, level: str | None, expected: str | None) -> None:
    assert gz.province_of(name, level) == expected


def test_provinces_of_lists_candidates(gz: Gazetteer) -> None:
    assert gz.provinces_of("Tan Son", "commune") >= {"Phu Tho", "Bac Ninh", "Ho Chi Minh"}
    assert gz.provinces_of("Mai Chau", None) == {"Hoa Binh", "Phu Tho"}
    assert gz.provinces_of("Mai Chau", "commune", era="2025") == {"Phu Tho"}
    assert gz.province_of("Mai Chau", "commune", era="2025") == "Phu Tho"
    assert gz.province_of_name("Giao Thuy", "district") == "Nam Dinh"


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("baogialai.com.vn", "Gia Lai"),
        ("baotuyenquang.com.vn", "Tuyen Quang"),
        ("baodienbienphu.com.vn", "Dien Bien"),
        ("en.baodienbienphu.com.vn", "Dien Bien"),
        ("baohoabinh.com.vn", "Hoa Binh"),
        ("baonghean.vn", "Nghe An"),
        ("baophutho.vn", "Phu Tho"),
        ("baobariavungtau.com.vn", "Ba Ria-Vung Tau"),
        ("sondong.bacgiang.gov.vn", "Bac Giang"),
        ("maichau.hoabinh.gov.vn", "Hoa Binh"),
        ("en.haiphong.gov.vn", "Hai Phong"),
        ("baoquangninh.vn", "Quang Ninh"),
        ("baolaichau.vn", "Lai Chau"),
        ("baodaklak.vn", "Dak Lak"),
        ("baothanhhoa.vn", "Thanh Hoa"),
        ("baohanam.com.vn", "Ha Nam"),
        ("baonamdinh.vn", "Nam Dinh"),
        ("https://www.baogialai.com.vn/some/path.html", "Gia Lai"),
        ("nhandan.vn", None),
        ("www.vietnam.vn", None),
        ("vietnamplus.vn", None),
        ("baochinhphu.vn", None),
        ("qdnd.vn", None),
        ("tuoitre.vn", None),
        ("thanhnien.vn", None),
        ("vnexpress.net", None),
        ("dangcongsan.vn", None),
        ("xaydungdang.org.vn", None),
        ("tapchicongsan.org.vn", None),
        ("example.com", None),
        (None, None),
    ],
)
def test_province_from_outlet(gz: Gazetteer, domain: str | None, expected: str | None) -> None:
    assert gz.province_from_outlet(domain) == expected


def test_known_name_keys(gz: Gazetteer) -> None:
    known = gz.known_name_keys()
    assert {"ia puch", "pa u", "giao thuy", "ba ria vung tau", "ya ma"} <= known
    assert "party committee" not in known
