from celery import shared_task


@shared_task(name="kvinnofrid.ping")
def ping() -> str:
    """The smallest real job: proves that a worker takes tasks from the broker and answers."""
    return "pong"
