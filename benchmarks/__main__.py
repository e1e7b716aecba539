"""`python -m benchmarks [N]`: issue N canaries with `canary batch` into a fresh vault with an
N-number pool, and time the demo world end to end. Prints one table; peak memory from ru_maxrss."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tracer", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return time.perf_counter() - start, peak


def main(n: int) -> None:
    home = Path(tempfile.mkdtemp(prefix="tracer-bench-"))
    env = {**os.environ, "TRACER_HOME": str(home / "vault"), "TRACER_PASSPHRASE": "bench"}
    subprocess.run([sys.executable, "-m", "tracer", "init", "--phone", "13800138000"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    (home / "pool.txt").write_text("".join(f"+86139{i:08d}\n" for i in range(n)))
    (home / "batch.csv").write_text("platform,category,at,real_name\n"
                                    + "".join(f"P{i},stocks,2026-03-01T09:00:00+08:00,0\n" for i in range(n)))
    rows = [("numbers import", *_run(["numbers", "import", str(home / "pool.txt")], env)),
            ("canary batch", *_run(["canary", "batch", str(home / "batch.csv")], env)),
            ("demo", *_run(["demo", "--workdir", str(home / "demo")], env))]
    print(f"{'step':<16}{'seconds':>10}{'peak MiB':>10}   (N = {n})")
    for step, seconds, peak in rows:
        print(f"{step:<16}{seconds:>10.1f}{peak:>10.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
