"""A registration that would put a secret into the audit log stops the portal at start-up."""

from auditlog.registry import auditlog
from django.core import checks

from audit.events import is_secret


def secret_fields_tracked(registry=auditlog) -> list[str]:
    """The registered models' fields ("app.model.field") that sound secret and would be logged:
    neither left out of the registration's include_fields nor excluded. Masking is not enough:
    django-auditlog's mask keeps half of the value."""
    found = []
    for model in registry.get_models():
        options = registry.get_model_fields(model)
        for field in model._meta.concrete_fields:
            if not is_secret(field.name):
                continue
            if options["include_fields"] and field.name not in options["include_fields"]:
                continue
            if field.name in options["exclude_fields"]:
                continue
            found.append(f"{model._meta.label_lower}.{field.name}")
    return found


@checks.register(checks.Tags.security)
def check_no_secrets_logged(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"The audit log would record {name}.",
            hint="Add the field to exclude_fields in AUDITLOG_INCLUDE_TRACKING_MODELS.",
            id="audit.E001",
        )
        for name in secret_fields_tracked()
    ]
