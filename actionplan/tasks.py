from celery import shared_task

from actionplan import services


@shared_task(
    name="actionplan.delegation_notify",
    # A mail server that is down now may be back in a minute (smtplib's errors are OSErrors).
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    max_retries=6,
    acks_late=True,
)
def delegation_notify(delegation_id: int) -> bool:
    """Tell a colleague that a commitment was delegated to them (queued by delegation_grant)."""
    return services.delegation_notify(delegation_id=delegation_id)
