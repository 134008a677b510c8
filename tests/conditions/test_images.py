"""Article images: alt text required, sized to avoid layout shift, lazy below the first section,
responsive copies through the storage API, raster uploads only, and the seeded diagram."""

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from conditions.models import Article, ArticleImage, Condition
from tests.conditions.staff import EDITORS, change_form_data, logged_in
from tests.factories import ConditionFactory, png

pytestmark = pytest.mark.django_db

PREFIX = "conditions-articleimage-content_type-object_id"


def add_image(article, section="overview", **kwargs):
    defaults = {"alt": "A drawing of the back.", "image": png(), "position": 1}
    image = ArticleImage(article=article, section=section, **{**defaults, **kwargs})
    image.full_clean()
    image.save()
    return image


def figures(client, article):
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return page.select("figure.app-figure")


def inline_post(client, article, **fields):
    data = change_form_data(
        article,
        **{f"{PREFIX}-TOTAL_FORMS": "1", f"{PREFIX}-0-position": "1"},
        **{f"{PREFIX}-0-{name}": value for name, value in fields.items()},
    )
    url = reverse("admin:conditions_condition_change", args=[article.pk])
    return client.post(url, data)


# Alt text ------------------------------------------------------------------------------------


@pytest.mark.parametrize("alt", ["", "   "])
def test_an_image_without_alt_text_is_refused_by_validation(alt):
    image = ArticleImage(article=ConditionFactory(), section="overview", alt=alt, image=png())
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert "alt" in error.value.message_dict


def test_an_image_without_alt_text_is_refused_by_the_database():
    image = ArticleImage(article=ConditionFactory(), section="overview", alt="", image=png())
    with pytest.raises(IntegrityError), transaction.atomic():
        image.save()


