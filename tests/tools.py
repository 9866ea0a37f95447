"""External programs the tests read documents with (poppler, zbar, LibreOffice).

A missing program is a failure, never a skip: a run without them has not checked what a reader sees.
``.ci/run`` installs them; on another machine install the packages the README lists.
"""

from __future__ import annotations

import shutil

import pytest


def need(*names: str) -> str:
    """The path of the first of *names* on PATH; fail the test, naming the package, if none is."""
    for name in names:
        path = shutil.which(name)
        if path is not None:
            return path
    pytest.fail(
        f"{' / '.join(names)} is not installed: install the system packages the README lists "
        "(poppler-utils, zbar-tools, libreoffice-calc-nogui)",
        pytrace=False,
    )
