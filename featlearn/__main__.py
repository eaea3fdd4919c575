"""``python -m featlearn`` runs the command-line interface."""

import sys

from featlearn.cli import main

sys.exit(main())
