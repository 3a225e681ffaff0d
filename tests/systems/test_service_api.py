"""The service API for departments' systems: an OAuth2 client of one department gets a token
by client credentials, approves its department's review task through the same services as a
clerk, is refused another department's task and what its scopes do not cover, and every audit
event it causes names the client."""

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from apps.audit.models import AuditEvent
from apps.cases.models import Case, ReviewTask
from apps.systems.selectors import access_token_get
from tests.cases.staff_factories import accepted_case, submitted_case
from tests.catalog.factories import make_service
from tests.systems.conftest import access_token, basic, bearer, post_json, token_response

pytestmark = pytest.mark.django_db


def test_a_token_by_client_credentials_is_short_lived_and_scoped(client, register, department):
    # given a system of the department with two scopes
    system, secret = register(department)
    # when it asks for a token with its id and secret
    response = token_response(client, system, secret)
    # then it gets a bearer token with its scopes, valid for minutes, not hours
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert sorted(body["scope"].split()) == ["cases:read", "tasks:act"]
    assert 0 < body["expires_in"] <= 600
    assert "refresh_token" not in body
    # and the issue is on the audit trail, naming the client, never the token
    event = AuditEvent.objects.get(action="systems.token.issue")
    assert event.client == f"审批系统 (client {system.client_id})"
    assert body["access_token"] not in str(event.data)


def test_the_client_secret_is_kept_hashed(register, department):
    system, secret = register(department)
    stored = system.application.__class__.objects.get(pk=system.application_id).client_secret
    assert stored != secret
    assert secret not in stored


def test_a_wrong_secret_is_refused_in_the_error_shape(client, register, department):
    system, _secret = register(department)
    response = token_response(client, system, "not-the-secret")
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "invalid_client"
    assert body["code"] == "invalid_client"
    assert body["detail"] and body["errors"] == {}


def test_only_the_client_credentials_grant_is_offered(client, register, department):
    system, secret = register(department)
    response = client.post(
        "/api/v1/systems/token/",
        {"grant_type": "password", "username": "x", "password": "y"},
        HTTP_AUTHORIZATION=basic(system.client_id, secret),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_a_scope_the_system_was_not_given_is_refused_at_the_token(client, register, department):
    system, secret = register(department, scopes=["cases:read"])
    response = token_response(client, system, secret, scope="cases:read tasks:act")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_a_switched_off_system_gets_no_token(client, register, department, administrator):
    from apps.systems.services import department_system_update

    system, secret = register(department)
    department_system_update(
        system=system, name=system.name, scopes=system.scopes, is_active=False, actor=administrator
    )
    assert token_response(client, system, secret).status_code == 401


def test_token_requests_are_rate_limited(client, register, department, settings):
    settings.RATE_LIMITS = {"oauth-token-client": "2/h"}
    system, secret = register(department)
    assert token_response(client, system, secret).status_code == 200
    assert token_response(client, system, "wrong").status_code == 401
    refused = token_response(client, system, secret)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


def test_a_client_approves_its_department_task_and_the_audit_names_it(
    client, register, department, other_department, parallel_service, clerk
):
    # given a case in parallel review by two departments, and the lead department's system
    case = accepted_case(parallel_service, clerk)
    system, secret = register(department)
    token = access_token(client, system, secret)
    own_task = ReviewTask.objects.get(case=case, department=department)
    # when the system approves its department's task with an opinion
    response = post_json(
        client, f"/api/v1/systems/tasks/{own_task.pk}/approve/", token, {"opinion": "材料齐全"}
    )
    # then the task is approved by the system's account, through the one transition mechanism
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    own_task.refresh_from_db()
    assert own_task.state == ReviewTask.State.APPROVED
    assert own_task.decided_by == system.user
    assert own_task.opinion == "材料齐全"
    # and the audit event names the client, not a person
    event = AuditEvent.objects.get(action="cases.review_task.task_approve")
    assert event.actor_id == system.user.pk
    assert event.client == f"审批系统 (client {system.client_id})"
    # and the case's timeline shows the step by the system, like a clerk's
    assert case.events.filter(verb="task_approve", actor=system.user).count() == 1


def test_the_last_approval_by_a_client_moves_the_case_on(client, register, department, clerk, lead):
    # given a case reviewed by the lead department alone
    case = accepted_case(make_service(department=department), clerk)
    system, secret = register(department)
    task = ReviewTask.objects.get(case=case)
    # when its system approves the only task
    response = post_json(
        client, f"/api/v1/systems/tasks/{task.pk}/approve/", access_token(client, system, secret)
    )
    assert response.status_code == 200
    # then the case is ready for the lead's decision, and the lead may decide it
    case.refresh_from_db()
    assert case.state == Case.State.IN_REVIEW
    assert not case.review_tasks.filter(state="active").exists()
    from apps.cases.selectors import case_get_for_staff, case_staff_actions

    staff_case = case_get_for_staff(user=lead, ref=case.number)
    assert case_staff_actions(case=staff_case, user=lead)["decide"]


def test_another_departments_task_is_refused_translated_and_audited(
    client, register, department, other_department, parallel_service, clerk
):
    # given the lead department's system, on a case the other department also reviews
    case = accepted_case(parallel_service, clerk)
    system, secret = register(department)
    token = access_token(client, system, secret)
    their_task = ReviewTask.objects.get(case=case, department=other_department)
    # when it tries to approve the other department's task (in Chinese)
    response = client.post(
        f"/api/v1/systems/tasks/{their_task.pk}/approve/",
        "{}",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        **bearer(token),
    )
    # then it is refused with the reason in the reader's language, and nothing changed
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert body["detail"] == "此步骤须由住房和城乡建设局的经办人员 / 部门负责人办理。"
    their_task.refresh_from_db()
    assert their_task.state == ReviewTask.State.ACTIVE
    # and the refusal is audited, naming the client
    refusal = AuditEvent.objects.get(action="cases.transition.refused")
    assert refusal.actor_id == system.user.pk
    assert refusal.client == system.audit_label
    assert refusal.data["department"] == other_department.code


def test_a_case_of_another_department_is_not_seen(
    client, register, department, other_department, clerk
):
    # given a case of the other department alone, and one of ours
    theirs = submitted_case(make_service(department=other_department, code="housing-permit"))
    ours = submitted_case(make_service(department=department))
    system, secret = register(department)
    token = access_token(client, system, secret)
    # then the list holds only ours, and theirs is not found
    listed = client.get("/api/v1/systems/cases/", **bearer(token))
    assert listed.status_code == 200
    assert [row["number"] for row in listed.json()["results"]] == [ours.number]
    assert client.get(f"/api/v1/systems/cases/{theirs.number}/", **bearer(token)).status_code == 404
    # and its detail of our case is a view of personal data on the audit chain
    detail = client.get(f"/api/v1/systems/cases/{ours.number}/", **bearer(token))
    assert detail.status_code == 200
    assert detail.json()["number"] == ours.number
    view = AuditEvent.objects.get(action="cases.case.staff_view")
    assert view.client == system.audit_label
    # ID numbers stay masked for a system
    assert "11010519491231" not in detail.content.decode()


def test_a_scope_the_token_lacks_is_refused_and_audited(
    client, register, department, parallel_service, clerk
):
    # given a read-only system of the department
    case = accepted_case(parallel_service, clerk)
    system, secret = register(department, scopes=["cases:read"])
    token = access_token(client, system, secret)
    task = ReviewTask.objects.get(case=case, department=department)
    # when it tries to approve (in Chinese)
    response = client.post(
        f"/api/v1/systems/tasks/{task.pk}/approve/",
        "{}",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        **bearer(token),
    )
    # then 403 naming the scope in the reader's language, audited with the client, and the
    # task is untouched
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "此客户端的令牌不含权限范围“tasks:act”（同意或不同意本部门的审查任务）。"
    )
    task.refresh_from_db()
    assert task.state == ReviewTask.State.ACTIVE
    event = AuditEvent.objects.get(action="systems.scope.refused")
    assert event.client == system.audit_label
    assert event.data["scope"] == "tasks:act"


