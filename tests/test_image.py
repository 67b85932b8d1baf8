"""The Docker image, built and run for real with podman (marked `container`; `make unit` leaves it out).

One container: `make image` builds it (on the local stand-in base when no registry answers, cached
between runs), it starts and becomes healthy through its own HEALTHCHECK, runs as uid 10001 with /app
read-only, serves every page to real Chromium, trains the playground and one MNIST epoch (TensorFlow).
The lab: deploy/docker-compose.replicas.yml's services (two replicas and nginx with deploy/nginx.conf,
all in containers) run with podman on one network; two students reach nginx from two addresses (two
tiny TCP relays with fixed addresses, as two classrooms' machines would), each session sticks to its
replica across reruns, and stopping one replica costs only its student a reload while the other keeps
training. Build time, image size and time to healthy are printed (`pytest -s`) and kept in docs/DEPLOY.md.
"""
from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests import browser as b
from tests.nginx import ip_hash_peer
from views.catalog import PAGES

pytestmark = [pytest.mark.container, pytest.mark.timeout(2400)]

ROOT = b.ROOT
IMAGE = "nnplay:latest"                      # what `make image` tags and the compose files run
NGINX_IMAGE = "localhost/nnplay-nginx:bookworm"
ENV = {**os.environ, "CONTAINERS_CONF": str(ROOT / "deploy" / "podman" / "containers.conf")}
PLAYGROUND_BOUNDARY = ".nnplay-live-plot[data-title^='epoch']"
STATE = '[data-testid="stApp"]'
TAG = f"nnplay-test-{os.getpid()}"


def podman(*args, check=True, timeout=300) -> subprocess.CompletedProcess:
    if not shutil.which("podman"):
        raise RuntimeError("podman is missing: `make test` (its `podman` target) installs Debian's podman")
    r = subprocess.run(["podman", *args], env=ENV, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)[:200]} -> {r.returncode}\n{r.stdout}\n{r.stderr}")
    return r


def remove(*names):
    for name in names:
        podman("rm", "-f", "-t", "3", name, check=False, timeout=60)


