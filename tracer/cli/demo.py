"""`tracer demo` and `tracer simulate`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from tracer import i18n, outputs
from tracer.cli import common
from tracer.i18n import _


def demo(
    seed: int = typer.Option(7, "--seed", help="The same seed makes the same world."),
    locale: str = typer.Option("zh_CN", "--locale", help="zh_CN or en_US: the simulated user's names and platforms."),
    workdir: Path = typer.Option(
        None, "--workdir", help="Keep the world and its vault here to explore (default: a temp dir)."
    ),
) -> None:
    """See it work in one command: simulate a user, issue canaries, import, attribute, report."""
    from tracer import demo as demo_lib  # the simulator, attribution and reports load only here
    from tracer import reports
    from tracer import simulate as simulate_lib

    where = outputs.check_folder(workdir, outputs.Guard(common.home())) if workdir else None
    # a kept vault opens with the user's TRACER_PASSPHRASE, or with the demo's own word
    chosen = os.environ.get("TRACER_PASSPHRASE") if where else None
    passphrase = (chosen or demo_lib.KEPT_PASSPHRASE) if where else None
    where = where or Path(tempfile.mkdtemp(prefix="tracer-demo-"))
    shape = simulate_lib.Shape(seed=seed, locale=locale)
    i18n.activate(common.reader_language(fallback=locale))  # else the simulated user's language
    result = demo_lib.run(
        where, shape, step=lambda line: common.note(f"• {line}"), lang=i18n.current(), passphrase=passphrase
    )
    table = reports.render(
        result.report, reports.ReportFormat.TABLE, redact=True, width=min(common.console.width, 100),
        tz=result.timezone,
    )  # fmt: skip
    common.write_text(table)
    truth = sorted(p for p, v in result.truth["platforms"].items() if v["leaked"])
    common.note(
        _("In this simulated world, data given to {n} platforms actually left them "
          "(some only after the period ends); see {path}.").format(n=len(truth), path=where / "files" / "truth.json")
    )
    common.say(_("HTML report: {path}").format(path=result.html))
    if passphrase:
        opens = _("your TRACER_PASSPHRASE") if chosen else _("the passphrase {word}").format(word=passphrase)
        common.note(
            _("Its vault is kept: TRACER_HOME={vault} tracer contacts list (or report, explain ID) "
              "opens it with {opens}.").format(vault=where / "vault", opens=opens)
        )


def simulate(
    out: Path = typer.Option(..., "--out", help="Folder for the world's files."),
    seed: int = typer.Option(1, "--seed", help="The same seed makes the same world."),
    platforms: int = typer.Option(30, "--platforms", help="How many platforms the user signs up on."),
    days: int = typer.Option(180, "--days", help="How many days of calls, SMS and mail."),
    locale: str = typer.Option("zh_CN", "--locale", help="zh_CN or en_US: the simulated user's names and platforms."),
    pool: int = typer.Option(2, "--pool", help="Spare numbers besides the primary."),
    variant: str = typer.Option(
        "", "--variant", help="A world unlike the defaults: busy, quiet, recycled, solo, late, waves, "
        "fresh-ids, mangled or own-senders (docs/benchmarks.md)."
    ),
) -> None:
    """Write a synthetic world: calls.csv, sms-*.xml, mail.mbox, world.json and truth.json."""
    from tracer import simulate as simulate_lib
    from tracer.simulate import variants

    shape = simulate_lib.Shape(seed=seed, platforms=platforms, days=days, locale=locale, pool=pool)
    shape = variants.apply(shape, variant)
    outputs.check_folder(out, outputs.Guard(common.home()))
    simulate_lib.simulate(out, shape)
    common.say(
        _("Wrote a world of {platforms} platforms over {days} days to {out}.").format(
            platforms=platforms, days=days, out=out)
    )
