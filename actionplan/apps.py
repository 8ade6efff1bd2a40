from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlanConfig(AppConfig):
    name = "actionplan"
    verbose_name = _("Strategi och handlingsplaner")

    def ready(self):
        from actionplan import services
        from actors import services as actors_services

        # An invitation a coordinator sent from the delegation form carries the commitments to
        # delegate (PendingDelegation); actors cannot import them, so it calls this when the
        # invitation is accepted, in the same transaction.
        actors_services.invitation_accepted_hook_register(services.pending_delegations_fulfil)
