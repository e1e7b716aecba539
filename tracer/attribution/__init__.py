"""Attribution: which platform's data reached each contact, and how sure we are.

`attribute(inputs)` is the whole pipeline; `load(vault)` builds its inputs from a vault, and
`attribute_vault(vault)` does both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracer.attribution.inputs import Inputs, load
from tracer.attribution.result import Attribution, attribute

if TYPE_CHECKING:
    from tracer.vault import Vault


def attribute_vault(vault: Vault) -> Attribution:
    """Attribute every contact in an open vault."""
    return attribute(load(vault))


__all__ = ["Attribution", "Inputs", "attribute", "attribute_vault", "load"]
