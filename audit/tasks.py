from celery import shared_task

from audit import services


@shared_task(name="audit.audit_log_prune")
def audit_log_prune() -> int:
    """Every night (Celery beat): delete the entries past the retention time."""
    return services.audit_log_prune()
