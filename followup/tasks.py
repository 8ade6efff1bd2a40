from celery import shared_task
from django.conf import settings
from django.utils import timezone

from followup import reminders

# Errors that mean "the mail server could not take it now": try again later.
TRANSIENT = (OSError,)  # smtplib's errors and refused connections are all OSErrors


@shared_task(name="followup.reminders_sweep")
def reminders_sweep() -> int:
    """The daily sweep (Celery beat). Returns how many reminders it claimed."""
    return len(reminders.reminders_sweep(day=timezone.localdate()))


@shared_task(
    bind=True,
    name="followup.reminder_send",
    max_retries=None,
    acks_late=True,
)
def reminder_send(self, reminder_id: int) -> bool:
    """Send one claimed reminder, retrying with exponential back-off while the server is down."""
    try:
        return reminders.reminder_deliver(reminder_id)
    except TRANSIENT as error:
        final = self.request.retries >= settings.REMINDER_MAX_RETRIES
        reminders.reminder_record_failure(reminder_id, error, final=final)
        if final:
            return False
        base = settings.REMINDER_RETRY_BASE_SECONDS
        countdown = min(base * 2**self.request.retries, settings.REMINDER_RETRY_MAX_SECONDS)
        raise self.retry(exc=error, countdown=countdown) from error
