"""The client's address, read one way for everything that counts per client: the contact form's
rate limit and the staff sign-in lockout.

``REMOTE_ADDR`` by default. Behind a reverse proxy every request comes from the proxy, so set
``CLIENT_IP_HEADER`` to the header the proxy writes with the real address, e.g.
``HTTP_X_REAL_IP`` (nginx ``proxy_set_header X-Real-IP $remote_addr``) or
``HTTP_X_FORWARDED_FOR`` (the last address in it is the one our proxy appended). Only name a
header the proxy always overwrites: a client can send any header it likes, and could then
choose its own address to dodge a limit, or someone else's to lock them out.

IPv6 clients are counted per /64 network, the block one household or phone usually holds (one
client can use any address in it), so the answer is that network's first address.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address as a string, or None when there is no valid one."""
    header = settings.CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[-1].strip() if value else request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)
