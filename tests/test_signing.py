"""Signing at the agency: a real PKCS#11 token (SoftHSM2) and a .p12 file, checked by pyHanko's own
validator and by poppler's ``pdfsig``, independently of KDX's verification code."""

from __future__ import annotations

import asyncio
import io
import logging
import subprocess
import zipfile
from pathlib import Path

import pytest

from kdx_desktop.documents.pdf_layout import SIGNATURE_FIELD
from kdx_desktop.package.format import MANIFEST, PDF
from kdx_desktop.package.safe_zip import IntakeRejected, read_package
from kdx_desktop.package.writer import verify_package
from kdx_desktop.signing import MANIFEST_SIGNATURE, SIGNED_PDF, SigningError
from kdx_desktop.signing.keys import list_token_certificates, load_p12, token_signer
from kdx_desktop.signing.sign import sign_package
from tests.cli_helpers import run
from tests.signing_fixtures import Exported, Pki, fresh_copy
from tests.signing_pki import P12_PASSWORD, TOKEN_LABEL, TOKEN_PIN, make_ca
from tests.tools import need


def _validate_pdf(pdf: bytes, roots: list[object]) -> object:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    sigs = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(sigs) == 1
    return validate_pdf_signature(sigs[0], ValidationContext(trust_roots=roots))


def _ca_asn1(pki: Pki) -> object:
    from asn1crypto import x509

    return x509.Certificate.load(pki.ca.cert_der)


def _members(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_p12_signs_the_package_pdf_as_an_incremental_update_in_its_signature_block(
    pki: Pki, exported: Exported
) -> None:
    raw = exported.package.read_bytes()
    res = sign_package(raw, load_p12(pki.p12, P12_PASSWORD))
    before, after = _members(raw), _members(res.package)
    # Every original member kept byte for byte; the two signature members added.
    assert {k: after[k] for k in before} == before
    assert set(after) - set(before) == {SIGNED_PDF, MANIFEST_SIGNATURE}
    assert after[SIGNED_PDF] == res.pdf
    # The binding: the package's report.pdf is exactly the signed file's prefix.
    assert res.pdf[: len(before[PDF])] == before[PDF] and len(res.pdf) > len(before[PDF])
    assert res.signer.name == "Nguyễn Văn An" and res.signer.organisation == "Báo Quảng Ngãi"

    status = _validate_pdf(res.pdf, [_ca_asn1(pki)])
    assert status.intact and status.valid and status.trusted  # type: ignore[attr-defined]
    assert status.coverage.name == "ENTIRE_FILE"  # type: ignore[attr-defined]
    assert status.signing_cert.subject.native["common_name"] == "Nguyễn Văn An"  # type: ignore[attr-defined]
    # Signed into KDX's own field: the box is in the signature block.
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(res.pdf))
    sig = reader.embedded_signatures[0]
    assert sig.field_name == SIGNATURE_FIELD
    # Two revisions: the report as exported, and the signature's own update.
    assert reader.xrefs.total_revisions == 2 and sig.signed_revision == 1

    # The manifest's detached CMS signature: valid over the manifest, broken by one changed byte.
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    info = cms.ContentInfo.load(after[MANIFEST_SIGNATURE])
    vc = ValidationContext(trust_roots=[_ca_asn1(pki)])
    ok = asyncio.run(
        async_validate_detached_cms(before[MANIFEST], info["content"], signer_validation_context=vc)
    )
    assert ok.intact and ok.valid and ok.trusted
    bad = bytearray(before[MANIFEST])
    bad[10] ^= 1
    vc = ValidationContext(trust_roots=[_ca_asn1(pki)])
    broken = asyncio.run(
        async_validate_detached_cms(bytes(bad), info["content"], signer_validation_context=vc)
    )
    assert not broken.intact

    # The signed package is still a package: the agency's verify and the Sở's reader accept it.
    assert verify_package(res.package).signatures.keys() == {SIGNED_PDF, MANIFEST_SIGNATURE}
    assert read_package(res.package).signatures[SIGNED_PDF] == res.pdf


