"""The Sở verifies signatures at import: trusted, untrusted, wrong certificate, revoked; every
refusal of integrity or binding (changed after signing, another revision's PDF, a manifest
signature that does not cover this manifest); a PDF signed by another tool beside the package."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from kdx_desktop.package.format import MANIFEST_SIGNATURE, SIGNED_PDF
from kdx_desktop.services.intake import REJECTED, SIGNATURE_ADDED, import_paths, status_board
from kdx_desktop.services.reporting import App, open_app
from kdx_desktop.signing.keys import load_p12
from kdx_desktop.signing.sign import _rezip, sign_file, sign_package
from tests.cli_helpers import run
from tests.signing_fixtures import Exported, Pki, fresh_copy
from tests.signing_pki import P12_PASSWORD, make_ca, make_crl, make_officer, write_p12


@pytest.fixture
def so(tmp_path: Path) -> App:
    (tmp_path / "so").mkdir()
    a = open_app(tmp_path / "so")
    yield a
    a.close()


def _trust(so: App, pki: Pki, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ca = tmp_path / "ca-goc.pem"
    ca.write_bytes(pki.ca.cert_pem)
    code, out, err = run(capsys, "--data-dir", str(so.data_dir), "trust", "add", str(ca))
    assert code == 0, err
    assert "Đã cài chứng thư gốc: CA Thử nghiệm KDX" in out


def _signed(pki: Pki, exported: Exported, folder: Path, package: Path | None = None) -> Path:
    src = fresh_copy(package or exported.package, folder)
    out_zip, _pdf, _res = sign_file(src, load_p12(pki.p12, P12_PASSWORD))
    src.unlink()
    return out_zip


def _sig(so: App) -> dict[str, object]:
    row = next(r for r in status_board(so, 2025).rows if r.org_code == "BKT")
    return row.signature


def test_trusted_signature_shows_in_status_json_and_text(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _trust(so, pki, capsys, tmp_path)
    signed = _signed(pki, exported, tmp_path / "in")
    (out,) = import_paths(so, [signed])
    assert out.kind == "imported" and "đã ký số (tin cậy) bởi Nguyễn Văn An" in out.message
    code, text, _err = run(capsys, "--data-dir", str(so.data_dir), "status", "--year", "2025", "--json")
    assert code == 0
    doc = json.loads(text)
    sig = next(o for o in doc["organisations"] if o["org_code"] == "BKT")["signature"]
    assert set(sig) == {"state", "signer", "organisation", "signed_at", "bound", "revocation"}
    assert sig["state"] == "trusted" and sig["signer"] == "Nguyễn Văn An"
    assert sig["organisation"] == "Báo Quảng Ngãi" and sig["bound"] is True
    assert sig["revocation"] == "not checked" and str(sig["signed_at"]).endswith("+07:00")
    none = next(o for o in doc["organisations"] if o["org_code"] == "PTTH")["signature"]
    assert none["state"] == "none" and none["bound"] is False
    code, text, _err = run(capsys, "--data-dir", str(so.data_dir), "status", "--year", "2025")
    assert "đã ký số (tin cậy) bởi Nguyễn Văn An" in text and "(chưa kiểm tra thu hồi)" in text


def test_untrusted_until_the_root_is_installed_then_rechecked(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (out,) = import_paths(so, [_signed(pki, exported, tmp_path / "in")])
    assert out.kind == "imported" and "đã ký số (chưa tin cậy)" in out.message
    assert _sig(so)["state"] == "untrusted"
    _trust(so, pki, capsys, tmp_path)
    assert "1 kết quả thay đổi" in capsys.readouterr().out or _sig(so)["state"] == "trusted"
    assert _sig(so)["state"] == "trusted"
    code, text, _e = run(capsys, "--data-dir", str(so.data_dir), "trust", "list", "--json")
    assert code == 0 and [e["kind"] for e in json.loads(text)] == ["root"]


def test_a_certificate_issued_to_another_organisation_is_flagged(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _trust(so, pki, capsys, tmp_path)
    other = make_officer(pki.ca, "Trần Thị Bình", "Đài Phát thanh - Truyền hình tỉnh")
    p12 = write_p12(tmp_path / "khac.p12", other, pki.ca)
    src = fresh_copy(exported.package, tmp_path / "in")
    signed, _pdf, _r = sign_file(src, load_p12(p12, P12_PASSWORD))
    src.unlink()
    (out,) = import_paths(so, [signed])
    assert out.kind == "imported" and out.signature is not None
    assert out.signature.state == "untrusted"
    assert any("không phải cho Báo Quảng Ngãi" in n for n in out.signature.notes)


def test_revoked_certificate_is_invalid_and_revocation_checked(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _trust(so, pki, capsys, tmp_path)
    crl = tmp_path / "ca.crl"
    crl.write_bytes(make_crl(pki.ca, [pki.officer.cert]))
    code, out, err = run(capsys, "--data-dir", str(so.data_dir), "trust", "add", str(crl))
    assert code == 0 and "danh sách thu hồi (CRL)" in out, err
    (o,) = import_paths(so, [_signed(pki, exported, tmp_path / "in")])
    assert o.signature is not None and o.signature.state == "invalid"
    assert o.signature.revocation == "checked"
    assert any("thu hồi" in n for n in o.signature.notes)


def test_a_crl_that_does_not_list_the_signer_checks_revocation(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _trust(so, pki, capsys, tmp_path)
    crl = tmp_path / "ca.crl"
    crl.write_bytes(make_crl(pki.ca, []))
    assert run(capsys, "--data-dir", str(so.data_dir), "trust", "add", str(crl))[0] == 0
    (o,) = import_paths(so, [_signed(pki, exported, tmp_path / "in")])
    assert o.signature is not None and (o.signature.state, o.signature.revocation) == ("trusted", "checked")


def test_refused_signed_pdf_changed_after_signing(
    so: App, pki: Pki, exported: Exported, tmp_path: Path
) -> None:
    raw = exported.package.read_bytes()
    res = sign_package(raw, load_p12(pki.p12, P12_PASSWORD))
    members = _members(res.package)
    report_len = len(members["report.pdf"])
    # (a) one byte inside the signed range changed
    pdf = bytearray(res.pdf)
    pdf[report_len + 40] ^= 1
    # (b) an incremental update appended after the signature (content added after signing)
    appended = res.pdf + b"\n% them noi dung sau khi ky\n"
    for i, bad in enumerate((bytes(pdf), appended)):
        pkg = tmp_path / f"t{i}" / "BaoCao_BQN_2025_lan1_ky-so.zip"
        pkg.parent.mkdir()
        pkg.write_bytes(_rezip(raw, {SIGNED_PDF: bad, MANIFEST_SIGNATURE: members[MANIFEST_SIGNATURE]}))
        (o,) = import_paths(so, [pkg])
        assert (o.kind, o.code) == (REJECTED, "signature.pdf_modified"), o.message
        assert "đã bị" in o.message and "sau khi ký" in o.message
    assert status_board(so, 2025).summary()["received"] == 0


def test_refused_signed_pdf_of_another_revision(
    so: App, pki: Pki, exported: Exported, tmp_path: Path
) -> None:
    signer = load_p12(pki.p12, P12_PASSWORD)
    r1 = sign_package(exported.package.read_bytes(), signer)
    r2_raw = exported.package_r2.read_bytes()
    r2 = sign_package(r2_raw, signer)
    # In the package: revision 1's signed PDF put into revision 2's signed package.
    pkg = tmp_path / "a" / "BaoCao_BQN_2025_lan2_ky-so.zip"
    pkg.parent.mkdir()
    pkg.write_bytes(
        _rezip(r2_raw, {SIGNED_PDF: r1.pdf, MANIFEST_SIGNATURE: _members(r2.package)[MANIFEST_SIGNATURE]})
    )
    (o,) = import_paths(so, [pkg])
    assert (o.kind, o.code) == (REJECTED, "signature.other_revision"), o.message
    assert "lần gửi khác" in o.message
    # Beside the package: revision 1's signed PDF named for revision 2's unsigned package.
    folder = tmp_path / "b"
    unsigned = fresh_copy(exported.package_r2, folder)
    (folder / "BaoCao_BQN_2025_lan2_signed.pdf").write_bytes(r1.pdf)
    (o,) = import_paths(so, [unsigned])
    assert (o.kind, o.code) == (REJECTED, "signature.other_revision"), o.message
    assert "BaoCao_BQN_2025_lan2_signed.pdf" in o.message


def test_refused_manifest_signature_that_does_not_cover_this_manifest(
    so: App, pki: Pki, exported: Exported, tmp_path: Path
) -> None:
    signer = load_p12(pki.p12, P12_PASSWORD)
    raw = exported.package.read_bytes()
    r1 = _members(sign_package(raw, signer).package)
    r2 = _members(sign_package(exported.package_r2.read_bytes(), signer).package)
    cases = {
        "other": r2[MANIFEST_SIGNATURE],  # a valid signature, of another manifest
        "cut": r1[MANIFEST_SIGNATURE][:-40],  # a damaged one
    }
    for name, p7s in cases.items():
        pkg = tmp_path / name / "BaoCao_BQN_2025_lan1_ky-so.zip"
        pkg.parent.mkdir()
        pkg.write_bytes(_rezip(raw, {SIGNED_PDF: r1[SIGNED_PDF], MANIFEST_SIGNATURE: p7s}))
        (o,) = import_paths(so, [pkg])
        assert (o.kind, o.code) == (REJECTED, "signature.manifest"), (name, o.message)
        assert "không phủ đúng toàn bộ tệp kê khai" in o.message
    # Only one of the two signature members: refused too.
    pkg = tmp_path / "half" / "BaoCao_BQN_2025_lan1_ky-so.zip"
    pkg.parent.mkdir()
    pkg.write_bytes(_rezip(raw, {SIGNED_PDF: r1[SIGNED_PDF]}))
    (o,) = import_paths(so, [pkg])
    assert (o.kind, o.code) == (REJECTED, "signature.incomplete")


def test_a_pdf_signed_by_another_tool_beside_the_package_is_bound(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another tool: pyHanko used directly, its own field name and box, no KDX code."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    _trust(so, pki, capsys, tmp_path)
    folder = tmp_path / "in"
    package = fresh_copy(exported.package, folder)
    report = _members(package.read_bytes())["report.pdf"]
    w = IncrementalPdfFileWriter(io.BytesIO(report), strict=False)
    meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm="sha256")
    signer = signers.SimpleSigner.load_pkcs12_data(pki.p12.read_bytes(), set(), P12_PASSWORD.encode())
    out = signers.PdfSigner(
        meta, signer, new_field_spec=fields.SigFieldSpec("Signature1", box=(50, 50, 200, 100))
    ).sign_pdf(w)
    (folder / "BaoCao_BQN_2025_lan1_signed.pdf").write_bytes(out.getvalue())
    (o,) = import_paths(so, [package])
    assert o.kind == "imported" and o.signature is not None, o.message
    assert o.signature.state == "trusted" and o.signature.bound
    assert o.signature.source == "BaoCao_BQN_2025_lan1_signed.pdf"
    assert "(tệp BaoCao_BQN_2025_lan1_signed.pdf)" in o.message


def test_unsigned_then_signed_adds_the_signature_and_old_packages_still_import(
    so: App, pki: Pki, exported: Exported, tmp_path: Path
) -> None:
    (o,) = import_paths(so, [exported.package])
    assert o.kind == "imported" and o.signature is not None and o.signature.state == "none"
    assert "ký số" not in o.message  # the paper path's line is unchanged
    signed = _signed(pki, exported, tmp_path / "in")
    (o,) = import_paths(so, [signed], dry_run=True)
    assert o.kind == SIGNATURE_ADDED and "sẽ bổ sung chữ ký số" in o.message
    assert _sig(so)["state"] == "none"
    (o,) = import_paths(so, [signed])
    assert o.kind == SIGNATURE_ADDED and _sig(so)["state"] == "untrusted"
    (o,) = import_paths(so, [signed])
    assert o.kind == "duplicate"


def test_the_import_json_carries_the_signature(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed = _signed(pki, exported, tmp_path / "in")
    code, out, err = run(capsys, "--data-dir", str(so.data_dir), "import", str(signed), "--json")
    assert code == 0, err
    (doc,) = json.loads(out)
    assert doc["signature"]["state"] == "untrusted" and doc["signature"]["bound"] is True


def test_trust_add_refuses_a_file_that_is_not_a_certificate(
    so: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "khong-phai.cer"
    bad.write_bytes(b"day khong phai chung thu")
    code, _out, err = run(capsys, "--data-dir", str(so.data_dir), "trust", "add", str(bad))
    assert code == 1 and "không phải chứng thư số" in err
    code, out, _err = run(capsys, "--data-dir", str(so.data_dir), "trust", "list")
    assert code == 0 and "Chưa cài chứng thư gốc nào" in out


def test_a_foreign_root_does_not_make_it_trusted(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "khac.pem"
    foreign.write_bytes(make_ca("CA khác").cert_pem)
    assert run(capsys, "--data-dir", str(so.data_dir), "trust", "add", str(foreign))[0] == 0
    (o,) = import_paths(so, [_signed(pki, exported, tmp_path / "in")])
    assert o.signature is not None and o.signature.state == "untrusted"


def _members(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_signed_pdf_beside_is_found_by_name(exported: Exported, tmp_path: Path) -> None:
    from kdx_desktop.services.intake import signed_pdfs_beside

    folder = tmp_path / "f"
    pkg = fresh_copy(exported.package, folder)
    for name in (
        "BaoCao_BQN_2025_lan1_signed.pdf",
        "BaoCao_BQN_2025_lan10.pdf",
        "BaoCao_BQN_2025_lan1.pdf",
        "khac.pdf",
    ):
        (folder / name).write_bytes(
            b"%PDF-1.4 /ByteRange [0 1 2 3]" if "signed" in name or "r10" in name else b"%PDF-1.4"
        )
    shutil.copy2(pkg, folder / "BaoCao_BQN_2025_lan1_ky-so.zip")
    assert [n for n, _b in signed_pdfs_beside(pkg)] == ["BaoCao_BQN_2025_lan1_signed.pdf"]
    assert [n for n, _b in signed_pdfs_beside(folder / "BaoCao_BQN_2025_lan1_ky-so.zip")] == [
        "BaoCao_BQN_2025_lan1_signed.pdf"
    ]


def test_validity_is_judged_at_the_signing_time(
    so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A certificate valid when the report was signed stays trusted after it expires; one that had
    already expired (or was not yet valid) when it signed is invalid."""
    import datetime as dt

    _trust(so, pki, capsys, tmp_path)
    expired = make_officer(pki.ca, days_from=-40, days=30)  # valid from 40 to 10 days ago
    signer = load_p12(write_p12(tmp_path / "het-han.p12", expired, pki.ca), P12_PASSWORD)
    raw = exported.package.read_bytes()
    then = dt.datetime.now(dt.UTC) - dt.timedelta(days=20)
    for name, at, state in (("luc-con-han", then, "trusted"), ("sau-het-han", None, "invalid")):
        pkg = tmp_path / name / "KDX_BKT_2025_r1_ky-so.zip"
        pkg.parent.mkdir()
        pkg.write_bytes(sign_package(raw, signer, at=at).package)
        (o,) = import_paths(so, [pkg], dry_run=True)
        assert o.signature is not None and o.signature.state == state, (name, o.signature)
        if state == "invalid":
            assert any("không còn hiệu lực vào thời điểm ký" in n for n in o.signature.notes)
