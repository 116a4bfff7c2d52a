"""Who may see the dashboard, and what the browser may do with it.

- Security headers on every response: a Content-Security-Policy that allows nothing outside
  the app, no framing by other sites, `nosniff`, no referrer sent to other sites.
- An optional login (HTTP Basic) in front of every route, the assets and the export
  included: user names with password hashes, from a file (`--users FILE`,
  DASHBOARD_USERS_FILE) or an environment variable (DASHBOARD_USERS, `name:hash` pairs
  separated by commas). `python app.py add-user NAME --users FILE` writes a hash.
"""

from __future__ import annotations

import hmac
import itertools
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from pathlib import Path

from flask import Flask, Response, g, has_request_context, request
from werkzeug.security import check_password_hash, generate_password_hash

from presence.files import write_whole


class UsersError(ValueError):
    """A users file or variable that cannot be read."""


def content_security_policy(script_hashes: list[str]) -> str:
    # Plotly and Dash's components set inline styles, so style-src allows them; scripts only
    # from this server plus Dash's one inline bootstrap line (by its hash).
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def install_headers(server: Flask, script_hashes: list[str]) -> None:
    policy = content_security_policy(script_hashes)

    @server.after_request
    def add_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Same-origin requests keep the page URL: the layout is built in the language it asks.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        return response


# Roles a users file may give (after the hash, separated by spaces): an editor may change
# the data (presence.store); every other user sees it and its history.
ROLES = ("editor",)


def _entries(text: str, origin: str):
    """(number, name:hash, roles) of each entry of a users file."""
    for number, entry in enumerate(text.replace(",", "\n").splitlines(), start=1):
        entry = entry.split("#", 1)[0].strip()
        if not entry:
            continue
        login, *roles = entry.split()
        unknown = [role for role in roles if role not in ROLES]
        if unknown:
            raise UsersError(f"{origin}: entry {number}: unknown role '{unknown[0]}' "
                             f"(expected: {', '.join(ROLES)})")
        yield number, login, roles


def parse_editors(text: str, origin: str) -> set[str]:
    """The users a users file gives the editor role (`name:hash editor`)."""
    return {login.partition(":")[0].strip() for _, login, roles in _entries(text, origin)
            if "editor" in roles}


def load_editors(users_file: Path | None) -> set[str]:
    """The editors of the users load_users reads."""
    return parse_editors(*_users_text(users_file))


def _users_text(users_file: Path | None) -> tuple[str, str]:
    """The text of --users FILE, else DASHBOARD_USERS_FILE, else DASHBOARD_USERS, and its
    name for messages."""
    path = users_file or (Path(os.environ["DASHBOARD_USERS_FILE"])
                          if os.environ.get("DASHBOARD_USERS_FILE") else None)
    if path is None:
        return os.environ.get("DASHBOARD_USERS", ""), "DASHBOARD_USERS"
    try:
        return Path(path).read_text(encoding="utf-8"), str(path)
    except OSError as error:
        raise UsersError(f"{path}: {error.strerror}") from None


def parse_users(text: str, origin: str) -> dict[str, str]:
    """`name:hash` entries, one per line or separated by commas, each maybe followed by its
    roles (`editor`); '#' starts a comment."""
    users = {}
    for number, entry, _ in _entries(text, origin):
        name, _, hashed = entry.partition(":")
        if not name or not hashed or not hashed.startswith(("scrypt:", "pbkdf2:")):
            raise UsersError(f"{origin}: entry {number}: expected name:hash with a hash from "
                             "`python app.py add-user` (scrypt or pbkdf2)")
        users[name.strip()] = hashed.strip()
    return users


def load_users(users_file: Path | None) -> dict[str, str]:
    """The users of --users FILE, else DASHBOARD_USERS_FILE, else DASHBOARD_USERS; none: no
    login."""
    return parse_users(*_users_text(users_file))


# A browser sends its Basic credentials with every request (a page load is dozens): a
# password is hashed (scrypt, ~32 MB and tens of ms) once, then recognised by a keyed digest.
VERIFIED_MAX = 1_000
# Failed logins for one user name from one address within FAILURE_WINDOW seconds beyond
# which that pair gets a 429 without a hash being computed. Keyed by name and address, not
# address alone: behind a proxy every user has the proxy's address, and one person's typing
# must not lock out the others.
MAX_FAILURES, FAILURE_WINDOW = 10, 60.0
# Hashes computed at once (each takes ~32 MB): more logins wait, then get a 503.
CONCURRENT_HASHES, HASH_WAIT = 2, 10.0
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Cooperation dashboard", charset="UTF-8"'}


