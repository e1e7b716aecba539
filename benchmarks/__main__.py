"""`python -m benchmarks [options]`: the speed suite (benchmarks/speed.py), one table at the end.

    python -m benchmarks                      # default suite: 10k batch, 1M+5M import, 150k+1.5M attribution
    python -m benchmarks --quick              # smoke sizes (a minute or two)
    python -m benchmarks --only import --sizes 1M
    python -m benchmarks --accuracy           # then benchmarks/accuracy.py, when it exists
    python -m benchmarks --accuracy --no-speed --accuracy-args "--quick"

Exit status 1 when a measured target fails (or the accuracy run fails).
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path

from benchmarks import speed

ACCURACY = Path(__file__).with_name("accuracy.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument(
        "n", nargs="?", type=int, help="canaries for the batch benchmark (legacy form of --batch)"
    )
    speed.add_arguments(parser)
    parser.add_argument("--no-speed", action="store_true", help="skip the speed suite")
    parser.add_argument("--accuracy", action="store_true", help="also run benchmarks/accuracy.py if present")
    parser.add_argument(
        "--accuracy-args", default="", help="arguments passed to the accuracy run (one string)"
    )
    args = parser.parse_args(argv)
    if args.n and not args.batch:
        args.batch = args.n
    status = 0
    rows: list[speed.Row] = []
    if not args.no_speed:
        rows = speed.run(args)
        status |= any(r.ok is False for r in rows)
    if args.accuracy:
        if ACCURACY.exists():
            print("\n== accuracy (benchmarks/accuracy.py)", flush=True)
            cmd = [sys.executable, "-m", "benchmarks.accuracy", *shlex.split(args.accuracy_args)]
            status |= subprocess.run(cmd, cwd=ACCURACY.parent.parent, check=False).returncode != 0
        else:
            print(f"\n--accuracy: {ACCURACY} does not exist yet; skipped", flush=True)
    if rows:
        print()
        print(speed.table(rows))
    return int(bool(status))


if __name__ == "__main__":
    sys.exit(main())
