"""``data.json``: everything an agency entered for a year, plus what KDX computed from it.

The content is a plain JSON document (numbers as JSON numbers, dates as ISO strings, a
not-applicable mark as ``{"na": true}``) that :func:`kdx_desktop.package.canonical.canonical_json`
turns into reproducible bytes. Layout (``format`` = "kdx-data", ``format_version`` = 1)::

    catalog {id, version, edition, sha256}, organisation {code, name, kind}, year, revision, supersedes,
    created_at, app_version, identity {...Identity fields},
    values {element code: value}, tasks {task code: {field: value}}, narrative {code: text},
    justifications {"RULE.FIELD": text}, previous_year_values {element code: value} | null,
    indicators [IndicatorResult.as_json()], validation {issues [...], summary {...}, can_export},
    attachments [{path, file_name, task_code, sha256, size}]

Optional (absent in packages made before them, and when they do not apply)::

    reopen_reason: why the agency reopened the revision before this one (text),
    review_answers {review_sha256, revision, comments [{number, target, text, reply, changed [key]}]}:
        the answers to the Sở's review of the revision before (services/review.py)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..core.values import to_json

if TYPE_CHECKING:
    from ..core.catalog import Catalog
    from ..core.report import Identity, ReportState

DATA_FORMAT = "kdx-data"
DATA_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Seal:
    """What ties the printed report and the workbook to the package: revision, verification code
    and the full SHA-256 of ``data.json``. A draft has none."""

    revision: int
    verification_code: str
    data_sha256: str


@dataclass(frozen=True)
class Attachment:
    """An evidence file travelling in the package at ``path`` (``attachments/<task>/<name>``)."""

    path: str
    file_name: str
    task_code: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def catalog_ref(cat: Catalog) -> dict[str, Any]:
    """How a package names its catalogue: id, version, edition and the file's SHA-256. A package
    made before editions existed has no ``edition`` and was made under edition 1."""
    return {"id": cat.id, "version": cat.version, "edition": cat.edition.number, "sha256": cat.sha256}


def indicator_headings(year: int) -> list[str]:
    """Column headings of an indicator table, the same in the PDF and the workbook."""
    return [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        f"Năm {year - 1}",
        f"Năm {year}",
        f"Chỉ tiêu năm {year}",
        "Đánh giá",
        "Giải trình",
    ]


def indicator_justification(state: ReportState, code: str) -> str:
    """What the agency wrote to justify the warnings on indicator ``code``, and, for an indicator
    not judged because its inputs do not apply, why they do not (PDF and workbook)."""
    from ..core.rules import na_reasons

    lines = [i.justification for i in state.issues if i.field == code and i.justification.strip()]
    result = next((r for r in state.indicators if r.code == code), None)
    if result is not None and result.na:
        cat = state.catalog
        for el, reason in na_reasons(cat, state.entries, cat.indicator(code).compute.inputs):
            lines.append(f"Không áp dụng “{cat.elements[el].label}”: {reason or 'chưa ghi lý do'}")
    return "\n".join(lines)


def report_data(
    state: ReportState,
    ident: Identity,
    attachments: Sequence[Attachment] = (),
    *,
    created_at: str | None = None,
    supersedes: str | None = None,
    app_version: str = __version__,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The content of ``data.json`` for ``state`` as issued by ``ident`` (see module docstring).

    ``created_at`` is part of the data on purpose: the verification code on the signed paper
    then also vouches for the date of export (timeliness is checked from it). It defaults to
    now, local time with its offset. ``extra`` adds optional top-level keys (``reopen_reason``,
    ``review_answers``): absent when they do not apply, so a report that needs none of them gives
    the same bytes as before they existed."""
    cat = state.catalog
    values: dict[str, Any] = {}
    tasks: dict[str, dict[str, Any]] = {}
    narrative: dict[str, Any] = {}
    justifications: dict[str, Any] = {}
    for key, value in sorted(state.entries.items()):
        j = to_json(value)
        if key in cat.elements:
            values[key] = j
        elif key.startswith("task."):
            _, code, fld = key.split(".", 2)
            tasks.setdefault(code, {})[fld] = j
        elif key.startswith("narrative."):
            narrative[key.removeprefix("narrative.")] = j
        elif key.startswith("justification."):
            justifications[key.removeprefix("justification.")] = j
    prev = (
        None
        if state.prev is None
        else {k: to_json(v) for k, v in sorted(state.prev.items()) if k in cat.elements}
    )
    identity = {k: v for k, v in ident.as_json().items() if k not in ("org_code", "year", "kind")}
    return {
        "format": DATA_FORMAT,
        "format_version": DATA_FORMAT_VERSION,
        "catalog": catalog_ref(cat),
        "organisation": {"code": state.org.code, "name": ident.name, "kind": state.org.kind},
        "year": state.year,
        "revision": state.report.revision,
        "supersedes": supersedes,
        "created_at": created_at or dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "app_version": app_version,
        "identity": identity,
        "values": values,
        "tasks": tasks,
        "narrative": narrative,
        "justifications": justifications,
        "previous_year_values": prev,
        "indicators": [r.as_json() for r in state.indicators],
        "validation": {
            "issues": [i.as_json() for i in state.issues],
            "summary": state.summary(),
            "can_export": state.can_export,
        },
        "attachments": [
            {
                "path": a.path,
                "file_name": a.file_name,
                "task_code": a.task_code,
                "sha256": a.sha256,
                "size": len(a.content),
            }
            for a in attachments
        ],
        **(extra or {}),
    }
