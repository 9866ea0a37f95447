"""``catalog [--json]``: the catalogue in force (the newest edition of the data folder);
``catalog export --xlsx FILE`` / ``catalog build FILE.xlsx --out FILE [signing options]``: the Sở
edits the catalogue as a workbook and issues a new edition, signed with its certificate when the
options of ``sign`` are given; ``catalog sign FILE`` signs an edition file already built; and
``catalog install FILE``: install a new edition sent by the Sở (its signature verified)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..core.catalog import Catalog
from ..core.compute import format_target
from ..services.reporting import UsageError
from . import EXIT_OK, add, with_app
from .sign import add_signer_options, ask_secret, open_signer, signer_options_given


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub, common, "catalog", "in danh mục đang dùng (tổ chức, chỉ số, chỉ tiêu, quy tắc, nhiệm vụ)", run
    )
    p.add_argument("--json", action="store_true", help="xuất JSON cho chương trình khác")
    actions = p.add_subparsers(dest="action", metavar="{export,build,sign,install}")
    exp = actions.add_parser(
        "export",
        parents=[common],
        help="ghi danh mục đang dùng ra bảng tính để Sở sửa",
        description="Ghi danh mục đang dùng ra bảng tính (tổ chức, chỉ số, chỉ tiêu, quy tắc, nhiệm vụ).",
    )
    exp.add_argument("--xlsx", type=Path, required=True, metavar="FILE", help="tệp bảng tính sẽ ghi (.xlsx)")
    bld = actions.add_parser(
        "build",
        parents=[common],
        help="kiểm tra bảng tính đã sửa và lập tệp danh mục lần ban hành mới",
        description="Kiểm tra bảng tính, in những thay đổi so với lần ban hành hiện tại rồi ghi tệp danh mục.",
    )
    bld.add_argument("workbook", type=Path, metavar="BẢNG_TÍNH", help="bảng tính đã sửa (.xlsx)")
    bld.add_argument("--out", type=Path, required=True, metavar="FILE", help="tệp danh mục sẽ ghi (.kdxdm)")
    bld.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và in thay đổi, không ghi tệp")
    add_signer_options(bld, required=False)
    sgn = actions.add_parser(
        "sign",
        parents=[common],
        help="ký số một tệp danh mục đã lập bằng chứng thư số của Sở",
        description="Ký số tệp danh mục (.kdxdm) đã lập bằng chứng thư số của Sở (USB ký số hoặc tệp .p12).",
    )
    sgn.add_argument("file", type=Path, metavar="TỆP_DANH_MỤC", help="tệp danh mục chưa ký (.kdxdm)")
    sgn.add_argument(
        "--out", type=Path, metavar="FILE", help="tệp danh mục đã ký sẽ ghi (không có: ghi đè tệp đã cho)"
    )
    add_signer_options(sgn, required=True)
    inst = actions.add_parser(
        "install",
        parents=[common],
        help="cài đặt một lần ban hành danh mục mới do Sở gửi (tệp .kdxdm)",
        description="Kiểm tra tệp danh mục (mã băm, chữ ký số của Sở, đúng tỉnh, mới hơn), in những gì thay đổi "
        "rồi cài đặt.",
    )
    inst.add_argument("file", type=Path, metavar="TỆP_DANH_MỤC", help="tệp danh mục (.kdxdm)")
    inst.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và in thay đổi, không cài đặt")


def catalog_json(cat: Catalog, signature: dict[str, Any] | None = None) -> dict[str, Any]:
    """The catalogue as JSON; ``edition.signature`` is the edition's signature state (the shape of
    a package's ``signature`` object in ``status --json``)."""
    return {
        "id": cat.id,
        "version": cat.version,
        "edition": {**cat.edition.as_json(), "signature": signature or {"state": "none"}},
        "sha256": cat.sha256,
        "reporting_years": {"from": cat.year_from, "to": cat.year_to},
        "organisations": [
            {
                "code": o.code,
                "name": o.periods[-1].name,
                "kind": o.kind,
                "expected_to_report": o.expected_to_report,
                **({"successor": o.successor} if o.successor else {}),
                "periods": [
                    {
                        "from": p.start.isoformat(),
                        "to": None if p.end is None else p.end.isoformat(),
                        "name": p.name,
                        "governing_body": p.governing_body,
                        "abbreviation": p.abbreviation,
                        "place": p.place,
                        "signer_title": p.signer_title,
                    }
                    for p in o.periods
                ],
            }
            for o in cat.organisations
        ],
        "data_elements": [
            {
                "code": e.code,
                "label": e.label,
                "type": e.type,
                "unit": e.unit,
                "applies_to": list(e.applies_to),
                "required": e.required,
                **({"choices": [{"code": c.code, "label": c.label} for c in e.choices]} if e.choices else {}),
                **({"min": e.min} if e.min is not None else {}),
                **({"max": e.max} if e.max is not None else {}),
            }
            for e in cat.elements.values()
        ],
        "indicators": [
            {
                "code": i.code,
                "label": i.label,
                "unit": i.unit,
                "source": i.source,
                "measure": i.measure,
                "targets": {str(y): v for y, v in sorted(i.targets.items())},
                "target_labels": {str(y): format_target(i, y) for y in sorted(i.targets)},
                **(
                    {"goal_texts": {str(y): t for y, t in sorted(i.goal_texts.items())}}
                    if i.goal_texts
                    else {}
                ),
                "applies_to": list(i.applies_to),
            }
            for i in cat.indicators
        ],
        "rules": [{"code": r.code, "severity": r.severity, "message": r.message} for r in cat.rules],
        "tasks": [
            {
                "code": t.code,
                "no": t.no,
                "title": t.title,
                "lead": t.lead,
                "coordinating": t.coordinating,
                "product": t.product,
                "timeframe": t.timeframe,
                **({"part_of": t.part_of} if t.part_of else {}),
            }
            for t in cat.tasks
        ],
    }