def signed_in_user() -> str | None:
    """The user whose password this request carried and the login checked; None without a
    login (an Authorization header that nothing checked names nobody)."""
    return g.get("user") if has_request_context() else None


def install_login(server: Flask, users: dict[str, str]) -> None:
    """Every request needs a known user and the right password (HTTP Basic)."""
    # Checked even for unknown names, so the answer's timing does not tell which names exist.
    decoy = generate_password_hash("not a password")
    key = secrets.token_bytes(32)  # per process: nothing verified outlives it
    verified: OrderedDict[bytes, None] = OrderedDict()
    failures: OrderedDict[tuple[str, str], deque] = OrderedDict()
    lock, hashing, attempts = threading.Lock(), threading.BoundedSemaphore(CONCURRENT_HASHES), \
        itertools.count()

    def digest(name: str, password: str, hashed: str) -> bytes:
        # The stored hash is in the digest: a changed password is verified anew.
        return hmac.new(key, "\0".join((name, password, hashed)).encode(), "sha256").digest()

    def recent_failures(who: tuple[str, str], now: float) -> deque:
        recent = failures.setdefault(who, deque())
        failures.move_to_end(who)
        while recent and now - recent[0][0] > FAILURE_WINDOW:
            recent.popleft()
        if len(failures) > VERIFIED_MAX:  # pairs seen once long ago go first
            failures.popitem(last=False)
        return recent

    def forget(who: tuple[str, str], attempt: tuple) -> None:
        with lock:
            if attempt in failures.get(who, ()):
                failures[who].remove(attempt)

    @server.before_request
    def require_login():
        auth = request.authorization
        if not auth or auth.type != "basic":  # nothing to check: no hash computed
            return Response("Login required.", 401, CHALLENGE)
        name, password = auth.username or "", auth.password or ""
        hashed = users.get(name)
        known = digest(name, password, hashed) if hashed else None
        who = (name, request.remote_addr or "-")
        with lock:
            if known is not None and known in verified:
                verified.move_to_end(known)
                g.user = name
                return None
            recent = recent_failures(who, time.monotonic())
            if len(recent) >= MAX_FAILURES:
                return Response("Too many failed logins: wait a minute.", 429,
                                {"Retry-After": str(int(FAILURE_WINDOW))})
            # Counted as failed before the hash, and taken back if the password is right:
            # guesses sent at once see each other, so no more than MAX_FAILURES are hashed.
            attempt = (time.monotonic(), next(attempts))
            recent.append(attempt)
        if not hashing.acquire(timeout=HASH_WAIT):
            forget(who, attempt)
            return Response("Too many logins at once: try again shortly.", 503,
                            {"Retry-After": "5"})
        try:
            right = check_password_hash(hashed or decoy, password) and hashed is not None
        finally:
            hashing.release()
        if not right:
            return Response("Login required.", 401, CHALLENGE)
        forget(who, attempt)
        with lock:
            verified[known] = None
            if len(verified) > VERIFIED_MAX:
                verified.popitem(last=False)
        g.user = name
        return None


def add_user(users_file: Path, name: str, password: str, editor: bool = False) -> None:
    """Add or replace a user's hash (and role) in a users file, written whole."""
    if not name or ":" in name or "," in name or "#" in name or any(c.isspace() for c in name):
        raise UsersError("a user name cannot be empty or hold ':', ',', '#' or a space")
    if len(password) < 8:
        raise UsersError("a password needs at least 8 characters")
    old = users_file.read_text(encoding="utf-8") if users_file.exists() else ""
    users = parse_users(old, str(users_file))
    editors = parse_editors(old, str(users_file)) - {name} | ({name} if editor else set())
    users[name] = generate_password_hash(password)
    text = "".join(f"{user}:{hashed}{' editor' if user in editors else ''}\n"
                   for user, hashed in users.items())
    write_whole(users_file, text.encode("utf-8"))
