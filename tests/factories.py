"""factory_boy factories for the tests (and for demo data)."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conditions.models import Article, Condition, Guide, Treatment


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Test article {n}")
    slug = factory.Sequence(lambda n: f"test-article-{n}")
    summary = "A short summary of the test article."
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))


class TreatmentFactory(ArticleFactory):
    class Meta:
        model = Treatment

    title = factory.Sequence(lambda n: f"Test treatment {n}")
    slug = factory.Sequence(lambda n: f"test-treatment-{n}")
    what_it_is = "A test treatment."


class ConditionFactory(ArticleFactory):
    class Meta:
        model = Condition

    title = factory.Sequence(lambda n: f"Test condition {n}")
    slug = factory.Sequence(lambda n: f"test-condition-{n}")
    overview = "A test condition."
    symptoms = "- pain\n- more pain"


class GuideFactory(ArticleFactory):
    class Meta:
        model = Guide

    title = factory.Sequence(lambda n: f"Test guide {n}")
    slug = factory.Sequence(lambda n: f"test-guide-{n}")
    overview = "A test guide."


def png(width=1200, height=800, name="photo.png"):
    """An uploaded PNG file, made by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
