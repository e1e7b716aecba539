"""`tracer evidence`, `tracer anchor request|import`, `tracer complaint`."""

from __future__ import annotations

from pathlib import Path

import typer

from tracer import anchoring, lifecycle, outputs, times
from tracer.cli import common
from tracer.errors import InputError
from tracer.reports import bundle, complaint

UNVERIFIED_HELP = "Use a vault that fails `tracer verify` (every output then says so)."
FORCE_HELP = "Replace the --out file if it exists."

anchor_app = typer.Typer(help="RFC 3161 timestamps over the ledger head.", no_args_is_help=True)


def evidence(
    target: str = typer.Argument(..., help="PLATFORM to bundle, or `verify`."),
    file: Path = typer.Argument(None, help="With `verify`: the bundle to check."),
    out: Path = typer.Option(None, "--out", help="Where to write the bundle (.zip)."),
    trusted: list[Path] = typer.Option([], "--trusted-tsa", help="TSA certificate(s) to require."),
    redact: bool = typer.Option(True, "--redact/--no-redact", help="Mask your own numbers and name."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """Write a signed evidence bundle for PLATFORM, or `verify FILE.zip` (no vault needed)."""
    if target == "verify":
        if file is None:
            raise InputError("give the bundle to verify", field="file")
        checked = bundle.verify(file, trusted_tsa=[outputs.read_bytes(p) for p in trusted] or None)
        common.console.print(
            f"OK: {file.name} holds {checked.entries} signed ledger entries; {checked.disclosed} "
            f"disclosed prove {checked.canaries} canary issued to {checked.platform}; "
            f"{checked.anchors} timestamp anchor(s) verified."
        )
        return
    with common.vault() as vault:
        failure = lifecycle.require_verified(vault, unverified=unverified)
        path = bundle.create(
            vault, target, out or Path(f"evidence-{_slug(target)}.zip"), redact=redact, force=force,
            unverified=failure,
        )  # fmt: skip
    if failure is not None:
        common.warn(outputs.UNVERIFIED.format(reason=failure))
    common.console.print(f"Wrote {path} — check it anywhere with `tracer evidence verify {path}`.")


@anchor_app.command("request")
def anchor_request(
    out: Path = typer.Option(Path("tracer-head.tsq"), "--out"),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Write a timestamp query for the current chain head (send it to any RFC 3161 TSA)."""
    with common.vault() as vault:
        seq, head = anchoring.request(vault, out, force=force)
    common.console.print(
        f"Wrote {out} for ledger entry {seq} (head {head[:16]}…). "
        "Send it to a time-stamping authority, then `tracer anchor import`."
    )


@anchor_app.command("import")
def anchor_import(
    response: Path = typer.Argument(..., help="The TSA's .tsr response."),
    trusted: list[Path] = typer.Option([], "--trusted-tsa", help="TSA certificate(s) to require."),
) -> None:
    """Validate a TSA response and store it in the ledger."""
    with common.vault() as vault:
        found = anchoring.import_response(
            vault, response, trusted=[outputs.read_bytes(p) for p in trusted] or None
        )
    common.console.print(f"Anchored: {found.tsa_subject} at {times.iso(found.gen_time)}.")


def complaint_cmd(
    platform: str = typer.Argument(...),
    to: complaint.Authority = typer.Option(complaint.Authority.GENERIC, "--to"),
    lang: str = typer.Option("zh", "--lang", help="zh or en"),
    bundle_file: str = typer.Option(None, "--bundle", help="The evidence bundle you will attach."),
    out: Path = typer.Option(None, "--out"),
    redact: bool = typer.Option(False, "--redact/--no-redact", help="Hide your identity fields."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """Draft a complaint (12321, FTC, ICO) or an access request to the platform itself."""
    guard = outputs.Guard(common.home(), tuple(Path(b) for b in [bundle_file] if b), force)
    if out:
        outputs.check(out, guard)
    if bundle_file:
        bundle.check_attachment(Path(bundle_file), platform)
    with common.vault() as vault:
        failure = lifecycle.require_verified(vault, unverified=unverified)
        facts = bundle.complaint_facts(
            vault, platform, bundle_file=bundle_file or f"evidence-{_slug(platform)}.zip", redact=redact
        )
    text = complaint.draft(facts, to, lang)
    if failure is not None:
        text = outputs.stamp(text, "text", failure)
    if out:
        outputs.write(out, text, guard)
        common.note(f"Wrote {out}")
    else:
        common.write_text(text)


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name).strip("-") or "platform"
