"""`python -m homebase_async.testing serve ...`: run the fake as a separate process."""

import sys

from ._cli import main

sys.exit(main())
