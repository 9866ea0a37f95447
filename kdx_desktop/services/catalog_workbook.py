"""The catalogue as a workbook the Sở edits, and a new edition built from it.

``catalog export --xlsx FILE`` writes one sheet per part of the catalogue; ``catalog build
FILE.xlsx --out FILE`` reads it back over the current edition. Every column a Sở officer edits is
a plain cell (names, targets per year, Có/Không); what only a maintainer changes (a computation,
a rule's operands, keys other parts of KDX add) is one JSON cell per row, "Khác (JSON)", so no key
is lost on the way. Parts not in the workbook (kinds, sections, task fields, narrative) are taken
from the current edition unchanged.

Every problem is reported with the sheet, row and column (``Trang “Chỉ tiêu”, dòng 7, cột K
(2026): …``); the catalogue built is then checked entry by entry like any catalogue, and a
problem there is reported with the sheet and row of the entry it names.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.catalog import Catalog
from ..core.catalog_loader import parse_catalog
from ..core.catalog_specs import CatalogError
from .reporting import UsageError

EDITION_SHEET = "Lần ban hành"
ORG_SHEET = "Tổ chức"
ELEMENT_SHEET = "Chỉ số nhập liệu"
INDICATOR_SHEET = "Chỉ tiêu"
RULE_SHEET = "Quy tắc"
TASK_SHEET = "Nhiệm vụ"
EXTRA = "Khác (JSON)"
YES, NO = "Có", "Không"


class WorkbookProblem(UsageError):
    """A cell or row of the workbook that cannot make a catalogue; the message says where."""


# -- columns -----------------------------------------------------------------------------
# (heading, key in the file, kind). Kinds: text, opt (text or empty), int, num, bool, list
# (comma-separated codes), json, day (a year or a YYYY-MM-DD day, or empty).


class Empty(enum.Enum):
    """What an empty cell puts in the file, where that is not a value: see ``Col.empty``."""

    BY_KIND = enum.auto()  # "" for opt, False for bool, [] for list; the key left out otherwise
    OMIT = enum.auto()  # the key left out


_EMPTY_BY_KIND: dict[str, Any] = {"opt": "", "bool": False, "list": []}


@dataclass(frozen=True)
class Col:
    heading: str
    key: str
    kind: str = "text"
    empty: Any = Empty.BY_KIND  # what an empty cell puts in the file (a value, or an Empty)

    def if_empty(self) -> Any:
        if self.empty is Empty.BY_KIND:
            return _EMPTY_BY_KIND.get(self.kind, Empty.OMIT)
        return self.empty


ORG_COLS = (
    Col("Mã", "code"),
    Col("Loại", "kind"),
    Col("Phải báo cáo", "expected_to_report", "bool"),
    Col("Tổng hợp toàn tỉnh", "consolidates", "bool"),
    Col("Tổ chức kế tục", "successor", "opt", empty=Empty.OMIT),
    Col("Từ", "from", "day"),
    Col("Đến", "to", "day"),
    Col("Tên", "name"),
    Col("Cơ quan chủ quản", "governing_body"),
    Col("Chữ viết tắt", "abbreviation"),
    Col("Địa danh", "place"),
    Col("Thẩm quyền ký", "signer_prefix", "opt"),
    Col("Chức vụ người ký", "signer_title"),
    Col("Mẫu tiêu đề", "header_template"),
    Col("Kính gửi", "recipient"),
    Col("Hộp thư", "email", "opt"),
)
# An organisation's own keys (the rest belong to a period), in the file's order: a tuple, not a
# set, so the built file does not depend on the interpreter's hash seed.
_ORG_KEYS = ("code", "kind", "expected_to_report", "consolidates", "successor")

ELEMENT_COLS = (
    Col("Mã", "code"),
    Col("Mục", "section"),
    Col("Tên", "label"),
    Col("Kiểu", "type"),
    Col("Đơn vị", "unit", "opt"),
    Col("Áp dụng cho", "applies_to", "list"),
    Col("Bắt buộc", "required", "bool"),
    Col("Nhỏ nhất", "min", "num"),
    Col("Lớn nhất", "max", "num"),
    Col("Độ dài tối đa", "max_length", "int"),
    Col("Hướng dẫn", "help", "opt", empty=Empty.OMIT),
)

INDICATOR_COLS = (
    Col("Mã", "code"),
    Col("Số hiệu", "source"),
    Col("Tên", "label"),
    Col("Tên ngắn", "short_label"),
    Col("Đơn vị", "unit", "opt"),
    Col("Cách đo", "measure"),
    Col("Hướng", "direction"),
    Col("Cách in", "display"),
    Col("Áp dụng cho", "applies_to", "list"),
)

RULE_COLS = (
    Col("Mã", "code"),
    Col("Mức độ", "severity"),
    Col("Loại", "type"),
    Col("Thông báo", "message"),
)

TASK_COLS = (
    Col("Mã", "code"),
    Col("Số", "no"),
    Col("Tên nhiệm vụ", "title"),
    Col("Chủ trì", "lead"),
    Col("Phối hợp", "coordinating", "opt"),
    Col("Sản phẩm", "product", "opt"),
    Col("Thời gian", "timeframe", "opt"),
    Col("Từ năm", "years.from", "int"),
    Col("Đến năm", "years.to", "int", empty=None),  # empty: null, the task has no end year
    Col("Thuộc nhiệm vụ", "part_of", "opt", empty=Empty.OMIT),
)


# -- the catalogue's lists, one sheet each -----------------------------------------------

Row = tuple[int, dict[str, Any]]  # (row number in the sheet, the entry read from that row)


def _org_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per period of each organisation, its own keys repeated on each."""
    return [{**{k: o.get(k) for k in _ORG_KEYS}, **p} for o in doc["organisations"] for p in o["periods"]]


