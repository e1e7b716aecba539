"""Evidence bundles: a zip a third party can check without the vault or the passphrase.

Contents (docs/evidence.md): `manifest.json` (version, media type, SHA-256 of every other file),
`manifest.sig` (the vault key's Ed25519 signature over manifest.json's bytes: nothing in the
bundle can be changed, dropped, added or renamed without it failing), `public_key.pem`, `ledger/headers.jsonl` (every signed header: commitments only), `ledger/head.json`
(the signed chain head), `ledger/disclosed.jsonl` (content and salt of the entries that prove the
canaries issued to the platform, the import batches its contacts came from, and the signed
`evidence.bundled` entry that commits to `attribution.json`), `anchors.jsonl`
(RFC 3161 tokens over chain heads), `attribution.json`, `summary.md` and `summary.html`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_public_key,
)

from tracer import i18n, outputs, phones, sanitize, times
from tracer.errors import InputError, IntegrityError, TracerError
from tracer.evidence import timestamp
from tracer.i18n import _
from tracer.ledger import GENESIS, Ledger, check_content, check_head, check_header, header_hash

MEDIA_TYPE = "application/vnd.leak-tracer.evidence-bundle+zip"
VERSION = 1


@dataclass(frozen=True)
class Checked:
    platform: str
    entries: int
    disclosed: int
    anchors: int
    canaries: int


def check_attachment(path: Path, platform: str, *, trusted_tsa: list[bytes] | None = None) -> Checked:
    """The bundle a complaint attaches must verify and be about that platform."""
    checked = verify(path, trusted_tsa=trusted_tsa)
    if checked.platform != platform:
        raise InputError(_("the bundle is about {platform!r}, not {platform2!r}").format(platform=checked.platform, platform2=platform), file=str(path))
    return checked


def platform_report(report: dict[str, Any], platform: str) -> dict[str, Any]:
    """The platform's row and its attributed contacts, from a full report."""
    row = next((p for p in report["platforms"] if p["platform"] == platform), None)
    if row is None:
        raise InputError(_("no platform {platform!r}").format(platform=platform), field="platform", hint=_("see `tracer platforms`"))
    contacts = [c for c in report["contacts"] if c["platform"] == platform]
    return {"generated_at": report["generated_at"], "platform": row, "contacts": contacts}


def summarize(doc: dict[str, Any], platform: str) -> str:
    """The bundle's Markdown summary (numbers redacted)."""
    row = doc["platform"]
    lines = [
        f"# Evidence: data given to {sanitize.markdown(platform)}",
        "",
        f"- verdict: **{row['verdict']}** (confidence {i18n.percent(row['confidence'])})",
        f"- signup: {row.get('signup_at')}",
        f"- first contact: {row.get('first_contact_at')}",
        f"- attributed contacts: {len(doc['contacts'])}",
        "",
        "Each contact below was attributed to this platform; its evidence says why (a detail given "
        "only to this platform, a name, the timing). Check the bundle with `tracer evidence verify` "
        "or by hand (docs/evidence.md).",
        "",
    ]
    for c in doc["contacts"][:200]:
        sender = phones.redact_party(c["from"])
        details = "; ".join(sanitize.markdown(str(e["detail"])) for e in c["evidence"])
        sender = sanitize.markdown(str(sender or ""))
        lines.append(f"- {c['at']} {c['channel']} from {sender} (p {i18n.percent(c['confidence'])}): {details}")
    return "\n".join(lines) + "\n"


def build(
    ledger: Ledger,
    platform: str,
    attribution: dict[str, Any],
    summary: str,
    summary_html: str,
    out: Path,
    *,
    guard: outputs.Guard | None = None,
    unverified: str | None = None,
) -> Path:
    """Write the bundle; the bundling itself becomes a ledger entry that the bundle discloses,
    committing to the attribution and both summaries. No entry stays for a bundle not written."""
    with ledger.vault.transaction():
        _build(ledger, platform, attribution, summary, summary_html, out, guard or outputs.Guard(), unverified)
    return out


