"""The production settings, with the static files collected somewhere of the benchmark's own.

Everything comes from clinic_site.settings, read from the same environment variables as in
production. Only two paths differ, so that a run never touches the checkout's staticfiles/ (other
people's collectstatic, a dev server) and can add one file of its own:

- STATIC_ROOT: a temporary directory (BENCH_STATIC_ROOT);
- STATICFILES_DIRS: plus BENCH_STATIC_EXTRA, which holds a byte-for-byte copy of the condition
  page, so the static file in the comparison is exactly as large as the page.
"""

import os

from clinic_site.settings import *  # noqa: F403
from clinic_site.settings import STATICFILES_DIRS

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
if os.environ.get("BENCH_STATIC_EXTRA"):
    STATICFILES_DIRS = [*STATICFILES_DIRS, os.environ["BENCH_STATIC_EXTRA"]]
