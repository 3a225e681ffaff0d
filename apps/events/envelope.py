"""An `Event` row as a CloudEvents 1.0 event (the `cloudevents` SDK): the same JSON in the
pull feed and in a webhook's body (structured mode, `application/cloudevents+json`)."""

import json
from typing import Any

from cloudevents.core.bindings.http import to_structured
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from .models import Event

DATA_CONTENT_TYPE = "application/json"


def event_cloudevent(*, event: Event) -> CloudEvent:
    """The CloudEvent of a row; `sequence` (the CloudEvents sequence extension) is the feed's
    cursor, a string as the extension says. A webhook sent before the sequencer numbered its
    event (only if the after-commit numbering failed) goes without it."""
    attributes = {
        "specversion": "1.0",
        "id": str(event.event_id),
        "source": event.source,
        "type": event.type,
        "subject": event.subject,
        "time": event.time,
        "datacontenttype": DATA_CONTENT_TYPE,
    }
    if event.sequence is not None:
        attributes["sequence"] = str(event.sequence)
    return CloudEvent(attributes=attributes, data=dict(event.data))


def event_structured(*, event: Event) -> tuple[dict[str, str], bytes]:
    """Headers and body of the event in HTTP structured content mode."""
    message = to_structured(event_cloudevent(event=event), JSONFormat())
    return dict(message.headers), message.body


def event_json(*, event: Event) -> dict[str, Any]:
    """The event as the pull API serves it: the structured body, parsed."""
    result: dict[str, Any] = json.loads(event_structured(event=event)[1])
    return result
