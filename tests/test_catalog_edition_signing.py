"""The Sở signs a catalogue edition; agencies verify it before installing (issue #18 item 4).

Keys and certificates are made during the run (tests/signing_pki.py): a .p12 file and a SoftHSM2
token for the Sở's officer, the agency's officer of the shared fixture as "another organisation",
a certificate that had expired when it signed, a revoked one, and one from an unknown CA.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import run
from test_catalog_editions import as_catalog, edition2_doc

from kdx_desktop.package.canonical import verification_code
from kdx_desktop.province.signatures import add_to_trust
from kdx_desktop.services.editions import (
    SIGNATURE_KEY,
    EditionRefused,
    edition_file,
    install,
    preview_install,
    read_edition,
    sign_edition,
)
from kdx_desktop.services.reporting import App, open_app
from kdx_desktop.signing import SigningError
from kdx_desktop.signing.keys import load_p12
from kdx_desktop.signing.sign import sign_bytes
from tests.signing_fixtures import Pki
from tests.signing_pki import (
    P12_PASSWORD,
    TOKEN_PIN,
    Identity,
    make_ca,
    make_crl,
    make_officer,
    make_token,
    write_p12,
)

SO_NAME = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi"
SO_TOKEN = "KDX-SO"


@dataclass(frozen=True)
class SoKeys:
    officer: Identity
    p12: Path


@pytest.fixture(scope="session")
def so_keys(pki: Pki) -> SoKeys:
    """The Sở's officer: a certificate of the test CA issued to the Sở, in a .p12 file."""
    officer = make_officer(pki.ca, "Trần Thị Bình", SO_NAME)
    return SoKeys(officer, write_p12(pki.folder / "so.p12", officer, pki.ca))


def _own_token(folder: Path, officer: Identity, ca: Identity) -> dict[str, str]:
    """A SoftHSM2 token store of this test only, holding the Sở officer's key on token KDX-SO: the
    environment of a KDX process that sees it. (SoftHSM2 reads its configuration once per process,
    and the session's token store must keep exactly the one token other tests expect.)"""
    folder.mkdir()
    conf = folder / "softhsm2.conf"
    (folder / "tokens").mkdir()
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    before = os.environ["SOFTHSM2_CONF"]
    os.environ["SOFTHSM2_CONF"] = str(conf)  # for softhsm2-util and pkcs11-tool only
    try:
        make_token(folder, officer, label=SO_TOKEN, ca=ca)
    finally:
        os.environ["SOFTHSM2_CONF"] = before
    return {**os.environ, "SOFTHSM2_CONF": str(conf), "PYTHONIOENCODING": "utf-8"}


def _trust(app: App, pki: Pki) -> None:
    add_to_trust(app.store, pki.ca.cert_pem, user="test")


def _so_signer(so_keys: SoKeys) -> Any:
    return load_p12(so_keys.p12, P12_PASSWORD)


def _edition(doc: dict[str, Any] | None = None) -> bytes:
    return edition_file(as_catalog(doc or edition2_doc()))


def _signed_by(who: Identity, ca: Identity, doc: dict[str, Any] | None, tmp_path: Path, **kw: Any) -> bytes:
    """An edition signed with ``who``'s key exactly as KDX signs, but without the signing-side
    checks (as someone else's program would make it)."""
    cat = as_catalog(doc or edition2_doc())
    p12 = write_p12(tmp_path / f"{who.cert.serial_number}.p12", who, ca)
    at = kw.get("at") or dt.datetime.now(dt.UTC)
    return edition_file(cat, sign_bytes(cat.source, load_p12(p12, P12_PASSWORD), at=at))


def _unchanged(app: App) -> None:
    assert app.store.catalog_editions() == [] and app.store.edition_signatures() == {}
    assert app.catalog.edition.number == 1


# -- signing and installing ---------------------------------------------------------------------


