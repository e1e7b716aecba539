"""Evidence bundles: built from a vault, checked without it, and every tampering named."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.conftest import ME, create_vault
from tracer import contacts, identities, times
from tracer.errors import InputError, IntegrityError
from tracer.evidence import anchors, bundle
from tracer.models import Channel, ContactRecord
from tracer.reports import filing
from tracer.vault import Vault

POOL = "+8613912345678"
_SIGNED = ("manifest.json", "manifest.sig")


@pytest.fixture
def made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tsa) -> Path:  # type: ignore[no-untyped-def]
    """A bundle for StockPro: one canary on its own number, three calls using its name, anchored."""
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    vault = create_vault(tmp_path / "vault")
    with vault:
        from tracer import pool

        pool.add(vault, POOL)
        canary = identities.issue(
            vault, identities.Request("StockPro", "stocks", times.parse("2026-03-01T09:00:00+08:00"))
        )
        identities.issue(
            vault, identities.Request("CarDeals", "cars", times.parse("2026-03-02T09:00:00+08:00"))
        )
        surname = canary.name[0] if canary.name else ""
        for day in (1, 2, 4):
            contacts.log(
                vault,
                ContactRecord(
                    Channel.CALL,
                    times.parse(f"2026-03-0{day + 1}T10:00:00+08:00"),
                    to=canary.phone,
                    sender=f"+861350000{day:04d}",
                    heard_name=f"{surname}先生",
                    text="荐股 牛股",
                ),
            )
        query = tmp_path / "head.tsq"
        anchors.request(vault, query)
        response = tmp_path / "head.tsr"
        response.write_bytes(tsa.reply(query.read_bytes()))
        anchors.import_response(vault, response)
        return filing.bundle_platform(vault, "StockPro", tmp_path / "stockpro.zip")


def _rewrite(path: Path, change, *, rehash: bool = True, resign: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Apply `change(files)` to the bundle's files; by default recompute the manifest hashes and
    re-sign it with the vault's own key, as only someone holding the vault could: the checks
    behind the manifest (chain, commitments) must still catch the change."""
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    change(files)
    if rehash:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {
            n: hashlib.sha256(d).hexdigest() for n, d in files.items() if n not in _SIGNED
        }
        files["manifest.json"] = json.dumps(manifest).encode()
    if rehash and resign:
        with Vault.open(path.parent / "vault", ME.passphrase) as vault:
            files["manifest.sig"] = vault.keys.signing_key.sign(files["manifest.json"]).hex().encode() + b"\n"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def test_a_fresh_bundle_verifies_with_its_anchor_and_canary(made: Path) -> None:
    checked = bundle.verify(made)
    assert (checked.platform, checked.canaries, checked.anchors) == ("StockPro", 1, 1)


def test_the_bundle_discloses_only_what_proves_this_platform(made: Path) -> None:
    with zipfile.ZipFile(made) as archive:
        disclosed = archive.read("ledger/disclosed.jsonl").decode()
        summary = "".join(
            archive.read(n).decode() for n in ("summary.md", "summary.html", "attribution.json")
        )
    assert "CarDeals" not in disclosed
    assert ME.name not in summary and POOL not in summary


def test_an_edited_file_is_named(made: Path) -> None:
    _rewrite(made, lambda f: f.update({"attribution.json": f["attribution.json"] + b" "}), rehash=False)
    with pytest.raises(IntegrityError, match="attribution.json: changed"):
        bundle.verify(made)


def test_an_edited_attribution_with_a_recomputed_manifest_is_caught_by_the_ledger(made: Path) -> None:
    _rewrite(
        made,
        lambda f: f.update({"attribution.json": f["attribution.json"].replace(b"StockPro", b"StockPr0", 1)}),
    )
    with pytest.raises(IntegrityError, match="attribution.json: not the file the signed evidence.bundled"):
        bundle.verify(made)


def test_a_recomputed_manifest_without_the_vaults_key_fails_its_signature(made: Path) -> None:
    _rewrite(made, lambda f: f.update({"summary.md": b"# This platform is innocent\n"}), resign=False)
    with pytest.raises(IntegrityError, match="manifest.json: its signature does not verify"):
        bundle.verify(made)


