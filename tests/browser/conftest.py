"""Shared fixtures for the browser tests: Playwright drives Chromium against the live test server.

What a test in tests/browser gets:

- Every test here is marked ``browser`` (``pytest -m "not browser"`` skips them).
- ``browser``/``page``/``new_context`` come from pytest-playwright, with Debian's Chromium
  (``CHROME_PATH`` overrides the path) and ``base_url`` set to the live server, so
  ``page.goto("/conditions/")`` works.
- Contexts bypass the site's Content-Security-Policy so that axe-core can be injected. To see
  the CSP enforced, create a context with ``new_context(bypass_csp=False)``.
- ``site``: the live server with the database as the data migrations seeded it (transactional,
  with serialized rollback, so the seeded rows are restored for every test). Use it instead of
  ``live_server`` whenever a page reads the database, which every page does.
- ``axe``: ``axe(page)`` returns axe-core's WCAG 2.2 A/AA violations on the current page;
  ``axe.check(page)`` asserts there are none, with a readable message.
- ``csp_context``: a context with the CSP enforced that records every violation (read them
  with ``csp.violations(page)``).
- ``request_log``: every request made by every context of the test. Any request that leaves the
  live server's host fails the test (at teardown; call ``request_log.assert_same_host()`` to fail
  earlier, at the step that caused it).
- ``sign_in``: ``sign_in(context, user)`` signs a context in to the admin as `user`. The one
  place browser tests sign staff in.
- ``axe.ours(page)``: axe's violations on an admin page, less those known to come from Django's
  own admin markup (ADMIN_FINDINGS).
- ``csp``: ``csp.watch(context)`` before opening pages, then ``csp.violations(page)``: what the
  enforced Content-Security-Policy blocked (use a context with ``bypass_csp=False``).

Example::

    def test_home_is_accessible(site, page, axe):
        page.goto("/")
        axe.check(page)
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import per_run
from tests.browser.viewports import WIDTHS

BROWSER_DIR = Path(__file__).resolve().parent
AXE_SOURCE = BROWSER_DIR.parent.parent / "node_modules" / "axe-core" / "axe.min.js"
ACTION_TIMEOUT_MS = 10_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder `browser`."""
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


# Chromium ------------------------------------------------------------------------------------


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Chromium's own interface, which no test sees: every window (Playwright opens one per context)
# preloads the address bar's suggestion popups, two pages of Chromium's own in renderer
# processes of their own. About a quarter of the CPU a new context costs.
UNSEEN_FEATURES = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_type, pytestconfig):
    """Debian's Chromium (no browser download here), quiet: no sandbox (containers), no GPU,
    no /dev/shm (small in containers), none of its own calls home, and none of its own
    interface that a test never sees (UNSEEN_FEATURES)."""
    executable = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    launch = {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}
    # Chromium keeps the last --disable-features it is given, and Playwright gives one of its
    # own: that one is replaced by one that adds ours. It is read from chrome://version, once
    # per run (tests/per_run.py).
    given = per_run.once(pytestconfig, "chromium-switches", lambda: _switches(browser_type, launch))
    playwrights = [arg for arg in given if arg.startswith("--disable-features=")]
    features = [arg.removeprefix("--disable-features=") for arg in playwrights]
    return {
        **launch,
        "ignore_default_args": playwrights,
        "args": [*CHROMIUM_ARGS, "--disable-features=" + ",".join([*features, *UNSEEN_FEATURES])],
    }


def _switches(browser_type, launch):
    """The command line Chromium is started with, as chrome://version shows it."""
    browser = browser_type.launch(**launch)
    try:
        page = browser.new_page()
        page.goto("chrome://version")
        return page.locator("#command_line").inner_text().split()
    finally:
        browser.close()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    """Relative URLs go to the live server; the CSP is bypassed so axe-core can be injected
    with page.evaluate (a strict CSP blocks it otherwise)."""
    return {**browser_context_args, "base_url": live_server.url, "bypass_csp": True}


