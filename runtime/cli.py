"""`triage`: one command line for every process and chore (dev, migrate, api, worker, keys, tenants)."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from runtime import ops_cli, tenants_cli, webhooks_cli
from runtime.credentials import SCOPES, mint_key, parse_token, secret_matches
from runtime.logging import configure_logging, get_logger
from runtime.settings import Settings, get_settings
from runtime.supervisor import Child, Supervisor
from store import api_keys
from store.migrate import apply_migrations
from store.pool import app_conninfo, open_pool

log = get_logger("triage.cli")

DEV_DATA_DIR = Path(".data")
DEV_TENANT = "dev"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="triage", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="the whole local stack: database, migrations, API and workers")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--workers", type=int, default=2, help="worker processes")
    dev.add_argument("--concurrency", type=int, default=4, help="jobs per worker process")

    migrate = commands.add_parser("migrate", help="apply pending migrations (idempotent, safe to run concurrently)")
    migrate.add_argument(
        "--create-roles",
        action="store_true",
        help="first create or update the owner and app roles, connecting as SUPERUSER_DATABASE_URL (once)",
    )

    health = commands.add_parser(
        "healthcheck", help="exit 0 if this container's process is ready (a container HEALTHCHECK)"
    )
    health.add_argument(
        "--url",
        default="http://127.0.0.1:8000/readyz",
        help="the API's readiness URL (used unless TRIAGE_WORKER_READY_FILE is set: then that file must exist)",
    )

    api = commands.add_parser("api", help="serve the HTTP API")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument(
        "--workers", type=_positive, default=1, help="serve with N processes on one port and restart any that dies"
    )
    api.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)  # set for --workers' children

    worker = commands.add_parser("worker", help="run a triage worker")
    worker.add_argument("--concurrency", type=_positive, default=4, help="jobs at once per process")
    worker.add_argument("--name", default=None)
    worker.add_argument(
        "--processes", type=_positive, default=None, help="run N worker processes and restart any that dies"
    )

    mcp = commands.add_parser("mcp", help="serve the intake API as MCP tools (stdio, or streamable HTTP at /mcp)")
    mcp.add_argument("--transport", choices=("stdio", "streamable-http"), default="stdio")
    mcp.add_argument("--api-url", default="http://127.0.0.1:8000", help="the triage API the tools call")
    mcp.add_argument("--host", default="127.0.0.1", help="streamable HTTP only")
    mcp.add_argument("--port", type=int, default=8001, help="streamable HTTP only")

    intakes_cmd = commands.add_parser("intakes", help="operate on intakes").add_subparsers(
        dest="intakes_command", required=True
    )
    requeue = intakes_cmd.add_parser("requeue", help="queue failed intakes for triage again (a new job each)")
    requeue.add_argument("--tenant", required=True)
    requeue.add_argument("intake_ids", nargs="+", metavar="INTAKE_ID")

    ops_cli.add_parser(commands)
    tenants_cli.add_parser(commands)
    webhooks_cli.add_parser(commands)

    keys = commands.add_parser("keys", help="manage API keys").add_subparsers(dest="keys_command", required=True)
    create = keys.add_parser("create", help="create a key; its secret is printed once")
    create.add_argument("--tenant", required=True, type=_tenant_id, help="e.g. 'acme' (a-z, 0-9, '_', '-')")
    create.add_argument("--name", required=True, help="who or what uses it, e.g. 'intake-agent-prod'")
    create.add_argument("--scope", action="append", choices=SCOPES, required=True, dest="scopes")
    create.add_argument("--expires-in-days", type=_positive, default=None)
    listing = keys.add_parser("list", help="list keys (never their secrets)")
    listing.add_argument("--tenant", default=None)
    revoke = keys.add_parser("revoke", help="revoke a key now")
    revoke.add_argument("key_id")
    rotate = keys.add_parser("rotate", help="issue a replacement; the old key keeps working for the grace period")
    rotate.add_argument("key_id")
    rotate.add_argument("--grace-days", type=float, default=7.0)

    args = parser.parse_args(argv)
    if args.command == "dev":
        run_dev(args)
        return
    if args.command == "mcp":  # a client of the API: no database settings
        run_mcp(args)
        return
    settings = get_settings()
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    if args.command == "migrate":
        if args.create_roles:
            run_create_roles(settings)
        applied = apply_migrations(settings.owner_database_url)
        log.info("migrations applied", applied=applied)
    elif args.command == "healthcheck":
        raise SystemExit(healthcheck(settings, args.url))
    elif args.command == "api":
        if args.workers > 1:
            run_api_group(settings, args.host, args.port, args.workers)
        else:
            run_api(settings, args.host, args.port, reuse_port=args.reuse_port)
    elif args.command == "worker":
        if args.processes:
            base = args.name or f"{socket.gethostname()}-{os.getpid()}"
            run_worker_group(settings, args.processes, args.concurrency, base)
            return
        from workers.main import main as worker_main

        worker_main(settings, concurrency=args.concurrency, name=args.name)
    elif args.command == "ops":
        raise SystemExit(asyncio.run(ops_cli.run(settings, args)))
    elif args.command == "tenants":
        raise SystemExit(asyncio.run(tenants_cli.run(settings, args)))
    elif args.command == "webhooks":
        raise SystemExit(asyncio.run(webhooks_cli.run(settings, args)))
    elif args.command == "intakes":
        raise SystemExit(asyncio.run(run_requeue(settings, args.tenant, args.intake_ids)))
    elif args.command == "keys":
        asyncio.run(run_keys(settings, args))


def run_mcp(args: argparse.Namespace) -> None:
    try:
        from mcp_server.server import build_server, stdio_api_key
    except ImportError:
        raise SystemExit("triage mcp needs the `mcp` extra: pip install 'triage-backbone[mcp]'") from None
    if args.transport == "stdio":
        key = stdio_api_key()
        if not key:
            raise SystemExit("triage mcp over stdio needs TRIAGE_API_KEY (or TRIAGE_API_KEY_FILE)")
        build_server(args.api_url, stdio_key=key).run("stdio")
    else:
        build_server(args.api_url).run("streamable-http", host=args.host, port=args.port)


def run_create_roles(settings: Settings) -> None:
    from store.roles import RoleSetupError, create_roles

    if settings.superuser_database_url is None or settings.migration_database_url is None:
        raise SystemExit("--create-roles needs SUPERUSER_DATABASE_URL and MIGRATION_DATABASE_URL (and DATABASE_URL)")
    try:
        created = create_roles(
            settings.superuser_database_url.get_secret_value(), settings.owner_database_url, settings.app_database_url
        )
    except RoleSetupError as error:
        raise SystemExit(f"--create-roles: {error}") from None
    log.info(
        "database roles ready",
        owner=created.owner,
        app_login=created.app_login,
        objects_handed_to_owner=created.reassigned,
    )


def healthcheck(settings: Settings, url: str) -> int:
    """0 when ready: a worker's ready file exists (TRIAGE_WORKER_READY_FILE), else the API answers 2xx at `url`."""
    if settings.worker_ready_file is not None:
        return 0 if settings.worker_ready_file.exists() else 1
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310  # a URL the operator configured
            return 0 if 200 <= response.status < 300 else 1
    except OSError:
        return 1


