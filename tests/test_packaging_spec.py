"""The PyInstaller spec, read the way PyInstaller reads it: executed with recording stand-ins for
``Analysis``/``PYZ``/``EXE``/``COLLECT``, so every assertion is about what a build would be given."""

from __future__ import annotations

import ast
import re
import struct
import sys
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "pyinstaller.spec"


class Recorder:
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]

    def __init__(self) -> None:
        self.calls = []

    def make(self, kind: str) -> Any:
        recorder = self

        class Stub:
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                recorder.calls.append((kind, args, kwargs))
                self.args, self.kwargs = args, kwargs
                self.pure, self.scripts, self.zipped_data = [], [], []
                self.binaries = [
                    ("PySide6/Qt/lib/libQt6Core.so.6", "/x", "BINARY"),
                    ("opengl32sw.dll", "/y", "BINARY"),
                ]
                self.datas = [
                    *kwargs.get("datas", []),
                    ("PySide6/Qt/translations/qtbase_de.qm", "/z", "DATA"),
                ]

        return Stub

    def of(self, kind: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        return [(a, k) for name, a, k in self.calls if name == kind]


@pytest.fixture(scope="module")
def spec() -> tuple[Recorder, dict[str, Any]]:
    rec = Recorder()
    namespace: dict[str, Any] = {
        "SPECPATH": str(ROOT),
        "Analysis": rec.make("Analysis"),
        "PYZ": rec.make("PYZ"),
        "EXE": rec.make("EXE"),
        "COLLECT": rec.make("COLLECT"),
        "__file__": str(SPEC),
    }
    saved = list(sys.path)
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.path[:] = saved
    return rec, namespace


def test_two_programs_one_folder(spec: tuple[Recorder, dict[str, Any]]) -> None:
    rec, _ = spec
    exes = {k["name"]: k for _a, k in rec.of("EXE")}
    assert set(exes) == {"KDX", "kdx-cli"}
    assert exes["KDX"]["console"] is False  # the window: no console box behind it on Windows
    assert exes["kdx-cli"]["console"] is True
    for k in exes.values():
        assert k["exclude_binaries"] is True  # onedir: libraries live in the shared folder, not in the exe
        assert k["upx"] is False
        assert k["icon"] and k["icon"].endswith("kdx.ico")
    (collect,) = rec.of("COLLECT")
    assert collect[1]["name"] == "KDX" and collect[1]["upx"] is False
    for _a, k in rec.of("Analysis"):
        assert k["noarchive"] is True  # measured faster start (see the spec)
    scripts = sorted(Path(a[0][0]).relative_to(ROOT).as_posix() for a, _k in rec.of("Analysis"))
    assert scripts == ["kdx_desktop/entry_cli.py", "main.py"]


def test_every_resource_and_the_guide_are_datas(spec: tuple[Recorder, dict[str, Any]]) -> None:
    rec, _ = spec
    (_args, kwargs), *_ = rec.of("Analysis")
    datas = {
        (Path(src).relative_to(ROOT).as_posix(), dest.replace("\\", "/")) for src, dest in kwargs["datas"]
    }
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file():
            rel = path.relative_to(ROOT)
            assert (rel.as_posix(), rel.parent.as_posix()) in datas, f"{rel} is not bundled"
    names = {src for src, _dest in datas}
    assert "resources/catalog/kdx-catalog.json" in names
    assert "resources/icons/kdx.ico" in names and "resources/icons/kdx.png" in names
    assert any(n.startswith("resources/fonts/") and n.endswith(".ttf") for n in names)
    guide = ROOT / "docs" / "huong-dan-su-dung.md"
    if guide.exists():
        assert "docs/huong-dan-su-dung.md" in names
    # Source code, tests and development files are not data.
    assert not any(n.startswith(("tests/", "kdx_desktop/", "scripts/")) for n in names)


def test_hidden_imports_cover_dynamic_imports(spec: tuple[Recorder, dict[str, Any]]) -> None:
    rec, _ = spec
    for _args, kwargs in rec.of("Analysis"):
        hidden = set(kwargs["hiddenimports"])
        # reportlab's QR code widget loads its types dynamically (TOOLING.md).
        assert "reportlab.graphics.barcode.qr" in hidden
        assert "reportlab.graphics.barcode.widgets" in hidden
        # the command line loads each command with importlib
        for mod in (ROOT / "kdx_desktop" / "commands").glob("*.py"):
            if mod.stem != "__init__":
                assert f"kdx_desktop.commands.{mod.stem}" in hidden
        assert "kdx_desktop.selftest.runner" in hidden


def _gui_qt_modules() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "kdx_desktop" / "gui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("PySide6."):
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("PySide6."))
    return found


