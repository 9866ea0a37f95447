"""Session fixtures for the signing tests: a test CA, officers, a .p12, a SoftHSM2 token and an
honestly exported package (a pytest plugin of tests/conftest.py; what they need is imported when
a test first uses them)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # loaded by the fixtures, so sessions without signing tests never import them
    from tests.signing_pki import Identity


@dataclass(frozen=True)
class Pki:
    ca: Identity
    officer: Identity
    p12: Path
    module: Path  # the SoftHSM2 PKCS#11 module, with the officer's key on token KDX-THU
    folder: Path


@dataclass(frozen=True)
class Exported:
    package: Path  # BaoCao_BQN_2025_lan1.zip
    folder: Path  # the agency's data folder (a copy of the demo)
    package_r2: Path  # BaoCao_BQN_2025_lan2.zip: reopened and exported again


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    from kdx_desktop.signing.keys import quiet_import
    from tests.signing_pki import init_softhsm, make_ca, make_officer, make_token, write_p12

    quiet_import()
    folder = tmp_path_factory.mktemp("pki")
    ca = make_ca()
    officer = make_officer(ca)
    init_softhsm(folder)
    module = make_token(folder, officer, ca=ca)
    return Pki(ca, officer, write_p12(folder / "can-bo.p12", officer, ca), module, folder)


@pytest.fixture(scope="session")
def exported(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    from kdx_desktop.services.exporting import export_report
    from kdx_desktop.services.reporting import open_app, reopen

    work = tmp_path_factory.mktemp("agency")
    shutil.copytree(demo_dir, work / "data")
    app = open_app(work / "data")
    try:
        package = export_report(app, "BKT", 2025, work / "out").package
        reopen(app, "BKT", 2025, "Bổ sung theo góp ý của Sở")
        package_r2 = export_report(app, "BKT", 2025, work / "out2").package
    finally:
        app.close()
    return Exported(package, work / "data", package_r2)


def fresh_copy(src: Path, folder: Path) -> Path:
    """``src`` copied into ``folder`` (created), so each test signs its own file."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(src, folder / src.name))
