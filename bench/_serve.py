"""What the load benchmarks share: the machine's CPU, a free port for the server, and the server's CPU time.
Standard library only (bench/redmine_app.py runs without Django)."""

import os
import socket
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name as /proc/cpuinfo gives it ("" when it does not)."""
    try:
        return next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_cpu(master: int) -> float:
    """CPU seconds used so far by a server's master process and its workers (from /proc: the machine may be
    shared, so CPU per request says more than wall time)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == master or int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total
