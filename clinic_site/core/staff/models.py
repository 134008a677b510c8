"""What the clinic knows about a staff member beyond Django's user: their professional
credentials, which a medical reviewer signs reviews with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

CREDENTIALS_MAX_LENGTH = 100


class StaffProfile(models.Model):
    """One per staff member who has one (made by the staff add/change form).

    Set once, by a superuser (the users' admin): a reviewer does not write their own
    credentials, so "Medically reviewed by" says what the clinic has checked."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    credentials = models.CharField(
        _("credentials"),
        max_length=CREDENTIALS_MAX_LENGTH,
        blank=True,
        help_text=_(
            'For medical reviewers: shown after their name in "Medically reviewed by", '
            'e.g. "MD, pain medicine".'
        ),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return self.signature

    @classmethod
    def signature_for(cls, user):
        """`user`'s signature, whether or not a profile was ever saved for them (then it is
        their name alone). For stamping "Medically reviewed by" at publish time."""
        try:
            return user.staff_profile.signature
        except cls.DoesNotExist:
            return cls(user=user).signature

    @property
    def name(self):
        """The name patients read: the user's full name (their username if none is set)."""
        return self.user.get_full_name() or self.user.get_username()

    @property
    def signature(self):
        """ "Dana Reyes, MD, pain medicine": the name, then the credentials when there are any."""
        credentials = self.credentials.strip()
        return f"{self.name}, {credentials}" if credentials else self.name