def test_the_signature_does_not_validate_against_a_foreign_root(pki: Pki, exported: Exported) -> None:
    from asn1crypto import x509

    res = sign_package(exported.package.read_bytes(), load_p12(pki.p12, P12_PASSWORD))
    foreign = x509.Certificate.load(make_ca("CA khác").cert_der)
    status = _validate_pdf(res.pdf, [foreign])
    assert status.intact and status.valid and not status.trusted  # type: ignore[attr-defined]


def test_softhsm_token_lists_its_certificate_and_signs(pki: Pki, exported: Exported) -> None:
    import pkcs11
    from pkcs11 import Attribute, ObjectClass, TokenFlag

    # The token holds the officer's certificate and, as providers' tokens do, the CA's: only the
    # officer's is offered for signing.
    (token,) = [
        s.get_token()
        for s in pkcs11.lib(str(pki.module)).get_slots(token_present=True)
        if s.get_token().flags & TokenFlag.TOKEN_INITIALIZED
    ]
    with token.open() as session:
        assert len(list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))) == 2
    certs = list_token_certificates(pki.module)
    assert [(c.token_label, c.holder.name, c.cert_id) for c in certs] == [
        (TOKEN_LABEL, "Nguyễn Văn An", b"\x01")
    ]
    with token_signer(pki.module, TOKEN_PIN, token_label=TOKEN_LABEL) as signer:
        res = sign_package(exported.package.read_bytes(), signer)
    status = _validate_pdf(res.pdf, [_ca_asn1(pki)])
    assert status.intact and status.valid and status.trusted  # type: ignore[attr-defined]


