from celery import shared_task
from django.utils import timezone

from prize import reminders, services


@shared_task(name="prize.reminders_sweep")
def prize_reminders_sweep() -> int:
    """The daily sweep of the prize's reminders (Celery beat), and the removal of visitors'
    nominations never confirmed. Returns how many reminders it claimed.

    They are sent by followup.reminder_send, and lost ones queued again by
    followup.reminders_requeue_stale, like the follow-up's own.
    """
    claimed = len(reminders.prize_reminders_sweep(day=timezone.localdate()))
    # Once a day too: visitors' nominations never confirmed are not kept.
    services.nominations_purge_unconfirmed()
    return claimed


@shared_task(
    name="prize.nomination_confirmation_send",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    max_retries=6,
    acks_late=True,
)
def nomination_confirmation_send(nomination_id: int) -> bool:
    """E-mail a visitor the link that confirms their address and submits the nomination."""
    return services.nomination_confirmation_send(nomination_id=nomination_id)
