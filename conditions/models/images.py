"""Article images: the upload, its upright copy and the renditions a page's srcset lists."""

import posixpath
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from .attachments import ArticleAttachment, delete_files_on_commit


class ArticleImage(ArticleAttachment):
    """An image or diagram shown after one of the article's sections.

    Uploads are raster images only (JPEG, PNG, WebP, GIF), checked by Pillow. SVG is refused as
    an upload: an SVG file can carry script, and a file in media storage is served from our own
    address. The one SVG the site has, the seeded cluneal nerve diagram, is part of the code
    (static/img/diagrams/), reviewed like code, and referred to by `static_file`.

    The smaller copies are made here, once, when the image is saved, rather than by
    sorl-thumbnail or easy-thumbnails: both make copies when a page first asks for them (a
    reader's request would wait on Pillow, and a cached page would depend on a second store),
    and easy-thumbnails adds tables of its own. Three fixed widths need neither. Old files are
    removed on commit by signals.py rather than django-cleanup, which would not know the copies.
    """

    RENDITION_WIDTHS = (320, 640, 960)
    SIZES = "(min-width: 48em) 720px, 100vw"

    image = models.ImageField(
        _("image file"),
        upload_to="articles/%Y/%m/",
        width_field="width",
        height_field="height",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp", "gif"])],
        help_text=_("A photo or diagram: JPEG, PNG or WebP, ideally 1200 pixels wide or more."),
    )
    static_file = models.CharField(
        _("file shipped with the site"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("A diagram that is part of the site's code (set by developers)."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_(
            "Required. What the image shows, for people who cannot see it, in one or two "
            "sentences. Do not start with “Image of”."
        ),
    )
    caption = models.CharField(
        _("caption"),
        max_length=300,
        blank=True,
        help_text=_("Optional. Shown under the image."),
    )
    long_description = models.TextField(
        _("full description"),
        max_length=4000,
        blank=True,
        help_text=_(
            "Optional. For a diagram: everything it shows, in words. Readers can open it "
            "under the image."
        ),
    )
    section = models.CharField(
        _("after section"),
        max_length=40,
        help_text=_("The image appears at the end of this section."),
    )
    renditions = models.JSONField(_("smaller copies"), default=list, editable=False)

    class Meta(ArticleAttachment.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt=""), name="conditions_articleimage_alt_required"
            ),
            models.CheckConstraint(
                condition=(Q(image="") & ~Q(static_file="")) | (~Q(image="") & Q(static_file="")),
                name="conditions_articleimage_one_source",
            ),
        ]

    def __str__(self):
        return self.alt

    def save(self, *args, **kwargs):
        new_upload = bool(self.image) and not self.image._committed
        replaced = []
        if new_upload and self.pk:
            old = type(self)._base_manager.filter(pk=self.pk).first()
            replaced = old.stored_files() if old else []
        if new_upload:
            self.upright_upload()
        super().save(*args, **kwargs)
        if new_upload:
            self.renditions = self.make_renditions()
            super().save(update_fields=["renditions"])
            self.delete_files_if_unused(replaced)

    def clean(self):
        super().clean()
        if not self.alt.strip():
            raise ValidationError({"alt": _("Describe the image for people who cannot see it.")})
        if not self.image and not self.static_file:
            raise ValidationError({"image": _("Choose an image file.")})
        model = self.content_type.model_class() if self.content_type_id else None
        if model is not None and self.section not in {n for n, _h in model.SECTIONS}:
            raise ValidationError({"section": _("Choose one of the article's sections.")})

    @property
    def url(self):
        return static(self.static_file) if self.static_file else self.image.url

    @property
    def srcset(self):
        """Every stored width, for the browser to pick from ('' when there is only one)."""
        if not self.renditions:
            return ""
        storage = self.image.storage
        parts = [f"{storage.url(name)} {width}w" for width, name in self.renditions]
        parts.append(f"{self.image.url} {self.width}w")
        return ", ".join(parts)

    @classmethod
    def delete_files_if_unused(cls, names):
        """Remove an image's files (`stored_files()`) once the transaction commits, unless
        another row still shows the same upload: a revision's images share their live page's
        files, and so do versions restored from history."""
        if not names:
            return
        if cls._base_manager.filter(image=names[0]).exists():
            return
        delete_files_on_commit(names)

    def stored_files(self):
        """The names of every file this image keeps in storage (the upload and its copies)."""
        if not self.image:
            return []
        return [self.image.name, *(name for _width, name in self.renditions)]

    def upright_upload(self):
        """Turn a phone photo the way it was taken. Phones store it sideways with an
        orientation tag; resized copies lose the tag, and width and height must match what
        readers see."""
        from PIL import Image, ImageOps

        upload = self.image.file
        upload.seek(0)
        original = Image.open(upload)
        if original.getexif().get(0x0112, 1) == 1:  # Orientation: already upright
            upload.seek(0)
            return
        image_format = original.format
        upright = ImageOps.exif_transpose(original)
        buffer = BytesIO()
        upright.save(buffer, format=image_format)
        name = posixpath.basename(self.image.name)
        self.image = ContentFile(buffer.getvalue(), name=name)

    def make_renditions(self):
        """Save narrower copies of an uploaded image through the storage API: [[width, name]]."""
        from PIL import Image

        storage = self.image.storage
        root, ext = posixpath.splitext(self.image.name)
        renditions = []
        with storage.open(self.image.name, "rb") as source:
            original = Image.open(source)
            original.load()
        image_format = original.format or "PNG"
        for width in self.RENDITION_WIDTHS:
            if width >= original.width:
                break
            height = round(original.height * width / original.width)
            copy = original.resize((width, height), Image.Resampling.LANCZOS)
            if image_format == "JPEG" and copy.mode not in ("RGB", "L"):
                copy = copy.convert("RGB")
            buffer = BytesIO()
            copy.save(buffer, format=image_format)
            name = storage.save(f"{root}-{width}w{ext}", ContentFile(buffer.getvalue()))
            renditions.append([width, name])
        return renditions
