<#
.SYNOPSIS
    Build the KDX Windows release in one command: dist\KDX\ (KDX.exe + kdx-cli.exe) and its zip.

.DESCRIPTION
    On a Windows 10/11 x64 PC with Python 3.12 installed (python.org installer, "py" launcher):

        powershell -ExecutionPolicy Bypass -File scripts\build_windows.ps1

    Steps: a fresh virtual environment (.venv-build), the pinned versions below, PyInstaller with
    pyinstaller.spec (the same spec CI builds on Linux), then the bundle check: every needed file
    present, the frozen "kdx-cli selftest" passing (PDF, workbook, package, main window offscreen),
    portable mode, the window starting. Only then is the folder zipped as
    dist\KDX-<version>-windows-x64.zip. Any failure stops the script with a non-zero exit code.

    Versions known to work together (the combination built and self-tested for this release):
      Python 3.12.x (recommended; 3.12.1 or later)
      PySide6-Essentials 6.11.3, PyInstaller 6.22.3, reportlab 4.5.1, openpyxl 3.1.5,
      sqlite-utils 4.2.1, platformdirs 4.14.8.
    Python 3.11 also works, but only with PySide6 below 6.12: PySide6 6.12.0 on Python 3.11 leaks
    references to None and aborts the program (see ../shared/design/TOOLING.md and
    tests/test_qt_guard.py). Python 3.13 is not yet tested for the release.

.PARAMETER Python
    The Python launcher command for the interpreter to build with (default: "py -3.12").

.PARAMETER KeepVenv
    Reuse an existing .venv-build instead of recreating it (faster rebuilds).
#>
param(
    [string]$Python = "py -3.12",
    [switch]$KeepVenv
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

$Pins = @(
    "PySide6-Essentials==6.11.3",
    "pyinstaller==6.22.3",
    "reportlab==4.5.1",
    "openpyxl==3.1.5",
    "sqlite-utils==4.2.1",
    "platformdirs==4.14.8"
)

function Invoke-Step([string]$What, [scriptblock]$Action) {
    Write-Host "==> $What" -ForegroundColor Cyan
    & $Action
    if ($LASTEXITCODE -ne 0) {
        Write-Host "FAILED: $What (exit code $LASTEXITCODE)" -ForegroundColor Red
        exit $LASTEXITCODE
    }
}

# 1. The interpreter: must be 3.12.x (or 3.11 with PySide6 < 6.12, which the pins above respect).
$launcher, $launcherArgs = $Python.Split(" ", 2)
$version = & $launcher $launcherArgs -c "import sys; print('%d.%d.%d' % sys.version_info[:3])"
if ($LASTEXITCODE -ne 0) { Write-Host "Python not found: $Python" -ForegroundColor Red; exit 1 }
if ($version -notmatch '^3\.(11|12)\.') {
    Write-Host "Python ${version}: use 3.12.x (recommended) or 3.11.x." -ForegroundColor Red
    exit 1
}
Write-Host "Python $version"

# 2. A clean virtual environment with exactly the pinned versions.
$Venv = Join-Path $Root ".venv-build"
if ((Test-Path $Venv) -and -not $KeepVenv) { Remove-Item -Recurse -Force $Venv }
if (-not (Test-Path $Venv)) {
    Invoke-Step "virtual environment" { & $launcher $launcherArgs -m venv $Venv }
}
$Py = Join-Path $Venv "Scripts\python.exe"
Invoke-Step "pip upgrade" { & $Py -m pip install --quiet --upgrade pip }
Invoke-Step "dependencies" { & $Py -m pip install --quiet @Pins }

# 3. Build with the one spec (onedir: KDX.exe windowed, kdx-cli.exe console, shared _internal\).
if (Test-Path "dist\KDX") { Remove-Item -Recurse -Force "dist\KDX" }
Invoke-Step "PyInstaller" { & $Py -m PyInstaller --noconfirm --clean --log-level WARN pyinstaller.spec }

# 4. Prove it: files, frozen selftest (with a screenshot of the window), portable mode, window start.
Invoke-Step "bundle check and frozen selftest" {
    & $Py scripts\check_bundle.py dist\KDX --run --screenshot build\selftest-window.png --json build\bundle.json
}

# 5. The release zip.
$AppVersion = & $Py -c "import kdx_desktop; print(kdx_desktop.__version__)"
$Zip = "dist\KDX-$AppVersion-windows-x64.zip"
if (Test-Path $Zip) { Remove-Item -Force $Zip }
Compress-Archive -Path "dist\KDX" -DestinationPath $Zip -CompressionLevel Optimal
$SizeMb = [math]::Round((Get-ChildItem -Recurse -File "dist\KDX" | Measure-Object -Sum Length).Sum / 1MB, 1)
$ZipMb = [math]::Round((Get-Item $Zip).Length / 1MB, 1)
Write-Host "Release: $Zip ($ZipMb MB; folder $SizeMb MB). Frozen selftest passed." -ForegroundColor Green
