"""Closed-loop HTTP load on the write path: ``wrk`` (a C client, so the load does not eat the
cores the API needs) or, without it, Python threads with keep-alive connections.

Both stop sending commands at a deadline on the monotonic clock and let every command in
flight be answered, so the log holds exactly the commands the client saw acknowledged:
wrk's own stop would drop answers to commands the server still commits. After the deadline
a wrk connection sends the start of a request whose headers never end (the server waits
for them and runs nothing) until wrk's duration ends; those are never answered.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.measure import percentile
from bench.write_shape import Target

POSITION = "changeledger-position"
#: Seconds wrk runs past the deadline so that commands in flight are answered.
DRAIN_SECONDS = 6

_WRK_SCRIPT = """
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } writebench_timespec;
int clock_gettime(int clk_id, writebench_timespec *tp);
]]
local now_ts = ffi.new("writebench_timespec")
local function now()  -- CLOCK_MONOTONIC, as Python's time.monotonic()
  ffi.C.clock_gettime(1, now_ts)
  return tonumber(now_ts.tv_sec) + tonumber(now_ts.tv_nsec) / 1e9
end

local deadline = %(deadline)r
local command = wrk.format("POST", %(path)s, {
  ["Content-Type"] = "application/json",
  ["Authorization"] = %(authorization)s,%(prefer)s
}, %(body)s)
-- Headers that never end: the server waits for the rest and runs nothing.
local stall = "POST /stall HTTP/1.1\\r\\nHost: loopback\\r\\n"

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {}; applied = 0; positioned = 0 end
function request()
  if now() < deadline then return command end
  return stall
end
function response(status, headers, body)
  statuses[tostring(status)] = (statuses[tostring(status)] or 0) + 1
  for name, value in pairs(headers) do
    local lower = string.lower(name)
    if lower == "preference-applied" then applied = applied + 1 end
    if lower == "changeledger-position" then positioned = positioned + 1 end
  end
end
function done(summary, latency, requests)
  local totals, total_applied, total_positioned = {}, 0, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do totals[k] = (totals[k] or 0) + v end
    total_applied = total_applied + t:get("applied")
    total_positioned = total_positioned + t:get("positioned")
  end
  local parts = {}
  for k, v in pairs(totals) do table.insert(parts, string.format('"%%s": %%d', k, v)) end
  io.write(string.format(
    'WRITEBENCH {"statuses": {%%s}, "applied": %%d, "positioned": %%d, "p50_us": %%d,' ..
    ' "p99_us": %%d, "max_us": %%d, "errors": {"connect": %%d, "read": %%d, "write": %%d,' ..
    ' "timeout": %%d}}\\n',
    table.concat(parts, ", "), total_applied, total_positioned, latency:percentile(50),
    latency:percentile(99), latency.max, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
"""


@dataclass
class LoadResult:
    client: str
    seconds: float
    statuses: dict[str, int]
    p50_ms: float
    p99_ms: float
    #: Answers that carried Preference-Applied (the server honoured Prefer: return=minimal).
    preference_applied: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if status.startswith("2"))

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds

    @property
    def rejected(self) -> dict[str, int]:
        return {s: n for s, n in sorted(self.statuses.items()) if not s.startswith("2")}

    def as_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "seconds": self.seconds,
            "ok": self.ok,
            "per_second": self.per_second,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "rejected": self.rejected,
            "preference_applied": self.preference_applied,
            "errors": self.errors,
        }


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_load(
    base_url: str, target: Target, clients: int, seconds: float, *, minimal: bool, use_wrk: bool
) -> LoadResult:
    if use_wrk:
        return wrk_load(base_url, target, clients, seconds, minimal=minimal)
    return thread_load(base_url, target, clients, seconds, minimal=minimal)


def wrk_load(
    base_url: str, target: Target, clients: int, seconds: float, *, minimal: bool
) -> LoadResult:
    began = time.monotonic()
    deadline = began + seconds
    prefer = '\n  ["Prefer"] = "return=minimal",' if minimal else ""
    script = _WRK_SCRIPT % {
        "deadline": deadline,
        "path": json.dumps(target.path),
        "authorization": json.dumps(f"Bearer {target.token}"),
        "prefer": prefer,
        "body": json.dumps(target.body()),
    }
    with tempfile.TemporaryDirectory(prefix="writebench-wrk-") as folder:
        path = Path(folder) / "write.lua"
        path.write_text(script)
        threads = max(1, min(2, clients))  # the machine has two cores; wrk needs little
        command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{int(seconds) + DRAIN_SECONDS}s"]
        command += ["--timeout", "30s", "--latency", "-s", str(path), base_url]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"^WRITEBENCH (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    figures = json.loads(found.group(1))
    return LoadResult(
        client=f"wrk ({threads} threads, {clients} connections)",
        seconds=seconds,
        statuses=figures["statuses"],
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        preference_applied=figures["applied"],
        errors={k: v for k, v in figures["errors"].items() if v},
    )


def thread_load(
    base_url: str, target: Target, clients: int, seconds: float, *, minimal: bool
) -> LoadResult:
    """``clients`` threads, each with one keep-alive connection (http.client)."""
    where = urlsplit(base_url)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {target.token}"}
    if minimal:
        headers["Prefer"] = "return=minimal"
    body = target.body().encode()
    statuses: Counter[str] = Counter()
    applied = [0]
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
        mine: list[float] = []
        seen: Counter[str] = Counter()
        preferred = 0
        try:
            while time.monotonic() < deadline:
                began = time.perf_counter()
                try:
                    connection.request("POST", target.path, body=body, headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        errors[type(exc).__name__] += 1
                    connection.close()
                    continue
                mine.append(time.perf_counter() - began)
                seen[str(response.status)] += 1
                preferred += response.getheader("Preference-Applied") is not None
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)
                statuses.update(seen)
                applied[0] += preferred

    workers = [threading.Thread(target=client) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return LoadResult(
        client=f"Python threads ({clients} keep-alive connections)",
        seconds=seconds,
        statuses=dict(statuses),
        p50_ms=percentile(latencies, 0.5) * 1000 if latencies else 0.0,
        p99_ms=percentile(latencies, 0.99) * 1000 if latencies else 0.0,
        preference_applied=applied[0],
        errors=dict(errors),
    )
