"""Hostile files at the counter: an attachment uploaded on a resident's behalf and the scanned
mandate form are refused with their reason, the rest of the form kept; evidence is served as a
download typed from its bytes."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.cases.models import Case
from apps.helpdesk.models import Mandate
from tests.cases.conftest import STEP1
from tests.core import sample_files as files

pytestmark = pytest.mark.django_db


def test_the_desk_step_refuses_a_polyglot_for_the_resident_and_keeps_the_answers(
    service, counter_clerk, assisted_resident, mandate, login
):
    # given counter staff acting for a resident, on the documents step
    client = login(counter_clerk)
    client.cookies["django_language"] = "en"
    client.post(f"/desk/residents/{assisted_resident.pk}/act/", {"mandate": mandate.pk})
    client.post(f"/desk/act/apply/{service.code}/")
    case = Case.objects.get(applicant=assisted_resident)
    assert client.post(f"/desk/act/cases/{case.ref}/steps/1/", STEP1).status_code == 302
    # when they upload the resident's scan, which is also a web page
    response = client.post(
        f"/desk/act/cases/{case.ref}/steps/2/",
        {
            "needs": ["bath"],
            "notes": "家属代为提交",
            "id_scan": files.upload("scan.pdf", files.pdf_html_polyglot()),
        },
    )
    # then the step comes back with the reason beside the field, and the answers kept
    assert response.status_code == 200
    page = response.content.decode()
    error = re.search(r'id="id_id_scan_error">(.*?)</p>', page, re.S)
    assert error and "“scan.pdf” also contains web page code" in error.group(1)
    assert "家属代为提交" in page
    case.refresh_from_db()
    assert case.answers["needs"] == ["bath"] and not case.attachments.exists()


def test_the_mandate_form_refuses_an_encrypted_scan_and_keeps_the_dates(
    counter_clerk, assisted_resident, login
):
    client = login(counter_clerk)
    client.cookies["django_language"] = "en"
    today = timezone.localdate()
    until = (today + timedelta(days=90)).isoformat()
    response = client.post(
        f"/desk/residents/{assisted_resident.pk}/mandates/new/",
        {
            "scope": "all",
            "valid_from": today.isoformat(),
            "valid_until": until,
            "evidence": files.upload("委托书.pdf", files.pdf_encrypted()),
        },
    )
    assert response.status_code == 200
    assert "“委托书.pdf” is an encrypted PDF: remove the password" in response.text
    assert f'value="{until}"' in response.text
    assert not Mandate.objects.exists()


def test_mandate_evidence_is_stored_by_its_content_and_served_as_a_download(
    counter_clerk, assisted_resident, login
):
    from apps.helpdesk import services

    # given a mandate whose scan was uploaded with a misleading name
    today = timezone.localdate()
    mandate = services.mandate_create(
        actor=counter_clerk,
        resident=assisted_resident,
        scope="all",
        valid_from=today,
        valid_until=today,
        upload=files.upload("form.html", files.jpeg(exif=True)),
    )
    # then it is kept as the JPEG it is, re-encoded
    assert mandate.evidence.name.endswith(".jpg")
    response = login(counter_clerk).get(f"/desk/mandates/{mandate.pk}/evidence/")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # and evidence kept before the check, under an .html name, is still never a web page
    mandate.evidence.save("old.html", ContentFile(b"<html><script>1</script>"), save=True)
    response = login(counter_clerk).get(f"/desk/mandates/{mandate.pk}/evidence/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