@pytest.fixture
def new_context(browser, browser_context_args, request_log, _artifacts_recorder, request):
    """pytest-playwright's `new_context`, except that keyword arguments override the defaults
    (``new_context(bypass_csp=False)``, ``new_context(java_script_enabled=False)``) instead of
    clashing with them, and every context's requests go to `request_log`."""
    marker = next(request.node.iter_markers("browser_context_args"), None)
    defaults = {**browser_context_args, **(marker.kwargs if marker else {})}
    contexts = []

    def _new_context(**kwargs):
        context = browser.new_context(**{**defaults, **kwargs})
        # Pages here answer in milliseconds: fail in seconds, not Playwright's default 30.
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.on("request", request_log.record)
        original_close = context.close

        def _close(*args, **close_kwargs):
            contexts.remove(context)
            _artifacts_recorder.on_will_close_browser_context(context)
            original_close(*args, **close_kwargs)

        context.close = _close
        contexts.append(context)
        _artifacts_recorder.on_did_create_browser_context(context)
        return context

    yield _new_context
    for context in contexts.copy():
        context.close()


# The site ------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _seeded_snapshot(django_db_setup, django_db_blocker):
    """The database as `migrate` left it, serialized, for `site` to restore.

    Django keeps this snapshot on the connection object, and pytest-django makes it when it
    sets the test database up. But Django's connections are context-local (asgiref), and once
    Playwright's sync API runs, test code sees other connection objects, without the snapshot:
    when a plain database test ran first (as in the full suite), serialized rollback silently
    restored nothing and browser tests found an empty database. Taken here, before Playwright
    starts (session fixtures come first, autouse ones before the rest), it is still there."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    snapshot = getattr(connection, "_test_serialized_contents", None)
    if snapshot is None:  # nothing serialized it: the database is still as migrate left it
        with django_db_blocker.unblock():
            snapshot = connection.creation.serialize_db_to_string()
    return snapshot


@pytest.fixture
def site(
    live_server,
    transactional_db,
    django_db_serialized_rollback,
    _seeded_snapshot,
    django_db_blocker,
):
    """The live server's URL, with the seeded database.

    The live server runs in another thread, so it only sees committed rows: the test needs
    `transactional_db`, which empties every table after the test. Serialized rollback puts the
    rows the data migrations made (clinic details, articles) back before each test, so every
    test sees the site as `migrate` leaves it. Rows a test creates (with tests/factories.py)
    are gone after it."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    if not hasattr(connection, "_test_serialized_contents"):
        # Django's test setup found no snapshot on this context's connection (see
        # _seeded_snapshot) and restored nothing: do it now, and give the connection the
        # snapshot, so teardown's flush knows to leave the restoring to the next test.
        connection._test_serialized_contents = _seeded_snapshot
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(_seeded_snapshot)
    return live_server.url


# Requests ------------------------------------------------------------------------------------


class RequestLog:
    """Every URL the browser asked for during one test."""

    def __init__(self, origin):
        parts = urlsplit(origin)
        self.netloc = parts.netloc
        self.urls = []

    def record(self, request):
        self.urls.append(request.url)

    def offsite(self):
        """Requests to any other host (or port) than the live server's. data:, blob: and
        about: URLs never leave the browser."""
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).netloc != self.netloc
        ]

    def assert_same_host(self):
        offsite = self.offsite()
        assert not offsite, f"Requests left the test server ({self.netloc}):\n" + "\n".join(
            f"  {url}" for url in offsite
        )


@pytest.fixture
def request_log(live_server):
    """Records the requests of every context the test makes; fails the test if any left the
    live server's host (a font, script or analytics call from another host)."""
    log = RequestLog(live_server.url)
    yield log
    log.assert_same_host()


# Staff ---------------------------------------------------------------------------------------


