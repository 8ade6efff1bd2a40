from django.core.management.base import BaseCommand, CommandError

from privacy import services


class Command(BaseCommand):
    help = (
        "Erase one person's personal data (article 17 of the GDPR): end their memberships and "
        "delegations, delete their follows, remove their address from the reminder log and "
        "anonymise their account. Their reports stay, shown as their organisation's."
    )

    def add_arguments(self, parser):
        parser.add_argument("person", help="username, or e-mail address")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, person: str, yes: bool, **options):
        try:
            user = services.person_find(person)
        except services.PersonNotFound as error:
            raise CommandError(str(error)) from None
        if user.is_erased:
            raise CommandError(f"{user.username} has already been erased.")
        if not yes:
            answer = input(
                f"Erase {user.username} ({user.get_full_name() or '-'}, {user.email or '-'})? "
                "This cannot be undone. Type yes to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        try:
            erasure = services.personal_data_erase(user=user)
        except services.ErasureRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Erased person {erasure.user_id}: now {erasure.username}, inactive; "
            f"{erasure.memberships} memberships and "
            f"{erasure.delegations} delegations ended, {erasure.follows} follows deleted, "
            f"{erasure.reminders} reminders no longer hold the address."
        )
