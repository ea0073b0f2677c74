"""Log records anyone can cause at will (a forged Host header) as one warning line each, not a
traceback: they are noise to operators and cheap log flooding to an attacker."""

import logging


class OneLineWarning(logging.Filter):
    """Drop the traceback and lower the level; the message already says what was refused."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.levelno = logging.WARNING
        record.levelname = logging.getLevelName(logging.WARNING)
        return True
