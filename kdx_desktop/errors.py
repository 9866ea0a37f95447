"""The one kind of error KDX shows a person: :class:`KdxError`.

Every refusal or failure that reaches the window or the command line derives from it and carries
its Vietnamese ``message`` (what and where; nothing was changed unless it says so) and, when one
line is not enough, ``problems`` (one Vietnamese line each, e.g. every rule that blocks an export).
The window shows ``message`` with ``problems`` as details; the command line prints ``str()``,
which is both. Each subclass keeps its older standard base too (``ValueError``, ``OSError`` …), so
code that caught those still does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar


class KdxError(Exception):
    """A refusal or failure with its Vietnamese message (see the module docstring)."""

    # True when the request itself is at fault (a bad value, an unknown code, a locked report), as
    # opposed to the thing checked or the machine: the command line exits 2 instead of 1.
    usage: ClassVar[bool] = False

    def __init__(self, message: str, *, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"- {p}" for p in self.problems)])
