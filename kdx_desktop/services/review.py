"""The Sở's review of a received revision and the agency's answers: the way back.

At the Sở: comments are written on a received revision (a field, an indicator, a task or the
whole report) into a draft review; issuing it writes a small review file
(``GopY_BQN_2025_lan1.json``, named as people name the agency; an older KDX wrote
``KDX_GOPY_<ORG>_<YEAR>_r<REV>.json``, which imports the same: the name is never read) with the verdict "accepted" or "needs correction" (at
least one comment). At the agency: importing that file checks it like a package (canonical JSON,
its hash, the organisation, year, revision and the data hash of the revision it is about), shows
the comments, and for "needs correction" reopens the report with the review as its reason. Each
comment is answered by a change of the values it is about, or by a reply in words; the next
export carries the answers in ``data.json`` (``review_answers``), where the Sở reads them.

Verified like a package, without keys: any changed byte breaks the file's hash, and the review
names the data hash of the revision it is about, which only that revision has.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.catalog import Catalog, Organisation
from ..core.file_names import review_name
from ..core.text import TextError, clean_text
from ..core.values import Value, field_for_key, to_json
from ..core.vntime import vn_date
from ..fsutil import (
    OutputError,
    atomic_write_bytes,
    describe_os_error,
    os_reason,
    output_folder,
    read_file_at_most,
)
from ..package.canonical import canonical_json, sha256_hex
from ..province import ledger
from ..province.importer import ValueChange, diff_entries
from ..store.repo import current_user, now_iso
from .reporting import App, UsageError, check_org_year, decoded_entries, report_keys

FORMAT = "kdx-review"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 1024 * 1024
MAX_COMMENT = 2000
MAX_REPLY = 2000
TARGET_REPORT = "report"
ACCEPTED, NEEDS_CORRECTION = "accepted", "needs_correction"
VERDICT_LABEL = {ACCEPTED: "Chấp nhận", NEEDS_CORRECTION: "Cần sửa"}
ISSUED, RECEIVED = "issued", "received"
# Comment states (``show --json``): written at the Sở and not yet sent; sent and waiting;
# answered (a change or a reply); the next revision came without an answer to it.
DRAFT, SENT, OPEN, ANSWERED, UNANSWERED = "draft", "sent", "open", "answered", "unanswered"
STATE_LABEL = {
    DRAFT: "Chưa gửi",
    SENT: "Đã gửi, chờ đơn vị trả lời",
    OPEN: "Chưa trả lời",
    ANSWERED: "Đã trả lời",
    UNANSWERED: "Lần gửi sau không trả lời",
}


def file_name(catalog: Catalog, org_code: str, year: int, revision: int) -> str:
    """``GopY_BQN_2025_lan1.json``: the agency's document abbreviation of that year."""
    return review_name(catalog.org(org_code).abbreviation(year), year, revision)


def _vn_day(iso: str | None) -> str:
    """The day of ``iso`` in Vietnam time (it was shown in the writer's own zone)."""
    return vn_date(iso)


# -- what a comment may be about -------------------------------------------------------------


def _indicator_elements(catalog: Catalog, code: str) -> list[str]:
    """Every data element an indicator is computed from (any string in its formula that names one)."""

    def walk(obj: Any) -> Iterable[str]:
        if isinstance(obj, str):
            if obj in catalog.elements:
                yield obj
        elif isinstance(obj, Mapping):
            for v in obj.values():
                yield from walk(v)
        elif isinstance(obj, list | tuple):
            for v in obj:
                yield from walk(v)

    return list(dict.fromkeys(walk(catalog.indicator(code).compute)))


def _task(catalog: Catalog, code: str) -> Any:
    return next((t for t in catalog.tasks if t.code == code), None)


def target_label(catalog: Catalog, target: str) -> str:
    """How a comment's target is named to the officer."""
    if target == TARGET_REPORT:
        return "Cả báo cáo"
    if any(i.code == target for i in catalog.indicators):
        ind = catalog.indicator(target)
        return f"Chỉ tiêu {ind.source}: {ind.short_label}"
    task = _task(catalog, target)
    if task is not None:
        return f"Nhiệm vụ {task.no}: {task.title}"
    try:
        return field_for_key(catalog, target).label
    except KeyError:
        return target


