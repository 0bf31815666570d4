import secrets

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User


class Command(BaseCommand):
    help = (
        "Create a demo staff user (printing its password) when the database has no user yet; "
        "--reset-password gives an existing one a new password and prints it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument(
            "--reset-password", action="store_true", help="Set a new random password for --username and print it."
        )

    def handle(self, *args, username: str, reset_password: bool, **options):
        if reset_password:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user {username!r}: run without --reset-password on an empty database.")
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(self.style.SUCCESS(f"New password for {username}: {password}"))
            return
        if User.objects.exists():
            self.stdout.write(
                "users exist: no demo user created (a new demo password: manage.py ensure_demo_user --reset-password)"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=f"{username}@example.com", password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo user created — username: {username}  password: {password}"))
