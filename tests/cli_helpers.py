"""Running the command line inside a test as a user would, with its exit status and output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kdx_desktop.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHOW = ("show", "--org", "BKT", "--year", "2025")  # a command that opens the data folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``kdx-cli ARGS…``: (exit status, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def cli_command(data_dir: Path, *args: str) -> list[str]:
    """``kdx-cli --data-dir DATA ARGS…`` started as a user starts it: a process of its own."""
    return [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir), *args]


def run_process(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """:func:`cli_command` run to its end: its exit status, stdout and stderr."""
    return subprocess.run(
        cli_command(data_dir, *args), capture_output=True, text=True, timeout=120, check=False
    )
