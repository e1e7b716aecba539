"""Key material: a passphrase-derived key wraps the vault's random keys.

Layout (docs/threat-model.md): scrypt(passphrase, salt) -> KEK; the KEK seals (AES-256-GCM) one
JSON document holding the data key (AES-256-GCM for fields), the index key (HMAC-SHA256 blind
index) and the Ed25519 ledger signing key. Changing the passphrase re-seals that document; the
data never needs the passphrase itself.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from tracer.errors import VaultError
from tracer.i18n import _

# scrypt cost: n=2**15, r=8, p=1 (32 MiB, ~0.1 s here) is the interactive setting recommended by
# the scrypt paper and OWASP's password storage cheat sheet. Tests lower it through
# TRACER_SCRYPT_LOG_N, which is read only when a vault is created and then stored with it.
DEFAULT_LOG_N = 15
_KEYS_AAD = b"tracer-keys-v1"


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    log_n: int = DEFAULT_LOG_N
    r: int = 8
    p: int = 1

    def derive(self, passphrase: str) -> bytes:
        kdf = Scrypt(salt=self.salt, length=32, n=2**self.log_n, r=self.r, p=self.p)
        return kdf.derive(passphrase.encode("utf-8"))

    def to_json(self) -> dict[str, object]:
        return {"alg": "scrypt", "salt": self.salt.hex(), "log_n": self.log_n, "r": self.r, "p": self.p}

    @classmethod
    def from_json(cls, doc: dict[str, object]) -> KdfParams:
        return cls(
            bytes.fromhex(str(doc["salt"])), int(str(doc["log_n"])), int(str(doc["r"])), int(str(doc["p"]))
        )

    @classmethod
    def fresh(cls) -> KdfParams:
        log_n = int(os.environ.get("TRACER_SCRYPT_LOG_N", DEFAULT_LOG_N))
        return cls(os.urandom(16), max(10, min(log_n, 20)))


@dataclass(frozen=True)
class Derived:
    """The key a passphrase derives for one vault (`KdfParams.derive` with its salt), as
    `tracer unlock`'s agent hands it out: opening a vault with it skips scrypt. It opens only the
    vault whose salt it names; a changed passphrase (new salt) makes it useless."""

    salt: bytes
    kek: bytes = field(repr=False)


def _hmac_states(key: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """SHA-256 states after the inner and outer padded keys of HMAC (RFC 2104): hashing a
    message from copies of them gives `hmac.digest(key, message, "sha256")`, about twice as
    fast as keying a new HMAC per message, which a bulk import does millions of times."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\x00")
    return hashlib.sha256(bytes(b ^ 0x36 for b in key)), hashlib.sha256(bytes(b ^ 0x5C for b in key))


class Keyring:
    """The vault's working keys, held in memory only while a command runs."""

    def __init__(self, data_key: bytes, index_key: bytes, signing_key: Ed25519PrivateKey) -> None:
        self._aead = AESGCM(data_key)
        self._data_key = data_key
        self._index_key = index_key
        self._index_states = _hmac_states(index_key)
        self.signing_key = signing_key
        self._blind_cache: dict[str, bytes] = {}

    @classmethod
    def generate(cls) -> Keyring:
        return cls(AESGCM.generate_key(256), os.urandom(32), Ed25519PrivateKey.generate())

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, aad)

    def encrypt_many(self, plaintexts: Sequence[bytes], aads: Sequence[bytes]) -> list[bytes]:
        """`encrypt` for many values, as bulk imports seal them: the random 12-byte nonces come
        from one `os.urandom` call instead of one system call per value."""
        nonces = os.urandom(12 * len(plaintexts))
        encrypt = self._aead.encrypt
        out = []
        for start, plaintext, aad in zip(range(0, len(nonces), 12), plaintexts, aads, strict=True):
            nonce = nonces[start : start + 12]
            out.append(nonce + encrypt(nonce, plaintext, aad))
        return out

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        """Raises cryptography's InvalidTag when the blob or its binding (aad) was altered."""
        return self._aead.decrypt(blob[:12], blob[12:], aad)

    def seal_for(self, purpose: bytes, plaintext: bytes) -> bytes:
        """AES-256-GCM under a key derived from the data key for one `purpose` alone
        (HKDF-SHA256, info = purpose), with `purpose` as associated data: nothing sealed for
        another purpose, or by anyone without the data key, opens as this one."""
        nonce = os.urandom(12)
        return nonce + self._purpose(purpose).encrypt(nonce, plaintext, purpose)

    def open_for(self, purpose: bytes, blob: bytes) -> bytes:
        """The plaintext `seal_for(purpose, …)` sealed; InvalidTag when it did not seal it."""
        return self._purpose(purpose).decrypt(blob[:12], blob[12:], purpose)

    def _purpose(self, purpose: bytes) -> AESGCM:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
        return AESGCM(hkdf.derive(self._data_key))

    def blind(self, kind: str, value: str, *, remember: bool = True) -> bytes:
        """Keyed blind index of a normalized value: full 32-byte HMAC-SHA256, never truncated.

        Values that recur (numbers, aliases) are remembered; pass `remember=False` for values
        seen once (a contact's dedupe key), which would only fill the cache.
        """
        key = kind + "\x00" + value
        token = self._blind_cache.get(key)
        if token is None:
            token = self._hmac(key.encode("utf-8"))
            if remember and len(self._blind_cache) < 1_000_000:
                self._blind_cache[key] = token
        return token

    def blind_many(self, kind: str, values: Iterable[str]) -> list[bytes]:
        """`blind` for many values seen once each (dedupe keys), none remembered."""
        prefix = kind + "\x00"
        digest = self._hmac
        return [digest((prefix + value).encode("utf-8")) for value in values]

    def _hmac(self, message: bytes) -> bytes:
        """HMAC-SHA256 under the index key (RFC 2104), from the keyed states made once."""
        inner, outer = self._index_states
        inner, outer = inner.copy(), outer.copy()
        inner.update(message)
        outer.update(inner.digest())
        return outer.digest()

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()

    def public_bytes(self) -> bytes:
        """The raw 32-byte Ed25519 public key (`public_bytes_raw`: the serialization module it
        spares is ~0.01 s of every command that opens the vault)."""
        return self.public_key.public_bytes_raw()

    def seal(self, kek: bytes) -> bytes:
        doc = {
            "data_key": self._data_key.hex(),
            "index_key": self._index_key.hex(),
            "signing_key": self.signing_key.private_bytes_raw().hex(),
        }
        nonce = os.urandom(12)
        return nonce + AESGCM(kek).encrypt(nonce, json.dumps(doc).encode(), _KEYS_AAD)

    @classmethod
    def unseal(cls, kek: bytes, sealed: bytes) -> Keyring:
        try:
            doc = json.loads(AESGCM(kek).decrypt(sealed[:12], sealed[12:], _KEYS_AAD))
        except InvalidTag:
            raise VaultError(
                _("wrong passphrase: the vault's keys did not open"),
                hint=_("check TRACER_PASSPHRASE; nothing was changed"),
            ) from None
        signing = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(doc["signing_key"]))
        return cls(bytes.fromhex(doc["data_key"]), bytes.fromhex(doc["index_key"]), signing)
