"""A bounded run of the importer fuzz (the long run: `python -m benchmarks.reliability --fuzz
10000`, figures in docs/reliability.md): no internal error, no hang."""

from __future__ import annotations

from tests.reliability import fuzzing


def test_mutated_fixture_files_are_read_or_rejected_cleanly():
    outcome = fuzzing.run(25, seed=11)
    assert outcome.runs >= 25 * 5, fuzzing.summary(outcome)
    assert len(outcome.by_format) >= 4  # csv, android calls and sms, mail at least
    assert outcome.internal == [] and outcome.hangs == [], fuzzing.summary(outcome)
    assert outcome.rejected > 0 and outcome.read > 0  # the mutations reach both outcomes
