import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from privacy import services


class Command(BaseCommand):
    help = (
        "Everything the portal holds about one person, as JSON (a request for access, "
        "article 15 of the GDPR). To stdout, or to --output FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("person", help="username, or e-mail address")
        parser.add_argument("--output", "-o", help="write the JSON to this file")

    def handle(self, *args, person: str, output: str | None, **options):
        try:
            user = services.person_find(person)
        except services.PersonNotFound as error:
            raise CommandError(str(error)) from None
        text = json.dumps(
            services.personal_data_export(user=user),
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            indent=2,
        )
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            self.stderr.write(f"Wrote the personal data of {user.username} to {output}.")
        else:
            self.stdout.write(text)