def run(args: argparse.Namespace) -> int:
    if args.action == "install":
        return run_install(args)
    if args.action == "export":
        return run_export(args)
    if args.action == "build":
        return run_build(args)
    if args.action == "sign":
        return run_sign(args)
    from ..services.editions import signature_json, signature_phrase

    with with_app(args) as app:
        cat = app.catalog
        signature = signature_json(app, cat.edition.number)
        signed = app.store.edition_signatures().get(cat.edition.number)
    if args.json:
        print(json.dumps(catalog_json(cat, signature), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"Danh mục {cat.id} phiên bản {cat.version} (năm {cat.year_from}-{cat.year_to})")
    print(f"{cat.edition.label}; nơi ban hành: {cat.edition.issuer}")
    if signed is not None:
        print(f"Chữ ký số của Sở: {signature_phrase(signed)}.")
    print("\nTổ chức:")
    for o in cat.organisations:
        print(f"  {o.code:8} {o.periods[-1].name} [{cat.kinds[o.kind]['label']}]")
    print("\nChỉ tiêu:")
    for i in cat.indicators:
        goals = [(y, format_target(i, y)) for y in i.targets] + [
            (y, f"“{t}”") for y, t in i.goal_texts.items()
        ]
        targets = ", ".join(f"{y}: {text}" for y, text in sorted(goals))
        print(f"  {i.source:6} {i.code:6} {i.short_label} ({targets})")
    print("\nNhiệm vụ (Phụ lục 2):")
    for t in cat.tasks:
        print(f"  {t.code:4} {t.title[:90]}")
    return EXIT_OK


def run_install(args: argparse.Namespace) -> int:
    from ..services.editions import install, preview_install, read_edition_path

    raw = read_edition_path(args.file)
    with with_app(args) as app:
        if args.dry_run:
            preview = preview_install(app, raw, f"Tệp “{args.file.name}”")
        else:
            preview = install(app, raw, f"Tệp “{args.file.name}”")
    print("\n".join(preview.lines()))
    if args.dry_run:
        print("Chưa cài đặt (--dry-run).")
    else:
        print(f"Đã cài đặt {preview.catalog.edition.label}.")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from ..fsutil import OutputError, atomic_write_bytes, describe_os_error
    from ..services.catalog_workbook import export_workbook

    with with_app(args) as app:
        body = export_workbook(app.catalog)
        label = app.catalog.edition.label
    try:
        atomic_write_bytes(args.xlsx, body)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, args.xlsx)) from None
    print(f"Đã ghi {label} ra bảng tính {args.xlsx}.")
    return EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    from ..fsutil import read_file_at_most
    from ..services.catalog_workbook import build_from_workbook, read_workbook_path
    from ..services.editions import edition_file, signature_expected

    signing = signer_options_given(args)
    raw = read_workbook_path(args.workbook, read_file_at_most)
    with with_app(args) as app:
        built = build_from_workbook(raw, app.catalog)
        in_force = app.catalog
        expected = signature_expected(app)
    new = built.catalog
    print(f"{new.edition.label}; nơi ban hành: {new.edition.issuer}. So với {in_force.edition.label}:")
    print("\n".join(f"  • {c}" for c in built.changes) or "  (không có thay đổi)")
    if args.dry_run:
        print("Chưa ghi tệp (--dry-run).")
        return EXIT_OK
    if signing:
        return _sign_and_write(args, edition_file(new), in_force, args.out)
    if expected:
        raise UsageError(
            f"Không ghi tệp chưa ký số: {expected}, nên các đơn vị sẽ từ chối tệp chưa ký. "
            "Hãy ký bằng --pkcs11 hoặc --p12."
        )
    _write(args.out, edition_file(new))
    _say_written(args.out, new, None)
    return EXIT_OK