def test_cli_sign_with_the_token_writes_both_files_and_pdfsig_validates(
    pki: Pki,
    exported: Exported,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = fresh_copy(exported.package, tmp_path)
    monkeypatch.setenv("KDX_PIN", TOKEN_PIN)
    code, out, err = run(
        capsys,
        "sign",
        str(package),
        "--pkcs11",
        str(pki.module),
        "--token",
        TOKEN_LABEL,
        "--pin-env",
        "KDX_PIN",
    )
    assert code == 0, err
    signed_zip, signed_pdf = (
        tmp_path / "BaoCao_BQN_2025_lan1_ky-so.zip",
        tmp_path / "BaoCao_BQN_2025_lan1_ky-so.pdf",
    )
    assert signed_zip.is_file() and signed_pdf.is_file()
    assert "Nguyễn Văn An" in out and TOKEN_PIN not in out + err
    assert _members(signed_zip.read_bytes())[SIGNED_PDF] == signed_pdf.read_bytes()
    # poppler, independently of pyHanko and KDX.
    res = subprocess.run([need("pdfsig"), str(signed_pdf)], capture_output=True, text=True, check=False)
    assert "Signature is Valid" in res.stdout, res.stdout
    assert "Total document signed" in res.stdout
    assert "Nguyễn Văn An" in res.stdout
    assert f"Signature Field Name: {SIGNATURE_FIELD}" in res.stdout
    # Once signed, not again.
    code, _out, err = run(capsys, "sign", str(signed_zip), "--p12", str(pki.p12), "--pin-env", "KDX_PIN")
    assert code == 1 and "đã được ký số" in err


def _ppm(path: Path) -> tuple[int, int, bytes]:
    raw = path.read_bytes()
    parts = raw.split(maxsplit=4)
    assert parts[0] == b"P6"
    return int(parts[1]), int(parts[2]), parts[4]


def test_the_visible_box_is_drawn_in_the_signature_block(
    pki: Pki, exported: Exported, tmp_path: Path
) -> None:
    """Render the last page: the red box is inside the signature field's rectangle, nowhere else."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    res = sign_package(exported.package.read_bytes(), load_p12(pki.p12, P12_PASSWORD))
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(res.pdf)
    reader = PdfFileReader(io.BytesIO(res.pdf))
    pages = int(reader.root["/Pages"]["/Count"])
    field = reader.embedded_signatures[0].sig_field
    x1, y1, x2, y2 = (
        (float(v) for v in field["/Kids"][0]["/Rect"])
        if "/Kids" in field
        else (float(v) for v in field["/Rect"])
    )
    dpi = 72
    subprocess.run(
        [need("pdftoppm"), "-r", str(dpi), "-f", str(pages), "-l", str(pages), str(pdf), str(tmp_path / "p")],
        check=True,
    )
    w, h, px = _ppm(next(tmp_path.glob("p-*.ppm")))
    red_inside = red_outside = 0
    for y in range(h):
        for x in range(w):
            r, g, b = px[3 * (y * w + x) : 3 * (y * w + x) + 3]
            if r > 150 and g < 90 and b < 90:
                inside = x1 - 2 <= x <= x2 + 2 and y1 - 2 <= h - y <= y2 + 2
                red_inside += inside
                red_outside += not inside
    assert red_inside > 200 and red_outside == 0


def test_wrong_pin_or_password_signs_nothing_and_is_never_shown_or_logged(
    pki: Pki,
    exported: Exported,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    package = fresh_copy(exported.package, tmp_path)
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("KDX_PIN", "999111")
    code, out, err = run(capsys, "sign", str(package), "--pkcs11", str(pki.module), "--pin-env", "KDX_PIN")
    assert code == 1 and "Mã PIN không đúng" in err
    monkeypatch.setenv("KDX_PIN", "sai-mật-khẩu-77")
    code, out2, err2 = run(capsys, "sign", str(package), "--p12", str(pki.p12), "--pin-env", "KDX_PIN")
    assert code == 1 and "sai mật khẩu" in err2
    assert sorted(p.name for p in tmp_path.iterdir()) == [package.name]
    seen = out + err + out2 + err2 + caplog.text
    assert "999111" not in seen and "sai-mật-khẩu-77" not in seen
    # Right secret: logs still never carry it.
    monkeypatch.setenv("KDX_PIN", P12_PASSWORD)
    code, _o, err3 = run(capsys, "sign", str(package), "--p12", str(pki.p12), "--pin-env", "KDX_PIN")
    assert code == 0, err3
    assert P12_PASSWORD not in caplog.text


def test_usage_errors(
    pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = fresh_copy(exported.package, tmp_path)
    code, _out, err = run(capsys, "sign", str(package))
    assert code == 2 and "--pkcs11" in err
    code, _out, err = run(capsys, "sign", str(package), "--p12", str(pki.p12), "--pkcs11", str(pki.module))
    assert code == 2
    code, _out, err = run(
        capsys, "sign", str(package), "--p12", str(pki.p12), "--pin-env", "KHONG_CO_BIEN_NAY"
    )
    assert code == 2 and "KHONG_CO_BIEN_NAY" in err
    code, _out, err = run(
        capsys, "sign", str(package), "--pkcs11", str(tmp_path / "khong-co.dll"), "--pin-env", "PATH"
    )
    assert code == 1 and "trình điều khiển" in err


def test_a_damaged_package_is_not_signed(pki: Pki, exported: Exported) -> None:
    raw = bytearray(exported.package.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    with pytest.raises(SigningError, match="không nguyên vẹn"):
        sign_package(bytes(raw), load_p12(pki.p12, P12_PASSWORD))


def test_only_the_two_signature_members_may_be_unlisted(pki: Pki, exported: Exported) -> None:
    from kdx_desktop.signing.sign import _rezip

    raw = exported.package.read_bytes()
    with pytest.raises(IntakeRejected) as exc:
        read_package(_rezip(raw, {"signature/other.p7s": b"x"}))
    assert exc.value.code == "zip.unlisted"
