"""`python -m benchmarks.heldout --seed0 S [--out DIR] [--scale F]` · `--read DIR [DIR …]`

Issue 14's "done when", judged the way each round's lead judges it: one standard set of blocks
no one has run (220 worlds: 60 and 60 of the default shapes, 40 `recycled`, 30 `solo`, 30
`mangled`, at consecutive seeds from S), each block run by `benchmarks.accuracy` and kept as
that suite's JSON (DIR/<seed0><variant>.json, its printout beside it as .txt), then one table:
per block and over all, the goals as the issue states them.

- innocent platforms called `leaked` (goal: 0 in any world);
- recall over detectable leaks, pooled (goal ≥ 0.95);
- identifying leak contacts right, pooled, and the worlds at ≥ 0.98 (goal: every world);
- background contacts wrongly attributed, and the worlds at ≤ 1% (goal: every world);
- ECE of the contact confidence per block (goal ≤ 0.05 in each);
- leak windows holding the true moment, pooled (goal 0.85–0.95).

`--read DIR …` prints the table for blocks already run (one column group per DIR: before and
after), without running anything. `--scale 0.1` runs a tenth of each block (at least one world),
for a smoke run. Seeds are the judge's: a block used to tune anything is no longer held out;
pick fresh ones each round and say which in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import accuracy

# (variant, worlds) in order; the seeds run on from --seed0
BLOCKS: tuple[tuple[str, int], ...] = (("", 60), ("", 60), ("recycled", 40), ("solo", 30), ("mangled", 30))
IDENTIFYING = 0.98
BACKGROUND = 0.01


@dataclass
class Block:
    """One block's counts toward the goals, from its accuracy JSON."""

    name: str
    worlds: int = 0
    failed: int = 0
    innocents: int = 0
    innocent_seeds: tuple[int, ...] = ()
    found: int = 0
    detectable: int = 0
    identifying_right: int = 0
    identifying: int = 0
    identifying_worlds: int = 0  # worlds with identifying contacts
    identifying_met: int = 0  # … of them at >= 0.98
    background_attributed: int = 0
    background: int = 0
    background_worlds: int = 0
    background_met: int = 0
    ece: float | None = None
    windows_covered: int = 0
    windows: int = 0

    def __add__(self, other: Block) -> Block:
        total = Block("all")
        for name in self.__dataclass_fields__:
            if name in ("name", "ece"):
                continue
            setattr(total, name, getattr(self, name) + getattr(other, name))
        # ECE is per block (a pooled figure over blocks hides the worst): the worst block's
        eces = [e for e in (self.ece, other.ece) if e is not None]
        total.ece = max(eces) if eces else None
        return total


def block_of(doc: dict[str, Any], name: str) -> Block:
    """The goals' counts of one `benchmarks.accuracy --out` document."""
    block = Block(name, worlds=len(doc["worlds"]))
    innocent_seeds = []
    for world in doc["worlds"]:
        model = world.get("systems", {}).get("model")
        if model is None:
            block.failed += 1
            continue
        innocents = model["found"] - model["true_positives"]
        block.innocents += innocents
        if innocents:
            innocent_seeds.append(world["seed"])
        block.found += model["found_of_detectable"]
        block.detectable += model["detectable"]
        block.identifying_right += model["identifying_right"]
        block.identifying += model["identifying"]
        if model["identifying"]:
            block.identifying_worlds += 1
            block.identifying_met += model["identifying_accuracy"] >= IDENTIFYING
        block.background_attributed += model["background_attributed"]
        block.background += model["background"]
        if model["background"]:
            block.background_worlds += 1
            block.background_met += model["background_wrong"] <= BACKGROUND
        block.windows_covered += model["windows_covered"]
        block.windows += model["windows"]
    block.innocent_seeds = tuple(innocent_seeds)
    block.ece = (doc.get("summary", {}).get("model", {}).get("pooled", {}) or {}).get("ece")
    return block


def _ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "-"


