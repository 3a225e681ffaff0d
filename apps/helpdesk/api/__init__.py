"""The help desk API, by audience (only the desk has one)."""
