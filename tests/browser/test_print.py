"""An article prints cleanly: the text and the clinic's phone, without menus or buttons."""

CONDITION = "/conditions/cluneal-nerve-entrapment/"


def test_printed_article_keeps_text_and_phone_and_drops_navigation(site, page):
    page.goto(CONDITION)
    page.emulate_media(media="print")

    assert page.locator(".app-navigation").is_hidden()
    assert page.locator(".app-contents").is_hidden()
    assert page.locator(".app-skip-link").is_hidden()
    assert page.locator("h1").is_visible()
    assert page.locator("#diagnosis").is_visible()
    phone = page.locator(".app-header .app-get-help__phone")
    assert phone.is_visible()
    assert "574-404-7246" in phone.inner_text()

    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF")