def rows(blocks: Sequence[Block]) -> list[tuple[str, ...]]:
    """One row per block and a last one over all of them, the goal's figure in each cell."""
    total = Block("all")
    for block in blocks:
        total = total + block
    out = []
    for b in (*blocks, total):
        innocents = str(b.innocents) + (f" ({', '.join(map(str, b.innocent_seeds))})" if b.innocent_seeds else "")
        out.append(
            (
                b.name,
                str(b.worlds) + (f" ({b.failed} failed)" if b.failed else ""),
                innocents,
                f"{b.found}/{b.detectable} ({_ratio(b.found, b.detectable)})",
                f"{b.identifying_right}/{b.identifying}; {b.identifying_met}/{b.identifying_worlds}",
                f"{b.background_attributed}/{b.background}; {b.background_met}/{b.background_worlds}",
                "-" if b.ece is None else f"{b.ece:.3f}" + (" (worst)" if b.name == "all" else ""),
                f"{b.windows_covered}/{b.windows} ({_ratio(b.windows_covered, b.windows)})",
            )
        )
    return out


HEADER = (
    "block",
    "worlds",
    "innocents (0)",
    "recall detectable (>= 0.95)",
    f"identifying right; worlds >= {IDENTIFYING}",
    f"background wrong; worlds <= {BACKGROUND:.0%}",
    "ECE (<= 0.05)",
    "windows (0.85-0.95)",
)


def table(blocks: Sequence[Block]) -> str:
    """A Markdown table, ready for docs/benchmarks.md."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(blocks)]
    return "\n".join(lines)


def plan(seed0: int, scale: float = 1.0) -> list[tuple[int, int, str]]:
    """(first seed, worlds, variant) per block; a scaled block keeps its first seed and at least
    one world, so a smoke run judges the same worlds the full run starts with."""
    out, seed = [], seed0
    for variant, worlds in BLOCKS:
        out.append((seed, max(1, round(worlds * scale)), variant))
        seed += worlds
    return out


def _path(out: Path, seed: int, variant: str) -> Path:
    return out / f"{seed}{variant}.json"


def run(seed0: int, out: Path, scale: float = 1.0, errors: int = 10) -> list[Block]:
    """Run every block not already in `out` (a block's JSON is written whole, at its end, so a
    run stopped midway resumes at the block it was in) and return the blocks' counts."""
    out.mkdir(parents=True, exist_ok=True)
    blocks = []
    for seed, worlds, variant in plan(seed0, scale):
        path = _path(out, seed, variant)
        if not path.exists():
            argv = ["--worlds", str(worlds), "--seed0", str(seed), "--errors", str(errors), "--out", str(path)]
            if variant:
                argv += ["--variant", variant]
            with path.with_suffix(".txt").open("w", encoding="utf-8") as text, contextlib.redirect_stdout(text):
                accuracy.main(argv)
        block = block_of(json.loads(path.read_text(encoding="utf-8")), path.stem)
        print(f"{block.name}: {' · '.join(rows([block])[0][2:])}", flush=True)
        blocks.append(block)
    return blocks


def read(folder: Path) -> list[Block]:
    """The blocks already run in `folder`, in seed order."""
    paths = sorted(folder.glob("*.json"), key=lambda p: int("".join(c for c in p.stem if c.isdigit()) or 0))
    return [block_of(json.loads(p.read_text(encoding="utf-8")), p.stem) for p in paths]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.heldout", description=__doc__.split("\n")[0])
    parser.add_argument("--seed0", type=int, help="the first seed of the standard blocks (fresh ones each round)")
    parser.add_argument("--out", type=Path, help="where each block's JSON and printout go (default heldout-SEED0)")
    parser.add_argument("--scale", type=float, default=1.0, help="a share of each block's worlds (smoke runs)")
    parser.add_argument("--errors", type=int, default=10, help="mistake patterns in each block's printout")
    parser.add_argument("--read", type=Path, nargs="+", metavar="DIR", help="only print the table of blocks run")
    args = parser.parse_args(argv)
    if args.read:
        for folder in args.read:
            blocks = read(folder)
            if not blocks:
                print(f"{folder}: no block's JSON here", file=sys.stderr)
                return 1
            print(f"\n{folder}\n\n{table(blocks)}")
        return 0
    if args.seed0 is None:
        parser.error("--seed0 is required unless --read is given")
    if not 0 < args.scale <= 1:
        parser.error("--scale must be in (0, 1]")
    blocks = run(args.seed0, args.out or Path(f"heldout-{args.seed0}"), args.scale, args.errors)
    print(f"\n{table(blocks)}")
    return 1 if any(b.failed for b in blocks) else 0


if __name__ == "__main__":
    sys.exit(main())
