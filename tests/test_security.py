"""Who may see the dashboard: every route behind the login when it is on, security headers on
every answer, users files read strictly, debug off unless asked for."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

import security
from app import create_app
from commands import parse_args

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def guarded():
    app = create_app(users={"alice": generate_password_hash(PASSWORD)})
    return app.server.test_client(), app


def basic(name: str, password: str) -> dict:
    token = base64.b64encode(f"{name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def every_route(app) -> list[tuple[str, str]]:
    """(method, path) for each route the server has, placeholders filled with real names."""
    samples = {"filename": "style.css", "path": "topojson/world_110m.json",
               "package_name": "dash", "fingerprinted_path": "x.js"}
    routes = []
    for rule in app.server.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: samples.get(m.group(1), "x"),
                      rule.rule)
        method = "POST" if "POST" in rule.methods and "GET" not in rule.methods else "GET"
        routes.append((method, path))
    return routes


def test_every_route_needs_the_login(guarded):
    client, app = guarded
    routes = every_route(app)
    paths = {path for _, path in routes}
    assert {"/", "/_dash-layout", "/_dash-update-component", "/geodata/countries.geojson",
            "/assets/style.css"} <= paths
    for number, (method, path) in enumerate(routes):
        # The same wrong password is answered at once; a new name per route takes no turn
        # (guesses on one name wait theirs: below).
        for headers in ({}, basic("alice", "wrong"), basic(f"mallory{number}", PASSWORD)):
            response = client.open(path, method=method, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers)
            assert response.headers["WWW-Authenticate"].startswith("Basic")
    for path in ("/", "/_dash-layout", "/assets/style.css", "/geodata/areas.geojson"):
        assert client.get(path, headers=basic("alice", PASSWORD)).status_code == 200


def test_security_headers_on_every_answer(guarded):
    client, _ = guarded
    for path, headers in (("/", basic("alice", PASSWORD)), ("/assets/style.css", {}),
                          ("/_dash-layout", basic("alice", PASSWORD))):
        response = client.get(path, headers=headers)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy and "http" not in policy  # nothing outside the app
        assert re.search(r"script-src 'self' 'sha256-[^']+'(;|$)", policy)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_without_users_there_is_no_login(dataset):
    client = create_app().server.test_client()
    assert client.get("/").status_code == 200


def test_users_come_from_a_file_or_the_environment(tmp_path, monkeypatch):
    users_file = tmp_path / "users"
    security.add_user(users_file, "alice", PASSWORD)
    security.add_user(users_file, "bob", "another secret")
    security.add_user(users_file, "alice", "a new password")  # replaces, keeps bob
    users = security.load_users(users_file)
    assert set(users) == {"alice", "bob"} and PASSWORD not in users_file.read_text()
    monkeypatch.setenv("DASHBOARD_USERS", f"carol:{generate_password_hash('x' * 8)}")
    assert set(security.load_users(None)) == {"carol"}
    monkeypatch.setenv("DASHBOARD_USERS_FILE", str(users_file))
    assert set(security.load_users(None)) == {"alice", "bob"}
    for bad in ("alice", "alice:plaintext", ":scrypt:abc"):
        with pytest.raises(security.UsersError, match="entry 1: expected name:hash"):
            security.parse_users(bad, "DASHBOARD_USERS")
    with pytest.raises(security.UsersError, match="at least 8"):
        security.add_user(users_file, "dave", "short")


def test_add_user_command_reads_the_password_from_stdin(tmp_path):
    users_file = tmp_path / "users"
    done = subprocess.run([sys.executable, "app.py", "--users", str(users_file), "add-user",
                           "alice"], input=PASSWORD + "\n", cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    app = create_app(users=security.load_users(users_file))
    client = app.server.test_client()
    assert client.get("/", headers=basic("alice", PASSWORD)).status_code == 200


def test_served_on_localhost_without_debug_by_default():
    args = parse_args([])
    assert (args.host, args.debug, args.users) == ("127.0.0.1", False, None)


@pytest.fixture
def quick_turns(monkeypatch):
    """Login turns a hundred times faster than served (6 s between guesses), for tests that
    make many guesses."""
    import login_turns

    monkeypatch.setattr(login_turns, "SPACING", 0.06)
    monkeypatch.setattr(login_turns, "MAX_WAIT", 0.12)
    monkeypatch.setattr(login_turns, "WINDOW", 0.6)
    return login_turns


def counting_hashes(monkeypatch, pause: float = 0.0) -> list[tuple[float, str]]:
    """(when, password) of every check of a user's password hash the login computes from
    now (not the login's own timing of a check, with a hash of its own), each taking `pause`
    more."""
    import security as security_module

    calls = []
    real = security_module.check_password_hash

    def counted(hashed, password):
        if password != security_module.TIMING_GUESS:
            calls.append((time.monotonic(), password))
        time.sleep(pause)
        return real(hashed, password)

    monkeypatch.setattr(security_module, "check_password_hash", counted)
    return calls


def test_a_password_is_hashed_once_and_guesses_wait_their_turn(monkeypatch, quick_turns):
    # A wrong password remembered long enough for the repeat below to find it, however
    # slowly a busy machine hashes the eight guesses before it (0.6 s was too short once).
    monkeypatch.setattr(quick_turns, "WINDOW", 30.0)
    calls = counting_hashes(monkeypatch)
    client = create_app(users={"alice": generate_password_hash(PASSWORD)}).server.test_client()
    for _ in range(30):  # a page load and its filter changes
        assert client.get("/assets/style.css", headers=basic("alice", PASSWORD)).status_code == 200
    assert len(calls) == 1
    for _ in range(60):  # anonymous requests cost no hash at all
        assert client.get("/").status_code == 401
    assert len(calls) == 1
    started = time.monotonic()
    answers = [client.get("/", headers=basic("alice", f"guess{n}")).status_code for n in range(8)]
    assert answers == [401] * 8  # one after the other: each waits its turn, none refused
    guesses = [when for when, password in calls if password.startswith("guess")]
    assert len(guesses) == 8
    assert min(b - a for a, b in zip(guesses, guesses[1:])) >= quick_turns.SPACING * 0.95
    assert guesses[-1] - started >= 7 * quick_turns.SPACING * 0.95
    # The same wrong password again is answered at once, without a hash.
    assert client.get("/", headers=basic("alice", "guess7")).status_code == 401
    assert len(calls) == 9
    # And the right one still gets in, after its turn.
    assert client.get("/", headers=basic("alice", PASSWORD),
                      environ_base={"REMOTE_ADDR": "127.9.9.9"}).status_code == 200


def test_guesses_sent_at_once_wait_in_turn_and_past_the_wait_are_told_when(monkeypatch,
                                                                            quick_turns):
    # Turns a second apart: forty threads starting on a busy machine still come "at once".
    monkeypatch.setattr(quick_turns, "SPACING", 1.0)
    monkeypatch.setattr(quick_turns, "MAX_WAIT", 2.0)
    calls = counting_hashes(monkeypatch, pause=0.02)
    server = create_app(users={"alice": generate_password_hash(PASSWORD)}).server
    answers, arrived, started = [], [], time.monotonic()

    def guess(number: int) -> None:
        arrived.append(time.monotonic())
        answer = server.test_client().get("/", headers=basic("alice", f"guess{number}"))
        answers.append((answer.status_code, answer.headers.get("Retry-After")))

    guessers = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in guessers:
        thread.start()
    for thread in guessers:
        thread.join(60)
    assert len(answers) == 40
    # Turns now, in SPACING and in 2 × SPACING (= MAX_WAIT): three guesses checked (one
    # more per SPACING the threads took to arrive).
    spread = max(arrived) - min(arrived)
    checked = [code for code, _ in answers].count(401)
    assert checked == len(calls) and 3 <= checked <= 3 + int(spread / quick_turns.SPACING)
    assert {code for code, _ in answers} == {401, 429}
    assert all(after.isdigit() and 1 <= int(after) <= 10  # when to come back
               for code, after in answers if code == 429)
    times = sorted(when for when, _ in calls)  # each hash starts at its turn or after
    assert all(when - started >= number * quick_turns.SPACING
               for number, when in enumerate(times))


def test_the_same_password_sent_at_once_is_hashed_once(monkeypatch):
    calls = counting_hashes(monkeypatch, pause=0.2)
    server = create_app(users={"alice": generate_password_hash(PASSWORD)}).server
    answers = []
    requests = [threading.Thread(target=lambda: answers.append(server.test_client().get(
        "/assets/style.css", headers=basic("alice", PASSWORD)).status_code)) for _ in range(12)]
    for thread in requests:
        thread.start()
    for thread in requests:
        thread.join(30)
    assert answers == [200] * 12
    assert len(calls) == 1  # a page's first requests: one hash, no turn taken from alice


def test_a_request_arriving_as_a_check_ends_finds_the_password_verified(monkeypatch):
    """The window a busy machine opened once (two hashes of one password 0.36 s apart): a
    request that came after the first check had ended but before its answer was kept hashed
    the password again. The first request is held just after its check here (its turn being
    settled); a second one sent then must not hash."""
    import login_turns

    calls = counting_hashes(monkeypatch)
    settling, go_on = threading.Event(), threading.Event()
    real_settle = login_turns.Turns.settle

    def held_settle(self, name, digest, right):
        settling.set()
        go_on.wait(10)
        return real_settle(self, name, digest, right)

    monkeypatch.setattr(login_turns.Turns, "settle", held_settle)
    server = create_app(users={"alice": generate_password_hash(PASSWORD)}).server
    answers = []
    first = threading.Thread(target=lambda: answers.append(server.test_client().get(
        "/assets/style.css", headers=basic("alice", PASSWORD)).status_code))
    first.start()
    assert settling.wait(10)
    answers.append(server.test_client().get("/assets/style.css",
                                            headers=basic("alice", PASSWORD)).status_code)
    go_on.set()
    first.join(10)
    assert answers == [200, 200] and len(calls) == 1


def test_turns_hold_across_the_worker_processes_of_a_machine(tmp_path):
    """Two processes (as gunicorn's workers) taking turns for one name: each new password
    gets its own turn, SPACING apart, whichever process checks it."""
    import multiprocessing

    import login_turns

    users = {"alice": generate_password_hash(PASSWORD)}
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        taken = pool.starmap(_take_turns, [(users, tmp_path, "a"), (users, tmp_path, "b")])
    turns = sorted(when for verdict, when in sum(taken, []) if verdict == "check")
    later = [verdict for verdict, _ in sum(taken, []) if verdict == "later"]
    assert len(turns) == 3 and len(later) == 3  # now, +6 s, +12 s; the rest told to wait
    assert min(b - a for a, b in zip(turns, turns[1:])) >= login_turns.SPACING - 0.01


def _take_turns(users, folder, prefix):
    from login_turns import Turns

    turns = Turns(users, folder)
    return [turns.take("alice", turns.digest("alice", f"{prefix}{n}")) for n in range(3)]


@pytest.mark.slow
def test_under_a_flood_of_made_up_names_and_guesses_alice_and_bob_log_in():
    """The review's scenario, at the served pace: 300 logins with made-up names at once and
    10 wrong guesses a minute for alice, all behind one proxy address; alice and bob each
    log in within 15 s, and alice's name has at most one password checked every 6 s."""
    import security as security_module

    users = {"alice": generate_password_hash(PASSWORD), "bob": generate_password_hash("bob's pw!")}
    server = create_app(users=users).server
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    checked, real = [], security_module.check_password_hash
    security_module.check_password_hash = lambda hashed, password: (
        checked.append((time.monotonic(), hashed, password)) or real(hashed, password))
    stop, results = threading.Event(), {}

    def guesser():
        number = 0
        while not stop.is_set():
            server.test_client().get("/", headers=basic("alice", f"guess{number}"),
                                     environ_base=proxy)
            number += 1
            stop.wait(6.0)

    def stranger(number):
        server.test_client().get("/", headers=basic(f"nobody{number}", "x"), environ_base=proxy)

    def login(name, password):
        started = time.monotonic()
        answer = server.test_client().get("/assets/style.css", headers=basic(name, password),
                                          environ_base=proxy)
        results[name] = (answer.status_code, time.monotonic() - started)

    try:
        threads = [threading.Thread(target=guesser)]
        threads += [threading.Thread(target=stranger, args=(n,)) for n in range(300)]
        for thread in threads:
            thread.start()
        time.sleep(3.0)  # alice's own guesser has taken a turn; the flood is under way
        users_logging_in = [threading.Thread(target=login, args=(name, password)) for name,
                            password in (("alice", PASSWORD), ("bob", "bob's pw!"))]
        for thread in users_logging_in:
            thread.start()
        for thread in users_logging_in:
            thread.join(30)
        time.sleep(8.0)  # one more guess
    finally:
        stop.set()
        security_module.check_password_hash = real
        for thread in threads:
            thread.join(30)
    assert results["alice"][0] == 200 and results["alice"][1] <= 15, results
    assert results["bob"][0] == 200 and results["bob"][1] <= 15, results
    # The guesses on alice's name: checked, never two less than a turn apart. (Her own right
    # password gives its turn back, so a guess may follow it at once; on a busy machine her
    # check may still hold the turn when the guess comes, which then waits for the next.)
    guesses = sorted(when for when, hashed, password in checked if password.startswith("guess"))
    assert len(guesses) >= 2, checked
    assert min(b - a for a, b in zip(guesses, guesses[1:])) >= 6.0 * 0.9, guesses
    assert all(hashed in users.values() for _, hashed, _ in checked)  # made-up names: none


def test_a_layers_owner_is_only_a_user_the_login_checked():
    from flask import Flask

    plain = Flask("no-login")
    with plain.test_request_context(headers=basic("mallory", "anything")):
        plain.preprocess_request()
        assert security.signed_in_user() is None  # an unchecked header names nobody
    guarded = Flask("login")
    security.install_login(guarded, {"alice": generate_password_hash(PASSWORD)})
    with guarded.test_request_context(headers=basic("alice", PASSWORD)):
        assert guarded.preprocess_request() is None
        assert security.signed_in_user() == "alice"
    with guarded.test_request_context(headers=basic("alice", "wrong")):
        assert guarded.preprocess_request().status_code == 401
        assert security.signed_in_user() is None


def test_logins_waiting_for_their_turn_never_hold_every_thread(monkeypatch, quick_turns):
    """Made-up names sent twice each: the second waits its turn, and past MAX_WAITING such
    waits at once the others are told to come back, holding no thread."""
    monkeypatch.setattr(quick_turns, "SPACING", 8.0)
    monkeypatch.setattr(quick_turns, "MAX_WAIT", 16.0)
    server = create_app(users={"alice": generate_password_hash(PASSWORD)}).server
    # The first attempts at once: every name's next turn is then about SPACING away, however
    # busy the machine (one after the other, the first names' turns could come before the
    # second round, which would then wait for nothing).
    first = [threading.Thread(target=lambda number=number: server.test_client().get(
        "/", headers=basic(f"nobody{number}", "x"))) for number in range(10)]
    for thread in first:
        thread.start()
    for thread in first:
        thread.join(30)
    answers = []
    seconds = []

    def again(number):
        started = time.monotonic()
        answers.append(server.test_client().get("/", headers=basic(f"nobody{number}", "y"))
                       .status_code)
        seconds.append(time.monotonic() - started)

    threads = [threading.Thread(target=again, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(answers) == [401] * security.MAX_WAITING + [429] * (10 - security.MAX_WAITING)
    assert sorted(seconds)[10 - security.MAX_WAITING - 1] < 0.5  # refused at once
