"""Staff users in the groups migration 0004 creates, for the admin and preview tests."""

from django.contrib.auth.models import Group, User

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
