"""The header on a phone (issue 21): the first screen is the page, with the clinic's phone one tap
away, in both languages, with JavaScript on and off.

At 390 x 844 the header is two rows: the clinic's name and a "Menu" button (a <details>
disclosure holding the search box and the main links), then "Call us" with the number in digits
and the other language. At 1280 x 800 the header is as it was. On six kinds of page, in English
and Spanish, each test measures where <main> starts and where the call link is. axe-core runs
here on the pages without JavaScript; with it, test_library.py and test_spanish.py walk them all.

JavaScript off: positions and keyboard are measured in a context with JavaScript disabled. axe-core
cannot run there (its checks wait on timers that never fire), so it checks the same page in a
context that runs scripts but is refused ours: the page as it is without JavaScript.
"""

import pytest

from tests.browser.viewports import EACH_WIDTH, PHONE

JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
LANGUAGES = pytest.mark.parametrize("language", ["en", "es"])
MAIN_TOP_LIMIT = 180  # px from the top of the page to the top of <main>, on a phone
TEL = "tel:+15744047246"
DIGITS = "574-404-7246"

PAGES = {
    "en": {
        "home": "/",
        "article": "/conditions/cluneal-nerve-entrapment/",
        "treatment": "/treatments/cryoablation/",
        "search": "/search/?q=pain",
        "urgent": "/urgent-help/",
        "contact": "/contact/",
    },
    "es": {
        "home": "/es/",
        "article": "/es/afecciones/atrapamiento-del-nervio-cluneal/",
        "treatment": "/es/tratamientos/crioablacion/",
        "search": "/es/search/?q=dolor",
        "urgent": "/es/ayuda-urgente/",
        "contact": "/es/contacto/",
    },
}
WORDS = {
    "en": {"menu": "Menu", "conditions": "Conditions", "other": "Español", "other_home": "/es/"},
    "es": {"menu": "Menú", "conditions": "Afecciones", "other": "English", "other_home": "/"},
}

# Positions on the page as loaded (not scrolled), in CSS px from its top.
MEASURE = """() => {
  const box = (el) => {
    if (!el || !el.getClientRects().length) return null;
    const r = el.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY};
  };
  const call = document.querySelector('.app-header .app-get-help__phone');
  const lead = document.querySelector('article .app-lead');
  return {
    scrollY: scrollY,
    main: box(document.querySelector('main')),
    call: box(call),
    callHref: call && call.getAttribute('href'),
    callText: call && call.innerText.replace(/\\s+/g, ' ').trim(),
    h1: box(document.querySelector('h1')),
    lead: box(lead),
    // What comes after the title and summary: the article's contents, or its first section.
    after: box(lead && lead.nextElementSibling),
    menu: box(document.querySelector('.app-menu__button')),
    bar: box(document.querySelector('.app-header > .app-navigation')),
    wideSearch: box(document.querySelector('#site-search')),
  };
}"""


def javascript_free(new_context, viewport):
    """A context that runs scripts (so axe-core can) but is refused the site's own: the pages
    are as a reader without JavaScript gets them."""
    context = new_context(viewport=viewport)
    context.route("**/static/js/**", lambda route: route.abort())
    return context


@LANGUAGES
@JAVASCRIPT
@EACH_WIDTH
def test_main_starts_high_and_the_call_link_is_on_the_first_screen(
    site, new_context, axe, request_log, viewport, javascript, language
):
    context = new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    checker = page if javascript else javascript_free(new_context, viewport).new_page()
    height, phone = viewport["height"], viewport == PHONE
    problems, figures = [], []
    for name, url in PAGES[language].items():
        response = page.goto(url)
        assert response.status == 200, url
        at = page.evaluate(MEASURE)
        figures.append(f"{url}: main {at['main']['top']:.0f}, call {at['call']}")

        def problem(text, url=url):
            problems.append(f"{url}: {text}")

        if at["scrollY"]:
            problem(f"the page opened scrolled by {at['scrollY']} px")
        if not at["call"]:
            problem("no call link shown in the header")
        else:
            if at["callHref"] != TEL or DIGITS not in at["callText"]:
                problem(f"the call link is {at['callHref']} {at['callText']!r}")
            if not (0 <= at["call"]["top"] and at["call"]["bottom"] <= height):
                problem(f"the call link is off the first screen: {at['call']}")
        if phone:
            if at["main"]["top"] > MAIN_TOP_LIMIT:
                problem(f"<main> starts {at['main']['top']:.0f} px down (most {MAIN_TOP_LIMIT})")
            if at["callText"] and "PAIN" in at["callText"]:
                problem(f"the number is not in digits alone: {at['callText']!r}")
            if not at["menu"] or at["bar"] or at["wideSearch"]:
                problem("not the phone's header (a menu button, no bar of links, no open search)")
        elif at["menu"] or not at["bar"] or not at["wideSearch"]:
            problem("not the wide header (the bar of links and the search box, no menu button)")
        if phone and name in ("article", "treatment"):
            # The first screen: the title, the summary, and the start of what follows them.
            if not (at["h1"]["bottom"] <= height and at["lead"]["bottom"] <= height):
                problem(f"title {at['h1']} or summary {at['lead']} below the first screen")
            if at["after"]["top"] > height - 60:  # at least a line of it in sight
                problem(f"the content after the summary starts at {at['after']['top']:.0f} px")
        if not javascript:  # with scripts, test_library.py and test_spanish.py walk every page
            checker.goto(url)
            violations = axe(checker)
            if violations:
                problems.append(axe.format(violations, url))
        if name != "contact":  # the contact form's CSRF cookie; no other page sets one
            assert context.cookies() == [], url
        context.clear_cookies()
    assert problems == [], "\n".join(problems + ["", "Measured:", *figures])
    request_log.assert_same_host()


