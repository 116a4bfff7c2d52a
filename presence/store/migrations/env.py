"""Alembic's environment for the store: it migrates the connection the store hands it
(config.attributes["connection"]), never one of its own."""

from alembic import context

from presence.store.tables import metadata

connection = context.config.attributes["connection"]
# SQLite (the GeoPackage file) alters a table by copying it: batch mode does that.
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
