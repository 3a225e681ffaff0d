def test_healthz_answers_in_eager_mode_when_the_database_answers(client, db, settings):
    settings.CELERY_BROKER_URL = ""  # eager: no broker to ask
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_healthz_reports_broker_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
