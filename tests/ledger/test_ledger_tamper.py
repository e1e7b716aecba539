"""The signed, hash-chained ledger: a clean vault verifies, every kind of tampering is caught.

Tampering is done the way an attacker with the file would: sqlite3 on the closed vault file,
without the vault's keys. Verification must then raise IntegrityError (exit code 3).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracer import lifecycle
from tracer.errors import IntegrityError
from tracer.ledger import Ledger, canonical, check_content, commit, header_hash
from tracer.vault import Vault
from tracer.vault.store import DB_NAME

PASSPHRASE = "ledger tests"
COLUMNS = ("seq", "header", "signature", "enc")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, build_filled) -> Path:
    """A closed, filled vault (every kind of ledger entry) to copy for each tampering."""
    return build_filled(tmp_path_factory.mktemp("ledger-template"), PASSPHRASE)


_copies = itertools.count()


@pytest.fixture
def copy(template: Path, tmp_path: Path) -> Callable[[], Path]:
    """copy() -> a fresh copy of the template vault folder."""

    def make() -> Path:
        target = tmp_path / f"copy{next(_copies)}"
        shutil.copytree(template, target)
        return target

    return make


def tamper(home: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    conn = sqlite3.connect(home / DB_NAME, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for sql, params in statements:
            conn.execute(sql, params)
        conn.execute("COMMIT")
    finally:
        conn.close()


def rows(home: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(home / DB_NAME)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def verify(home: Path) -> lifecycle.Verified:
    with Vault.open(home, PASSPHRASE) as vault:
        return lifecycle.verify(vault)


def assert_detected(home: Path) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught:
        verify(home)
    assert caught.value.exit_code == 3
    return caught.value


@pytest.fixture
def tampered(copy: Callable[[], Path]) -> Iterator[Path]:
    yield copy()


# -- a clean vault -----------------------------------------------------------------------------


def test_verify_passes_on_a_vault_with_every_kind_of_entry(tampered: Path):
    result = verify(tampered)
    kinds = [r[0] for r in rows(tampered, "SELECT seq FROM ledger")]
    assert result.entries == len(kinds) >= 12
    assert result.canaries == 4
    assert len(result.head) == 64


def test_verify_passes_on_a_fresh_vault_with_only_its_creation_entry(vault: Vault):
    result = lifecycle.verify(vault)
    assert result.entries == 2  # vault.created, number.added (primary)
    assert result.canaries == 0


def test_every_entry_carries_version_seq_prev_and_a_commitment_only(tampered: Path):
    prev = "0" * 64
    for seq, header in rows(tampered, "SELECT seq, header FROM ledger ORDER BY seq"):
        doc = json.loads(header)
        assert set(doc) == {"v", "seq", "prev", "commitment"}
        assert (doc["v"], doc["seq"], doc["prev"]) == (1, seq, prev)
        assert canonical(doc) == bytes(header)
        prev = header_hash(bytes(header))


# -- byte flips ----------------------------------------------------------------------------------


def flipped(value: object, offset: int, mask: int) -> object:
    if isinstance(value, int):  # seq: flip a byte of its signed 64-bit two's complement
        raw = bytearray(struct.pack(">q", value))
        raw[offset % 8] ^= mask
        return struct.unpack(">q", bytes(raw))[0]
    raw = bytearray(bytes(value))  # type: ignore[call-overload]
    raw[offset % len(raw)] ^= mask
    return bytes(raw)


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    row=st.integers(min_value=0, max_value=10_000),
    column=st.sampled_from(COLUMNS),
    offset=st.integers(min_value=0, max_value=10_000),
    mask=st.integers(min_value=1, max_value=255),
)
def test_flipping_any_byte_of_any_ledger_row_fails_verification(
    copy: Callable[[], Path], row: int, column: str, offset: int, mask: int
):
    home = copy()
    ledger = rows(home, "SELECT seq, header, signature, enc FROM ledger ORDER BY seq")
    seq = ledger[row % len(ledger)][0]
    value = ledger[row % len(ledger)][COLUMNS.index(column)]
    new = flipped(value, offset, mask)
    assume(column != "seq" or new not in {r[0] for r in ledger})
    tamper(home, (f"UPDATE ledger SET {column} = ? WHERE seq = ?", (new, seq)))
    assert_detected(home)


def test_the_cli_verify_exits_3_naming_the_entry_when_a_header_byte_is_flipped(copy: Callable[[], Path], run):
    home = copy()
    [(header,)] = rows(home, "SELECT header FROM ledger WHERE seq = 3")
    tamper(home, ("UPDATE ledger SET header = ? WHERE seq = 3", (flipped(header, 10, 1),)))
    code, stdout, stderr = run("--home", home, "verify",
                               extra_env={"TRACER_PASSPHRASE": PASSPHRASE})  # fmt: skip
    assert code == 3, stderr
    assert "ledger entry 3" in stderr
    assert "Traceback" not in stderr


# -- removing, reordering, inserting -----------------------------------------------------------


def test_deleting_an_entry_from_the_middle_is_detected(tampered: Path):
    tamper(tampered, ("DELETE FROM ledger WHERE seq = 5", ()))
    assert assert_detected(tampered).entry == 5


def test_deleting_the_last_entry_is_detected_by_the_signed_head(tampered: Path):
    [(last,)] = rows(tampered, "SELECT max(seq) FROM ledger")
    tamper(tampered, ("DELETE FROM ledger WHERE seq = ?", (last,)))
    error = assert_detected(tampered)
    assert error.entry == last


def test_deleting_the_last_entry_and_the_signed_head_is_detected(tampered: Path):
    [(last,)] = rows(tampered, "SELECT max(seq) FROM ledger")
    tamper(
        tampered,
        ("DELETE FROM ledger WHERE seq = ?", (last,)),
        ("DELETE FROM meta WHERE key = 'ledger_head'", ()),
    )
    assert_detected(tampered)


def test_swapping_the_seq_of_two_entries_is_detected(tampered: Path):
    tamper(
        tampered,
        ("UPDATE ledger SET seq = -1 WHERE seq = 4", ()),
        ("UPDATE ledger SET seq = 4 WHERE seq = 5", ()),
        ("UPDATE ledger SET seq = 5 WHERE seq = -1", ()),
    )
    assert assert_detected(tampered).entry == 4


def test_swapping_the_content_of_two_entries_is_detected(tampered: Path):
    (a,), (b,) = rows(tampered, "SELECT enc FROM ledger WHERE seq IN (4, 5) ORDER BY seq")
    tamper(
        tampered,
        ("UPDATE ledger SET enc = ? WHERE seq = 4", (b,)),
        ("UPDATE ledger SET enc = ? WHERE seq = 5", (a,)),
    )
    assert_detected(tampered)


def forged_entry(home: Path, key: Ed25519PrivateKey) -> tuple[int, bytes, bytes, bytes]:
    [(last, header)] = rows(home, "SELECT seq, header FROM ledger ORDER BY seq DESC LIMIT 1")
    content = {"type": "canary.retired", "canary_id": "c_000000000000"}
    forged = canonical({"v": 1, "seq": last + 1, "prev": header_hash(bytes(header)),
                        "commitment": commit(os.urandom(32), content)})  # fmt: skip
    return last + 1, forged, key.sign(forged), os.urandom(80)


def test_inserting_a_forged_entry_is_detected(tampered: Path):
    seq, header, signature, enc = forged_entry(tampered, Ed25519PrivateKey.generate())
    tamper(tampered, ("INSERT INTO ledger VALUES (?, ?, ?, ?)", (seq, header, signature, enc)))
    assert assert_detected(tampered).entry == seq


def test_resigning_the_whole_chain_with_another_key_is_detected(tampered: Path):
    """Even with the stored public key and the signed head replaced to match the new key."""
    attacker = Ed25519PrivateKey.generate()
    public = attacker.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ledger = rows(tampered, "SELECT seq, header FROM ledger ORDER BY seq")
    statements = [("UPDATE ledger SET signature = ? WHERE seq = ?", (attacker.sign(bytes(h)), s))
                  for s, h in ledger]  # fmt: skip
    last_seq, last_header = ledger[-1]
    head = canonical({"seq": last_seq, "hash": header_hash(bytes(last_header))})
    signed_head = canonical({"head": head.decode(), "sig": attacker.sign(head).hex()})
    statements += [
        ("UPDATE meta SET value = ? WHERE key = 'public_key'", (public,)),
        ("UPDATE meta SET value = ? WHERE key = 'ledger_head'", (signed_head,)),
    ]
    tamper(tampered, *statements)
    error = assert_detected(tampered)
    assert "public key" in error.message


def test_resigning_the_chain_without_replacing_the_public_key_is_detected(tampered: Path):
    attacker = Ed25519PrivateKey.generate()
    ledger = rows(tampered, "SELECT seq, header FROM ledger ORDER BY seq")
    tamper(tampered, *[("UPDATE ledger SET signature = ? WHERE seq = ?",
                        (attacker.sign(bytes(h)), s)) for s, h in ledger])  # fmt: skip
    assert assert_detected(tampered).entry == 1


# -- canary rows against their entries ----------------------------------------------------------


def test_swapping_the_sealed_blobs_of_two_canaries_is_detected(tampered: Path):
    """The only way to change a canary's platform without the keys: another row's blob."""
    (a, enc_a), (b, enc_b) = rows(tampered, "SELECT id, enc FROM canaries ORDER BY id LIMIT 2")
    tamper(
        tampered,
        ("UPDATE canaries SET enc = ? WHERE id = ?", (enc_b, a)),
        ("UPDATE canaries SET enc = ? WHERE id = ?", (enc_a, b)),
    )
    assert_detected(tampered)


def test_backdating_a_canary_row_is_detected(tampered: Path):
    [(cid, issued)] = rows(tampered, "SELECT id, issued_at FROM canaries ORDER BY id LIMIT 1")
    tamper(tampered, ("UPDATE canaries SET issued_at = ? WHERE id = ?", (issued - 86400, cid)))
    assert "differs from ledger entry" in assert_detected(tampered).message


def test_pointing_a_canary_at_another_ledger_entry_is_detected(tampered: Path):
    (a, seq_a), (b, seq_b) = rows(tampered, "SELECT id, ledger_seq FROM canaries ORDER BY id LIMIT 2")
    tamper(
        tampered,
        ("UPDATE canaries SET ledger_seq = ? WHERE id = ?", (seq_b, a)),
        ("UPDATE canaries SET ledger_seq = ? WHERE id = ?", (seq_a, b)),
    )
    assert_detected(tampered)


def test_deleting_a_canary_row_is_detected(tampered: Path):
    """A removed canary silently drops its platform from every report; its `canary.issued`
    entry is still in the ledger, so verify must notice the row is gone."""
    [(cid,)] = rows(tampered, "SELECT id FROM canaries ORDER BY id LIMIT 1")
    tamper(tampered, ("DELETE FROM canaries WHERE id = ?", (cid,)))
    assert_detected(tampered)


# -- selective disclosure -------------------------------------------------------------------------


def test_a_disclosed_entry_opens_its_commitment(vault: Vault):
    entry = Ledger(vault).entry(1)
    check_content(entry.seq, entry.header, entry.content, entry.salt)
    assert entry.content["type"] == "vault.created"


def test_a_disclosed_entry_with_changed_content_or_salt_does_not_open_it(vault: Vault):
    entry = Ledger(vault).entry(1)
    with pytest.raises(IntegrityError, match="commitment"):
        check_content(entry.seq, entry.header, {**entry.content, "locale": "en_US"}, entry.salt)
    with pytest.raises(IntegrityError, match="commitment"):
        check_content(entry.seq, entry.header, entry.content, bytes(32))
