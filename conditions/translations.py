"""Keeping Spanish versions in line with their English originals.

A Spanish row is out of date once its English row's text (title, summary, sections) changed
after the Spanish one was last marked in line (`translation_synced_at`; the models'
`translation_out_of_date()`). What changed is the English text as it was then, from the English
row's history, against the English text now: the same word diff editors see against the live
version (changes.py).
"""

from django.utils import timezone

from .changes import changes_against


def is_out_of_date(translation):
    english = translation.translation_of
    if english is None:
        return False
    synced = translation.translation_synced_at
    return synced is None or english.content_changed_at > synced


def english_when_synced(translation):
    """The English original's historical record as of the last time this translation was
    marked in line, or None (never marked, or no history from then)."""
    english, synced = translation.translation_of, translation.translation_synced_at
    if english is None or synced is None:
        return None
    return (
        english.history.filter(history_date__lte=synced)
        .order_by("-history_date", "-history_id")
        .first()
    )


def english_changes(translation):
    """(then, changes): what the English text changes since the translation was last in line.
    `then` is None when it never was: the whole English text is then new to it."""
    english = translation.translation_of
    if english is None:
        return None, []
    then = english_when_synced(translation)
    return then, changes_against(english, then)


def mark_in_line(translation, user=None):
    """Records that a reviewer brought this translation in line with its English original.
    Saved through the model, so the history shows who did it and when."""
    translation.translation_synced_at = timezone.now()
    translation._change_reason = "Marked in line with the English version"
    if user is not None:
        translation._history_user = user
    translation.save(update_fields=["translation_synced_at", "updated_at"])
