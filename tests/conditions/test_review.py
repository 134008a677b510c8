"""Medical review: who and when on the page, what is due in the admin and in review_report."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from conditions.models import ARTICLE_MODELS, Condition
from tests.conditions.staff import EDITORS, logged_in
from tests.factories import ConditionFactory, GuideFactory, TreatmentFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 6, 15)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2027, 6, 15, 12, 0), tick=False):
        yield TODAY


@pytest.fixture
def no_seeded_articles():
    for model in ARTICLE_MODELS:
        model.objects.all().delete()


def reviewed(factory=ConditionFactory, *, on, due=None, **kwargs):
    return factory(
        reviewed_by="Dana Reyes",
        reviewer_credentials="MD, pain medicine",
        last_reviewed_on=on,
        next_review_due=due,
        **kwargs,
    )


def test_page_shows_who_reviewed_it_and_when(client):
    article = reviewed(on=datetime.date(2026, 3, 9))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Medically reviewed by Dana Reyes, MD, pain medicine, on March 9, 2026." in html
    assert "Next review due March 9, 2027." in html
    assert "Page last updated" in html


def test_page_without_a_review_shows_only_when_it_was_last_updated(client):
    article = ConditionFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Medically reviewed" not in html
    assert f"Page last updated {article.updated_at.astimezone():%B} " in html


def test_next_review_is_due_one_interval_after_the_last_review(settings):
    assert reviewed(on=datetime.date(2026, 1, 1)).next_review_due == datetime.date(2027, 1, 1)
    settings.REVIEW_INTERVAL_DAYS = 90
    assert reviewed(on=datetime.date(2026, 1, 1)).next_review_due == datetime.date(2026, 4, 1)


def test_a_chosen_next_review_date_is_kept():
    article = reviewed(on=datetime.date(2026, 1, 1), due=datetime.date(2026, 6, 1))
    assert article.next_review_due == datetime.date(2026, 6, 1)


def test_overdue_and_never_reviewed_lists(today):
    overdue = reviewed(on=TODAY.replace(year=2026), due=TODAY - datetime.timedelta(days=1))
    due_today = reviewed(on=TODAY.replace(year=2026), due=TODAY)
    never = ConditionFactory()
    assert overdue in Condition.objects.review_overdue()
    assert due_today not in Condition.objects.review_overdue()
    assert never in Condition.objects.never_reviewed()
    assert overdue not in Condition.objects.never_reviewed()


@pytest.mark.parametrize(("choice", "expected"), [("overdue", "Overdue one"), ("never", "Fresh")])
def test_admin_list_filters_review_overdue_and_never_reviewed(
    today, admin_client, choice, expected
):
    reviewed(title="Overdue one", on=datetime.date(2026, 1, 1), due=datetime.date(2027, 1, 1))
    reviewed(title="Up to date", on=datetime.date(2027, 6, 1))
    ConditionFactory(title="Fresh")
    url = reverse("admin:conditions_condition_changelist")
    html = admin_client.get(url, {"review": choice}).content.decode()
    titles = {"Overdue one", "Up to date", "Fresh"}
    assert expected in html
    for other in titles - {expected}:
        assert f">{other}<" not in html
    assert "Review overdue" in html and "Never reviewed" in html


def test_admin_index_lists_what_is_due_for_review(client, today, no_seeded_articles):
    overdue = reviewed(title="Overdue one", on=datetime.date(2026, 1, 1), due=TODAY.replace(day=1))
    soon = reviewed(TreatmentFactory, title="Due soon one", on=datetime.date(2026, 7, 1))
    never = GuideFactory(title="Never reviewed guide")
    reviewed(title="Far off", on=datetime.date(2027, 6, 1))
    logged_in(client, EDITORS)

    html = client.get(reverse("admin:index")).content.decode()

    block = html[html.index('id="review-due"') : html.index("</table>", html.index("review-due"))]
    assert "Due for medical review" in block
    assert (
        block.index("Overdue one")
        < block.index("Never reviewed guide")
        < block.index("Due soon one")
    )
    assert "Far off" not in block
    for article in (overdue, soon, never):
        opts = article._meta
        assert reverse(f"admin:conditions_{opts.model_name}_change", args=[article.pk]) in block


def test_admin_index_has_no_review_block_for_staff_who_cannot_see_articles(client):
    from tests.conditions.staff import staff_user

    client.force_login(staff_user(username="front-desk"))
    assert 'id="review-due"' not in client.get(reverse("admin:index")).content.decode()


def test_review_report_prints_the_same_list_as_plain_text(today, no_seeded_articles):
    reviewed(title="Overdue one", on=datetime.date(2026, 1, 1), due=TODAY.replace(day=1))
    reviewed(TreatmentFactory, title="Due soon one", on=datetime.date(2026, 7, 1))
    GuideFactory(title="Never reviewed guide", status="draft")
    reviewed(title="Far off", on=datetime.date(2027, 6, 1))
    out = StringIO()

    call_command("review_report", stdout=out)

    text = out.getvalue()
    assert text.startswith("Articles due for medical review: 3\n")
    assert "Review overdue (1):\n- Overdue one (condition, due 2027-06-01)\n" in text
    assert "Never reviewed (1):\n- Never reviewed guide (guide) [not published]\n" in text
    assert "Due in the next 30 days (1):\n- Due soon one (treatment, due 2027-07-01)\n" in text
    assert "Far off" not in text
    assert "<" not in text  # plain text, for a cron email
    assert "  Review it: http://" in text and "/admin/conditions/condition/" in text


def test_review_report_says_so_when_nothing_is_due(today, no_seeded_articles):
    reviewed(on=datetime.date(2027, 6, 1))
    out = StringIO()
    call_command("review_report", stdout=out)
    assert out.getvalue() == "No articles are due for medical review.\n"


def test_review_report_exits_zero_from_the_command_line(capsys):
    """Run as `manage.py review_report` runs it (in this process, so on the test database)."""
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["manage.py", "review_report", "--days", "7"])
    except SystemExit as exit:  # only raised on failure
        assert exit.code == 0
    assert "medical review" in capsys.readouterr().out
