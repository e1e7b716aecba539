"""RFC 3161 timestamp anchors: prove that a digest existed no later than a TSA's clock said.

`request` builds the query to POST to a time-stamping authority (Content-Type
`application/timestamp-query`); `validate` checks the reply; `verify_token` re-checks a stored
token later (evidence-bundle verification). Every failure raises `IntegrityError` naming what
did not hold; nothing here returns `False`.

What `verify_token` checks, all inside the token:
- the TSTInfo's messageImprint is SHA-256 of the digest we asked about (and the nonce, if given);
- the CMS SignedData carries signed attributes whose content-type is TSTInfo and whose
  message-digest equals the hash of the encapsulated TSTInfo;
- the signature over the signed attributes verifies with the signer certificate the token
  includes (that is why `request` sets certReq), the ESS signing-certificate attribute (when
  present) names that same certificate, the certificate is for time stamping (extendedKeyUsage
  timeStamping) and the genTime falls in its validity period.

Trust: that proves the token is intact and self-consistent, not that the TSA is one you trust.
Pass `trusted_certs` (PEM or DER) to pin the signer: the signer certificate must be one of them,
or be issued directly by one of them that is a CA. A skeptic checks a real TSA's full chain
(and revocation) with OpenSSL, independently of this code:

    openssl ts -verify -digest <sha256 hex> -in response.tsr -CAfile tsa-root.pem
    openssl ts -verify -digest <sha256 hex> -token_in -in token.der \\
        -CAfile tsa-root.pem -untrusted tsa-cert.pem

(`-token_in` for a stored token rather than the TSA's whole response; `-untrusted` supplies
intermediates the token did not embed.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, core, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID

from tracer.errors import InputError, IntegrityError

__all__ = ["Anchor", "request", "validate", "verify_token"]

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
_GRANTED = {"granted", "granted_with_mods"}
# asn1crypto parses lazily and cryptography parses certificates on demand, so garbled DER
# surfaces as any of these while we read fields.
_PARSE_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    UnsupportedAlgorithm,
    x509.InvalidVersion,
    x509.DuplicateExtension,
    x509.UnsupportedGeneralNameType,
)


class _TimeStampResp(core.Sequence):  # type: ignore[misc]
    """RFC 3161 TimeStampResp; asn1crypto's own spec wrongly requires the token on refusals."""

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


@dataclass(frozen=True)
class Anchor:
    """A checked timestamp: `token_der` is what to store; the rest is read from it."""

    gen_time: datetime
    digest_hex: str
    tsa_subject: str
    token_der: bytes = field(repr=False)
    serial: int = 0
    policy: str = ""


def request(digest: bytes, *, nonce: int | None = None) -> bytes:
    """DER TimeStampReq for a SHA-256 `digest`, asking the TSA to include its certificate."""
    _check_digest(digest)
    fields: dict[str, Any] = {
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": digest},
        "cert_req": True,
    }
    if nonce is not None:
        fields["nonce"] = nonce
    return tsp.TimeStampReq(fields).dump()


def validate(
    response: bytes,
    digest: bytes,
    *,
    nonce: int | None = None,
    trusted_certs: Sequence[bytes] | None = None,
) -> Anchor:
    """Check a TSA's TimeStampResp for `digest`; the Anchor to keep, or IntegrityError."""
    _check_digest(digest)
    try:
        resp = _TimeStampResp.load(response, strict=True)
        _check_status(resp["status"])
        token = resp["time_stamp_token"]
        if isinstance(token, core.Void):
            raise IntegrityError("TSA granted the timestamp but sent no token")
        token_der = token.dump()
    except _PARSE_ERRORS as exc:
        raise IntegrityError(f"timestamp response is not valid DER: {exc}") from exc
    return verify_token(token_der, digest, nonce=nonce, trusted_certs=trusted_certs)


def verify_token(
    token_der: bytes,
    digest: bytes,
    *,
    nonce: int | None = None,
    trusted_certs: Sequence[bytes] | None = None,
) -> Anchor:
    """Re-check a stored timestamp token (CMS ContentInfo) against `digest`."""
    _check_digest(digest)
    try:
        return _verify(token_der, digest, nonce, trusted_certs)
    except IntegrityError:
        raise
    except _PARSE_ERRORS as exc:
        raise IntegrityError(f"timestamp token is garbled: {exc}") from exc


