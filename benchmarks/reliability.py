"""Reliability suite (issue 11): `python -m benchmarks.reliability [--contacts 1.5M] [--fuzz N]`.

  verify   import N contacts (a contract CSV, as `benchmarks.speed` writes it) into a fresh vault,
           then time `tracer verify` on it: the chain, every canary and every contact row
           recomputed against the ledger's commitments (target: seconds at 1.5M), and the same
           import for the cost of committing rows.
  fuzz     mutations of every fixture file under tests/data through every importer
           (tests/reliability/fuzzing.py): internal errors and hangs counted.

Every measurement runs `tracer` in a subprocess with the default scrypt cost, as a user would.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import speed


def bench_verify(bench: speed.Bench, n: int) -> None:
    home, env = speed.fresh_vault(bench, f"vault-verify-{n}")
    csv_path = bench.root / f"contacts-{n}.csv"
    size = speed.write_contacts(csv_path, n, speed.pool_numbers(10_000), seed=11)
    speed.step(
        bench, f"contacts import ({size / 2**20:,.0f} MiB CSV)", n, "rows",
        speed.tracer("contacts", "import", csv_path), env, target=(100_000, speed.GiB), rate_target=True,
    )  # fmt: skip
    csv_path.unlink()
    speed.step(bench, "verify (chain, canaries, every contact row)", n, "rows", speed.tracer("verify"), env,
               target=(10.0, speed.GiB))  # fmt: skip
    speed.step(bench, "report --format json (verify, then attribution)", n, "rows",
               speed.tracer("report", "--format", "json", "--out", bench.root / f"report-{n}.json"), env)  # fmt: skip
    if not bench.keep:
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability", description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=speed._sizes, default=(1_500_000,), help="e.g. 150k,1.5M")
    parser.add_argument("--fuzz", type=int, default=0, help="mutations per fixture file (0: skip)")
    parser.add_argument("--only", choices=("verify", "fuzz"), action="append")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    only = set(args.only or ("verify", "fuzz"))
    root = Path(tempfile.mkdtemp(prefix="tracer-reliability-"))
    bench = speed.Bench(root, keep=args.keep)
    print(speed.HEADER, flush=True)
    started = time.perf_counter()
    try:
        if "verify" in only:
            for n in args.contacts:
                bench_verify(bench, n)
        if "fuzz" in only and args.fuzz:
            from tests.reliability import fuzzing

            print(fuzzing.summary(fuzzing.run(args.fuzz)), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\n{speed.table(bench.rows)}\n({time.perf_counter() - started:.0f}s in all)", flush=True)
    return 0 if all(r.ok is not False for r in bench.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
