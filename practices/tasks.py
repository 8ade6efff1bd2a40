from celery import shared_task

from practices import services


@shared_task(
    name="practices.practice_return_notify",
    # A mail server that is down now may be back in a minute (smtplib's errors are OSErrors).
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    max_retries=6,
    acks_late=True,
)
def practice_return_notify(practice_id: int, returned_by: str) -> bool:
    """Tell the proposer that county staff returned their entry (queued by practice_return)."""
    return services.practice_return_notify(practice_id=practice_id, returned_by=returned_by)