def _verify(token_der: bytes, digest: bytes, nonce: int | None, trusted: Sequence[bytes] | None) -> Anchor:
    info = cms.ContentInfo.load(token_der, strict=True)
    if info["content_type"].native != "signed_data":
        raise IntegrityError("timestamp token is not CMS SignedData")
    signed = info["content"]
    tst_der = _tst_der(signed)
    tst = tsp.TSTInfo.load(tst_der, strict=True)
    _check_imprint(tst, digest)
    _check_nonce(tst, nonce)
    signer = _single_signer(signed)
    cert = _signer_cert(signed, signer)
    _check_signed_attrs(signer, tst_der, cert)
    _check_signature(signer, cert)
    gen_time = tst["gen_time"].native.astimezone(UTC)
    _check_cert(cert, gen_time)
    if trusted is not None:
        _check_trusted(cert, trusted)
    return Anchor(
        gen_time=gen_time,
        digest_hex=digest.hex(),
        tsa_subject=cert.subject.rfc4514_string(),
        token_der=token_der,
        serial=int(tst["serial_number"].native),
        policy=str(tst["policy"].dotted),
    )


def _check_digest(digest: bytes) -> None:
    if not isinstance(digest, bytes | bytearray) or len(digest) != 32:
        raise InputError("a timestamp digest must be the 32 bytes of a SHA-256 hash")


def _check_status(status: tsp.PKIStatusInfo) -> None:
    value = status["status"].native
    if value in _GRANTED:
        return
    words = " ".join(status["status_string"].native or []) if status["status_string"] else ""
    fail = status["fail_info"].native if status["fail_info"] else None
    detail = "; ".join(str(p) for p in (words, sorted(fail) if fail else None) if p)
    raise IntegrityError(
        f"TSA did not grant the timestamp: status {value}" + (f" ({detail})" if detail else "")
    )


def _tst_der(signed: cms.SignedData) -> bytes:
    encap = signed["encap_content_info"]
    if encap["content_type"].native != "tst_info":
        raise IntegrityError("timestamp token does not encapsulate a TSTInfo")
    content = encap["content"]
    if content.native is None:
        raise IntegrityError("timestamp token has no TSTInfo content")
    return bytes(content.contents)


