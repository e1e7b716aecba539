"""The contacts' element-wise columns are shared Python objects before attribution reads them,
and converting them again changes nothing (`inputs.elementwise`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracer.attribution.inputs import Inputs, elementwise, is_elementwise
from tracer.attribution.result import _plain_strings


def _contacts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "to": pd.Series(["+8613800000001", None, "+8613800000001"], dtype="str"),
            "from": pd.Series(["+8613900000002", None, "+8613900000003"], dtype=object),
            "channel": pd.Series(["call", "sms", "call"], dtype="str"),
            "text": pd.Series(["hi", None, "hi"], dtype="str"),
            "at": [1.0, 2.0, 3.0],
        }
    )


def test_elementwise_columns_become_shared_objects_with_nan_for_missing():
    frame = elementwise(_contacts())
    assert [frame[c].dtype for c in ("to", "from", "channel")] == [np.dtype(object)] * 3
    assert frame["to"][0] is frame["to"][2]  # one object per distinct value
    assert frame["from"][1] is not None and np.isnan(frame["from"][1])
    assert frame["text"].dtype != object  # texts stay Arrow strings: read once per distinct value
    assert frame["at"].tolist() == [1.0, 2.0, 3.0]


def test_a_column_holding_none_is_not_taken_as_converted():
    assert not is_elementwise(pd.Series(["a", None], dtype=object))
    assert is_elementwise(pd.Series(["a", np.nan], dtype=object))
    assert not is_elementwise(pd.Series(["a", None], dtype="str"))
    assert is_elementwise(pd.Series([1.0, 2.0]))


def test_converted_inputs_are_passed_on_as_they_are():
    converted = Inputs(canaries=pd.DataFrame(), contacts=elementwise(_contacts()))
    assert _plain_strings(converted) is converted
    raw = Inputs(canaries=pd.DataFrame(), contacts=_contacts())
    plain = _plain_strings(raw)
    assert plain.contacts["to"].dtype == object
    assert raw.contacts["to"].dtype != object  # the caller's frame is left as it was


def test_freed_memory_is_trimmed_where_the_c_library_can(monkeypatch):
    from tracer import collector

    calls: list[int] = []
    monkeypatch.setattr(collector, "_malloc_trim", lambda: calls.append)
    collector.release_memory()
    assert calls == [0]
    monkeypatch.setattr(collector, "_malloc_trim", lambda: None)  # macOS, Windows, musl
    collector.release_memory()
    assert calls == [0]
