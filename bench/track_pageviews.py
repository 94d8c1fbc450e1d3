"""Benchmark: tracked page views per second, next to a bare Starlette endpoint, in the same run.

    python bench/track_pageviews.py [--seconds 10] [--concurrency 32] [--database-url URL]
                                    [--workers 1] [--visitors 500]

Steps: a fresh temp folder and database (SQLite there, or a new ``trackway_bench_<random>``
database on the PostgreSQL/MariaDB server of --database-url); one site; the bare app
(bench/bare_app.py) and trackway started with uvicorn on free ports; the same wrk request stream
(bench/pageviews.lua) against each, bare first, warm-up then measurement; a table; the rows
trackway stored against the requests it acknowledged. Servers, database and temp folder are
removed at the end, also on errors and Ctrl-C. This is a benchmark, not a test: it never fails
on a number, it reports them.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool

from core.plugins import bundled_plugin_names

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = ROOT / "bench" / "pageviews.lua"
PLUGINS = ",".join(bundled_plugin_names())
SITE_URL = "https://bench.example.com"
WARMUP_SECONDS = 2
WRK_TIMEOUT = "10s"  # trackway's visitor lock waits up to 10 s; a request slower than that is an error
STARTUP_SECONDS = 60
LOG_TAIL_LINES = 30


class BenchError(Exception):
    """Something kept the benchmark from running; printed, exit status 1."""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    non_2xx: int  # wrk's "Non-2xx or 3xx responses": statuses >= 400
    socket_errors: int  # connect + read + write + timeout

    @property
    def acknowledged(self) -> int:
        """Responses with status < 400; our targets never redirect, so these are the 2xx."""
        return self.requests - self.non_2xx


@dataclass
class Measurement:
    target: str
    result: WrkResult
    rss_mib: float


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    base_url: str
    stderr_path: Path


# -- arguments -----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Tracked page views per second next to a bare Starlette endpoint.")
    p.add_argument("--seconds", type=int, default=10, help="measured seconds per target (after a 2 s warm-up)")
    p.add_argument("--concurrency", type=int, default=32, help="open connections wrk keeps busy")
    p.add_argument("--database-url", default="",
                   help="a PostgreSQL or MariaDB server URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres "
                        "or mysql+pymysql://root@127.0.0.1:3306/test; a fresh database is created on it and dropped "
                        "afterwards. Default: a fresh SQLite file")
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes, for both servers")
    p.add_argument("--visitors", type=int, default=500, help="distinct visitor ids in the request stream")
    p.add_argument("--wrk-threads", type=int, default=1,
                   help="wrk threads; 1 leaves the CPU to the servers on a small machine")
    p.add_argument("--goals", action="store_true",
                   help="also measure a second site with five goals of mixed types (see GOALS), after the plain run")
    args = p.parse_args(argv)
    if args.concurrency < args.wrk_threads:
        p.error("--concurrency must be at least --wrk-threads")
    return args


# -- database ------------------------------------------------------------------------------------


def create_database(server_url: str, stack: ExitStack) -> str:
    """A fresh ``trackway_bench_<random>`` database on the server, dropped when ``stack`` closes."""
    url = make_url(server_url)
    if url.get_backend_name() not in ("postgresql", "mysql", "mariadb"):
        raise BenchError(f"--database-url must be a PostgreSQL or MariaDB URL, not {url.get_backend_name()}")
    name = f"trackway_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    stack.callback(drop_database, admin, name)
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(admin: Engine, name: str) -> None:
    force = " WITH (FORCE)" if admin.dialect.name == "postgresql" else ""
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}{force}"))
    admin.dispose()


def count_rows(database_url: str, table: str, idsite: int | None = None) -> int:
    engine = create_engine(database_url, poolclass=NullPool)
    where = "" if idsite is None else f" WHERE idsite = {int(idsite)}"
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}{where}")).scalar() or 0)
    finally:
        engine.dispose()


def settled_count(database_url: str, table: str, idsite: int | None = None, quiet_seconds: float = 1.0,
                  limit_seconds: float = 20.0) -> int:
    """The row count once it stops growing: requests wrk abandoned may still be being stored."""
    deadline = time.monotonic() + limit_seconds
    count = count_rows(database_url, table, idsite)
    while time.monotonic() < deadline:
        time.sleep(quiet_seconds)
        again = count_rows(database_url, table, idsite)
        if again == count:
            break
        count = again
    return count


def shown_url(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)


# -- trackway console ----------------------------------------------------------------------------


def trackway_env(database_url: str, temp: Path) -> dict[str, str]:
    """The environment of every trackway process: our database, the bundled plugins, and a config
    that reads the client IP from X-Forwarded-For, so each simulated visitor has an address of its own."""
    config = temp / "config.toml"
    config.write_text('[General]\nproxy_client_headers = ["X-Forwarded-For"]\n')
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKWAY_")}
    env.update({"TRACKWAY_DATABASE_URL": database_url, "TRACKWAY_LOAD_PLUGINS": PLUGINS,
                "TRACKWAY_CONFIG": str(config)})
    return env


GOALS = [
    ["--name", "Docs reader", "--match-attribute", "url", "--pattern", "/docs/", "--pattern-type", "contains"],
    ["--name", "Pricing", "--match-attribute", "title", "--pattern", "^Pricing - Page [0-9]+", "--pattern-type",
     "regex"],
    ["--name", "Careers page 8", "--match-attribute", "url", "--pattern-type", "exact",
     "--pattern", SITE_URL + "/careers/page-8?utm_source=bench"],
    ["--name", "Long visit", "--match-attribute", "visit_duration", "--pattern", "5", "--pattern-type",
     "greater_than"],
    ["--name", "Video play", "--match-attribute", "event_category", "--pattern", "Video", "--pattern-type", "exact",
     "--allow-multiple"],
]
"""Five goals of mixed kinds: two match about 1 page view in 8 (docs, pricing), one a single page,
one never within a short run (visit duration), one never on page views (events)."""


def console(env: dict[str, str], *arguments: str) -> str:
    done = subprocess.run([sys.executable, "console.py", *arguments], env=env, cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise BenchError(f"{arguments[0]} failed ({done.returncode}):\n{done.stderr.strip()}")
    return done.stdout.strip().splitlines()[-1]


def add_site(env: dict[str, str], name: str = "Bench") -> int:
    return int(console(env, "site:add", "--name", name, "--url", SITE_URL))


def add_goals(env: dict[str, str], idsite: int) -> None:
    for goal in GOALS:
        console(env, "goal:add", "--idsite", str(idsite), *goal)


# -- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(name: str, command: list[str], port: int, env: dict[str, str], temp: Path,
                 stack: ExitStack) -> Server:
    """Start a server in its own process group (so Ctrl-C reaches us, and we stop it); stderr to a file."""
    stdout_path, stderr_path = temp / f"{name}.out", temp / f"{name}.err"
    with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=err, start_new_session=True)
    server = Server(name, process, f"http://127.0.0.1:{port}", stderr_path)
    stack.callback(stop_server, server)
    return server


def stop_server(server: Server) -> None:
    """SIGTERM to the server's process group (uvicorn and its workers), SIGKILL if it lingers."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
    except ProcessLookupError:
        pass


