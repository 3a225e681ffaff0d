from apps.cases.management.commands.workflow_docs import render_markdown


def test_the_diagram_shows_the_complaint_workflow_from_the_proxy():
    text = render_markdown()
    complaint = text[text.index("## Complaint (12345 work order)") :]
    for edge in (
        "file_complaint",
        "dispatch",
        "sign",
        "complaint_return",
        "reply",
        "reopen",
        "merge",
        "close",
    ):
        assert f"[label={edge}]" in complaint
    # the application transitions the proxy inherits are not the complaint machine
    for edge in ("accept", "submit", "approve", "withdraw"):
        assert f"[label={edge}]" not in complaint
    application = text[: text.index("## Review task")]
    assert "[label=dispatch]" not in application
