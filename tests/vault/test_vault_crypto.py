"""Field encryption (AES-256-GCM bound to table and row) and the keyed blind index."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.exceptions import InvalidTag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.errors import IntegrityError
from tracer.vault import Keyring, Vault

FIXTURE_OK = settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)

KEYS = Keyring.generate()


@settings(max_examples=100, deadline=None, derandomize=True)
@given(plaintext=st.binary(max_size=2048), aad=st.binary(max_size=64))
def test_keyring_decrypt_returns_exactly_what_encrypt_was_given(plaintext: bytes, aad: bytes):
    assert KEYS.decrypt(KEYS.encrypt(plaintext, aad), aad) == plaintext


@FIXTURE_OK
@given(text=st.text(), doc=json_values)
def test_vault_unseal_returns_the_sealed_string_and_document(vault: Vault, text: str, doc):
    assert vault.unseal("contacts", "k_1", vault.seal("contacts", "k_1", text)) == text
    assert vault.unseal("canaries", "c_1", vault.seal("canaries", "c_1", doc)) == doc


def test_sealing_the_same_value_twice_gives_different_ciphertexts(vault: Vault):
    assert vault.seal("numbers", "n_1", "+8613900139001") != vault.seal("numbers", "n_1", "+8613900139001")


@FIXTURE_OK
@given(offset=st.integers(min_value=0), mask=st.integers(min_value=1, max_value=255))
def test_flipping_any_byte_of_a_sealed_blob_raises_integrity_error(vault: Vault, offset: int, mask: int):
    blob = bytearray(vault.seal("canaries", "c_1", {"name": "欧阳建国", "phone": "+8613900139001"}))
    blob[offset % len(blob)] ^= mask
    with pytest.raises(IntegrityError) as caught:
        vault.unseal("canaries", "c_1", bytes(blob))
    assert caught.value.exit_code == 3


@FIXTURE_OK
@given(keep=st.integers(min_value=0, max_value=40))
def test_a_truncated_sealed_blob_raises_integrity_error_at_any_length(vault: Vault, keep: int):
    """Short blobs too: a nonce under 8 bytes must not escape as cryptography's ValueError."""
    blob = vault.seal("ledger", "1", {"type": "vault.created"})
    with pytest.raises(IntegrityError):
        vault.unseal("ledger", "1", blob[:keep])


def test_a_ciphertext_moved_to_another_row_id_does_not_decrypt(vault: Vault):
    blob = vault.seal("canaries", "c_aaaaaaaaaaaa", {"platform": "StockPro"})
    with pytest.raises(IntegrityError, match="c_bbbbbbbbbbbb"):
        vault.unseal("canaries", "c_bbbbbbbbbbbb", blob)


def test_a_ciphertext_moved_to_another_table_does_not_decrypt(vault: Vault):
    blob = vault.seal("numbers", "x_1", {"e164": "+8613900139001"})
    with pytest.raises(IntegrityError):
        vault.unseal("contacts", "x_1", blob)


def test_blind_index_is_deterministic_and_a_full_32_byte_hmac_sha256(vault: Vault):
    first = vault.blind("phone", "+8613900139001")
    assert first == vault.blind("phone", "+8613900139001")
    assert len(first) == 32 == hashlib.sha256().digest_size
    fresh = Keyring(b"\x01" * 32, b"\x02" * 32, KEYS.signing_key)
    expected = hmac.digest(b"\x02" * 32, b"phone\x00+8613900139001", hashlib.sha256)
    assert fresh.blind("phone", "+8613900139001") == expected


def test_blind_index_separates_kinds_values_and_vaults(vault: Vault):
    token = vault.blind("phone", "+8613900139001")
    assert token != vault.blind("email", "+8613900139001")
    assert token != vault.blind("phone", "+8613900139002")
    assert token != Keyring.generate().blind("phone", "+8613900139001")


def test_every_stored_blind_index_column_holds_32_bytes(filled, vault: Vault):
    queries = [
        "SELECT phone_bi FROM numbers",
        "SELECT name_bi FROM platforms",
        "SELECT phone_bi FROM canaries WHERE phone_bi IS NOT NULL",
        "SELECT email_bi FROM canaries WHERE email_bi IS NOT NULL",
        "SELECT dedupe FROM contacts",
        "SELECT to_bi FROM contacts WHERE to_bi IS NOT NULL",
    ]
    for sql in queries:
        values = [bytes(row[0]) for row in vault.conn.execute(sql)]
        assert values, sql
        assert {len(v) for v in values} == {32}, sql


@settings(max_examples=100, deadline=None, derandomize=True)
@given(index_key=st.binary(max_size=200), value=st.text())
def test_blind_index_is_hmac_sha256_for_index_keys_of_any_length(index_key: bytes, value: str):
    """`blind` computes HMAC from keyed states made once; keys longer than a block are hashed."""
    keys = Keyring(b"\x01" * 32, index_key, KEYS.signing_key)
    expected = hmac.digest(index_key, ("phone\x00" + value).encode(), hashlib.sha256)
    assert keys.blind("phone", value) == expected
    assert keys.blind_many("phone", [value, value]) == [expected, expected]


def test_blind_many_gives_what_blind_gives_one_value_at_a_time(vault: Vault):
    values = [f"call|{i}|+8613900139001|None|{'0' * 32}" for i in range(5)]
    assert vault.keys.blind_many("contact", values) == [vault.blind("contact", v) for v in values]


@settings(max_examples=50, deadline=None, derandomize=True)
@given(items=st.lists(st.tuples(st.binary(max_size=300), st.binary(max_size=40)), max_size=20))
def test_encrypt_many_gives_each_value_its_own_nonce_and_binding(items: list[tuple[bytes, bytes]]):
    plaintexts, aads = [p for p, _ in items], [a for _, a in items]
    blobs = KEYS.encrypt_many(plaintexts, aads)
    assert [KEYS.decrypt(blob, aad) for blob, aad in zip(blobs, aads, strict=True)] == plaintexts
    assert len({blob[:12] for blob in blobs}) == len(blobs)


def test_a_value_sealed_in_bulk_does_not_open_under_another_binding():
    blob, other = KEYS.encrypt_many([b'["+8613900139001"]', b"[]"], [b"contacts:k_1", b"contacts:k_2"])
    assert KEYS.decrypt(other, b"contacts:k_2") == b"[]"
    with pytest.raises(InvalidTag):
        KEYS.decrypt(blob, b"contacts:k_2")
