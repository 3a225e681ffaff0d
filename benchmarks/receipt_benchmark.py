"""Median time to render and seal one receipt (WeasyPrint + pyHanko PAdES), 20 runs.

    .venv/bin/python benchmarks/receipt_benchmark.py [--runs 20]

Standalone: uses portal.settings with a temporary SIGNING_KEYS_DIR and MEDIA_ROOT, and no
database (it calls render_pdf() and pdf_seal() directly, as document_issue() does). The first
rendering (font discovery, key creation) is a warm-up and is not counted.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="receipt-benchmark-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["SIGNING_KEYS_DIR"] = str(workdir / "keys")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()

    from django.utils import timezone, translation

    from apps.core.pdf import render_pdf
    from apps.documents.services import qr_data_uri, verification_url
    from apps.signatures.services import pdf_seal, pdf_seal_check

    translation.activate("zh-hans")
    code = "7KQM-3XWP-HT9C-N2RD"
    url = verification_url(code=code)
    context = {
        "case_number": "SQ-20250501-000123",
        "service_name": "个体工商户设立登记",
        "submitted_at": timezone.now(),
        "deadline": datetime.date(2025, 5, 20),
        "applicant_name": "张三",
        "answers": [
            {"label": f"问题 {i}", "value": "北京市东城区建国门内大街 1 号，餐饮服务。" * 2}
            for i in range(12)
        ],
        "next_steps": "我们将在 5 个工作日内审核您的申请，结果会通过短信和站内消息通知您。",
        "verification_code": code,
        "verification_url": url,
        "qr_svg": qr_data_uri(url=url),
    }

    def one() -> tuple[float, float, int]:
        start = time.perf_counter()
        pdf = render_pdf(template_name="documents/receipt.html", context=context)
        rendered = time.perf_counter()
        sealed = pdf_seal(pdf_bytes=pdf, reason=f"Verification code {code}")
        done = time.perf_counter()
        return (rendered - start) * 1000, (done - rendered) * 1000, len(sealed)

    warm_render, warm_seal, size = one()
    check = pdf_seal_check(pdf_bytes=render_and_seal_once(render_pdf, pdf_seal, context))
    assert check.status == "intact", check

    totals, renders, seals = [], [], []
    for _ in range(args.runs):
        render_ms, seal_ms, size = one()
        renders.append(render_ms)
        seals.append(seal_ms)
        totals.append(render_ms + seal_ms)

    def p90(values):
        return statistics.quantiles(values, n=10, method="inclusive")[-1]

    print(f"receipt render + seal, {args.runs} runs (warm-up {warm_render + warm_seal:.0f} ms)")
    print(f"  PDF size   {size / 1024:.0f} KiB")
    print(
        f"  total  median {statistics.median(totals):7.1f} ms  p90 {p90(totals):7.1f} ms  "
        f"min {min(totals):7.1f} ms  max {max(totals):7.1f} ms"
    )
    print(f"  render median {statistics.median(renders):7.1f} ms")
    print(f"  seal   median {statistics.median(seals):7.1f} ms")


def render_and_seal_once(render_pdf, pdf_seal, context) -> bytes:
    return pdf_seal(pdf_bytes=render_pdf(template_name="documents/receipt.html", context=context))


if __name__ == "__main__":
    main()