def _gather_orgs(doc: dict[str, Any], sheet: _Sheet, rows: list[Row]) -> list[Row]:
    """The rows of one code are the periods of one organisation, named by its first row."""
    orgs: dict[str, Row] = {}
    for n, d in rows:
        code = d["code"]
        head = {k: d.get(k) for k in _ORG_KEYS if d.get(k) not in (None, "")}
        period = {k: v for k, v in d.items() if k not in _ORG_KEYS}
        if code in orgs:
            first = orgs[code][1]
            for c in ORG_COLS:
                if c.key in _ORG_KEYS and first.get(c.key) != head.get(c.key):
                    raise WorkbookProblem(
                        f"{sheet.where(n)}: cột “{c.heading}” của {code} phải giống các dòng "
                        "khác của cùng tổ chức."
                    )
            first["periods"].append(period)
        else:
            orgs[code] = (n, {**head, "periods": [period]})
    return list(orgs.values())


def _element_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each data element with the section that lists it (the file keeps that in the sections)."""
    section_of = {c: s["code"] for s in doc["sections"] for c in s["elements"]}
    return [{**e, "section": section_of.get(e["code"])} for e in doc["data_elements"]]


def _gather_elements(doc: dict[str, Any], sheet: _Sheet, rows: list[Row]) -> list[Row]:
    """Each element's "Mục" put back into the section's list of elements."""
    known = [s["code"] for s in doc["sections"]]
    section_of: dict[str, str] = {}
    for n, d in rows:
        sec = d.pop("section")
        if sec not in known:
            raise WorkbookProblem(f"{sheet.where(n)}: mục “{sec}” không có (các mục: {', '.join(known)}).")
        section_of[d["code"]] = sec
    for s in doc["sections"]:
        s["elements"] = [c for c, sec in section_of.items() if sec == s["code"]]
    return rows


@dataclass(frozen=True)
class Part:
    """One list of the catalogue file as one sheet: a row per entry, a column per key an officer
    edits, the other keys in one JSON cell."""

    sheet: str
    key: str  # the list in the catalogue file
    entry: str  # how the catalogue's messages name one entry: Chỉ tiêu “pl1_3”
    cols: tuple[Col, ...]
    extra: bool = True  # a "Khác (JSON)" column for the keys without a column of their own
    targets: bool = False  # a column per reporting year: the year's target
    # Writing: the rows of the file's list (None: its entries as they are).
    rows_of: Callable[[Mapping[str, Any]], list[dict[str, Any]]] | None = None
    # Reading: the file's entries from the rows read (None: one entry per row).
    gather: Callable[[dict[str, Any], _Sheet, list[Row]], list[Row]] | None = None

    def headings(self, years: Sequence[int]) -> list[str]:
        return (
            [c.heading for c in self.cols]
            + [str(y) for y in years if self.targets]
            + ([EXTRA] if self.extra else [])
        )

    def cells(self, entry: Mapping[str, Any], years: Sequence[int]) -> list[Any]:
        used = {c.key.split(".")[0] for c in self.cols} | ({"targets"} if self.targets else set())
        return (
            [_cell(_get(entry, c.key), c.kind) for c in self.cols]
            + [entry["targets"].get(str(y)) for y in years if self.targets]
            + ([_extra(entry, used)] if self.extra else [])
        )


PARTS = (
    Part(
        ORG_SHEET, "organisations", "Tổ chức", ORG_COLS, extra=False, rows_of=_org_rows, gather=_gather_orgs
    ),
    Part(
        ELEMENT_SHEET,
        "data_elements",
        "Chỉ số nhập liệu",
        ELEMENT_COLS,
        rows_of=_element_rows,
        gather=_gather_elements,
    ),
    Part(INDICATOR_SHEET, "indicators", "Chỉ tiêu", INDICATOR_COLS, targets=True),
    Part(RULE_SHEET, "rules", "Quy tắc", RULE_COLS),
    Part(TASK_SHEET, "tasks", "Nhiệm vụ", TASK_COLS),
)

EDITION_ROWS = (
    ("Số lần ban hành", "edition.number", "int"),
    ("Nơi ban hành", "edition.issuer", "text"),
    ("Ngày ban hành", "edition.issued", "day"),
    ("Áp dụng từ năm", "edition.years.from", "int"),
    ("Áp dụng đến năm", "edition.years.to", "int"),
    ("Tỉnh", "edition.province", "text"),
    ("Mã Kế hoạch", "id", "text"),
    ("Phiên bản tệp", "version", "text"),
    ("Tên Kế hoạch", "title", "text"),
    ("Kỳ báo cáo từ năm", "reporting_years.from", "int"),
    ("Kỳ báo cáo đến năm", "reporting_years.to", "int"),
)


def _years(doc: Mapping[str, Any]) -> list[int]:
    ry = doc["reporting_years"]
    return list(range(int(ry["from"]), int(ry["to"]) + 1))


# -- writing -----------------------------------------------------------------------------


def _cell(v: Any, kind: str) -> Any:
    if v is None:
        return None
    if kind == "bool":
        return YES if v else NO
    if kind == "list":
        return ", ".join(v)
    if kind == "json":
        return json.dumps(v, ensure_ascii=False)
    return v


def _get(d: Mapping[str, Any], dotted: str) -> Any:
    cur: Any = d
    for part in dotted.split("."):
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(part)
    return cur


def _extra(d: Mapping[str, Any], used: set[str]) -> str | None:
    rest = {k: v for k, v in d.items() if k not in used}
    return json.dumps(rest, ensure_ascii=False) if rest else None


def export_workbook(catalog: Catalog) -> bytes:
    """The catalogue as ``.xlsx`` bytes (see module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    doc = json.loads(catalog.source.decode("utf-8"))
    years = _years(doc)
    wb = Workbook()
    ws = wb.active
    ws.title = EDITION_SHEET
    ws.append(["Mục", "Giá trị"])
    for label, key, kind in EDITION_ROWS:
        ws.append([label, _cell(_get(doc, key), kind)])

    for part in PARTS:
        sheet = wb.create_sheet(part.sheet)
        sheet.append(part.headings(years))
        for entry in part.rows_of(doc) if part.rows_of else doc[part.key]:
            sheet.append(part.cells(entry, years))
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
        for col in sheet.columns:
            letter = col[0].column_letter
            width = max(len(str(c.value or "")) for c in col[:50])
            sheet.column_dimensions[letter].width = min(max(10, width + 2), 60)
            for c in col[1:]:
                c.alignment = Alignment(vertical="top", wrap_text=width > 60)
    wb.properties.creator = "KDX"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- reading -----------------------------------------------------------------------------


class _Sheet:
    """One sheet read as rows of cells, each problem named by sheet, row and column."""

    def __init__(self, wb: Any, title: str) -> None:
        if title not in wb.sheetnames:
            raise WorkbookProblem(f"Bảng tính thiếu trang “{title}”.")
        self.title = title
        self.rows = [list(r) for r in wb[title].iter_rows(values_only=True)]
        if not self.rows:
            raise WorkbookProblem(f"Trang “{title}” trống.")
        self.headings = [str(h).strip() if h is not None else "" for h in self.rows[0]]

    def where(self, row: int, col: int | None = None) -> str:
        from openpyxl.utils import get_column_letter

        if col is None:
            return f"Trang “{self.title}”, dòng {row}"
        heading = self.headings[col] if col < len(self.headings) else ""
        return f"Trang “{self.title}”, dòng {row}, cột {get_column_letter(col + 1)} ({heading})"

    def index(self, heading: str) -> int:
        try:
            return self.headings.index(heading)
        except ValueError:
            raise WorkbookProblem(f"Trang “{self.title}” thiếu cột “{heading}”.") from None

    def data(self) -> list[tuple[int, list[Any]]]:
        """(row number, cells) of every row that is not empty."""
        return [
            (n, r + [None] * (len(self.headings) - len(r)))
            for n, r in enumerate(self.rows[1:], start=2)
            if any(v not in (None, "") for v in r)
        ]


def _value(sheet: _Sheet, row: int, col: int, raw: Any, kind: str) -> Any:
    """The file value of one cell (None when it is empty), or :class:`WorkbookProblem` naming it."""
    where = sheet.where(row, col)
    if isinstance(raw, str):
        if raw.startswith("="):
            raise WorkbookProblem(f"{where}: ô chứa công thức “{raw[:40]}”; hãy ghi giá trị.")
        if raw != unicodedata.normalize("NFC", raw):
            raise WorkbookProblem(
                f"{where}: văn bản không ở dạng Unicode dựng sẵn (NFC); hãy gõ lại bằng Unicode."
            )
        raw = raw.strip()
        if raw == "":
            raw = None
    if raw is None:  # what an empty cell puts in the file is the column's to say (Col.if_empty)
        if kind in ("text",):
            raise WorkbookProblem(f"{where}: ô không được để trống.")
        return None
    if kind in ("text", "opt"):
        if not isinstance(raw, str):
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                return str(raw)
            raise WorkbookProblem(f"{where}: phải là văn bản.")
        return raw
    if kind == "bool":
        if raw in (YES, NO):
            return raw == YES
        raise WorkbookProblem(f"{where}: ghi “{YES}” hoặc “{NO}” (đang là “{raw}”).")
    if kind == "int":
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, str) and re.fullmatch(r"-?\d+", raw):
            raw = int(raw)
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise WorkbookProblem(f"{where}: phải là số nguyên (đang là “{raw}”).")
        return raw
    if kind == "num":
        if isinstance(raw, str):
            text = raw.replace(".", "").replace(",", ".") if "," in raw else raw
            try:
                raw = float(text) if "." in text else int(text)
            except ValueError:
                raise WorkbookProblem(f"{where}: phải là số (đang là “{raw}”).") from None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise WorkbookProblem(f"{where}: phải là số (đang là “{raw}”).")
        return int(raw) if isinstance(raw, float) and raw.is_integer() else raw
    if kind == "list":
        if not isinstance(raw, str):
            raise WorkbookProblem(f"{where}: ghi các mã, cách nhau bằng dấu phẩy.")
        return [c.strip() for c in raw.split(",") if c.strip()]
    if kind == "json":
        try:
            return json.loads(raw) if isinstance(raw, str) else raw
        except json.JSONDecodeError as exc:
            raise WorkbookProblem(f"{where}: không phải JSON hợp lệ ({exc.msg}).") from None
    if kind == "day":
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            if re.fullmatch(r"\d{4}", raw):
                return int(raw)
            m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
            text = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else raw
            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                pass
        raise WorkbookProblem(f"{where}: phải là một năm hoặc một ngày dd/mm/yyyy (đang là “{raw}”).")
    raise AssertionError(kind)  # pragma: no cover - the column tables above use only these kinds