def run_sign(args: argparse.Namespace) -> int:
    from ..services.editions import EditionRefused, read_edition_path

    signer_options_given(args)
    try:
        raw = read_edition_path(args.file)
    except EditionRefused as exc:
        raise EditionRefused(f"Không ký được: {exc.message}") from None
    with with_app(args) as app:
        in_force = app.catalog
    return _sign_and_write(args, raw, in_force, args.out or args.file)


def _sign_and_write(args: argparse.Namespace, raw: bytes, in_force: Catalog, out: Path) -> int:
    """Sign the edition file ``raw`` with the key the options name and write it to ``out``; every
    check that does not need the key (already signed, the issuer is not the Sở) is made first."""
    from ..services.editions import sign_edition, signable_edition

    signable_edition(raw, in_force)  # before the PIN is asked for: is there anything to sign?
    secret = ask_secret(args)
    try:
        with open_signer(args, secret) as signer:
            signed = sign_edition(raw, signer, in_force)
    finally:
        secret = ""
    _write(out, signed.file)
    _say_written(out, signed.catalog, signed.signature)
    return EXIT_OK


def _write(path: Path, body: bytes) -> None:
    from ..fsutil import OutputError, atomic_write_bytes, describe_os_error

    try:
        atomic_write_bytes(path, body)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, path)) from None


def _say_written(path: Path, cat: Catalog, signature: Any) -> None:
    from ..package.canonical import verification_code
    from ..services.editions import signature_phrase

    code = verification_code(cat.sha256)
    if signature is None:
        print(f"Đã ghi tệp danh mục {path} (chưa ký số). Mã xác thực: {code}")
        print("In mã xác thực kèm công văn gửi các đơn vị để họ đối chiếu trước khi cài đặt.")
        return
    print(f"Đã ghi tệp danh mục {path}, {signature_phrase(signature, revocation=False)}. Mã xác thực: {code}")
    print(
        "Các đơn vị kiểm tra chữ ký số khi cài đặt: máy của họ cần có chứng thư gốc của nhà cung cấp chữ ký "
        "số của Sở (Tệp → Chứng thư số tin cậy, hoặc lệnh trust add)."
    )