def _build(
    ledger: Ledger,
    platform: str,
    attribution: dict[str, Any],
    summary: str,
    summary_html: str,
    out: Path,
    guard: outputs.Guard,
    unverified: str | None,
) -> None:
    attribution_json = json.dumps(attribution, ensure_ascii=False, indent=2).encode()
    ledger.append(
        "evidence.bundled",
        {
            "platform": platform,
            "attribution_sha256": hashlib.sha256(attribution_json).hexdigest(),
            "summary_sha256": hashlib.sha256(summary.encode()).hexdigest(),
            "summary_html_sha256": hashlib.sha256(summary_html.encode()).hexdigest(),
            "contacts": [c["id"] for c in attribution.get("contacts", [])],
        },
    )
    entries = list(ledger.entries())
    chosen = _disclosed(entries, platform, attribution) | {entries[-1].seq}
    files = {
        "public_key.pem": ledger.vault.keys.public_key.public_bytes(
            Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
        ),
        "ledger/headers.jsonl": _lines(
            {"seq": e.seq, "header": e.header.decode(), "signature": e.signature.hex()} for e in entries
        ),
        "ledger/head.json": json.dumps(ledger.signed_head()).encode(),
        "ledger/disclosed.jsonl": _lines(
            {"seq": e.seq, "salt": e.salt.hex(), "content": e.content} for e in entries if e.seq in chosen
        ),
        "anchors.jsonl": _lines(_anchors(entries)),
        "attribution.json": attribution_json,
        "summary.md": summary.encode(),
        "summary.html": summary_html.encode(),
    }
    manifest = {
        "media_type": MEDIA_TYPE,
        "version": VERSION,
        "platform": platform,
        "created_at": times.iso(times.now().replace(microsecond=0)),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        **({"unverified": unverified} if unverified is not None else {}),
    }
    manifest_json = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    signature = ledger.vault.keys.signing_key.sign(manifest_json)
    with outputs.writing(out, guard, binary=True) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest_json)
        archive.writestr("manifest.sig", signature.hex() + "\n")
        for name, data in files.items():
            archive.writestr(name, data)


def verify(path: Path, *, trusted_tsa: list[bytes] | None = None) -> Checked:
    """Check a bundle completely; raise IntegrityError naming the first thing that fails. A
    bundle that is incomplete or malformed anywhere fails closed (IntegrityError, exit 3)."""
    files = _read(path)
    try:
        return _verify(path, files, trusted_tsa)
    except TracerError:
        raise
    except Exception as exc:  # fail closed: any malformation (a key, a line, a token) is integrity
        raise IntegrityError(_("{name}: malformed bundle ({name2})").format(name=path.name, name2=exc.__class__.__name__)) from None


def _verify(path: Path, files: dict[str, bytes], trusted_tsa: list[bytes] | None) -> Checked:
    if "manifest.json" not in files or "manifest.sig" not in files:
        raise IntegrityError(_("{name}: manifest.json or manifest.sig is missing").format(name=path.name))
    manifest_json, signature = files.pop("manifest.json"), files.pop("manifest.sig")
    key = _public_key(files.get("public_key.pem", b""))
    try:
        raw = bytes.fromhex(signature.decode("ascii")[:-1])
        if signature != raw.hex().encode() + b"\n":  # one canonical spelling: lower-case hex, one newline
            raise InvalidSignature
        key.verify(raw, manifest_json)
    except (InvalidSignature, ValueError):
        raise IntegrityError(_("manifest.json: its signature does not verify")) from None
    manifest = json.loads(manifest_json)
    if manifest.get("media_type") != MEDIA_TYPE or manifest.get("version") != VERSION:
        raise IntegrityError(_("manifest: not a version 1 Leak Tracer evidence bundle"))
    for name, digest in manifest["files"].items():
        if name not in files:
            raise IntegrityError(_("{name}: listed in the manifest but missing").format(name=name))
        if hashlib.sha256(files[name]).hexdigest() != digest:
            raise IntegrityError(_("{name}: changed since the bundle was made (SHA-256 differs)").format(name=name))
    extra = sorted(files.keys() - manifest["files"].keys())
    if extra:
        raise IntegrityError(_("{value}: in the bundle but not in its manifest").format(value=extra[0]))
    heads = _check_chain(files["ledger/headers.jsonl"], files["ledger/head.json"], key)
    disclosed = [json.loads(line) for line in files["ledger/disclosed.jsonl"].splitlines() if line]
    for item in disclosed:
        header = heads.get(item["seq"])
        if header is None:
            raise IntegrityError(_("disclosed entry {seq} is not in the chain").format(seq=item['seq']), entry=item["seq"])
        check_content(item["seq"], header, item["content"], bytes.fromhex(item["salt"]))
    anchors = _check_anchors(files["anchors.jsonl"], heads, trusted_tsa)
    platform = manifest["platform"]
    issued = [
        d
        for d in disclosed
        if d["content"].get("type") == "canary.issued" and d["content"].get("platform") == platform
    ]
    if not issued:
        raise IntegrityError(_("no disclosed entry shows a canary issued to {platform}").format(platform=platform))
    _check_bundled(disclosed, platform, {name: hashlib.sha256(files[name]).hexdigest() for name in _BUNDLED})
    _check_key(disclosed, key)
    return Checked(platform, len(heads), len(disclosed), anchors, len(issued))


