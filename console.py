"""``python console.py COMMAND``: the same console as the ``trackway`` command."""

import sys

from core.cli import main

if __name__ == "__main__":
    sys.exit(main())
