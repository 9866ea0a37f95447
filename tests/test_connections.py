"""Every SQLite connection is closed: the detector in conftest.py catches one that is not."""

from __future__ import annotations

import sqlite3

from tests import connection_tracker


def test_a_connection_dropped_without_close_is_caught_with_where_it_was_opened() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("SELECT 1")
    del conn
    leaks = connection_tracker.leaks_after_collection()  # caught: this test's own leak must not fail it
    assert len(leaks) == 1 and "test_connections.py" in leaks[0]


def test_a_closed_connection_is_not_a_leak() -> None:
    conn = sqlite3.connect(":memory:")
    conn.close()
    del conn
    assert connection_tracker.leaks_after_collection() == []