def _positive(text: str) -> int:
    """A whole number, at least 1 (a key that expires in 0 or -5 days would be dead, or never expire)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("must be a whole number, at least 1")
    return value


def worker_supervisor(
    settings: Settings,
    processes: int,
    concurrency: int,
    base_name: str,
    *,
    on_exit: Callable[[int], None] | None = None,
) -> Supervisor:
    triage = [sys.executable, "-m", "runtime", "worker", "--concurrency", str(concurrency)]
    children = [Child(name=f"{base_name}-{i}", argv=[*triage, "--name", f"{base_name}-{i}"]) for i in range(processes)]
    return Supervisor(children, shutdown_seconds=settings.worker_shutdown_seconds, on_exit=on_exit)


def run_worker_group(settings: Settings, processes: int, concurrency: int, base_name: str) -> None:
    """`triage worker --processes N`. With TRIAGE_WORKER_METRICS_PORT, the supervisor serves the metrics of
    all N children (multiprocess mode over one folder); the children serve none themselves."""
    from runtime.metrics import WORKER_PORT_ENV, ProcessGroupMetrics, serve

    port = settings.worker_metrics_port
    metrics = ProcessGroupMetrics.prepare(default_dir=None, needed=port is not None)
    os.environ.pop(WORKER_PORT_ENV, None)  # one port: the supervisor's
    try:
        if port is not None:
            serve(port, settings.worker_metrics_host, metrics.registry())
        worker_supervisor(settings, processes, concurrency, base_name, on_exit=metrics.child_exited).run()
    finally:
        metrics.close()


async def run_requeue(settings: Settings, tenant_id: str, intake_ids: list[str]) -> int:
    """Re-queue failed intakes; prints one line per intake; exit status 1 if any could not be re-queued."""
    from tasks.queue import create_queue_app
    from tasks.triage import requeue_failed

    failures = 0
    async with open_pool(settings.app_database_url, min_size=1, max_size=1, name="cli") as pool:
        queue_app = create_queue_app()
        async with queue_app.open_async(pool):
            for raw in intake_ids:
                try:
                    intake_id = uuid.UUID(raw)
                except ValueError:
                    print(f"{raw}: not an intake id", file=sys.stderr)
                    failures += 1
                    continue
                job_id = await requeue_failed(pool, queue_app, intake_id, tenant_id, actor="cli:requeue")
                if job_id is None:
                    print(f"{intake_id}: not a failed intake of tenant {tenant_id!r}", file=sys.stderr)
                    failures += 1
                else:
                    print(f"{intake_id}: queued as job {job_id}")
    return 1 if failures else 0


def run_api(settings: Settings, host: str, port: int, *, reuse_port: bool = False) -> None:
    import uvicorn

    config = uvicorn.Config(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_config=None,  # our logging config (runtime.logging) is already in place
        access_log=False,  # replaced by api.middleware's access log (route templates, no raw paths)
        proxy_headers=True,
        server_header=False,
        # SIGTERM: stop accepting, let in-flight requests finish for this long, then close.
        timeout_graceful_shutdown=int(settings.api_shutdown_seconds),
    )
    server = uvicorn.Server(config)
    server.run(sockets=[_listening_socket(host, port)] if reuse_port else None)


def _listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound with SO_REUSEPORT: several processes listen on one port and the kernel spreads the
    connections over them (Linux), so that a dead process's share goes to the others while it restarts."""
    sock = _tcp_socket(host)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _tcp_socket(host: str) -> socket.socket:
    return socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)


