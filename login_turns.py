"""When a login attempt on a user name may have its password checked: guessing stays slow,
and no one's wrong guesses lock a colleague out.

- A user name gets at most one new password checked every SPACING seconds (10 a minute), on
  the whole machine: the turns are kept in a small file per name, locked while read and
  written, that every worker process of the server shares. An attempt whose turn comes later
  waits for it (at most MAX_WAIT seconds, else it is told when to try again): the right
  password still gets in while someone guesses, a few seconds later.
- The same password sent again (a page's dozens of requests, or three workers each meeting
  it) waits for the same turn and takes no new one; a password already found wrong in the
  last WINDOW seconds is answered at once, without a hash.
- The state of the names the users file holds is never dropped: a flood of made-up names
  cannot erase a user's count. Made-up names get the same turns from a table of their own
  (bounded, in memory) and are never hashed, so they cannot take the hashing slots from
  colleagues; their answer waits as long as a hash takes, so timing does not tell which
  names exist.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

SPACING = 6.0  # s between two new passwords checked for one name: 10 a minute
WINDOW = 60.0  # s a wrong password is remembered (answered at once if sent again)
MAX_WAIT = 12.0  # s an attempt may wait for its turn; past that: "try again in N s"
UNKNOWN_NAMES_KEPT = 10_000


class Turns:
    """The turns of the names of one users file, shared by the processes that serve it."""

    def __init__(self, users: dict[str, str], folder: Path | None = None):
        self.users = users
        # One folder per users file (its names and salted hashes): two apps never share turns.
        key = hashlib.sha256(json.dumps(sorted(users.items())).encode()).hexdigest()[:16]
        self.folder = folder or Path(tempfile.gettempdir()) / f"dashboard-logins-{os.getuid()}" / key
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.key = self._shared_key()
        self.unknown: OrderedDict[str, float] = OrderedDict()  # made-up name: its last turn
        self.lock = threading.Lock()

    def _shared_key(self) -> bytes:
        """The key of the digests the turns keep (never a password): made by the first
        process, read by the others."""
        path = self.folder / "key"
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            for _ in range(50):  # its maker may be writing it
                key = path.read_bytes()
                if len(key) == 32:
                    return key
                time.sleep(0.01)
            raise RuntimeError(f"{path}: not a login key") from None
        key = secrets.token_bytes(32)
        with os.fdopen(descriptor, "wb") as file:
            file.write(key)
        return key

    def digest(self, name: str, password: str) -> str:
        hashed = self.users.get(name, "")  # a changed password is a new one
        return hmac.new(self.key, "\0".join((name, password, hashed)).encode(),
                        "sha256").hexdigest()

    def take(self, name: str, digest: str) -> tuple[str, float]:
        """("check", when), ("wrong", 0) for a password found wrong lately, or ("later", s)
        when its turn is more than MAX_WAIT away."""
        now = time.monotonic()
        if name not in self.users:
            with self.lock:
                turn = max(now, self.unknown.get(name, -SPACING) + SPACING)
                if turn - now > MAX_WAIT:
                    return "later", turn - now
                self.unknown[name] = turn
                self.unknown.move_to_end(name)
                if len(self.unknown) > UNKNOWN_NAMES_KEPT:
                    self.unknown.popitem(last=False)
            return "check", turn
        with self._entries(name) as entries:
            # (a turn further ahead than any can be was taken before the machine restarted)
            entries[:] = [entry for entry in entries
                          if now - WINDOW < entry["turn"] <= now + MAX_WAIT + SPACING]
            same = next((entry for entry in entries if entry["digest"] == digest), None)
            if same is not None:
                return ("wrong", 0.0) if same["wrong"] else ("check", same["turn"])
            turn = max([now] + [entry["turn"] + SPACING for entry in entries])
            if turn - now > MAX_WAIT:
                return "later", turn - now
            entries.append({"turn": turn, "digest": digest, "wrong": False})
            return "check", turn

    def settle(self, name: str, digest: str, right: bool) -> None:
        """A right password gives its turn back (it was no guess); a wrong one is kept."""
        if right:
            self.give_back(name, digest)
        elif name in self.users:
            with self._entries(name) as entries:
                for entry in entries:
                    if entry["digest"] == digest:
                        entry["wrong"] = True

    def give_back(self, name: str, digest: str) -> None:
        """A turn the attempt will not use (it could not wait for it)."""
        if name in self.users:
            with self._entries(name) as entries:
                entries[:] = [entry for entry in entries if entry["digest"] != digest]

    def _entries(self, name: str):
        return _LockedEntries(self.folder / hashlib.sha256(name.encode()).hexdigest()[:24])


class _LockedEntries:
    """A name's turns, read and written back under an exclusive lock of its file."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> list[dict]:
        self.file = open(self.path, "a+", encoding="utf-8")
        fcntl.flock(self.file, fcntl.LOCK_EX)
        self.file.seek(0)
        try:
            self.entries = json.loads(self.file.read() or "[]")
        except ValueError:  # a file cut by a crash: its turns are forgotten, not trusted
            self.entries = []
        return self.entries

    def __exit__(self, *error) -> None:
        try:
            if error[0] is None:
                self.file.seek(0)
                self.file.truncate()
                self.file.write(json.dumps(self.entries))
                self.file.flush()
        finally:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()
