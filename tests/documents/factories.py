import datetime

from django.utils import timezone

SERVICE_NAME = "个体工商户设立登记"
CASE_NUMBER = "SQ-2025-000123"


def receipt_context(**overrides) -> dict:
    context = {
        "case_number": CASE_NUMBER,
        "service_name": SERVICE_NAME,
        "submitted_at": timezone.now(),
        "deadline": datetime.date(2025, 7, 1),
        "applicant_name": "张三",
        "answers": [
            {"label": "经营场所", "value": "北京市东城区建国门内大街 1 号"},
            {"label": "经营范围", "value": "餐饮服务"},
        ],
        "next_steps": "我们将在 5 个工作日内审核您的申请。",
    }
    context.update(overrides)
    return context


def issue_receipt(**kwargs):
    from apps.documents.services import document_issue

    params = {
        "kind": "receipt",
        "title": f"受理回执 {CASE_NUMBER}",
        "template_name": "documents/receipt.html",
        "context": receipt_context(),
    }
    params.update(kwargs)
    return document_issue(**params)