def check_target(catalog: Catalog, org: Organisation, year: int, target: str) -> str:
    """``target`` if a comment on this report may be about it, else :class:`UsageError`."""
    target = target.strip()
    if target == TARGET_REPORT:
        return target
    if any(i.code == target for i in catalog.indicators_for(org.kind)):
        return target
    if any(t.code == target for t in catalog.tasks_led_by(org.kind, year)):
        return target
    if target in report_keys(catalog, org.kind, year) or target.startswith("justification."):
        try:
            field_for_key(catalog, target)
            return target
        except KeyError:
            pass
    raise UsageError(
        f"Không góp ý được vào “{target}”: mã này không phải một trường, chỉ tiêu hay nhiệm vụ trong báo cáo của "
        f"{org.name(year)} năm {year}. Dùng mã trường (xem lệnh catalog), mã chỉ tiêu, mã nhiệm vụ, "
        f"hoặc “{TARGET_REPORT}” cho cả báo cáo."
    )


def related_keys(catalog: Catalog, target: str, keys: Iterable[str]) -> list[str]:
    """The report keys (among ``keys``) whose change answers a comment on ``target``."""
    keys = list(keys)
    if target == TARGET_REPORT:
        return keys
    if any(i.code == target for i in catalog.indicators):
        inputs = set(_indicator_elements(catalog, target))
        return [
            k for k in keys if k in inputs or (k.startswith("justification.") and k.endswith(f".{target}"))
        ]
    if _task(catalog, target) is not None:
        return [k for k in keys if k.startswith(f"task.{target}.")]
    return [k for k in keys if k == target]


def _changes(
    catalog: Catalog, target: str, old: Mapping[str, Value], new: Mapping[str, Value]
) -> list[ValueChange]:
    wanted = set(related_keys(catalog, target, set(old) | set(new)))
    return [c for c in diff_entries(catalog, old, new) if c.key in wanted]


# -- model -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    number: int
    target: str
    target_label: str
    text: str
    state: str
    reply: str | None = None
    changes: tuple[ValueChange, ...] = ()
    answered_in: int | None = None  # the revision that carried the answer (at the Sở)

    @property
    def answered(self) -> bool:
        return self.state == ANSWERED

    @property
    def state_label(self) -> str:
        return STATE_LABEL[self.state]

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "target": self.target,
            "target_label": self.target_label,
            "text": self.text,
            "state": self.state,
            "reply": self.reply,
            "answered_in_revision": self.answered_in,
            "changes": [{"key": c.key, "label": c.label, "old": c.old, "new": c.new} for c in self.changes],
        }


@dataclass(frozen=True)
class Review:
    id: int
    side: str
    org_code: str
    year: int
    revision: int
    verdict: str | None
    issued_at: str | None
    review_sha256: str | None
    imported_at: str | None
    comments: tuple[Comment, ...] = field(default_factory=tuple)

    @property
    def issued(self) -> bool:
        return self.issued_at is not None

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABEL.get(self.verdict or "", "Đang soạn góp ý")

    @property
    def open_comments(self) -> list[Comment]:
        return [c for c in self.comments if not c.answered]

    def as_json(self) -> dict[str, Any]:
        return {
            "side": self.side,
            "organisation": self.org_code,
            "year": self.year,
            "revision": self.revision,
            "verdict": self.verdict,
            "issued_at": self.issued_at,
            "imported_at": self.imported_at,
            "review_sha256": self.review_sha256,
            "comments": [c.as_json() for c in self.comments],
        }


_REVIEW_COLS = "id side org_code year revision verdict issued_at review_sha256 imported_at".split()


