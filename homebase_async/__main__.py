"""`python -m homebase_async`: the `homebase` command line."""

import sys

from .cli import main

sys.exit(main())
