"""Option values converted without Pydantic where Typer's conversion cannot do anything else.

Typer 0.29 converts every parameter's value through a Pydantic `TypeAdapter` it builds when the
command runs: importing Pydantic and building the adapters of one command is ~0.07 s of a
one-call `tracer contacts log` (docs/benchmarks.md, "Start-up, round 10"), though almost every
option here is a `str` (returned as given) or a choice (an Enum or a Literal: Typer's own
`coerce_cli_choice`). `install` makes Typer build `Plain` for those: it returns what Typer's
adapter would for a value it accepts, and hands any other value to Typer's own conversion, so
a rejected value is refused in Typer's words, as before (tests/cli/test_cli_params.py compares
both ways). Other types (paths, numbers, lists) are Typer's alone.

Typer's conversion layer is private (`typer.core.build_runtime_param`); Typer is pinned to the
tested minor in pyproject.toml, as for `usage`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import typer.core
from typer import _coercion
from typer._param_types import coerce_cli_choice
from typer._typing import is_literal_type, literal_values

_typers = _coercion.build_runtime_param  # Typer's own, for everything Plain does not take


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: `typers` is a cache
class Plain(_coercion.RuntimeParam):
    """A parameter's conversion: a `str` (`kind` "str") or choice ("choice") value as Typer's
    adapter gives it for a value it accepts; any other value or type converted (or refused) by
    Typer's own conversion, built on first use (an option left out never needs it)."""

    descriptor: _coercion.TypeDescriptor
    kind: str | None
    choices: tuple[Any, ...] = ()
    typers: list[_coercion.RuntimeParam] = field(default_factory=list)  # Typer's, once built

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.kind == "str" and isinstance(value, str):  # Pydantic's `str` returns the same object
            return value
        if self.kind == "choice":
            try:
                return coerce_cli_choice(
                    value, choices=self.choices, case_sensitive=self.parameter_info.case_sensitive, ctx=ctx
                )
            except ValueError:
                pass  # refused below, in Typer's words
        if not self.typers:
            self.typers.append(_typers(self.descriptor))
        return self.typers[0]._coerce_value(value, param=param, ctx=ctx)


def build(descriptor: _coercion.TypeDescriptor) -> _coercion.RuntimeParam:
    """The conversion of one parameter (`Plain`)."""
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if info.parser is not None or descriptor.file_annotation is not None:
        return Plain(info, annotation, descriptor, None)
    if annotation is str:
        return Plain(info, annotation, descriptor, "str")
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Plain(info, annotation, descriptor, "choice", tuple(annotation))
    if is_literal_type(annotation):
        return Plain(info, annotation, descriptor, "choice", tuple(literal_values(annotation)))
    return Plain(info, annotation, descriptor, None)


def install() -> None:
    """Typer's parameters convert through `build` from now on."""
    typer.core.build_runtime_param = build  # type: ignore[attr-defined]
