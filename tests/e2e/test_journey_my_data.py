"""A resident downloads their data in a real browser: they ask for a copy, download the ZIP,
find their case in data.json, check the sealed summary on /verify/, and see who at the city
looked at their case. axe-core on every page (tests/e2e/journeys.py)."""

import io
import json
import zipfile

import pytest

from tests.cases.conftest import submit_case
from tests.catalog.factories import make_service
from tests.e2e.journeys import prepared
from tests.feedback.conftest import decide_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_downloads_their_data_and_checks_the_summary(
    journey, resident, department, clerk, lead, django_capture_on_commit_callbacks
):
    # given a resident whose application the department decided (built through the services)
    service = make_service(department=department)
    case = prepared(
        lambda: decide_case(
            submit_case(service, resident), clerk, django_capture_on_commit_callbacks
        )
    )
    me = journey.person("resident", resident)

    # when they open "my data" and ask for a copy
    me.go("/my-data/")
    me.submit(me.page.locator("form[action='/my-data/exports/'] button[type=submit]"))

    # then the copy is ready to download (built at once here: Celery runs eagerly)
    link = me.page.locator("main a[href^='/my-data/exports/'][href$='/download/']")
    assert link.count() == 1, me.main

    # when they download it
    with me.page.expect_download() as download:
        link.click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))

    # then it holds their case, machine-readable, and a sealed PDF summary
    names = archive.namelist()
    assert {"data.json", "summary.pdf"} <= set(names), names
    data = json.loads(archive.read("data.json"))
    assert case.number in json.dumps(data, ensure_ascii=False)
    pdf = archive.read("summary.pdf")
    assert pdf.startswith(b"%PDF")

    # when they check the summary on the verification page
    me.go("/verify/")
    me.page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "summary.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    me.submit(me.page.locator("main form button[type=submit]"))

    # then the portal says it issued it, unchanged
    assert me.page.locator("#result-title").inner_text() == "有效：本文书由门户出具", me.main

    # when a clerk of the department opens the case in their own browser
    desk = journey.person("clerk", clerk)
    desk.go(f"/staff/cases/{case.number}/")

    # then on their case page the resident finds who at the city looked at it: the
    # department and the role
    me.go(f"/cases/{case.number}/")
    me.submit(me.page.locator(f"main a[href='/my-data/cases/{case.number}/views/']"))
    assert "市场监督管理局" in me.main and "clerk" not in me.main, me.main

    journey.assert_accessible()
