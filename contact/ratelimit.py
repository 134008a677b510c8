"""A per-client limit on contact form submissions, counted in the cache.

The cache is Redis in production, so the count holds across gunicorn workers (with the local
memory cache each worker counts on its own). A cache outage lets submissions through rather
than turning patients away: the limit is a brake on floods, not a lock.

Who is "the client": see clinic_site/client_ip.py (the same answer the staff sign-in lockout
uses; ``CLIENT_IP_HEADER`` behind a proxy). Addresses are hashed before they go into cache keys.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from clinic_site.client_ip import client_ip

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(value):
    """ "5/10m" -> Rate(5, 600): five in ten minutes."""
    match = RATE_PATTERN.match(str(value))
    if not match:
        raise ValueError(f"CONTACT_RATE_LIMIT must look like '5/10m', not {value!r}")
    count, amount, unit = match.groups()
    return Rate(int(count), int(amount or 1) * UNITS[unit])


def cache_key(request):
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:{client_ip(request) or 'unknown'}".encode()
    ).hexdigest()[:32]
    return f"contact:rate:{digest}"


def is_limited(request):
    """True when this client has used up its submissions for the current window."""
    rate = parse_rate(settings.CONTACT_RATE_LIMIT)
    return (cache.get(cache_key(request)) or 0) >= rate.limit


def count_submission(request):
    """Counts one submission (accepted, or refused as spam) against the client's limit."""
    rate = parse_rate(settings.CONTACT_RATE_LIMIT)
    key = cache_key(request)
    # add() starts the window only if none is running; incr() is atomic in Redis.
    cache.add(key, 0, timeout=rate.seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr(), or the cache is down
        cache.add(key, 1, timeout=rate.seconds)