def _review_rows(app: App, side: str, org_code: str, year: int) -> list[dict[str, Any]]:
    cur = app.store.db.execute(
        f"SELECT {', '.join(_REVIEW_COLS)}, data_sha256, verification_code, snapshot_json FROM reviews "
        "WHERE side = ? AND org_code = ? AND year = ? ORDER BY revision",
        [side, org_code, year],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _comment_rows(app: App, review_id: int) -> list[dict[str, Any]]:
    cur = app.store.db.execute(
        "SELECT number, target, text, reply FROM review_comments WHERE review_id = ? ORDER BY number",
        [review_id],
    )
    return [{"number": n, "target": t, "text": x, "reply": r} for n, t, x, r in cur.fetchall()]


# -- at the Sở ---------------------------------------------------------------------------------


def _current_received(app: App, org_code: str, year: int) -> ledger.Received:
    check_org_year(app.catalog, org_code, year)
    row = ledger.current(app.store, org_code, year)
    if row is None:
        raise UsageError(
            f"Sở chưa nhận báo cáo của {app.catalog.org_label(org_code, year)} năm {year}: chưa có gì để góp ý."
        )
    return row


def _issued_row(app: App, org_code: str, year: int, revision: int) -> dict[str, Any] | None:
    return next((r for r in _review_rows(app, ISSUED, org_code, year) if r["revision"] == revision), None)


def _refuse_if_issued(row: dict[str, Any] | None, rev: int) -> None:
    if row is not None and row["issued_at"] is not None:
        raise UsageError(
            f"Góp ý cho lần gửi {rev} đã được phát hành ngày {_vn_day(row['issued_at'])} "
            f"({VERDICT_LABEL[row['verdict']].lower()}); ý kiến mới dành cho lần gửi sau của đơn vị."
        )


def _draft(app: App, row: ledger.Received, user: str | None) -> int:
    existing = _issued_row(app, row.org_code, row.year, row.revision)
    _refuse_if_issued(existing, row.revision)
    if existing is not None:
        return int(existing["id"])
    cur = app.store.db.execute(
        "INSERT INTO reviews(side, org_code, year, revision, data_sha256, verification_code, created_at, "
        "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ISSUED,
            row.org_code,
            row.year,
            row.revision,
            row.data_sha256,
            row.verification_code,
            now_iso(),
            user or current_user(),
        ],
    )
    return int(cur.lastrowid or 0)


def clean_comment(text: str, what: str = "Ý kiến", max_length: int = MAX_COMMENT) -> str:
    try:
        out = clean_text(text, max_length=max_length).strip()
    except TextError as exc:
        raise UsageError(f"{what} không hợp lệ: {exc}") from None
    if not out:
        raise UsageError(f"{what} không được để trống.")
    return out


def add_comment(
    app: App, org_code: str, year: int, target: str, text: str, *, user: str | None = None
) -> Review:
    """Add a comment on the current received revision to the Sở's draft review."""
    row = _current_received(app, org_code, year)
    org = app.catalog.org(org_code)
    target = check_target(app.catalog, org, year, target)
    body = clean_comment(text)
    with app.store.transaction():
        review_id = _draft(app, row, user)
        app.store.db.execute("UPDATE reviews SET verdict = NULL WHERE id = ?", [review_id])
        n = app.store.db.execute(
            "SELECT coalesce(max(number), 0) + 1 FROM review_comments WHERE review_id = ?", [review_id]
        ).fetchone()[0]
        app.store.db.execute(
            "INSERT INTO review_comments(review_id, number, target, text, created_at) VALUES (?, ?, ?, ?, ?)",
            [review_id, n, target, body, now_iso()],
        )
        app.store._audit(
            "review_comment", None, f"{org_code}/{year}", None, f"r{row.revision} #{n} {target}", body, user
        )
    return issued_review(app, org_code, year, row.revision)  # type: ignore[return-value]


def remove_comment(
    app: App, org_code: str, year: int, number: int, *, user: str | None = None
) -> Review | None:
    """Take a comment out of the draft review (not once issued)."""
    row = _current_received(app, org_code, year)
    with app.store.transaction():
        existing = _issued_row(app, org_code, year, row.revision)
        _refuse_if_issued(existing, row.revision)
        if existing is None:
            raise UsageError(
                f"Chưa có ý kiến nào cho lần gửi {row.revision} của {app.catalog.org_label(org_code, year)} "
                f"năm {year}."
            )
        gone = app.store.db.execute(
            "DELETE FROM review_comments WHERE review_id = ? AND number = ?", [existing["id"], number]
        ).rowcount
        if not gone:
            raise UsageError(f"Không có ý kiến số {number}.")
        app.store._audit(
            "review_uncomment", None, f"{org_code}/{year}", f"r{row.revision} #{number}", None, None, user
        )
    return issued_review(app, org_code, year, row.revision)


def accept(app: App, org_code: str, year: int, *, user: str | None = None) -> Review:
    """Mark the current received revision accepted (a draft without comments)."""
    row = _current_received(app, org_code, year)
    with app.store.transaction():
        review_id = _draft(app, row, user)
        n = app.store.db.execute(
            "SELECT count(*) FROM review_comments WHERE review_id = ?", [review_id]
        ).fetchone()[0]
        if n:
            raise UsageError(
                f"Lần gửi {row.revision} đã có {n} ý kiến cần sửa: hãy phát hành góp ý, hoặc bỏ các ý kiến trước "
                "khi chấp nhận."
            )
        app.store.db.execute("UPDATE reviews SET verdict = ? WHERE id = ?", [ACCEPTED, review_id])
        app.store._audit("review_accept", None, f"{org_code}/{year}", None, f"r{row.revision}", None, user)
    return issued_review(app, org_code, year, row.revision)  # type: ignore[return-value]


