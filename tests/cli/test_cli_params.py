"""Options converted without Pydantic (tracer/cli/params.py) give what Typer's own conversion
gives: the same values for what it accepts, the same refusal, in the same words, for what it
does not; and a command whose options are strings and choices never loads Pydantic."""

from __future__ import annotations

import enum
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
import typer
import typer.core
from typer import _coercion
from typer.testing import CliRunner

from tracer.cli import params


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def show(
        text: str = typer.Option(None, "--text"),
        colour: Colour = typer.Option(Colour.RED, "--colour"),
        loud: Colour = typer.Option(None, "--loud", case_sensitive=False),
        kind: Literal["csv", "json"] = typer.Option("csv", "--kind"),
        count: int = typer.Option(None, "--count", min=0, max=9),
        where: Path = typer.Option(None, "--where", exists=True),
        flag: bool = typer.Option(False, "--flag"),
        word: str = typer.Argument("none"),
    ) -> None:
        print(repr((text, colour, loud, kind, count, where, flag, word)))

    return app


CALLS = [
    [],
    ["--text", "杨先生"],
    ["--text", ""],
    ["--text", "a\udcffb"],  # an argument that was not valid UTF-8
    ["--colour", "green"],
    ["--colour", "GREEN"],  # refused: case sensitive
    ["--colour", "blue"],
    ["--loud", "GREEN"],
    ["--kind", "json"],
    ["--kind", "xml"],
    ["--count", "3"],
    ["--count", "12"],
    ["--count", "three"],
    ["--where", "."],
    ["--where", "/no/such/place"],
    ["--flag", "word"],
    ["--text"],
]


@pytest.mark.parametrize("argv", CALLS, ids=[" ".join(a) or "defaults" for a in CALLS])
def test_each_value_converts_or_is_refused_as_typer_does_it(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    said = []
    for build in (_coercion.build_runtime_param, params.build):
        monkeypatch.setattr(typer.core, "build_runtime_param", build)
        result = CliRunner().invoke(_app(), argv, env={"COLUMNS": "200", "NO_COLOR": "1"})
        said.append((result.exit_code, result.output, type(result.exception)))
    assert said[1] == said[0]


def test_a_command_of_strings_and_choices_loads_no_pydantic(tmp_path: Path) -> None:
    """Pydantic and Typer's adapters were ~0.07 s of a one-call `tracer contacts log`."""
    code = (
        "import sys\nfrom tracer.cli import params, app\nimport typer\n"
        "from tests.cli.test_cli_params import _app\nfrom typer.testing import CliRunner\n"
        "result = CliRunner().invoke(_app(), ['--text', 'x', '--colour', 'green', '--kind', 'json', '--flag'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(result.output.strip()); print('pydantic' in sys.modules)\n"
    )
    root = Path(__file__).parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "('x', <Colour.GREEN: 'green'>, None, 'json', None, None, True, 'none')",
        "False",
    ]
