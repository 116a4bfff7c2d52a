"""Dash callbacks of the map and the page around it, one module per part; app.py calls each
module's `register(app, …)`. The side panels keep their callbacks with their layout in
panels/."""
