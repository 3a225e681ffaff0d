"""Limits of complaints without an account: Open311 posts per API key and per address, and the
extraction-code SMS per phone."""

import re

import pytest

from apps.cases.models import Case
from apps.complaints.services import open311_client_create
from apps.core.sms import LocmemSmsBackend

from .conftest import file_complaint

pytestmark = pytest.mark.django_db

POST = {
    "service_code": "noise",
    "lat": "39.91",
    "long": "116.39",
    "description": "广场舞音响太吵",
    "first_name": "Li",
}


def test_open311_posts_with_one_key_are_limited(category, client, settings):
    # given a limit of two posts an hour for one client
    settings.RATE_LIMITS = {"open311-post-client": "2/h"}
    _client, key = open311_client_create(name="City app")
    for _ in range(2):
        assert client.post("/open311/v2/requests.json", {**POST, "api_key": key}).status_code == 201
    # when a third comes, from another address
    refused = client.post(
        "/open311/v2/requests.json",
        {**POST, "api_key": key},
        REMOTE_ADDR="198.51.100.4",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    # then it is refused with 429 in Open311's error shape, saying how long to wait
    assert refused.status_code == 429
    (error,) = refused.json()
    assert error["code"] == 429
    assert re.fullmatch(
        r"Too many service requests with this API key\. Try again in \d+ (seconds?|minutes?)\.",
        error["description"],
    )
    assert int(refused["Retry-After"]) > 0
    assert Case.objects.filter(channel=Case.Channel.OPEN311).count() == 2
    # and another client is not held back by it
    _other, other_key = open311_client_create(name="District app")
    assert (
        client.post("/open311/v2/requests.json", {**POST, "api_key": other_key}).status_code == 201
    )


def test_open311_posts_from_one_address_are_limited_even_without_a_key(category, client, settings):
    settings.RATE_LIMITS = {"open311-post-ip": "2/h"}
    _client, key = open311_client_create(name="City app")
    # two posts from one address: one guessing a key, one with a real one
    assert client.post("/open311/v2/requests.json", {**POST, "api_key": "guess"}).status_code == 403
    assert client.post("/open311/v2/requests.json", {**POST, "api_key": key}).status_code == 201
    # the third is refused, in XML too
    refused = client.post("/open311/v2/requests.xml", {**POST, "api_key": key})
    assert refused.status_code == 429
    assert b"<code>429</code>" in refused.content
    assert "来自此地址的服务请求过多。请在" in refused.content.decode()
    # while another address still may post
    other = client.post(
        "/open311/v2/requests.json", {**POST, "api_key": key}, REMOTE_ADDR="198.51.100.4"
    )
    assert other.status_code == 201


def test_the_extraction_code_sms_to_one_phone_is_limited(
    category, settings, django_capture_on_commit_callbacks
):
    # given a limit of two code messages an hour to one phone
    settings.RATE_LIMITS = {"code-send": "2/h"}
    codes = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            case, code = file_complaint(
                category, reporter_name="王五", reporter_phone="13700137009"
            )
        codes.append((case.number, code))
    # then every complaint is filed and has its code, but only two code messages went to the
    # phone (the notices of the case itself are notifications, not codes)
    assert Case.objects.filter(reporter_phone="13700137009").count() == 3
    sent = [
        m
        for m in LocmemSmsBackend.outbox
        if m["to"] == "13700137009" and m["idempotency_key"].startswith("complaint-code:")
    ]
    assert len(sent) == 2
    assert codes[0][1] in sent[0]["body"] and codes[1][1] in sent[1]["body"]
