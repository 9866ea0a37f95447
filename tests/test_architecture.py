"""The layering is checkable: layers import downwards only, no module cycle, only kdx_desktop/gui
imports PySide6, start-up stays light."""

from __future__ import annotations

import ast
import graphlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import kdx_desktop

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "kdx_desktop"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_only_gui_imports_pyside6() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in PKG.rglob("*.py")
        if "gui" not in p.relative_to(PKG).parts and "PySide6" in _imports(p)
    ]
    assert offenders == []


def test_core_uses_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"kdx_desktop"}
    for p in (PKG / "core").rglob("*.py"):
        assert _imports(p) <= allowed, p


def test_importing_everything_but_gui_loads_no_qt() -> None:
    names = [
        m.name
        for m in pkgutil.walk_packages(kdx_desktop.__path__, "kdx_desktop.")
        if ".gui" not in m.name and m.name != "kdx_desktop.__main__"
    ]
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "assert not bad, bad\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr


# The layers, lowest first. A module may import its own unit and any unit of a LOWER layer; units
# of the same layer do not import each other. A new top-level module or package must be placed
# here, or the test fails.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kdx_desktop.system",),  # where Windows behaves differently: files, console (stdlib only)
    ("kdx_desktop", "kdx_desktop.errors"),  # the version; the one error base for people
    ("kdx_desktop.paths", "kdx_desktop.fsutil"),  # where files live, safe writes
    ("kdx_desktop.core",),  # the domain: catalogue, values, computation, rules, a report
    ("kdx_desktop.store",),  # SQLite
    ("kdx_desktop.package", "kdx_desktop.documents"),  # the package format; how documents are printed
    ("kdx_desktop.signing",),  # electronic signatures of packages and documents (pyHanko)
    ("kdx_desktop.agency", "kdx_desktop.province", "kdx_desktop.safekeeping"),
    ("kdx_desktop.services",),  # use cases
    ("kdx_desktop.selftest",),
    ("kdx_desktop.commands",),
    ("kdx_desktop.cli",),
    ("kdx_desktop.gui",),
    ("kdx_desktop.launcher", "kdx_desktop.entry_cli"),  # the two executables' entry points
    ("kdx_desktop.__main__",),
)
LAYER_OF = {unit: n for n, units in enumerate(LAYERS) for unit in units}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PKG.rglob("*.py") if "forms" not in p.relative_to(PKG).parts}


def _kdx_imports(module: str, path: Path) -> set[str]:
    """Every KDX module ``module`` imports, anywhere in the file (top level, inside functions,
    under ``TYPE_CHECKING``), relative imports resolved; ``from pkg import mod`` counts as ``mod``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "kdx_desktop"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "kdx_desktop":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in MODULES else target)
    return {m for m in out if m != module}


GRAPH = {m: _kdx_imports(m, p) for m, p in MODULES.items()}


def _unit(module: str) -> str:
    """The layer unit a module belongs to: the longest listed name it is or lies under."""
    found = [u for u in LAYER_OF if module == u or (u != "kdx_desktop" and module.startswith(u + "."))]
    assert found, f"{module} belongs to no layer: add it to LAYERS in {Path(__file__).name}"
    return max(found, key=len)


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        _unit(module)


def _upward(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in graph.items():
        for target in targets:
            a, b = _unit(module), _unit(target)
            if a != b and LAYER_OF[b] >= LAYER_OF[a]:
                wrong.append(f"{module} -> {target}")
    return sorted(wrong)


def test_layers_import_downwards_only() -> None:
    assert _upward(GRAPH) == []


def test_no_import_cycle_between_modules() -> None:
    graphlib.TopologicalSorter(GRAPH).prepare()  # raises CycleError naming the cycle


def test_the_layer_checks_see_what_they_must() -> None:
    """The checks above read function-level and relative imports: shown on this very graph."""
    assert "kdx_desktop.province.consolidated_pdf" in GRAPH["kdx_desktop.province.consolidated_report"]
    assert "kdx_desktop.safekeeping.backups" in GRAPH["kdx_desktop.gui.backup_menu"]  # ``from .. import``
    assert _unit("kdx_desktop.province.importer") == "kdx_desktop.province"
    up = {**GRAPH, "kdx_desktop.province.status": {"kdx_desktop.services.reporting"}}
    assert set(_upward(up)) - set(_upward(GRAPH)) == {
        "kdx_desktop.province.status -> kdx_desktop.services.reporting"
    }
    sideways = {**GRAPH, "kdx_desktop.province.status": {"kdx_desktop.agency.eml"}}
    assert set(_upward(sideways)) - set(_upward(GRAPH)) == {
        "kdx_desktop.province.status -> kdx_desktop.agency.eml"
    }
    bad = {**GRAPH, "kdx_desktop.core.values": GRAPH["kdx_desktop.core.values"] | {"kdx_desktop.core.report"}}
    try:
        graphlib.TopologicalSorter(bad).prepare()
    except graphlib.CycleError:
        pass
    else:
        raise AssertionError("a cycle core.values -> core.report -> core.values was not found")