def run_api_group(settings: Settings, host: str, port: int, workers: int) -> None:
    """`triage api --workers N`: N API processes on one port (SO_REUSEPORT), supervised like a worker group.

    Their metrics are merged (multiprocess mode over one folder): any process's /metrics shows all N.
    Limits kept in process memory (the per-key rate limit, the failed-authentication throttle, the key
    cache) are per process: with N processes a key may make up to N times TRIAGE_RATE_LIMIT_PER_MINUTE.
    """
    from runtime.metrics import ProcessGroupMetrics

    # SO_REUSEPORT would let the children share the port with whatever already listens on it (a stale group
    # of the same user): fail now, clearly, unless the port is free.
    with _tcp_socket(host) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SystemExit(f"triage api: cannot listen on {host}:{port}: {exc.strerror}") from None
    metrics = ProcessGroupMetrics.prepare(default_dir=None, needed=True)
    argv = [sys.executable, "-m", "runtime", "api", "--host", host, "--port", str(port), "--reuse-port"]
    children = [Child(name=f"api-{i}", argv=argv) for i in range(workers)]
    try:
        Supervisor(children, shutdown_seconds=settings.api_shutdown_seconds + 5, on_exit=metrics.child_exited).run()
    finally:
        metrics.close()


def _tenant_id(value: str) -> str:
    if not api_keys.is_tenant_id(value):
        raise argparse.ArgumentTypeError("must be 1-63 of a-z, 0-9, '_' and '-', starting with a letter or digit")
    return value


