"""Shared fixtures. Qt runs offscreen; tests that use ``qtbot`` are marked ``gui``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kdx_desktop.core.catalog import Catalog  # noqa: E402
from kdx_desktop.core.catalog_loader import load_catalog  # noqa: E402
from kdx_desktop.services.reporting import App, open_app  # noqa: E402
from kdx_desktop.store.repo import open_memory_store  # noqa: E402
from kdx_desktop.system import files  # noqa: E402
from tests import connection_tracker  # noqa: E402
from tests.windows_semantics import WindowsFiles  # noqa: E402

pytest_plugins = ("tests.signing_fixtures",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def discard_refused_text_on_close(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Closing a window with refused typed text asks what to do (a modal box that would wait
    forever offscreen): tests discard, as an officer answering "Bỏ" would, and may read the
    questions asked. Tests of the question itself replace this answer."""
    from kdx_desktop.gui import messages

    asked: list[list[str]] = []

    def answer(_parent: object, _what: str, fields: list[str]) -> bool:
        asked.append(fields)
        return True

    monkeypatch.setattr(messages, "ask_discard_unsaved", answer)
    return asked


@pytest.fixture(autouse=True)
def _own_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A command run without --data-dir uses a folder of the test's own, never the PC's real
    data folder (where a test would leave a database that a later KDX refuses to open)."""
    monkeypatch.setenv("KDX_DATA_DIR", str(tmp_path_factory.mktemp("kdx-data")))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def mem_app(catalog: Catalog) -> Iterator[App]:
    """An app on a fresh in-memory database, closed after the test."""
    with App(catalog, open_memory_store(), None) as app:
        yield app


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def app(data_dir: Path) -> App:
    a = open_app(data_dir)
    yield a
    a.close()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo data (built once; copy it before changing it)."""
    from kdx_desktop.services.demo import fill_demo

    d = tmp_path_factory.mktemp("demo")
    a = open_app(d)
    fill_demo(a, current_year=2026)
    a.close()
    return d


@pytest.fixture
def agency(demo_dir: Path, tmp_path: Path) -> Iterator[App]:
    """The demo data on Báo Kon Tum's PC (this organisation chosen): 2023-2025 complete, a 2026
    draft. A test module that needs another agency PC defines its own ``agency``."""
    import shutil

    d = tmp_path / "agency"
    shutil.copytree(demo_dir, d)
    a = open_app(d)
    a.store.set_setting("this_org", "BKT", user="test")
    yield a
    a.close()


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> Iterator[WindowsFiles]:
    """Files behave as on Windows (tests/windows_semantics.py): hold one open, lock one briefly."""
    sim = WindowsFiles()
    for name in ("replace", "unlink", "rmtree", "sleep"):
        monkeypatch.setattr(files.ops, name, getattr(sim, name))
    yield sim


@pytest.fixture(autouse=True)
def _windows_semantics_run(request: pytest.FixtureRequest) -> None:
    """``KDX_WINDOWS_SEMANTICS=1`` (a second pass in CI over the tests that write files): every
    file meets a brief lock at its first replace or removal, as an antivirus scan makes it."""
    if os.environ.get("KDX_WINDOWS_SEMANTICS") == "1":
        sim: WindowsFiles = request.getfixturevalue("windows")
        sim.scanner = True


@pytest.fixture(autouse=True)
def _no_connection_left_open() -> Iterator[None]:
    """Fails the test during which a SQLite connection was dropped without close()
    (tests/connection_tracker.py)."""
    yield
    leaks = connection_tracker.leaks_after_collection()
    if leaks:
        pytest.fail(
            f"{len(leaks)} SQLite connection(s) garbage-collected without close() (collected now, maybe "
            "left by an earlier test: see where each was opened):\n" + "\n".join(leaks),
            pytrace=False,
        )
