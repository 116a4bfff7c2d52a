"""Component IDs, kept in one place and shared by the layout, the callbacks and the tests."""

URL = "url"
MAP = "map"
RECORD_COUNT = "record-count"
THEMES = "filter-themes"
REGION = "filter-region"
LAYERS = "filter-layers"
EMPTY_STATE = "empty-state"
