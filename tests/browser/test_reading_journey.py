"""A patient reads about cluneal nerve entrapment in a real browser: on a phone and a desktop,
with a keyboard, zoomed in, and with JavaScript off. Every page passes axe-core (WCAG 2.2 A/AA)
and nothing is fetched from another host (the `request_log` fixture checks every test)."""

import pytest

from conditions.models import Condition, Guide, Treatment
from tests.browser.viewports import EACH_WIDTH, PHONE
from tests.factories import ConditionFactory, TreatmentFactory

CLUNEAL_SLUG = "cluneal-nerve-entrapment"
JOURNEY = ["home", "conditions", "condition", "treatment"]
# Every page a reader can land on in this file (the urgent-help and 404 pages included).
ALL_PAGES = [*JOURNEY, "urgent", "not-found"]


@pytest.fixture
def cluneal(site):
    """The seeded article and one of its treatments.

    The article comes from a data migration; on a database without it, the test makes one with
    the same title and slug, so the journey is the same either way."""
    condition = Condition.objects.published().filter(slug=CLUNEAL_SLUG).first()
    if condition is None:
        condition = ConditionFactory(
            title="Cluneal nerve entrapment",
            slug=CLUNEAL_SLUG,
            summary="A trapped nerve near the top of the hip bone that causes low back pain.",
            overview="The cluneal nerves carry feeling from the skin of your buttocks.",
        )
    treatment = Treatment.objects.published().filter(conditions=condition).order_by("title").first()
    if treatment is None:
        treatment = TreatmentFactory(
            title="Cryoablation",
            slug="cryoablation",
            summary="A thin probe freezes the nerve so it stops sending pain signals.",
        )
        condition.treatments.add(treatment)
    return condition, treatment


@pytest.fixture
def paths(cluneal):
    condition, treatment = cluneal
    return {
        "home": "/",
        "conditions": "/conditions/",
        "condition": condition.get_absolute_url(),
        "treatment": treatment.get_absolute_url(),
        "urgent": "/urgent-help/",
        "not-found": "/conditions/no-such-condition/",
    }


def h1(page):
    return page.get_by_role("heading", level=1).inner_text()


def main_navigation(page):
    """The main links: in the header's bar on a wide screen, behind "Menu" on a phone."""
    menu = page.locator(".app-menu__button")
    if menu.is_visible():
        menu.click()
    return page.get_by_role("navigation", name="Main")


def treatments(page):
    """The condition page's list of its treatments."""
    return page.get_by_role("region", name="Read about each treatment")


# The journey ---------------------------------------------------------------------------------


@EACH_WIDTH
def test_reader_goes_from_home_to_a_treatment_and_back(
    new_context, cluneal, axe, request_log, viewport
):
    condition, treatment = cluneal
    page = new_context(viewport=viewport).new_page()

    page.goto("/")
    axe.check(page)

    main_navigation(page).get_by_role("link", name="Conditions", exact=True).click()
    page.wait_for_url("**/conditions/")
    assert h1(page) == "Conditions A to Z"
    axe.check(page)

    page.get_by_role("main").get_by_role("link", name=condition.title, exact=True).click()
    page.wait_for_url(f"**{condition.get_absolute_url()}")
    assert h1(page) == condition.title
    axe.check(page)

    treatments(page).get_by_role("link", name=treatment.title, exact=True).click()
    page.wait_for_url(f"**{treatment.get_absolute_url()}")
    assert h1(page) == treatment.title
    # The treatment page links back to the condition it treats.
    assert page.get_by_role("main").get_by_role("link", name=condition.title).count() >= 1
    axe.check(page)

    page.go_back()
    page.wait_for_url(f"**{condition.get_absolute_url()}")
    assert h1(page) == condition.title
    request_log.assert_same_host()


@pytest.mark.parametrize("name", ["urgent", "not-found"])
@EACH_WIDTH
def test_urgent_help_and_not_found_pages_pass_axe(new_context, paths, axe, viewport, name):
    page = new_context(viewport=viewport).new_page()
    response = page.goto(paths[name])
    assert response.status == (404 if name == "not-found" else 200)
    axe.check(page)


def test_journey_works_without_javascript(new_context, cluneal):
    condition, treatment = cluneal
    page = new_context(java_script_enabled=False).new_page()

    page.goto("/")
    page.get_by_role("link", name="Conditions", exact=True).first.click()
    page.wait_for_url("**/conditions/")
    page.get_by_role("link", name=condition.title, exact=True).first.click()
    page.wait_for_url(f"**{condition.get_absolute_url()}")
    # The table of contents is plain in-page links.
    page.get_by_role("navigation", name="On this page").get_by_role("link").first.click()
    treatments(page).get_by_role("link", name=treatment.title, exact=True).click()
    page.wait_for_url(f"**{treatment.get_absolute_url()}")
    assert h1(page) == treatment.title
    page.go_back()
    page.wait_for_url(f"**{condition.get_absolute_url()}*")
    assert h1(page) == condition.title


# Keyboard ------------------------------------------------------------------------------------

# What a keyboard can reach: links, and controls such as a <details> summary.
FOCUSABLE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, "
    "[tabindex]:not([tabindex='-1'])"
)
# Styles a browser can show focus with.
FOCUS_STYLE = [
    "background-color",
    "box-shadow",
    "outline-style",
    "outline-width",
    "color",
    "text-decoration-line",
    "border-color",
]
# Numbers every focusable element that is shown (not on the other width's header, not in a closed
# disclosure); returns each one's unfocused style and whether it is a link.
TAG_FOCUSABLE = """([selector, props]) => [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length).map((el, i) => {
  el.dataset.kbd = String(i);
  const style = getComputedStyle(el);
  return {isLink: el.matches('a[href]'), style: props.map((p) => style.getPropertyValue(p))};
})"""
FOCUSED = """(props) => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    kbd: el.dataset ? el.dataset.kbd ?? null : null,
    tag: el.tagName.toLowerCase(),
    id: el.id,
    html: el.outerHTML.slice(0, 120),
    style: props.map((p) => style.getPropertyValue(p)),
  };
}"""


