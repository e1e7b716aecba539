"""Google Voice Takeout: a folder of call, voicemail and text-thread pages."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer.errors import InputError
from tracer.ingest import Format, Options, read, sniff
from tracer.models import Channel, Rejected

ME = "+12025550100"


@pytest.fixture
def calls(data: Path, tmp_path: Path) -> Path:
    """A writable copy of the fixture's Voice/Calls folder."""
    target = tmp_path / "Calls"
    shutil.copytree(data / "google_voice" / "Takeout" / "Voice" / "Calls", target)
    return target


def test_missed_call_voicemail_and_text_thread_are_read_in_name_order(data, load_records):
    items = load_records(data / "google_voice", to=ME)
    assert [(i.channel, i.headers["kind"], i.line) for i in items] == [
        (Channel.CALL, "missed", 1),
        (Channel.SMS, "text", 2),
        (Channel.SMS, "text", 2),
        (Channel.CALL, "voicemail", 3),
    ]
    assert {i.to for i in items} == {ME}


def test_call_pages_give_caller_time_transcript_and_duration(data, load_records):
    missed, _, _, voicemail = load_records(data / "google_voice", to=ME)
    assert (missed.sender, missed.at) == ("+12025550143", datetime(2026, 3, 1, 14, 30, tzinfo=UTC))
    assert voicemail.sender == "+18336317911"
    assert voicemail.text == "Hello Mr. Ouyang, this is about your car's extended warranty. Press 1 now."
    assert voicemail.duration == 22


def test_text_threads_skip_the_users_own_messages(data, load_records):
    _, first, second, _ = load_records(data / "google_voice", to=ME)
    assert first.text == "Your StockPro account needs verification: reply YES\nor call us"
    assert second.text == "Last chance & 50% off"
    assert first.sender == second.sender == "+12025550177"


@pytest.mark.parametrize("depth", ["Takeout", "Voice", "Calls"])
def test_the_takeout_root_voice_or_calls_folder_may_be_given(data, load_records, depth):
    roots = {
        "Takeout": data / "google_voice",
        "Voice": data / "google_voice" / "Takeout",
        "Calls": data / "google_voice" / "Takeout" / "Voice" / "Calls",
    }
    assert len(load_records(roots[depth], to=ME)) == 4


def test_placed_calls_are_skipped_and_unknown_kinds_rejected(calls, load):
    page = (calls / "+12025550143 - Missed - 2026-03-01T14_30_00Z.html").read_text()
    (calls / "+12025550111 - Placed - 2026-03-04T10_00_00Z.html").write_text(page)
    (calls / "+12025550112 - Faxed - 2026-03-04T11_00_00Z.html").write_text(page)
    items = load(calls, to=ME)
    bad = [i for i in items if isinstance(i, Rejected)]
    assert len(items) == 5 and [(b.line, b.field) for b in bad] == [(2, "file")]


def test_an_empty_tel_link_is_a_withheld_caller(calls, load_records):
    page = (calls / "+12025550143 - Missed - 2026-03-01T14_30_00Z.html").read_text()
    page = page.replace('href="tel:+12025550143"', 'href="tel:"')
    (calls / "+12025550143 - Missed - 2026-03-01T14_30_00Z.html").write_text(page)
    assert load_records(calls, to=ME)[0].sender is None


def test_a_call_page_without_a_time_is_rejected(calls, load):
    page = calls / "+12025550143 - Missed - 2026-03-01T14_30_00Z.html"
    page.write_text(page.read_text().replace('class="published"', 'class="other"'))
    bad = load(calls, to=ME)[0]
    assert isinstance(bad, Rejected) and (bad.line, bad.field) == (1, "published")


def test_a_folder_without_pages_raises_input_error(tmp_path):
    with pytest.raises(InputError, match=r"no \.html pages"):
        list(read(tmp_path, Format.GOOGLE_VOICE, Options()))


REAL = Path(__file__).resolve().parents[1] / "data" / "real"


@pytest.mark.parametrize(
    "folder",
    [
        REAL / "google_voice_moshekaplan" / "Calls",  # pages named by what they hold, not by Takeout
        REAL / "google_voice_merger" / "Calls",
    ],
)
def test_a_page_given_alone_reads_as_it_does_in_its_folder(folder, load):
    """A call or thread copied out of Takeout is imported by itself: sniffed by its markup,
    whatever its name, and read to the same records as inside its folder."""
    in_folder = [i for i in load(folder, to=ME) if not isinstance(i, Rejected)]
    alone = []
    for page in sorted(folder.glob("*.html")):
        assert sniff(page) is Format.GOOGLE_VOICE, page.name
        alone += [i for i in load(page, to=ME) if not isinstance(i, Rejected)]
    key = lambda r: (r.at, r.sender, r.text)  # noqa: E731
    assert len(in_folder) > 3 and sorted(map(key, alone)) == sorted(map(key, in_folder))


def test_a_file_that_is_no_page_is_refused_as_google_voice(data):
    with pytest.raises(InputError, match="not a Google Voice page") as caught:
        list(read(data / "calls.xml", Format.GOOGLE_VOICE, Options(to=ME)))
    assert caught.value.file and caught.value.file.endswith("calls.xml")