def _document(app: App, r: dict[str, Any], comments: list[dict[str, Any]], reviewer: str) -> dict[str, Any]:
    cat = app.catalog
    org = cat.org(r["org_code"])
    dept = cat.consolidator()
    review = {
        "catalog": {"id": cat.id, "version": cat.version},
        "organisation": {"code": org.code, "name": org.name(r["year"])},
        "issued_by": {"code": dept.code, "name": dept.name(r["year"])},
        "reviewer": reviewer,
        "year": r["year"],
        "revision": r["revision"],
        "data_sha256": r["data_sha256"],
        "verification_code": r["verification_code"],
        "verdict": r["verdict"],
        "issued_at": r["issued_at"],
        "comments": [{"number": c["number"], "target": c["target"], "text": c["text"]} for c in comments],
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "review": review,
        "review_sha256": sha256_hex(canonical_json(review)),
    }


def issue(app: App, org_code: str, year: int, out_dir: Path, *, user: str | None = None) -> Path:
    """Write the review file of the current received revision into ``out_dir`` and fix the review
    (issued, its hash recorded). Writing an issued review again gives the same bytes."""
    row = _current_received(app, org_code, year)
    folder = output_folder(Path(out_dir), "tệp góp ý")
    with app.store.transaction():
        r = _issued_row(app, org_code, year, row.revision)
        if r is None:
            raise UsageError(
                f"Chưa có góp ý cho lần gửi {row.revision} của {app.catalog.org_label(org_code, year)} năm {year}: "
                "thêm ít nhất một ý kiến "
                "(review add) hoặc chấp nhận báo cáo (review accept)."
            )
        comments = _comment_rows(app, int(r["id"]))
        reviewer = str(
            app.store.db.execute("SELECT created_by FROM reviews WHERE id = ?", [r["id"]]).fetchone()[0]
        )
        if r["issued_at"] is None:
            if comments:
                r["verdict"] = NEEDS_CORRECTION
            elif r["verdict"] != ACCEPTED:
                raise UsageError(
                    "Góp ý “cần sửa” phải có ít nhất một ý kiến (review add); nếu báo cáo đạt, hãy chấp nhận "
                    "(review accept)."
                )
            r["issued_at"] = now_iso()
            doc = _document(app, r, comments, reviewer)
            app.store.db.execute(
                "UPDATE reviews SET verdict = ?, issued_at = ?, issued_by = ?, review_sha256 = ? WHERE id = ?",
                [r["verdict"], r["issued_at"], user or current_user(), doc["review_sha256"], r["id"]],
            )
            app.store._audit(
                "review_issue",
                None,
                f"{org_code}/{year}",
                None,
                f"r{row.revision} {r['verdict']}",
                f"{len(comments)} ý kiến",
                user,
            )
        else:
            doc = _document(app, r, comments, reviewer)
            if doc["review_sha256"] != r["review_sha256"]:
                raise UsageError(
                    "Góp ý đã phát hành không tạo lại được đúng như bản đã gửi (dữ liệu đã thay đổi)."
                )
        path = folder / file_name(app.catalog, org_code, year, row.revision)
        try:
            atomic_write_bytes(path, canonical_json(doc))
        except OSError as exc:
            raise OutputError(describe_os_error(exc, path)) from None
    return path


def _answers_in(
    app: App, r: dict[str, Any]
) -> tuple[int, dict[int, dict[str, Any]], dict[str, Value]] | None:
    """The first revision received after review ``r``: (revision, its answers by number, its
    values); None while none has arrived."""
    from ..province.importer import report_entries

    for row in ledger.revisions_of(app.store, r["org_code"], r["year"]):
        if row.revision <= r["revision"]:
            continue
        data = json.loads(ledger.data_json(app.store, row.id))
        ans = data.get("review_answers")
        if isinstance(ans, dict) and ans.get("review_sha256") == r["review_sha256"]:
            by_number = {int(c["number"]): c for c in ans.get("comments", []) if isinstance(c, dict)}
            return row.revision, by_number, report_entries(app.catalog, data)
        return row.revision, {}, report_entries(app.catalog, data)  # the next revision, without answers
    return None


