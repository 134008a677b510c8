"""Resets a staff member's second factor and lockout: the way back in for the last superuser."""

from axes.utils import reset as reset_lockout
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clinic_site.core.staff import devices


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and backup codes (they set up a new app at their "
        "next sign-in) and clear any lockout of their account name."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        devices.reset(user)
        reset_lockout(username=user.get_username())
        self.stdout.write(
            f"Second factor reset for {user.get_username()}. At their next sign-in they set up "
            "an authenticator app again."
        )
