"""Complete listings: a small correctness core (`_core`) and one module per strategy."""

from ._core import After, check_answer
from ._handle import Listing
from ._jobs import iterate_jobs
from ._leads import iterate_leads

__all__ = ["After", "Listing", "check_answer", "iterate_jobs", "iterate_leads"]
