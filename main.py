"""KDX: ``python main.py`` opens the window; ``python main.py COMMAND …`` runs the command line."""

import sys

from kdx_desktop.launcher import launch

if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
