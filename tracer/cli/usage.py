"""Click's and Typer's own words (usage lines, usage errors, the help option) in the reader's language.

The Typer we install (0.29) carries its own copy of Click (`typer._click`) whose messages are
English f-strings: unlike Click itself, which wraps them in the stdlib's `gettext` (domain
"messages"), there is no gettext call to rebind. So they are translated where they reach the reader:

- Typer's module settings (panel titles, `[required]`, "Try … for help"): `help._PANELS`, set
  when help or an error is about to be shown (`Context.get_help`, `translated_errors`).
- Per command, when `help.command` builds the tree (`localize`): the "Usage:" prefix (a `Context`
  whose formatter writes it), `[OPTIONS]` and `COMMAND [ARGS]...`, the `--help` option's text,
  and no `<bool>` after a flag (a flag takes no value).
- Usage errors: the root command (`Group`, `typer.Typer(cls=Group)`) re-raises each Click error
  with its message said again in the reader's language. Click builds a message from a few
  English templates; `i18n.reword` recognises each by its template (`MESSAGES`, catalog messages
  whose `{fields}` match anything) and fills the translated template with the same values,
  themselves reworded when they are messages ("Invalid value for '--format': 'xml' is not one
  of …"). A message no template matches is shown as Click wrote it; tests/cli/test_cli_usage.py
  fails when one of the usual mistakes still reads English in zh_CN.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
import typer.core
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer._click.formatting import HelpFormatter

from tracer import i18n
from tracer.i18n import N_, _

# Click's and Typer's error messages (typer/_click/exceptions.py, parser.py, core.py; typer/core.py,
# _coercion.py, _param_types.py) and Pydantic's words for a value it cannot convert, as templates.
MESSAGES = (
    N_("No such command {name}."),
    N_("No such command {name}. Did you mean {suggestions}?"),
    N_("Missing command."),
    N_("No such option: {name}"),
    N_("No such option: {name} (Possible options: {options})"),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Missing option {name}. {detail}"),
    N_("Choose from:\n\t{choices}"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {n} arguments."),
    N_("Option {name} does not take a value."),
    N_("Argument {name} takes {n} values."),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Invalid value for {name}: {reason}"),
    N_("Invalid value: {reason}"),
    N_("Value error, {reason}"),
    N_("{value} is not one of {choices}."),
    N_("Value {value} is not a valid {kind}."),
    N_("File {path} does not exist."),
    N_("Directory {path} does not exist."),
    N_("Path {path} does not exist."),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be a valid integer, got a number with a fractional part"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a valid boolean, unable to interpret input"),
    N_("Input should be less than or equal to {limit}"),
    N_("Input should be greater than or equal to {limit}"),
    N_("Could not open file {path}: {reason}"),
)


class Formatter(HelpFormatter):
    """Click's help formatter with the usage line's "Usage:" in the reader's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


class Context(typer.Context):
    formatter_class = Formatter

    def get_help(self) -> str:
        """The command's help (`--help`, a group called without a command): Typer's words first."""
        _panels()
        return str(super().get_help())


class Group(typer.core.TyperGroup):
    """The root command: usage errors from parsing any command line reach the reader translated."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with translated_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with translated_errors():
            return super().invoke(ctx)


def localize(node: Any) -> None:
    """Click's words around the help of command `node` in the current language (help.command)."""
    node.context_class = Context
    if node.options_metavar == "[OPTIONS]":
        node.options_metavar = _("[OPTIONS]")
    if getattr(node, "subcommand_metavar", None) == "COMMAND [ARGS]...":
        node.subcommand_metavar = _("COMMAND [ARGS]...")
    helper = node.get_help_option(Context(node))
    if helper is not None:
        helper.help = _("Show this message and exit.")
    for param in [*node.params, helper]:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""  # Typer shows a flag's type (`--json <bool>`) as if it took a value


@contextmanager
def translated_errors() -> Iterator[None]:
    """Within the block, a Click error leaves with its message in the current language."""
    try:
        yield
    except NoArgsIsHelpError:
        raise  # its "message" is the help, already translated
    except ClickException as exc:
        _panels()  # Typer's error panel: its title and "Try … for help"
        _reraise(exc)
    except (typer.Abort, EOFError):  # Typer says "Aborted." for both
        _panels()
        raise


def _panels() -> None:
    from tracer.cli import help

    help.panels()


def _reraise(exc: ClickException) -> NoReturn:
    said = exc.format_message()
    text = i18n.reword(said, MESSAGES)
    if text == said:
        raise exc
    shown = UsageError(text, exc.ctx) if isinstance(exc, UsageError) else ClickException(text)
    shown.exit_code = exc.exit_code
    raise shown from exc
