"""Pin the Windows release's whole dependency set, with hashes: scripts/windows-requirements.txt.

    python scripts/lock_windows.py

Resolves pyproject.toml's runtime dependencies and the build extra for Windows x64 and the
release's Python (3.12) with pip's own resolver (``pip install --dry-run --report``, wheels only,
as the release installs them), on any machine. scripts/build_windows.ps1 installs exactly this
file with ``--require-hashes``, so a release never picks up an untested version of a
dependency's dependency. Run it again after changing a dependency; tests/test_packaging_docs.py
checks that the file still covers pyproject.toml's requirements.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "scripts" / "windows-requirements.txt"
PYTHON = "3.12"
PLATFORM = "win_amd64"


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    reqs = [*project["dependencies"], *project["optional-dependencies"]["build"]]
    from packaging.requirements import Requirement  # pip's and pytest's own dependency

    target = {"python_version": PYTHON, "python_full_version": f"{PYTHON}.0", "sys_platform": "win32",
              "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"}  # fmt: skip
    out = []
    for text in reqs:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate(target):
            req.marker = None
            out.append(str(req))
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [
            sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
            "--only-binary=:all:", "--platform", PLATFORM, "--python-version", PYTHON,
            "--implementation", "cp", "--target", str(Path(tmp) / "target"), "--report", str(report),
            *requirements(),
        ]  # fmt: skip
        subprocess.run(cmd, check=True)
        installed = json.loads(report.read_text("utf-8"))["install"]
    lines = [
        f"# The Windows release's whole dependency set (Python {PYTHON}, {PLATFORM}), made by",
        "# scripts/lock_windows.py from pyproject.toml; installed with --require-hashes by",
        "# scripts/build_windows.ps1. Do not edit by hand.",
    ]
    for item in sorted(installed, key=lambda i: i["metadata"]["name"].lower()):
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        digest = item["download_info"]["archive_info"]["hashes"]["sha256"]
        lines.append(f"{name}=={version} \\\n    --hash=sha256:{digest}")
    LOCK.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{LOCK.relative_to(ROOT)}: {len(installed)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
