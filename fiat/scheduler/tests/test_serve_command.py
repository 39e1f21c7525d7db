"""``fiat serve`` runs web server and worker together and stops them all.

Each start runs ``collectstatic``, which compresses every static file and can
take a minute, so one test covers the whole life of the process.
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess

import pytest

from fiat.scheduler.management.commands.serve import mailed_base_url
from fiat.scheduler.tests.helpers import (
    child_pids,
    command_line,
    fiat_command,
    is_alive,
    subprocess_environment,
    wait_until,
)

STARTUP_TIMEOUT = 240
STOP_TIMEOUT = 45


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def home_page_status(port: int) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def worker_pids_in(pids: set[int]) -> set[int]:
    return {pid for pid in pids if command_line(pid)[-2:] == ["django", "worker"]}


def worker_pids(serve_pid: int) -> set[int]:
    return worker_pids_in(child_pids(serve_pid))


@pytest.fixture
def serve(tmp_path):
    """Start ``fiat serve`` on a free port with its own data folder and SQLite."""
    port = free_port()
    log_path = tmp_path / "serve.log"
    environment = subprocess_environment(FIAT_DATA_DIR=str(tmp_path / "data"))
    environment.pop("DATABASE_URL", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            fiat_command("serve", "--port", str(port)),
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        answered = wait_until(
            lambda: home_page_status(port) is not None, STARTUP_TIMEOUT, interval=0.5
        )
        worker_ready = wait_until(
            lambda: "Worker started" in log_path.read_text(), STARTUP_TIMEOUT
        )
        assert answered, log_path.read_text()
        assert worker_ready, log_path.read_text()
        yield process, port, log_path
    finally:
        kill_process_tree(process)


def kill_process_tree(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    for pid in child_pids(process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.kill()
    process.wait()


def test_serve_restarts_worker_and_stops_cleanly(serve):
    process, port, log_path = serve
    status = home_page_status(port)
    (worker_pid,) = worker_pids(process.pid)

    os.kill(worker_pid, signal.SIGKILL)
    restarted = wait_until(
        lambda: log_path.read_text().count("Worker started") == 2, STARTUP_TIMEOUT
    )
    children = child_pids(process.pid)
    workers = worker_pids_in(children)
    process.send_signal(signal.SIGTERM)
    exit_code = process.wait(timeout=STOP_TIMEOUT)

    log = log_path.read_text()
    assert status in {200, 302}
    assert f"Fiat is serving at http://127.0.0.1:{port}/" in log
    assert restarted, log
    assert f"worker (pid {worker_pid}) exited with code -9; restarting it in 1s" in log
    assert len(workers - {worker_pid}) == 1
    assert exit_code == 0
    assert [pid for pid in children if is_alive(pid)] == []
    assert "Worker stopped" in log


def test_mailed_links_follow_the_port():
    assert mailed_base_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"


def test_mailed_links_avoid_the_wildcard_address():
    assert mailed_base_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"  # noqa: S104
    assert mailed_base_url("::", 8000) == "http://[::1]:8000"
