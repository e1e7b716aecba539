"""RFC 3161 anchors against a real local TSA (`openssl ts -reply`); tampering raises."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from asn1crypto import tsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.errors import InputError, IntegrityError
from tracer.evidence import timestamp as anchor

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Tsa

DIGEST = hashlib.sha256(b"evidence bundle v1").digest()
NONCE = 0x5EED_CAFE_F00D


@pytest.fixture(scope="module")
def response(tsa: Tsa) -> bytes:
    return tsa.reply(anchor.request(DIGEST, nonce=NONCE))


def test_request_is_a_sha256_query_asking_for_the_tsa_certificate() -> None:
    query = tsp.TimeStampReq.load(anchor.request(DIGEST, nonce=7)).native
    assert query["message_imprint"]["hash_algorithm"]["algorithm"] == "sha256"
    assert query["message_imprint"]["hashed_message"] == DIGEST
    assert query["cert_req"] is True
    assert query["nonce"] == 7


def test_request_without_nonce_omits_it() -> None:
    assert tsp.TimeStampReq.load(anchor.request(DIGEST)).native["nonce"] is None


def test_request_refuses_a_digest_that_is_not_sha256_sized() -> None:
    with pytest.raises(InputError, match="32 bytes"):
        anchor.request(b"short")


def test_validate_round_trip_returns_the_tsa_time_subject_and_serial(tsa: Tsa, response: bytes) -> None:
    found = anchor.validate(response, DIGEST, nonce=NONCE)
    assert found.digest_hex == DIGEST.hex()
    assert "CN=Test TSA One" in found.tsa_subject
    assert found.serial >= 1
    assert found.policy == "1.3.6.1.4.1.99999.1"
    assert abs(found.gen_time - datetime.now(UTC)) < timedelta(minutes=5)
    assert found.gen_time.tzinfo is not None


def test_stored_token_verifies_again_later(response: bytes) -> None:
    first = anchor.validate(response, DIGEST)
    assert anchor.verify_token(first.token_der, DIGEST) == first


def test_ecdsa_tsa_with_ess_v1_signing_certificate_validates(other_tsa: Tsa) -> None:
    found = anchor.validate(other_tsa.reply(anchor.request(DIGEST)), DIGEST)
    assert "CN=Test TSA Two" in found.tsa_subject


def test_openssl_accepts_the_stored_token_with_the_docstring_command(
    tsa: Tsa, response: bytes, tmp_path: Path, openssl_bin: str
) -> None:
    """The skeptic's independent check, exactly as the module docstring shows it."""
    token = tmp_path / "token.der"
    token.write_bytes(anchor.validate(response, DIGEST).token_der)
    (tmp_path / "ca.pem").write_bytes(tsa.ca_pem)
    (tmp_path / "tsa.pem").write_bytes(tsa.cert_pem)
    done = subprocess.run(
        [openssl_bin, "ts", "-verify", "-digest", DIGEST.hex(), "-token_in", "-in", str(token),
         "-CAfile", str(tmp_path / "ca.pem"), "-untrusted", str(tmp_path / "tsa.pem")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Verification: OK" in done.stdout


def test_wrong_digest_raises_integrity_error(response: bytes) -> None:
    other = hashlib.sha256(b"a different bundle").digest()
    with pytest.raises(IntegrityError, match="covers digest"):
        anchor.validate(response, other)


def test_wrong_nonce_raises_integrity_error(response: bytes) -> None:
    with pytest.raises(IntegrityError, match="nonce"):
        anchor.validate(response, DIGEST, nonce=NONCE + 1)


def test_tampered_gen_time_byte_breaks_the_signature(response: bytes) -> None:
    when = anchor.validate(response, DIGEST).gen_time.strftime("%Y%m%d%H%M%S").encode()
    at = response.index(when) + len(when) - 1  # last digit of the seconds
    tampered = bytearray(response)
    tampered[at] = ord("0") + (tampered[at] - ord("0") + 1) % 10
    with pytest.raises(IntegrityError, match="message-digest"):
        anchor.validate(bytes(tampered), DIGEST)


def test_tampered_signature_byte_raises_integrity_error(response: bytes) -> None:
    tampered = bytearray(response)
    tampered[-10] ^= 0x01  # the RSA signature is the last field of the response
    with pytest.raises(IntegrityError, match="signature"):
        anchor.validate(bytes(tampered), DIGEST)


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\x00", b"not a timestamp", b"\x30\x82\xff\xff" + b"\x00" * 8],
    ids=["empty", "zero", "text", "overlong-length"],
)
def test_garbled_der_raises_integrity_error(garbage: bytes) -> None:
    with pytest.raises(IntegrityError):
        anchor.validate(garbage, DIGEST)


def test_truncated_response_raises_integrity_error(response: bytes) -> None:
    with pytest.raises(IntegrityError):
        anchor.validate(response[: len(response) // 2], DIGEST)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_byte_flip_is_rejected_or_changes_nothing(response: bytes, data) -> None:
    """No flip anywhere yields different anchor facts or escapes as another exception type."""
    original = anchor.validate(response, DIGEST)
    at = data.draw(st.integers(0, len(response) - 1))
    flip = data.draw(st.integers(1, 255))
    tampered = bytearray(response)
    tampered[at] ^= flip
    try:
        found = anchor.validate(bytes(tampered), DIGEST)
    except IntegrityError:
        return
    facts = ("gen_time", "digest_hex", "tsa_subject", "serial", "policy")
    assert all(getattr(found, f) == getattr(original, f) for f in facts)


def test_rejected_status_raises_with_the_tsa_reason(tsa: Tsa) -> None:
    """The local TSA only accepts SHA-2 imprints, so a SHA-1 query is refused."""
    query = tsp.TimeStampReq(
        {"version": "v1", "cert_req": True,
         "message_imprint": {"hash_algorithm": {"algorithm": "sha1"},
                             "hashed_message": hashlib.sha1(b"x").digest()}}
    ).dump()  # fmt: skip
    with pytest.raises(IntegrityError, match=r"status rejection \(.*not supported.*bad_alg"):
        anchor.validate(tsa.reply(query), DIGEST)


def test_response_from_a_swapped_tsa_fails_when_the_first_is_trusted(tsa: Tsa, other_tsa: Tsa) -> None:
    swapped = other_tsa.reply(anchor.request(DIGEST))
    with pytest.raises(IntegrityError, match="not a trusted TSA"):
        anchor.validate(swapped, DIGEST, trusted_certs=[tsa.cert_pem])


def test_trusted_certs_accept_the_signer_itself_or_its_issuing_ca(tsa: Tsa, response: bytes) -> None:
    assert anchor.validate(response, DIGEST, trusted_certs=[tsa.cert_pem])
    assert anchor.validate(response, DIGEST, trusted_certs=[tsa.ca_pem])


def test_trusted_certs_accept_der_as_well_as_pem(tsa: Tsa, response: bytes) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    der = x509.load_pem_x509_certificate(tsa.cert_pem).public_bytes(Encoding.DER)
    assert anchor.validate(response, DIGEST, trusted_certs=[der])


def test_a_trusted_tsa_leaf_is_not_an_issuer_for_other_certificates(tsa: Tsa, other_tsa: Tsa) -> None:
    swapped = other_tsa.reply(anchor.request(DIGEST))
    with pytest.raises(IntegrityError, match="not a trusted TSA"):
        anchor.validate(swapped, DIGEST, trusted_certs=[tsa.cert_pem, tsa.ca_pem])


def test_token_without_the_tsa_certificate_is_rejected(tsa: Tsa) -> None:
    query = tsp.TimeStampReq(
        {"version": "v1", "cert_req": False,
         "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": DIGEST}}
    ).dump()  # fmt: skip
    with pytest.raises(IntegrityError, match="does not include the TSA's certificate"):
        anchor.validate(tsa.reply(query), DIGEST)