def test_a_revoked_or_expired_token_is_refused(client, register, department):
    system, secret = register(department)
    revoked = access_token(client, system, secret)
    expired = access_token(client, system, secret)
    access_token_get(key=revoked).revoke()
    AccessToken.objects.filter(pk=access_token_get(key=expired).pk).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    for token in (revoked, expired):
        response = client.get("/api/v1/systems/cases/", **bearer(token))
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"


def test_a_scope_taken_away_ends_the_tokens_at_once(client, register, department, administrator):
    from apps.systems.services import department_system_update

    system, secret = register(department)
    token = access_token(client, system, secret)
    department_system_update(
        system=system, name=system.name, scopes=["cases:read"], is_active=True, actor=administrator
    )
    assert client.get("/api/v1/systems/cases/", **bearer(token)).status_code == 401


def test_a_staff_api_token_is_not_a_system_token(client, register, department):
    system, secret = register(department)
    token = access_token(client, system, secret)
    # the OAuth2 token opens the service API only, not the staff API
    assert client.get("/api/v1/tasks/", **bearer(token)).status_code == 401
    # and no token at all is a 401 on the service API
    assert client.get("/api/v1/systems/cases/").status_code == 401


def test_the_case_list_costs_the_same_for_one_case_or_many(client, register, department):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    service = make_service(department=department)
    system, secret = register(department)
    token = access_token(client, system, secret)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/systems/cases/", **bearer(token)).status_code == 200
        return len(captured)

    submitted_case(service)
    one = queries()
    submitted_case(service)
    submitted_case(service)
    assert queries() == one


def test_expired_tokens_are_cleared_and_live_ones_kept(client, register, department):
    from apps.systems.tasks import system_tokens_clear_task

    system, secret = register(department)
    live = access_token(client, system, secret)
    expired = access_token(client, system, secret)
    AccessToken.objects.filter(pk=access_token_get(key=expired).pk).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    assert system_tokens_clear_task() == 1
    assert AccessToken.objects.filter(application=system.application).count() == 1
    assert client.get("/api/v1/systems/cases/", **bearer(live)).status_code == 200


def test_a_state_filter_must_name_a_state(client, register, department):
    system, secret = register(department)
    token = access_token(client, system, secret)
    for bad in ("", "approved-ish"):
        response = client.get(f"/api/v1/systems/cases/?state={bad}", **bearer(token))
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["state"]
    assert client.get("/api/v1/systems/cases/?state=submitted", **bearer(token)).status_code == 200