def _put(d: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for p in parts[:-1]:
        d = d.setdefault(p, {})
    d[parts[-1]] = value


def _rows(sheet: _Sheet, part: Part) -> list[Row]:
    """Every row of a part's sheet as an entry of the file: the JSON cell, then the columns over it."""
    idx = [sheet.index(c.heading) for c in part.cols]
    xi = sheet.index(EXTRA) if part.extra else None
    years = [(i, int(h)) for i, h in enumerate(sheet.headings) if part.targets and re.fullmatch(r"\d{4}", h)]
    out = []
    for n, cells in sheet.data():
        d: dict[str, Any] = {}
        if xi is not None:
            more = _value(sheet, n, xi, cells[xi], "json")
            if more is not None and not isinstance(more, dict):
                raise WorkbookProblem(f"{sheet.where(n, xi)}: phải là một đối tượng JSON {{…}}.")
            d.update(more or {})
        for c, i in zip(part.cols, idx, strict=True):
            v = _value(sheet, n, i, cells[i], c.kind)
            v = c.if_empty() if v is None else v
            if v is Empty.OMIT:
                d.pop(c.key, None)
                continue
            _put(d, c.key, v)
        if part.targets:
            targets = {str(y): _value(sheet, n, i, cells[i], "num") for i, y in years}
            d["targets"] = {y: v for y, v in targets.items() if v is not None}
        out.append((n, d))
    return out


@dataclass(frozen=True)
class Built:
    """A catalogue built from a workbook, with the differences from the current edition."""

    catalog: Catalog
    changes: list[str]


def build_from_workbook(raw: bytes, current: Catalog) -> Built:
    """Read the edited workbook over ``current`` and check the result as a catalogue."""
    from openpyxl import load_workbook

    from ..core.catalog_diff import catalog_changes

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookProblem(f"Không đọc được bảng tính: {exc.__class__.__name__}.") from None
    doc: dict[str, Any] = json.loads(current.source.decode("utf-8"))
    where_of: dict[tuple[str, str], str] = {}

    ed = _Sheet(wb, EDITION_SHEET)
    labels = {str(r[0]).strip(): (n, r) for n, r in ed.data()}
    for label, key, kind in EDITION_ROWS:
        if label not in labels:
            raise WorkbookProblem(f"Trang “{EDITION_SHEET}” thiếu dòng “{label}”.")
        n, cells = labels[label]
        _put(doc, key, _value(ed, n, 1, cells[1] if len(cells) > 1 else None, kind))

    for part in PARTS:
        sheet = _Sheet(wb, part.sheet)
        rows = _rows(sheet, part)
        if part.gather:
            rows = part.gather(doc, sheet, rows)
        for n, d in rows:
            where_of[(part.entry, d["code"])] = sheet.where(n)
        doc[part.key] = [d for _, d in rows]

    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    try:
        built = parse_catalog(text.encode("utf-8"))
    except CatalogError as exc:
        raise WorkbookProblem(_locate(str(exc), where_of)) from None
    if built.id != current.id or built.edition.province != current.edition.province:
        raise WorkbookProblem(
            f"Trang “{EDITION_SHEET}”: mã Kế hoạch và tỉnh phải giữ như lần ban hành hiện tại "
            f"({current.id}, {current.edition.province})."
        )
    if built.edition.number <= current.edition.number:
        raise WorkbookProblem(
            f"Trang “{EDITION_SHEET}”, dòng “Số lần ban hành”: phải lớn hơn lần hiện tại ({current.edition.number})."
        )
    return Built(built, catalog_changes(current, built))


def _locate(message: str, where_of: Mapping[tuple[str, str], str]) -> str:
    """The catalogue's message with the sheet and row of the entry it names."""
    entries = "|".join(re.escape(p.entry) for p in PARTS)
    m = re.match(rf"({entries}) “([^”]*)”", message)
    if m and (m.group(1), m.group(2)) in where_of:
        return f"{where_of[(m.group(1), m.group(2))]}: {message}"
    return message


def read_workbook_path(path: Path, reader: Callable[[Path, int], bytes]) -> bytes:
    try:
        return reader(path, 20 * 1024 * 1024)
    except OSError as exc:
        from ..fsutil import describe_os_error

        raise WorkbookProblem(describe_os_error(exc, path, reading=True)) from None
