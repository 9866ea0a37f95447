"""Reading the catalogue file into the records of :mod:`.catalog`.

The file is validated entry by entry; a malformed catalogue is refused with a Vietnamese message
that names the entry, so a maintainer at the Sở can find and fix it. Each part of the file has its
own reader below, in the order the parts refer to each other (kinds, organisations, elements,
sections, indicators, rules, tasks).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .catalog import (
    BINDS,
    SEVERITIES,
    VALUE_TYPES,
    Catalog,
    Choice,
    DataElement,
    Deadline,
    Edition,
    FieldSpec,
    Indicator,
    Organisation,
    OrgPeriod,
    Rule,
    Section,
    Task,
)
from .catalog_specs import CatalogError, read_compute, read_rule, req
from .text import nfc


def default_catalog_path() -> Path:
    from ..paths import resource_path

    return resource_path("catalog", "kdx-catalog.json")


_CACHE: dict[Path, Catalog] = {}


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and validate the catalogue (the bundled one by default). Cached per path."""
    path = path or default_catalog_path()
    cached = _CACHE.get(path)
    if cached is not None:
        return cached
    cat = parse_catalog(path.read_bytes())
    _CACHE[path] = cat
    return cat


def parse_catalog(raw: bytes) -> Catalog:
    """Validate and build a catalogue from the bytes of its JSON file."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"Danh mục không phải JSON UTF-8 hợp lệ: {exc}") from exc
    if not isinstance(doc, dict):
        raise CatalogError("Danh mục phải là một đối tượng JSON")
    return build_catalog(doc, raw)


def build_catalog(d: Mapping[str, Any], raw: bytes) -> Catalog:
    """The catalogue of the parsed document ``d`` (``raw``: the file's bytes, for its fingerprint)."""
    top = "Danh mục"
    years = req(d, "reporting_years", top, dict)
    y_from = req(years, "from", "Danh mục: reporting_years", int)
    y_to = req(years, "to", "Danh mục: reporting_years", int)
    if y_to < y_from:
        raise CatalogError("Danh mục: reporting_years có năm kết thúc trước năm bắt đầu")
    kinds = req(d, "kinds", top, dict)
    orgs = tuple(read_organisation(o, kinds) for o in req(d, "organisations", top, list))
    _unique([o.code for o in orgs], "Tổ chức")
    codes = {o.code for o in orgs}
    for o in orgs:
        if o.successor is not None and (o.successor not in codes or o.successor == o.code):
            raise CatalogError(f"Tổ chức “{o.code}”: tổ chức kế tục “{o.successor}” không có trong danh mục")
    elements = read_elements(req(d, "data_elements", top, list), kinds)
    sections = read_sections(req(d, "sections", top, list), elements)
    indicators = tuple(read_indicator(i, elements, kinds) for i in req(d, "indicators", top, list))
    _unique([i.code for i in indicators], "Chỉ tiêu")
    ind_codes = {i.code for i in indicators}
    rules = tuple(read_rule_entry(r, elements, ind_codes) for r in req(d, "rules", top, list))
    _unique([r.code for r in rules], "Quy tắc")
    task_fields = tuple(read_field(f, "Trường nhiệm vụ") for f in req(d, "task_fields", top, list))
    tasks = tuple(read_task(t, kinds) for t in req(d, "tasks", top, list))
    _unique([t.code for t in tasks], "Nhiệm vụ")
    numbers = [t.no for t in tasks]
    tasks = tuple(t._replace(shared_no=numbers.count(t.no) > 1) for t in tasks)
    narrative = tuple(
        read_field({**n, "type": "text"}, "Phần thuyết minh") for n in req(d, "narrative", top, list)
    )
    restate = tuple(d.get("goal_restatements", []))
    for g in restate:
        if g.get("indicator") not in ind_codes:
            raise CatalogError(f"Mục tiêu “{g.get('source')}”: chỉ tiêu “{g.get('indicator')}” không tồn tại")
    sig_default, sig_orgs = read_signature_policy(d.get("signatures"), {o.code for o in orgs})
    return Catalog(
        id=req(d, "id", top),
        version=req(d, "version", top),
        title=str(d.get("title", "")),
        year_from=y_from,
        year_to=y_to,
        kinds=kinds,
        organisations=orgs,
        sections=sections,
        elements=elements,
        indicators=indicators,
        goal_restatements=restate,
        rules=rules,
        task_fields=task_fields,
        tasks=tasks,
        narrative=narrative,
        deadlines=read_deadlines(d.get("deadlines", [])),
        edition=read_edition(d.get("edition"), y_from, y_to),
        source=raw,
        method_notes=read_texts(d.get("method_notes", []), "Danh mục: method_notes"),
        signature_default=sig_default,
        signature_policies=sig_orgs,
    )


def read_texts(items: Any, where: str) -> tuple[str, ...]:
    """A list of sentences (the readings of the plan), each NFC and not blank."""
    if not isinstance(items, list) or not all(isinstance(t, str) and t.strip() for t in items):
        raise CatalogError(f"{where}: phải là danh sách câu văn")
    for t in items:
        if t != nfc(t):
            raise CatalogError(f"{where}: câu văn không ở dạng Unicode NFC")
    return tuple(items)


SIGNATURE_POLICIES = ("required", "accepted", "not_expected")


def read_signature_policy(d: Any, org_codes: set[str]) -> tuple[str, Mapping[str, str]]:
    """(default, per-organisation) electronic-signature policy: ``required`` (an unsigned package is
    received but not counted as submitted), ``accepted`` (signed or paper) or ``not_expected``.
    Absent: every organisation ``accepted``, as before signatures existed."""
    where = "Danh mục: “signatures”"
    if d is None:
        return "accepted", MappingProxyType({})
    if not isinstance(d, Mapping):
        raise CatalogError(f"{where} phải là đối tượng")
    default = d.get("default", "accepted")
    per_org = d.get("organisations", {})
    if default not in SIGNATURE_POLICIES:
        raise CatalogError(f"{where}: “default” phải là một trong {', '.join(SIGNATURE_POLICIES)}")
    if not isinstance(per_org, Mapping):
        raise CatalogError(f"{where}: “organisations” phải là đối tượng mã tổ chức → chính sách")
    for code, policy in per_org.items():
        if code not in org_codes:
            raise CatalogError(f"{where}: tổ chức “{code}” không có trong danh mục")
        if policy not in SIGNATURE_POLICIES:
            raise CatalogError(
                f"{where}: chính sách của {code} phải là một trong {', '.join(SIGNATURE_POLICIES)}"
            )
    return str(default), MappingProxyType(dict(per_org))


def read_deadlines(items: Any) -> tuple[Deadline, ...]:
    """The reporting deadlines: the day as the plan words it and whether that day is still on
    time ("trước ngày 25" read literally is not)."""
    if not isinstance(items, list):
        raise CatalogError("Danh mục: “deadlines” phải là danh sách")
    out = []
    for d in items:
        where = f"Hạn nộp từ năm {d.get('from', '?') if isinstance(d, Mapping) else '?'}"
        month, day = req(d, "month", where, int), req(d, "day", where, int)
        try:
            dt.date(2024, month, day)  # a leap year admits every real day
        except ValueError as exc:
            raise CatalogError(f"{where}: ngày {day}/{month} không có thật") from exc
        inclusive = d.get("inclusive", True)
        if not isinstance(inclusive, bool):
            raise CatalogError(f"{where}: trường “inclusive” phải là true/false")
        to = d.get("to")
        if to is not None and (not isinstance(to, int) or isinstance(to, bool)):
            raise CatalogError(f"{where}: trường “to” sai kiểu")
        label = d.get("label", f"trước ngày {day} tháng {month} hằng năm")
        if not isinstance(label, str) or label != nfc(label):
            raise CatalogError(f"{where}: trường “label” sai kiểu hoặc không ở dạng NFC")
        out.append(Deadline(req(d, "from", where, int), to, month, day, inclusive, label))
    return tuple(out)


def read_edition(e: Any, y_from: int, y_to: int) -> Edition:
    """The ``edition`` block: number, issuer, issue date, years governed and province."""
    where = "Danh mục: edition"
    number = req(e, "number", where, int)
    if number < 1:
        raise CatalogError(f"{where}: số lần ban hành phải từ 1 trở lên")
    issued = req(e, "issued", where)
    try:
        if dt.date.fromisoformat(issued).isoformat() != issued:
            raise ValueError(issued)
    except ValueError:
        raise CatalogError(f"{where}: ngày ban hành “{issued}” phải có dạng YYYY-MM-DD") from None
    years = req(e, "years", where, dict)
    a, b = req(years, "from", f"{where}: years", int), req(years, "to", f"{where}: years", int)
    if b < a or a < y_from or b > y_to:
        raise CatalogError(f"{where}: các năm áp dụng {a}-{b} phải nằm trong kỳ báo cáo {y_from}-{y_to}")
    return Edition(number, req(e, "issuer", where), issued, a, b, req(e, "province", where))


def _unique(codes: list[str], what: str) -> None:
    seen: set[str] = set()
    for c in codes:
        if c in seen:
            raise CatalogError(f"{what} “{c}”: mã bị trùng")
        seen.add(c)


def _choices(obj: Mapping[str, Any], where: str) -> tuple[Choice, ...]:
    items = obj.get("choices", [])
    if not isinstance(items, list):
        raise CatalogError(f"{where}: “choices” phải là danh sách")
    return tuple(Choice(req(c, "code", where), req(c, "label", where)) for c in items)


def _kinds(codes: list[Any], where: str, kinds: Mapping[str, Any]) -> tuple[str, ...]:
    for k in codes:
        if k not in kinds:
            raise CatalogError(f"{where}: áp dụng cho loại “{k}” không tồn tại")
    return tuple(codes)


# -- organisations ----------------------------------------------------------------------


def read_organisation(o: Mapping[str, Any], kinds: Mapping[str, Any]) -> Organisation:
    where = f"Tổ chức “{o.get('code', '?')}”" if isinstance(o, Mapping) else "Tổ chức"
    code = req(o, "code", where)
    kind = req(o, "kind", where)
    if kind not in kinds:
        raise CatalogError(f"{where}: loại tổ chức “{kind}” không có trong “kinds”")
    periods = sorted((read_period(p, where) for p in req(o, "periods", where, list)), key=lambda p: p.start)
    if not periods:
        raise CatalogError(f"{where}: cần ít nhất một giai đoạn tên gọi")
    for a, b in itertools.pairwise(periods):
        if a.end is None or a.end >= b.start:
            raise CatalogError(f"{where}: các giai đoạn tên gọi chồng lấn nhau")
    successor = o.get("successor")
    if successor is not None:
        successor = req(o, "successor", where)
        if periods[-1].end is None:
            raise CatalogError(
                f"{where}: có tổ chức kế tục “{successor}” thì giai đoạn cuối phải có ngày kết thúc"
            )
    return Organisation(
        code, kind, bool(o.get("expected_to_report")), bool(o.get("consolidates")), tuple(periods), successor
    )


def _day(v: Any, where: str, key: str, *, end: bool) -> dt.date:
    """A period bound: a year (1 January, or 31 December for an end) or an ISO day."""
    if isinstance(v, int) and not isinstance(v, bool) and 1900 <= v <= 2200:
        return dt.date(v, 12, 31) if end else dt.date(v, 1, 1)
    if isinstance(v, str):
        try:
            day = dt.date.fromisoformat(v)
            if day.isoformat() == v:
                return day
        except ValueError:
            pass
    raise CatalogError(f"{where}: “{key}” phải là một năm hoặc một ngày dạng YYYY-MM-DD (đang là “{v}”)")


def read_period(p: Mapping[str, Any], where: str) -> OrgPeriod:
    pw = f"{where}, giai đoạn từ {p.get('from') if isinstance(p, Mapping) else '?'}"
    raw_end = p.get("to")
    start = _day(req(p, "from", pw, (int, str)), pw, "from", end=False)
    end = None if raw_end is None else _day(raw_end, pw, "to", end=True)
    if end is not None and end < start:
        # Such a period is in force on no day: the organisation would silently stop reporting.
        raise CatalogError(
            f"{pw}: ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y} (giai đoạn không có ngày nào)"
        )
    return OrgPeriod(
        start=start,
        end=end,
        name=req(p, "name", pw),
        governing_body=req(p, "governing_body", pw),
        abbreviation=req(p, "abbreviation", pw),
        place=req(p, "place", pw),
        signer_prefix=req(p, "signer_prefix", pw),
        signer_title=req(p, "signer_title", pw),
        header_template=req(p, "header_template", pw),
        recipient=req(p, "recipient", pw),
        email=str(p.get("email", "")),
    )


# -- data elements and sections -----------------------------------------------------------


def read_elements(items: list[Any], kinds: Mapping[str, Any]) -> dict[str, DataElement]:
    elements: dict[str, DataElement] = {}
    for e in items:
        el = read_element(e, kinds)
        if el.code in elements:
            raise CatalogError(f"Chỉ số nhập liệu “{el.code}”: mã bị trùng")
        elements[el.code] = el
    for el in elements.values():
        if el.prev_of and el.prev_of not in elements:
            raise CatalogError(f"Chỉ số nhập liệu “{el.code}”: prev_of “{el.prev_of}” không tồn tại")
    return elements


def read_element(e: Mapping[str, Any], kinds: Mapping[str, Any]) -> DataElement:
    where = f"Chỉ số nhập liệu “{e.get('code', '?')}”" if isinstance(e, Mapping) else "Chỉ số nhập liệu"
    typ = req(e, "type", where)
    if typ not in VALUE_TYPES:
        raise CatalogError(f"{where}: kiểu “{typ}” không hợp lệ")
    el = DataElement(
        code=req(e, "code", where),
        label=req(e, "label", where),
        type=typ,
        unit=req(e, "unit", where),
        applies_to=_kinds(req(e, "applies_to", where, list), where, kinds),
        required=bool(e.get("required", False)),
        min=e.get("min"),
        max=e.get("max"),
        max_length=e.get("max_length"),
        choices=_choices(e, where),
        help=str(e.get("help", "")),
        prev_of=e.get("prev_of"),
    )
    if typ == "choice" and not el.choices:
        raise CatalogError(f"{where}: kiểu lựa chọn cần danh sách “choices”")
    return el


def read_sections(items: list[Any], elements: Mapping[str, DataElement]) -> tuple[Section, ...]:
    sections = []
    for s in items:
        where = f"Mục “{s.get('code', '?')}”" if isinstance(s, Mapping) else "Mục"
        els = tuple(req(s, "elements", where, list))
        for c in els:
            if c not in elements:
                raise CatalogError(f"{where}: chỉ số “{c}” không tồn tại")
        sections.append(Section(req(s, "code", where), req(s, "label", where), els))
    placed = {c for s in sections for c in s.elements}
    for c in elements:
        if c not in placed:
            raise CatalogError(f"Chỉ số nhập liệu “{c}”: không thuộc mục nào trong “sections”")
    return tuple(sections)


def read_field(f: Mapping[str, Any], what: str) -> FieldSpec:
    where = f"{what} “{f.get('code', '?')}”"
    typ = req(f, "type", where)
    if typ not in VALUE_TYPES:
        raise CatalogError(f"{where}: kiểu “{typ}” không hợp lệ")
    return FieldSpec(
        code=req(f, "code", where),
        label=req(f, "label", where),
        type=typ,
        required=bool(f.get("required", False)),
        max_length=f.get("max_length"),
        choices=_choices(f, where),
        help=str(f.get("help", "")),
    )


# -- indicators, rules, tasks ---------------------------------------------------------------


def read_indicator(
    i: Mapping[str, Any], elements: Mapping[str, DataElement], kinds: Mapping[str, Any]
) -> Indicator:
    where = f"Chỉ tiêu “{i.get('code', '?')}”" if isinstance(i, Mapping) else "Chỉ tiêu"
    comp = read_compute(req(i, "compute", where, dict), where, elements)
    targets: dict[int, float] = {}
    for y, v in req(i, "targets", where, dict).items():
        if not str(y).isdigit() or not isinstance(v, int | float) or isinstance(v, bool):
            raise CatalogError(f"{where}: chỉ tiêu năm “{y}” không hợp lệ")
        targets[int(y)] = float(v)
    direction = req(i, "direction", where)
    if direction not in ("higher", "lower"):
        raise CatalogError(f"{where}: hướng “{direction}” không hợp lệ")
    binds = i.get("binds", "province")
    if binds not in BINDS:
        raise CatalogError(f"{where}: “binds” phải là “agency” hoặc “province”")
    method = i.get("method", "")
    if not isinstance(method, str) or method != nfc(method):
        raise CatalogError(f"{where}: trường “method” sai kiểu hoặc không ở dạng NFC")
    return Indicator(
        code=req(i, "code", where),
        source=req(i, "source", where),
        label=req(i, "label", where),
        short_label=req(i, "short_label", where),
        unit=req(i, "unit", where),
        measure=req(i, "measure", where),
        compute=comp,
        direction=direction,
        display=req(i, "display", where),
        applies_to=_kinds(req(i, "applies_to", where, list), where, kinds),
        targets=targets,
        target_labels={int(y): str(v) for y, v in i.get("target_labels", {}).items()},
        binds=binds,
        target_fractions=read_target_fractions(i.get("target_fractions", {}), targets, where),
        method=method,
        readings=read_texts(i.get("readings", []), f"{where}: readings"),
        goal_texts=read_goal_texts(i.get("goal_texts", {}), targets, where),
    )


def read_goal_texts(items: Any, targets: Mapping[int, float], where: str) -> Mapping[int, str]:
    """Goals the plan states in words only: ``{"2030": "the plan's sentence"}``. A year that has a
    number in ``targets`` cannot also have words (which one would the report compare with?)."""
    if not isinstance(items, Mapping):
        raise CatalogError(f"{where}: “goal_texts” phải là đối tượng JSON")
    out: dict[int, str] = {}
    for y, text in items.items():
        if not str(y).isdigit():
            raise CatalogError(f"{where}: mục tiêu bằng lời năm “{y}” không hợp lệ")
        if not isinstance(text, str) or not text.strip() or text != nfc(text):
            raise CatalogError(f"{where}: mục tiêu bằng lời năm {y} phải là câu văn (dạng NFC)")
        if int(y) in targets:
            raise CatalogError(
                f"{where}: năm {y} đã có chỉ tiêu bằng số, không thể có thêm mục tiêu bằng lời"
            )
        out[int(y)] = text.strip()
    return MappingProxyType(out)


def read_target_fractions(items: Any, targets: Mapping[int, float], where: str) -> Mapping[int, Fraction]:
    """The plan's whole-percent targets that stand for a fraction of agencies ("67%" = 2/3)."""
    if not isinstance(items, Mapping):
        raise CatalogError(f"{where}: “target_fractions” phải là đối tượng JSON")
    out: dict[int, Fraction] = {}
    for y, v in items.items():
        try:
            num, den = (int(x) for x in str(v).split("/"))
            frac = Fraction(num, den)
        except (ValueError, ZeroDivisionError) as exc:
            raise CatalogError(f"{where}: phân số chỉ tiêu năm “{y}” phải viết dạng “2/3”") from exc
        year = int(y) if str(y).isdigit() else None
        if year is None or year not in targets:
            raise CatalogError(f"{where}: phân số chỉ tiêu năm “{y}” không có chỉ tiêu tương ứng")
        # The fraction must be what the plan's whole percent rounds from (2/3 for 67 %).
        if round(frac * 100) != round(Fraction(str(targets[year]))):
            raise CatalogError(f"{where}: phân số {v} không khớp chỉ tiêu {targets[year]:g}% năm {y}")
        out[year] = frac
    return MappingProxyType(out)


def read_rule_entry(r: Mapping[str, Any], elements: Mapping[str, DataElement], indicators: set[str]) -> Rule:
    where = f"Quy tắc “{r.get('code', '?')}”" if isinstance(r, Mapping) else "Quy tắc"
    code = req(r, "code", where)
    sev = req(r, "severity", where)
    if sev not in SEVERITIES:
        raise CatalogError(f"{where}: mức độ “{sev}” không hợp lệ")
    spec = read_rule(r, where, elements, indicators)
    since = r.get("since")
    if since is not None and (not isinstance(since, str) or _version_tuple(since) is None):
        raise CatalogError(f"{where}: “since” phải là số phiên bản danh mục, ví dụ “2026.2”")
    return Rule(code, sev, req(r, "message", where), spec, since)


def _version_tuple(v: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return None


def read_task(t: Mapping[str, Any], kinds: Mapping[str, Any]) -> Task:
    where = f"Nhiệm vụ “{t.get('code', '?')}”" if isinstance(t, Mapping) else "Nhiệm vụ"
    yrs = req(t, "years", where, dict)
    lead = req(t, "lead", where)
    if lead != "press" and lead not in kinds:
        raise CatalogError(f"{where}: đơn vị chủ trì “{lead}” không hợp lệ")
    return Task(
        code=req(t, "code", where),
        no=req(t, "no", where),
        title=req(t, "title", where),
        lead=lead,
        coordinating=req(t, "coordinating", where),
        product=req(t, "product", where),
        timeframe=req(t, "timeframe", where),
        year_from=req(yrs, "from", where, int),
        year_to=yrs.get("to"),
        part_of=t.get("part_of"),
    )