def wait_until_ready(server: Server, path: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchError(f"{server.name} exited with {server.process.returncode} while starting:\n"
                             + log_tail(server.stderr_path))
        try:
            with urllib.request.urlopen(server.base_url + path, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise BenchError(f"{server.name} did not answer {path} within {STARTUP_SECONDS} s:\n" + log_tail(server.stderr_path))


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        content = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {path})"
    if not content:
        return f"({path.name} is empty)"
    return "\n".join(f"    {line}" for line in content[-lines:])


# -- memory --------------------------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from the ppid field of /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def server_rss_mib(server: Server) -> float:
    return sum(rss_kib(pid) for pid in process_tree(server.process.pid)) / 1024


# -- load ----------------------------------------------------------------------------------------


def run_wrk(url: str, seconds: int, args: argparse.Namespace, idsite: int, log_path: Path) -> WrkResult:
    command = ["wrk", "-t", str(args.wrk_threads), "-c", str(args.concurrency), "-d", f"{seconds}s",
               "--timeout", WRK_TIMEOUT, "--latency", "-s", str(LUA_SCRIPT), url,
               "--", str(idsite), str(args.visitors)]
    done = subprocess.run(command, capture_output=True, text=True)
    log_path.write_text(" ".join(command) + "\n" + done.stdout + done.stderr)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(done.stdout)


TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(output: str) -> WrkResult:
    """Read wrk's text summary (run with --latency)."""
    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise BenchError(f"cannot find {pattern!r} in wrk's output:\n{output}")
        return match

    def percentile_ms(p: int) -> float:
        value, unit = find(rf"^\s+{p}%\s+([\d.]+)(us|ms|s|m|h)\s*$").groups()
        return float(value) * TIME_UNITS_MS[unit]

    total = find(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m|h)")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * TIME_UNITS_MS[total.group(3)] / 1000,
        requests_per_second=float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=percentile_ms(50), p90_ms=percentile_ms(90), p99_ms=percentile_ms(99),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def load(server: Server, args: argparse.Namespace, idsite: int, temp: Path) -> tuple[WrkResult, WrkResult, float]:
    """Warm-up, then the measured run; returns both results and the server's RSS right after."""
    url = server.base_url + "/matomo.php"
    print(f"  {server.name}: warm-up {WARMUP_SECONDS} s ...", flush=True)
    warmup = run_wrk(url, WARMUP_SECONDS, args, idsite, temp / f"wrk-{server.name}-warmup.txt")
    print(f"  {server.name}: measuring {args.seconds} s ...", flush=True)
    measured = run_wrk(url, args.seconds, args, idsite, temp / f"wrk-{server.name}.txt")
    return warmup, measured, server_rss_mib(server)


# -- report --------------------------------------------------------------------------------------


def print_table(rows: list[Measurement]) -> None:
    header = f"{'target':<17} {'requests/s':>11} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} " \
             f"{'non-2xx':>8} {'errors':>7} {'RSS MiB':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        r = row.result
        print(f"{row.target:<17} {r.requests_per_second:>11.1f} {r.p50_ms:>8.2f} {r.p90_ms:>8.2f} "
              f"{r.p99_ms:>8.2f} {r.non_2xx:>8} {r.socket_errors:>7} {row.rss_mib:>8.1f}")


def print_storage(stored: int, visits: int, acknowledged: int, answered: int, concurrency: int) -> bool:
    """Rows stored against 2xx answers. wrk abandons the requests in flight when it stops, which
    trackway may still store: up to --concurrency extra rows per wrk run (warm-up and measured)."""
    ratio = f"{stored / acknowledged:.4f}" if acknowledged else "n/a"
    extra = stored - acknowledged
    print(f"stored page views (log_link_visit_action rows): {stored}  (visits: {visits})")
    print(f"acknowledged (2xx, warm-up + measured):          {acknowledged}  (all answers: {answered})")
    print(f"stored/acknowledged: {ratio}", end="  ")
    if extra < 0:
        print(f"-- LOST {-extra} acknowledged page views")
        return False
    if extra > 2 * concurrency:
        print(f"-- {extra} more rows than acknowledged, more than the {2 * concurrency} requests wrk can abandon")
        return False
    print(f"-- ok ({extra} stored from requests wrk abandoned in flight; at most {2 * concurrency})")
    return True


def print_setup(args: argparse.Namespace, database_url: str) -> None:
    print(f"database: {shown_url(database_url)}")
    print(f"workers: {args.workers}  concurrency: {args.concurrency}  wrk threads: {args.wrk_threads}  "
          f"visitors: {args.visitors}  warm-up: {WARMUP_SECONDS} s  measured: {args.seconds} s  "
          f"cpus: {os.cpu_count()}  python: {sys.version.split()[0]}", flush=True)


# -- main ----------------------------------------------------------------------------------------


def bare_command(port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--log-level", "warning", "--no-access-log"]


def trackway_command(port: int, workers: int) -> list[str]:
    # `serve` has no switch for uvicorn's access log; at --log-level warning its INFO lines are dropped.
    return [sys.executable, "console.py", "serve", "--port", str(port), "--workers", str(workers),
            "--log-level", "warning"]


def benchmark(args: argparse.Namespace, stack: ExitStack, servers: list[Server]) -> bool:
    """Run both targets; ``servers`` collects the started servers so a failure can show their logs."""
    temp = Path(tempfile.mkdtemp(prefix="trackway-bench-"))
    stack.callback(shutil.rmtree, temp, ignore_errors=True)

    def fresh_database(name: str) -> str:
        if args.database_url:
            return create_database(args.database_url, stack)
        return f"sqlite:///{temp / (name + '.db')}"

    database_url = fresh_database("trackway")
    print_setup(args, database_url)
    env = trackway_env(database_url, temp)
    idsite = add_site(env)

    bare_port = free_port()
    bare = start_server("bare", bare_command(bare_port, args.workers), bare_port, env, temp, stack)
    servers.append(bare)
    wait_until_ready(bare, "/matomo.php")
    _, bare_result, bare_rss = load(bare, args, idsite, temp)
    stop_server(bare)

    measurements = [Measurement("bare", bare_result, bare_rss)]
    runs = [("trackway", database_url, env, idsite)]
    if args.goals:
        # a database of its own, so that neither run starts with the other's rows
        goals_url = fresh_database("trackway_goals")
        goals_env = trackway_env(goals_url, temp)
        goals_site = add_site(goals_env, "Bench with goals")
        add_goals(goals_env, goals_site)
        runs.append(("trackway+5 goals", goals_url, goals_env, goals_site))
    ok, started, storage = True, [bare], []
    for name, url, run_env, site in runs:
        port = free_port()
        trackway = start_server(name.replace(" ", "_"), trackway_command(port, args.workers), port, run_env, temp,
                                stack)
        servers.append(trackway)
        started.append(trackway)
        wait_until_ready(trackway, "/health")
        warmup, result, rss = load(trackway, args, site, temp)
        storage.append((name, settled_count(url, "log_link_visit_action", site),
                        count_rows(url, "log_visit", site), count_rows(url, "log_conversion", site),
                        warmup, result))
        stop_server(trackway)
        measurements.append(Measurement(name, result, rss))

    print()
    print_table(measurements)
    for measurement in measurements[1:]:
        share = measurement.result.requests_per_second / bare_result.requests_per_second
        print(f"{measurement.target}/bare: {share:.3f} ({100 * share:.1f} % of the bare requests/s)")
    for name, stored, visits, conversions, warmup, result in storage:
        print(f"\n{name}:")
        ok = print_storage(stored, visits, warmup.acknowledged + result.acknowledged,
                           warmup.requests + result.requests, args.concurrency) and ok
        if conversions:
            print(f"conversions (log_conversion rows): {conversions}")
        ok = ok and result.non_2xx == 0 and result.socket_errors == 0 and warmup.non_2xx == 0
    return report_logs(started, show_all=not ok)


def report_logs(servers: list[Server], show_all: bool) -> bool:
    """Show the tail of each server's stderr when something went wrong or the log is not empty
    (at --log-level warning, anything in it is worth a look). True when nothing needed showing."""
    clean = not show_all
    for server in servers:
        if show_all or server.stderr_path.stat().st_size:
            clean = False
            print(f"\n{server.name} stderr (last {LOG_TAIL_LINES} lines):\n{log_tail(server.stderr_path)}")
    return clean


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 1
    try:
        with ExitStack() as stack:  # closing it stops the servers, drops the database, removes the temp folder
            servers: list[Server] = []
            try:
                clean = benchmark(args, stack, servers)
            except BenchError as exc:
                print(f"error: {exc}", file=sys.stderr)
                report_logs(servers, show_all=True)
                return 1
    except KeyboardInterrupt:
        print("interrupted; servers stopped and temp files removed", file=sys.stderr)
        return 130
    if not clean:
        print("\nsomething looked wrong: see above (the numbers are still the measured ones)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
