"""A per-client limit on contact form submissions that holds however many arrive at once.

Each submission that counts (accepted, or refused as spam) takes one from the client's window
with a single atomic step that also returns the new count; the submission goes ahead only if
that count is within the limit. Checking the count and then adding to it, as this module once
did, let twenty forms sent together through 8 workers be accepted 7 to 9 times against a limit
of 5: each read "4 so far" before any had added. A window starts at the client's first counted
submission and lasts the rate's period (`CONTACT_RATE_LIMIT`, "5/10m").

Where the count lives, so that it holds across every worker and instance:

- **Redis** (`REDIS_URL` set): the cache's `add` starts a window (SET NX with the period as its
  expiry) and `incr` counts (INCRBY, atomic, in django-redis's script that refuses a key
  that has expired). A Redis outage lets submissions through rather than turning patients
  away: the limit is a brake on floods, not a lock.
- **The database** otherwise (the embedded default, SQLite; or PostgreSQL without Redis): one
  `RateLimitCount` row per client, read and written inside one transaction that holds the row
  (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write lock, taken when the transaction
  starts, on SQLite), so processes count in turn. The local-memory cache is per process, so it
  is never used for counting.

django-ratelimit was weighed: it counts with the cache's atomic increment, so it needs Redis or
Memcached; with the database cache or the local-memory one it undercounts, as its documentation
warns. The site must hold its limit without Redis too, so the count is kept here.

Who is "the client": see clinic_site/core/client_ip.py (the same answer the staff sign-in lockout
uses; ``CLIENT_IP_HEADER`` behind a proxy). Addresses are hashed, with the secret key, before
they become keys.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic_site.core.client_ip import client_ip

from .models import RateLimitCount

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


def current_rate():
    return parse_rate(settings.CONTACT_RATE_LIMIT)


def client_key(request):
    """The client, as a keyed hash of its address (32 hex digits)."""
    return hashlib.sha256(
        f"{settings.SECRET_KEY}:{client_ip(request) or 'unknown'}".encode()
    ).hexdigest()[:32]


def cache_key(request):
    return f"contact:rate:{client_key(request)}"


def counts_in_redis():
    return bool(settings.REDIS_URL)


# Counting -----------------------------------------------------------------------------------


def count_in_cache(key, rate):
    """One more in the window under `key`; the new count, or None if the cache is out."""
    for _attempt in range(3):
        cache.add(key, 0, timeout=rate.seconds)  # starts a window only if none is running
        try:
            return cache.incr(key)  # None when the cache is out (IGNORE_EXCEPTIONS)
        except ValueError:
            continue  # the window ended between add() and incr(): start the next one
    return None


def count_in_database(key, rate):
    """One more in the window under `key`, counted in turn with every other process; the new
    count."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                now = timezone.now()
                row = RateLimitCount.objects.select_for_update().filter(key=key).first()
                if row is None:
                    # Two processes may both find none: the primary key lets one insert, and
                    # the other counts again on the row it made.
                    RateLimitCount.objects.create(key=key, window_started_at=now, count=1)
                    return 1
                if row.window_started_at <= now - timedelta(seconds=rate.seconds):
                    row.window_started_at, row.count = now, 1
                else:
                    row.count += 1
                row.save(update_fields=["window_started_at", "count"])
                return row.count
        except IntegrityError:
            continue
    raise IntegrityError("Could not count a contact form submission")


def take(request):
    """Counts one submission (accepted, or refused as spam) against the client's limit: True if
    it is within the limit, False if the client has used up its window."""
    rate = current_rate()
    if counts_in_redis():
        count = count_in_cache(cache_key(request), rate)
    else:
        count = count_in_database(client_key(request), rate)
    return count is None or count <= rate.limit


def is_limited(request):
    """True when this client has already used up its window: a read, so a client over the limit
    is answered at once, before its form is even checked. `take` decides the rest."""
    rate = current_rate()
    if counts_in_redis():
        return (cache.get(cache_key(request)) or 0) >= rate.limit
    since = timezone.now() - timedelta(seconds=rate.seconds)
    return RateLimitCount.objects.filter(
        key=client_key(request), window_started_at__gt=since, count__gte=rate.limit
    ).exists()


def purge(now=None):
    """Deletes the database's windows that have ended; how many."""
    since = (now or timezone.now()) - timedelta(seconds=current_rate().seconds)
    deleted, _by_model = RateLimitCount.objects.filter(window_started_at__lte=since).delete()
    return deleted
