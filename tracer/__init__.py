"""Leak Tracer: canary identities and evidence showing which platform leaked your data.

The Python API mirrors the CLI (docs/cli.md): open a vault, then call the module functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from tracer.attribution import Attribution
    from tracer.vault import Vault


def open_vault(home: Path, passphrase: str) -> Vault:
    """Open an existing vault (`tracer init` creates one: `tracer.lifecycle.init`); a vault from
    before row commitments is committed to its ledger once, as the CLI does."""
    from tracer import lifecycle

    return lifecycle.open_vault(Path(home), passphrase)


def attribute(vault: Vault) -> Attribution:
    """Attribute every contact: `.platforms`, `.contacts`, `.campaigns` DataFrames, `.to_dict()`
    (the `tracer report --format json` document); `tracer.reports` renders it."""
    from tracer import attribution

    return attribution.attribute_vault(vault)


__all__ = ["__version__", "attribute", "open_vault"]