@pytest.fixture
def sign_in(live_server):
    """``sign_in(context, user)``: the context's requests carry a session signed in as `user`
    (both factors, as tests.factories.sign_in leaves a session: no login form)."""
    from django.conf import settings
    from django.test import Client

    from tests.factories import sign_in as sign_in_client

    def _sign_in(context, user):
        client = sign_in_client(Client(), user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url}]
        )

    return _sign_in


# Content-Security-Policy ---------------------------------------------------------------------

# Runs before any page script (Playwright injects it outside the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
});
"""


class CspWatch:
    @staticmethod
    def watch(context):
        context.add_init_script(CSP_LISTENER)

    @staticmethod
    def violations(page):
        return page.evaluate("window.__cspViolations")


@pytest.fixture
def csp():
    return CspWatch()


@pytest.fixture
def csp_context(new_context):
    """A context that enforces the site's Content-Security-Policy (axe cannot run in it) and
    records every violation (read them with ``CspWatch.violations(page)``)."""
    context = new_context(bypass_csp=False)
    CspWatch.watch(context)
    return context


# axe-core ------------------------------------------------------------------------------------

# Found by axe in Django 5.2's own admin markup, not ours: (axe rule, text in the node's
# selector or HTML) -> where it comes from. Listed in the team's notes; not fixed here.
ADMIN_FINDINGS = {
    ("aria-prohibited-attr", "search-label-icon"): (
        "filter_horizontal's search icon: SelectFilter2.js puts aria-label on a plain <span>"
    ),
    ("link-in-text-block", ".breadcrumbs"): (
        "the admin's breadcrumb links are told apart from the text by colour only"
    ),
}


class Axe:
    """Runs axe-core (from node_modules) on a page, against WCAG 2.0-2.2 A and AA."""

    def __init__(self, source):
        self.source = source

    def load(self, page):
        """Puts axe-core into the page as it is now (once per page load)."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # page.evaluate (not add_script_tag) so it runs as the page's own script; the
            # context must bypass the CSP, as the default one does.
            page.evaluate(self.source)

    def __call__(self, page):
        """The violations on the page as it is now (a list of axe result dicts)."""
        self.load(page)
        # Only violations are read: axe then skips listing every node of the rules that
        # passed, were inapplicable or incomplete (it still runs every rule).
        return page.evaluate(
            """async (tags) => (await axe.run(document, {
                 runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
               })).violations""",
            AXE_TAGS,
        )

    @staticmethod
    def format(violations, where=""):
        lines = [f"{len(violations)} accessibility violation(s){' on ' + where if where else ''}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    {json.dumps(node['target'])}: {node['html'][:160]}")
        return "\n".join(lines)

    def check(self, page, where=""):
        """Asserts that axe-core finds no violation on the page."""
        violations = self(page)
        assert violations == [], self.format(violations, where or page.url)

    def check_widths(self, page, viewports=WIDTHS):
        """Asserts no violation at each width of `viewports`, on the page loaded once and
        resized (as a phone turned on its side), then gives the page its size back: a walk of
        every page at two widths loads and prepares each page once instead of twice."""
        size = page.viewport_size
        for viewport in viewports:
            page.set_viewport_size(viewport)
            self.check(page, f"{page.url} at {viewport['width']} px")
        page.set_viewport_size(size)

    def ours(self, page):
        """The violations on an admin page not known to come from Django's own admin markup."""
        left = []
        for violation in self(page):
            nodes = [
                node
                for node in violation["nodes"]
                if not any(
                    rule == violation["id"] and text in f"{node['target']} {node['html']}"
                    for rule, text in ADMIN_FINDINGS
                )
            ]
            if nodes:
                left.append({**violation, "nodes": nodes})
        return left


@pytest.fixture(scope="session")
def axe():
    if not AXE_SOURCE.is_file():
        pytest.fail(f"axe-core is missing ({AXE_SOURCE}): run `npm ci` first.")
    return Axe(AXE_SOURCE.read_text(encoding="utf-8"))
