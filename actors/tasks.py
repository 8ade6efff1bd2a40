from celery import shared_task

from actors import services


@shared_task(
    name="actors.password_reset_send",
    # A mail server that is down now may be back in a minute (smtplib's errors are OSErrors).
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    max_retries=6,
    acks_late=True,
)
def password_reset_send(email: str) -> int:
    """Send the reset link for an address (queued by the reset form); how many were sent."""
    return services.password_reset_send(email=email)


@shared_task(
    name="actors.invitation_send",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    max_retries=6,
    acks_late=True,
)
def invitation_send(invitation_id: int) -> bool:
    """Make an invitation's link and e-mail it (queued when it is made or sent again)."""
    return services.invitation_send(invitation_id=invitation_id)
