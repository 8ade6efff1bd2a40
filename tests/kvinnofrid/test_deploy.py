"""The operator's kit in deploy/ and the Procfile: gunicorn starts with its configuration, the
process definitions agree, and the nginx example is valid."""

import json
import os
import re
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PRODUCTION = {
    "DJANGO_DEBUG": "off",
    "DJANGO_SECRET_KEY": "Jd8#kq2-LwP0vZ7!rT4mXn9@bY1eHc6$uG3sFa5%iO8^pK2&wQ7*lE0zR4tV9yU1",
    "DJANGO_ALLOWED_HOSTS": "kvinnofrid.example.se",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATABASE_URL": "postgres://kvinnofrid@127.0.0.1:5432/kvinnofrid",
}


def production_environment(**more: str) -> dict[str, str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "REDIS_", "LOG_", "GUNICORN_"))
    }
    return clean | PRODUCTION | more


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_accepts_its_configuration():
    result = subprocess.run(
        [GUNICORN, "--check-config", "-c", "deploy/gunicorn.conf.py", "kvinnofrid.wsgi"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr


def test_gunicorn_listens_on_loopback_only_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)

    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] >= 3
    assert config["accesslog"] is None  # the portal writes the request line itself


def test_gunicorn_serves_the_portal_behind_the_proxy_and_logs_json(tmp_path):
    port = free_port()
    log = tmp_path / "gunicorn.log"
    (tmp_path / "static").mkdir()  # as collectstatic leaves it
    with open(log, "w") as output:
        server = subprocess.Popen(
            [GUNICORN, "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=production_environment(
                GUNICORN_BIND=f"127.0.0.1:{port}",
                WEB_CONCURRENCY="1",
                LOG_LEVEL="INFO",
                STATIC_ROOT=str(tmp_path / "static"),
            ),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/health/live/",
            headers={
                "Host": "kvinnofrid.example.se",
                "X-Forwarded-Proto": "https",  # as nginx says; else Django redirects to https
                "X-Request-ID": "0b6f1c3e9d2a4f5b8c7d6e5f4a3b2c1d",
            },
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    status, body = response.status, response.read()
                    request_id = response.headers["X-Request-ID"]
                break
            except (ConnectionError, urllib.error.URLError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text()) from None
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert (status, body) == (200, b"ok")
    assert request_id == "0b6f1c3e9d2a4f5b8c7d6e5f4a3b2c1d"
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    [request_line] = [line for line in lines if line["logger"] == "kvinnofrid.request"]
    assert request_line["request_id"] == request_id
    assert request_line["status"] == 200
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # its own lines too


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


@pytest.mark.parametrize("process", ["web", "worker", "beat"])
def test_each_process_has_a_systemd_unit_running_the_procfile_command(process):
    unit = (DEPLOY / f"kvinnofrid-{process}.service").read_text()
    settings = dict(
        line.split("=", 1) for line in unit.splitlines() if re.match(r"^[A-Za-z]+=", line)
    )

    command = settings["ExecStart"].removeprefix("/srv/kvinnofrid/.venv/bin/")
    assert command.startswith(procfile()[process])
    assert settings["User"] not in ("", "root")
    assert settings["EnvironmentFile"] == "/etc/kvinnofrid/env"
    assert settings["Restart"] == "on-failure"
    assert settings["WorkingDirectory"] == "/srv/kvinnofrid"


def test_the_nginx_example_is_valid(tmp_path):
    # The example's certificate and log paths, pointed at a throwaway certificate and folder.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=kvinnofrid.example.se"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
    )
    site = (
        (DEPLOY / "nginx.conf")
        .read_text()
        .replace(
            "/etc/letsencrypt/live/kvinnofrid.example.se/fullchain.pem", f"{tmp_path}/cert.pem"
        )
        .replace("/etc/letsencrypt/live/kvinnofrid.example.se/privkey.pem", f"{tmp_path}/key.pem")
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    include {tmp_path}/site.conf;\n}}\n"
    )

    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "client_max_body_size 11m;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
