"""The hostile corpus: every broken, forged or malicious package is refused with its own
Vietnamese reason, the database is unchanged and nothing is written outside the data folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hostile.make_corpus import make_corpus
from hostile.packages import dump, export_demo

from kdx_desktop.package.safe_zip import IntakeRejected, Limits, read_package, strict_json
from kdx_desktop.services.intake import import_bytes, import_paths
from kdx_desktop.services.reporting import open_app

VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def corpus(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[bytes], list]:  # type: ignore[type-arg]
    work = tmp_path_factory.mktemp("corpus")
    pkgs = export_demo(demo_dir, work, years=(2025,))
    return make_corpus(pkgs[("TCVN", 2025)].read_bytes())  # a report with justified warnings


def test_corpus_is_large_and_varied(corpus: tuple[list[bytes], list]) -> None:  # type: ignore[type-arg]
    _, cases = corpus
    assert len(cases) >= 60
    assert len({c.name for c in cases}) == len(cases)
    assert len({code for c in cases for code in c.codes}) >= 40  # distinct kinds of refusal


def test_every_hostile_package_is_refused_and_changes_nothing(
    corpus: tuple[list[bytes], list],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    setup, cases = corpus
    data_dir = tmp_path / "so"
    data_dir.mkdir()
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # a path-traversal write would land next to here
    app = open_app(data_dir)
    try:
        for i, raw in enumerate(setup):
            assert import_bytes(app, raw, f"setup-{i}.zip").kind == "imported"
        files = []
        for n, c in enumerate(cases, start=1):
            p = inbox / f"{n:03d}-{c.name}.zip"
            p.write_bytes(c.raw)
            files.append(p)
        outside_before = {"inbox": _tree(inbox), "root": sorted(os.listdir(tmp_path)), "cwd": _tree(cwd)}
        data_before = sorted(os.listdir(data_dir))
        messages = {}
        for c, path in zip(cases, files, strict=True):
            before = dump(app)
            out = import_paths(app, [path])[0]
            assert out.refused, f"{c.name}: not refused ({out.message})"
            assert out.code in c.codes, f"{c.name}: {out.code} ({out.message})"
            assert "\n" not in out.message and out.message.startswith(("từ chối: ", "cũ hơn lần", "xung đột"))
            assert VIETNAMESE.search(out.message), out.message
            after = dump(app)
            if out.code == "revision.conflict":
                # The only change a conflict makes: the received revision is flagged (and audited).
                changed = set(after.splitlines()) ^ set(before.splitlines())
                assert changed and all(
                    ln.startswith(
                        (
                            'INSERT INTO "audit"',
                            'INSERT INTO "received_packages"',
                            'INSERT INTO "sqlite_sequence"',
                        )
                    )
                    for ln in changed
                ), changed
            else:
                assert after == before, f"{c.name}: database changed"
            messages[c.name] = out.message
        # Specific reasons, not one generic refusal.
        assert len(set(messages.values())) >= 0.8 * len(cases)
        assert outside_before == {
            "inbox": _tree(inbox),
            "root": sorted(os.listdir(tmp_path)),
            "cwd": _tree(cwd),
        }
        # Inside the data folder only the database and the safety copies before each import batch.
        assert set(os.listdir(data_dir)) - set(data_before) <= {"backups"}
        assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()
    finally:
        app.close()


def test_dry_run_refuses_the_same_way(corpus: tuple[list[bytes], list], tmp_path: Path) -> None:  # type: ignore[type-arg]
    _, cases = corpus
    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    try:
        before = dump(app)
        for c in cases[:30]:
            out = import_bytes(app, c.raw, c.name, dry_run=True)
            assert out.refused and out.code in c.codes, c.name
        assert dump(app) == before
    finally:
        app.close()


def test_caps_are_measured_not_trusted(corpus: tuple[list[bytes], list]) -> None:  # type: ignore[type-arg]
    setup, _ = corpus
    honest = setup[0]
    read_package(honest)  # passes with the default caps
    for limits, code in (
        (Limits(max_package_bytes=1000), "zip.too_large"),
        (Limits(max_total_bytes=2000), "zip.total_too_large"),
        (Limits(max_member_bytes=2000), "manifest.files"),  # the manifest itself announces too much
        (Limits(max_data_bytes=2000), "zip.member_too_large"),  # counted while decompressing
        (Limits(max_members=2), "zip.too_many"),
    ):
        with pytest.raises(IntakeRejected) as err:
            read_package(honest, limits)
        assert err.value.code == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"a":1,"a":2}', "json.duplicate_key"),
        (b'{"a":NaN}', "json.nan"),
        (b'{"a":Infinity}', "json.nan"),
        (b'{"a":1e999}', "json.huge_number"),
        (b'{"a":' + b"[" * 100 + b"]" * 100 + b"}", "json.depth"),
        (b'{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', None),  # brackets inside a string are not nesting
        (b'{"a": 1}', "json.not_canonical"),
        (b'{"a":"e\\u0301"}', "json.not_canonical"),  # not NFC
    ],
)
def test_strict_json(raw: bytes, code: str | None) -> None:
    if code is None:
        assert strict_json(raw, "x", max_bytes=1000) == {"a": "[" * 28}
        return
    with pytest.raises(IntakeRejected) as err:
        strict_json(raw, "x", max_bytes=1000)
    assert err.value.code == code
