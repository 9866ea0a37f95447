"""``python -m kdx_desktop COMMAND …``: the command line (no Qt); no command opens the window."""

import sys

from .launcher import launch

sys.exit(launch(sys.argv[1:]))