def test_a_signed_edition_is_verified_shown_installed_and_kept(
    agency: App, pki: Pki, so_keys: SoKeys
) -> None:
    signed = sign_edition(_edition(), _so_signer(so_keys), agency.catalog)
    env = json.loads(signed.file)
    # Backward-compatible envelope: format 1, the same fields, plus the optional signature.
    unsigned = json.loads(_edition())
    assert env["format_version"] == 1 and {k: v for k, v in env.items() if k != SIGNATURE_KEY} == unsigned
    assert read_edition(signed.file).signature == base64.b64decode(env[SIGNATURE_KEY])

    _trust(agency, pki)
    preview = preview_install(agency, signed.file, "Tệp “lan2.kdxdm”")
    head = "\n".join(preview.head())
    assert "Chữ ký số của Sở: hợp lệ, đã ký số bởi Trần Thị Bình (" + SO_NAME + ")" in head
    assert "(giờ Việt Nam)" in head and "chưa kiểm tra thu hồi chứng thư" in head
    assert "Tệp chưa được ký số" not in head and f"Mã xác thực: {preview.verification_code}." in head
    install(agency, signed.file, "Tệp “lan2.kdxdm”")
    kept = agency.store.edition_signatures()[2]
    assert (kept.signer, kept.organisation) == ("Trần Thị Bình", SO_NAME)
    assert kept.signed_at is not None and kept.signed_at.endswith("+07:00")
    assert kept.signature == read_edition(signed.file).signature  # the evidence is kept
    audit = agency.store.db.execute("SELECT new_value FROM audit WHERE action = 'install_catalog'").fetchall()
    assert any("ký số bởi Trần Thị Bình" in r[0] for r in audit)


def test_a_signed_edition_installs_with_the_cli_and_catalog_json_shows_it(
    capsys: pytest.CaptureFixture[str], pki: Pki, so_keys: SoKeys, tmp_path: Path
) -> None:
    """The Sở builds and signs from the command line with its .p12; the agency installs with
    ``catalog install``; ``catalog --json`` gives the edition's signature."""
    so_dir, agency_dir = str(tmp_path / "so"), str(tmp_path / "dv")
    xlsx = tmp_path / "dm.xlsx"
    assert run(capsys, "--data-dir", so_dir, "catalog", "export", "--xlsx", str(xlsx))[0] == 0
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    wb["Lần ban hành"]["B2"] = 2
    wb["Lần ban hành"]["B3"] = SO_NAME
    wb.save(xlsx)
    out = tmp_path / "lan2.kdxdm"
    os.environ["KDX_TEST_PIN"] = P12_PASSWORD
    try:
        code, text, err = run(
            capsys, "--data-dir", so_dir, "catalog", "build", str(xlsx), "--out", str(out),
            "--p12", str(so_keys.p12), "--pin-env", "KDX_TEST_PIN",
        )  # fmt: skip
    finally:
        del os.environ["KDX_TEST_PIN"]
    assert code == 0, err
    assert f"đã ký số bởi Trần Thị Bình ({SO_NAME}), lúc" in text and "chưa kiểm tra thu hồi" not in text
    assert read_edition(out.read_bytes()).signature is not None

    code, _t, err = run(capsys, "--data-dir", agency_dir, "catalog", "install", str(out))
    assert code == 2 and "không dẫn tới chứng thư gốc nào máy này tin cậy" in err
    root = tmp_path / "ca.pem"
    root.write_bytes(pki.ca.cert_pem)
    assert run(capsys, "--data-dir", agency_dir, "trust", "add", str(root))[0] == 0
    code, text, err = run(capsys, "--data-dir", agency_dir, "catalog", "install", str(out))
    assert code == 0, err
    assert "Chữ ký số của Sở: hợp lệ, đã ký số bởi Trần Thị Bình" in text and "Đã cài đặt" in text
    code, text, _e = run(capsys, "--data-dir", agency_dir, "catalog", "--json")
    sig = json.loads(text)["edition"]["signature"]
    assert sig["state"] == "trusted" and sig["signer"] == "Trần Thị Bình" and sig["organisation"] == SO_NAME
    assert sig["signed_at"].endswith("+07:00") and sig["bound"] is True and sig["revocation"] == "not checked"
    code, text, _e = run(capsys, "--data-dir", agency_dir, "catalog")
    assert "Chữ ký số của Sở: đã ký số bởi Trần Thị Bình" in text
    code, text, _e = run(capsys, "--data-dir", so_dir, "catalog", "--json")
    assert json.loads(text)["edition"]["signature"] == {"state": "none"}  # the bundled edition 1


