"""The catalogue: the plan as data (organisations, data elements, indicators, rules, tasks).

The file is validated entry by entry when loaded; a malformed catalogue is refused with a
Vietnamese message that names the entry, so a maintainer at the Sở can find and fix it.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .text import nfc

VALUE_TYPES = ("integer", "decimal", "percent", "boolean", "choice", "text", "date")
SEVERITIES = ("error", "warning")
RULE_TYPES = ("compare", "required_if", "indicator_range", "target_not_met", "far_from_prev")
COMPUTE_TYPES = ("split", "ratio", "growth", "share", "count", "flag")
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in")


class CatalogError(ValueError):
    """The catalogue file is malformed; the message names the entry."""


class Choice(NamedTuple):
    code: str
    label: str


class DataElement(NamedTuple):
    code: str
    label: str
    type: str
    unit: str
    applies_to: tuple[str, ...]
    required: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    help: str = ""
    prev_of: str | None = None

    def choice_label(self, code: str) -> str:
        for c in self.choices:
            if c.code == code:
                return c.label
        return code


class Indicator(NamedTuple):
    code: str
    source: str
    label: str
    short_label: str
    unit: str
    measure: str
    compute: Mapping[str, Any]
    direction: str
    display: str
    applies_to: tuple[str, ...]
    targets: Mapping[int, float]
    target_labels: Mapping[int, str] = MappingProxyType({})  # shared, read-only

    def target(self, year: int) -> float | None:
        return self.targets.get(year)

    @property
    def is_goal(self) -> bool:
        return self.source.startswith("II")


class Rule(NamedTuple):
    code: str
    severity: str
    type: str
    message: str
    spec: Mapping[str, Any]


class Task(NamedTuple):
    code: str
    no: str
    title: str
    lead: str
    coordinating: str
    product: str
    timeframe: str
    year_from: int
    year_to: int | None
    part_of: str | None = None

    def active_in(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


class FieldSpec(NamedTuple):
    """A non-indicator field: a task field or a narrative section."""

    code: str
    label: str
    type: str
    required: bool
    max_length: int | None = None
    choices: tuple[Choice, ...] = ()
    help: str = ""


class OrgPeriod(NamedTuple):
    year_from: int
    year_to: int | None
    name: str
    governing_body: str
    abbreviation: str
    place: str
    signer_prefix: str
    signer_title: str
    header_template: str
    recipient: str
    email: str = ""

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


class Organisation(NamedTuple):
    code: str
    kind: str
    expected_to_report: bool
    consolidates: bool
    periods: tuple[OrgPeriod, ...]

    def period(self, year: int) -> OrgPeriod:
        """The names valid for ``year`` (a report keeps the names of its own year)."""
        for p in self.periods:
            if p.covers(year):
                return p
        # Before the first or after the last period: the nearest one.
        return self.periods[0] if year < self.periods[0].year_from else self.periods[-1]

    def exists_in(self, year: int) -> bool:
        return any(p.covers(year) for p in self.periods)

    def name(self, year: int) -> str:
        return self.period(year).name


class Section(NamedTuple):
    code: str
    label: str
    elements: tuple[str, ...]


@dataclass(frozen=True)
class Catalog:
    id: str
    version: str
    title: str
    year_from: int
    year_to: int
    kinds: Mapping[str, Mapping[str, Any]]
    organisations: tuple[Organisation, ...]
    sections: tuple[Section, ...]
    elements: Mapping[str, DataElement]
    indicators: tuple[Indicator, ...]
    goal_restatements: tuple[Mapping[str, str], ...]
    rules: tuple[Rule, ...]
    task_fields: tuple[FieldSpec, ...]
    tasks: tuple[Task, ...]
    narrative: tuple[FieldSpec, ...]
    deadlines: tuple[Mapping[str, Any], ...]
    source: bytes = field(repr=False)  # the file's bytes, for its fingerprint

    @functools.cached_property
    def sha256(self) -> str:
        """The fingerprint of the catalogue file that packages cite. Computed when first asked
        for (an export, an import): hashlib loads OpenSSL, which the window's start does not need."""
        import hashlib

        return hashlib.sha256(self.source).hexdigest()

    # -- look-ups -------------------------------------------------------------------
    def org(self, code: str) -> Organisation:
        for o in self.organisations:
            if o.code == code:
                return o
        raise KeyError(code)

    def has_org(self, code: str) -> bool:
        return any(o.code == code for o in self.organisations)

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    def is_press(self, kind: str) -> bool:
        return bool(self.kinds.get(kind, {}).get("press"))

    def press_agencies(self) -> list[Organisation]:
        return [o for o in self.organisations if self.is_press(o.kind)]

    def expected_reporters(self, year: int) -> list[Organisation]:
        return [o for o in self.organisations if o.expected_to_report and o.exists_in(year)]

    def elements_for(self, kind: str) -> list[DataElement]:
        return [e for e in self.elements.values() if kind in e.applies_to]

    def indicators_for(self, kind: str) -> list[Indicator]:
        return [i for i in self.indicators if kind in i.applies_to]

    def tasks_led_by(self, kind: str, year: int) -> list[Task]:
        """Tasks an organisation of ``kind`` leads and reports on in ``year``."""
        lead = "press" if self.is_press(kind) else kind
        return [t for t in self.tasks if t.lead == lead and t.active_in(year)]

    def deadline(self, year: int) -> tuple[int, int]:
        """(month, day) of the reporting deadline that applies to ``year``."""
        for d in self.deadlines:
            to = d.get("to")
            if d["from"] <= year and (to is None or year <= to):
                return int(d["month"]), int(d["day"])
        return 11, 25

    def consolidator(self) -> Organisation:
        for o in self.organisations:
            if o.consolidates:
                return o
        raise KeyError("consolidator")


