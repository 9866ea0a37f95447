"""Typed values, the explicit "not applicable" mark, and parsing of what an officer types.

Every entry of a report is addressed by a *key*:

* a data element: its code, e.g. ``staff_total``;
* a task field: ``task.<TASK>.<FIELD>``, e.g. ``task.T1.status``;
* a narrative section: ``narrative.<CODE>``;
* the justification of a warning: ``justification.<RULE>.<FIELD>``.

Values are stored as canonical text (``encode``/``decode``) so the database, the command line and
the package agree byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Final, NamedTuple, TypeAlias

from ..errors import KdxError
from .catalog import Catalog, Choice, DataElement, FieldSpec
from .numbers import NumberError, format_plain, parse_number
from .text import LegacyEncodingError, TextError, clean_text, nfc


class _NotApplicable:
    """The explicit mark that a value does not apply (not blank, not zero)."""

    _instance: _NotApplicable | None = None

    def __new__(cls) -> _NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NA"

    def __bool__(self) -> bool:
        return False


NA: Final[_NotApplicable] = _NotApplicable()
Scalar: TypeAlias = int | Decimal | bool | str | dt.date
Value: TypeAlias = Scalar | _NotApplicable

NA_WORDS = {"na", "n/a", "kad", "không áp dụng", "khong ap dung"}
TRUE_WORDS = {"có", "co", "c", "yes", "y", "true", "1", "đúng", "x"}
FALSE_WORDS = {"không", "khong", "k", "no", "n", "false", "0", "sai"}


class InvalidValue(KdxError, ValueError):
    """A value that cannot be stored in its field; ``field`` names it, the message is Vietnamese.
    ``suggestion``, when there is one, is what was probably meant (the Unicode text of a TCVN3
    paste), for the window to offer."""

    usage = True

    def __init__(self, field: str, label: str, reason: str, suggestion: str | None = None) -> None:
        super().__init__(f"{label} ({field}): {reason}")
        self.field = field
        self.label = label
        self.reason = reason
        self.suggestion = suggestion


class Field(NamedTuple):
    """What any key of a report needs for parsing and display, whatever its origin."""

    key: str
    label: str
    type: str
    unit: str = ""
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    help: str = ""
    required: bool = False
    na_allowed: bool = True

    def choice_label(self, code: str) -> str:
        for c in self.choices:
            if c.code == code:
                return c.label
        return code

    @property
    def is_year(self) -> bool:
        """A calendar year (unit "năm"): printed 2025, never grouped as 2.025."""
        return self.type == "integer" and self.unit == "năm"


def _from_element(el: DataElement) -> Field:
    return Field(
        key=el.code,
        label=el.label,
        type=el.type,
        unit=el.unit,
        min=el.min,
        max=el.max,
        max_length=el.max_length,
        choices=el.choices,
        help=el.help,
        required=el.required,
    )


def _from_spec(key: str, label: str, spec: FieldSpec) -> Field:
    return Field(
        key=key,
        label=label,
        type=spec.type,
        max_length=spec.max_length,
        choices=spec.choices,
        help=spec.help,
        required=spec.required,
        na_allowed=False,
    )


_JUSTIFICATION_MAX = 4000


def field_for_key(catalog: Catalog, key: str) -> Field:
    """The field behind ``key``; raises ``KeyError`` for an unknown key."""
    if key in catalog.elements:
        return _from_element(catalog.elements[key])
    parts = key.split(".")
    if parts[0] == "task" and len(parts) == 3:
        task = next((t for t in catalog.tasks if t.code == parts[1]), None)
        spec = next((f for f in catalog.task_fields if f.code == parts[2]), None)
        if task and spec:
            return _from_spec(key, f"{task.label} - {spec.label}", spec)
    if parts[0] == "narrative" and len(parts) == 2:
        spec = next((n for n in catalog.narrative if n.code == parts[1]), None)
        if spec:
            return _from_spec(key, spec.label, spec)
    if parts[0] == "justification" and len(parts) == 3:
        rule = next((r for r in catalog.rules if r.code == parts[1]), None)
        if rule is not None:
            el = catalog.elements.get(parts[2])
            label = f"Giải trình cảnh báo {parts[1]} cho {parts[2]}"
            if rule.type == "na_reason" and el is not None:
                label = f"Lý do “Không áp dụng” của “{el.label}”"
            return Field(
                key=key,
                label=label,
                type="text",
                max_length=_JUSTIFICATION_MAX,
                na_allowed=False,
            )
    raise KeyError(key)


def justification_key(rule: str, field: str) -> str:
    return f"justification.{rule}.{field}"


_DATE_VN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_input(field: Field, raw: str, *, vietnamese: bool = False) -> Value | None:
    """Parse what was typed into ``field``. ``None`` means cleared; :data:`NA` not applicable.
    ``vietnamese``: numbers as Vietnamese write them, a dot always groups thousands (the window;
    see :func:`~.numbers.parse_number`).

    Raises :class:`InvalidValue` with a Vietnamese reason naming the field.
    """
    try:
        text = nfc(raw).strip()
    except TypeError as exc:  # pragma: no cover - defensive: callers pass str
        raise InvalidValue(field.key, field.label, "giá trị không phải văn bản") from exc
    if text == "":
        return None
    if text.lower() in NA_WORDS and field.type != "text":
        if not field.na_allowed:
            raise InvalidValue(field.key, field.label, "trường này không thể đánh dấu “không áp dụng”")
        return NA
    if text.upper() == "NA" and field.type == "text" and field.na_allowed:
        return NA
    try:
        return _parse_typed(field, text, vietnamese)
    except (NumberError, TextError) as exc:
        suggestion = exc.converted if isinstance(exc, LegacyEncodingError) else None
        raise InvalidValue(field.key, field.label, str(exc), suggestion) from exc


def _parse_typed(field: Field, text: str, vietnamese: bool = False) -> Scalar:
    t = field.type
    if t in ("integer", "decimal", "percent"):
        num = parse_number(text, integer=(t == "integer"), percent=(t == "percent"), vietnamese=vietnamese)
        _check_bounds(field, num)
        return int(num) if t == "integer" else num.normalize() if num != 0 else Decimal(0)
    if t == "boolean":
        low = text.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise TextError(f"“{text}” không phải có/không")
    if t == "choice":
        low = text.lower()
        for c in field.choices:
            if low == c.code.lower() or low == c.label.lower():
                return c.code
        options = "; ".join(f"{c.code} = {c.label}" for c in field.choices)
        raise TextError(f"“{text}” không có trong danh sách lựa chọn ({options})")
    if t == "date":
        m = _DATE_VN.match(text)
        try:
            if m:
                day = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            else:
                day = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise TextError(f"“{text}” không phải ngày hợp lệ (dd/mm/yyyy)") from exc
        check_date(day)
        return day
    # text
    return clean_text(text, max_length=field.max_length)


# Dates a report of the plan can carry (a product's date, a decision's): 01/01/0001 or
# 31/12/9999 are typing slips or forgeries, never a date of the digital transformation.
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def check_date(day: dt.date) -> None:
    """:class:`TextError` for a date outside :data:`DATE_MIN`-:data:`DATE_MAX`."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise TextError(
            f"ngày {day.day:02d}/{day.month:02d}/{day.year:04d} nằm ngoài khoảng hợp lý "
            f"({DATE_MIN.year}-{DATE_MAX.year})"
        )