@pytest.mark.parametrize("name", JOURNEY)
@EACH_WIDTH
def test_keyboard_alone_reaches_every_link_with_visible_focus(new_context, paths, viewport, name):
    """Tab from the top of the page: the skip link comes first and moves focus to <main>. Tab
    then visits every link on the page (the set of focused links equals the set of <a href>
    shown, with the phone's menu open), and everything that takes focus looks different focused
    from unfocused."""
    page = new_context(viewport=viewport).new_page()
    page.goto(paths[name])

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED, FOCUS_STYLE)
    assert "app-skip-link" in first["html"], f"First focusable element: {first['html']}"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"

    page.goto(paths[name])
    page.evaluate(
        "document.querySelectorAll('details.app-menu').forEach((m) => { m.open = true; })"
    )
    elements = page.evaluate(TAG_FOCUSABLE, [FOCUSABLE, FOCUS_STYLE])
    links = {str(i) for i, element in enumerate(elements) if element["isLink"]}
    reached, not_visible = [], []
    for _ in range(len(elements) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, FOCUS_STYLE)
        if focused["tag"] == "body" or focused["kbd"] in reached:
            break  # off the end of the page, or round again
        assert focused["kbd"] is not None, f"Focus reached an untagged element: {focused['html']}"
        reached.append(focused["kbd"])
        if focused["style"] == elements[int(focused["kbd"])]["style"]:
            not_visible.append(focused["html"])

    missed = links - set(reached)
    assert not missed, f"Tab never reached {len(missed)} of {len(links)} links: " + ", ".join(
        page.locator(f"[data-kbd='{kbd}']").evaluate("el => el.outerHTML.slice(0, 120)")
        for kbd in sorted(missed, key=int)
    )
    assert not_visible == [], "Focus is not visible on:\n" + "\n".join(not_visible)


# Tap targets ---------------------------------------------------------------------------------

TARGET_SIZES = """() => {
  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]'
  );
  return [...targets].map((el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    const ownText = el.textContent.replace(/\\s+/g, ' ').trim();
    const blockText = block ? block.textContent.replace(/\\s+/g, ' ').trim() : ownText;
    return {
      html: el.outerHTML.slice(0, 120),
      width: r.width,
      height: r.height,
      rendered: style.display !== 'none' && style.visibility !== 'hidden' && r.width > 1,
      inSentence: style.display.startsWith('inline') && blockText.length > ownText.length,
    };
  });
}"""


@pytest.mark.parametrize("name", ALL_PAGES)
def test_tap_targets_are_at_least_24px_on_a_phone(new_context, paths, name):
    """WCAG 2.2 SC 2.5.8 (Target Size, Minimum) at 390 px wide.

    Rule: every rendered link, button and form control is at least 24 x 24 CSS px, except
    links that sit in a sentence, which the criterion's "inline" exception allows (their size is
    set by the line height of the text around them). A link counts as in a sentence when it is
    displayed inline (or inline-block) and the nearest block around it holds text besides the
    link's own. Visually hidden elements (1 x 1 px) are not targets. The spacing exception is not
    used: stand-alone targets must be big enough on their own."""
    page = new_context(viewport=PHONE).new_page()
    page.goto(paths[name])
    targets = page.evaluate(TARGET_SIZES)

    too_small = [
        f"{t['width']:.0f}x{t['height']:.0f}: {t['html']}"
        for t in targets
        if t["rendered"] and not t["inSentence"] and (t["width"] < 24 or t["height"] < 24)
    ]
    assert too_small == [], "Tap targets under 24 x 24 px:\n" + "\n".join(too_small)


# Zoom ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_PAGES)
@pytest.mark.parametrize("width", [640, 320], ids=["1280-at-200pc", "1280-at-400pc"])
def test_zoomed_pages_do_not_scroll_sideways(new_context, paths, width, name):
    """Zooming a 1280 px window to 200% lays the page out 640 CSS px wide (400%: 320 px, the
    width WCAG 1.4.10 Reflow names). Text must reflow, not scroll sideways."""
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(paths[name])
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width, (
        f"{paths[name]} is {scroll_width} px wide in a {client_width} px window"
    )


# Content-Security-Policy ---------------------------------------------------------------------


def test_pages_load_under_the_strict_csp_without_errors(csp_context, csp, paths):
    """The other tests bypass the CSP (to inject axe-core). Here it is enforced: every page
    loads with no CSP violation, no console error and no failed request."""
    page = csp_context.new_page()
    errors = []

    def console(message):
        # The 404 page's own status is logged as an error: that one is expected.
        if message.type == "error" and not message.location["url"].endswith(paths["not-found"]):
            errors.append(f"console: {message.text} ({message.location['url']})")

    def failed(request):
        # ERR_ABORTED: the next page.goto cancelled a request still under way (the favicon).
        if request.failure != "net::ERR_ABORTED":
            errors.append(f"failed: {request.url} {request.failure}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))
    page.on("requestfailed", failed)

    guide = Guide.objects.published().first()
    urls = [paths[name] for name in ALL_PAGES] + ["/treatments/", "/contact/"]
    urls += [guide.get_absolute_url()] if guide else []
    for url in urls:
        response = page.goto(url)
        assert response.status == (404 if url == paths["not-found"] else 200), url
        assert "default-src 'none'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("load")
        violations = csp.violations(page)
        assert violations == [], f"{url}: {violations}"
    assert errors == [], "\n".join(errors)
