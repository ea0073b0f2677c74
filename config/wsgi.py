import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Each server process delivers queued mail from the start, mail left by a dead worker too.
from accounts.mail_worker import mail_worker_start  # noqa: E402

mail_worker_start()