def issued_review(app: App, org_code: str, year: int, revision: int) -> Review | None:
    """The Sở's review of received revision ``revision``, with each comment's state and answer."""
    r = _issued_row(app, org_code, year, revision)
    if r is None:
        return None
    return _issued(app, r)


def _issued(app: App, r: dict[str, Any]) -> Review:
    from ..province.importer import report_entries

    cat = app.catalog
    comments = _comment_rows(app, int(r["id"]))
    answered = _answers_in(app, r) if r["issued_at"] else None
    before: dict[str, Value] = {}
    if answered is not None:
        reviewed = next(
            (
                x
                for x in ledger.revisions_of(app.store, r["org_code"], r["year"])
                if x.data_sha256 == r["data_sha256"]
            ),
            None,
        )
        if reviewed is not None:
            before = report_entries(cat, json.loads(ledger.data_json(app.store, reviewed.id)))
    out = []
    for c in comments:
        state, reply, rev = (DRAFT if not r["issued_at"] else SENT), None, None
        changes: tuple[ValueChange, ...] = ()
        if answered is not None:
            rev, by_number, after = answered
            a = by_number.get(int(c["number"]))
            changes = tuple(_changes(cat, c["target"], before, after))
            reply = a.get("reply") if a else None
            state = ANSWERED if (reply or changes) else UNANSWERED
        out.append(
            Comment(
                int(c["number"]),
                c["target"],
                target_label(cat, c["target"]),
                c["text"],
                state,
                reply,
                changes,
                rev,
            )
        )
    return Review(
        int(r["id"]),
        ISSUED,
        r["org_code"],
        r["year"],
        r["revision"],
        r["verdict"],
        r["issued_at"],
        r["review_sha256"],
        None,
        tuple(out),
    )


def issued_reviews(app: App, org_code: str, year: int) -> list[Review]:
    return [_issued(app, r) for r in _review_rows(app, ISSUED, org_code, year)]


@dataclass(frozen=True)
class ReviewStatus:
    """The review state of an agency's current revision, for the board."""

    label: str
    under_correction: bool


def review_status(app: App, org_code: str, year: int, current: ledger.Received | None) -> ReviewStatus:
    """What the board says about the review of the current received revision."""
    if current is None:
        return ReviewStatus("", False)
    rows = _review_rows(app, ISSUED, org_code, year)
    mine = next((r for r in rows if r["revision"] == current.revision), None)
    earlier = [r for r in rows if r["revision"] < current.revision and r["issued_at"]]
    if mine is None:
        if earlier and earlier[-1]["verdict"] == NEEDS_CORRECTION:
            return ReviewStatus(f"Đã gửi lại theo góp ý lần {earlier[-1]['revision']}, chờ xem xét", False)
        return ReviewStatus("Chưa xem xét", False)
    if mine["issued_at"] is None:
        n = len(_comment_rows(app, int(mine["id"])))
        return ReviewStatus("Đang soạn góp ý" + (f" ({n} ý kiến)" if n else ""), False)
    day = _vn_day(mine["issued_at"])
    if mine["verdict"] == ACCEPTED:
        return ReviewStatus(f"Chấp nhận ({day})", False)
    n = len(_comment_rows(app, int(mine["id"])))
    return ReviewStatus(f"Cần sửa: {n} ý kiến, gửi {day}", True)


# -- the review file ---------------------------------------------------------------------------


def _bad(message: str) -> UsageError:
    return UsageError(f"Tệp góp ý không hợp lệ: {message}")


