"""Write docs/workflow.md from the django-fsm-2 transitions in the code (graph_transitions).

The cases app's machines are listed here; an installed app above cases adds its own (a proxy
model with its transitions) through a `workflow_sections` attribute on its AppConfig: a list
of {"model", "title", "text", "ignore"} (`ignore`: inherited transitions its graph leaves out)."""

import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from apps.cases.models import Case, ReviewTask

DOC = Path(settings.BASE_DIR) / "docs" / "workflow.md"

INTRO = """# Workflow

Generated from the code by `manage.py workflow_docs` (django-fsm-2's `graph_transitions`);
`tests/cases/test_workflow_docs.py` fails when the code and this page disagree. Every
transition runs in a service (`apps/<app>/services/`) inside one transaction: the row is locked
(`select_for_update`), the `@transition` checks its source state and its `permission=`, and the
service writes a `CaseEvent` (public or internal), an `AuditEvent` and queues the notifications
on commit.
"""

SECTIONS = [
    (
        Case,
        "Case (application)",
        """Submission is signed by the resident; `accept`, `refuse`, `return_for_correction` and
the decision (`approve` / `reject`) need the `process_case` object permission, which the lead
department's group receives when the case is submitted, and a role there (审批分离,
`apps/cases/duties.py`): intake by a clerk or lead; the decision by the role the service names
(`decision_role`, a lead by default; a lead always may) and, where the service asks for four
eyes (`four_eyes`, the default), not by whoever took the case in or decided one of its review
tasks. A superuser flag gives no right to act on a case. `approve` and `reject` are only
possible when the current review round has ended that way. `needs_correction` pauses the
clock when the case was returned during review, and restarts it when it was returned at
intake (一次告知).""",
    ),
    (
        ReviewTask,
        "Review task (one department, one stage)",
        """Stages run in order; the tasks of one stage run in parallel (并联审批). A task is
approved, rejected or returned by a clerk or lead of its department. A rejection
cancels the open sibling tasks. A co-reviewing department silent past its stage deadline is
approved with `deemed_consent` where the service allows it (默认同意), by the hourly deadline
sweep, which also warns one working day before a deadline and escalates overdue cases to the
department lead once per breach (督办).""",
    ),
]


def sections() -> list[tuple]:
    """(model, title, text, ignored transitions): cases' own, then each app's above it."""
    found = [(model, title, text, ()) for model, title, text in SECTIONS]
    for config in apps.get_app_configs():
        for section in getattr(config, "workflow_sections", None) or ():
            found.append(
                (section["model"], section["title"], section["text"], section.get("ignore", ()))
            )
    return found


def workflow_dot(model, ignore=()) -> str:
    """The graph of `model`'s state field, with its lines sorted so the text is stable."""
    from django_fsm.management.commands.graph_transitions import (
        all_fsm_fields_data,
        generate_dot,
    )

    with translation.override("en"):
        source = generate_dot(all_fsm_fields_data(model), ignore_transitions=list(ignore)).source
    lines = source.strip().splitlines()
    head = [line for line in lines if line.rstrip().endswith("{") or "graph [" in line]
    tail = [line for line in lines if line.strip() == "}"]
    body = sorted(line for line in lines if line not in head and line not in tail)
    return "\n".join(head + body + tail) + "\n"


def render_markdown() -> str:
    parts = [INTRO]
    for model, title, text, ignore in sections():
        name = model._meta.model_name
        parts.append(f"## {title}\n\n{text}\n\n![{title}](workflow-{name}.svg)\n")
        parts.append(f"```dot\n{workflow_dot(model, ignore)}```\n")
    return "\n".join(parts)


class Command(BaseCommand):
    help = "Regenerate docs/workflow.md (and the SVG diagrams where Graphviz is installed)."

    def handle(self, *args, **options):
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(render_markdown(), encoding="utf-8")
        dot = shutil.which("dot")
        for model, _title, _text, ignore in sections():
            if dot:
                svg = DOC.parent / f"workflow-{model._meta.model_name}.svg"
                subprocess.run(  # noqa: S603 - a fixed local binary with our own input
                    [dot, "-Tsvg", "-o", str(svg)],
                    input=workflow_dot(model, ignore).encode(),
                    check=True,
                )
        self.stdout.write(f"Wrote {DOC}" + ("" if dot else " (install graphviz for the SVGs)"))