def test_the_admin_refuses_an_image_without_alt_text(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(status=Article.Status.DRAFT)
    response = inline_post(client, article, image=png(), alt="  ", section="overview")
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.content.decode()
    assert not article.images.exists()


# Uploads -------------------------------------------------------------------------------------


def test_an_upload_through_the_admin_is_stored_with_its_size_and_smaller_copies(client):
    logged_in(client, EDITORS)
    article = ConditionFactory(status=Article.Status.DRAFT)
    response = inline_post(
        client, article, image=png(), alt="A person bending over.", section="symptoms"
    )
    assert response.status_code == 302
    image = article.images.get()
    assert (image.width, image.height) == (1200, 800)
    assert default_storage.exists(image.image.name)
    assert (Path(settings.MEDIA_ROOT) / image.image.name).is_file()  # the test's own media
    assert [width for width, _name in image.renditions] == [320, 640, 960]
    for width, name in image.renditions:
        with default_storage.open(name) as copy:
            assert Image.open(copy).size == (width, round(800 * width / 1200))


def test_a_small_upload_gets_no_copies_larger_than_itself():
    image = add_image(ConditionFactory(), image=png(500, 250))
    assert [width for width, _name in image.renditions] == [320]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "diagram.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
        ("photo.png", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_the_admin_refuses_svg_and_files_that_are_not_images(client, name, content):
    logged_in(client, EDITORS)
    article = ConditionFactory(status=Article.Status.DRAFT)
    upload = SimpleUploadedFile(name, content, content_type="image/svg+xml")
    response = inline_post(client, article, image=upload, alt="Something.", section="overview")
    assert response.status_code == 200
    assert not article.images.exists()


def test_an_image_goes_after_one_of_its_articles_own_sections():
    image = ArticleImage(
        article=ConditionFactory(), section="self_care", alt="Something.", image=png()
    )
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert "section" in error.value.message_dict


# On the page ---------------------------------------------------------------------------------


def test_images_render_with_size_srcset_and_caption(client):
    article = ConditionFactory(anatomy="Where it is.")
    add_image(
        article,
        section="anatomy",
        caption="The back of the pelvis.",
        long_description="Every detail in words.",
    )
    (figure,) = figures(client, article)
    img = figure.find("img")
    assert img["alt"] == "A drawing of the back."
    assert (img["width"], img["height"]) == ("1200", "800")
    assert img["srcset"].count("w,") == 3 and img["srcset"].endswith(" 1200w")
    assert img["sizes"] == ArticleImage.SIZES
    assert figure.find("figcaption").find("p").get_text() == "The back of the pelvis."
    assert "Every detail in words." in figure.find("details").get_text()
    assert figure.find_parent("section")["aria-labelledby"] == "anatomy"
    assert (
        figure.find("figcaption").find("a", string="Open the image full size")["href"]
        == (img["src"])
    )


def test_only_images_below_the_first_section_are_lazy_loaded(client):
    article = ConditionFactory(overview="First.", symptoms="Later.")
    add_image(article, section="overview", alt="First image.")
    add_image(article, section="symptoms", alt="Later image.")
    first, later = (figure.find("img") for figure in figures(client, article))
    assert first["alt"] == "First image." and not first.has_attr("loading")
    assert later["alt"] == "Later image." and later["loading"] == "lazy"


def test_an_image_of_an_empty_section_is_not_shown(client):
    article = ConditionFactory(causes="")
    add_image(article, section="causes")
    assert figures(client, article) == []


# The seeded diagram --------------------------------------------------------------------------

DIAGRAM = Path(settings.BASE_DIR) / "static" / "img" / "diagrams" / "cluneal-nerves.svg"


def test_the_cluneal_page_shows_the_seeded_diagram_with_a_full_text_alternative(client):
    article = Condition.objects.get(slug="cluneal-nerve-entrapment")
    (figure,) = figures(client, article)
    img = figure.find("img")
    assert img["src"].endswith("img/diagrams/cluneal-nerves.svg")
    assert "superior, middle and inferior cluneal nerves" in img["alt"]
    assert (img["width"], img["height"]) == ("820", "520")
    description = figure.find("details").get_text()
    for words in ("iliac crest", "superior cluneal", "middle cluneal", "inferior cluneal"):
        assert words in description
    assert figure.find_parent("section")["aria-labelledby"] == "anatomy"


def test_the_seeded_diagram_is_an_inert_labelled_svg_of_the_stored_size():
    root = ET.parse(DIAGRAM).getroot()  # noqa: S314 (our own file, in the repository)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("viewBox") == "0 0 820 520"
    elements = list(root.iter())
    assert not [e for e in elements if e.tag in (f"{ns}script", f"{ns}foreignObject")]
    assert not [a for e in elements for a in e.attrib if a.lower().startswith("on")]
    assert not [e for e in elements if any("href" in a for a in e.attrib)]
    text = " ".join("".join(e.itertext()) for e in elements if e.tag == f"{ns}text")
    for label in ("Superior cluneal nerves", "Middle cluneal nerves", "Inferior cluneal nerves",
                  "Iliac crest", "Sacrum"):  # fmt: skip
        assert label in text


# Files follow their rows ---------------------------------------------------------------------


def test_deleting_an_image_removes_its_files(django_capture_on_commit_callbacks):
    image = add_image(ConditionFactory())
    names = image.stored_files()
    assert len(names) == 4 and all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not any(default_storage.exists(n) for n in names)


def test_deleting_an_article_removes_its_image_files(django_capture_on_commit_callbacks):
    article = ConditionFactory()
    names = add_image(article).stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert not any(default_storage.exists(n) for n in names)


def test_replacing_an_image_removes_the_old_files(django_capture_on_commit_callbacks):
    image = add_image(ConditionFactory())
    old = image.stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        image.image = png(700, 350, name="new.png")
        image.save()
    assert not any(default_storage.exists(n) for n in old)
    assert all(default_storage.exists(n) for n in image.stored_files())
    assert (image.width, image.height) == (700, 350)


def test_the_admin_form_shows_the_image_as_it_looks(admin_client):
    article = Condition.objects.get(slug="cluneal-nerve-entrapment")
    url = reverse("admin:conditions_condition_change", args=[article.pk])
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    thumbnail = page.select_one("img.app-thumbnail")
    assert thumbnail["src"].endswith("cluneal-nerves.svg")
    assert thumbnail["alt"] and thumbnail["height"] == str(round(240 * 520 / 820))


def test_page_queries_do_not_grow_with_images(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few, many = ConditionFactory(symptoms="Later."), ConditionFactory(symptoms="Later.")
    add_image(few, image=png(40, 30))
    for n in range(5):
        add_image(many, section="symptoms" if n % 2 else "overview", image=png(40, 30))
    counts = []
    for article in (few, many):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(article.get_absolute_url()).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_a_sideways_phone_photo_is_stored_upright():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    Image.new("RGB", (800, 600), (10, 20, 30)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("phone.jpg", buffer.getvalue(), content_type="image/jpeg")

    image = add_image(ConditionFactory(), image=upload)

    assert (image.width, image.height) == (600, 800)
    with default_storage.open(image.image.name) as stored:
        assert Image.open(stored).size == (600, 800)
    assert [width for width, _name in image.renditions] == [320]


def test_the_admin_refuses_a_file_over_10_mb(client):
    from conditions.admin.inlines import ArticleImageForm

    big = png(40, 30)
    big.size = ArticleImageForm.MAX_UPLOAD_BYTES + 1
    form = ArticleImageForm(
        data={"alt": "Something.", "section": "overview", "position": 1}, files={"image": big}
    )
    assert not form.is_valid()
    assert "larger than 10 MB" in str(form.errors["image"])
