"""A PostgreSQL cluster of a test's (or a bench's) own: Debian's ``postgresql`` package, ``initdb`` in a temporary
folder, ``pg_ctl`` on a loopback port. Missing PostgreSQL is a failure (``make postgresql`` installs it)."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.browser import free_port


class PostgresMissing(RuntimeError):
    """Debian's postgresql package is not installed."""


class PostgresCluster:
    """``initdb`` in a temporary folder, ``pg_ctl`` on a loopback port; as the ``postgres`` user when the
    test runs as root (Debian's initdb refuses root)."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise PostgresMissing("PostgreSQL is not installed: run `make postgresql` (Debian's postgresql "
                                  "package); the board's store must be tested against it.")
        self.bin = Path(found[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="nnplay-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._pg("initdb", "-D", str(self.data), "-U", "nnplay", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        self.url = f"postgresql://nnplay@127.0.0.1:{self.port}/postgres"

    def _pg(self, tool, *args):
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True, capture_output=True,
                       cwd=self.folder, timeout=120)

    def start(self):
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-t", "60", "-o",
                 f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self):
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
