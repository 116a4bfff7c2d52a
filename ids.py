"""Component IDs, kept in one place and shared by the layout, the callbacks and the tests."""

MAP = "map"
RECORD_COUNT = "record-count"
