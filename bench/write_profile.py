"""Where the API's time goes under load: py-spy samples the running API processes from
outside (no code in them), and the samples are summed per function.

A function's cumulative share is the share of samples with it anywhere on the stack; its own
share, the samples with it at the top. By default idle threads are sampled too (wall-clock
time), so time a request spends waiting (for a connection, a lock, the views) shows;
``cpu`` samples only threads on a CPU. Samples of threads
with nothing of the API's in hand (the event loop's selector, idle pool threads) are left
out of the shares, and counted apart.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: A sample whose stack holds none of these frames is a thread with nothing of the API's
#: own in hand (the event loop waiting in select, idle pool threads). The command line
#: (services/cli.py) is at the bottom of the main thread always, so it does not count.
WORK_FRAMES = ("litestar/", "services/api/", "services/use_cases/", "services/application")
WORK_FRAMES += ("services/web/", "projections/", "infra/", "domain/")
PROCESS = re.compile(r'^(process \d+:".*?";)+')
#: Frames every thread has below its work (thread start-up, context managers): left out.
SCAFFOLDING = ("(threading.py)", "(concurrent/futures/thread.py)", "(contextlib.py)")


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit("--profile needs py-spy: pip install py-spy (it is in the dev extras)")
    return found


@dataclass
class Sampling:
    process: subprocess.Popen[bytes]
    output: Path

    def summary(self, top: int = 25) -> str:
        self.process.wait(timeout=120)
        if not self.output.exists():
            return f"py-spy wrote no profile (exit {self.process.returncode})"
        return summarise(self.output.read_text(errors="replace"), top)


def start_sampling(
    pid: int, seconds: float, output: Path, *, idle: bool = True, rate: int = 50
) -> Sampling:
    """Sample ``pid`` and its child processes for ``seconds``, in py-spy's raw format; with
    ``idle``, threads that wait too (wall-clock time), else only threads on a CPU."""
    command = [py_spy(), "record", "--pid", str(pid), "--subprocesses", *(["--idle"] * idle)]
    command += ["--duration", str(max(1, int(seconds))), "--rate", str(rate)]
    command += ["--format", "raw", "--output", str(output), "--nonblocking"]
    log = output.with_suffix(".log")
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    return Sampling(process, output)


def _frames(stack: str) -> list[str]:
    # 'process N:"command line";func (file:line);...': the process (whose command line may
    # hold ";") is not a function; line numbers go, so a function counts once however many
    # of its lines were sampled.
    stack = PROCESS.sub("", stack)
    return [frame.rsplit(":", 1)[0] + ")" if ":" in frame else frame for frame in stack.split(";")]


def summarise(raw: str, top: int) -> str:
    cumulative: Counter[str] = Counter()
    own: Counter[str] = Counter()
    busy = idle = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [f for f in _frames(stack) if "(" in f and not f.endswith(SCAFFOLDING)]
        if not any(marker in f for f in frames for marker in WORK_FRAMES):
            idle += int(count)
            continue
        busy += int(count)
        for frame in set(frames):
            cumulative[frame] += int(count)
        if frames:
            own[frames[-1]] += int(count)
    if not busy:
        return "no samples of the API's own work"
    lines = [
        f"{busy} samples of the API's own work ({idle} of idle threads left out)",
        "",
        "cumulative  own  function (file)",
    ]
    for frame, count in cumulative.most_common(top):
        lines.append(f"{100 * count / busy:9.1f}% {100 * own[frame] / busy:5.1f}%  {frame}")
    lines += ["", "own  function (file): the top of the stack"]
    for frame, count in own.most_common(top // 2):
        lines.append(f"{100 * count / busy:5.1f}%  {frame}")
    return "\n".join(lines)
