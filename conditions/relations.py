"""Every relation a medical reviewer signs off on an article, as one value: its links to other
articles (treatments, related conditions, where it hurts), its sources and its images.

Three uses: each version in the article's history keeps them (`record`, and the
`pre_create_historical_record` receiver in signals.py), so a revert restores them or says
plainly what it cannot (`restore`); a revision starts as a copy of its live page's and is
copied back when published (`copy`); and the reviewer sees what a revision changes in them
(`changes`).

Links are kept as [id, name] pairs, sources and images as their fields: a source is text,
and an image is its stored file's name, so restoring one needs the file still in storage.
"""

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

REFERENCE_FIELDS = ("position", "title", "publisher", "year", "link")
IMAGE_FIELDS = (
    "position",
    "image",
    "static_file",
    "width",
    "height",
    "alt",
    "caption",
    "long_description",
    "section",
    "renditions",
)


def link_fields(model):
    """The article's own many-to-many fields (treatments, related conditions, body areas)."""
    return list(model._meta.local_many_to_many)


def _image_value(image, name):
    value = getattr(image, name)
    return value.name if name == "image" else value


def empty(model):
    """What `snapshot` gives for an article of `model` with no relations, without a query."""
    return {"links": {field.name: [] for field in link_fields(model)}, "sources": [], "images": []}


def snapshot(article):
    """The article's relations now, as JSON-ready data (one query per kind of relation), in
    the shape of `empty`."""
    data = empty(type(article))
    for name in data["links"]:
        data["links"][name] = [[obj.pk, str(obj)] for obj in getattr(article, name).all()]
    data["sources"] = [
        {name: getattr(r, name) for name in REFERENCE_FIELDS}
        for r in article.references.order_by("position", "pk")
    ]
    data["images"] = [
        {name: _image_value(i, name) for name in IMAGE_FIELDS}
        for i in article.images.order_by("position", "pk")
    ]
    return data


def record(article):
    """Writes the relations into the newest version of the article's history: the version the
    admin saved before its form's links, sources and images were saved."""
    newest = article.history.order_by("-history_date", "-history_id").first()
    if newest is not None:
        type(newest).objects.filter(pk=newest.pk).update(relations=snapshot(article))


def _set_attachments(article, sources, images):
    """Replaces the article's sources and images with `sources` and `images` (dicts). New
    image rows are made before the old ones go, so a file both use is never deleted."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(type(article))
    old_references = list(article.references.values_list("pk", flat=True))
    old_images = list(article.images.values_list("pk", flat=True))
    for source in sources:
        article.references.create(content_type=content_type, **source)
    for image in images:
        article.images.create(content_type=content_type, **image)
    article.references.filter(pk__in=old_references).delete()
    for image in article.images.filter(pk__in=old_images):
        image.delete()  # one by one: each row's files are checked (signals.py)


def copy(source, target):
    """Gives `target` the relations of `source` (a revision and its live page)."""
    for field in link_fields(type(source)):
        getattr(target, field.name).set(getattr(source, field.name).all())
    data = snapshot(source)
    _set_attachments(target, data["sources"], data["images"])


def restore(article, relations):
    """Gives `article` the relations of a version of its history. Returns what could not be
    restored, in words (a linked page deleted since, an image whose file is gone); an
    empty list when the version predates this record, with nothing to restore."""
    if not relations:
        return [_("This version was saved before links, sources and images were kept with it.")]
    missing = []
    model = type(article)
    for field in link_fields(model):
        wanted = dict(relations.get("links", {}).get(field.name, []))
        related = field.related_model._default_manager
        found = list(related.filter(pk__in=wanted))
        getattr(article, field.name).set(found)
        for pk in wanted.keys() - {obj.pk for obj in found}:
            missing.append(
                _("%(field)s: “%(name)s” no longer exists.")
                % {"field": field.verbose_name.capitalize(), "name": wanted[pk]}
            )
    images = []
    for image in relations.get("images", []):
        if image["image"] and not default_storage.exists(image["image"]):
            missing.append(
                _("Image “%(alt)s”: its file was deleted, so it cannot be restored.")
                % {"alt": image["alt"]}
            )
            continue
        images.append(image)
    _set_attachments(article, relations.get("sources", []), images)
    return missing


def changes(old, new):
    """What `new` changes in `old` (two snapshots), as [(what, added, removed)] with names."""
    found = []
    for name, links in new["links"].items():
        before = dict(old["links"].get(name, []))
        after = dict(links)
        added = [after[pk] for pk in after.keys() - before.keys()]
        removed = [before[pk] for pk in before.keys() - after.keys()]
        if added or removed:
            found.append((name, sorted(added), sorted(removed)))

    def compare(key, label):
        before = [tuple(sorted(item.items())) for item in old[key]]
        after = [tuple(sorted(item.items())) for item in new[key]]
        added = [dict(i)[label] for i in after if i not in before]
        removed = [dict(i)[label] for i in before if i not in after]
        if added or removed:
            found.append((key, added, removed))

    compare("sources", "title")
    compare("images", "alt")
    return found