def check_value(field: Field, value: Value) -> None:
    """Re-check a decoded value against its field (used for imported data)."""
    try:
        if value is NA:
            if not field.na_allowed:
                raise TextError("trường này không thể đánh dấu “không áp dụng”")
            return
        t = field.type
        if t in ("integer", "decimal", "percent"):
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                raise TextError("phải là số")
            if t == "integer" and not isinstance(value, int):
                raise TextError("phải là số nguyên")
            _check_bounds(field, Decimal(value))
        elif t == "boolean" and not isinstance(value, bool):
            raise TextError("phải là có/không")
        elif t == "choice" and value not in {c.code for c in field.choices}:
            raise TextError(f"“{value}” không có trong danh sách lựa chọn")
        elif t == "date":
            if not isinstance(value, dt.date):
                raise TextError("phải là ngày")
            check_date(value)
        elif t == "text":
            if not isinstance(value, str):
                raise TextError("phải là văn bản")
            if clean_text(value, max_length=field.max_length) != value:
                raise TextError("văn bản chưa chuẩn hóa Unicode NFC")
    except (NumberError, TextError) as exc:
        raise InvalidValue(field.key, field.label, str(exc)) from exc


def plain_number(field: Field, value: Decimal | int) -> str:
    """An entered number as the officer reads it: grouped (1.234), except a year (2025)."""
    if field.is_year:
        return str(int(value))
    return format_plain(value)


def _check_bounds(field: Field, num: Decimal) -> None:
    if field.min is not None and num < Decimal(str(field.min)):
        if field.min == 0:
            raise NumberError(f"không được là số âm ({plain_number(field, num)})")
        raise NumberError(
            f"phải từ {plain_number(field, Decimal(str(field.min)))} trở lên "
            f"(đã nhập {plain_number(field, num)})"
        )
    if field.max is not None and num > Decimal(str(field.max)):
        raise NumberError(
            f"không được lớn hơn {plain_number(field, Decimal(str(field.max)))} "
            f"(đã nhập {plain_number(field, num)})"
        )


def encode(value: Value) -> tuple[str | None, bool]:
    """(canonical text, not-applicable flag) for storage."""
    if value is NA:
        return None, True
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != 0 else "0", False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    return str(value), False


def decode(field: Field, text: str | None, na: bool) -> Value:
    """Inverse of :func:`encode` for ``field``'s type."""
    if na:
        return NA
    if text is None:
        raise InvalidValue(field.key, field.label, "giá trị rỗng")
    t = field.type
    if t == "integer":
        return int(text)
    if t in ("decimal", "percent"):
        return Decimal(text)
    if t == "boolean":
        return text == "true"
    if t == "date":
        return dt.date.fromisoformat(text)
    return text


def to_json(value: Value) -> object:
    """A plain JSON value (numbers as numbers) for data files."""
    if value is NA:
        return {"na": True}
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def is_year(field: Field) -> bool:
    """A field holding a year (its unit is "năm"): written without a thousands dot."""
    return field.type == "integer" and field.unit == "năm"


def display_input(field: Field, value: Value) -> str:
    """The value as an officer would type it back (used by editors and re-checks)."""
    if value is NA:
        return "NA"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int) and is_year(field):
        return str(value)  # 2024, never 2.024
    if isinstance(value, int | Decimal) and field.type in ("integer", "decimal", "percent"):
        return plain_number(field, value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def display(field: Field, value: Value | None) -> str:
    """The value as printed in the report and shown on screen."""
    if value is None:
        return ""
    if value is NA:
        return "Không áp dụng"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if field.type == "choice" and isinstance(value, str):
        return field.choice_label(value)
    if field.type == "percent" and isinstance(value, int | Decimal):
        return format_plain(value) + "%"
    return display_input(field, value)
