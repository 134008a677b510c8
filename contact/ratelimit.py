"""A per-client limit on contact form submissions, counted in the cache.

The cache is Redis in production, so the count holds across gunicorn workers (with the local
memory cache each worker counts on its own). A cache outage lets submissions through rather
than turning patients away: the limit is a brake on floods, not a lock.

Who is "the client": ``REMOTE_ADDR`` by default. Behind a reverse proxy every request comes from
the proxy, so set ``CONTACT_CLIENT_IP_HEADER`` to the header the proxy writes with the real
address, e.g. ``HTTP_X_REAL_IP`` (nginx ``proxy_set_header X-Real-IP $remote_addr``) or
``HTTP_X_FORWARDED_FOR`` (the last address in it is the one our proxy appended). Only name a
header the proxy always overwrites: a client can send any header it likes. IPv6 clients are
counted per /64 network, the block one household or phone usually holds. Addresses are hashed
before they go into cache keys.
"""

import hashlib
import ipaddress
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

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


def client_address(request):
    header = getattr(settings, "CONTACT_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[-1].strip() if value else request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return value[:64] or "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def cache_key(request):
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}:{client_address(request)}".encode()
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
