import os

import pytest


@pytest.mark.integration
def test_healthz_answers_when_the_real_broker_answers(client, db, settings):
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        if os.environ.get("REQUIRE_INTEGRATION") == "1":
            pytest.fail("REQUIRE_INTEGRATION=1 but CELERY_BROKER_URL is not set")
        pytest.skip("needs a real broker (CELERY_BROKER_URL)")
    settings.CELERY_BROKER_URL = broker
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
