"""The package surface: format sniffing, options checks, and errors that name the file."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from tracer import ingest, phones
from tracer.errors import InputError
from tracer.ingest import IMPORTERS, Format, Options, read, sniff, total_bytes
from tracer.ingest.base import party


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("calls.xml", Format.ANDROID_CALLS),
        ("sms.xml", Format.ANDROID_SMS),
        ("billion_laughs.xml", Format.ANDROID_CALLS),
        ("gbk_multipart.eml", Format.EML),
        ("three.mbox", Format.MBOX),
        ("twilio.csv", Format.CSV),
        ("carrier_bill_gbk.csv", Format.CSV),
        ("utf16.csv", Format.CSV),
        ("google_voice", Format.GOOGLE_VOICE),
    ],
)
def test_sniff_tells_each_fixture_format_from_its_content(data, name, expected):
    assert sniff(data / name) is expected


def test_sniff_recognises_sqlite_as_ios_call_history(tmp_path):
    path = tmp_path / "anything.bin"
    sqlite3.connect(path).executescript("CREATE TABLE t (x);")
    assert sniff(path) is Format.IOS_CALLS


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00", b'{"json": 1}', b"<html/>"])
def test_sniff_raises_input_error_naming_the_file_for_unknown_content(tmp_path, content):
    path = tmp_path / "mystery.dat"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        sniff(path)
    assert str(path) in caught.value.message and "--format" in caught.value.diagnostics()


def test_sniff_says_an_empty_file_is_empty_and_names_it(tmp_path):
    path = tmp_path / "bill.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError) as caught:
        sniff(path)
    assert str(path) in caught.value.message and "the file is empty" in caught.value.message


def test_sniff_raises_for_a_folder_without_pages(tmp_path):
    with pytest.raises(InputError, match="folder"):
        sniff(tmp_path)


def test_every_format_but_auto_has_an_importer():
    assert set(IMPORTERS) == set(Format) - {Format.AUTO}


def test_read_with_auto_format_sniffs_the_file(data):
    items = list(read(data / "calls.xml", Format.AUTO, Options(to="+8613800138000")))
    assert len(items) == 8


def test_read_accepts_format_strings_and_default_options(data):
    assert len(list(read(data / "three.mbox", "mbox"))) == 3  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        (Options(tz="Mars/Olympus"), "--timezone"),
        (Options(region="XX"), "--region"),
        (Options(to="not a number"), "--to"),
        (Options(sim_map={"1": "12"}), "--sim"),
    ],
)
def test_bad_options_raise_input_error_before_reading(data, options, field):
    with pytest.raises(InputError) as caught:
        read(data / "calls.xml", Format.ANDROID_CALLS, options)
    assert caught.value.field == field


def test_a_missing_file_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "gone.csv", Format.CSV, Options())


def test_a_folder_given_for_a_file_format_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="reads a file"):
        read(tmp_path, Format.CSV, Options())


def test_total_bytes_counts_a_file_or_a_folders_pages(data):
    assert total_bytes(data / "calls.xml") == (data / "calls.xml").stat().st_size
    pages = list((data / "google_voice" / "Takeout" / "Voice" / "Calls").glob("*.html"))
    assert total_bytes(data / "google_voice") == sum(p.stat().st_size for p in pages)


def test_public_names_are_listed():
    assert {"Format", "Options", "read", "sniff", "total_bytes"} <= set(ingest.__all__)


def test_options_are_frozen_with_independent_dict_defaults():
    a, b = Options(), Options()
    assert a.sim_map is not b.sim_map and a.mapping == {}
    with pytest.raises(AttributeError):
        a.region = "US"  # type: ignore[misc]


def test_read_of_a_directory_path_string_works(data):
    assert len(list(read(Path(str(data / "google_voice")), Format.AUTO, Options(to="+12025550100")))) == 4


def test_chinese_mobile_numbers_read_without_phonenumbers_normalize_as_phonenumbers_does():
    """`party` spells common Chinese mobile numbers itself; for every first three digits, with
    and without +86, it agrees with phonenumbers: the same E.164, or a refusal."""
    rnd = random.Random(3)
    for prefix in range(100, 200):
        for country in ("", "+86"):
            for _ in range(20):
                number = f"{country}{prefix}{rnd.randrange(10**8):08d}"
                try:
                    expected = phones.normalize(number, "CN")
                except ValueError:
                    assert party(number, "CN")[0] is None, number
                    continue
                assert party(number, "CN") == (expected, None), number


def test_full_width_digits_are_left_to_phonenumbers():
    assert party("１３８００１３８０００", "CN") == ("+8613800138000", None)
