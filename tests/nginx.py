"""Helpers for the reverse-proxy tests: deploy/nginx.conf with loopback addresses, run by Debian's nginx."""
from __future__ import annotations

import ipaddress
import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.browser import ROOT

NGINX = "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx.conf"
UPSTREAM = re.compile(r"(upstream\s+nnplay\s*\{)(.*?)(\n\})", re.S)
SERVER_LINE = re.compile(r"^(\s*)server\s+(\S+?)(\s[^;]*)?;", re.M)
LISTEN = re.compile(r"^(\s*)listen\s+80;", re.M)
CACHE_PATH = re.compile(r"^(\s*proxy_cache_path\s+)(\S+)", re.M)


def require_nginx() -> str:
    if not Path(NGINX).exists():
        raise RuntimeError(f"{NGINX} is missing: run `make test`, which installs Debian's nginx.")
    return NGINX


def site_config(upstreams, listen: str, text: str | None = None, cache_dir: Path | None = None) -> str:
    """deploy/nginx.conf with its upstream servers replaced by ``upstreams`` ("host:port"), ``listen 80``
    by ``listen <listen>`` and the static cache's directory by ``cache_dir``; the rest (ip_hash, cache
    rules, headers, timeouts) as written."""
    text = SITE.read_text() if text is None else text
    m = UPSTREAM.search(text)
    assert m, "deploy/nginx.conf has no `upstream nnplay { ... }` block"
    servers = [s for s in SERVER_LINE.finditer(m.group(2))]
    assert servers, "the upstream block lists no server"
    indent, params = servers[0].group(1), servers[0].group(3) or ""
    body = re.sub(r"\n\s*\n+", "\n", SERVER_LINE.sub("", m.group(2))).rstrip() + "\n"
    body += "".join(f"{indent}server {addr}{params};\n" for addr in upstreams)
    text = text[:m.start()] + m.group(1) + body + m.group(3) + text[m.end():]
    text, n = LISTEN.subn(lambda mm: f"{mm.group(1)}listen {listen};", text)
    assert n == 1, "deploy/nginx.conf should have exactly one `listen 80;`"
    if cache_dir is not None:
        text = CACHE_PATH.sub(lambda mm: f"{mm.group(1)}{cache_dir}", text)
    return text


def main_config(workdir: Path, site: Path) -> str:
    """A whole nginx.conf around an http-context ``site`` file, everything kept in ``workdir``."""
    temp = "\n".join(f"    {name}_temp_path {workdir / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""daemon off;
worker_processes 1;
pid {workdir / 'nginx.pid'};
error_log {workdir / 'error.log'} info;
events {{ worker_connections 256; }}
http {{
    log_format nnplay '$request_method $uri $status upstream=$upstream_addr';
    access_log {workdir / 'access.log'} nnplay;
{temp}
    include {site};
}}
"""


def write_configs(workdir: Path, upstreams, listen: str, text: str | None = None) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    os.chmod(workdir, 0o755)      # nginx's workers (nobody, when run as root) use the temp paths
    site = workdir / "site.conf"
    site.write_text(site_config(upstreams, listen, text, cache_dir=workdir / "cache"))
    conf = workdir / "nginx.conf"
    conf.write_text(main_config(workdir, site))
    return conf


def check(conf: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` on ``conf``."""
    return subprocess.run([require_nginx(), "-t", "-p", str(conf.parent), "-e", str(conf.parent / "error.log"),
                           "-c", str(conf)], capture_output=True, text=True, timeout=30)


class Proxy:
    """nginx with deploy/nginx.conf in front of ``upstreams``, on a free loopback port; stopped on exit."""

    def __init__(self, upstreams, port: int):
        self.dir = Path(tempfile.mkdtemp(prefix="nnplay-nginx-"))
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.conf = write_configs(self.dir, upstreams, f"127.0.0.1:{port}")
        self.proc = subprocess.Popen([require_nginx(), "-p", str(self.dir), "-e", str(self.dir / "error.log"),
                                      "-c", str(self.conf)], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited:\n" + self.proc.stdout.read() + self.log("error.log"))
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not listen within 20 s:\n" + self.log("error.log"))

    def log(self, name="access.log") -> str:
        path = self.dir / name
        return path.read_text() if path.exists() else ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)


def ip_hash_peer(address: str, peers: int) -> int:
    """Which of ``peers`` equal servers nginx's ``ip_hash`` picks for an IPv4 client (its first three bytes;
    ngx_http_upstream_ip_hash_module.c)."""
    h = 89
    for byte in ipaddress.ip_address(address).packed[:3]:
        h = (h * 113 + byte) % 6271
    return h % peers