def wait_healthy(name, timeout=180) -> float:
    """Seconds until the image's HEALTHCHECK passes (``podman healthcheck run``: no systemd timers here)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if podman("healthcheck", "run", name, check=False, timeout=30).returncode == 0:
            return time.monotonic() - start
        state = podman("inspect", "--format", "{{.State.Status}}", name, check=False).stdout.strip()
        if state in ("exited", "stopped"):
            raise AssertionError(f"{name} exited:\n" + podman("logs", name, check=False).stdout)
        time.sleep(0.2)
    raise AssertionError(f"{name} not healthy after {timeout} s:\n" + podman("logs", name, check=False).stdout)


def size_mb(image) -> float:
    return int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip()) / 1e6


@pytest.fixture(scope="module")
def built():
    """`make image` as a user runs it (podman; the stand-in base is made once and then reused)."""
    start = time.monotonic()
    r = subprocess.run(["make", "-s", "--no-print-directory", "image", f"IMAGE={IMAGE}", "ENGINE=podman"],
                       cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=2400)
    seconds = time.monotonic() - start
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    base = re.search(r"^image: podman build -t \S+ on (\S+)$", r.stdout, re.M)
    assert base, r.stdout
    info = {"build_s": seconds, "size_mb": size_mb(IMAGE), "base": base.group(1)}
    print(f"\nimage {IMAGE}: built in {seconds:.0f} s on {info['base']}, {info['size_mb']:.0f} MB")
    return info


def run_app(name, *extra):
    return podman("run", "-d", "--name", name, *extra, IMAGE).stdout.strip()


def student_page(chromium, url, height=1400, timeout=120_000):
    """tests/browser.py's open_page with more time (the machine is shared, the lab runs 5 containers)."""
    page = chromium.new_page(viewport={"width": 1400, "height": height})
    page.errors, page.failed = [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("requestfailed", lambda r: page.failed.append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: page.failed.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    load(page, url, timeout)
    return page


def load(page, url, timeout=120_000):
    """Open (or reload) ``url`` and wait until the app is ready. Chromium aborts the requests in flight
    with ERR_NETWORK_CHANGED when an interface of *this* machine changes (podman adds and removes the
    containers' veth interfaces): then the load is tried again, as a student's browser on another machine
    never sees that; any other failure fails the test."""
    for attempt in range(3):
        page.failed.clear()
        page.goto(url, timeout=timeout)
        deadline = time.monotonic() + timeout / 1000
        while time.monotonic() < deadline:
            try:
                b.wait_ready(page, timeout=2000)
                b.assert_no_exception(page)
                return
            except PlaywrightTimeout:
                if attempt < 2 and any("ERR_NETWORK_CHANGED" in f for f in page.failed):
                    break
        if attempt < 2 and any("ERR_NETWORK_CHANGED" in f for f in page.failed):
            print(f"\n(ERR_NETWORK_CHANGED while loading {url}: loading it again)")
            continue
        app = page.locator(STATE)
        state = app.evaluate("e => JSON.stringify(e.dataset)") if app.count() else "no stApp"
        page.screenshot(path="/tmp/nnplay-test-image-failure.png")
        raise AssertionError(f"{url} not ready: {state}; errors {page.errors}; failed {page.failed}")


def epoch(page) -> int:
    title = page.locator(PLAYGROUND_BOUNDARY).get_attribute("data-title")
    return int(re.match(r"epoch (\d+)", title).group(1))


def connected(page) -> bool:
    return page.locator(STATE).get_attribute("data-test-connection-state") == "CONNECTED"


# ---- one container -------------------------------------------------------------------------------
class TestOneContainer:
    @pytest.fixture(scope="class")
    def app(self, built):
        name, port = f"{TAG}-one", b.free_port()
        try:
            start = time.monotonic()
            run_app(name, "-p", f"127.0.0.1:{port}:8501")
            healthy = wait_healthy(name)
            print(f"\ncontainer {name}: healthy {healthy:.1f} s after `podman run` returned "
                  f"({time.monotonic() - start:.1f} s from the start of `podman run`)")
            yield {"name": name, "url": f"http://127.0.0.1:{port}", "built": built}
        finally:
            remove(name)

    def test_healthy_as_the_app_user_with_app_read_only(self, app):
        name = app["name"]
        health = json.loads(podman("inspect", "--format", "{{json .Config.Healthcheck}}", name).stdout)
        assert "/_stcore/health" in " ".join(health["Test"]), "HEALTHCHECK kept (--format docker)"
        with urllib.request.urlopen(app["url"] + "/_stcore/health", timeout=10) as r:
            assert r.read() == b"ok"
        assert podman("exec", name, "id", "-u").stdout.split() == ["10001"]
        assert podman("exec", name, "id", "-g").stdout.split() == ["10001"]
        for path in ("/app/app.py", "/app/new-file", "/app/nncore/engine/network.py"):
            r = podman("exec", name, "sh", "-c", f"echo x >> {path}", check=False)
            assert r.returncode != 0, f"{path} is writable by the app user"
        # What the app itself writes: plotly.js in /app/static and Keras's cache in its home.
        podman("exec", name, "sh", "-c", "touch /app/static/probe /home/nnplay/.keras/probe")
        # What .dockerignore leaves out and the Dockerfile's clean-up removes.
        r = podman("exec", name, "sh", "-c", "ls -d /app/tests /app/docs /app/bench /app/.git "
                   "\"$(python -c 'import tensorflow, os; print(os.path.dirname(tensorflow.__file__))')/include\"",
                   check=False)
        assert r.returncode != 0 and "No such file" in r.stderr and not r.stdout.strip(), r.stdout + r.stderr

    def test_every_page_in_chromium_through_the_container(self, app, chromium):
        for info in PAGES:
            page = student_page(chromium, f"{app['url']}/{info.url}")
            text = page.locator('[data-testid="stMain"]').inner_text()
            assert len(text) > 100, (info.url, text)
            assert not page.errors, (info.url, page.errors)
            page.close()

    def test_playground_trains_in_the_container(self, app, chromium):
        page = student_page(chromium, app["url"] + "/playground?preset=xor-model-3", height=2000)
        page.wait_for_selector(PLAYGROUND_BOUNDARY + " .main-svg")
        first = epoch(page)
        page.get_by_role("button", name="▶ Train").click()
        page.wait_for_timeout(3000)
        assert epoch(page) > first
        page.get_by_text("Trained for all 1000 epochs.").wait_for(timeout=120_000)
        b.wait_ready(page)
        assert "accuracy 100%" in page.locator(PLAYGROUND_BOUNDARY).get_attribute("data-title")
        b.assert_no_exception(page)
        assert not page.errors
        page.close()

    def test_one_mnist_epoch_with_tensorflow_in_the_container(self, app, chromium):
        page = student_page(chromium, app["url"] + "/mnist?preset=course-003&epochs=1")
        start = time.monotonic()
        page.get_by_role("button", name="▶ Train").click()
        page.wait_for_selector("text=Finished after", timeout=600_000)
        b.wait_ready(page)
        print(f"\nMNIST, one epoch of course-003 in the container: {time.monotonic() - start:.0f} s (click to finish)")
        b.assert_no_exception(page)
        accuracy = page.locator('[data-testid="stMetric"]').filter(has_text="test accuracy").inner_text()
        assert float(re.search(r"([\d.]+)%", accuracy).group(1)) > 80, accuracy
        assert not page.errors
        page.close()


# ---- the lab: two replicas and nginx, in containers ----------------------------------------------
REPLICAS = yaml.safe_load((ROOT / "deploy" / "docker-compose.replicas.yml").read_text())
SUBNET = ipaddress.ip_network("10.231.0.0/16")
RELAY = """
import asyncio
async def pipe(r, w):
    try:
        while data := await r.read(65536):
            w.write(data)
            await w.drain()
    except OSError:
        pass
    finally:
        w.close()
async def handle(r, w):
    try:
        ur, uw = await asyncio.open_connection("proxy", 80)
    except OSError:
        w.close()
        return
    await asyncio.gather(pipe(r, uw), pipe(ur, w))
async def main():
    server = await asyncio.start_server(handle, "0.0.0.0", 8000)
    await server.serve_forever()
asyncio.run(main())
"""


def service_args(name, service) -> list[str]:
    """``podman run`` options for a compose service: what deploy/docker-compose.replicas.yml says."""
    args = ["--restart", service["restart"]]
    if "mem_limit" in service:
        args += ["--memory", str(service["mem_limit"])]
    for key, value in (service.get("environment") or {}).items():
        args += ["--env", f"{key}={value}"]
    health = service.get("healthcheck")
    if health:
        assert health["test"][0] == "CMD"
        args += ["--health-cmd", json.dumps(health["test"][1:]), "--health-interval", health["interval"],
                 "--health-timeout", health["timeout"], "--health-start-period", health["start_period"],
                 "--health-retries", str(health["retries"])]
    for volume in service.get("volumes") or []:
        src, dst, mode = volume.split(":")
        args += ["-v", f"{(ROOT / 'deploy' / src).resolve()}:{dst}:{mode}"]
    return args


@pytest.fixture(scope="module")
def lab(built):
    services = dict(REPLICAS["services"])
    proxy = services.pop("proxy")
    services.pop("postgres")                   # the class board's database: not started in this lab
    replicas = sorted(services)                                   # app1, app2: deploy/nginx.conf's order
    network = f"{TAG}-net"
    names = {svc: f"{TAG}-{svc}" for svc in [*replicas, "proxy", "student0", "student1"]}
    try:
        base = subprocess.run(["scripts/make_base_image.sh"], cwd=ROOT, env=ENV, capture_output=True, text=True,
                              timeout=1200, check=True).stdout.split()[-1]
        podman("build", "-q", "--format", "docker", "--build-arg", f"BASE_IMAGE={base}", "-t", NGINX_IMAGE,
               "-f", "deploy/nginx.Dockerfile", str(ROOT / "deploy"), timeout=600)
        podman("network", "create", "--subnet", str(SUBNET), network)
        start = time.monotonic()
        for svc in replicas:
            assert services[svc]["image"] == IMAGE
            podman("run", "-d", "--name", names[svc], "--network", network, "--network-alias", svc,
                   *service_args(svc, services[svc]), IMAGE)
        for svc in replicas:                                   # depends_on: condition: service_healthy
            wait_healthy(names[svc])
        print(f"\nlab: {len(replicas)} replicas healthy {time.monotonic() - start:.1f} s after the first start")
        image = re.fullmatch(r"\$\{NGINX_IMAGE:-(.+)\}", proxy["image"])
        assert image, proxy["image"]
        podman("run", "-d", "--name", names["proxy"], "--network", network, "--network-alias", "proxy",
               *service_args("proxy", proxy), NGINX_IMAGE)
        # Two students in two rooms: relays with fixed addresses that nginx's ip_hash sends to app1 and app2.
        rooms = [next(third for third in range(1, 250) if ip_hash_peer(f"10.231.{third}.10", 2) == i)
                 for i in range(2)]
        students = []
        for i, third in enumerate(rooms):
            port = b.free_port()
            podman("run", "-d", "--name", names[f"student{i}"], "--no-healthcheck", "--stop-signal", "SIGKILL",
                   "--network", network, "--ip",
                   f"10.231.{third}.10", "-p", f"127.0.0.1:{port}:8000", IMAGE, "python", "-c", RELAY)
            students.append({"url": f"http://127.0.0.1:{port}", "replica": replicas[i],
                             "container": names[replicas[i]], "address": f"10.231.{third}.10"})
        for student in students:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(student["url"] + "/_stcore/health", timeout=5) as r:
                        assert r.read() == b"ok"
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise AssertionError(podman("logs", names["proxy"], check=False).stderr) from None
                    time.sleep(0.3)
        yield {"students": students, "names": names}
    finally:
        remove(*names.values())
        podman("network", "rm", "-f", network, check=False)


def test_lab_sessions_stick_to_their_replica_and_survive_the_other_one_stopping(lab, chromium):
    try:
        pages = [student_page(chromium, student["url"] + "/playground?epochs=10000", height=1600)
                 for student in lab["students"]]
    except AssertionError as e:
        logs = podman("logs", lab["names"]["proxy"], check=False)
        raise AssertionError(f"{e}\nnginx:\n{logs.stdout[-4000:]}\n{logs.stderr[-4000:]}") from None
    for page in pages:
        page.wait_for_selector(PLAYGROUND_BOUNDARY + " .main-svg", timeout=90_000)
        page.get_by_role("button", name="▶ Train").click()
    # Sticky: each run keeps playing over many fragment reruns, and pause/▶ continues from its epoch.
    page0, page1 = pages
    page0.wait_for_timeout(3000)
    seen = [epoch(p) for p in pages]
    assert all(e > 0 for e in seen), seen
    page0.get_by_role("button", name="⏸ Pause").click()
    b.wait_ready(page0)
    paused = epoch(page0)
    page0.get_by_role("button", name="▶ Train").click()
    page0.wait_for_timeout(2000)
    assert epoch(page0) > paused >= seen[0], "the run went on from where it was paused (same replica)"

    # app1 (student 0's replica) stops in the middle of the class.
    stop, lost = time.monotonic(), epoch(page0)
    podman("stop", "-t", "5", lab["students"][0]["container"])
    before = epoch(page1)
    # Student 0 was on the stopped replica: their browser reconnects (through nginx, to app2) to a new,
    # empty session, so their run is gone: the boundary is back at an epoch below the one they had.
    page0.wait_for_function(
        f"""() => {{ const el = document.querySelector("{PLAYGROUND_BOUNDARY}");
                   return el && Number(/epoch (\\d+)/.exec(el.dataset.title)[1]) < {lost}; }}""",
        timeout=60_000)
    print(f"\nlab: student 0's run gone {time.monotonic() - stop:.1f} s after `podman stop` of their replica")
    during = [epoch(page1)]
    for _ in range(6):
        page1.wait_for_timeout(500)
        during.append(epoch(page1))
    assert connected(page1) and during == sorted(during) and during[-1] > before >= seen[1], \
        f"the student on the other replica keeps training, never reset: {before} then {during}"
    b.assert_no_exception(page1)
    # Student 0 reloads (nginx sends them to app2) and trains again.
    load(page0, page0.url)
    print(f"\nlab: student 0 back on the other replica {time.monotonic() - stop:.1f} s after `podman stop`")
    page0.wait_for_selector(PLAYGROUND_BOUNDARY + " .main-svg")
    page0.get_by_role("button", name="▶ Train").click()
    page0.wait_for_timeout(3000)
    assert epoch(page0) > 0 and connected(page0)
    b.assert_no_exception(page0)
    assert connected(page1) and epoch(page1) > before
    for page in pages:
        page.close()