def test_excludes_test_tools_and_unused_qt_but_nothing_the_window_uses(
    spec: tuple[Recorder, dict[str, Any]],
) -> None:
    rec, _ = spec
    for _args, kwargs in rec.of("Analysis"):
        excludes = set(kwargs["excludes"])
        assert {"pytest", "_pytest", "mypy", "ruff", "pytestqt"} <= excludes
        assert {"PySide6.QtNetwork", "PySide6.QtQml", "PySide6.QtQuick"} <= excludes
        used = _gui_qt_modules()
        assert not (used & excludes), f"the window imports excluded Qt modules: {used & excludes}"
        assert not any("platform" in e.lower() or "plugins" in e.lower() for e in excludes)


def test_cuts_keep_platform_plugins(spec: tuple[Recorder, dict[str, Any]]) -> None:
    _rec, ns = spec
    cut = ns["without_unused"]
    toc = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/a", "BINARY"),
        ("PySide6\\plugins\\platforms\\qwindows.dll", "/b", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "/c", "BINARY"),
        ("PySide6/Qt/translations/qtbase_fr.qm", "/d", "DATA"),
        ("PySide6\\translations\\qtbase_de.qm", "/e", "DATA"),
        ("PySide6\\opengl32sw.dll", "/f", "BINARY"),
        ("resources/catalog/kdx-catalog.json", "/g", "DATA"),
    ]
    kept = [e[0] for e in cut(toc)]
    assert kept == [toc[0][0], toc[1][0], toc[2][0], toc[6][0]]


def test_version_resource_carries_the_app_version(
    spec: tuple[Recorder, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _rec, ns = spec
    if "pefile" not in sys.modules:
        # PyInstaller needs pefile only on Windows, to write the resource into the exe; building the
        # structure does not use it.
        try:
            import pefile  # noqa: F401
        except ImportError:
            monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
            monkeypatch.delitem(sys.modules, "PyInstaller.utils.win32.versioninfo", raising=False)
            import PyInstaller.compat

            monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    text = (ROOT / "kdx_desktop" / "__init__.py").read_text(encoding="utf-8")
    version = re.search(r'__version__ = "([^"]+)"', text)
    assert version is not None and ns["VERSION"] == version.group(1)
    for exe in ("KDX.exe", "kdx-cli.exe"):
        info = ns["version_resource"]("1.2.3", exe)
        rendered = str(info)
        assert "filevers=(1, 2, 3, 0)" in rendered
        assert "'ProductVersion', '1.2.3'" in rendered
        # each program names itself (kdx-cli.exe used to say it was KDX.exe)
        assert f"'OriginalFilename', '{exe}'" in rendered
        assert f"'InternalName', '{exe.removesuffix('.exe')}'" in rendered
        assert len(info.toRaw()) > 200  # serialises into a real VS_VERSIONINFO block


def test_icon_is_a_multi_size_windows_icon() -> None:
    raw = (ROOT / "resources" / "icons" / "kdx.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", raw[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    sizes = set()
    for i in range(count):
        w, _h, _c, _r, _planes, _bpp, length, offset = struct.unpack(
            "<BBBBHHII", raw[6 + 16 * i : 22 + 16 * i]
        )
        sizes.add(w or 256)
        assert raw[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(raw)
    assert {16, 32, 48, 256} <= sizes
    png = (ROOT / "resources" / "icons" / "kdx.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (256, 256)
