from celery import shared_task

from countyreport import services


# Late acknowledgement and rejection on a lost worker: a worker killed in the middle of a build
# leaves the message on the broker, another worker takes it, and build_run completes it once.
@shared_task(name="countyreport.build", acks_late=True, reject_on_worker_lost=True)
def county_report_build(build_id: int) -> bool:
    """Build one queued county report build (its primary key); True when this run finished it."""
    return services.build_run(build_id)
