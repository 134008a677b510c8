"""Staff users in the groups migration 0004 creates, for the admin and preview tests."""

from django.contrib.auth.models import Group, User
from django.urls import reverse

from tests.factories import sign_in

EDITORS = "Editors"
REVIEWERS = "Medical reviewers"


def staff_user(*groups, username=None, **extra):
    """A staff user in `groups` (names), with no other permission."""
    username = username or "-".join(g.split()[0].lower() for g in groups) or "staff"
    user = User.objects.create_user(username, password=None, is_staff=True, **extra)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def logged_in(client, *groups, **kwargs):
    """A staff user in `groups`, signed in on `client` through both factors."""
    user = staff_user(*groups, **kwargs)
    sign_in(client, user)
    return user


def change_form_data(article, **overrides):
    """The POST an admin change form sends for `article` (no inline rows), with overrides."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "language": article.language,
        "translation_of": article.translation_of_id or "",
        "status": article.status,
        "publish_at_0": article.publish_at.astimezone().strftime("%Y-%m-%d"),
        "publish_at_1": article.publish_at.astimezone().strftime("%H:%M:%S"),
        "reviewed_by": article.reviewed_by,
        "reviewer_credentials": article.reviewer_credentials,
        "last_reviewed_on": article.last_reviewed_on or "",
        "next_review_due": article.next_review_due or "",
    }
    for name, _heading in article.SECTIONS:
        data[name] = getattr(article, name)
    for prefix in ("conditions-reference-content_type-object_id",
                   "conditions-articleimage-content_type-object_id"):  # fmt: skip
        data.update({
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        })  # fmt: skip
    data.update(overrides)
    return data


def admin_url(article, view="change"):
    opts = article._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[article.pk])


def revise_and_publish(client, live, **changes):
    """A medical reviewer changes a live page as the admin lets anyone: "Revise this page",
    edit and ask for review, then publish. Returns the live page as readers now get it."""
    assert client.post(admin_url(live, "revise")).status_code == 302
    revision = type(live).with_revisions.get(revision_of=live)
    data = change_form_data(revision, _ask_review="1", **changes)
    response = client.post(admin_url(revision), data)
    assert response.status_code == 302, response.content[:2000]
    revision.refresh_from_db()
    response = client.post(admin_url(revision), change_form_data(revision, _publish_review="1"))
    assert response.status_code == 302 and response.url == admin_url(live)
    live.refresh_from_db()
    return live
