"""Typed values, the not-applicable mark, NFC text."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.values import (
    NA,
    InvalidValue,
    check_value,
    decode,
    display,
    encode,
    field_for_key,
    parse_input,
)


def f(catalog: Catalog, key: str):  # type: ignore[no-untyped-def]
    return field_for_key(catalog, key)


def test_typed_parsing(catalog: Catalog) -> None:
    assert parse_input(f(catalog, "staff_total"), "1.234") == 1234
    assert parse_input(f(catalog, "revenue"), "15.600,5") == Decimal("15600.5")
    assert parse_input(f(catalog, "digital_platforms"), "Có") is True
    assert parse_input(f(catalog, "digital_platforms"), "no") is False
    assert parse_input(f(catalog, "converged_status"), "Đã hoàn thành") == "completed"
    assert parse_input(f(catalog, "converged_status"), "completed") == "completed"
    assert parse_input(f(catalog, "task.T1.product_date"), "05/01/2025") == dt.date(2025, 1, 5)
    assert parse_input(f(catalog, "staff_total"), "   ") is None


def test_not_applicable_is_explicit(catalog: Catalog) -> None:
    assert parse_input(f(catalog, "print_copies_city"), "NA") is NA
    assert parse_input(f(catalog, "print_copies_city"), "Không áp dụng") is NA
    assert encode(NA) == (None, True)
    assert decode(f(catalog, "print_copies_city"), None, True) is NA
    assert display(f(catalog, "print_copies_city"), NA) == "Không áp dụng"
    with pytest.raises(InvalidValue, match="không áp dụng"):
        parse_input(f(catalog, "task.T1.status"), "NA")


def test_decomposed_text_is_stored_composed(catalog: Catalog) -> None:
    nfd = unicodedata.normalize("NFD", "Khó khăn về kinh phí")
    assert nfd != "Khó khăn về kinh phí"
    assert parse_input(f(catalog, "narrative.difficulties"), nfd) == "Khó khăn về kinh phí"


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("staff_total", "-3", "số âm"),
        ("staff_total", "mười", "không phải là số"),
        ("security_level", "6", "không được lớn hơn 5"),
        ("security_level", "0", "phải từ 1 trở lên"),
        ("digital_platforms", "có lẽ", "không phải có/không"),
        ("converged_status", "xong", "không có trong danh sách"),
        ("task.T1.product_date", "31/02/2025", "không phải ngày"),
        ("narrative.results", "a\x00b", "ký tự điều khiển"),
        ("task.T1.product_number", "x" * 201, "vượt quá giới hạn 200"),
    ],
)
def test_bad_values_name_the_field(catalog: Catalog, key: str, text: str, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason) as err:
        parse_input(f(catalog, key), text)
    assert err.value.field == key
    assert key in str(err.value)


def test_encode_decode_round_trip(catalog: Catalog) -> None:
    for key, value in [
        ("staff_total", 58),
        ("revenue", Decimal("15600.5")),
        ("revenue", Decimal("15600")),
        ("digital_platforms", True),
        ("converged_status", "converting"),
        ("task.T1.product_date", dt.date(2025, 3, 1)),
        ("narrative.results", "Dòng 1\nDòng 2"),
    ]:
        text, na = encode(value)
        assert decode(f(catalog, key), text, na) == value
    assert encode(Decimal("15600.50")) == ("15600.5", False)


def test_check_value_of_imported_data(catalog: Catalog) -> None:
    check_value(f(catalog, "revenue"), Decimal("1234"))
    with pytest.raises(InvalidValue, match="số âm"):
        check_value(f(catalog, "staff_total"), -1)
    with pytest.raises(InvalidValue, match="số nguyên"):
        check_value(f(catalog, "staff_total"), Decimal("1.5"))
    with pytest.raises(InvalidValue, match="NFC"):
        check_value(f(catalog, "narrative.results"), unicodedata.normalize("NFD", "Kết quả"))


def test_unknown_key(catalog: Catalog) -> None:
    with pytest.raises(KeyError):
        field_for_key(catalog, "nope")
    with pytest.raises(KeyError):
        field_for_key(catalog, "task.T99.status")
