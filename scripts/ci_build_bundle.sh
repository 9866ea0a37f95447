#!/usr/bin/env bash
# CI: build the Linux one-folder bundle with pyinstaller.spec and prove it (called by .ci/run).
#
#   scripts/ci_build_bundle.sh
#
# Checks, failing the job on any of them:
#   * the spec builds (PyInstaller, onedir, two programs KDX + kdx-cli sharing one _internal/);
#   * the bundle holds both programs, every file under resources/, the user guide and its pictures,
#     the Qt platform plugins; and none of pytest/mypy/ruff/numpy/yaml/PyInstaller;
#   * the frozen `kdx-cli selftest` passes every step (catalogue, database, sample data, validation,
#     export with PDF text/fonts, workbook, package, main window offscreen with a screenshot);
#   * portable mode: a portable.txt beside the program puts the data in KDX-data beside it;
#   * the frozen window program starts (offscreen) without dying.
# Then it reports the bundle size and the frozen/source start-up ratios (a figure over budget is
# reported, never a failure; a program that cannot run is).
# Builds into the checkout's dist/KDX (work files in build/, both ignored by git), where
# benchmarks/run.py also looks for it; about 1-2 minutes in all.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
export QT_QPA_PLATFORM=offscreen

# PyInstaller reads Linux binaries with ldd and objdump (binutils): present on most images, not all.
if ! command -v objdump >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y -q --no-install-recommends binutils >/dev/null
fi
"$PYTHON" -m pip install -q -e ".[build]"
PYTHON="$PYTHON" scripts/build_linux.sh
"$PYTHON" benchmarks/frozen_start.py --bundle dist/KDX --rounds 7
