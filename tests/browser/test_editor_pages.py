"""An article with an image and sources passes axe-core in Chromium, and so does the admin
change form as far as our own markup goes (templates, widgets, help text).

What axe still reports on the admin change form comes from Django's own admin templates and
is listed in ADMIN_FINDINGS (tests/browser/conftest.py) with the reason; anything else fails
the test.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conditions.models import ArticleImage, Condition, Reference
from tests.browser.viewports import EACH_WIDTH
from tests.conditions.staff import REVIEWERS, staff_user
from tests.factories import ConditionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLUNEAL_SLUG = "cluneal-nerve-entrapment"


@pytest.fixture
def article(site):
    """The seeded cluneal article (it has the diagram and six sources); made here if absent."""
    condition = Condition.objects.filter(slug=CLUNEAL_SLUG).first()
    if condition is None or not condition.images.exists():
        condition = ConditionFactory(anatomy="Where the nerves run.")
        ArticleImage.objects.create(
            article=condition,
            section="anatomy",
            static_file="img/diagrams/cluneal-nerves.svg",
            width=820,
            height=520,
            alt="Diagram of the cluneal nerves.",
            caption="The cluneal nerves.",
            long_description="A long description.",
        )
        Reference.objects.create(article=condition, title="A source", publisher="NICE")
    return condition


@EACH_WIDTH
def test_article_with_an_image_and_sources_passes_axe(new_context, article, axe, viewport):
    page = new_context(viewport=viewport).new_page()
    response = page.goto(article.get_absolute_url())
    assert response.status == 200
    figure = page.locator("figure.app-figure").first
    figure.scroll_into_view_if_needed()
    image = figure.locator("img")
    assert image.get_attribute("loading") == "lazy"  # the diagram is below the first section
    # Lazy: it loads once scrolled near; then it must have loaded (not a broken image).
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert page.locator("#sources + ol li").count() >= 1
    figure.locator("summary").click()  # the full description opens
    assert figure.locator("details").evaluate("d => d.open")
    axe.check(page)


def test_preview_banner_passes_axe(new_context, article, axe, sign_in):
    article.status = "draft"
    article.save()
    context = new_context()
    sign_in(context, staff_user(REVIEWERS, username="reviewer"))
    page = context.new_page()
    page.goto(article.get_absolute_url())
    assert page.get_by_role("status").inner_text().startswith("Preview: not published")
    axe.check(page)


@pytest.mark.parametrize("who", ["superuser", "editor"])
def test_admin_change_form_has_no_axe_violation_in_our_markup(
    new_context, article, axe, sign_in, who
):
    if who == "superuser":
        user = User.objects.create_superuser("boss", password=None)
    else:
        user = staff_user("Editors", username="editor")
        article.status = "draft"
        article.save()
    context = new_context(viewport={"width": 1280, "height": 900})
    sign_in(context, user)
    page = context.new_page()
    url = reverse("admin:conditions_condition_change", args=[article.pk])
    assert page.goto(url).status == 200
    assert page.locator(".field-readability_report").count() == 1
    violations = axe.ours(page)
    assert violations == [], axe.format(violations, url)


def test_admin_index_with_the_review_block_has_no_axe_violation_in_our_markup(
    new_context, article, axe, sign_in
):
    context = new_context()
    sign_in(context, User.objects.create_superuser("boss", password=None))
    page = context.new_page()
    assert page.goto(reverse("admin:index")).status == 200
    assert page.locator("#review-due").count() == 1
    violations = axe.ours(page)
    assert violations == [], axe.format(violations, "admin index")
