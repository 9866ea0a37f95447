"""The Sở's intake boundary under a property-based fuzzer, and one outcome per file in a batch.

The fuzzer starts from an honest package, changes one place of its ``data.json`` or its
manifest (replace a value with any JSON value, delete a key, add one), reseals the hashes so the
change reaches the content checks, and imports it. Whatever the package holds: exactly one
outcome line for the file, no traceback, and for every refused file the database unchanged.

Budget: a fixed, small number of examples in the normal run (derandomised, so CI is
reproducible). A longer, random run on demand::

    KDX_FUZZ_EXAMPLES=5000 python -m pytest tests/test_intake_fuzz.py -q
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import run
from hostile.make_corpus import Base
from hostile.packages import export_demo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.services.intake import import_paths
from kdx_desktop.services.reporting import App
from kdx_desktop.store.repo import open_memory_store

EXAMPLES = int(os.environ.get("KDX_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(
    max_examples=EXAMPLES or 30,
    derandomize=not EXAMPLES,  # the normal run is the same every time
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_numbers = st.one_of(
    st.integers(),
    st.integers(min_value=10**27, max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e28, -1e300, 1e-320, 2**63, -(2**63) - 1, 0.1]),
)
_texts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "\ufffe", "\x00", "0001-01-01", "9999-12-31T23:59:59+07:00", "a" * 300]),
)
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), _numbers, _texts),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _mutate(tree: dict[str, Any], draw: st.DataObject) -> dict[str, Any]:
    """A copy of ``tree`` with one place changed. The place is reached by a walk from the root
    (each level picks a child, then may stop), so the few top-level fields are hit as often as
    the many values."""
    tree = copy.deepcopy(tree)
    parent: Any = tree
    while True:
        keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
        if not keys:
            break
        last = draw.draw(st.sampled_from(keys), label="key")
        child = parent[last]
        if not isinstance(child, dict | list) or not child or draw.draw(st.booleans(), label="stop"):
            break
        parent = child
    op = draw.draw(st.sampled_from(["replace", "delete", "add"]), label="op")
    if keys and op == "replace":
        parent[last] = draw.draw(JSON, label="value")
    elif keys and op == "delete":
        del parent[last]
    elif isinstance(parent, dict):
        parent[draw.draw(st.text(max_size=8), label="new key")] = draw.draw(JSON, label="value")
    else:
        parent.append(draw.draw(JSON, label="value"))
    return tree


@pytest.fixture(scope="module")
def base(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Base:
    pkgs = export_demo(demo_dir, tmp_path_factory.mktemp("fuzz-export"), years=(2025,))
    return Base(pkgs[("BKT", 2025)].read_bytes())


@pytest.fixture(scope="module")
def so(catalog: Catalog) -> App:
    """The Sở's database, in memory: the per-batch safety copy (tested elsewhere) would cost
    more than the import itself and leave the fuzzer a tenth of its examples."""
    a = App(catalog, open_memory_store(), None)
    yield a
    a.close()


def _one_line(outcome_line: str) -> None:
    assert "\n" not in outcome_line and "Traceback" not in outcome_line, outcome_line


@FUZZ
@given(data=st.data())
def test_fuzzed_data_json_gets_one_line_and_a_refusal_changes_nothing(
    data: st.DataObject, base: Base, so: App, tmp_path_factory: pytest.TempPathFactory
) -> None:
    mutated = _mutate(base.data, data)
    raw = base.pack(mutated)
    _check_one_file(so, raw, tmp_path_factory)


@FUZZ
@given(data=st.data())
def test_fuzzed_manifest_gets_one_line_and_a_refusal_changes_nothing(
    data: st.DataObject, base: Base, so: App, tmp_path_factory: pytest.TempPathFactory
) -> None:
    honest = base.manifest_for(base.members["data.json"], base.others(), None)
    mutated = _mutate(honest, data)
    raw = base.pack(patch=lambda m: (m.clear(), m.update(mutated)))
    _check_one_file(so, raw, tmp_path_factory)


def _check_one_file(so: App, raw: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "KDX_fuzz.zip"
    path.write_bytes(raw)
    # Every write goes through this connection: an unchanged count of changed rows means the
    # database is as before (a write rolled back still counts, so this is the stricter test).
    before = so.store.db.conn.total_changes
    out = import_paths(so, [path], dry_run=False)
    assert len(out) == 1 and out[0].file == str(path)
    _one_line(out[0].line)
    if out[0].refused:
        if out[0].code != "revision.conflict":  # the one refusal that flags the current revision
            assert so.store.db.conn.total_changes == before, out[0].line
    else:
        # An accepted mutation (a change the checks allow, e.g. to free text): undo it so the
        # next example starts from the same database.
        with so.store.transaction():
            so.store.db.execute("DELETE FROM received_packages")


def _patterns(node: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Every place in a JSON tree, generalised: list indices and the keys of the value maps
    become ``*``. Returns one concrete path per pattern (the first met)."""
    out: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def walk(n: Any, concrete: tuple[Any, ...], pattern: tuple[Any, ...]) -> None:
        items = n.items() if isinstance(n, dict) else enumerate(n) if isinstance(n, list) else ()
        for k, v in items:
            general = "*" if isinstance(n, list) or (pattern and len(n) > 12) else k
            out.setdefault((*pattern, general), (*concrete, k))
            walk(v, (*concrete, k), (*pattern, general))

    walk(node, path, ())
    return out


