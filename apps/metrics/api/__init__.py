"""The metrics API, by audience (only the public one: the open-data document)."""
