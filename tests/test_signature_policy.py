"""The Sở may require signatures (catalogue key "signatures"): an unsigned package is received but
"chưa ký số", not counted as submitted nor consolidated; the Sở signs its consolidated report."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.catalog_loader import parse_catalog
from kdx_desktop.core.catalog_specs import CatalogError
from kdx_desktop.paths import resource_path
from kdx_desktop.province.consolidate import consolidation
from kdx_desktop.services.intake import SIGNATURE_ADDED, consolidate, import_paths, status_board
from kdx_desktop.services.reporting import App, open_app
from kdx_desktop.signing.keys import load_p12
from kdx_desktop.signing.sign import sign_file
from tests.cli_helpers import run
from tests.signing_fixtures import Exported, Pki, fresh_copy
from tests.signing_pki import P12_PASSWORD
from tests.tools import need


def _catalogue(policies: dict[str, str], default: str = "accepted", version: str = "2026.99") -> Catalog:
    doc = json.loads(resource_path("catalog", "kdx-catalog.json").read_text("utf-8"))
    doc["signatures"] = {"default": default, "organisations": policies}
    doc["version"] = version  # a new edition: packages of the released one are still accepted
    doc["edition"]["number"] = 2  # (each under its own edition, which the Sở keeps)
    return parse_catalog(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def test_the_bundled_catalogue_accepts_both_paths_for_everyone(catalog: Catalog) -> None:
    assert {catalog.signature_policy(o.code) for o in catalog.organisations} == {"accepted"}


def test_a_bad_policy_is_a_catalogue_error() -> None:
    with pytest.raises(CatalogError, match="required, accepted, not_expected"):
        _catalogue({"BKT": "bat-buoc"})
    with pytest.raises(CatalogError, match="không có trong danh mục"):
        _catalogue({"KHONGCO": "required"})


@pytest.fixture
def strict_so(tmp_path: Path) -> App:
    (tmp_path / "so").mkdir()
    a = open_app(tmp_path / "so", _catalogue({"BKT": "required"}))
    yield a
    a.close()


def test_required_and_unsigned_is_received_but_not_submitted_until_signed(
    strict_so: App, pki: Pki, exported: Exported, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    so = strict_so
    (o,) = import_paths(so, [exported.package])
    assert o.kind == "imported"
    b = status_board(so, 2025)
    bkt = next(r for r in b.rows if r.org_code == "BKT")
    assert bkt.received and bkt.awaiting_signature and not bkt.submitted
    s = b.summary()
    assert (s["received"], s["awaiting_signature"]) == (0, 1)
    assert bkt.as_json()["signature"]["state"] == "none" and bkt.as_json()["submitted"] is False
    c = consolidation(so.catalog, so.store, 2025)
    assert [a.org.code for a in c.agencies] == [] and c.as_json()["awaiting_signature"] == ["BKT"]

    # The same report arrives signed by a trusted certificate: it joins the revision and counts.
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.ca.cert_pem)
    from kdx_desktop.province.signatures import add_to_trust

    add_to_trust(so.store, ca.read_bytes())
    src = fresh_copy(exported.package, tmp_path / "in")
    signed, _pdf, _r = sign_file(src, load_p12(pki.p12, P12_PASSWORD))
    src.unlink()
    (o,) = import_paths(so, [signed])
    assert o.kind == SIGNATURE_ADDED
    b = status_board(so, 2025)
    bkt = next(r for r in b.rows if r.org_code == "BKT")
    assert bkt.submitted and not bkt.awaiting_signature
    assert b.summary()["received"] == 1 and b.summary()["awaiting_signature"] == 0
    assert [a.org.code for a in consolidation(so.catalog, so.store, 2025).agencies] == ["BKT"]


def test_the_board_marks_chua_ky_so(strict_so: App, exported: Exported) -> None:
    from kdx_desktop.gui.intake_page import BOARD_HEADERS, board_cells

    import_paths(strict_so, [exported.package])
    b = status_board(strict_so, 2025)
    bkt = next(r for r in b.rows if r.org_code == "BKT")
    from kdx_desktop.signing.labels import signature_phrase

    assert signature_phrase(bkt.signature, bkt.signature_policy) == (
        "CHƯA KÝ SỐ (Sở yêu cầu ký số: chưa tính là đã nộp)"
    )
    cells = dict(zip(BOARD_HEADERS, board_cells(bkt), strict=True))
    assert cells["Chữ ký số"] == "CHƯA KÝ SỐ (chưa tính)"


def test_the_so_signs_its_consolidated_report_the_same_way(
    app: App, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.services.demo import fill_demo

    fill_demo(app, current_year=2026)
    out = tmp_path / "tong-hop"
    pdf = next(p for p in consolidate(app, 2025, out) if p.suffix == ".pdf")
    monkeypatch.setenv("KDX_PIN", P12_PASSWORD)
    code, text, err = run(capsys, "sign", str(pdf), "--p12", str(pki.p12), "--pin-env", "KDX_PIN")
    assert code == 0, err
    assert "Đã ký số" in text and "Nguyễn Văn An" in text
    signed = pdf.with_name(pdf.stem + "_ky-so.pdf")
    assert signed.is_file() and signed.read_bytes().startswith(pdf.read_bytes())
    res = subprocess.run([need("pdfsig"), str(signed)], capture_output=True, text=True, check=False)
    assert "Signature is Valid" in res.stdout and "Total document signed" in res.stdout
    assert "Signature Field Name: KDX-ChuKySo" in res.stdout  # in the Sở's own signature block
    # Signed once, not twice.
    code, _t, err = run(capsys, "sign", str(signed), "--p12", str(pki.p12), "--pin-env", "KDX_PIN")
    assert code == 1 and "đã được ký số" in err