def test_the_sở_signs_a_built_file_with_its_usb_token(
    agency: App, pki: Pki, so_keys: SoKeys, tmp_path: Path
) -> None:
    """``catalog sign FILE --pkcs11 DRIVER --token LABEL``, run as the officer runs it: SoftHSM2
    stands for the USB token."""
    import subprocess
    import sys

    from tests.signing_pki import softhsm_module

    env = {**_own_token(tmp_path / "hsm", so_keys.officer, pki.ca), "KDX_TEST_PIN": TOKEN_PIN}
    f = tmp_path / "lan2.kdxdm"
    f.write_bytes(_edition())
    cmd = [sys.executable, "-m", "kdx_desktop", "--data-dir", str(tmp_path / "so"), "catalog", "sign", str(f)]
    cmd += ["--pkcs11", str(softhsm_module()), "--token", SO_TOKEN, "--pin-env", "KDX_TEST_PIN"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"đã ký số bởi Trần Thị Bình ({SO_NAME}), lúc" in done.stdout
    again = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 1 and "Tệp danh mục này đã được ký số rồi." in again.stderr
    _trust(agency, pki)
    assert install(agency, f.read_bytes()).signature is not None
    assert agency.store.edition_signatures()[2].signer == "Trần Thị Bình"


def test_signing_refuses_what_every_agency_would_refuse(pki: Pki, agency: App, tmp_path: Path) -> None:
    """The Sở learns before anything is written: a certificate that is not the Sở's, an edition
    whose issuer is not the Sở."""
    agency_officer = load_p12(pki.p12, P12_PASSWORD)  # Báo Quảng Ngãi's certificate
    with pytest.raises(SigningError, match="cấp cho “Báo Quảng Ngãi”, không phải cho Sở"):
        sign_edition(_edition(), agency_officer, agency.catalog)
    so = make_officer(pki.ca, "Trần Thị Bình", SO_NAME)
    signer = load_p12(write_p12(tmp_path / "so.p12", so, pki.ca), P12_PASSWORD)
    doc = edition2_doc()
    doc["edition"]["issuer"] = "Ban biên tập KDX"
    with pytest.raises(SigningError, match="ghi nơi ban hành “Ban biên tập KDX”, không phải tên Sở"):
        sign_edition(_edition(doc), signer, agency.catalog)


# -- refusals: each with its message, nothing changes --------------------------------------------


def test_a_tampered_signed_edition_is_refused(agency: App, pki: Pki, so_keys: SoKeys) -> None:
    """Changed after signing, with the hash and verification code made again to match: the
    hash check passes, the signature does not."""
    _trust(agency, pki)
    env = json.loads(sign_edition(_edition(), _so_signer(so_keys), agency.catalog).file)
    env["catalog"] = env["catalog"].replace('"2026": 25', '"2026": 5')
    sha = hashlib.sha256(env["catalog"].encode("utf-8")).hexdigest()
    env.update(catalog_sha256=sha, verification_code=verification_code(sha))
    with pytest.raises(EditionRefused) as refused:
        install(agency, json.dumps(env, ensure_ascii=False).encode("utf-8"), "Tệp “lan2.kdxdm”")
    assert refused.value.message == (
        "Tệp “lan2.kdxdm”: Chữ ký số không khớp với danh mục trong tệp: nội dung đã bị sửa sau khi ký, "
        "hoặc chữ ký là của tệp khác. Không cài đặt; hãy xin Sở gửi lại tệp."
    )
    _unchanged(agency)


def test_a_signature_moved_from_another_edition_is_refused(agency: App, pki: Pki, so_keys: SoKeys) -> None:
    _trust(agency, pki)
    other = copy.deepcopy(edition2_doc())
    other["title"] += " (bản khác)"
    sig = json.loads(sign_edition(_edition(other), _so_signer(so_keys), agency.catalog).file)[SIGNATURE_KEY]
    env = json.loads(_edition())
    env[SIGNATURE_KEY] = sig
    with pytest.raises(EditionRefused, match="Chữ ký số không khớp với danh mục trong tệp"):
        install(agency, json.dumps(env, ensure_ascii=False).encode("utf-8"))
    _unchanged(agency)


def test_a_broken_signature_field_is_refused(agency: App) -> None:
    env = json.loads(_edition())
    for bad in ("không-phải-base64", 12, base64.b64encode(b"\x30\x03abc").decode()):
        env[SIGNATURE_KEY] = bad
        with pytest.raises(EditionRefused, match="bị hỏng"):
            install(agency, json.dumps(env, ensure_ascii=False).encode("utf-8"), "Tệp “x.kdxdm”")
    _unchanged(agency)


def test_a_signature_by_an_untrusted_certificate_is_refused(agency: App, pki: Pki, tmp_path: Path) -> None:
    """A certificate made out to the Sở's name by a CA this PC does not trust (anyone can make one)."""
    _trust(agency, pki)
    rogue_ca = make_ca("CA Giả mạo")
    raw = _signed_by(make_officer(rogue_ca, "Trần Thị Bình", SO_NAME), rogue_ca, None, tmp_path)
    with pytest.raises(EditionRefused) as refused:
        install(agency, raw, "Tệp “lan2.kdxdm”")
    assert refused.value.message == (
        f"Tệp “lan2.kdxdm” được ký bằng chứng thư số của Trần Thị Bình ({SO_NAME}), nhưng chứng thư này không "
        "dẫn tới chứng thư gốc nào máy này tin cậy. Không cài đặt. Nếu đúng là chữ ký của Sở, hãy cài chứng thư "
        "gốc của nhà cung cấp chữ ký số của Sở (Tệp → Chứng thư số tin cậy, hoặc lệnh trust add) rồi cài lại tệp này."
    )
    _unchanged(agency)


def test_a_signature_by_another_organisations_certificate_is_refused(
    agency: App, pki: Pki, tmp_path: Path
) -> None:
    """A newspaper's own certificate, from the same trusted CA: trusted, but not the Sở's."""
    _trust(agency, pki)
    raw = _signed_by(pki.officer, pki.ca, None, tmp_path)
    with pytest.raises(EditionRefused) as refused:
        install(agency, raw, "Tệp “lan2.kdxdm”")
    assert refused.value.message == (
        "Tệp “lan2.kdxdm” được ký bằng chứng thư số cấp cho “Báo Quảng Ngãi”, không phải cho Sở "
        "(Sở Thông tin và Truyền thông / Sở Văn hóa, Thể thao và Du lịch). Chỉ Sở được ban hành danh mục: "
        "không cài đặt."
    )
    _unchanged(agency)


def test_the_sở_names_come_from_the_catalogue_in_force_not_from_the_file(
    agency: App, pki: Pki, tmp_path: Path
) -> None:
    """A file that names a newspaper as the issuer and as the consolidating Sở is still refused
    when signed by that newspaper: who the Sở is comes from what is installed."""
    _trust(agency, pki)
    doc = edition2_doc()
    doc["edition"]["issuer"] = "Báo Quảng Ngãi"
    for o in doc["organisations"]:
        if o.get("consolidates"):
            for p in o["periods"]:
                p["name"] = "Báo Quảng Ngãi"
    raw = _signed_by(pki.officer, pki.ca, doc, tmp_path)
    with pytest.raises(EditionRefused, match="cấp cho “Báo Quảng Ngãi”, không phải cho Sở"):
        install(agency, raw)
    _unchanged(agency)


def test_an_edition_naming_another_issuer_is_refused(
    agency: App, pki: Pki, so_keys: SoKeys, tmp_path: Path
) -> None:
    _trust(agency, pki)
    doc = edition2_doc()
    doc["edition"]["issuer"] = "Bộ Văn hóa, Thể thao và Du lịch"
    raw = _signed_by(so_keys.officer, pki.ca, doc, tmp_path)
    with pytest.raises(EditionRefused) as refused:
        install(agency, raw, "Tệp “lan2.kdxdm”")
    assert refused.value.message == (
        "Tệp “lan2.kdxdm” ghi nơi ban hành “Bộ Văn hóa, Thể thao và Du lịch”, không phải Sở (Sở Thông tin và "
        "Truyền thông / Sở Văn hóa, Thể thao và Du lịch) đã ký số tệp. Không cài đặt."
    )
    _unchanged(agency)


def test_a_certificate_expired_when_it_signed_is_refused_one_valid_then_is_not(
    agency: App, pki: Pki, tmp_path: Path
) -> None:
    """Validity is judged at the signing time the signature states."""
    _trust(agency, pki)
    expired = make_officer(pki.ca, "Trần Thị Bình", SO_NAME, days_from=-40, days=30)  # 40 to 10 days ago
    raw = _signed_by(expired, pki.ca, None, tmp_path)
    with pytest.raises(EditionRefused) as refused:
        install(agency, raw, "Tệp “lan2.kdxdm”")
    msg = refused.value.message
    assert msg.startswith(
        f"Tệp “lan2.kdxdm” được ký bằng chứng thư số của Trần Thị Bình ({SO_NAME}) không còn hiệu lực vào "
        "thời điểm ký ("
    )
    assert msg.endswith(", giờ Việt Nam): chữ ký số không hợp lệ. Không cài đặt.")
    _unchanged(agency)
    then = dt.datetime.now(dt.UTC) - dt.timedelta(days=20)  # while the certificate was valid
    signed_then = _signed_by(expired, pki.ca, None, tmp_path, at=then)
    assert install(agency, signed_then).signature is not None


def test_a_revoked_certificate_is_refused(agency: App, pki: Pki, so_keys: SoKeys) -> None:
    _trust(agency, pki)
    add_to_trust(agency.store, make_crl(pki.ca, [so_keys.officer.cert]), user="test")
    raw = sign_edition(_edition(), _so_signer(so_keys), agency.catalog).file
    with pytest.raises(
        EditionRefused, match=r"đã bị thu hồi \(theo danh sách thu hồi đã cài\)\. Không cài đặt\."
    ):
        install(agency, raw)
    _unchanged(agency)


def test_with_a_crl_that_does_not_list_it_revocation_is_checked(
    agency: App, pki: Pki, so_keys: SoKeys
) -> None:
    _trust(agency, pki)
    add_to_trust(agency.store, make_crl(pki.ca, []), user="test")
    preview = install(agency, sign_edition(_edition(), _so_signer(so_keys), agency.catalog).file)
    assert preview.signature is not None and preview.signature.revocation == "checked"
    assert "chưa kiểm tra thu hồi" not in "\n".join(preview.head())


# -- unsigned editions --------------------------------------------------------------------------


def test_an_unsigned_edition_still_installs_by_its_verification_code(agency: App) -> None:
    preview = install(agency, _edition())
    head = "\n".join(preview.head())
    assert "Tệp chưa được ký số. Mã xác thực:" in head and "gọi điện cho Sở để đối chiếu" in head
    assert agency.store.edition_signatures() == {}


def test_after_a_signed_edition_an_unsigned_one_is_refused(agency: App, pki: Pki, so_keys: SoKeys) -> None:
    """The downgrade rule: once the edition in force was installed signed, an unsigned file could
    be anyone's, whatever its verification code says."""
    _trust(agency, pki)
    install(agency, sign_edition(_edition(), _so_signer(so_keys), agency.catalog).file)
    doc3 = edition2_doc()
    doc3["edition"].update(number=3, issued="2026-06-01")
    with pytest.raises(EditionRefused) as refused:
        install(agency, _edition(doc3), "Tệp “lan3.kdxdm”")
    assert refused.value.message == (
        "Tệp “lan3.kdxdm” chưa được ký số, nhưng lần ban hành 2 đang dùng đã được Sở ký số. Tệp chưa ký số có "
        "thể là tệp giả: không cài đặt. Hãy xin Sở gửi tệp danh mục đã ký số."
    )
    assert agency.catalog.edition.number == 2
    install(agency, sign_edition(_edition(doc3), _so_signer(so_keys), agency.catalog).file)
    assert agency.catalog.edition.number == 3


def test_an_edition_that_says_the_sở_signs_refuses_unsigned_successors(agency: App) -> None:
    """``signatures`` policy ``required`` for the Sở in the catalogue in force (here installed
    unsigned, by its code): the next edition must be signed."""
    doc = edition2_doc()
    doc["signatures"]["organisations"] = {"STTTT": "required"}
    install(agency, _edition(doc))
    doc3 = copy.deepcopy(doc)
    doc3["edition"].update(number=3, issued="2026-06-01")
    with pytest.raises(EditionRefused, match="danh mục đang dùng quy định Sở ký số danh mục"):
        install(agency, _edition(doc3))
    assert agency.catalog.edition.number == 2


def test_the_sở_is_not_let_write_an_unsigned_file_agencies_would_refuse(
    capsys: pytest.CaptureFixture[str], pki: Pki, so_keys: SoKeys, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    so_dir = tmp_path / "so"
    so_dir.mkdir()
    so = open_app(so_dir)
    try:
        _trust(so, pki)
        install(so, sign_edition(_edition(), _so_signer(so_keys), so.catalog).file)
    finally:
        so.close()
    xlsx = tmp_path / "dm.xlsx"
    assert run(capsys, "--data-dir", str(so_dir), "catalog", "export", "--xlsx", str(xlsx))[0] == 0
    wb = load_workbook(xlsx)
    wb["Lần ban hành"]["B2"] = 3
    wb.save(xlsx)
    out = tmp_path / "lan3.kdxdm"
    code, _t, err = run(capsys, "--data-dir", str(so_dir), "catalog", "build", str(xlsx), "--out", str(out))
    assert code == 2 and not out.exists()
    assert (
        "Không ghi tệp chưa ký số: lần ban hành 2 đang dùng đã được Sở ký số, nên các đơn vị sẽ từ chối tệp "
        "chưa ký. Hãy ký bằng --pkcs11 hoặc --p12."
    ) in err
