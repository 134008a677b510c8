"""The article admin pages load and warn about the reading grade; each section has its editor
(preview endpoint, sentence report), the publish checklist and the changes against the live
version; the list of plainer words."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from conditions.markdown import render_markdown
from conditions.readability import reading_ease, reading_ease_label, reading_grade
from tests.conditions.hostile import PAYLOADS, assert_inert
from tests.conditions.staff import EDITORS, REVIEWERS, change_form_data, logged_in
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

FACTORIES = [ConditionFactory, TreatmentFactory, GuideFactory]
EASY = "The nerve hurts. Rest helps. We can help you."
HARD = (
    "Comprehensive multidisciplinary interventional management necessitates individualized "
    "consideration of neurophysiological characteristics, pharmacological contraindications "
    "and radiological investigations, particularly regarding sacroiliac degenerative pathology."
)


def admin_url(article, view):
    opts = article._meta
    args = [] if view in ("changelist", "add") else [article.pk]
    return reverse(f"admin:conditions_{opts.model_name}_{view}", args=args)


@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize("view", ["changelist", "add", "change", "history"])
def test_admin_pages_load(admin_client, factory, view):
    article = factory()
    assert admin_client.get(admin_url(article, view)).status_code == 200


@pytest.mark.parametrize("factory", FACTORIES)
def test_admin_search_finds_by_title(admin_client, factory):
    factory(title="Findable article")
    factory(title="Other article")
    response = admin_client.get(admin_url(factory.build(), "changelist"), {"q": "Findable"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Findable article" in html and "Other article" not in html


def test_admin_index_loads(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Due for medical review" in response.content.decode()


def grade_cell(html, title):
    page = BeautifulSoup(html, "html.parser")
    for row in page.select("#result_list tbody tr"):
        if title in row.get_text():
            return row.select_one(".field-readability").get_text(" ", strip=True)
    raise AssertionError(f"{title} not in the list")


def test_list_shows_each_articles_reading_grade_and_flags_hard_ones(admin_client):
    easy = ConditionFactory(title="Easy page", summary=EASY, overview=EASY, symptoms="")
    ConditionFactory(title="Hard page", summary=HARD, overview=HARD)
    html = admin_client.get(reverse("admin:conditions_condition_changelist")).content.decode()

    assert (
        grade_cell(html, "Easy page")
        == f"reading grade {max(reading_grade(easy.section_text()), 0):.1f}"
    )
    hard = grade_cell(html, "Hard page")
    assert hard.endswith("(outside grade 8 or lower)")
    assert float(hard.split()[2]) > 8


def test_list_flags_an_easy_page_with_one_hard_section(admin_client):
    """The list agrees with the change page and the checklist: an easy average does not hide
    a hard section."""
    easy = " ".join([EASY] * 12)
    ConditionFactory(title="Mostly easy", summary=EASY, overview=easy, symptoms=easy, causes=HARD)
    html = admin_client.get(reverse("admin:conditions_condition_changelist")).content.decode()
    cell = grade_cell(html, "Mostly easy")
    assert cell.startswith("reading grade ") and float(cell.split()[2]) <= 8
    assert cell.endswith("(1 part outside the target)")


def test_change_form_warns_when_the_grade_is_above_8(admin_client):
    hard = ConditionFactory(summary=HARD, overview=HARD)
    easy = ConditionFactory(summary=EASY, overview=EASY, symptoms="")

    hard_page = BeautifulSoup(admin_client.get(admin_url(hard, "change")).content, "html.parser")
    warning = hard_page.select_one(".field-readability_report .app-grade-warning")
    assert warning is not None
    assert "outside the target of grade 8 or lower" in warning.get_text()
    rows = {
        row.th.get_text(strip=True): row.select_one("td:last-child").get_text(strip=True)
        for row in hard_page.select(".field-readability_report tbody tr")
    }
    assert rows["Overview"] == "No" and rows["Whole page"] == "No"

    easy_page = admin_client.get(admin_url(easy, "change")).content.decode()
    assert "app-grade-warning" not in easy_page
    assert "within the target of grade 8 or lower, and so is every part." in easy_page


def test_saving_hard_text_gives_a_warning_message(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(status="draft", summary=EASY, overview=EASY, symptoms="")
    response = client.post(
        admin_url(article, "change"), change_form_data(article, overview=HARD), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        "hard to read" in m and "outside the target of grade 8 or lower" in m for m in messages
    )


def test_saving_plain_text_gives_no_warning(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(status="draft", summary=EASY, overview=EASY, symptoms="")
    response = client.post(
        admin_url(article, "change"), change_form_data(article, overview=EASY), follow=True
    )
    assert not any("hard to read" in str(m) for m in response.context["messages"])


# Spanish pages: the Fernández-Huerta reading ease ----------------------------------------------

EASY_ES = "El nervio duele. Descanse un poco. Le podemos ayudar."
HARD_ES = (
    "La neuropatía por atrapamiento del nervio cluneal superior constituye una manifestación "
    "infradiagnosticada de lumbalgia crónica inespecífica, particularmente en pacientes "
    "posquirúrgicos."
)


def spanish(**fields):
    return ConditionFactory(language="es", **fields)


def test_list_shows_a_spanish_pages_reading_ease_with_its_band(admin_client):
    easy = spanish(title="Página fácil", summary=EASY_ES, overview=EASY_ES, symptoms="")
    spanish(title="Página difícil", summary=HARD_ES, overview=HARD_ES)
    html = admin_client.get(reverse("admin:conditions_condition_changelist")).content.decode()

    shown = grade_cell(html, "Página fácil")
    assert shown == reading_ease_label(reading_ease(easy.section_text()))
    assert shown.startswith("Fernández-Huerta ") and "fácil)" in shown
    hard = grade_cell(html, "Página difícil")
    assert hard.startswith("Fernández-Huerta ") and hard.endswith("(outside 70 or higher)")
    assert int(hard.split()[1]) < 70


def test_change_form_of_a_spanish_page_reports_its_reading_ease(admin_client):
    easy = spanish(summary=EASY_ES, overview=EASY_ES, symptoms="")
    hard = spanish(summary=EASY_ES, overview=HARD_ES, symptoms="")

    easy_report = BeautifulSoup(
        admin_client.get(admin_url(easy, "change")).content, "html.parser"
    ).select_one(".field-readability_report")
    label = reading_ease_label(easy.reading_ease_score)
    said = f"Whole page: {label}, within the target of 70 or higher, and so is every part."
    assert said in easy_report.get_text(" ", strip=True)
    assert easy_report.select_one(".app-grade-warning") is None

    hard_report = BeautifulSoup(
        admin_client.get(admin_url(hard, "change")).content, "html.parser"
    ).select_one(".field-readability_report")
    warning = hard_report.select_one(".app-grade-warning").get_text()
    assert warning.startswith("Whole page: Fernández-Huerta ")
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")]
        for row in hard_report.select("tbody tr")
    }
    assert rows["Overview"] == [reading_ease_label(reading_ease(HARD_ES)), "No"]
    assert rows["Summary"][1] == "Yes"


def test_saving_hard_spanish_text_warns_with_the_reading_ease(client):
    logged_in(client, REVIEWERS)
    article = spanish(status="draft", summary=EASY_ES, overview=EASY_ES, symptoms="")
    response = client.post(
        admin_url(article, "change"), change_form_data(article, overview=HARD_ES), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        "hard to read. Whole page: Fernández-Huerta" in m and "the target of 70 or higher" in m
        for m in messages
    )
    assert not any("grade" in m for m in messages)


# The section editors' preview endpoint ---------------------------------------------------------

FRONT_DESK = "Front desk"
MARKDOWN = (
    "### Where it hurts\n\nThe **nerve** is trapped. Read [more](https://example.org/a?b=1&c=2)."
    "\n\n- back pain\n- leg pain\n\n1. rest\n2. walk"
)


def preview_url(model_name="condition"):
    return reverse(f"admin:conditions_{model_name}_preview")


def preview(client, text, language="en", model_name="condition"):
    return client.post(preview_url(model_name), {"text": text, "language": language})


@pytest.mark.parametrize("factory", FACTORIES)
def test_preview_renders_exactly_what_the_public_page_shows(client, factory):
    section = factory._meta.model.SECTION_NAMES[0]
    article = factory(**{section: MARKDOWN})
    public = client.get(article.get_absolute_url()).content.decode()
    logged_in(client, REVIEWERS)

    response = preview(client, MARKDOWN, model_name=article._meta.model_name)
    assert response.status_code == 200
    html = response.json()["html"]
    assert html == getattr(article, f"{section}_html")
    assert html in public
    assert "<h3>Where it hurts</h3>" in html and "<strong>nerve</strong>" in html


@pytest.mark.parametrize("group", [EDITORS, REVIEWERS])
def test_staff_who_may_change_articles_get_the_preview_and_report(client, group):
    logged_in(client, group)
    response = preview(client, "We will utilize approximately two needles. Rest.")
    data = response.json()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert data["report"]["sentences"] == [
        {
            "text": "We will utilize approximately two needles.",
            "words": 6,
            "too_long": False,
            "hard_words": [
                {"word": "utilize", "syllables": 3, "suggestion": "use"},
                {"word": "approximately", "syllables": 5, "suggestion": "about"},
            ],
        }
    ]
    assert "<mark" in data["preview_html"] and "<mark" not in data["html"]
    report = BeautifulSoup(data["report_html"], "html.parser").get_text(" ", strip=True)
    assert "“utilize”: try “use”." in report
    assert data["summary"] == data["report"]["summary"]


def test_the_preview_refuses_anonymous_users(client):
    response = preview(client, MARKDOWN)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_preview_refuses_users_who_are_not_staff(client):
    user = logged_in(client, EDITORS, username="not-staff")
    user.is_staff = False
    user.save()
    response = preview(client, MARKDOWN)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_preview_refuses_staff_who_may_not_change_articles(client):
    logged_in(client, FRONT_DESK)
    response = preview(client, MARKDOWN)
    assert response.status_code == 403
    assert b"<strong>" not in response.content


def test_the_preview_is_for_one_kind_of_article_at_a_time(client):
    from django.contrib.auth.models import Permission

    user = logged_in(client, username="treatments-only")
    user.user_permissions.add(Permission.objects.get(codename="change_treatment"))
    assert preview(client, MARKDOWN, model_name="treatment").status_code == 200
    assert preview(client, MARKDOWN, model_name="condition").status_code == 403


def test_the_preview_needs_the_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    logged_in(client, REVIEWERS)
    assert preview(client, MARKDOWN).status_code == 403


def test_the_preview_takes_posts_only(client):
    logged_in(client, REVIEWERS)
    assert client.get(preview_url(), {"text": MARKDOWN}).status_code == 405


def test_the_preview_is_never_cached(client):
    logged_in(client, REVIEWERS)
    cache_control = preview(client, MARKDOWN)["Cache-Control"]
    for directive in ("no-cache", "no-store", "must-revalidate", "private"):
        assert directive in cache_control


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_preview_escapes_hostile_text(client, payload):
    logged_in(client, REVIEWERS)
    text = f"{payload}\n\n- {payload} utilize approximately\n\n### {payload}"
    data = preview(client, text).json()
    assert data["html"] == render_markdown(text)
    for key in ("html", "preview_html", "report_html"):
        assert_inert(data[key])


def test_text_too_long_for_a_section_gets_a_clear_message(client):
    logged_in(client, REVIEWERS)
    response = preview(client, "a" * 20001)
    assert response.status_code == 400
    assert response.json()["summary"] == (
        "The text is longer than 20000 characters, the most a section can hold (it has 20001)."
    )


def test_an_unknown_language_gets_a_clear_message(client):
    logged_in(client, REVIEWERS)
    response = preview(client, MARKDOWN, language="xx")
    assert response.status_code == 400
    assert "xx is not one of the available choices" in response.json()["summary"]


def test_spanish_text_gets_the_spanish_measure_and_list(client):
    logged_in(client, REVIEWERS)
    data = preview(client, "Vamos a utilizar un anestésico. Descanse.", language="es").json()
    assert data["report"]["language"] == "es"
    assert data["report"]["score_label"] == "Reading ease (Fernández-Huerta)"
    words = data["report"]["sentences"][0]["hard_words"]
    assert {w["word"]: w["suggestion"] for w in words} == {
        "utilizar": "usar",
        "anestésico": "medicina para adormecer",
    }


# The change form: editors, checklist, changes --------------------------------------------------


def change_page(client, article):
    return BeautifulSoup(client.get(admin_url(article, "change")).content, "html.parser")


def test_each_section_arrives_with_its_preview_and_report_without_javascript(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(status="draft", overview=f"Rest. {HARD}", symptoms="- pain")
    page = change_page(client, article)
    for name, _heading in article.SECTIONS:
        editor = page.select_one(f'.app-editor[data-section="{name}"]')
        assert editor.select_one(f"textarea[name={name}]") is not None
        assert editor.select_one("markdown-toolbar").has_attr("hidden")  # shown by the script
        assert editor["data-preview-url"] == preview_url()
    overview = page.select_one('.app-editor[data-section="overview"]')
    assert (
        overview.select_one(".app-editor__preview mark.app-flag")
        .get_text()
        .startswith("Comprehensive")
    )
    assert "1 sentence to look at." in overview.select_one("[role=status]").get_text()
    symptoms = page.select_one('.app-editor[data-section="symptoms"]')
    assert symptoms.select_one(".app-editor__preview").decode_contents() == article.symptoms_html


def test_the_change_form_loads_only_our_static_scripts_under_a_strict_csp(client):
    logged_in(client, EDITORS)
    response = client.get(admin_url(ConditionFactory(status="draft"), "change"))
    page = BeautifulSoup(response.content, "html.parser")
    scripts = page.select("script")
    assert all(script.get("src", "").startswith("/") for script in scripts)
    assert all(not script.get_text(strip=True) for script in scripts)  # no inline script
    modules = [s["src"] for s in scripts if s.get("type") == "module"]
    assert modules == [
        "/static/vendor/markdown-toolbar-element-2.2.3/index.js",
        "/static/js/admin/article-editor.js",
    ]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_a_hard_text_is_advice_only_and_saves(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(status="draft")
    response = client.post(
        admin_url(article, "change"), change_form_data(article, overview=HARD * 3)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.overview == HARD * 3


def test_the_change_form_lists_what_the_checklist_misses(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(status="draft", summary="Short.", overview=HARD)
    items = change_page(client, article).select(".field-publish_checklist li")
    missing = [li.get_text(" ", strip=True) for li in items if "Missing:" in li.get_text()]
    assert len(missing) == 4
    for words in ("source", "Summary", "Reading grade", "Spanish"):
        assert any(words in item for item in missing), (words, missing)
    # The sign-off is not missing: publishing stamps it, and the checklist says so.
    [review] = [li.get_text(" ", strip=True) for li in items if "reviewer" in li.get_text()]
    assert review.startswith("At publish: Medical reviewer and review date. Stamped when a")
    assert "from their staff account" in review


def test_publishing_despite_warnings_is_allowed_and_kept_in_the_history(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(status="draft", overview=HARD)
    response = client.post(
        admin_url(article, "change"),
        change_form_data(article, status="published"),
        follow=True,
    )
    article.refresh_from_db()
    assert article.status == "published"
    reason = article.history.latest().history_change_reason
    assert reason == (
        # The reviewer's name and the review date are stamped as they publish: no warning.
        "Published with 4 checklist warnings: no source, summary "
        f"too short, hard to read (reading grade {article.reading_grade_score:.1f}): Whole page, "
        "Overview, no Spanish version"
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith(reason) and "Published anyway" in m for m in messages)
    history = client.get(admin_url(article, "history")).content.decode()
    assert reason in history


def test_a_reviewers_draft_save_records_no_checklist_reason(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(status="draft")
    client.post(admin_url(article, "change"), change_form_data(article, overview="New."))
    assert article.history.latest().history_change_reason is None


def test_a_revision_of_a_published_article_shows_what_changed_in_words(client):
    logged_in(client, REVIEWERS)
    article = ConditionFactory(overview="The nerve is trapped. Rest helps.")
    assert change_page(client, article).select_one(".field-changes_since_live") is None

    assert client.post(admin_url(article, "revise")).status_code == 302
    revision = type(article).with_revisions.get(revision_of=article)
    client.post(
        admin_url(revision, "change"),
        change_form_data(revision, overview="The nerve is squeezed. Rest helps."),
    )
    field = change_page(client, revision).select_one(".field-changes_since_live")
    assert field.select_one("h3").get_text() == "Overview"
    assert "Changed: 1 word added, 1 removed." in field.get_text()
    assert field.select_one("del").get_text() == "Removed: trapped."
    assert field.select_one("ins").get_text() == "Added: squeezed."


# The list of plainer words ---------------------------------------------------------------------


def test_editors_extend_the_list_of_plainer_words(client):
    from conditions.models import PlainerWord

    logged_in(client, EDITORS)
    response = client.post(
        reverse("admin:conditions_plainerword_add"),
        {"word": "ambulate", "suggestion": "walk", "language": "en"},
    )
    assert response.status_code == 302
    assert PlainerWord.objects.suggestions("en")["ambulate"] == "walk"


def test_a_word_already_on_the_list_gets_a_form_error_not_a_crash(client):
    logged_in(client, EDITORS)
    response = client.post(
        reverse("admin:conditions_plainerword_add"),
        {"word": "Utilize", "suggestion": "use", "language": "en"},
    )
    assert response.status_code == 200
    assert "This word is already on the list for this language." in response.content.decode()


def test_front_desk_staff_cannot_see_the_list(client):
    logged_in(client, FRONT_DESK)
    response = client.get(reverse("admin:conditions_plainerword_changelist"))
    assert response.status_code == 403