def read_review_file(raw: bytes) -> dict[str, Any]:
    """The review of a review file checked like a package (strict canonical JSON, its hash, every
    field's type and text), or :class:`UsageError` saying what is wrong."""
    from ..package.limits import IntakeRejected
    from ..package.strict_json import strict_json

    try:
        doc = strict_json(raw, "tệp góp ý", max_bytes=MAX_FILE_BYTES)
    except IntakeRejected as exc:
        raise _bad(exc.message) from None
    if doc.get("format") != FORMAT:
        raise _bad("không phải tệp góp ý KDX.")
    fv = doc.get("format_version")
    if not isinstance(fv, int) or isinstance(fv, bool) or fv < 1:
        raise _bad("thiếu phiên bản định dạng.")
    if fv > FORMAT_VERSION:
        raise UsageError(f"Tệp góp ý được tạo bởi phiên bản KDX mới hơn (định dạng {fv}); hãy cập nhật KDX.")
    review = doc.get("review")
    if not isinstance(review, dict) or sha256_hex(canonical_json(review)) != doc.get("review_sha256"):
        raise _bad("nội dung đã bị thay đổi sau khi Sở phát hành (mã băm không khớp).")

    def need(obj: Any, key: str, typ: type) -> Any:
        v = obj.get(key) if isinstance(obj, dict) else None
        if not isinstance(v, typ) or isinstance(v, bool):
            raise _bad(f"thiếu hoặc sai kiểu mục “{key}”.")
        return v

    for key, typ in (
        ("year", int),
        ("revision", int),
        ("data_sha256", str),
        ("verification_code", str),
        ("issued_at", str),
        ("reviewer", str),
        ("comments", list),
        ("organisation", dict),
    ):
        need(review, key, typ)
    need(review["organisation"], "code", str)
    if review.get("verdict") not in (ACCEPTED, NEEDS_CORRECTION):
        raise _bad("kết luận phải là “accepted” hoặc “needs_correction”.")
    numbers = set()
    for c in review["comments"]:
        n = need(c, "number", int)
        need(c, "target", str)
        text = need(c, "text", str)
        if clean_comment(text) != text or n in numbers:
            raise _bad(f"ý kiến số {n} không hợp lệ.")
        numbers.add(n)
    if review["verdict"] == NEEDS_CORRECTION and not review["comments"]:
        raise _bad("góp ý “cần sửa” không có ý kiến nào.")
    return dict(doc)


# -- at the agency -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    review: Review
    already: bool  # the same file was imported before: nothing changed
    reopened_revision: int | None
    org_label: str  # Báo Quảng Ngãi (BQN): how the message names the organisation

    @property
    def message(self) -> str:
        r = self.review
        head = f"góp ý của Sở cho báo cáo của {self.org_label} năm {r.year} lần {r.revision}"
        if self.already:
            return f"Đã nhập {head} trước đây; không có gì thay đổi."
        if r.verdict == ACCEPTED:
            return f"Đã nhập {head}: Sở chấp nhận báo cáo."
        return (
            f"Đã nhập {head}: cần sửa theo {len(r.comments)} ý kiến. Báo cáo đã được mở lại; "
            f"lần xuất tiếp theo là lần {self.reopened_revision}."
        )


def _received_row(app: App, org_code: str, year: int) -> dict[str, Any] | None:
    rows = _review_rows(app, RECEIVED, org_code, year)
    return rows[-1] if rows else None


