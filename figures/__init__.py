"""Plotly figures built from data: pure functions, no Dash, shared by the app and its commands."""
