import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.generator import demo_totp_key


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo login (admin, kansli), for trying the demo "
        "without an authenticator app. Only for the demo's published secret, and only with "
        "DJANGO_DEBUG on."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DJANGO_DEBUG on, like seed_demo.")
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True, key=demo_totp_key())
            .order_by("pk")
            .first()
        )
        if device is None:
            # A real person's app: its secret stays secret.
            raise CommandError(
                f"{username!r} has no app with the demo secret; run seed_demo for the demo logins."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        seconds_left = device.step - int(now - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(
            f"(valid for {seconds_left} more seconds, and once only: a code that signed in "
            "does not sign in again)"
        )
