"""What changes from one catalogue edition to the next, in lines an officer reads.

The Sở sees every change before it writes a new edition; an agency sees the changes that concern
it (its own kind of organisation and its own names) before it installs one.
"""

from __future__ import annotations

from .catalog import Catalog, Organisation
from .compute import format_target


def _org_lines(old: Catalog, new: Catalog, only: str | None) -> list[str]:
    out = []
    for o in new.organisations:
        if only is not None and o.code != only:
            continue
        if not old.has_org(o.code):
            out.append(f"Thêm tổ chức {_named(o)}.")
            continue
        before = old.org(o.code)
        if before.periods != o.periods:
            out.extend(_period_lines(before, o))
        if before.successor != o.successor and o.successor:
            out.append(f"Tổ chức {_named(o)} được kế tục bởi {_named(new.org(o.successor))}.")
    for o in old.organisations:
        if (only is None or o.code == only) and not new.has_org(o.code):
            out.append(f"Bỏ tổ chức {_named(o)}.")
    return out


def _named(o: Organisation) -> str:
    """``Báo Quảng Ngãi (BQN)``: its latest name and abbreviation, never KDX's code."""
    last = o.periods[-1]
    return f"{last.name} ({last.abbreviation or o.code})"


def _period_lines(before: Organisation, after: Organisation) -> list[str]:
    """Named as the Sở knows it before the change (a new last period may carry a new name)."""
    out = []
    old_p = {p.start: p for p in before.periods}
    for p in after.periods:
        q = old_p.get(p.start)
        if q is None:
            end = f" đến {p.end}" if p.end else ""
            out.append(f"Tổ chức {_named(before)}: thêm giai đoạn từ {p.start}{end} “{p.name}”.")
            continue
        for field, label in (
            ("end", "ngày kết thúc"),
            ("name", "tên"),
            ("governing_body", "cơ quan chủ quản"),
            ("abbreviation", "chữ viết tắt"),
            ("place", "địa danh"),
            ("signer_prefix", "thẩm quyền ký"),
            ("signer_title", "chức vụ người ký"),
            ("recipient", "kính gửi"),
            ("email", "hộp thư"),
        ):
            a, b = getattr(q, field), getattr(p, field)
            if a != b:
                out.append(f"Tổ chức {_named(before)} từ {p.start}: {label} “{a or '—'}” → “{b or '—'}”.")
    for q in before.periods:
        if q.start not in {p.start for p in after.periods}:
            out.append(f"Tổ chức {_named(before)}: bỏ giai đoạn từ {q.start} “{q.name}”.")
    return out


def catalog_changes(
    old: Catalog, new: Catalog, *, kind: str | None = None, org: str | None = None
) -> list[str]:
    """Every difference from ``old`` to ``new``; with ``kind``/``org`` only those that concern an
    agency of that kind (indicators, inputs, tasks it leads) and that organisation's own names."""
    out: list[str] = []
    if (old.year_from, old.year_to) != (new.year_from, new.year_to):
        out.append(f"Kỳ báo cáo: {old.year_from}-{old.year_to} → {new.year_from}-{new.year_to}.")
    out += _org_lines(old, new, org)

    def concerns(applies: tuple[str, ...]) -> bool:
        return kind is None or kind in applies

    for el in new.elements.values():
        if concerns(el.applies_to) and el.code not in old.elements:
            out.append(f"Thêm chỉ số nhập liệu “{el.label}”.")
        elif concerns(el.applies_to) and old.elements[el.code] != el:
            out.append(f"Sửa chỉ số nhập liệu “{el.label}”.")
    for code, el in old.elements.items():
        if concerns(el.applies_to) and code not in new.elements:
            out.append(f"Bỏ chỉ số nhập liệu “{el.label}”.")
    old_ind = {i.code: i for i in old.indicators}
    for ind in new.indicators:
        if not concerns(ind.applies_to):
            continue
        was = old_ind.get(ind.code)
        if was is None:
            out.append(f"Thêm chỉ tiêu {ind.source} “{ind.short_label}”.")
            continue
        for y in sorted(
            set(was.targets) | set(ind.targets) | set(was.target_labels) | set(ind.target_labels)
        ):
            a, b = format_target(was, y), format_target(ind, y)
            if a != b:
                out.append(f"Chỉ tiêu {ind.source} năm {y}: {a} → {b}.")
        for y in sorted(set(was.goal_texts) | set(ind.goal_texts)):
            a, b = was.goal_texts.get(y, "(không có)"), ind.goal_texts.get(y, "(không có)")
            if a != b:
                out.append(f"Mục tiêu bằng lời của {ind.source} đến năm {y}: {a} → {b}.")
        if (was.label, was.compute, was.direction, was.applies_to) != (
            ind.label,
            ind.compute,
            ind.direction,
            ind.applies_to,
        ):
            out.append(f"Sửa nội dung hoặc cách tính chỉ tiêu {ind.source}.")
    for ind in old.indicators:
        if concerns(ind.applies_to) and ind.code not in {i.code for i in new.indicators}:
            out.append(f"Bỏ chỉ tiêu {ind.source}.")
    old_rules = {r.code: r for r in old.rules}
    for r in new.rules:
        if r.code not in old_rules:
            out.append(f"Thêm quy tắc kiểm tra: {r.message}")
        elif old_rules[r.code] != r:
            out.append(f"Sửa quy tắc kiểm tra: {r.message}")
    for code, rule in old_rules.items():
        if code not in {r.code for r in new.rules}:
            out.append(f"Bỏ quy tắc kiểm tra: {rule.message}")
    old_tasks = {t.code: t for t in old.tasks}
    lead = None if kind is None else ("press" if new.is_press(kind) else kind)
    for t in new.tasks:
        if lead is not None and t.lead != lead:
            continue
        if t.code not in old_tasks:
            out.append(f"Thêm {t.in_sentence}: {t.title}")
        elif old_tasks[t.code] != t:
            out.append(f"Sửa {t.in_sentence}: {t.title}")
    return out
