"""Vietnamese number parsing and formatting."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from kdx_desktop.core.numbers import (
    NumberError,
    format_number,
    format_percent,
    format_plain,
    format_size,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "integer", "expected"),
    [
        ("1.234,5", False, Decimal("1234.5")),
        ("1234.5", False, Decimal("1234.5")),
        ("1234,5", False, Decimal("1234.5")),
        ("1.234.567", True, Decimal("1234567")),
        ("1.234.567,25", False, Decimal("1234567.25")),
        ("1.234", True, Decimal("1234")),
        ("  58 ", True, Decimal("58")),
        ("12 500", True, Decimal("12500")),
        ("12\u00a0500", True, Decimal("12500")),
        ("-12", True, Decimal("-12")),
        ("\u221212,5", False, Decimal("-12.5")),
        ("0,5", False, Decimal("0.5")),
        ("12.50", False, Decimal("12.50")),
    ],
)
def test_accepted(text: str, integer: bool, expected: Decimal) -> None:
    assert parse_number(text, integer=integer) == expected


@pytest.mark.parametrize(
    ("text", "integer", "reason"),
    [
        ("1.234", False, "không rõ nghĩa"),  # Vietnamese thousands or English decimal?
        ("1,234.5", False, "viết không đúng"),  # English grouping
        ("1,2,3", False, "nhiều dấu phẩy"),
        ("1.23.4", True, "đặt sai chỗ"),
        ("12a", True, "không phải là số"),
        ("abc", False, "không phải là số"),
        ("1e5", False, "không phải là số"),
        ("NaN", False, "không phải là số"),
        ("", True, "chưa nhập"),
        ("12,5", True, "số nguyên"),
        ("99999999999999999", True, "quá lớn"),
        (".5", False, "không phải là số viết đúng"),
        ("5.", False, "không phải là số viết đúng"),
    ],
)
def test_refused_with_a_reason(text: str, integer: bool, reason: str) -> None:
    with pytest.raises(NumberError, match=reason):
        parse_number(text, integer=integer)


def test_percent_sign_only_for_percent_fields() -> None:
    assert parse_number("66,7%", percent=True) == Decimal("66.7")
    with pytest.raises(NumberError):
        parse_number("66,7%")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("1234.5"), 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (Fraction(200, 3), 1, "66,7"),
        (Decimal("-0.04"), 1, "0,0"),
        (Decimal("-1234.56"), 2, "-1.234,56"),
        (0.125, 2, "0,13"),
    ],
)
def test_formatting(value: object, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected  # type: ignore[arg-type]


def test_percent_and_plain() -> None:
    assert format_percent(Fraction(200, 3)) == "66,7%"
    assert format_plain(Decimal("15600.5")) == "15.600,5"
    assert format_plain(58) == "58"


def test_round_trip_of_formatted_numbers() -> None:
    for text in ("1.234,5", "15.600,25", "7"):
        value = parse_number(text)
        assert parse_number(format_plain(value)) == value


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0 byte"),
        (500, "500 byte"),
        (1000, "1.000 byte"),  # grouped like every other number
        (1023, "1.023 byte"),
        (1024, "1,0 KB"),
        (1536, "1,5 KB"),
        (2000, "2,0 KB"),
        (256 * 1024, "256,0 KB"),
        (1024 * 1024 - 52, "1.023,9 KB"),
        (1024 * 1024 - 1, "1,0 MB"),  # not “1.024,0 KB”
        (8 * 1024 * 1024, "8,0 MB"),
        (123_456_789, "117,7 MB"),
        (1024**3 - 1, "1,0 GB"),  # not “1.024,0 MB”
        (5 * 1024**3, "5,0 GB"),
        (2000 * 1024**3, "2.000,0 GB"),
    ],
)
def test_format_size(size: int, expected: str) -> None:
    assert format_size(size) == expected


def test_the_window_reads_a_dot_as_vietnamese_do() -> None:
    from kdx_desktop.core.numbers import NumberError

    assert parse_number("9.800", vietnamese=True) == Decimal(9800)
    assert parse_number("1.234.567,5", vietnamese=True) == Decimal("1234567.5")
    assert parse_number("12,5", vietnamese=True) == Decimal("12.5")
    with pytest.raises(NumberError, match="viết 12,5"):
        parse_number("12.5", vietnamese=True)
    # The command line keeps its documented rules: a lone dot before three digits is ambiguous
    # in a decimal field, and 1234.5 is a decimal point.
    with pytest.raises(NumberError, match="không rõ nghĩa"):
        parse_number("9.800")
    assert parse_number("1234.5") == Decimal("1234.5")


def test_any_magnitude_formats_without_failing() -> None:
    """A refusal quoting an absurd number (1e28 in a package) once failed in quantize()."""
    from decimal import Decimal

    from kdx_desktop.core.numbers import format_number, format_plain

    assert format_plain(Decimal("1e28")) == "10." + ".".join(["000"] * 9)
    assert format_number(Decimal("-1e40"), 1).endswith(".000,0")
