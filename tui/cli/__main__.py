"""`python -m tui.cli`."""

import sys

from tui.cli.parser import main

sys.exit(main())
