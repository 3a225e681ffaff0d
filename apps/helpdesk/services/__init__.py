"""Help desk commands (writes). Import from here: `from apps.helpdesk import services`."""

from .acting import *  # noqa: F403
from .claims import *  # noqa: F403
from .family import *  # noqa: F403
from .lookups import *  # noqa: F403
from .mandates import *  # noqa: F403
from .printing import *  # noqa: F403
from .residents import *  # noqa: F403
