"""The speed suite's measuring: each child's own wall time, CPU time and peak RSS."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `benchmarks` is a folder of scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import speed  # noqa: E402


def test_measure_cpu_reports_the_childs_own_cpu_seconds_and_peak() -> None:
    burn = (
        "import time\nend = time.process_time() + 0.3\n"
        "while time.process_time() < end: pass\nx = bytearray(64 << 20)"
    )
    seconds, peak, finished, cpu = speed.measure_cpu([sys.executable, "-c", burn], dict(os.environ))
    assert finished
    assert cpu >= 0.25 and seconds >= cpu * 0.5
    assert peak >= 64  # MiB: the bytearray the child held


def test_rows_print_cpu_seconds_and_the_parse_ratio_names_cpu() -> None:
    row = speed.Row("report", 10, 2.0, "contacts", 100.0, "<1MiB", True, cpu=1.5)  # as `step` makes it
    assert "     1.5" in speed.format_row(row)
    assert "CPU s" in speed.HEADER
    blank = speed.Row("report", 10, 2.0, "contacts", 100.0)
    assert "—" in speed.format_row(blank)
