"""``python -m analysis.report.render``: see :mod:`analysis.report.render.cli`."""

import sys

from analysis.report.render.cli import main

sys.exit(main())
