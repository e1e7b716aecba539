"""Reliability suite (issue 11): `python -m benchmarks.reliability [--only verify|fuzz|crash|tamper|concurrent]`.

  verify   import N contacts (a contract CSV, as `benchmarks.speed` writes it) into a fresh vault,
           then time `tracer verify` on it: the chain, every canary and every contact row
           recomputed against the ledger's commitments (target: seconds at 1.5M), and the same
           import for the cost of committing rows.
  fuzz     mutations of every fixture file under tests/data through every importer
           (tests/reliability/fuzzing.py): internal errors and hangs counted.
  crash    kill -9 of an import, a canary batch and a passphrase change at N points each
           (tests/reliability/crashing.py): all or nothing, verify passes, no orphan.
  tamper   every single-byte edit of a filled vault's rows and of a bundle's files
           (tests/reliability/tampering.py): detected / made.
  concurrent  2 and 4 writers logging contacts for S seconds (tests/reliability/concurrency.py).

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
        speed.tracer("contacts", "import", csv_path), env, target=(None, speed.GiB),
    )  # fmt: skip
    csv_path.unlink()
    speed.step(bench, "verify (chain, canaries, every contact row)", n, "rows", speed.tracer("verify"), env,
               target=(10.0, speed.GiB))  # fmt: skip
    speed.step(bench, "report --format json (verify, then attribution)", n, "rows",
               speed.tracer("report", "--format", "json", "--out", bench.root / f"report-{n}.json"), env)  # fmt: skip
    if not bench.keep:
        shutil.rmtree(home, ignore_errors=True)


def _small_runs(root: Path, only: set[str], args: argparse.Namespace) -> None:
    """The runs on a small filled vault (tests/conftest.py's `fill`), cheap key derivation."""
    import os

    from tests import conftest
    from tests.reliability import concurrency, crashing, tampering
    from tracer import lifecycle
    from tracer.reports import filing

    os.environ["TRACER_SCRYPT_LOG_N"] = "10"
    template = root / "filled" / "vault"
    vault = conftest.create_vault(template)
    try:
        conftest.fill(vault, root / "filled")
    finally:
        vault.close()
    if "crash" in only:
        print(crashing.summary(crashing.run(template, root, conftest.ME.passphrase, args.crash)), flush=True)
    if "tamper" in only:
        work = root / "tamper"
        shutil.copytree(template, work / "vault")
        tally = tampering.vault_edits(work / "vault", conftest.ME.passphrase, step=args.tamper)
        print(f"tamper: vault rows: {tally.detected}/{tally.edits} single-byte edits detected", flush=True)
        with lifecycle.open_vault(work / "vault", conftest.ME.passphrase) as vault:
            made = filing.bundle_platform(vault, "StockPro", work / "bundle.zip")
        tally = tampering.bundle_edits(made, work, step=args.tamper)
        print(f"tamper: bundle files: {tally.detected}/{tally.edits} single-byte edits detected", flush=True)
    if "concurrent" in only:
        for writers in (2, 4):
            outcome = concurrency.run(template, root, conftest.ME.passphrase, writers, args.concurrent)
            print(concurrency.summary(outcome), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability", description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=speed._sizes, default=(1_500_000,), help="e.g. 150k,1.5M")
    parser.add_argument("--fuzz", type=int, default=10_000, help="mutations per fixture file")
    parser.add_argument("--crash", type=int, default=20, help="kill points per operation")
    parser.add_argument("--tamper", type=int, default=1, help="edit every STEP-th byte")
    parser.add_argument("--concurrent", type=float, default=60.0, help="seconds per writer count")
    parser.add_argument("--only", choices=("verify", "fuzz", "crash", "tamper", "concurrent"), action="append")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    only = set(args.only or ("verify", "fuzz", "crash", "tamper", "concurrent"))
    root = Path(tempfile.mkdtemp(prefix="tracer-reliability-"))
    bench = speed.Bench(root, keep=args.keep)
    print(speed.HEADER, flush=True)
    started = time.perf_counter()
    try:
        if "verify" in only:
            for n in args.contacts:
                bench_verify(bench, n)
        if "fuzz" in only:
            from tests.reliability import fuzzing

            print(fuzzing.summary(fuzzing.run(args.fuzz, seed=2026)), flush=True)
        if only & {"crash", "tamper", "concurrent"}:
            _small_runs(root, only, args)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\n{speed.table(bench.rows)}\n({time.perf_counter() - started:.0f}s in all)", flush=True)
    return 0 if all(r.ok is not False for r in bench.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