def import_review(app: App, path: Path, *, user: str | None = None) -> Imported:
    """Import a review file at the agency (see module docstring); refuses one for another agency,
    another year or a revision that is not the one last exported."""
    from .received import this_org

    try:
        raw = read_file_at_most(Path(path), MAX_FILE_BYTES)
    except OSError as exc:
        raise UsageError(f"Không đọc được tệp góp ý “{path}”: {os_reason(exc)}.") from None
    doc = read_review_file(raw)
    rv = doc["review"]
    org_code, year, revision = str(rv["organisation"]["code"]), int(rv["year"]), int(rv["revision"])
    cat = app.catalog
    if not cat.has_org(org_code) or year not in cat.years():
        raise UsageError(  # a code this catalogue does not know: said as the file has it
            f"Tệp góp ý gửi cho tổ chức mã “{org_code}” năm {year}, không có trong danh mục của KDX này."
        )
    org = cat.org(org_code)
    here = this_org(app)
    # A PC set up for another agency refuses it; the data hash below is what binds the review to
    # the report it is about (also on a PC not set up yet, or holding several reports).
    if here is not None and here != org_code and cat.has_org(here) and not cat.org(here).consolidates:
        raise UsageError(
            f"Tệp góp ý này gửi cho {org.label(year)}, không phải cho {cat.org_label(here, year)} của máy này."
        )
    report = app.store.find_report(org_code, year)
    if report is None:
        raise UsageError(
            f"Máy này không có báo cáo năm {year} của {org.name(year)}: góp ý không dành cho máy này."
        )
    revs = {int(r["revision"]): r for r in app.store.revisions(report.id)}
    sent = revs.get(revision)
    if sent is None or sent.get("data_sha256") is None:
        raise UsageError(f"Máy này chưa xuất lần gửi {revision} của báo cáo năm {year}: góp ý không khớp.")
    if sent["data_sha256"] != rv["data_sha256"]:
        raise UsageError(
            f"Góp ý nói về một bản báo cáo lần {revision} khác với bản máy này đã xuất "
            f"(mã xác thực {rv['verification_code']}, bản đã xuất mang mã {sent.get('verification_code')})."
        )
    sha = str(doc["review_sha256"])
    with app.store.transaction():
        prior = _received_row(app, org_code, year)
        if prior is not None and prior["revision"] == revision:
            if prior["review_sha256"] == sha:
                return Imported(agency_review(app, org_code, year), True, None, org.label(year))  # type: ignore[arg-type]
            raise UsageError(
                f"Đã nhập một góp ý khác của Sở cho lần gửi {revision}; tệp này không được nhập."
            )
        if report.revision != revision or not report.locked:
            raise UsageError(
                f"Góp ý dành cho lần gửi {revision}, cũ hơn báo cáo hiện tại (lần {report.revision}"
                f"{'' if report.locked else ', đang sửa'}): tệp này không được nhập."
            )
        snapshot = {k: to_json(v) for k, v in decoded_entries(cat, app.store.entries(report.id)).items()}
        ts = now_iso()
        cur = app.store.db.execute(
            "INSERT INTO reviews(side, org_code, year, revision, data_sha256, verification_code, verdict, "
            "created_at, created_by, issued_at, review_sha256, imported_at, snapshot_json) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                RECEIVED,
                org_code,
                year,
                revision,
                rv["data_sha256"],
                rv["verification_code"],
                rv["verdict"],
                ts,
                rv["reviewer"][:200],
                rv["issued_at"],
                sha,
                ts,
                json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
            ],
        )
        review_id = int(cur.lastrowid or 0)
        for c in rv["comments"]:
            app.store.db.execute(
                "INSERT INTO review_comments(review_id, number, target, text, created_at) VALUES (?, ?, ?, ?, ?)",
                [review_id, c["number"], c["target"], c["text"], rv["issued_at"]],
            )
        app.store._audit(
            "review_import", report.id, None, None, f"r{revision} {rv['verdict']}", sha, user, ts
        )
        reopened = None
        if rv["verdict"] == NEEDS_CORRECTION:
            reason = (
                f"Theo góp ý của Sở ngày {_vn_day(rv['issued_at'])} về lần gửi {revision}: "
                f"{len(rv['comments'])} ý kiến cần sửa."
            )
            reopened = app.store.reopen(report, reason, user=user).revision
    return Imported(agency_review(app, org_code, year), False, reopened, org.label(year))  # type: ignore[arg-type]


def agency_review(app: App, org_code: str, year: int) -> Review | None:
    """The last review the agency imported, each comment with its answer so far (a reply, or a
    change of the values it is about since the review arrived)."""
    r = _received_row(app, org_code, year)
    if r is None:
        return None
    cat = app.catalog
    report = app.store.find_report(org_code, year)
    now = decoded_entries(cat, app.store.entries(report.id)) if report else {}
    from ..province.importer import report_entries

    snap = json.loads(r["snapshot_json"] or "{}")
    before = report_entries(cat, _as_data(cat, snap))
    out = []
    for c in _comment_rows(app, int(r["id"])):
        changes = tuple(_changes(cat, c["target"], before, now))
        state = ANSWERED if (c["reply"] or changes) else OPEN
        if r["verdict"] == ACCEPTED:
            state = ANSWERED
        out.append(
            Comment(
                int(c["number"]),
                c["target"],
                target_label(cat, c["target"]),
                c["text"],
                state,
                c["reply"],
                changes,
            )
        )
    return Review(
        int(r["id"]),
        RECEIVED,
        org_code,
        year,
        r["revision"],
        r["verdict"],
        r["issued_at"],
        r["review_sha256"],
        r["imported_at"],
        tuple(out),
    )


def _as_data(catalog: Catalog, flat: Mapping[str, Any]) -> dict[str, Any]:
    """Flat ``{key: json value}`` in the shape of data.json's values (for ``report_entries``)."""
    data: dict[str, Any] = {"values": {}, "tasks": {}, "narrative": {}, "justifications": {}}
    for key, v in flat.items():
        if key in catalog.elements:
            data["values"][key] = v
        elif key.startswith("task."):
            _, code, fld = key.split(".", 2)
            data["tasks"].setdefault(code, {})[fld] = v
        elif key.startswith("narrative."):
            data["narrative"][key.removeprefix("narrative.")] = v
        elif key.startswith("justification."):
            data["justifications"][key.removeprefix("justification.")] = v
    return data


