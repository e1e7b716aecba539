"""`tracer demo` end to end, and the accuracy of attribution on seeded simulated worlds."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tracer import demo, simulate


def _scores(result: demo.DemoResult) -> tuple[float, float]:
    """Platform precision of `leaked`, and recall over leaks that left identifying evidence."""
    truth = result.truth
    leaked = {p for p, v in truth["platforms"].items() if v["leaked"]}
    detectable = {c["platform"] for c in truth["contacts"] if c["cause"] == "leak" and c["identifying"]}
    found = {p["platform"] for p in result.report["platforms"] if p["verdict"] == "leaked"}
    precision = len(found & leaked) / len(found) if found else 1.0
    recall = len(found & detectable) / len(detectable) if detectable else 1.0
    return precision, recall


@pytest.mark.parametrize("seed", [7, 11])
def test_attribution_never_accuses_an_innocent_platform_and_finds_detectable_leaks(
    tmp_path, monkeypatch, seed
):
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    result = demo.run(tmp_path, simulate.Shape(seed=seed))
    precision, recall = _scores(result)
    assert precision == 1.0
    assert recall >= 0.95  # the target of issue 6; measured 1.0 on both worlds


@pytest.mark.parametrize("seed", [7, 11])
def test_contact_confidence_is_roughly_calibrated(tmp_path, monkeypatch, seed):
    """Expected calibration error of the contacts' confidence against the world's truth."""
    from benchmarks import accuracy

    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    result = demo.run(tmp_path, simulate.Shape(seed=seed))
    pairs, unmatched = accuracy.match_report(result.report, result.truth)
    assert unmatched == 0
    samples = accuracy.model_view(pairs, result.report)["samples"]
    # measured 0.035 (seed 7) and 0.061 (seed 11); the 0.05 target holds pooled over 20 worlds
    # but not yet in every single world (docs/benchmarks.md)
    assert accuracy.ece(accuracy.reliability(samples)) <= 0.1


def test_demo_command_prints_the_report_and_writes_html(tmp_path):
    env = {**os.environ, "TRACER_SCRYPT_LOG_N": "10"}
    done = subprocess.run(
        [sys.executable, "-m", "tracer", "demo", "--workdir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "report.html").exists()
    assert "reached callers" in done.stdout
    truth = (tmp_path / "files" / "truth.json").read_text(encoding="utf-8")
    assert "leaked" in truth


def test_a_kept_demo_vault_opens_with_the_passphrase_the_demo_names(tmp_path):
    """`--workdir` keeps the vault to explore: the demo says how to open it, and that works."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRACER_PASSPHRASE", "TRACER_HOME")}
    env |= {"TRACER_SCRYPT_LOG_N": "10", "LANG": "en_US.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "tracer", "demo", "--locale", "en_US", "--workdir", str(tmp_path / "w")],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    said = " ".join((done.stdout + done.stderr).split())
    vault = tmp_path / "w" / "vault"
    assert f"TRACER_HOME={vault}" in said and f"the passphrase {demo.KEPT_PASSPHRASE}" in said
    listed = subprocess.run(
        [sys.executable, "-m", "tracer", "contacts", "list", "--json"],
        capture_output=True, text=True, timeout=120,
        env={**env, "TRACER_HOME": str(vault), "TRACER_PASSPHRASE": demo.KEPT_PASSPHRASE},
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count('"id"') > 100  # the world's contacts, not an empty vault
