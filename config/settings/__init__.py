"""Settings, read from the environment (and an optional .env), one module per concern."""

from config.settings.accounts import *  # noqa: F403
from config.settings.api import *  # noqa: F403
from config.settings.base import *  # noqa: F403
from config.settings.chatbot import *  # noqa: F403
from config.settings.checks import *  # noqa: F403
from config.settings.security import *  # noqa: F403
from config.settings.social import *  # noqa: F403
