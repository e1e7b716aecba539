"""`tracer report --format csv` writes its table a block of contacts at a time (a large vault's
report never holds every row at once); the blocks joined are the table `render` makes of the
whole report, redacted or not, to a file or to stdout."""

from __future__ import annotations

import json

import pytest

from tracer.reports import ReportFormat, csv_format, render


@pytest.mark.parametrize("redact", [True, False])
def test_the_streamed_csv_is_the_rendered_table(filled, run, tmp_path, monkeypatch, me, redact):
    monkeypatch.setattr(csv_format, "BLOCK", 1)  # a block per contact
    code, stdout, stderr = run("report", "--format", "json", "--no-redact")
    assert code == 0, stderr
    report = json.loads(stdout)
    assert len(report["contacts"]) >= 3
    expected = render(report, ReportFormat.CSV, redact=redact, real_name=me.name)

    flag = "--redact" if redact else "--no-redact"
    code, _, stderr = run("report", "--format", "csv", flag, "--out", tmp_path / "r.csv")
    assert code == 0, stderr
    written = (tmp_path / "r.csv").read_text(encoding="utf-8")
    code, printed, stderr = run("report", "--format", "csv", flag)
    assert code == 0, stderr
    assert written == expected and printed == expected
    assert written.count("\n") == len(report["contacts"]) + 1  # one header, one line a contact
    if redact:
        assert me.phone not in written


def test_an_empty_report_is_its_header():
    text = "".join(csv_format.blocks([]))
    assert text.startswith("id,") and text.count("\n") == 1
