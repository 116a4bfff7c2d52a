"""Who may see the dashboard: every route behind the login when it is on, security headers on
every answer, users files read strictly, debug off unless asked for."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

import security
from app import create_app, parse_args

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
        for headers in ({}, basic("alice", "wrong"), basic("mallory", PASSWORD)):
            # One address per route: failed logins from one address are limited (below).
            response = client.open(path, method=method, headers=headers, json={},
                                   environ_base={"REMOTE_ADDR": f"127.1.{number // 250}.{number % 250}"})
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


def test_a_password_is_hashed_once_and_failed_logins_are_limited(monkeypatch):
    import security as security_module

    calls = []
    real = security_module.check_password_hash
    monkeypatch.setattr(security_module, "check_password_hash",
                        lambda hashed, password: calls.append(1) or real(hashed, password))
    client = create_app(users={"alice": generate_password_hash(PASSWORD)}).server.test_client()
    for _ in range(30):  # a page load and its filter changes
        assert client.get("/assets/style.css", headers=basic("alice", PASSWORD)).status_code == 200
    assert len(calls) == 1
    for _ in range(60):  # anonymous requests cost no hash at all
        assert client.get("/").status_code == 401
    assert len(calls) == 1
    answers = [client.get("/", headers=basic("alice", f"guess{n}")).status_code for n in range(15)]
    assert answers[:10] == [401] * 10 and set(answers[10:]) == {429}
    assert len(calls) == 11  # refused attempts past the limit are not hashed
    # Another address is not held back by this one's failures, and alice still gets in.
    other = {"REMOTE_ADDR": "127.9.9.9"}
    assert client.get("/", headers=basic("alice", "again"), environ_base=other).status_code == 401
    assert client.get("/assets/style.css", headers=basic("alice", PASSWORD),
                      environ_base=other).status_code == 200


def test_guesses_sent_at_once_are_counted_before_hashing(monkeypatch):
    import threading
    import time

    import security as security_module

    hashing, most = [], []
    real = security_module.check_password_hash

    def slow_check(hashed, password):  # a hash long enough for all guesses to overlap
        hashing.append(1)
        most.append(len(hashing))
        time.sleep(0.05)
        try:
            return real(hashed, password)
        finally:
            hashing.pop()

    monkeypatch.setattr(security_module, "check_password_hash", slow_check)
    server = create_app(users={"alice": generate_password_hash(PASSWORD)}).server
    answers = []

    def guess(number: int) -> None:
        answers.append(server.test_client().get("/", headers=basic("alice", f"guess{number}"))
                       .status_code)

    guessers = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
    for thread in guessers:
        thread.start()
    for thread in guessers:
        thread.join(60)
    assert len(answers) == 40
    assert answers.count(401) == security_module.MAX_FAILURES  # no more were hashed
    assert set(answers) == {401, 429}
    assert max(most) <= security_module.CONCURRENT_HASHES  # nor more at once


def test_a_strangers_failures_never_lock_out_a_colleague_behind_the_same_proxy():
    client = create_app(users={"alice": generate_password_hash(PASSWORD),
                               "bob": generate_password_hash("bob's own secret")}
                        ).server.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every user seems to come from the proxy
    for number in range(15):
        client.get("/", headers=basic("bob", f"guess{number}"), environ_base=proxy)
    assert client.get("/", headers=basic("bob", "bob's own secret"),
                      environ_base=proxy).status_code == 429  # that name is held back
    assert client.get("/assets/style.css", headers=basic("alice", PASSWORD),
                      environ_base=proxy).status_code == 200  # alice is not


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
