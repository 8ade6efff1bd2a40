import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from followup import reminders


@shared_task(name="followup.reminders_sweep")
def reminders_sweep() -> int:
    """The daily sweep (Celery beat). Returns how many reminders it claimed."""
    return len(reminders.reminders_sweep(day=timezone.localdate()))


@shared_task(name="followup.reminders_requeue_stale")
def reminders_requeue_stale() -> int:
    """Every few minutes (Celery beat): queue again reminders that were lost on the way."""
    return reminders.reminders_requeue_stale()


@shared_task(bind=True, name="followup.reminder_send", max_retries=None, acks_late=True)
def reminder_send(self, reminder_id: int, model_label: str = reminders.DEFAULT_MODEL_LABEL) -> bool:
    """Send one claimed reminder, retrying with exponential back-off while sending fails.

    Any error is retried: a mail server or database that is down now may be back later, and
    the row records each failure for county staff until the reminder is sent or given up.
    `model_label` names the app's reminder model (a ClaimedDelivery): prize's too.
    """
    model = reminders.delivery_model(model_label)
    try:
        return reminders.reminder_deliver(reminder_id, model)
    except Exception as error:
        if self.request.retries >= settings.REMINDER_MAX_RETRIES:
            reminders.reminder_record_failure(reminder_id, error, retry_in=None, model=model)
            return False
        countdown = min(
            settings.REMINDER_RETRY_BASE_SECONDS * 2**self.request.retries,
            settings.REMINDER_RETRY_MAX_SECONDS,
        )
        reminders.reminder_record_failure(
            reminder_id, error, retry_in=datetime.timedelta(seconds=countdown), model=model
        )
        # retry() raises when it cannot put the retry on the broker; then the row stays marked
        # as not queued, and reminders_requeue_stale() queues it again soon.
        retry = self.retry(exc=error, countdown=countdown, throw=False)
        reminders.reminder_mark_queued(reminder_id, model)
        raise retry from error
