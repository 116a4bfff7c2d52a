"""Imported layers: a file a user brings, and their choice of label and category columns,
turned into records that the map, filters, legend, table, URL and export treat like the rest.

Each imported layer lives in the data folder's `imports/`: the file as it was brought, and
beside it `<file>.layer.json` with the choices (a file placed there by hand without one gets
the columns guessed). Both are written whole (write beside, then rename), so a crash never
leaves half a layer. A layer loads whole or not at all: any problem in any row refuses it,
names the row and field, and the other layers and the data set are served as before.

The package's modules, in the order a file goes through them: `reading.py` (bytes → table,
bounded), `settings.py` (the user's choices), `rows.py` (table → checked records),
`examine.py` (both run in a bounded child, its answer checked), `folder.py` (the imports
folder, its caps, removal and undo). presence/live.py serves the data set with them.
"""
