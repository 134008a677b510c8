"""factory_boy factories for the tests (and for demo data)."""

import io
import itertools
import time

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
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


class AuthenticatorFactory(factory.django.DjangoModelFactory):
    """A staff member's authenticator app, set up and confirmed."""

    class Meta:
        model = TOTPDevice

    name = "Authenticator app"
    confirmed = True


def totp_code(device, steps_ahead=0):
    """The code `device`'s app shows now (or `steps_ahead` 30-second steps from now)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device):
    """A code of the right shape that `device` refuses now: none of those it accepts (this
    step's and, within its tolerance, the steps either side). A fixed "000000" would be right
    about once in a million runs."""
    accepted = {
        totp_code(device, steps) for steps in range(-device.tolerance, device.tolerance + 1)
    }
    codes = (f"{n:0{device.digits}d}" for n in itertools.count())
    return next(code for code in codes if code not in accepted)


def sign_in(client, user):
    """Signs `user` in on a test client through both factors, as the sign-in would leave the
    session: signed in (force_login) and verified by a confirmed authenticator app."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or AuthenticatorFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
