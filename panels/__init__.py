"""The panels beside the map, each one module holding its layout (`panel`) and its callbacks
(`register`): bring a layer (`bring_layer.py`), briefings (`briefings.py`, with its decks in
`decks.py`), export (`export.py`); and the details of the selection, a record or a country's
card (`details.py`), whose content the view callback sets (callbacks/view.py)."""
