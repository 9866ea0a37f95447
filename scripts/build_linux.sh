#!/usr/bin/env bash
# Build the Linux one-folder bundle (dist/KDX/) from pyinstaller.spec — the same spec as the Windows
# release — then prove it: every needed file present, the frozen `kdx-cli selftest` passing, portable
# mode working, the frozen window starting. Prints the bundle size. Exit non-zero on any failure.
#
#   scripts/build_linux.sh                 # builds into dist/KDX, work files in build/
#   DIST_DIR=/tmp/d WORK_DIR=/tmp/w scripts/build_linux.sh
#
# Needs the app's dependencies and PyInstaller: python -m pip install -e ".[build]"
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
DIST_DIR=${DIST_DIR:-dist}
WORK_DIR=${WORK_DIR:-build}
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST_DIR" --workpath "$WORK_DIR" pyinstaller.spec
echo "Built $DIST_DIR/KDX in $(( $(date +%s) - start )) s"

"$PYTHON" scripts/check_bundle.py "$DIST_DIR/KDX" --run \
    --screenshot "$WORK_DIR/selftest-window.png" --json "$WORK_DIR/bundle.json"
du -sh "$DIST_DIR/KDX"
