"""`tracer demo` and `tracer simulate`: the whole pipeline on a synthetic world, as a user runs it.

The demo plans a world, issues its canaries through a real (temporary) vault, lets the world's
callers use those identities, imports the files they produce, and attributes every contact.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracer import attribution, contacts, identities, ingest, lifecycle, pool, reports, simulate
from tracer.i18n import _
from tracer.vault import Vault

# the passphrase of a demo vault kept with `--workdir` when TRACER_PASSPHRASE is not set: the vault
# holds a simulated world only, and a user exploring it (`tracer explain`) must be able to open it
KEPT_PASSPHRASE = "demo"


@dataclass(frozen=True)
class DemoResult:
    workdir: Path
    report: dict[str, Any]
    truth: dict[str, Any]
    html: Path
    imported: int
    timezone: str = "UTC"  # the simulated user's, for the reports a person reads


def register(vault: Vault, world: simulate.World) -> list[simulate.Signup]:
    """Add the world's spare numbers and issue one canary per signup through the vault."""
    for line in world.lines:
        if not line.primary:
            pool.add(vault, line.e164, label=line.label, control=line.control)
    requests = [identities.Request(p.platform, p.category, p.at, p.real_name) for p in world.signups]
    issued = identities.issue_many(vault, requests, seed=world.shape.seed)
    return [
        simulate.Signup(
            c.platform,
            c.category or "",
            c.issued_at,
            c.real_name,
            c.phone or "",
            c.name or "",
            c.email,
            dict(c.identity.markers),
        )
        for c in issued
    ]


def import_world(vault: Vault, files: Path, world: simulate.World) -> int:
    """Import every file the world wrote, as a user would: SMS backups name their own number."""
    by_file = {name: e164 for e164, name in simulate.files.sms_names(world).items()}
    new = 0
    for path in sorted(files.iterdir()):
        if path.name in ("world.json", "truth.json"):
            continue
        options = ingest.Options(
            region=vault.settings.region, tz=vault.settings.timezone, to=by_file.get(path.name)
        )
        # a world is a planned calendar (reproducible from its seed), not today's: its later days
        # may lie after this clock, which a real import would refuse
        new += contacts.import_file(vault, path, options=options, allow_future=True).new
    return new


def run(
    workdir: Path,
    shape: simulate.Shape,
    *,
    step: Callable[[str], None] | None = None,
    lang: str | None = None,
    passphrase: str | None = None,
) -> DemoResult:
    """Simulate → issue canaries → import → attribute → write report.html, all under `workdir`.

    The report speaks `lang` (default: the simulated user's language) in the user's timezone. The
    vault (`workdir/vault`) is sealed with `passphrase`, by default a random one nobody keeps.
    """
    say = step or (lambda _line: None)
    world = simulate.plan(shape)
    user = world.user
    say(_("A simulated user with {numbers} numbers signs up on {platforms} platforms").format(
        numbers=len(world.lines), platforms=len(world.signups)))
    vault = lifecycle.init(
        workdir / "vault",
        passphrase or secrets.token_urlsafe(24),
        name=user.name,
        phone=user.phone,
        email=user.email,
        locale=user.locale,
        region=user.region,
        timezone=user.timezone,
        email_domain=user.email_domain,
    )
    with vault:
        signups = register(vault, world)
        say(_("Issued {n} canary identities in a temporary vault").format(n=len(signups)))
        traffic = simulate.generate(world, signups)
        simulate.write(world, signups, traffic, workdir / "files")
        imported = import_world(vault, workdir / "files", world)
        say(_("Imported {n} calls, SMS and mails from the world's exports").format(n=imported))
        inputs = attribution.load(vault)
        report = attribution.attribute(inputs).to_dict()
        html = workdir / "report.html"
        page = reports.render(
            report, reports.ReportFormat.HTML, redact=True, real_name=user.name,
            identities=inputs.identities(), lang=lang or user.locale, tz=user.timezone,
        )  # fmt: skip
        html.write_text(page, encoding="utf-8")
    return DemoResult(workdir, report, traffic.truth, html, imported, user.timezone)
