"""The regional layout on one machine: PostgreSQL, Redis, nginx and webhook instances.

python3 scripts/region.py up [--ports 8081,8082] [--port 8088] [--state DIR]
python3 scripts/region.py down [--state DIR]

`up` installs what is missing from Debian packages (postgresql, redis-server, nginx; as
root), starts PostgreSQL and creates the role and database of DATABASE_URL if they are
missing, starts Redis for REDIS_URL (in memory), migrates the database, starts the
instances (`python -m bot` with BOT_MODE=webhook, each listening on its own port), then nginx
on 127.0.0.1:PORT passing the path of WEBHOOK_URL to them (a dead instance's requests go to
the next). Settings come from `.env` and the environment as always (BOT_TOKEN, DATABASE_URL,
REDIS_URL, WEBHOOK_URL, WEBHOOK_SECRET); TLS for Telegram is the proxy's job in front of this
port. Pids and logs go to the state folder (default `region/` in the project folder);
`down` stops what `up` started there, and leaves PostgreSQL running with its data.
"""

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from dev import BIN, PYTHON, ROOT, dotenv, ensure_environment

PACKAGES = {"pg_ctlcluster": "postgresql", "redis-server": "redis-server", "nginx": "nginx"}
NGINX = """daemon on;
pid {state}/nginx.pid;
error_log {state}/nginx.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {state}/tmp;
  proxy_temp_path {state}/tmp;
  fastcgi_temp_path {state}/tmp;
  uwsgi_temp_path {state}/tmp;
  scgi_temp_path {state}/tmp;
  upstream pedpulse {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location = {path} {{
      proxy_pass http://pedpulse;
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
}}
"""


def settings() -> dict[str, str]:
    """The environment, with `.env` of the project folder under it."""
    return {**dotenv(), **os.environ}


def need(env: dict[str, str], *keys: str) -> None:
    missing = [k for k in keys if not env.get(k)]
    if missing:
        sys.exit(f"region: set {', '.join(missing)} in .env or the environment")


def packages() -> None:
    absent = [pkg for tool, pkg in PACKAGES.items() if not shutil.which(tool)]
    if absent:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *absent], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip


def postgres(url: str) -> None:
    """The newest cluster running, and the role and database of `url` there."""
    version = max(os.listdir("/usr/lib/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if f"{version} main" not in clusters:
        subprocess.run(["pg_createcluster", version, "main"], check=True, capture_output=True)
    subprocess.run(["pg_ctlcluster", version, "main", "start"], capture_output=True)
    parts = urlsplit(url)
    user, password = parts.username or "pedpulse", parts.password or ""
    name = parts.path.lstrip("/")
    script = f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN
    CREATE ROLE "{user}" LOGIN PASSWORD '{password}';
  END IF;
END $$;
SELECT 'CREATE DATABASE "{name}" OWNER "{user}"'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{name}')\\gexec
"""
    port = str(parts.port or 5432)
    for _ in range(30):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", port]).returncode == 0:
            break
        time.sleep(1)
    subprocess.run(["su", "postgres", "-c", f"psql -q -p {port}"], input=script, text=True,
                   check=True)  # fmt: skip


def redis(url: str, state: Path) -> None:
    port = str(urlsplit(url).port or 6379)
    if subprocess.run(["redis-cli", "-p", port, "ping"], capture_output=True).returncode == 0:
        return
    subprocess.run(["redis-server", "--port", port, "--bind", "127.0.0.1", "--daemonize", "yes",
                    "--save", "", "--appendonly", "no", "--pidfile", str(state / "redis.pid"),
                    "--logfile", str(state / "redis.log")], check=True)  # fmt: skip


def instances(env: dict[str, str], state: Path, ports: list[int]) -> list[int]:
    for n, port in enumerate(ports, start=1):
        with (state / f"instance-{n}.log").open("ab") as log:
            process = subprocess.Popen(
                [str(PYTHON), "-m", "bot"], cwd=state, stdout=log, stderr=log,
                env={**env, "BOT_MODE": "webhook", "WEBHOOK_LISTEN": f"127.0.0.1:{port}"},
                start_new_session=True,
            )  # fmt: skip
        (state / f"instance-{n}.pid").write_text(str(process.pid))
    for port in ports:
        wait_healthy(port)
    return ports


def wait_healthy(port: int, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"region: the instance on port {port} did not come up (see its log)")
            time.sleep(0.5)


def nginx(state: Path, ports: list[int], port: int, path: str) -> None:
    (state / "tmp").mkdir(exist_ok=True)
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)
    conf = state / "nginx.conf"
    conf.write_text(NGINX.format(state=state, servers=servers, port=port, path=path), "utf-8")
    subprocess.run(["nginx", "-c", str(conf), "-p", str(state)], check=True)


def up(arguments: argparse.Namespace) -> None:
    env = settings()
    need(env, "BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "WEBHOOK_URL", "WEBHOOK_SECRET")
    state = arguments.state.resolve()
    state.mkdir(parents=True, exist_ok=True)
    packages()
    postgres(env["DATABASE_URL"].replace("+asyncpg", ""))
    redis(env["REDIS_URL"], state)
    ensure_environment("")
    subprocess.run([str(BIN / "pedpulse"), "init"], env=env, check=True)
    ports = instances(env, state, [int(p) for p in arguments.ports.split(",")])
    nginx(state, ports, arguments.port, urlsplit(env["WEBHOOK_URL"]).path or "/")
    print(f"region: {len(ports)} instances on ports {ports}, nginx on 127.0.0.1:{arguments.port}")


def down(arguments: argparse.Namespace) -> None:
    state = arguments.state.resolve()
    conf = state / "nginx.conf"
    if (state / "nginx.pid").exists():
        subprocess.run(["nginx", "-c", str(conf), "-p", str(state), "-s", "quit"])
    pids = []
    for pid_file in sorted(state.glob("instance-*.pid")):
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGTERM)
            pids.append(int(pid_file.read_text()))
        pid_file.unlink()
    deadline = time.monotonic() + 40  # the requests in hand finish first (up to 30 s)
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    redis_pid = state / "redis.pid"
    if redis_pid.exists():
        os.kill(int(redis_pid.read_text()), signal.SIGTERM)
    print("region: stopped")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "down"])
    parser.add_argument("--ports", default="8081,8082", help="one instance on each")
    parser.add_argument("--port", type=int, default=8088, help="nginx listens here")
    parser.add_argument("--state", type=Path, default=ROOT / "region")
    arguments = parser.parse_args()
    if arguments.command == "up":
        up(arguments)
    else:
        down(arguments)


if __name__ == "__main__":
    main()
