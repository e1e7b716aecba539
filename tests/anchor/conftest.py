"""A local RFC 3161 time-stamping authority built with `openssl ts` (no network, no mocks).

Each `Tsa` is a throwaway CA plus a TSA certificate (extendedKeyUsage critical timeStamping)
and an openssl.cnf `[tsa]` section; `Tsa.reply` runs `openssl ts -reply` on a query.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

TSA_CNF = """\
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
clock_precision_digits = 0
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = {ess_alg}

[ tsa_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
"""


def openssl() -> str:
    path = shutil.which("openssl")
    if path is None:
        pytest.fail("openssl not found: install Debian's `openssl` package (apt-get install openssl)")
    return path


def run(*args: str | Path, cwd: Path) -> None:
    done = subprocess.run([openssl(), *map(str, args)], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"openssl {args[0]} failed: {done.stderr.strip()}")


@dataclass(frozen=True)
class Tsa:
    dir: Path
    name: str

    @property
    def cert_pem(self) -> bytes:
        return (self.dir / "tsa.pem").read_bytes()

    @property
    def ca_pem(self) -> bytes:
        return (self.dir / "ca.pem").read_bytes()

    def reply(self, query: bytes) -> bytes:
        (self.dir / "req.tsq").write_bytes(query)
        run(
            "ts", "-reply", "-config", "openssl.cnf", "-queryfile", "req.tsq",
            "-out", "resp.tsr", cwd=self.dir,
        )  # fmt: skip
        return (self.dir / "resp.tsr").read_bytes()


def build_tsa(root: Path, name: str, key: list[str], ess_alg: str = "sha256") -> Tsa:
    """CA + TSA certificate signed by it, both using `key` (openssl -newkey arguments)."""
    root.mkdir(parents=True)
    (root / "openssl.cnf").write_text(TSA_CNF.format(dir=root, ess_alg=ess_alg))
    (root / "serial").write_text("01\n")
    run(
        "req", "-x509", *key, "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
        "-subj", f"/CN={name} Root CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=root,
    )  # fmt: skip
    run(
        "req", "-new", *key, "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr",
        "-subj", f"/O=Leak Tracer Tests/CN={name}", cwd=root,
    )  # fmt: skip
    run(
        "x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-set_serial", "7", "-days", "30", "-extfile", "openssl.cnf", "-extensions", "tsa_ext",
        "-out", "tsa.pem", cwd=root,
    )  # fmt: skip
    return Tsa(root, name)


@pytest.fixture(scope="session")
def openssl_bin() -> str:
    return openssl()


@pytest.fixture(scope="session")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Tsa:
    """An RSA TSA whose token carries signingCertificateV2 (ESS, SHA-256)."""
    return build_tsa(tmp_path_factory.mktemp("tsa") / "rsa", "Test TSA One", ["-newkey", "rsa:2048"])


@pytest.fixture(scope="session")
def other_tsa(tmp_path_factory: pytest.TempPathFactory) -> Tsa:
    """A second, unrelated ECDSA TSA with its own CA; its token carries signingCertificate v1."""
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    return build_tsa(tmp_path_factory.mktemp("tsa") / "ec", "Test TSA Two", key, ess_alg="sha1")
