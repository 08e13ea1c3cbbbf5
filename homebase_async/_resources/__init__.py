"""One small module per API resource."""

from .customers import Customers
from .jobs import Jobs
from .leads import Leads
from .messages import Messages

__all__ = ["Customers", "Jobs", "Leads", "Messages"]