async def run_keys(settings: Settings, args: argparse.Namespace) -> None:
    try:
        await _run_keys(settings, args)
    except psycopg.errors.CheckViolation as exc:
        # Only the constraint's name: the error's message and detail quote the refused row.
        print(f"triage keys: refused by the database ({exc.diag.constraint_name}): check --tenant", file=sys.stderr)
        raise SystemExit(2) from None


async def _run_keys(settings: Settings, args: argparse.Namespace) -> None:
    async with await psycopg.AsyncConnection.connect(app_conninfo(settings.app_database_url)) as conn:
        if args.keys_command == "create":
            expires = datetime.now(UTC) + timedelta(days=args.expires_in_days) if args.expires_in_days else None
            token, key = await create_key(conn, settings, args.tenant, args.name, args.scopes, expires)
            await conn.commit()
            print(f"key id:  {key.id}\ntenant:  {key.tenant_id}\nscopes:  {' '.join(key.scopes)}")
            print(f"expires: {key.expires_at or 'never'}\n\n{token}\n\nStore it now: it is not shown again.")
        elif args.keys_command == "list":
            for key in await api_keys.list_keys(conn, args.tenant):
                state = "revoked" if key.revoked_at else "active"
                print(
                    f"{key.id}  {key.tenant_id}  {key.name}  {','.join(key.scopes)}  {state}"
                    f"  expires={key.expires_at or '-'}  last_used={key.last_used_at or '-'}"
                )
        elif args.keys_command == "revoke":
            revoked = await api_keys.revoke_key(conn, args.key_id)
            await conn.commit()
            print("revoked" if revoked else "no such active key")
            if not revoked:
                raise SystemExit(1)
        elif args.keys_command == "rotate":
            old = await api_keys.get_key(conn, args.key_id)
            if old is None or old.revoked_at is not None:
                raise SystemExit("no such active key")
            token, new = await create_key(conn, settings, old.tenant_id, old.name, old.scopes, old.expires_at)
            grace_until = datetime.now(UTC) + timedelta(days=args.grace_days)
            await api_keys.mark_rotated(conn, old.id, new.id, grace_until)
            await conn.commit()
            print(f"new key id: {new.id} (old key {old.id} valid until {grace_until:%Y-%m-%d %H:%M} UTC)\n\n{token}")


async def create_key(
    conn: psycopg.AsyncConnection,
    settings: Settings,
    tenant_id: str,
    name: str,
    scopes: list[str],
    expires_at: datetime | None,
) -> tuple[str, api_keys.ApiKeyRow]:
    minted = mint_key(settings.key_pepper.get_secret_value(), settings.environment)
    await api_keys.ensure_tenant(conn, tenant_id)
    row = await api_keys.insert_key(
        conn,
        key_id=minted.key_id,
        tenant_id=tenant_id,
        name=name,
        scopes=sorted(set(scopes)),
        secret_hash=minted.secret_hash,
        expires_at=expires_at,
    )
    return minted.token, row


async def ensure_dev_key(settings: Settings, saved_token: str | None) -> str:
    """The development key: the saved one while it is still valid, else a new one (all scopes)."""
    pepper = settings.key_pepper.get_secret_value()
    async with await psycopg.AsyncConnection.connect(app_conninfo(settings.app_database_url)) as conn:
        presented = parse_token(saved_token) if saved_token else None
        if presented and saved_token:
            stored = await api_keys.get_key(conn, presented.key_id)
            if stored and stored.revoked_at is None and secret_matches(pepper, presented, stored.secret_hash):
                return saved_token
        token, _ = await create_key(conn, settings, DEV_TENANT, "dev (triage dev)", list(SCOPES), None)
        await conn.commit()
    return token