def focused(page):
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {tag: el.tagName.toLowerCase(), id: el.id, text: el.innerText.trim(),
                  href: el.getAttribute('href')};
        }"""
    )


def tab_until(page, wanted, limit=25):
    """Presses Tab until `wanted(focused element)` is true; returns that element."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element
    raise AssertionError(f"Tab did not reach it; last focused: {element}")


@LANGUAGES
@JAVASCRIPT
def test_on_a_phone_the_keyboard_opens_the_menu_and_reaches_search_links_and_language(
    site, new_context, javascript, language
):
    """Tab order on a phone: the skip link, the clinic's name, Menu, the call link, the other
    language. Enter or Space on Menu opens it: the search box and the main links come next."""
    words, home = WORDS[language], PAGES[language]["home"]
    page = new_context(viewport=PHONE, java_script_enabled=javascript).new_page()
    page.goto(PAGES[language]["article"])
    order = []
    for _ in range(5):
        page.keyboard.press("Tab")
        order.append(focused(page))
    skip, name, menu, call, other = order
    assert skip["href"] == "#main-content", order
    assert name["href"] == home and name["text"].startswith("Cutting Edge Pain"), order
    assert (menu["tag"], menu["text"]) == ("summary", words["menu"]), order
    assert call["href"] == TEL and DIGITS in call["text"], order
    assert other["text"] == words["other"], order

    # Space opens the menu; the search box is next; a search goes to the results.
    page.goto(PAGES[language]["article"])
    summary = tab_until(page, lambda e: e["tag"] == "summary")
    assert summary["text"] == words["menu"]
    assert not page.locator(".app-menu__panel").is_visible()
    page.keyboard.press("Space")
    assert page.locator(".app-menu__panel").is_visible()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "menu-search"
    page.keyboard.type("cryo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{home.rstrip('/')}/search/?q=cryo")

    # Enter opens it too, and closes it again; then a main link, by keyboard alone.
    page.goto(PAGES[language]["article"])
    tab_until(page, lambda e: e["tag"] == "summary")
    page.keyboard.press("Enter")
    assert page.locator(".app-menu__panel").is_visible()
    page.keyboard.press("Enter")
    assert not page.locator(".app-menu__panel").is_visible()
    page.keyboard.press("Enter")
    link = tab_until(page, lambda e: e["text"] == words["conditions"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{link['href']}")

    # The other language, without opening the menu.
    page.goto(PAGES[language]["home"])
    tab_until(page, lambda e: e["text"] == words["other"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{words['other_home']}")
    assert page.locator("html").get_attribute("lang") != language


@LANGUAGES
def test_screen_readers_hear_menu_as_a_control_that_says_whether_it_is_open(
    site, new_context, language
):
    """Chromium's accessibility tree: the summary is a focusable disclosure control named
    "Menu" (or "Menú"), collapsed, then expanded once opened; the menu holds a search landmark
    and the main navigation."""
    context = new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(PAGES[language]["home"])
    cdp = context.new_cdp_session(page)

    def menu_node():
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        name = WORDS[language]["menu"]
        found = [n for n in nodes if n.get("name", {}).get("value") == name]
        found = [n for n in found if n["role"]["value"] not in ("StaticText", "InlineTextBox")]
        assert [n["role"]["value"] for n in found] == ["DisclosureTriangle"], found
        return {p["name"]: p["value"].get("value") for p in found[0].get("properties", [])}

    assert menu_node() == {"focusable": True, "expanded": False}
    page.locator(".app-menu__button").click()
    assert menu_node()["expanded"] is True
    header = page.get_by_role("banner")
    assert header.get_by_role("search").count() == 1
    nav = header.get_by_role("navigation")
    assert nav.count() == 1
    assert nav.get_by_role("link").count() == 5


def test_the_menu_keeps_the_sites_csp(site, csp_context, csp):
    page = csp_context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(PAGES["en"]["article"])
    page.locator(".app-menu__button").click()
    page.locator("#menu-search").press_sequentially("cryo")
    page.get_by_role("listbox").get_by_role("option").first.wait_for()
    assert csp.violations(page) == []


# The footer's full stop ----------------------------------------------------------------------

# The last letter of the footer's urgent-help link and the full stop after it: the bottom of
# each one's line box. The same bottom means the same line.
FULL_STOP = """() => {
  const link = document.querySelector('.app-footer__notice a');
  const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
  let last = null;
  while (walker.nextNode()) { if (walker.currentNode.data.trim()) last = walker.currentNode; }
  const end = last.data.trimEnd().length;
  const word = document.createRange();
  word.setStart(last, end - 1);
  word.setEnd(last, end);
  const after = link.nextSibling;
  const stop = document.createRange();
  stop.setStart(after, 0);
  stop.setEnd(after, 1);
  return {stop: after.data[0], word: [...word.getClientRects()].pop().bottom,
          dot: stop.getClientRects()[0].bottom};
}"""


@LANGUAGES
def test_the_footers_urgent_help_line_keeps_its_full_stop(site, new_context, language):
    """At every width from 320 to 1280 px (in steps of 4), the "." after "Signs that back pain
    needs urgent help" is on the line of the link's last word."""
    page = new_context(viewport=PHONE).new_page()
    page.goto(PAGES[language]["home"])
    apart = []
    for width in range(320, 1281, 4):
        page.set_viewport_size({"width": width, "height": 844})
        at = page.evaluate(FULL_STOP)
        assert at["stop"] == "."
        if abs(at["word"] - at["dot"]) > 1:
            apart.append(width)
    assert apart == [], f"The full stop wraps to a line of its own at {apart} px"
