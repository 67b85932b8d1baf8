"""The class board in deploy/: the replicas' compose file has a `postgres` service with a volume that every app
replica shares through NNPLAY_DATABASE_URL, and the Kubernetes Deployment reads that URL from a Secret
(deploy/k8s-secret.yaml shows its shape). YAML parsed, then the keys the app relies on, then the URL as
nncore.board.store reads it. (tests/test_deploy.py checks the replicas and nginx; the Kubernetes schema check
of the Secret is here.)"""
import re
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa
import yaml

from nncore.board.store import database_url

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "deploy" / "docker-compose.replicas.yml").read_text())
K8S = list(yaml.safe_load_all((ROOT / "deploy" / "k8s.yaml").read_text()))
SECRET = list(yaml.safe_load_all((ROOT / "deploy" / "k8s-secret.yaml").read_text()))
VAR = re.compile(r"\$\{(\w+)(?::[-?]([^}]*))?\}")


def interpolate(text: str, env: dict) -> str:
    """What compose makes of ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?message}`` with ``env``."""
    def one(m):
        if m.group(1) in env:
            return env[m.group(1)]
        if ":?" in m.group(0):
            raise KeyError(m.group(1))
        return m.group(2) or ""
    return VAR.sub(one, text)


def apps():
    return {name: s for name, s in COMPOSE["services"].items() if name not in ("proxy", "postgres")}


def test_the_replicas_share_one_postgres_service_with_a_volume():
    pg = COMPOSE["services"]["postgres"]
    assert re.fullmatch(r"\$\{POSTGRES_IMAGE:-postgres:\d+\.\d+-bookworm\}", pg["image"]), pg["image"]
    assert pg["restart"] == "unless-stopped" and "ports" not in pg          # not published outside
    [volume] = pg["volumes"]
    name, path = volume.split(":")
    assert path == "/var/lib/postgresql/data" and name in COMPOSE["volumes"]   # a named volume: kept on restart
    assert pg["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    env = pg["environment"]
    assert len(apps()) >= 2
    for name, app in apps().items():
        assert app["depends_on"]["postgres"]["condition"] == "service_healthy", name
        url = sa.engine.make_url(database_url({"NNPLAY_DATABASE_URL": interpolate(
            app["environment"]["NNPLAY_DATABASE_URL"], {"NNPLAY_DB_PASSWORD": "s3cret"})}))
        assert url.drivername == "postgresql+psycopg" and url.host == "postgres" and url.port == 5432
        assert (url.username, url.database) == (env["POSTGRES_USER"], env["POSTGRES_DB"])
        assert url.password == interpolate(env["POSTGRES_PASSWORD"], {"NNPLAY_DB_PASSWORD": "s3cret"}) == "s3cret"


def test_the_database_password_has_no_default():
    pg, app = COMPOSE["services"]["postgres"], next(iter(apps().values()))
    for text in (pg["environment"]["POSTGRES_PASSWORD"], app["environment"]["NNPLAY_DATABASE_URL"]):
        assert "${NNPLAY_DB_PASSWORD:?" in text
        try:
            interpolate(text, {})
        except KeyError as e:
            assert str(e) == "'NNPLAY_DB_PASSWORD'"
        else:
            raise AssertionError(f"{text} has a default password")


def test_the_k8s_pods_read_the_database_url_from_the_secret():
    dep = next(d for d in K8S if d["kind"] == "Deployment")
    [container] = dep["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container["env"]}
    ref = env["NNPLAY_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
    assert "value" not in env["NNPLAY_DATABASE_URL"] and not ref.get("optional", False)
    [secret] = SECRET
    assert secret["kind"] == "Secret" and secret["apiVersion"] == "v1" and secret["type"] == "Opaque"
    assert secret["metadata"]["name"] == ref["name"] and ref["key"] in secret["stringData"]
    url = sa.engine.make_url(database_url({"NNPLAY_DATABASE_URL": secret["stringData"][ref["key"]]}))
    assert url.drivername == "postgresql+psycopg" and url.host and url.database and url.username
    assert "CHANGE-ME" in str(url.password)                 # a placeholder, not a password
    assert not any("postgres" in str(e.get("value", "")) for e in container["env"])   # no URL in the manifest
    assert "kubectl create secret generic nnplay-database" in (ROOT / "deploy" / "k8s.yaml").read_text()


def test_the_secret_validates_against_the_kubernetes_api_schema(tmp_path):
    tool = shutil.which("kubernetes-validate", path=str(ROOT / ".venv" / "bin")) or shutil.which(
        "kubernetes-validate")
    assert tool, "kubernetes-validate is missing: `make test` installs requirements-dev.txt"
    path = ROOT / "deploy" / "k8s-secret.yaml"
    r = subprocess.run([tool, "--strict", str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.count("passed for resource") == 1, r.stdout + r.stderr
    broken = tmp_path / "secret.yaml"
    broken.write_text(path.read_text().replace("stringData:", "stringDatta:"))
    assert subprocess.run([tool, "--strict", str(broken)], capture_output=True, text=True,
                          timeout=120).returncode != 0
