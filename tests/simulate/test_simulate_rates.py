"""Traffic volumes match the research baseline and stay fast at default and scale shapes."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from simulate_readback import read, sms_key

from tracer.simulate import Shape, generate, issue_locally, plan, simulate


def _background_per_line(out: Path) -> tuple[dict[str, float], dict[str, dict[str, bool]]]:
    files = read(out)
    truth = files.truth_by_key()
    counts: Counter[str] = Counter()
    for row in files.calls:
        if truth[row["id"]]["cause"] == "background":
            counts[row["to"]] += 1
    for row in files.sms:
        if truth[sms_key(row)]["cause"] == "background":
            counts[row["to"]] += 1
    days = files.world["shape"]["days"]
    numbers = {n["e164"]: n for n in files.world["numbers"]}
    return {line: counts[line] / days for line in numbers}, numbers


def test_background_on_unpublished_lines_is_about_0_12_per_line_per_day(long_world: Path) -> None:
    rates, numbers = _background_per_line(long_world)
    spare = [rate for line, rate in rates.items() if not numbers[line]["primary"]]
    assert len(spare) == 4
    mean = sum(spare) / len(spare)
    assert abs(mean - 0.12) < 0.015, mean  # ~1,050 contacts: 3 standard errors is about 0.011
    assert all(0.09 < rate < 0.15 for rate in spare), spare


def test_published_primary_draws_about_0_4_per_day(long_world: Path) -> None:
    rates, numbers = _background_per_line(long_world)
    primary = next(rate for line, rate in rates.items() if numbers[line]["primary"])
    assert abs(primary - 0.4) < 0.04, primary


def test_background_contacts_spread_over_the_whole_period(long_world: Path) -> None:
    files = read(long_world)
    truth = files.truth_by_key()
    years = Counter(
        row["at"][:4] for row in files.calls if truth[row["id"]]["cause"] == "background"
    )
    inner = [years[year] for year in sorted(years)[1:-1]]  # the first and last years are partial
    assert len(years) >= 6 and min(inner) > 30


def test_default_world_plans_generates_and_writes_well_under_5_seconds(tmp_path: Path) -> None:
    plan(Shape(seed=99))  # warm caches shared by any world (Faker, pypinyin dictionaries)
    started = time.perf_counter()
    simulate(tmp_path, Shape(seed=8))
    assert time.perf_counter() - started < 2.5


def test_two_thousand_platforms_on_ten_numbers_still_generate() -> None:
    world = plan(Shape(seed=2, platforms=2000, pool=10, controls=2, recycled=2))
    signups = issue_locally(world)
    traffic = generate(world, signups)
    assert len(signups) == 2000
    leaked = {name for name, doc in traffic.truth["platforms"].items() if doc["leaked"]}
    assert len(leaked) == 800
    seen = {c.platform for c in traffic.contacts if c.cause == "leak"}
    assert seen == leaked
    assert len({s.phone for s in signups}) == 8  # every non-control pool number is used
