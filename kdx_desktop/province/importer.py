"""Is an intact package an acceptable report? Checked against the Sở's own catalogue.

:func:`check_report` takes a package that passed :func:`~.safe_zip.read_package` and re-checks
its content as if it had been typed at the Sở: known catalogue, organisation and year; every
value through the same field checks as the form (``check_value``); then every indicator is
recomputed and every rule re-run with the core, and the verdicts must equal the ones recorded
at the agency. Any difference means the package was not produced by an honest KDX (or the
catalogues disagree) and it is refused with the first difference named.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..core.catalog import Catalog, Organisation
from ..core.compute import IndicatorResult, compute_agency
from ..core.report import report_keys
from ..core.rules import ERROR, Issue, validate
from ..core.text import TextError, clean_text, disguises
from ..core.values import NA, Field, InvalidValue, Value, check_value, display, field_for_key
from ..package.safe_zip import IntakeRejected, SafePackage

DATA_FORMAT = "kdx-data"
DATA_FORMAT_VERSION = 1
_IDENTITY_KEYS = {
    "name",
    "governing_body",
    "abbreviation",
    "place",
    "signer_name",
    "signer_prefix",
    "signer_title",
    "recipient",
    "recipients_cc",
    "email",
    "header_template",
}


@dataclass(frozen=True)
class CheckedReport:
    """A report that passed every check at the Sở, decoded into core values."""

    org: Organisation
    year: int
    revision: int
    supersedes: str | None
    created_at: str
    data_sha256: str
    verification_code: str
    catalog_version: str
    entries: dict[str, Value]
    prev: dict[str, Value] | None
    indicators: list[IndicatorResult]
    issues: list[Issue]
    identity: dict[str, str]

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity != ERROR)


def _reject(code: str, message: str) -> IntakeRejected:
    return IntakeRejected(code, message, "data.json")


def _version_tuple(v: str) -> tuple[int, ...] | None:
    if not re.fullmatch(r"\d{1,6}(\.\d{1,6}){0,3}", v):
        return None
    return tuple(int(p) for p in v.split("."))


def _newer(rule_since: str | None, version: str) -> bool:
    """Did the rule come with a catalogue edition later than ``version``?"""
    a, b = _version_tuple(rule_since or ""), _version_tuple(version)
    return a is not None and b is not None and a > b


def _older(version: Any, than: str) -> bool:
    """``version`` is a catalogue version earlier than ``than``."""
    a = _version_tuple(version) if isinstance(version, str) else None
    b = _version_tuple(than)
    return a is not None and b is not None and a < b


def check_catalog_ref(catalog: Catalog, ref: Any) -> str:
    """The package's catalogue version if acceptable, else :class:`IntakeRejected`.

    Policy: the same catalogue id; the same version must have the same hash (a catalogue edited
    without a new version is not the plan's); an older version is accepted because codes never
    change once released (values are re-checked against this catalogue anyway); a newer one is
    refused: this KDX does not know what it may contain."""
    if not isinstance(ref, dict) or not all(isinstance(ref.get(k), str) for k in ("id", "version", "sha256")):
        raise _reject("catalog.shape", "Gói không ghi rõ danh mục (catalog) đã dùng.")
    if ref["id"] != catalog.id:
        raise _reject(
            "catalog.unknown", f"Gói dùng danh mục “{ref['id'][:60]}”, không phải danh mục của Kế hoạch này."
        )
    theirs, ours = _version_tuple(ref["version"]), _version_tuple(catalog.version)
    if theirs is None:
        raise _reject("catalog.version", f"Phiên bản danh mục “{ref['version'][:20]}” không hợp lệ.")
    if ours is not None and theirs > ours:
        raise _reject(
            "catalog.newer",
            f"Gói dùng danh mục phiên bản {ref['version']}, mới hơn của KDX này ({catalog.version}); hãy cập nhật KDX.",
        )
    if theirs == ours and ref["sha256"] != catalog.sha256:
        raise _reject(
            "catalog.modified", f"Danh mục phiên bản {ref['version']} trong gói đã bị sửa đổi (mã băm khác)."
        )
    return str(ref["version"])


def package_edition(editions: Mapping[int, Catalog], ref: Any) -> Catalog:
    """The catalogue edition a package was made under, from those the Sở keeps.

    A package names its edition; one made before editions existed names none and was made
    under edition 1. An edition the Sở does not have is refused: the Sở installs every edition
    it issues, so an unknown one is from elsewhere or from a later edition not yet installed.
    An edition the Sở has, at the same catalogue version, must have the very same file (SHA-256)."""
    number = ref.get("edition", 1) if isinstance(ref, dict) else 1
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise _reject(
            "catalog.edition", f"Số lần ban hành danh mục “{str(number)[:10]}” trong gói không hợp lệ."
        )
    catalog = editions.get(number)
    if catalog is None:
        known = ", ".join(str(n) for n in sorted(editions))
        raise _reject(
            "catalog.edition_unknown",
            f"Gói được lập theo danh mục lần ban hành {number}, Sở chưa có lần ban hành này "
            f"(đang có lần: {known}). Hãy cài đặt lần ban hành {number} (Tệp → Cập nhật danh mục) rồi nhập lại.",
        )
    # Edition 1 is the catalogue shipped with KDX, and a later KDX may ship it corrected (a new
    # catalogue version, e.g. 2026.4 gave PL1-6 the plan's 2030 goal). A package made by an earlier
    # KDX names the older version: it is checked like any package of an older version (figures
    # recomputed, verdicts not compared, see check_report). The same version must be the same
    # file, and an edition the Sở issued has one file only.
    if (
        "edition" in ref
        and isinstance(ref.get("sha256"), str)
        and ref["sha256"] != catalog.sha256
        and not (number == 1 and _older(ref.get("version"), catalog.version))
    ):
        raise _reject(
            "catalog.modified",
            f"Danh mục lần ban hành {number} ghi trong gói khác với bản Sở đang giữ (mã băm khác).",
        )
    return catalog


def value_from_json(fld: Field, raw: Any) -> Value:
    """The typed value of ``raw`` (as written by ``to_json``) for ``fld``, checked like typed input."""
    if isinstance(raw, dict):
        if raw != {"na": True}:
            raise InvalidValue(fld.key, fld.label, "giá trị có cấu trúc lạ")
        value: Value = NA
    elif fld.type == "integer":
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise InvalidValue(fld.key, fld.label, "phải là số nguyên")
        value = raw
    elif fld.type in ("decimal", "percent"):
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise InvalidValue(fld.key, fld.label, "phải là số")
        # repr() is the shortest text that round-trips: 15600.5 stays Decimal("15600.5").
        value = Decimal(raw) if isinstance(raw, int) else Decimal(repr(raw))
    elif fld.type == "boolean":
        if not isinstance(raw, bool):
            raise InvalidValue(fld.key, fld.label, "phải là có/không")
        value = raw
    elif fld.type == "date":
        if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise InvalidValue(fld.key, fld.label, "phải là ngày dạng YYYY-MM-DD")
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            raise InvalidValue(fld.key, fld.label, f"ngày “{raw}” không tồn tại") from None
    else:
        if not isinstance(raw, str):
            raise InvalidValue(fld.key, fld.label, "phải là văn bản")
        value = raw
    check_value(fld, value)
    return value


def _field(catalog: Catalog, key: str, allowed: set[str] | None) -> Field:
    try:
        fld = field_for_key(catalog, key)
    except KeyError:
        raise _reject("value.unknown_code", f"Mã trường “{key[:60]}” không có trong danh mục.") from None
    if allowed is not None and key not in allowed:
        raise _reject(
            "value.not_applicable", f"Trường “{fld.label}” ({key}) không thuộc báo cáo của đơn vị này."
        )
    return fld


def _decode(catalog: Catalog, key: str, raw: Any, allowed: set[str] | None) -> Value:
    fld = _field(catalog, key, allowed)
    try:
        return value_from_json(fld, raw)
    except InvalidValue as exc:
        raise _reject("value.invalid", f"Giá trị không hợp lệ: {exc}.") from None


def _obj(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    v = data.get(key)
    if not isinstance(v, dict):
        raise _reject("data.shape", f"data.json thiếu mục “{key}” hoặc sai kiểu.")
    return v


def report_entries(
    catalog: Catalog, data: Mapping[str, Any], allowed: set[str] | None = None
) -> dict[str, Value]:
    """Every key of the report (elements, tasks, narrative, justifications) decoded from ``data``.

    ``allowed`` (when given) is the set of element/task/narrative keys the organisation may send."""
    out: dict[str, Value] = {}
    for code, raw in _obj(data, "values").items():
        out[code] = _decode(catalog, code, raw, allowed)
    for task, fields in _obj(data, "tasks").items():
        if not isinstance(fields, dict):
            raise _reject("data.shape", f"Nhiệm vụ “{task[:20]}” trong data.json sai cấu trúc.")
        for name, raw in fields.items():
            key = f"task.{task}.{name}"
            out[key] = _decode(catalog, key, raw, allowed)
    for code, raw in _obj(data, "narrative").items():
        key = f"narrative.{code}"
        out[key] = _decode(catalog, key, raw, allowed)
    for rule_field, raw in _obj(data, "justifications").items():
        key = f"justification.{rule_field}"
        out[key] = _decode(catalog, key, raw, None)
    return out


def previous_values(catalog: Catalog, data: Mapping[str, Any], kind: str) -> dict[str, Value] | None:
    raw = data.get("previous_year_values")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _reject("data.shape", "Mục “previous_year_values” trong data.json sai kiểu.")
    allowed = {e.code for e in catalog.elements_for(kind)}
    out = {}
    for code, v in raw.items():
        value = _decode(catalog, code, v, allowed)
        out[code] = value
    return out


def _identity(data: Mapping[str, Any]) -> dict[str, str]:
    raw = _obj(data, "identity")
    out: dict[str, str] = {}
    for k, v in raw.items():
        if k not in _IDENTITY_KEYS or not isinstance(v, str):
            raise _reject("data.identity", f"Thông tin cơ quan ban hành có mục lạ “{k[:30]}”.")
        try:
            out[k] = clean_text(v, max_length=2000) if v else ""
        except TextError as exc:
            raise _reject("data.identity", f"Thông tin cơ quan ban hành “{k}” không hợp lệ: {exc}.") from None
    return out


def _same_number(recorded: Any, ours: Fraction | None) -> bool:
    if ours is None:
        return recorded is None
    if isinstance(recorded, bool) or not isinstance(recorded, int | float):
        return False
    scale = max(Fraction(1), abs(ours))
    return bool(abs(Fraction(recorded) - ours) <= Fraction(1, 10**5) * scale)


def _compare_indicators(
    catalog: Catalog, recorded: Any, ours: list[IndicatorResult], *, verdicts: bool = True
) -> None:
    if not isinstance(recorded, list) or not all(
        isinstance(r, dict) and isinstance(r.get("code"), str) for r in recorded
    ):
        raise _reject("data.shape", "Mục “indicators” trong data.json sai kiểu.")
    by_code = {r.get("code"): r for r in recorded}
    if set(by_code) != {r.code for r in ours} or len(by_code) != len(recorded):
        raise _reject("verdict.indicators", "Danh sách chỉ tiêu trong gói khác với danh mục của Sở.")
    for r in ours:
        rec = by_code[r.code]
        label = catalog.indicator(r.code).source
        if (
            (verdicts and rec.get("status") != r.status)
            or rec.get("na") is not r.na
            or not _same_number(rec.get("value"), r.value)
        ):
            raise _reject(
                "verdict.indicator",
                f"Chỉ tiêu {label}: kết quả tính lại tại Sở khác với kết quả ghi trong gói (số liệu đã bị sửa?).",
            )


def _compare_issues(recorded: Any, ours: list[Issue]) -> None:
    val = recorded if isinstance(recorded, dict) else {}
    issues = val.get("issues")
    if not isinstance(issues, list) or not all(isinstance(i, dict) for i in issues):
        raise _reject("data.shape", "Mục “validation” trong data.json sai kiểu.")
    theirs = sorted((str(i.get("rule")), str(i.get("severity")), str(i.get("field"))) for i in issues)
    mine = sorted((i.rule, i.severity, i.field) for i in ours)
    if theirs != mine:
        extra = sorted(set(mine) - set(theirs)) or sorted(set(theirs) - set(mine))
        where = f" (khác ở {extra[0][0]} - {extra[0][2]})" if extra else ""
        raise _reject("verdict.rules", f"Kết quả kiểm tra lại tại Sở khác với kết quả ghi trong gói{where}.")


def _clean(raw: Any, what: str, max_length: int, *, optional: bool = False) -> None:
    if raw is None and optional:
        return
    if not isinstance(raw, str):
        raise _reject("data.notes", f"{what} trong data.json sai kiểu.")
    try:
        ok = clean_text(raw, max_length=max_length) == raw
    except TextError as exc:
        raise _reject("data.notes", f"{what} trong data.json không hợp lệ: {exc}.") from None
    if not ok:
        raise _reject("data.notes", f"{what} trong data.json không ở dạng chuẩn (Unicode NFC).")


def check_notes(data: Mapping[str, Any]) -> None:
    """The optional keys a revision carries besides its values (see export/data.py): the reason the
    report was reopened and the answers to the Sở's review. Absent in older packages."""
    if "reopen_reason" in data:
        _clean(data["reopen_reason"], "Lý do mở lại", 1000)
    if "review_answers" not in data:
        return
    ans = data["review_answers"]
    if (
        not isinstance(ans, dict)
        or not isinstance(ans.get("review_sha256"), str)
        or not re.fullmatch(r"[0-9a-f]{64}", ans["review_sha256"])
        or not isinstance(ans.get("revision"), int)
        or not isinstance(ans.get("comments"), list)
    ):
        raise _reject("data.notes", "Mục trả lời góp ý (review_answers) trong data.json sai cấu trúc.")
    for c in ans["comments"]:
        if (
            not isinstance(c, dict)
            or not isinstance(c.get("number"), int)
            or not isinstance(c.get("changed"), list)
        ):
            raise _reject("data.notes", "Một câu trả lời góp ý trong data.json sai cấu trúc.")
        _clean(c.get("target"), "Mục được góp ý", 200)
        _clean(c.get("text"), "Ý kiến của Sở", 2000)
        _clean(c.get("reply"), "Câu trả lời góp ý", 2000, optional=True)
        for key in c["changed"]:
            _clean(key, "Mã trường đã sửa", 200)


def _check_attachments(listed: Any, members: Mapping[str, bytes], task_codes: Collection[str]) -> None:
    """``data.json``'s ``attachments`` must describe exactly the ``attachments/…`` members: the
    same paths, each with its SHA-256 and size (the manifest's hashes prove the bytes; this proves
    the list the report shows is the one that travelled). A package without the key (none
    attached, an older KDX) has no such member."""
    import hashlib

    files = {name: body for name, body in members.items() if name.startswith("attachments/")}
    if listed is None:
        listed = []
    if not isinstance(listed, list) or not all(isinstance(a, dict) for a in listed):
        raise _reject("data.attachments", "Mục “attachments” trong data.json sai kiểu.")
    paths = [a.get("path") for a in listed]
    if len(set(map(str, paths))) != len(paths) or set(map(str, paths)) != set(files):
        raise _reject(
            "data.attachments",
            "Danh sách tệp đính kèm trong data.json không khớp với các tệp đính kèm có trong gói.",
        )
    for a in listed:
        body = files[str(a["path"])]
        if a.get("sha256") != hashlib.sha256(body).hexdigest() or a.get("size") != len(body):
            raise _reject(
                "data.attachments",
                f"Tệp đính kèm “{str(a['path'])[:80]}” khác với mô tả của nó trong data.json.",
            )
        problem = _description_problem(a, task_codes)
        if problem is not None:
            raise _reject("data.attachments", f"Tệp đính kèm “{str(a['path'])[:80]}”: {problem}.")


def _description_problem(a: Mapping[str, Any], task_codes: Collection[str]) -> str | None:
    """Why an attachment's own description (its original name, its task) cannot be shown, or None.
    The path and the bytes are proven above; these two are what the Sở reads beside them."""
    task, name = a.get("task_code"), a.get("file_name")
    if not isinstance(task, str) or task not in task_codes:
        return "thuộc một nhiệm vụ không có trong danh mục"
    if not str(a["path"]).startswith(f"attachments/{task}/"):
        return "nằm ngoài thư mục của nhiệm vụ mà nó khai"
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        return "tên gốc của tệp trống, sai kiểu hoặc dài quá 255 ký tự"
    if disguises(name):
        return "tên gốc của tệp có ký tự điều khiển hoặc ký tự đảo chiều chữ (có thể dùng để ngụy trang tệp)"
    return None


def check_report(
    catalog: Catalog, pkg: SafePackage, editions: Mapping[int, Catalog] | None = None
) -> CheckedReport:
    """Re-check the content of ``pkg`` under the catalogue edition it names (among ``editions``,
    by default only ``catalog``); raise :class:`IntakeRejected`."""
    data, manifest = pkg.data, pkg.manifest
    catalog = package_edition(editions or {catalog.edition.number: catalog}, data.get("catalog"))
    version_no = data.get("format_version")
    if data.get("format") != DATA_FORMAT or type(version_no) is not int or version_no != DATA_FORMAT_VERSION:
        raise _reject("data.format", "data.json không đúng định dạng dữ liệu KDX.")
    for field_name in ("organisation", "year", "revision", "supersedes", "catalog", "created_at"):
        if manifest.get(field_name) != data.get(field_name) and field_name != "organisation":
            raise _reject("data.mismatch", f"Tệp kê khai và data.json không khớp ở “{field_name}”.")
    version = check_catalog_ref(catalog, data.get("catalog"))
    org_raw = data.get("organisation")
    if not isinstance(org_raw, dict) or not isinstance(org_raw.get("code"), str):
        raise _reject("data.shape", "data.json không ghi mã tổ chức.")
    man_org = manifest.get("organisation")
    if not isinstance(man_org, dict) or man_org.get("code") != org_raw["code"]:
        raise _reject("data.mismatch", "Tệp kê khai và data.json ghi hai tổ chức khác nhau.")
    code = org_raw["code"]
    if not catalog.has_org(code):
        raise _reject("org.unknown", f"Tổ chức mã “{code[:30]}” không có trong danh mục.")
    org = catalog.org(code)
    if org.consolidates:
        raise _reject(
            "org.self", "Đây là gói của chính Sở; số liệu của Sở được nhập trực tiếp, không nhập qua gói."
        )
    if org_raw.get("kind") != org.kind:
        raise _reject("org.kind", f"Loại tổ chức của {code} trong gói khác với danh mục.")
    year, revision = data.get("year"), data.get("revision")
    if not isinstance(year, int) or isinstance(year, bool) or year not in catalog.years():
        raise _reject(
            "year.unknown",
            f"Năm báo cáo {year!r} nằm ngoài kỳ của Kế hoạch ({catalog.year_from}-{catalog.year_to}).",
        )
    if not org.exists_in(year):
        raise _reject("org.year", f"Tổ chức {code} không có trong danh mục năm {year}.")
    if not isinstance(revision, int) or isinstance(revision, bool) or not 1 <= revision <= 999:
        raise _reject("revision.invalid", f"Số lần gửi {revision!r} không hợp lệ.")
    created = data.get("created_at")
    try:
        created_dt = dt.datetime.fromisoformat(str(created))
    except ValueError:
        created_dt = None
    if created_dt is None or created_dt.tzinfo is None:
        raise _reject("data.created_at", "Thời điểm lập gói không đúng dạng ISO 8601 có múi giờ.")
    # A report of year Y is made in Y or later, and not in the future (a day's slack for clocks).
    # What this cannot catch is a plausible backdated time: the package does not prove when it was
    # made (see "What a package proves" in docs/DATA-SAFETY.md).
    now = dt.datetime.now(dt.UTC)
    if isinstance(year, int) and not (
        dt.datetime(year, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=1)
        <= created_dt
        <= now + dt.timedelta(days=1)
    ):
        raise _reject(
            "data.created_at",
            f"Thời điểm lập gói {str(created)[:25]} không thể đúng với báo cáo năm {year} "
            "(trước năm báo cáo hoặc ở tương lai).",
        )
    _check_attachments(data.get("attachments"), pkg.members, {t.code for t in catalog.tasks})
    supersedes = data.get("supersedes")
    if supersedes is not None and (
        not isinstance(supersedes, str) or not re.fullmatch(r"[0-9a-f]{64}", supersedes)
    ):
        raise _reject("data.supersedes", "Mục “supersedes” trong data.json không hợp lệ.")

    check_notes(data)
    allowed = set(report_keys(catalog, org.kind, year))
    entries = report_entries(catalog, data, allowed)
    prev = previous_values(catalog, data, org.kind)
    indicators = compute_agency(catalog, org.kind, year, entries, prev, None)
    issues = validate(catalog, org.kind, year, entries, indicators, prev)
    # A package made with an older edition of the catalogue was judged by that edition's rules
    # (e.g. before targets were compared exactly, or bound the province): its figures must still
    # be ours, but its verdicts and warnings are not compared, and a rule the catalogue brought
    # later does not refuse it (the Sở sees that warning when it reviews the report).
    older = _version_tuple(version) != _version_tuple(catalog.version)
    _compare_indicators(catalog, data.get("indicators"), indicators, verdicts=not older)
    if not older:
        _compare_issues(data.get("validation"), issues)
    since = {r.code: r.since for r in catalog.rules}
    blocking = [i for i in issues if i.blocks_export and not (older and _newer(since.get(i.rule), version))]
    if blocking:
        first = blocking[0]
        raise _reject("rules.blocking", f"Báo cáo chưa đạt kiểm tra: {first.message}")
    return CheckedReport(
        org=org,
        year=year,
        revision=revision,
        supersedes=supersedes,
        created_at=str(created),
        data_sha256=str(manifest["data_sha256"]),
        verification_code=str(manifest["verification_code"]),
        catalog_version=version,
        entries=entries,
        prev=prev,
        indicators=indicators,
        issues=issues,
        identity=_identity(data),
    )


@dataclass(frozen=True)
class ValueChange:
    """One key whose value differs between two revisions (displayed as printed)."""

    key: str
    label: str
    old: str
    new: str


def diff_entries(catalog: Catalog, old: Mapping[str, Value], new: Mapping[str, Value]) -> list[ValueChange]:
    """What changed from ``old`` to ``new``, in catalogue order (elements, tasks, narrative, notes)."""
    order = {k: i for i, k in enumerate(catalog.elements)}
    out = []
    for key in sorted(set(old) | set(new), key=lambda k: (order.get(k, len(order)), k)):
        a, b = old.get(key), new.get(key)
        if a == b and (a is NA) == (b is NA):
            continue
        try:
            fld = field_for_key(catalog, key)
        except KeyError:
            continue
        out.append(ValueChange(key, fld.label, display(fld, a) or "(trống)", display(fld, b) or "(trống)"))
    return out


__all__ = [
    "CheckedReport",
    "ValueChange",
    "check_catalog_ref",
    "check_report",
    "diff_entries",
    "package_edition",
    "report_entries",
    "value_from_json",
]
