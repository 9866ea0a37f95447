<#
.SYNOPSIS
    Build the KDX Windows release in one command: dist\KDX\ (KDX.exe + kdx-cli.exe) and its zip.

.DESCRIPTION
    On a Windows 10/11 x64 PC with Python 3.12 installed (python.org installer, "py" launcher):

        powershell -ExecutionPolicy Bypass -File scripts\build_windows.ps1

    Steps: a fresh virtual environment (.venv-build), exactly the dependency set pinned with hashes
    in scripts\windows-requirements.txt (made by scripts/lock_windows.py from pyproject.toml; every
    dependency of a dependency is pinned too), PyInstaller with pyinstaller.spec (the same spec CI
    builds on Linux), then the bundle check: every needed file present, the frozen "kdx-cli
    selftest" passing (PDF, workbook, package, signing, main window offscreen), portable mode, the
    window starting. With -SignThumbprint, KDX.exe and kdx-cli.exe are then code-signed with the
    province's certificate (signtool, SHA-256, RFC 3161 timestamp) and the signatures verified.
    Only then is the folder zipped as dist\KDX-<version>-windows-x64.zip by scripts\release_zip.py
    (entries with "/", and no data left by a test run). Any failure stops the script with a
    non-zero exit code.

    Python 3.12.x (3.12.1 or later) is what the lock file is made for. Qt 6 runs on 64-bit
    Windows 10 1809 or later and Windows 11 only.

.PARAMETER Python
    The Python launcher command for the interpreter to build with (default: "py -3.12").

.PARAMETER KeepVenv
    Reuse an existing .venv-build instead of recreating it (faster rebuilds).

.PARAMETER SignThumbprint
    SHA-1 thumbprint of the code-signing certificate in the Windows certificate store (or on the
    token) to sign KDX.exe and kdx-cli.exe with. Off by default: without a certificate the release
    is unsigned and SmartScreen shows "Unknown publisher" (docs/WINDOWS.md says what to click).

.PARAMETER TimestampUrl
    RFC 3161 timestamp server of the certificate's provider (needed with -SignThumbprint, so the
    signature stays valid after the certificate expires).
#>
param(
    [string]$Python = "py -3.12",
    [switch]$KeepVenv,
    [string]$SignThumbprint = "",
    [string]$TimestampUrl = ""
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

$Lock = Join-Path $Root "scripts\windows-requirements.txt"

function Invoke-Step([string]$What, [scriptblock]$Action) {
    Write-Host "==> $What" -ForegroundColor Cyan
    & $Action
    if ($LASTEXITCODE -ne 0) {
        Write-Host "FAILED: $What (exit code $LASTEXITCODE)" -ForegroundColor Red
        exit $LASTEXITCODE
    }
}

# 1. The interpreter: 3.12.x, the version the lock file is made for.
$launcher, $launcherArgs = $Python.Split(" ", 2)
$version = & $launcher $launcherArgs -c "import sys; print('%d.%d.%d' % sys.version_info[:3])"
if ($LASTEXITCODE -ne 0) { Write-Host "Python not found: $Python" -ForegroundColor Red; exit 1 }
if ($version -notmatch '^3\.12\.') {
    Write-Host "Python ${version}: the release is built with Python 3.12.x (scripts\windows-requirements.txt is made for it)." -ForegroundColor Red
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
Invoke-Step "dependencies (pinned, with hashes)" { & $Py -m pip install --quiet --require-hashes --only-binary=:all: -r $Lock }

# 3. Build with the one spec (onedir: KDX.exe windowed, kdx-cli.exe console, shared _internal\).
if (Test-Path "dist\KDX") { Remove-Item -Recurse -Force "dist\KDX" }
Invoke-Step "PyInstaller" { & $Py -m PyInstaller --noconfirm --clean --log-level WARN pyinstaller.spec }

# 4. Prove it: files, frozen selftest (with a screenshot of the window), portable mode, window start.
Invoke-Step "bundle check and frozen selftest" {
    & $Py scripts\check_bundle.py dist\KDX --run --screenshot build\selftest-window.png --json build\bundle.json
}

# 5. Code signing, when the province's certificate is given (off by default).
if ($SignThumbprint) {
    if (-not $TimestampUrl) { Write-Host "-SignThumbprint needs -TimestampUrl" -ForegroundColor Red; exit 1 }
    $Exes = @("dist\KDX\KDX.exe", "dist\KDX\kdx-cli.exe")
    Invoke-Step "code signing" { & signtool sign /sha1 $SignThumbprint /fd SHA256 /tr $TimestampUrl /td SHA256 @Exes }
    Invoke-Step "signature check" { & signtool verify /pa /v @Exes }
}

# 6. The release zip ("/" in entry names; refused if a test run left data in the folder).
$AppVersion = & $Py -c "import kdx_desktop; print(kdx_desktop.__version__)"
$Zip = "dist\KDX-$AppVersion-windows-x64.zip"
if (Test-Path $Zip) { Remove-Item -Force $Zip }
Invoke-Step "release zip" { & $Py scripts\release_zip.py dist\KDX $Zip }
$SizeMb = [math]::Round((Get-ChildItem -Recurse -File "dist\KDX" | Measure-Object -Sum Length).Sum / 1MB, 1)
$ZipMb = [math]::Round((Get-Item $Zip).Length / 1MB, 1)
$Signed = if ($SignThumbprint) { "signed" } else { "NOT code-signed" }
Write-Host "Release: $Zip ($ZipMb MB; folder $SizeMb MB; $Signed). Frozen selftest passed." -ForegroundColor Green