# Values of the wrong kind that once crashed the intake or could: an object, a huge number, a
# list, text where a number is expected.
NASTY: tuple[Any, ...] = ({"x": 1}, 1e28, [1], "1e999")


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for k in path:
        tree = tree[k]
    return tree


def _set(tree: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    tree = copy.deepcopy(tree)
    node: Any = tree
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    return tree


def test_every_place_of_data_json_with_every_nasty_value(
    base: Base, so: App, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The deterministic sweep that the random fuzzer cannot promise in a few seconds: every
    place of data.json (generalised), each with every value of :data:`NASTY`."""
    places = _patterns(base.data)
    assert len(places) >= 30
    for i, path in enumerate(places.values()):
        original = _get(base.data, path)
        numeric = isinstance(original, int | float) and not isinstance(original, bool)
        # An object everywhere; a number beyond the decimal range where a number was; one of
        # the other kinds in turn (all of them everywhere would cost too long for every run).
        for value in ({"x": 1}, *((1e28,) if numeric else ()), NASTY[2 + i % 2]):
            _check_one_file(so, base.pack(_set(base.data, path, value)), tmp_path_factory)


def _bad_code_object(d: dict[str, Any]) -> None:
    d["indicators"][0]["code"] = {"x": 1}


def _huge_decimal(base: Base) -> dict[str, Any]:
    d = copy.deepcopy(base.data)
    for code, v in d["values"].items():
        if isinstance(v, float):  # a decimal field
            d["values"][code] = 1e28
            return d
    raise AssertionError("no numeric value in the honest package")


def test_one_bad_file_does_not_stop_the_batch(
    base: Base, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: an object as an indicator code raised TypeError, a decimal of 1e28 raised
    decimal.InvalidOperation; the files before it were imported unreported, those after skipped."""
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    d = copy.deepcopy(base.data)
    _bad_code_object(d)
    (inbox / "1-ma-la-doi-tuong.zip").write_bytes(base.pack(d))
    (inbox / "2-so-qua-lon.zip").write_bytes(base.pack(_huge_decimal(base)))
    (inbox / "3-trung-thuc.zip").write_bytes(base.raw)
    data_dir = tmp_path / "so"
    code, out, err = run(capsys, "import", str(inbox), "--data-dir", str(data_dir))
    assert code == 1
    assert "Traceback" not in out + err
    lines = sorted(
        (ln for ln in (out + err).splitlines() if ".zip" in ln), key=lambda ln: ln.split("hop-thu")[1]
    )
    assert len(lines) == 3, out + err
    assert "1-ma-la-doi-tuong.zip: từ chối" in lines[0]
    assert "2-so-qua-lon.zip: từ chối" in lines[1]
    assert "3-trung-thuc.zip: đã nhập" in lines[2]
    code, out, _ = run(capsys, "import", str(inbox), "--data-dir", str(data_dir), "--json")
    results = json.loads(out)
    assert [r["result"] for r in results] == ["rejected", "rejected", "duplicate"]