# -- loading ------------------------------------------------------------------------


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
    raw = path.read_bytes()
    cat = parse_catalog(raw)
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
    return _Builder(doc, raw).build()


class _Builder:
    def __init__(self, doc: dict[str, Any], raw: bytes) -> None:
        self.doc = doc
        self.raw = raw

    @staticmethod
    def _req(obj: Mapping[str, Any], key: str, where: str, typ: type | tuple[type, ...] = str) -> Any:
        if key not in obj:
            raise CatalogError(f"{where}: thiếu trường “{key}”")
        val = obj[key]
        if not isinstance(val, typ) or (typ is int and isinstance(val, bool)):
            raise CatalogError(f"{where}: trường “{key}” sai kiểu")
        if isinstance(val, str):
            if val != nfc(val):
                raise CatalogError(f"{where}: trường “{key}” không ở dạng Unicode NFC")
            if key in ("code", "label", "name", "title") and not val.strip():
                raise CatalogError(f"{where}: trường “{key}” để trống")
        return val

    def _choices(self, obj: Mapping[str, Any], where: str) -> tuple[Choice, ...]:
        items = obj.get("choices", [])
        if not isinstance(items, list):
            raise CatalogError(f"{where}: “choices” phải là danh sách")
        out = []
        for c in items:
            out.append(Choice(self._req(c, "code", where), self._req(c, "label", where)))
        return tuple(out)

    def _unique(self, codes: list[str], what: str) -> None:
        seen: set[str] = set()
        for c in codes:
            if c in seen:
                raise CatalogError(f"{what} “{c}”: mã bị trùng")
            seen.add(c)

    def build(self) -> Catalog:
        d = self.doc
        cid = self._req(d, "id", "Danh mục")
        version = self._req(d, "version", "Danh mục")
        years = self._req(d, "reporting_years", "Danh mục", dict)
        y_from = self._req(years, "from", "Danh mục: reporting_years", int)
        y_to = self._req(years, "to", "Danh mục: reporting_years", int)
        if y_to < y_from:
            raise CatalogError("Danh mục: reporting_years có năm kết thúc trước năm bắt đầu")
        kinds = self._req(d, "kinds", "Danh mục", dict)

        orgs = []
        for o in self._req(d, "organisations", "Danh mục", list):
            where = f"Tổ chức “{o.get('code', '?')}”"
            code = self._req(o, "code", where)
            kind = self._req(o, "kind", where)
            if kind not in kinds:
                raise CatalogError(f"{where}: loại tổ chức “{kind}” không có trong “kinds”")
            periods = []
            for p in self._req(o, "periods", where, list):
                pw = f"{where}, giai đoạn từ {p.get('from')}"
                periods.append(
                    OrgPeriod(
                        year_from=self._req(p, "from", pw, int),
                        year_to=p.get("to"),
                        name=self._req(p, "name", pw),
                        governing_body=self._req(p, "governing_body", pw),
                        abbreviation=self._req(p, "abbreviation", pw),
                        place=self._req(p, "place", pw),
                        signer_prefix=self._req(p, "signer_prefix", pw),
                        signer_title=self._req(p, "signer_title", pw),
                        header_template=self._req(p, "header_template", pw),
                        recipient=self._req(p, "recipient", pw),
                        email=str(p.get("email", "")),
                    )
                )
            if not periods:
                raise CatalogError(f"{where}: cần ít nhất một giai đoạn tên gọi")
            periods.sort(key=lambda p: p.year_from)
            for a, b in itertools.pairwise(periods):
                if a.year_to is None or a.year_to >= b.year_from:
                    raise CatalogError(f"{where}: các giai đoạn tên gọi chồng lấn nhau")
            orgs.append(
                Organisation(
                    code, kind, bool(o.get("expected_to_report")), bool(o.get("consolidates")), tuple(periods)
                )
            )
        self._unique([o.code for o in orgs], "Tổ chức")

        elements: dict[str, DataElement] = {}
        for e in self._req(d, "data_elements", "Danh mục", list):
            where = f"Chỉ số nhập liệu “{e.get('code', '?')}”"
            typ = self._req(e, "type", where)
            if typ not in VALUE_TYPES:
                raise CatalogError(f"{where}: kiểu “{typ}” không hợp lệ")
            applies = tuple(self._req(e, "applies_to", where, list))
            for k in applies:
                if k not in kinds:
                    raise CatalogError(f"{where}: áp dụng cho loại “{k}” không tồn tại")
            el = DataElement(
                code=self._req(e, "code", where),
                label=self._req(e, "label", where),
                type=typ,
                unit=self._req(e, "unit", where),
                applies_to=applies,
                required=bool(e.get("required", False)),
                min=e.get("min"),
                max=e.get("max"),
                max_length=e.get("max_length"),
                choices=self._choices(e, where),
                help=str(e.get("help", "")),
                prev_of=e.get("prev_of"),
            )
            if typ == "choice" and not el.choices:
                raise CatalogError(f"{where}: kiểu lựa chọn cần danh sách “choices”")
            if el.code in elements:
                raise CatalogError(f"Chỉ số nhập liệu “{el.code}”: mã bị trùng")
            elements[el.code] = el
        for el in elements.values():
            if el.prev_of and el.prev_of not in elements:
                raise CatalogError(f"Chỉ số nhập liệu “{el.code}”: prev_of “{el.prev_of}” không tồn tại")

        sections = []
        for s in self._req(d, "sections", "Danh mục", list):
            where = f"Mục “{s.get('code', '?')}”"
            els = tuple(self._req(s, "elements", where, list))
            for c in els:
                if c not in elements:
                    raise CatalogError(f"{where}: chỉ số “{c}” không tồn tại")
            sections.append(Section(self._req(s, "code", where), self._req(s, "label", where), els))
        placed = {c for s in sections for c in s.elements}
        for c in elements:
            if c not in placed:
                raise CatalogError(f"Chỉ số nhập liệu “{c}”: không thuộc mục nào trong “sections”")

        indicators = []
        for i in self._req(d, "indicators", "Danh mục", list):
            indicators.append(self._indicator(i, elements, kinds, y_from))
        self._unique([i.code for i in indicators], "Chỉ tiêu")
        ind_codes = {i.code for i in indicators}

        rules = []
        for r in self._req(d, "rules", "Danh mục", list):
            rules.append(self._rule(r, elements, ind_codes))
        self._unique([r.code for r in rules], "Quy tắc")

        task_fields = tuple(
            self._field(f, "Trường nhiệm vụ") for f in self._req(d, "task_fields", "Danh mục", list)
        )
        tasks = []
        for t in self._req(d, "tasks", "Danh mục", list):
            where = f"Nhiệm vụ “{t.get('code', '?')}”"
            yrs = self._req(t, "years", where, dict)
            lead = self._req(t, "lead", where)
            if lead != "press" and lead not in kinds:
                raise CatalogError(f"{where}: đơn vị chủ trì “{lead}” không hợp lệ")
            tasks.append(
                Task(
                    code=self._req(t, "code", where),
                    no=self._req(t, "no", where),
                    title=self._req(t, "title", where),
                    lead=lead,
                    coordinating=self._req(t, "coordinating", where),
                    product=self._req(t, "product", where),
                    timeframe=self._req(t, "timeframe", where),
                    year_from=self._req(yrs, "from", where, int),
                    year_to=yrs.get("to"),
                    part_of=t.get("part_of"),
                )
            )
        self._unique([t.code for t in tasks], "Nhiệm vụ")
        narrative = tuple(
            self._field({**n, "type": "text"}, "Phần thuyết minh")
            for n in self._req(d, "narrative", "Danh mục", list)
        )
        restate = tuple(d.get("goal_restatements", []))
        for g in restate:
            if g.get("indicator") not in ind_codes:
                raise CatalogError(
                    f"Mục tiêu “{g.get('source')}”: chỉ tiêu “{g.get('indicator')}” không tồn tại"
                )
        return Catalog(
            id=cid,
            version=version,
            title=str(d.get("title", "")),
            year_from=y_from,
            year_to=y_to,
            kinds=kinds,
            organisations=tuple(orgs),
            sections=tuple(sections),
            elements=elements,
            indicators=tuple(indicators),
            goal_restatements=restate,
            rules=tuple(rules),
            task_fields=task_fields,
            tasks=tuple(tasks),
            narrative=narrative,
            deadlines=tuple(d.get("deadlines", [])),
            source=self.raw,
        )

    def _field(self, f: Mapping[str, Any], what: str) -> FieldSpec:
        where = f"{what} “{f.get('code', '?')}”"
        typ = self._req(f, "type", where)
        if typ not in VALUE_TYPES:
            raise CatalogError(f"{where}: kiểu “{typ}” không hợp lệ")
        return FieldSpec(
            code=self._req(f, "code", where),
            label=self._req(f, "label", where),
            type=typ,
            required=bool(f.get("required", False)),
            max_length=f.get("max_length"),
            choices=self._choices(f, where),
            help=str(f.get("help", "")),
        )

    def _indicator(
        self, i: Mapping[str, Any], elements: Mapping[str, DataElement], kinds: Mapping[str, Any], y_from: int
    ) -> Indicator:
        where = f"Chỉ tiêu “{i.get('code', '?')}”"
        comp = self._req(i, "compute", where, dict)
        ctype = comp.get("type")
        if ctype not in COMPUTE_TYPES:
            raise CatalogError(f"{where}: cách tính “{ctype}” không hợp lệ")
        refs: list[str] = []
        if ctype == "split":
            refs = list(comp.get("city", [])) + list(comp.get("rural", []))
        elif ctype == "ratio":
            refs = [comp.get("num", ""), comp.get("den", "")]
        elif ctype in ("growth", "flag"):
            refs = [comp.get("element", "")]
        else:
            cond = comp.get("condition")
            if not isinstance(cond, dict) or cond.get("op") not in OPERATORS:
                raise CatalogError(f"{where}: điều kiện không hợp lệ")
            refs = [cond.get("el") or cond.get("growth") or ""]
        for r in refs:
            if r not in elements:
                raise CatalogError(f"{where}: tham chiếu chỉ số nhập liệu “{r}” không tồn tại")
        targets: dict[int, float] = {}
        for y, v in self._req(i, "targets", where, dict).items():
            if not str(y).isdigit() or not isinstance(v, int | float) or isinstance(v, bool):
                raise CatalogError(f"{where}: chỉ tiêu năm “{y}” không hợp lệ")
            targets[int(y)] = float(v)
        direction = self._req(i, "direction", where)
        if direction not in ("higher", "lower"):
            raise CatalogError(f"{where}: hướng “{direction}” không hợp lệ")
        applies = tuple(self._req(i, "applies_to", where, list))
        for k in applies:
            if k not in kinds:
                raise CatalogError(f"{where}: áp dụng cho loại “{k}” không tồn tại")
        return Indicator(
            code=self._req(i, "code", where),
            source=self._req(i, "source", where),
            label=self._req(i, "label", where),
            short_label=self._req(i, "short_label", where),
            unit=self._req(i, "unit", where),
            measure=self._req(i, "measure", where),
            compute=comp,
            direction=direction,
            display=self._req(i, "display", where),
            applies_to=applies,
            targets=targets,
            target_labels={int(y): str(v) for y, v in i.get("target_labels", {}).items()},
        )

    def _rule(self, r: Mapping[str, Any], elements: Mapping[str, DataElement], indicators: set[str]) -> Rule:
        where = f"Quy tắc “{r.get('code', '?')}”"
        code = self._req(r, "code", where)
        sev = self._req(r, "severity", where)
        if sev not in SEVERITIES:
            raise CatalogError(f"{where}: mức độ “{sev}” không hợp lệ")
        typ = self._req(r, "type", where)
        if typ not in RULE_TYPES:
            raise CatalogError(f"{where}: loại quy tắc “{typ}” không hợp lệ")
        msg = self._req(r, "message", where)
        if typ in ("compare", "required_if"):
            fld = self._req(r, "field", where)
            if fld not in elements:
                raise CatalogError(f"{where}: trường “{fld}” không tồn tại")
            if typ == "compare" and r.get("op") not in OPERATORS:
                raise CatalogError(f"{where}: phép so sánh “{r.get('op')}” không hợp lệ")
            for side in ("left", "right") if typ == "compare" else ():
                operand = self._req(r, side, where, dict)
                el = operand.get("el")
                if el is not None and el not in elements:
                    raise CatalogError(f"{where}: chỉ số “{el}” không tồn tại")
            if typ == "required_if":
                when = self._req(r, "when", where, dict)
                if when.get("el") not in elements:
                    raise CatalogError(f"{where}: điều kiện tham chiếu chỉ số không tồn tại")
        if typ == "indicator_range":
            for c in self._req(r, "indicators", where, list):
                if c not in indicators:
                    raise CatalogError(f"{where}: chỉ tiêu “{c}” không tồn tại")
        if typ == "far_from_prev":
            for c in self._req(r, "elements", where, list):
                if c not in elements:
                    raise CatalogError(f"{where}: chỉ số “{c}” không tồn tại")
        return Rule(code, sev, typ, msg, r)
