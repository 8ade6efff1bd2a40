import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from actors.admin import UserAdmin
from actors.models import User
from privacy import services


class PersonalDataUserAdmin(UserAdmin):
    """The people's admin, with a download of everything kept about the chosen people.

    Here rather than in actors, which may not know what followup keeps about a person.
    """

    actions = ["personal_data_download"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("personal_data_download", None)
        return actions

    @admin.action(description=_("Hämta valda personers personuppgifter (JSON)"))
    def personal_data_download(self, request, queryset):
        if not request.user.is_superuser:
            raise PermissionDenied
        people = list(queryset.order_by("username"))
        data = {user.username: services.personal_data_export(user=user) for user in people}
        name = people[0].username if len(people) == 1 else "flera"
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="personuppgifter-{name}.json"'
        return response


admin.site.unregister(User)
admin.site.register(User, PersonalDataUserAdmin)