@pytest.mark.parametrize("name", ["summary.md", "summary.html"])
def test_an_edited_summary_is_caught_even_under_a_resigned_manifest(made: Path, name: str) -> None:
    _rewrite(made, lambda f: f.update({name: b"This platform is innocent."}))
    with pytest.raises(IntegrityError, match=f"{name}: not the file the signed evidence.bundled"):
        bundle.verify(made)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.pop("manifest.json"), "manifest.json or manifest.sig is missing"),
        (lambda f: f.pop("manifest.sig"), "manifest.json or manifest.sig is missing"),
        (lambda f: f.update({"extra.txt": b"hello"}), "extra.txt: in the bundle but not in its manifest"),
        (lambda f: f.update({"summary2.md": f.pop("summary.md")}), "summary.md: listed in the manifest but missing"),
        (lambda f: f.pop("summary.html"), "summary.html: listed in the manifest but missing"),
    ],
    ids=["no manifest", "no signature", "extra file", "renamed file", "missing file"],
)
def test_missing_extra_or_renamed_files_fail_with_exit_3(made: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    _rewrite(made, change, rehash=False)
    with pytest.raises(IntegrityError, match=message) as caught:
        bundle.verify(made)
    assert caught.value.exit_code == 3


def test_a_dropped_disclosed_line_fails(made: Path) -> None:
    def drop(files: dict[str, bytes]) -> None:
        files["ledger/disclosed.jsonl"] = b"".join(files["ledger/disclosed.jsonl"].splitlines(keepends=True)[1:])

    _rewrite(made, drop, rehash=False)
    with pytest.raises(IntegrityError, match="disclosed.jsonl: changed"):
        bundle.verify(made)


def test_garbage_is_an_integrity_error_and_a_missing_file_an_input_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(IntegrityError):
        bundle.verify(garbage)
    with pytest.raises(InputError):
        bundle.verify(tmp_path / "absent.zip")


def test_a_removed_header_breaks_the_chain(made: Path) -> None:
    def drop(files: dict[str, bytes]) -> None:
        lines = files["ledger/headers.jsonl"].splitlines(keepends=True)
        files["ledger/headers.jsonl"] = b"".join(lines[:2] + lines[3:])

    _rewrite(made, drop)
    with pytest.raises(IntegrityError, match="ledger entry 3"):
        bundle.verify(made)


def test_reordered_headers_are_caught(made: Path) -> None:
    def swap(files: dict[str, bytes]) -> None:
        lines = files["ledger/headers.jsonl"].splitlines(keepends=True)
        lines[1], lines[2] = lines[2], lines[1]
        files["ledger/headers.jsonl"] = b"".join(lines)

    _rewrite(made, swap)
    with pytest.raises(IntegrityError, match="ledger entry 2"):
        bundle.verify(made)


def test_a_swapped_public_key_fails_every_signature(made: Path) -> None:
    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    _rewrite(made, lambda f: f.update({"public_key.pem": other}))
    with pytest.raises(IntegrityError, match="signature does not verify"):
        bundle.verify(made)


def test_a_removed_disclosed_entry_loses_the_proof(made: Path) -> None:
    def keep_batches_only(files: dict[str, bytes]) -> None:
        lines = files["ledger/disclosed.jsonl"].splitlines(keepends=True)
        files["ledger/disclosed.jsonl"] = b"".join(line for line in lines if b"canary.issued" not in line)

    _rewrite(made, keep_batches_only)
    with pytest.raises(IntegrityError, match="no disclosed entry shows a canary"):
        bundle.verify(made)


def test_an_anchor_from_another_head_is_refused(made: Path, other_tsa) -> None:  # type: ignore[no-untyped-def]
    def swap_anchor(files: dict[str, bytes]) -> None:
        anchor_doc = json.loads(files["anchors.jsonl"])
        anchor_doc["seq"] = 1
        files["anchors.jsonl"] = (json.dumps(anchor_doc) + "\n").encode()

    _rewrite(made, swap_anchor)
    with pytest.raises(IntegrityError, match="anchor over entry 1"):
        bundle.verify(made)


def test_an_anchor_token_for_other_data_is_refused(made: Path, other_tsa) -> None:  # type: ignore[no-untyped-def]
    from tracer.evidence import timestamp as anchor

    forged = other_tsa.reply(anchor.request(hashlib.sha256(b"something else").digest()))
    from asn1crypto import tsp

    token = tsp.TimeStampResp.load(forged)["time_stamp_token"].dump()

    def swap_token(files: dict[str, bytes]) -> None:
        import base64

        anchor_doc = json.loads(files["anchors.jsonl"])
        anchor_doc["token"] = base64.b64encode(token).decode()
        files["anchors.jsonl"] = (json.dumps(anchor_doc) + "\n").encode()

    _rewrite(made, swap_token)
    with pytest.raises(IntegrityError):
        bundle.verify(made)


def test_a_truncated_chain_with_its_old_signed_head_is_caught(made: Path) -> None:
    def cut_last(files: dict[str, bytes]) -> None:
        lines = files["ledger/headers.jsonl"].splitlines(keepends=True)
        files["ledger/headers.jsonl"] = b"".join(lines[:-1])

    _rewrite(made, cut_last)
    with pytest.raises(IntegrityError, match="ledger/head.json: ledger entry"):
        bundle.verify(made)


def test_the_summary_states_each_confidence_as_the_report_does_never_as_certainty() -> None:
    doc = {
        "platform": {"verdict": "leaked", "confidence": 1.0, "signup_at": None, "first_contact_at": None},
        "contacts": [
            {"at": "2026-03-02T02:00:00Z", "channel": "call", "from": "+8613500000001", "confidence": 0.9999,
             "evidence": [{"kind": "name", "detail": "the caller used the surname given to StockPro"}]},
            {"at": "2026-03-03T02:00:00Z", "channel": "sms", "from": "+8613500000002", "confidence": 0.874,
             "evidence": []},
        ],
    }  # fmt: skip
    summary = bundle.summarize(doc, "StockPro")
    assert "(confidence >99%)" in summary and "(p >99%)" in summary and "(p 87%)" in summary
    assert "1.00" not in summary and "0.87" not in summary
    assert "attributed to this platform" in summary
