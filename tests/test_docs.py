"""The README's commands are the ones CI runs, and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    first_screen = "\n".join(text.splitlines()[:40])
    return re.findall(r"```bash\n(.+?)\n```", first_screen)


def test_readme_first_screen_has_install_start_and_test_commands() -> None:
    cmds = readme_commands()
    assert any("pip install" in c and "main.py" in c for c in cmds)
    assert any("pip install" in c and "pytest" in c for c in cmds)


def test_ci_runs_the_readme_test_command() -> None:
    test_cmd = next(c for c in readme_commands() if "pytest" in c)
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()]
    assert test_cmd in ci
    # ... inside a virtual environment made for the run, so nothing left on the machine counts
    made, activated = ci.index('"$py" -m venv "$venv"'), ci.index('. "$venv/bin/activate"')
    assert made < activated < ci.index(test_cmd)


def test_every_command_is_in_the_readme() -> None:
    from kdx_desktop.cli import COMMANDS

    text = (ROOT / "README.md").read_text("utf-8")
    for name in COMMANDS:
        assert f"`{name}" in text, name


def test_the_readme_layout_names_every_package() -> None:
    """A newcomer reads the tree from the README: every package of kdx_desktop has its line."""
    text = (ROOT / "README.md").read_text("utf-8")
    layout = text[text.index("## Layout") :].split("```")[1]
    packages = sorted(p.parent.name for p in (ROOT / "kdx_desktop").glob("*/__init__.py"))
    assert len(packages) > 10
    assert [p for p in packages if f"kdx_desktop/{p}/" not in layout] == []
