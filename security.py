"""Who may see the dashboard, and what the browser may do with it.

- Security headers on every response: a Content-Security-Policy that allows nothing outside
  the app, no framing by other sites, `nosniff`, no referrer sent to other sites.
- An optional login (HTTP Basic) in front of every route, the assets and the export
  included: user names with password hashes, from a file (`--users FILE`,
  DASHBOARD_USERS_FILE) or an environment variable (DASHBOARD_USERS, `name:hash` pairs
  separated by commas). `python app.py add-user NAME --users FILE` writes a hash.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

from flask import Flask, Response, g, has_request_context, request
from werkzeug.security import check_password_hash, generate_password_hash

from login_turns import Turns
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
# Hashes computed at once (each takes ~32 MB): more logins wait, then get a 503. Only the
# names of the users file are hashed (login_turns: made-up names cannot take these slots).
CONCURRENT_HASHES, HASH_WAIT = 2, 10.0
# Attempts waiting for their turn at once per process: half the threads of the documented
# gunicorn command (--threads 4), so that waiting logins never hold a worker's every thread.
MAX_WAITING = 2
TIMING_GUESS = "a guess"  # the password of the check that times a hash, at start
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Cooperation dashboard", charset="UTF-8"'}


def signed_in_user() -> str | None:
    """The user whose password this request carried and the login checked; None without a
    login (an Authorization header that nothing checked names nobody)."""
    return g.get("user") if has_request_context() else None


class _PasswordChecks:
    """Checks a password once however many requests bring it at the same time (a page's
    first requests): the others wait for its answer, and later ones find it verified."""

    def __init__(self, users: dict[str, str]):
        self.users = users
        self.hashing = threading.BoundedSemaphore(CONCURRENT_HASHES)
        self.lock = threading.Lock()
        self.running: dict[str, tuple[threading.Event, list]] = {}
        self.verified: OrderedDict[str, None] = OrderedDict()  # digests of right passwords
        # A made-up name waits as long as a real check takes, without the hash's CPU.
        started = time.perf_counter()
        check_password_hash(generate_password_hash("not a password"), TIMING_GUESS)
        self.decoy_seconds = time.perf_counter() - started

    def known(self, name: str, digest: str) -> bool:
        """Whether this name's password was found right already (no hash, no turn)."""
        with self.lock:
            if name in self.users and digest in self.verified:
                self.verified.move_to_end(digest)
                return True
        return False

    def check(self, name: str, password: str, digest: str) -> bool | None:
        """Whether the password is right; None when no hashing slot came in time."""
        hashed = self.users.get(name)
        if hashed is None:
            time.sleep(self.decoy_seconds)
            return False
        with self.lock:
            mine = digest not in self.running
            if mine:
                self.running[digest] = (threading.Event(), [])
            done, answer = self.running[digest]
        if not mine:
            return answer[0] if done.wait(HASH_WAIT + 60) and answer else None
        try:
            if not self.hashing.acquire(timeout=HASH_WAIT):
                answer.append(None)
                return None
            try:
                answer.append(check_password_hash(hashed, password))
            finally:
                self.hashing.release()
            return answer[0]
        finally:
            with self.lock:
                # Verified before the check ends: a request arriving between the two would
                # find neither and hash the same password again.
                if answer and answer[0]:
                    self.verified[digest] = None
                    if len(self.verified) > VERIFIED_MAX:
                        self.verified.popitem(last=False)
                del self.running[digest]
            done.set()


def install_login(server: Flask, users: dict[str, str]) -> None:
    """Every request needs a known user and the right password (HTTP Basic); guesses wait
    their turn (login_turns)."""
    turns = Turns(users)
    checks = _PasswordChecks(users)
    waiting = threading.BoundedSemaphore(MAX_WAITING)

    @server.before_request
    def require_login():
        auth = request.authorization
        if not auth or auth.type != "basic":  # nothing to check: no hash computed
            return Response("Login required.", 401, CHALLENGE)
        name, password = auth.username or "", auth.password or ""
        digest = turns.digest(name, password)
        if checks.known(name, digest):
            g.user = name
            return None
        verdict, when = turns.take(name, digest)
        if verdict == "wrong":
            return Response("Login required.", 401, CHALLENGE)
        if verdict == "later":
            wait = str(int(when) + 1)
            return Response(f"Too many failed logins for this name: try again in {wait} s.",
                            429, {"Retry-After": wait})
        if when > time.monotonic():  # its turn is to come: guesses stay slow
            if not waiting.acquire(blocking=False):
                turns.give_back(name, digest)
                return Response("Too many logins waiting: try again in 6 s.", 429,
                                {"Retry-After": "6"})
            try:
                time.sleep(max(0.0, when - time.monotonic()))
            finally:
                waiting.release()
        right = checks.check(name, password, digest)
        if right is None:
            return Response("Too many logins at once: try again shortly.", 503,
                            {"Retry-After": "5"})
        turns.settle(name, digest, right)
        if not right:
            return Response("Login required.", 401, CHALLENGE)
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
