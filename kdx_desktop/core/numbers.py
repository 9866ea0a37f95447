"""Vietnamese number parsing and formatting.

Vietnamese writes ``1.234,5``: a dot groups thousands and a comma marks decimals. Officers also
type plain ``1234.5``. Anything that could mean two different numbers is refused with a reason
rather than guessed, because a silently wrong figure in a signed report is worse than a question.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction

from ..errors import KdxError

# Larger than any count or amount a provincial press agency can report; catches a pasted
# phone number or a value typed twice.
ABSURD_LIMIT = Decimal("1e15")

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


class NumberError(KdxError, ValueError):
    """A text that is not a number we can read without guessing; the message is Vietnamese."""

    usage = True


def parse_number(
    raw: str, *, integer: bool = False, percent: bool = False, vietnamese: bool = False
) -> Decimal:
    """Read a number typed by an officer.

    Accepts ``1.234,5``, ``1234,5``, ``1234.5``, ``1.234.567``, ``-12``; with ``percent`` a
    trailing ``%``. For an integer field ``1.234`` is one thousand two hundred thirty-four; for a
    decimal field it is ambiguous and refused. With ``vietnamese`` (the window, where the
    officer sees the number read back) a dot only ever groups thousands, as Vietnamese write:
    ``9.800`` is 9800 in every field and ``12.5`` is refused (``12,5``). The command line keeps
    the rules above. Raises :class:`NumberError` with the reason.
    """
    text = _SPACES.sub("", raw.strip())
    if percent and text.endswith("%"):
        text = text[:-1]
    if not text:
        raise NumberError("chưa nhập số")
    negative = False
    if text[0] in "-\u2212":
        negative = True
        text = text[1:]
    elif text[0] == "+":
        text = text[1:]
    if not text or not re.fullmatch(r"[\d.,]+", text):
        raise NumberError(f"“{raw.strip()}” không phải là số (chỉ dùng chữ số, dấu chấm và dấu phẩy)")
    if not text[0].isdigit() or not text[-1].isdigit():
        raise NumberError(f"“{raw.strip()}” không phải là số viết đúng")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # Vietnamese: dots group thousands, one comma before the decimals.
        int_part, _sep, frac = text.rpartition(",")
        if commas > 1 or "," in int_part or not _GROUPED.match(int_part):
            raise NumberError(
                f"“{raw.strip()}” viết không đúng: dùng dấu chấm phân cách hàng nghìn và dấu phẩy "
                "cho phần thập phân, ví dụ 1.234,5"
            )
        normal = int_part.replace(".", "") + "." + frac
    elif commas:
        if commas > 1:
            raise NumberError(
                f"“{raw.strip()}” có nhiều dấu phẩy: trong tiếng Việt dấu phẩy chỉ đánh dấu phần thập phân"
            )
        normal = text.replace(",", ".")
    elif dots > 1:
        if not _GROUPED.match(text):
            raise NumberError(f"“{raw.strip()}” có dấu chấm phân cách hàng nghìn đặt sai chỗ")
        normal = text.replace(".", "")
    elif dots == 1 and vietnamese:
        if not _GROUPED.match(text):
            raise NumberError(
                f"“{raw.strip()}” viết không đúng: dấu chấm chỉ dùng để ngăn hàng nghìn (9.800 là chín "
                f"nghìn tám trăm), dấu phẩy là dấu thập phân: viết {text.replace('.', ',')}"
            )
        normal = text.replace(".", "")
    elif dots == 1:
        if _GROUPED.match(text):
            if not integer:
                raise NumberError(
                    f"“{raw.strip()}” không rõ nghĩa: viết {text.replace('.', '')} nếu là số nguyên, "
                    f"hoặc {text.replace('.', ',')} nếu là số thập phân"
                )
            normal = text.replace(".", "")
        else:
            normal = text
    else:
        normal = text
    try:
        value = Decimal(normal)
    except InvalidOperation as exc:  # pragma: no cover - the regexes above admit only digits
        raise NumberError(f"“{raw.strip()}” không phải là số") from exc
    if negative:
        value = -value
    if abs(value) >= ABSURD_LIMIT:
        raise NumberError(f"“{raw.strip()}” quá lớn, không thể là số liệu báo cáo")
    if integer and value != value.to_integral_value():
        raise NumberError(f"“{raw.strip()}” phải là số nguyên")
    return value


def format_number(value: Decimal | Fraction | int | float, decimals: int = 0) -> str:
    """Format for Vietnamese readers: ``1234.5`` with one decimal gives ``1.234,5``."""
    quantum = Decimal(1).scaleb(-decimals)
    if isinstance(value, Fraction):
        dec = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        dec = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    # Enough digits for any magnitude: the default 28 would make quantize() fail on 1e28, and
    # a refusal message quoting such a number must not itself fail.
    with localcontext() as ctx:
        ctx.prec = max(28, dec.adjusted() + decimals + 2)
        dec = dec.quantize(quantum, rounding="ROUND_HALF_UP")
    sign = "-" if dec < 0 else ""
    dec = dec.copy_abs()  # exact (abs() would round to the default context)
    int_part, _, frac = f"{dec:f}".partition(".")
    groups: list[str] = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    out = ".".join(groups)
    if decimals and frac:
        out += "," + frac
    if out.strip("0.,") == "":
        sign = ""
    return sign + out


def format_plain(value: Decimal | int) -> str:
    """Format an entered number as typed back to the officer: grouping, decimals only if any."""
    dec = Decimal(value)
    if dec == dec.to_integral_value():
        return format_number(dec, 0)
    decimals = max(0, -int(dec.normalize().as_tuple().exponent))
    return format_number(dec, decimals)


def format_percent(value: Fraction | Decimal | float, decimals: int = 1) -> str:
    """Percent with one decimal, Vietnamese style: ``Fraction(200, 3)`` gives ``66,7%``."""
    return format_number(value, decimals) + "%"


def format_size(n: int) -> str:
    """A file size for people, Vietnamese style: ``500 byte``, ``1.000 byte``, ``1,5 KB``,
    ``3,4 MB``, ``5,0 GB``. A size that rounds up to 1.024 of a unit is shown in the next one
    (``1,0 MB``, not ``1.024,0 KB``)."""
    if n < 1 << 10:
        return f"{format_number(n)} byte"
    for unit, factor in (("KB", 1 << 10), ("MB", 1 << 20)):
        if round(Fraction(n * 10, factor)) < 1024 * 10:
            return f"{format_number(Fraction(n, factor), 1)} {unit}"
    return f"{format_number(Fraction(n, 1 << 30), 1)} GB"
