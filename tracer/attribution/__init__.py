"""Attribution: which platform's data reached each contact, and how sure we are.

`attribute(inputs)` is the whole pipeline; `load(vault)` builds its inputs from a vault.
"""

from tracer.attribution.inputs import Inputs, load
from tracer.attribution.report import Report, attribute

__all__ = ["Inputs", "Report", "attribute", "load"]
