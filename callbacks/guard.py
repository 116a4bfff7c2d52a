"""Requests no page of the dashboard could send (forged callback posts) are refused with a
400 and a one-line reason, never a traceback; oversized bodies get a 413 from Flask."""

from __future__ import annotations

from flask import Flask, jsonify

# Callback posts are a few kilobytes; the upload of a 20 MB layer arrives base64-encoded
# inside one (×4/3), with room to spare.
MAX_REQUEST_BYTES = 30 * 1024 * 1024


class RefusedInput(ValueError):
    """A value that no control of the page can produce."""


def install(server: Flask) -> None:
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    def refuse(error: RefusedInput):
        return jsonify(error=f"refused: {error}"[:300]), 400

    server.register_error_handler(RefusedInput, refuse)