def pending_review(app: App, org_code: str, year: int) -> Review | None:
    """The review the report is being corrected for: imported, "needs correction", and about the
    revision just before the one being prepared."""
    r = agency_review(app, org_code, year)
    report = app.store.find_report(org_code, year)
    if r is None or report is None or r.verdict != NEEDS_CORRECTION or r.revision != report.revision - 1:
        return None
    return r


def reply(app: App, org_code: str, year: int, number: int, text: str, *, user: str | None = None) -> Review:
    """The agency's answer in words to comment ``number`` (empty text takes the reply back)."""
    check_org_year(app.catalog, org_code, year)
    review = pending_review(app, org_code, year)
    if review is None:
        raise UsageError(
            f"Báo cáo của {app.catalog.org_label(org_code, year)} năm {year} không có góp ý nào của Sở "
            "đang chờ trả lời."
        )
    if all(c.number != number for c in review.comments):
        raise UsageError(f"Góp ý của Sở không có ý kiến số {number}.")
    body = clean_comment(text, "Câu trả lời", MAX_REPLY) if text.strip() else None
    report = app.store.find_report(org_code, year)
    assert report is not None
    with app.store.transaction():
        app.store.require_editable(report, "trả lời góp ý")
        old = app.store.db.execute(
            "SELECT reply FROM review_comments WHERE review_id = ? AND number = ?", [review.id, number]
        ).fetchone()[0]
        app.store.db.execute(
            "UPDATE review_comments SET reply = ?, replied_at = ?, replied_by = ? WHERE review_id = ? AND number = ?",
            [
                body,
                now_iso() if body else None,
                (user or current_user()) if body else None,
                review.id,
                number,
            ],
        )
        app.store._audit("review_reply", report.id, f"gopy.{number}", old, body, None, user)
    return pending_review(app, org_code, year)  # type: ignore[return-value]


def unanswered(app: App, org_code: str, year: int) -> list[str]:
    """Problems that block the next export: comments of the Sở not yet answered."""
    review = pending_review(app, org_code, year)
    if review is None:
        return []
    return [
        f"Góp ý số {c.number} của Sở ({c.target_label}) chưa được trả lời: sửa số liệu liên quan hoặc viết câu trả lời."
        for c in review.open_comments
    ]


def answers_for_export(app: App, org_code: str, year: int) -> dict[str, Any] | None:
    """``review_answers`` of the next data.json (None when the revision answers no review)."""
    review = pending_review(app, org_code, year)
    if review is None:
        return None
    return {
        "review_sha256": review.review_sha256,
        "revision": review.revision,
        "comments": [
            {
                "number": c.number,
                "target": c.target,
                "text": c.text,
                "reply": c.reply,
                "changed": [ch.key for ch in c.changes],
            }
            for c in review.comments
        ],
    }


def comments_json(app: App, org_code: str, year: int, *, received_view: bool) -> list[dict[str, Any]]:
    """Every comment with its state for ``show --json``: the Sở's reviews on the Sở's view of a
    received report, the imported review at the agency."""
    if received_view:
        return [
            {**c.as_json(), "review_revision": r.revision, "verdict": r.verdict, "issued_at": r.issued_at}
            for r in issued_reviews(app, org_code, year)
            for c in r.comments
        ]
    r = agency_review(app, org_code, year)
    if r is None:
        return []
    return [
        {**c.as_json(), "review_revision": r.revision, "verdict": r.verdict, "issued_at": r.issued_at}
        for c in r.comments
    ]


__all__ = [
    "ACCEPTED",
    "NEEDS_CORRECTION",
    "TARGET_REPORT",
    "Comment",
    "Imported",
    "Review",
    "ReviewStatus",
    "accept",
    "add_comment",
    "agency_review",
    "answers_for_export",
    "check_target",
    "comments_json",
    "import_review",
    "issue",
    "issued_review",
    "issued_reviews",
    "pending_review",
    "read_review_file",
    "related_keys",
    "remove_comment",
    "reply",
    "review_status",
    "target_label",
    "unanswered",
]
