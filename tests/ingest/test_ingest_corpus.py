"""Real robocall transcripts (FTC Project Point of No Entry, via wspr-ncsu/robocall-audio-dataset)
imported as call texts through a CSV with `--map`, in the encodings exports use.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tracer.ingest import Format, Options, read
from tracer.models import Channel, ContactRecord
from tracer.simulate.corpus import PACKAGED

CORPUS = PACKAGED  # the copy shipped in the package: a fresh clone has it


def corpus_rows() -> tuple[list[dict[str, str]], list[str]]:
    with (CORPUS / "metadata.csv").open(encoding="utf-8", newline="") as handle:
        calls = list(csv.DictReader(handle))
    with (CORPUS / "caller_ids.csv").open(encoding="utf-8", newline="") as handle:
        numbers = [row["phone_e164"] for row in csv.DictReader(handle)]
    return calls, numbers


def write_export(path: Path, encoding: str) -> list[dict[str, str]]:
    """A CSV in someone else's column names: Start, Caller ID, Recording, Transcript."""
    calls, numbers = corpus_rows()
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Start", "Caller ID", "Recording", "Language", "Transcript"])
        for i, call in enumerate(calls):
            start = f"2026-03-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00"
            out.writerow(
                [
                    start,
                    numbers[i % len(numbers)],
                    call["file_name"],
                    call["language"],
                    call["transcript"],
                ]
            )
    return calls


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_all_1432_robocall_transcripts_import_as_call_texts(tmp_path, encoding):
    path = tmp_path / "robocalls.csv"
    calls = write_export(path, encoding)
    mapping = {"at": "Start", "from": "Caller ID", "id": "Recording", "text": "Transcript"}
    items = list(
        read(
            path,
            Format.CSV,
            Options(region="US", tz="America/New_York", to="+12025550100", mapping=mapping),
        )
    )
    assert len(items) == len(calls) == 1432
    assert all(isinstance(i, ContactRecord) and i.channel is Channel.CALL for i in items)
    assert [i.text for i in items] == [c["transcript"] or None for c in calls]
    assert [i.line for i in items] == list(range(2, 1434))


def test_chinese_transcripts_survive_the_import_unchanged(tmp_path):
    path = tmp_path / "robocalls.csv"
    calls = write_export(path, "gb18030")
    mapping = {"at": "Start", "from": "Caller ID", "text": "Transcript"}
    items = list(read(path, Format.AUTO, Options(region="US", to="+12025550100", mapping=mapping)))
    chinese = [i for i, c in zip(items, calls, strict=True) if c["language"] == "zh"]
    assert len(chinese) == 54
    assert any("国际快递" in (i.text or "") for i in chinese)
    assert all(i.sender and i.sender.startswith("+1") for i in items)
