"""The held-out judge's table: the issue's goals counted from the accuracy suite's JSON, and the
standard blocks run, resumed and read back (the accuracy suite itself replaced by a stand-in that
writes what it would: the worlds are the accuracy harness's business, tested there)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `benchmarks` is a folder of scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import heldout  # noqa: E402


def _world(seed, *, found=3, true_positives=3, detectable=4, found_of_detectable=3, right=98, identifying=100,
           background_attributed=0, background=200, covered=2, windows=3):
    model = {
        "found": found,
        "true_positives": true_positives,
        "detectable": detectable,
        "found_of_detectable": found_of_detectable,
        "identifying_right": right,
        "identifying": identifying,
        "identifying_accuracy": right / identifying if identifying else None,
        "background_attributed": background_attributed,
        "background": background,
        "background_wrong": background_attributed / background if background else None,
        "windows_covered": covered,
        "windows": windows,
    }
    return {"seed": seed, "systems": {"model": model}}


def _doc(worlds, ece=0.03):
    return {"worlds": worlds, "summary": {"model": {"pooled": {"ece": ece}}}}


def test_a_block_counts_each_goal_per_world_and_pooled():
    """Two innocent platforms in world 11 (found 4, true 2); world 12 misses the identifying goal
    (97 of 100 < 0.98) and the background goal (3 of 200 > 1%); a world with no identifying
    contact and no background counts toward neither goal's worlds; a failed world counts apart."""
    doc = _doc(
        [
            _world(10),
            _world(11, found=4, true_positives=2),
            _world(12, right=97, background_attributed=3),
            _world(13, identifying=0, right=0, background=0),
            {"seed": 14, "error": "Traceback …"},
        ],
        ece=0.041,
    )
    block = heldout.block_of(doc, "10")
    assert (block.worlds, block.failed) == (5, 1)
    assert (block.innocents, block.innocent_seeds) == (2, (11,))
    assert (block.found, block.detectable) == (12, 16)
    assert (block.identifying_right, block.identifying, block.identifying_met, block.identifying_worlds) == (
        293, 300, 2, 3)
    assert (block.background_attributed, block.background, block.background_met, block.background_worlds) == (
        3, 600, 2, 3)
    assert block.ece == 0.041
    assert (block.windows_covered, block.windows) == (8, 12)


def test_the_total_sums_the_counts_and_keeps_the_worst_blocks_ece():
    """ECE is a goal per block: the total row shows the worst block's, not a pooled average."""
    a = heldout.block_of(_doc([_world(1)], ece=0.02), "1")
    b = heldout.block_of(_doc([_world(2, found=4, true_positives=3)], ece=0.06), "2solo")
    rows = heldout.rows([a, b])
    assert [r[0] for r in rows] == ["1", "2solo", "all"]
    total = rows[-1]
    assert total[2] == "1 (2)"  # innocents, and the world that had them
    assert total[3] == "6/8 (0.750)"
    assert total[6] == "0.060 (worst)"
    assert heldout.table([a, b]).count("\n") == 4  # header, rule, two blocks, the total


def test_the_standard_plan_is_220_worlds_at_consecutive_seeds_and_scales_down():
    assert heldout.plan(9000) == [(9000, 60, ""), (9060, 60, ""), (9120, 40, "recycled"), (9160, 30, "solo"),
                                  (9190, 30, "mangled")]
    assert heldout.plan(9000, 0.01) == [(9000, 1, ""), (9060, 1, ""), (9120, 1, "recycled"), (9160, 1, "solo"),
                                        (9190, 1, "mangled")]


def test_blocks_are_run_once_kept_as_json_and_read_back(tmp_path, monkeypatch, capsys):
    """Each block is the accuracy suite's run with its seeds and variant, its JSON written where
    `--read` finds it; a block already there is not run again (a stopped run resumes)."""
    calls = []

    def accuracy_main(argv):
        args = dict(zip(argv[::2], argv[1::2], strict=True))
        calls.append(args)
        seed0, worlds = int(args["--seed0"]), int(args["--worlds"])
        print("per-world lines")
        worlds_ = [_world(s) for s in range(seed0, seed0 + worlds)]
        Path(args["--out"]).write_text(json.dumps(_doc(worlds_)), encoding="utf-8")
        return 0

    monkeypatch.setattr(heldout.accuracy, "main", accuracy_main)
    out = tmp_path / "judge"
    assert heldout.main(["--seed0", "500", "--scale", "0.05", "--out", str(out)]) == 0
    assert [(c["--seed0"], c["--worlds"], c.get("--variant", "")) for c in calls] == [
        ("500", "3", ""), ("560", "3", ""), ("620", "2", "recycled"), ("660", "2", "solo"), ("690", "2", "mangled")]
    assert (out / "620recycled.txt").read_text(encoding="utf-8") == "per-world lines\n"
    printed = capsys.readouterr().out
    assert "| all | 12 | 0 | 36/48 (0.750) | 1176/1200; 12/12 |" in printed  # 98 of 100 each: >= 0.98

    calls.clear()
    (out / "660solo.json").unlink()
    assert heldout.main(["--seed0", "500", "--scale", "0.05", "--out", str(out)]) == 0
    assert [c["--seed0"] for c in calls] == ["660"]

    assert heldout.main(["--read", str(out)]) == 0
    assert [b.name for b in heldout.read(out)] == ["500", "560", "620recycled", "660solo", "690mangled"]


def test_reading_a_folder_with_no_block_says_so(tmp_path, capsys):
    assert heldout.main(["--read", str(tmp_path)]) == 1
    assert "no block's JSON here" in capsys.readouterr().err