def dev_key(settings: Settings) -> str:
    """Minted once and kept in .data/ so that every `make run` prints the same key."""
    key_file = DEV_DATA_DIR / "dev-api-key"
    saved = key_file.read_text().strip() if key_file.exists() else None
    token = asyncio.run(ensure_dev_key(settings, saved))
    if token != saved:
        key_file.write_text(token + "\n")
        key_file.chmod(0o600)
    return token


def _wait_until_ready(url: str, children: list[subprocess.Popen[bytes]], timeout: float = 30.0) -> None:
    """Print the banner once the API answers, so it is the last thing on screen, not lost in start-up logs."""
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and all(child.poll() is None for child in children):
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 (our own local URL)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)


def run_dev(args: argparse.Namespace) -> None:
    os.environ.setdefault("TRIAGE_ENV", "development")
    os.environ.setdefault("TRIAGE_LOG_FORMAT", "console")
    server = None
    if not os.environ.get("DATABASE_URL"):
        from runtime.embedded_pg import database_url, ensure_database, start_embedded_postgres

        server = start_embedded_postgres((DEV_DATA_DIR / "pg").resolve())
        ensure_database(database_url(server, "postgres"), "triage")
        os.environ["DATABASE_URL"] = database_url(server, "triage")
    settings = get_settings()
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    apply_migrations(settings.owner_database_url)
    token = dev_key(settings)

    # The API's /metrics shows the workers' metrics too: every child writes to one multiprocess folder.
    from runtime.metrics import WORKER_PORT_ENV, ProcessGroupMetrics

    metrics = ProcessGroupMetrics.prepare(default_dir=(DEV_DATA_DIR / "metrics").resolve(), needed=True)
    os.environ.pop(WORKER_PORT_ENV, None)  # the API serves them all
    triage = [sys.executable, "-m", "runtime"]
    children = [
        Child(name=f"dev-{i}", argv=[*triage, "worker", "--concurrency", str(args.concurrency), "--name", f"dev-{i}"])
        for i in range(args.workers)
    ]
    children.append(Child(name="api", argv=[*triage, "api", "--host", args.host, "--port", str(args.port)]))
    # Workers and the API are restarted if they die, like `triage worker --processes N` does.
    supervisor = Supervisor(children, shutdown_seconds=settings.worker_shutdown_seconds, on_exit=metrics.child_exited)
    supervisor.start_all()
    base = f"http://{args.host}:{args.port}"
    _wait_until_ready(f"{base}/readyz", [c.process for c in children if c.process is not None])
    print(
        f"\nTriage backbone running on {base}  (API docs: {base}/docs)\n"
        f"Ops dashboard: {base}/ops  (sign in with the key below)\n"
        f"Dev API key (tenant '{DEV_TENANT}', all scopes): {token}\n\n"
        "Try it:\n"
        f"  curl -s -X POST {base}/v1/intakes -H 'Authorization: Bearer {token}' \\\n"
        "       -H 'Content-Type: application/json' \\\n"
        '       -d \'{"patient_id": "P12345", "age": 42, "symptoms": ["fever", "cough"], "urgency": "high"}\'\n'
        f"  curl -s {base}/v1/patients/P12345/intakes -H 'Authorization: Bearer {token}'\n"
        f"  curl -s {base}/metrics -H 'Authorization: Bearer {token}'   # Prometheus metrics\n\n"
        "Ctrl-C stops everything (PostgreSQL included).\n",
        flush=True,
    )
    try:
        supervisor.supervise()
    finally:
        if server is not None:
            server.cleanup()  # stops PostgreSQL; the data folder stays for the next run


if __name__ == "__main__":
    main()
