"""A throwaway PostgreSQL cluster with PostGIS for the store's tests: made by initdb in a
temporary folder, started by pg_ctl on a Unix socket in that folder (no TCP port), and
stopped and removed after the tests. PostgreSQL refuses to run as root: as root, the cluster
is run as the unprivileged user `nobody`. Debian's postgresql and postgis packages (make
install) provide the programs."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# The newest PostgreSQL Debian installed (postgresql-15 on bookworm).
BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name),
          default=Path("/usr/lib/postgresql/15/bin"))
RUN_AS = "nobody"


def _run(*command: str) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", RUN_AS, "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120,
                          check=True)


@contextlib.contextmanager
def cluster():
    """A running cluster; yields a function that makes a new database and gives its URL."""
    if not (BIN / "initdb").exists():
        raise RuntimeError(f"{BIN}/initdb is missing: install Debian's postgresql and "
                           f"postgresql-15-postgis-3 (make install)")
    if not list(Path("/usr/share/postgresql").glob("*/extension/postgis.control")):
        raise RuntimeError("PostGIS is missing: install Debian's postgresql-15-postgis-3 "
                           "(make install)")
    folder = Path(tempfile.mkdtemp(prefix="store-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, RUN_AS)
        folder.chmod(0o700)
    try:
        _run(str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--locale=C.UTF-8")
        _run(str(BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
             f"-c listen_addresses='' -c unix_socket_directories='{folder}' -c fsync=off",
             "start")
        made: list[str] = []

        def database(name: str) -> str:
            _run(str(BIN / "createdb"), "-h", str(folder), "-U", "postgres", name)
            made.append(name)
            return f"postgresql://postgres@/{name}?host={folder}"

        yield database
    finally:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            _run(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
