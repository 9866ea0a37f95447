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


@dataclass(frozen=True)
class Col:
    heading: str
    key: str
    kind: str = "text"


ORG_COLS = (
    Col("Mã", "code"),
    Col("Loại", "kind"),
    Col("Phải báo cáo", "expected_to_report", "bool"),
    Col("Tổng hợp toàn tỉnh", "consolidates", "bool"),
    Col("Tổ chức kế tục", "successor", "opt"),
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
_ORG_KEYS = {"code", "kind", "expected_to_report", "consolidates", "successor"}

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
    Col("Hướng dẫn", "help", "opt"),
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
    Col("Đến năm", "years.to", "int"),
    Col("Thuộc nhiệm vụ", "part_of", "opt"),
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

    def table(title: str, headings: Sequence[str], rows: list[list[Any]]) -> None:
        sheet = wb.create_sheet(title)
        sheet.append(list(headings))
        for r in rows:
            sheet.append(r)

    org_rows = []
    for o in doc["organisations"]:
        for p in o["periods"]:
            merged = {**{k: o.get(k) for k in _ORG_KEYS}, **p}
            org_rows.append([_cell(merged.get(c.key), c.kind) for c in ORG_COLS])
    table(ORG_SHEET, [c.heading for c in ORG_COLS], org_rows)

    section_of = {c: s["code"] for s in doc["sections"] for c in s["elements"]}
    el_used = {c.key for c in ELEMENT_COLS}
    table(
        ELEMENT_SHEET,
        [c.heading for c in ELEMENT_COLS] + [EXTRA],
        [
            [_cell({**e, "section": section_of.get(e["code"])}.get(c.key), c.kind) for c in ELEMENT_COLS]
            + [_extra(e, el_used)]
            for e in doc["data_elements"]
        ],
    )
    ind_used = {c.key for c in INDICATOR_COLS} | {"targets"}
    table(
        INDICATOR_SHEET,
        [c.heading for c in INDICATOR_COLS] + [str(y) for y in years] + [EXTRA],
        [
            [_cell(i.get(c.key), c.kind) for c in INDICATOR_COLS]
            + [i["targets"].get(str(y)) for y in years]
            + [_extra(i, ind_used)]
            for i in doc["indicators"]
        ],
    )
    rule_used = {c.key for c in RULE_COLS}
    table(
        RULE_SHEET,
        [c.heading for c in RULE_COLS] + [EXTRA],
        [[_cell(r.get(c.key), c.kind) for c in RULE_COLS] + [_extra(r, rule_used)] for r in doc["rules"]],
    )
    task_used = {c.key.split(".")[0] for c in TASK_COLS}
    table(
        TASK_SHEET,
        [c.heading for c in TASK_COLS] + [EXTRA],
        [[_cell(_get(t, c.key), c.kind) for c in TASK_COLS] + [_extra(t, task_used)] for t in doc["tasks"]],
    )
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
    """The file value of one cell, or :class:`WorkbookProblem` naming it."""
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
    if raw is None:
        if kind in ("text",):
            raise WorkbookProblem(f"{where}: ô không được để trống.")
        return {"opt": "", "bool": False, "list": []}.get(kind)
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


def _rows(sheet: _Sheet, cols: Sequence[Col], extra: bool) -> list[tuple[int, dict[str, Any]]]:
    idx = [sheet.index(c.heading) for c in cols]
    xi = sheet.index(EXTRA) if extra else None
    out = []
    for n, cells in sheet.data():
        d: dict[str, Any] = {}
        if xi is not None:
            more = _value(sheet, n, xi, cells[xi], "json")
            if more is not None and not isinstance(more, dict):
                raise WorkbookProblem(f"{sheet.where(n, xi)}: phải là một đối tượng JSON {{…}}.")
            d.update(more or {})
        for c, i in zip(cols, idx, strict=True):
            v = _value(sheet, n, i, cells[i], c.kind)
            if v is None or (c.kind == "opt" and v == "" and c.key in ("successor", "part_of")):
                d.pop(c.key, None)
                continue
            _put(d, c.key, v)
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

    orgs: dict[str, dict[str, Any]] = {}
    for n, d in _rows(_Sheet(wb, ORG_SHEET), ORG_COLS, extra=False):
        code = d["code"]
        head = {k: d.get(k) for k in _ORG_KEYS if d.get(k) not in (None, "")}
        period = {k: v for k, v in d.items() if k not in _ORG_KEYS}
        if code in orgs:
            for c in ORG_COLS:
                if c.key in _ORG_KEYS and orgs[code].get(c.key) != head.get(c.key):
                    raise WorkbookProblem(
                        f"Trang “{ORG_SHEET}”, dòng {n}: cột “{c.heading}” của {code} phải giống các dòng "
                        "khác của cùng tổ chức."
                    )
            orgs[code]["periods"].append(period)
        else:
            orgs[code] = {**head, "periods": [period]}
            where_of[("Tổ chức", code)] = f"trang “{ORG_SHEET}”, dòng {n}"
    doc["organisations"] = list(orgs.values())

    elements, sections_of = [], {}
    for n, d in _rows(_Sheet(wb, ELEMENT_SHEET), ELEMENT_COLS, extra=True):
        sections_of[d["code"]] = d.pop("section")
        for k in ("unit", "help"):
            d.setdefault(k, "")
        if not d.get("help"):
            d.pop("help", None)
        elements.append(d)
        where_of[("Chỉ số nhập liệu", d["code"])] = f"trang “{ELEMENT_SHEET}”, dòng {n}"
    doc["data_elements"] = elements
    known_sections = [s["code"] for s in doc["sections"]]
    for code, sec in sections_of.items():
        if sec not in known_sections:
            raise WorkbookProblem(
                f"{_upper_first(where_of[('Chỉ số nhập liệu', code)])}: mục “{sec}” không có "
                f"(các mục: {', '.join(known_sections)})."
            )
    for s in doc["sections"]:
        s["elements"] = [c for c, sec in sections_of.items() if sec == s["code"]]

    ind_sheet = _Sheet(wb, INDICATOR_SHEET)
    year_cols = [(i, int(h)) for i, h in enumerate(ind_sheet.headings) if re.fullmatch(r"\d{4}", h)]
    indicators = []
    for (n, d), (_, cells) in zip(
        _rows(ind_sheet, INDICATOR_COLS, extra=True), ind_sheet.data(), strict=True
    ):
        targets = {}
        for i, y in year_cols:
            v = _value(ind_sheet, n, i, cells[i], "num")
            if v is not None:
                targets[str(y)] = v
        d["targets"] = targets
        d.setdefault("unit", "")
        indicators.append(d)
        where_of[("Chỉ tiêu", d["code"])] = f"trang “{INDICATOR_SHEET}”, dòng {n}"
    doc["indicators"] = indicators

    rules = []
    for n, d in _rows(_Sheet(wb, RULE_SHEET), RULE_COLS, extra=True):
        rules.append(d)
        where_of[("Quy tắc", d["code"])] = f"trang “{RULE_SHEET}”, dòng {n}"
    doc["rules"] = rules
    tasks = []
    for n, d in _rows(_Sheet(wb, TASK_SHEET), TASK_COLS, extra=True):
        d.setdefault("years", {}).setdefault("to", None)
        for k in ("coordinating", "product", "timeframe"):
            d.setdefault(k, "")
        tasks.append(d)
        where_of[("Nhiệm vụ", d["code"])] = f"trang “{TASK_SHEET}”, dòng {n}"
    doc["tasks"] = tasks

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


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _locate(message: str, where_of: Mapping[tuple[str, str], str]) -> str:
    """The catalogue's message with the sheet and row of the entry it names."""
    m = re.match(r"(Tổ chức|Chỉ số nhập liệu|Chỉ tiêu|Quy tắc|Nhiệm vụ) “([^”]*)”", message)
    if m and (m.group(1), m.group(2)) in where_of:
        return f"{_upper_first(where_of[(m.group(1), m.group(2))])}: {message}"
    return message


def read_workbook_path(path: Path, reader: Callable[[Path, int], bytes]) -> bytes:
    try:
        return reader(path, 20 * 1024 * 1024)
    except OSError as exc:
        from ..fsutil import describe_os_error

        raise WorkbookProblem(describe_os_error(exc, path, reading=True)) from None
