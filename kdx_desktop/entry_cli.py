"""Entry of the console program ``kdx-cli`` of the frozen build: the command line only.

Unlike ``main.py`` it never opens the window: without a command it prints the help. It imports
no Qt (``selftest`` loads the window itself, lazily, only to build it offscreen).
"""

from __future__ import annotations

import sys


def main() -> int:
    # Absolute import: PyInstaller runs this file as ``__main__``, outside its package.
    from kdx_desktop.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
