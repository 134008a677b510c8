"""A tiny HTTP client on http.client: raw bytes (no transparent decompression), manual cookies.

The benchmark needs to see exactly what the server sends (Content-Encoding, byte counts, status,
Location), so it does not use a client that decompresses or follows redirects on its own.
"""

import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Response:
    status: int
    headers: dict  # lower-cased names; Set-Cookie values are kept apart in `cookies`
    body: bytes
    seconds: float
    cookies: dict = field(default_factory=dict)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Site:
    """Where the server listens and how requests present themselves to it.

    Every request carries the public host name (DJANGO_ALLOWED_HOSTS) and X-Forwarded-Proto:
    https, the way the TLS-terminating proxy in front of production gunicorn would send them.
    """

    def __init__(self, port, host_header, scheme="https"):
        self.port = port
        self.host_header = host_header
        self.scheme = scheme

    @property
    def origin(self):
        return f"{self.scheme}://{self.host_header}"

    def base_headers(self):
        return {"Host": self.host_header, "X-Forwarded-Proto": self.scheme}

    def request(self, method, path, headers=None, body=None, cookies=None, timeout=60):
        all_headers = self.base_headers()
        all_headers.setdefault("Accept-Encoding", "identity")
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        all_headers.update(headers or {})
        if isinstance(body, dict):
            body = urllib.parse.urlencode(body, doseq=True).encode()
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            data = raw.read()
            seconds = time.perf_counter() - started
            new_cookies = {}
            for value in raw.headers.get_all("Set-Cookie") or []:
                pair = value.split(";", 1)[0]
                if "=" in pair:
                    name, _eq, val = pair.partition("=")
                    new_cookies[name.strip()] = val.strip()
            headers_out = {k.lower(): v for k, v in raw.getheaders() if k.lower() != "set-cookie"}
            return Response(raw.status, headers_out, data, seconds, new_cookies)
        finally:
            conn.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)


def path_of(url):
    """The path (and query) of a URL that may be absolute or relative to the site root."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))


class AssetParser(HTMLParser):
    """What a browser fetches after the HTML: stylesheets, icons, scripts, images, preloads."""

    LINK_RELS = {
        "stylesheet",
        "icon",
        "shortcut",
        "apple-touch-icon",
        "preload",
        "modulepreload",
        "manifest",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.assets = []  # (kind, url)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            rels = set((a.get("rel") or "").lower().split())
            if rels & self.LINK_RELS:
                kind = "stylesheet" if "stylesheet" in rels else sorted(rels & self.LINK_RELS)[0]
                if a.get("media") and kind == "stylesheet":
                    kind += f" (media={a['media']})"
                self.assets.append((kind, a["href"]))
        elif tag == "script" and a.get("src"):
            self.assets.append(("script", a["src"]))
        elif tag in ("img", "source", "video", "audio", "input") and (a.get("src")):
            if tag != "input" or (a.get("type") or "").lower() == "image":
                self.assets.append((tag, a["src"]))
        if tag in ("img", "source") and a.get("srcset"):
            # A browser picks one candidate; count the first (a lower bound).
            first = a["srcset"].split(",")[0].strip().split(" ")[0]
            if first:
                self.assets.append((f"{tag} srcset", first))


class FormParser(HTMLParser):
    """The fields of every <form> on a page: inputs, selects (with options) and textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"attrs": a, "fields": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input":
            self._form["fields"].append({"tag": "input", **a})
        elif tag == "select":
            self._select = {"tag": "select", "options": [], **a}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "label": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "text": "", **a}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data
        if self._option is not None:
            self._option["label"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            if self._option is not None and self._option["value"] is None:
                self._option["value"] = self._option["label"].strip()
            self._option = None
        elif tag == "textarea":
            self._textarea = None
