"""WSGI entry point for gunicorn and other WSGI servers."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fiat.settings")
application = get_wsgi_application()

# Import the URL configuration, and with it every view, while the process
# starts. Django does that on the first request otherwise, which then takes
# about half a second. Under gunicorn's --preload it happens once, before
# the workers are forked.
URL_PATTERNS = get_resolver().url_patterns

# Move the objects made so far (modules, classes, URL patterns) out of the
# garbage collector's reach, because they live as long as the process.
# Otherwise every full collection walks all of them, which took about 50 ms
# on a 2-core machine and stalls the request being served. Forked workers
# also keep sharing the memory of these objects with the master.
gc.freeze()
