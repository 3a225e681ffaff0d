"""Receipt render and seal medians against a floor measured in the same run.

    .venv/bin/python benchmarks/receipt_benchmark.py [--runs 30] [--profile]

Standalone: uses portal.settings with a temporary SIGNING_KEYS_DIR and MEDIA_ROOT, and no
database (it calls render_pdf(), pdf_seal() and pdf_seal_check() as document_issue() does).
Each run times, one after the other so that a busy machine slows all of them alike:

- floor: a bare one-line WeasyPrint page (`HTML(string="<p>…</p>").write_pdf()`, default font);
- floor CJK: the same one line in Chinese with the receipt's font list, through html_to_pdf();
- render: the receipt (12 answers in Chinese, QR code) through render_pdf();
- seal: pdf_seal() of that PDF (PAdES B-B, pyHanko);
- check: pdf_seal_check() of the sealed PDF (document_issue() checks what it stores).

The first run (font discovery and cutting, key creation) is a warm-up and is not counted.
`--profile` prints where a receipt's time goes (cProfile, top 30 by cumulative time, or by
PROFILE_SORT=tottime) instead.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR_CJK_HTML = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><style>
html { font-family: "Portal Sans CJK SC", "Noto Sans CJK SC", sans-serif; }
</style></head><body><p>{line}</p></body></html>"""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {cpu}; load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="receipt-benchmark-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["SIGNING_KEYS_DIR"] = str(workdir / "keys")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()

    from django.utils import timezone, translation
    from weasyprint import HTML

    from apps.core.pdf import html_to_pdf, render_pdf
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
    floor_cjk_html = FLOOR_CJK_HTML.replace("{line}", "您好，世界。")

    def one() -> dict[str, float]:
        times: dict[str, float] = {}
        start = time.perf_counter()
        HTML(string="<p>Hello, world.</p>").write_pdf()
        times["floor"] = time.perf_counter() - start
        start = time.perf_counter()
        html_to_pdf(html=floor_cjk_html)
        times["floor CJK"] = time.perf_counter() - start
        start = time.perf_counter()
        pdf = render_pdf(template_name="documents/receipt.html", context=context)
        times["render"] = time.perf_counter() - start
        start = time.perf_counter()
        sealed = pdf_seal(pdf_bytes=pdf, reason=f"Verification code {code}")
        times["seal"] = time.perf_counter() - start
        start = time.perf_counter()
        check = pdf_seal_check(pdf_bytes=sealed)
        times["check"] = time.perf_counter() - start
        assert check.status == "intact", check
        times["size"] = len(sealed)
        return {k: v * 1000 if k != "size" else v for k, v in times.items()}

    warm = one()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            pdf_seal(pdf_bytes=render_pdf(template_name="documents/receipt.html", context=context))
        profiler.disable()
        order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
        pstats.Stats(profiler).sort_stats(order).print_stats(30)
        return

    print(f"machine: {machine()}")
    runs = [one() for _ in range(args.runs)]
    print(f"machine after: {machine()}")

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    def p90(key: str) -> float:
        return statistics.quantiles([run[key] for run in runs], n=10, method="inclusive")[-1]

    totals = [run["render"] + run["seal"] for run in runs]
    floor = median("floor")
    print(
        f"receipt, {args.runs} runs (warm-up {warm['render'] + warm['seal']:.0f} ms), "
        f"sealed PDF {median('size') / 1024:.0f} KiB"
    )
    print(f"  {'step':<16} {'median':>9} {'p90':>9} {'x floor':>8}")
    for key in ("floor", "floor CJK", "render", "seal", "check"):
        print(f"  {key:<16} {median(key):7.1f}ms {p90(key):7.1f}ms {median(key) / floor:7.1f}x")
    total = statistics.median(totals)
    print(f"  {'render + seal':<16} {total:7.1f}ms {'':>9} {total / floor:7.1f}x")


if __name__ == "__main__":
    main()
