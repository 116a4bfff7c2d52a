"""Dash callbacks, one module per part of the page; each registers itself on import."""
