"""Reports: open, enter values, compute, validate, reopen — the same path for CLI and window."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.catalog import Catalog, Organisation
from ..core.catalog_loader import load_catalog
from ..core.report import DRAFT, Change, Report, ReportState, decoded_entries, report_keys
from ..core.text import clean_text
from ..core.values import NA, Field, InvalidValue, Value, encode, field_for_key, parse_input
from ..errors import KdxError
from ..paths import backups_dir, db_path
from ..store.connection import DatabaseDamaged, DatabaseUnavailable
from ..store.repo import Store, open_store

if TYPE_CHECKING:
    from ..safekeeping.backups import BackupInfo

log = logging.getLogger(__name__)


class UsageError(KdxError, ValueError):
    """Bad usage or a bad value: nothing was changed (exit status 2). Message in Vietnamese."""

    usage = True


@dataclass
class App:
    """An open data folder: its catalogue (the newest edition it has) and its store.

    ``editions`` holds every edition this folder knows (the bundled one and those installed),
    by number: an exported report is shown and judged again under its own edition, and the
    Sở checks a package under the edition the package names."""

    catalog: Catalog
    store: Store
    data_dir: Path | None = None
    editions: dict[int, Catalog] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.editions.setdefault(self.catalog.edition.number, self.catalog)

    def catalog_for_year(self, year: int) -> Catalog:
        """The newest edition that governs ``year`` (the newest of all when none says it does)."""
        for number in sorted(self.editions, reverse=True):
            if self.editions[number].edition.governs(year):
                return self.editions[number]
        return self.catalog

    def catalog_for(self, edition: int) -> Catalog:
        """The catalogue of ``edition``, or :class:`UsageError` naming the editions known."""
        cat = self.editions.get(edition)
        if cat is None:
            known = ", ".join(str(n) for n in sorted(self.editions))
            raise UsageError(f"KDX chưa có danh mục lần ban hành {edition} (đang có lần: {known}).")
        return cat

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_app(data_dir: Path, catalog: Catalog | None = None, *, inspect: bool = True) -> App:
    """Open the data folder's database (created and migrated as needed).

    ``inspect`` first checks the files without writing to them (safekeeping/dbcheck.py), so a damaged
    database or a foreign ``-wal`` is refused (:class:`DatabaseDamaged`) before SQLite could write."""
    if inspect:
        from ..safekeeping.dbcheck import inspect_database

        damage = inspect_database(db_path(data_dir))
        if damage is not None:
            raise DatabaseDamaged(
                f"{damage.message} Không có gì bị ghi vào. Hãy khôi phục một bản sao lưu "
                "(lệnh restore hoặc menu Sao lưu trong cửa sổ)."
            )
        backup = backup_for_missing_database(data_dir)
        if backup is not None:
            raise DatabaseUnavailable(
                f"{missing_database_message(data_dir)} Hãy khôi phục bản sao lưu gần nhất còn tốt: "
                f"kdx restore “{backup.path}” (hoặc mở cửa sổ KDX, nơi bản sao lưu được đề nghị)."
            )
    store = open_store(db_path(data_dir), backup_dir=backups_dir(data_dir))
    base = catalog or load_catalog()
    editions = installed_editions(store, base)
    if catalog is not None:  # e.g. a worker opening with the window's (newest) edition
        bundled = load_catalog()
        if bundled.id == base.id:
            editions.setdefault(bundled.edition.number, bundled)
    return App(editions[max(editions)], store, data_dir, editions)


def installed_editions(store: Store, bundled: Catalog) -> dict[int, Catalog]:
    """The bundled catalogue and every edition installed in ``store`` for the same catalogue,
    by edition number. Each was verified when installed; it is parsed again here, and one
    that no longer reads (a later program that dropped a type) is left out with a log line."""
    from ..core.catalog_loader import parse_catalog
    from ..core.catalog_specs import CatalogError

    out = {bundled.edition.number: bundled}
    for number, content in store.catalog_editions():
        try:
            cat = parse_catalog(content)
        except CatalogError as exc:
            log.error("catalogue edition %s cannot be read: %s", number, exc)
            continue
        if cat.id == bundled.id and cat.edition.number == number:
            out[number] = cat
    return out


def backup_for_missing_database(data_dir: Path) -> BackupInfo | None:
    """When the database is gone but backups exist (deleted by mistake, a folder copied without
    it), creating an empty one would hide the data: the newest valid backup, to offer instead.
    None in a new folder (no database, no backup) or when the database is there."""
    db = db_path(data_dir)
    if db.exists() and db.stat().st_size > 0:
        return None
    folder = backups_dir(data_dir)
    if not folder.is_dir() or not any(folder.glob("*.sqlite3")):
        return None
    from ..safekeeping.backups import newest_valid_backup  # only when the database is missing

    return newest_valid_backup(data_dir)


def missing_database_message(data_dir: Path) -> str:
    return (
        f"Không thấy cơ sở dữ liệu “{db_path(data_dir)}” nhưng thư mục dữ liệu có bản sao lưu: dữ liệu có thể "
        "đã bị xóa hoặc chép thiếu. KDX chưa tạo cơ sở dữ liệu trống thay thế."
    )


# -- organisation and year --------------------------------------------------------


def check_org_year(catalog: Catalog, org_code: str, year: int) -> Organisation:
    """The organisation, or :class:`UsageError` for an unknown code or a year outside the plan."""
    if not catalog.has_org(org_code):
        known = ", ".join(o.code for o in catalog.organisations)
        raise UsageError(f"Không có tổ chức mã “{org_code}” trong danh mục (các mã: {known}).")
    check_year(catalog, year)
    return catalog.org(org_code)


def check_year(catalog: Catalog, year: int) -> None:
    """:class:`UsageError` for a year outside the plan."""
    if year not in catalog.years():
        raise UsageError(
            f"Năm {year} nằm ngoài kỳ báo cáo của kế hoạch ({catalog.year_from}-{catalog.year_to})."
        )


def field_of(catalog: Catalog, org: Organisation, year: int, key: str) -> Field:
    """The field behind ``key`` for this organisation, or :class:`UsageError`."""
    try:
        fld = field_for_key(catalog, key)
    except KeyError:
        raise UsageError(f"Mã trường “{key}” không có trong danh mục.") from None
    if key.startswith("justification."):
        return fld
    if key not in report_keys(catalog, org.kind, year):
        raise UsageError(f"Trường “{fld.label}” ({key}) không áp dụng cho {org.name(year)} năm {year}.")
    return fld


# -- reading ----------------------------------------------------------------------


def _values_of(app: App, org: str, year: int) -> dict[str, Value] | None:
    rep = app.store.find_report(org, year)
    if rep is None:
        return None
    vals = decoded_entries(app.catalog, app.store.entries(rep.id))
    return {k: v for k, v in vals.items() if k in app.catalog.elements} or None


def load_state(app: App, org_code: str, year: int) -> ReportState:
    """The report of ``org_code`` for ``year`` (created empty if new), computed and validated."""
    check_org_year(app.catalog, org_code, year)
    # Reading never writes: a report that does not exist yet is an empty draft in memory,
    # created in the store by its first saved value (see set_value).
    report = app.store.find_report(org_code, year) or Report(0, org_code, year, DRAFT, 1)
    catalog, notice = report_catalog(app, report)
    state = ReportState(
        catalog=catalog,
        org=catalog.org(org_code),
        year=year,
        report=report,
        entries=decoded_entries(catalog, app.store.entries(report.id)) if report.id else {},
        prev=_values_of(app, org_code, year - 1),
        prev2=_values_of(app, org_code, year - 2),
        edition_notice=notice,
    )
    state.recompute()
    return state


def report_catalog(app: App, report: Report) -> tuple[Catalog, str]:
    """The catalogue a report is judged under, and what to tell the user about it.

    An exported report keeps the edition it was exported under, so installing a later edition
    never changes its verdicts, its PDF or its package. A draft follows the newest edition that
    governs its year; a reopened report that was exported under another one says that it moved."""
    current = app.catalog_for_year(report.year)
    if not report.id:
        return current, ""
    exported = app.store.exported_edition(report)
    if exported is not None:
        return app.catalog_for(exported), ""
    before = app.store.last_exported_edition(report)
    if before is not None and before != current.edition.number:
        return current, (
            f"Báo cáo đã mở lại nên nay theo {current.edition.label}; lần xuất trước theo danh mục lần ban "
            f"hành {before}. Hãy kiểm tra lại chỉ tiêu và cảnh báo trước khi xuất."
        )
    return current, ""


# -- writing ----------------------------------------------------------------------


def parse_assignments(app: App, org_code: str, year: int, raw: Mapping[str, str]) -> dict[str, Change]:
    """Parse ``{key: typed text}`` as the form does, numbers by the command line's documented rules
    (``1234.5`` is a decimal point there; in the window a dot always groups thousands). All or nothing: the first bad value
    raises :class:`UsageError` naming the field, and nothing is returned."""
    catalog = app.catalog_for_year(year)  # only a draft is edited: it follows this edition
    org = check_org_year(catalog, org_code, year)
    out: dict[str, Change] = {}
    for key, text in raw.items():
        fld = field_of(catalog, org, year, key)
        try:
            value = parse_input(fld, text)
        except InvalidValue as exc:
            raise UsageError(f"Giá trị không hợp lệ cho {exc}.") from None
        out[key] = (None, False) if value is None else encode(value)
    return out


def set_values(
    app: App,
    org_code: str,
    year: int,
    raw: Mapping[str, str],
    *,
    reason: str | None = None,
    user: str | None = None,
    action: str = "edit",
) -> int:
    """Store typed values (one transaction with their audit rows). Returns how many changed."""
    changes = parse_assignments(app, org_code, year, raw)
    report = app.store.report(org_code, year)
    return app.store.save_entries(report, changes, action=action, reason=reason, user=user)


def set_value(
    app: App, state: ReportState, key: str, value: Value | None, *, user: str | None = None
) -> None:
    """Store one already-parsed value and update ``state`` in place (the window's save path)."""
    change: Change = (None, False) if value is None else encode(value)
    if not state.report.id:
        state.report = app.store.report(state.org.code, state.year)
    app.store.save_entries(state.report, {key: change}, user=user)
    if value is None:
        state.entries.pop(key, None)
    else:
        state.entries[key] = value
    state.recompute()


def reopen(app: App, org_code: str, year: int, reason: str, *, user: str | None = None) -> Report:
    check_org_year(app.catalog, org_code, year)
    report = app.store.find_report(org_code, year)
    if report is None:
        raise UsageError(f"Chưa có báo cáo của {app.catalog.org_label(org_code, year)} năm {year}.")
    return app.store.reopen(report, clean_text(reason, max_length=1000), user=user)


__all__ = [
    "NA",
    "App",
    "ReportState",
    "UsageError",
    "decoded_entries",
    "load_state",
    "open_app",
    "parse_assignments",
    "reopen",
    "report_keys",
    "set_values",
]
