"""Requests no page of the dashboard could send (forged callback posts) are refused with a
400 and a one-line reason, never a traceback; oversized bodies get a 413 from Flask.

Three lines of defence: the post's structure is checked against the callbacks the app
declares before Dash reads it; callbacks refuse values no control can produce
(RefusedInput); and a callback that still fails on what was posted answers a 400 with one
line in the log instead of a 500 and a traceback."""

from __future__ import annotations

import logging
import math

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

# Callback posts are a few kilobytes; the upload of a 20 MB layer arrives base64-encoded
# inside one (×4/3), with room to spare.
MAX_REQUEST_BYTES = 30 * 1024 * 1024
UPDATE_PATH = "/_dash-update-component"
LOG = logging.getLogger("dashboard.refused")


class RefusedInput(ValueError):
    """A value that no control of the page can produce."""


def install(server: Flask, callback_map) -> None:
    """Refuse forged posts on `server`; `callback_map()` gives the Dash app's callbacks
    (output → declared inputs and state), complete once they are all registered."""
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    def refuse(error: RefusedInput):
        return jsonify(error=f"refused: {error}"[:300]), 400

    def check_structure():
        if request.method == "POST" and request.path.endswith(UPDATE_PATH):
            problem = structure_problem(_posted_json(), callback_map())
            if problem:
                return refuse(RefusedInput(problem))
        return None

    def failed_on_posted_values(error: Exception):
        if isinstance(error, HTTPException):
            return error
        if not request.path.endswith(UPDATE_PATH):
            raise error
        body = _posted_json()
        body = body if isinstance(body, dict) else {}
        LOG.warning("callback %s failed on the values posted: %s: %s",
                    str(body.get("output"))[:120], type(error).__name__,
                    " ".join(str(error).split())[:200])
        return refuse(RefusedInput("the callback cannot use the values posted"))

    server.register_error_handler(RefusedInput, refuse)
    server.before_request(check_structure)
    server.register_error_handler(Exception, failed_on_posted_values)


def _posted_json():
    """The post's JSON, or None when it is not JSON or nests too deep to parse (Python's
    parser raises RecursionError, which `silent` does not catch)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def structure_problem(body, callback_map: dict) -> str | None:
    """Why a callback post is not one the page sends, or None."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown callback output"
    if not _finite(body):
        return "a number that is not finite"
    if not isinstance(body.get("outputs"), (dict, list)):
        return "'outputs' is not an object or a list"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' is not a list of strings"
    declared = callback_map[output]
    for key in ("inputs", "state"):
        posted = body.get(key, [])
        expected = declared.get(key, [])
        if not isinstance(posted, list) or len(posted) != len(expected):
            return f"'{key}' does not hold the callback's {len(expected)} values"
        for item, dependency in zip(posted, expected):
            if not _matches(item, dependency):
                return f"'{key}' names a control the callback does not read"
    return None


def _matches(item, dependency: dict) -> bool:
    pattern = dependency["id"].startswith("{")  # a pattern-matching id, sent as objects
    items = item if pattern and isinstance(item, list) else [item]
    for one in items:
        if not isinstance(one, dict) or one.get("property") != dependency["property"]:
            return False
        if pattern and not isinstance(one.get("id"), dict):
            return False
        if not pattern and one.get("id") != dependency["id"]:
            return False
    return True


def _finite(value, depth: int = 0) -> bool:
    if depth > 50:  # no control of the page nests this deep
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v, depth + 1) for v in value)
    return True