# -- internals -------------------------------------------------------------------------------


_BUNDLED = {
    "attribution.json": "attribution_sha256",
    "summary.md": "summary_sha256",
    "summary.html": "summary_html_sha256",
}


def _check_bundled(disclosed: list[dict[str, Any]], platform: str, digests: dict[str, str]) -> None:
    """attribution.json and both summaries must be those a signed `evidence.bundled` entry
    commits to."""
    for item in disclosed:
        content = item["content"]
        if (content.get("type"), content.get("platform")) != ("evidence.bundled", platform):
            continue
        wrong = [name for name, key in _BUNDLED.items() if content.get(key) != digests[name]]
        if not wrong:
            return
        raise IntegrityError(_("{value}: not the file the signed evidence.bundled entry commits to").format(value=wrong[0]))
    raise IntegrityError(_("attribution.json: no signed ledger entry commits to this attribution"))


def _check_key(disclosed: list[dict[str, Any]], key: Ed25519PublicKey) -> None:
    """The bundle's key must be the one the vault's disclosed creation entry names."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    created = [d["content"] for d in disclosed if d["content"].get("type") == "vault.created"]
    if not created or created[0].get("public_key") != raw:
        raise IntegrityError(_("public_key.pem: not the key the vault's creation entry names"))


def _lines(docs: Any) -> bytes:
    return "".join(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n" for d in docs).encode()


def _disclosed(entries: list[Any], platform: str, attribution: dict[str, Any]) -> set[int]:
    batches = {c.get("batch_id") for c in attribution.get("contacts", [])}
    chosen = set()
    for e in entries:
        kind = e.content.get("type")
        if (kind == "canary.issued" and e.content.get("platform") == platform) or (
            kind == "import.batch" and e.content.get("batch_id") in batches
        ):
            chosen.add(e.seq)
        if kind == "vault.created":
            chosen.add(e.seq)
    return chosen


def _anchors(entries: list[Any]) -> list[dict[str, Any]]:
    return [
        {"seq": e.content["anchored_seq"], "head": e.content["head"], "token": e.content["token"]}
        for e in entries
        if e.content.get("type") == "anchor.imported"
    ]


def _read(path: Path) -> dict[str, bytes]:
    outputs.readable(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if len(set(names)) != len(names):
                raise IntegrityError(_("{name}: a file name appears twice in the bundle").format(name=path.name))
            return {name: archive.read(name) for name in names}
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise IntegrityError(_("{name}: not a readable bundle ({name2})").format(name=path.name, name2=exc.__class__.__name__)) from None


def _public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm):
        raise IntegrityError(_("public_key.pem: missing or not a public key")) from None
    if not isinstance(key, Ed25519PublicKey):
        raise IntegrityError(_("public_key.pem: not an Ed25519 key"))
    return key


def _check_chain(headers_jsonl: bytes, head_json: bytes, key: Ed25519PublicKey) -> dict[int, bytes]:
    heads: dict[int, bytes] = {}
    prev, seq = GENESIS, 0
    for line in headers_jsonl.splitlines():
        item = json.loads(line)
        seq += 1
        header = item["header"].encode()
        prev = check_header(header, bytes.fromhex(item["signature"]), key, seq, prev)
        heads[seq] = header
    try:
        check_head(json.loads(head_json), key, seq, prev)
    except IntegrityError as exc:
        raise IntegrityError(_("ledger/head.json: {message}").format(message=exc.message), entry=exc.entry) from None
    return heads


def _check_anchors(raw: bytes, heads: dict[int, bytes], trusted: list[bytes] | None) -> int:
    count = 0
    for line in raw.splitlines():
        item = json.loads(line)
        header = heads.get(item["seq"])
        if header is None or header_hash(header) != item["head"]:
            raise IntegrityError(_("anchor over entry {seq}: that head is not in the chain").format(seq=item['seq']))
        timestamp.verify_token(
            base64.b64decode(item["token"]), bytes.fromhex(item["head"]), trusted_certs=trusted
        )
        count += 1
    return count
