from pathlib import Path

from apps.cases.management.commands.workflow_docs import DOC, render_markdown


def test_docs_workflow_matches_the_code():
    # If this fails, the state machines changed: run `manage.py workflow_docs` and commit.
    assert Path(DOC).read_text(encoding="utf-8") == render_markdown()


def test_the_diagram_shows_the_application_workflow():
    text = render_markdown()
    for edge in ("accept", "refuse", "return_for_correction", "resubmit", "approve", "withdraw"):
        assert f"[label={edge}]" in text
