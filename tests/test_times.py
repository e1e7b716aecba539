"""One reader of written times (`times.parse`) and of typed ones (`times.given`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracer import times
from tracer.errors import InputError

NINE_THIRTY_BEIJING = datetime(2026, 3, 1, 1, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01T09:31:00+08:00",
        "2026-03-01 09:31",
        "2026/03/01 09:31",
        "2026.3.1 9:31",
        "2026年3月1日 9时31分",
        "Sun, 01 Mar 2026 09:31:00 +0800",
        "2026-03-01T01:31:00Z",
    ],
)
def test_every_spelling_an_export_or_a_person_uses_reads_the_same(text: str) -> None:
    assert times.parse(text, "Asia/Shanghai") == NINE_THIRTY_BEIJING


def test_a_typed_time_accepts_what_a_csv_cell_accepts() -> None:
    """`contacts log --at "2026/03/01 09:31"` was refused while the same cell imported."""
    assert times.given("2026/03/01 09:31", "Asia/Shanghai") == NINE_THIRTY_BEIJING


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01", "0001-01-01", "1969-12-31T23:00:00Z"])
def test_a_bad_typed_time_is_one_input_error_naming_its_place(text: str) -> None:
    with pytest.raises(InputError) as caught:
        times.given(text, "Asia/Shanghai", "at", file="batch.csv", line=3)
    assert (caught.value.file, caught.value.line, caught.value.field) == ("batch.csv", 3, "at")


# 19:40 in Beijing on 1 March 2026
EVENING = datetime(2026, 3, 1, 11, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:31", NINE_THIRTY_BEIJING),
        ("09:31:00", NINE_THIRTY_BEIJING),
        ("9点31分", NINE_THIRTY_BEIJING),
        ("9:31 AM", NINE_THIRTY_BEIJING),
        ("19:40", EVENING),
        ("19:41", datetime(2026, 2, 28, 11, 41, tzinfo=UTC)),  # still to come today: yesterday's
        ("23:10", datetime(2026, 2, 28, 15, 10, tzinfo=UTC)),
        ("2026-02-20 23:10", datetime(2026, 2, 20, 15, 10, tzinfo=UTC)),  # a whole time as given
    ],
)
def test_a_clock_time_alone_is_the_latest_one_past(text: str, expected: datetime) -> None:
    """`contacts log --at 15:30`: the call taken at half past three, today's or yesterday's."""
    assert times.given_lately(text, "Asia/Shanghai", now=EVENING) == expected


def test_a_clock_time_across_a_change_of_offset_keeps_that_day_s_offset() -> None:
    """On 8 March 2026 New York moves to EDT (-4): 23:30 the evening before is EST (-5)."""
    morning = datetime(2026, 3, 8, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert times.given_lately("23:30", "America/New_York", now=morning) == datetime(2026, 3, 8, 4, 30, tzinfo=UTC)
    assert times.given_lately("8:15", "America/New_York", now=morning) == datetime(2026, 3, 8, 12, 15, tzinfo=UTC)


@pytest.mark.parametrize("text", ["24:00", "9:61", "25点", "yesterday", "15:3000", "15:30 00"])
def test_a_clock_that_is_no_time_is_one_input_error(text: str) -> None:
    with pytest.raises(InputError) as caught:
        times.given_lately(text, "Asia/Shanghai", now=EVENING)
    assert caught.value.field == "at"


def test_a_bad_written_time_is_a_value_error_with_the_reason() -> None:
    with pytest.raises(ValueError, match="not a date and time"):
        times.parse("not a time", "UTC")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Feb 10, 2021 1:14:13 PM", "2021-02-10T13:14:13Z"),  # a console's spelling, 12 h off before
        ("February 10, 2021 at 13:14", "2021-02-10T13:14:00Z"),
        ("2021-02-10 1:14:13 PM PST", "2021-02-10T21:14:13Z"),
        ("2021-02-10 12:05 AM", "2021-02-10T00:05:00Z"),
        ("18 Feb 01 12:29:13 AM", "2001-02-18T00:29:13Z"),  # RFC 2822 with a 12-hour clock
    ],
)
def test_times_written_with_words_are_read_as_written(written: str, expected: str) -> None:
    assert times.iso(times.parse(written, "UTC")) == expected
