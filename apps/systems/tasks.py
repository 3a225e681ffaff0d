from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def system_tokens_clear_task() -> int:
    """Beat, daily: expired access tokens of departments' systems are deleted."""
    return services.system_tokens_clear_expired()
