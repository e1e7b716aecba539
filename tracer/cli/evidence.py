"""`tracer evidence`, `tracer anchor request|import`, `tracer complaint`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer
from rich.markup import escape

from tracer import outputs, times
from tracer.cli import choices, common
from tracer.errors import InputError
from tracer.i18n import _

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
    from tracer import lifecycle
    from tracer.evidence import bundle
    from tracer.reports import complaint, filing

    if target == "verify":
        if file is None:
            raise InputError(_("give the bundle to verify"), field="file")
        checked = bundle.verify(file, trusted_tsa=[outputs.read_bytes(p) for p in trusted] or None)
        common.say(
            _("OK: {file} holds {entries} signed ledger entries; {disclosed} disclosed prove {canaries} "
              "canary issued to {platform}; {anchors} timestamp anchor(s) verified.").format(
                file=file.name, entries=checked.entries, disclosed=checked.disclosed,
                canaries=checked.canaries, platform=checked.platform, anchors=checked.anchors,
            )  # fmt: skip
        )
        return
    with common.vault() as vault:
        failure = lifecycle.require_verified(vault, unverified=unverified)
        path = filing.bundle_platform(
            vault, target, out or Path(f"evidence-{complaint.slug(target)}.zip"), redact=redact, force=force,
            unverified=failure,
        )  # fmt: skip
    if failure is not None:
        common.warn_unverified(failure)
    common.say(_("Wrote {path} — check it anywhere with `tracer evidence verify {path}`.").format(path=path))


@anchor_app.command("request")
def anchor_request(
    out: Path = typer.Option(Path("tracer-head.tsq"), "--out", help="Where to write the timestamp query."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Write a timestamp query for the current chain head (send it to any RFC 3161 TSA)."""
    from tracer.evidence import anchors

    with common.vault() as vault:
        seq, head = anchors.request(vault, out, force=force)
    common.say(
        _("Wrote {path} for ledger entry {seq} (head {head}…). "
          "Send it to a time-stamping authority, then `tracer anchor import`.").format(
            path=out, seq=seq, head=head[:16])
    )


@anchor_app.command("import")
def anchor_import(
    response: Path = typer.Argument(..., help="The TSA's .tsr response."),
    trusted: list[Path] = typer.Option([], "--trusted-tsa", help="TSA certificate(s) to require."),
) -> None:
    """Validate a TSA response and store it in the ledger."""
    from tracer.evidence import anchors

    with common.vault() as vault:
        found = anchors.import_response(
            vault, response, trusted=[outputs.read_bytes(p) for p in trusted] or None
        )
    common.say(_("Anchored: {tsa} at {time}.").format(tsa=found.tsa_subject, time=times.iso(found.gen_time)))


def complaint_cmd(
    platform: str = typer.Argument(None, help="The platform to complain about (or --all)."),
    to_name: choices.Authority = typer.Option("generic", "--to", help="Who receives it (generic: an access request to the platform)."),
    lang: str = typer.Option(None, "--lang", help="zh or en (default: your language)."),
    bundle_file: Path = typer.Option(
        None, "--bundle", help="The evidence bundle the draft cites; it must verify and be about PLATFORM."
    ),
    out: Path = typer.Option(None, "--out", help="The draft's file; with --all, the folder for everything."),
    every: bool = typer.Option(
        False, "--all", help="Every platform whose data reached callers: its bundle and each draft."
    ),
    trusted: list[Path] = typer.Option([], "--trusted-tsa", help="TSA certificate(s) to require."),
    redact: bool = typer.Option(False, "--redact/--no-redact", help="Hide your identity fields."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """Draft a complaint (12321, MIIT, FTC, ICO) or an access request to the platform itself."""
    from tracer import lifecycle
    from tracer.reports import complaint, filing

    to = complaint.Authority(to_name)
    language = lang or complaint.language()
    if every:
        _complaint_all(out or Path("complaints"), language, redact, force, unverified)
        return
    if not platform:
        raise InputError(_("name the platform, or give --all"), field="platform")
    guard = outputs.Guard(common.home(), tuple(p for p in [bundle_file] if p), force)
    if out:
        outputs.check(out, guard)
    cited = None
    if bundle_file is not None:
        tsa = [outputs.read_bytes(p) for p in trusted] or None
        cited = filing.bundle_facts(bundle_file, platform, trusted_tsa=tsa)
    with common.vault() as vault:
        failure = lifecycle.require_verified(vault, unverified=unverified)
        facts = filing.complaint_facts(
            vault, platform, bundle_file=str(bundle_file or f"evidence-{complaint.slug(platform)}.zip"),
            redact=redact,
        )  # fmt: skip
        tz = vault.settings.timezone
    text = complaint.draft(replace(facts, bundle=cited), to, language, tz=tz)
    if failure is not None:
        text = outputs.stamp(text, "text", failure)
    if out:
        outputs.write(out, text, guard)
        common.note(_("Wrote {path}").format(path=out))
    else:
        common.write_text(text)


def _complaint_all(folder: Path, lang: str, redact: bool, force: bool, unverified: bool) -> None:
    from tracer import lifecycle
    from tracer.reports import filing, wording

    with common.vault() as vault:
        failure = lifecycle.require_verified(vault, unverified=unverified)
        filed = filing.file_all(
            vault, folder, lang=lang, redact=redact, tz=vault.settings.timezone, force=force, unverified=failure
        )
    if not filed:
        common.note(_("No platform's data has reached callers so far: nothing to report."))
        return
    # each file's whole name, one per line: the names are what the user opens (a fourth column cut them)
    files = ["\n".join([item.bundle.name, *(d.name for d in item.drafts)]) for item in filed]
    columns = [
        (_("Platform"), [escape(item.platform) for item in filed], False),
        (_("Verdict"), [wording.verdict_label(item.verdict) for item in filed], True),
        (_("Evidence bundle and drafts"), files, False),
    ]
    common.console.print(common.list_table(columns))
    common.note(_("Wrote {n} bundles and their drafts to {path}").format(n=len(filed), path=folder.resolve()))
