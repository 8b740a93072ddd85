"""``python -m cdkg`` is the same as the ``cdkg`` command."""

import sys

from cdkg.cli import main

sys.exit(main())
