"""What counts as public content, and the one row that changes whenever any of it does.

A model is public content when it inherits `PublicContent`: articles, their sources and images,
the urgent advice, the clinic's details. Database triggers on each such table (and on the
many-to-many tables of its fields) give `ContentVersion` a new random value on every insert,
update and delete, whoever makes it: a form, `QuerySet.update()`, a raw SQL fix, a restore. So
one read by primary key tells a worker whether anything public changed, whatever the amount
of content.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models


class PublicContent(models.Model):
    """Inherit this to say "a public page may show this model's rows"."""

    # The field holding the time a row goes live, if rows can be scheduled: a stored page
    # expires when the next scheduled time comes, since no write happens then.
    publish_time_field = None

    class Meta:
        abstract = True


class ContentVersion(models.Model):
    """One row (id 1). Written only by the database triggers; read on every cache hit."""

    version = models.BigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="pagecache_one_row")]

    def __str__(self):
        return str(self.version)


def public_models():
    """Every concrete public model, with the auto-created tables of its many-to-many fields."""
    found = []
    for model in apps.get_models():
        if issubclass(model, PublicContent):
            found.append(model)
            found += [
                field.remote_field.through
                for field in model._meta.local_many_to_many
                if field.remote_field.through._meta.auto_created
            ]
    return list(dict.fromkeys(found))


def content_version(using=DEFAULT_DB_ALIAS):
    """The current version (one primary-key read), or None before any content exists."""
    table = connections[using].ops.quote_name(ContentVersion._meta.db_table)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = 1")  # noqa: S608 - a model's own table
        row = cursor.fetchone()
    return row[0] if row else None


def next_publish_time(now):
    """The earliest time after `now` at which a scheduled row goes live, or None (one query,
    run only when a page is rendered). Drafts count too: a stored page that expires early only
    costs one more render. Every row counts (the base manager), including rows a model's
    default manager hides, such as a revision scheduled to replace a live page's text."""
    times = [
        model._base_manager.filter(**{f"{field}__gt": now}).order_by().values_list(field, flat=True)
        for model in apps.get_models()
        if issubclass(model, PublicContent) and (field := model.publish_time_field)
    ]
    if not times:
        return None
    return min(times[0].union(*times[1:], all=True), default=None)