def _check_imprint(tst: tsp.TSTInfo, digest: bytes) -> None:
    imprint = tst["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    if algorithm != "sha256":
        raise IntegrityError(f"timestamp imprint uses {algorithm}, expected sha256")
    stamped = imprint["hashed_message"].native
    if stamped != digest:
        raise IntegrityError(f"timestamp covers digest {stamped.hex()}, not {digest.hex()}")


def _check_nonce(tst: tsp.TSTInfo, nonce: int | None) -> None:
    if nonce is not None and tst["nonce"].native != nonce:
        raise IntegrityError("timestamp nonce does not match the request (replayed response?)")


def _single_signer(signed: cms.SignedData) -> cms.SignerInfo:
    signers = signed["signer_infos"]
    if len(signers) != 1:
        raise IntegrityError(f"timestamp token has {len(signers)} signers, expected one")
    return signers[0]


def _signer_cert(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate:
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        cert = choice.chosen
        if _identifies(sid, cert):
            return x509.load_der_x509_certificate(cert.dump())
    raise IntegrityError("timestamp token does not include the TSA's certificate (request it with certReq)")


def _identifies(sid: cms.SignerIdentifier, cert: Any) -> bool:
    if sid.name == "issuer_and_serial_number":
        ias = sid.chosen
        return bool(ias["issuer"] == cert.issuer and ias["serial_number"].native == cert.serial_number)
    return bool(sid.chosen.native == cert.key_identifier)


def _hash_class(algorithm: str) -> type[hashes.HashAlgorithm]:
    try:
        return _HASHES[algorithm]
    except KeyError:
        raise IntegrityError(f"timestamp token uses unsupported hash {algorithm}") from None


def _hash(algorithm: str, data: bytes) -> bytes:
    digest = hashes.Hash(_hash_class(algorithm)())
    digest.update(data)
    return digest.finalize()


def _check_signed_attrs(signer: cms.SignerInfo, tst_der: bytes, cert: x509.Certificate) -> None:
    attrs = signer["signed_attrs"]
    if not attrs:
        raise IntegrityError("timestamp signature has no signed attributes")
    values = {attr["type"].native: attr["values"] for attr in attrs}
    if values.get("content_type") is None or values["content_type"][0].native != "tst_info":
        raise IntegrityError("signed content-type attribute is not TSTInfo")
    if values.get("message_digest") is None:
        raise IntegrityError("timestamp signature has no message-digest attribute")
    algorithm = signer["digest_algorithm"]["algorithm"].native
    if values["message_digest"][0].native != _hash(algorithm, tst_der):
        raise IntegrityError("signed message-digest does not match the TSTInfo (altered token)")
    _check_ess(values, cert)


def _check_ess(values: dict[str, Any], cert: x509.Certificate) -> None:
    """The ESS signing-certificate attribute binds the signature to one certificate."""
    der = cert.public_bytes(Encoding.DER)
    if values.get("signing_certificate_v2") is not None:
        ids = values["signing_certificate_v2"][0]["certs"]
        expected = _hash(ids[0]["hash_algorithm"]["algorithm"].native, der)
    elif values.get("signing_certificate") is not None:
        ids = values["signing_certificate"][0]["certs"]
        expected = hashlib.sha1(der).digest()
    else:
        return
    if ids[0]["cert_hash"].native != expected:
        raise IntegrityError("signing-certificate attribute names a different TSA certificate")


def _check_signature(signer: cms.SignerInfo, cert: x509.Certificate) -> None:
    data = b"\x31" + signer["signed_attrs"].dump()[1:]  # re-tag [0] IMPLICIT as SET OF
    signature = signer["signature"].native
    hash_cls = _hash_class(signer["digest_algorithm"]["algorithm"].native)
    sig_alg = signer["signature_algorithm"]
    try:
        _verify_with(cert.public_key(), sig_alg, signature, data, hash_cls)
    except InvalidSignature:
        raise IntegrityError("TSA signature over the timestamp does not verify") from None
    except UnsupportedAlgorithm as exc:
        raise IntegrityError(f"timestamp signature algorithm unsupported: {exc}") from None


def _verify_with(
    key: Any, sig_alg: Any, signature: bytes, data: bytes, hash_cls: type[hashes.HashAlgorithm]
) -> None:
    algo = sig_alg.signature_algo
    if isinstance(key, rsa.RSAPublicKey) and algo == "rsassa_pss":
        params = sig_alg["parameters"]
        mgf_hash = _hash_class(params["mask_gen_algorithm"]["parameters"]["algorithm"].native)
        pss = padding.PSS(padding.MGF1(mgf_hash()), params["salt_length"].native)
        key.verify(signature, data, pss, _hash_class(params["hash_algorithm"]["algorithm"].native)())
    elif isinstance(key, rsa.RSAPublicKey) and algo == "rsassa_pkcs1v15":
        key.verify(signature, data, padding.PKCS1v15(), hash_cls())
    elif isinstance(key, ec.EllipticCurvePublicKey) and algo == "ecdsa":
        key.verify(signature, data, ec.ECDSA(hash_cls()))
    elif isinstance(key, dsa.DSAPublicKey) and algo == "dsa":
        key.verify(signature, data, hash_cls())
    elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey) and algo in (
        "ed25519",
        "ed448",
    ):
        key.verify(signature, data)
    else:
        raise IntegrityError(f"signature algorithm {algo} does not fit the TSA's key")


def _check_cert(cert: x509.Certificate, gen_time: datetime) -> None:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        raise IntegrityError("TSA certificate is not for time stamping (no extendedKeyUsage)") from None
    if ExtendedKeyUsageOID.TIME_STAMPING not in eku:
        raise IntegrityError("TSA certificate is not for time stamping (extendedKeyUsage)")
    if not cert.not_valid_before_utc <= gen_time <= cert.not_valid_after_utc:
        raise IntegrityError("timestamp genTime lies outside the TSA certificate's validity")


def _check_trusted(cert: x509.Certificate, trusted: Sequence[bytes]) -> None:
    for anchor in (_load_cert(raw) for raw in trusted):
        if anchor == cert or _issued_by(cert, anchor):
            return
    raise IntegrityError(f"timestamp signed by {cert.subject.rfc4514_string()}, which is not a trusted TSA")


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        constraints = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value
        cert.verify_directly_issued_by(issuer)
    except (x509.ExtensionNotFound, ValueError, TypeError, InvalidSignature):
        return False
    return constraints.ca


def _load_cert(raw: bytes) -> x509.Certificate:
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(raw)
        return x509.load_der_x509_certificate(raw)
    except ValueError as exc:
        raise InputError(f"trusted certificate is neither PEM nor DER: {exc}") from exc
