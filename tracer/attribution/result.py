"""The attribution report: the contract's JSON shape and the same data as DataFrames."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, cast

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa

from tracer import collector, phones, times
from tracer.attribution import verdicts
from tracer.attribution.content import CATEGORY_LABELS
from tracer.attribution.inputs import ELEMENTWISE, Inputs, elementwise, interned, is_elementwise
from tracer.attribution.model import DAY, Fit, fit
from tracer.i18n import _

if TYPE_CHECKING:
    from tracer.contacts import Reader

MAX_CANDIDATES = 5
_LINES = 4096  # contacts per write of the streamed JSON
_ORJSON = orjson.OPT_SERIALIZE_NUMPY


@dataclass
class Attribution:
    """Attribution result. `to_dict()` is the documented `tracer report --format json` shape;
    `write_json()` streams the same document without holding every contact's dict at once."""

    platforms: pd.DataFrame
    rows: _ContactRows
    campaigns: pd.DataFrame
    generated_at: str

    @property
    def contacts(self) -> pd.DataFrame:
        """One row per contact (candidates and evidence as lists), for notebooks."""
        return pd.DataFrame(list(self.rows), columns=list(CONTACT_KEYS))

    def to_dict(self) -> dict[str, Any]:
        with collector.paused():  # the row dicts hold no cycles
            contacts = list(self.rows)
        return {**self._head(), "contacts": contacts, "campaigns": _records(self.campaigns)}

    def results(self) -> Iterator[ContactResult]:
        """Every contact's attribution as a typed record, in the report's order."""
        return map(ContactResult.from_json, self.rows)

    def write_json(self, out: TextIO | BinaryIO) -> None:
        """The `to_dict()` document, written contact by contact (`write_json`): to a text
        stream, or as UTF-8 to a binary one (the faster: the lines are made as UTF-8)."""
        write_json(self._head(), self.rows, _records(self.campaigns), out)

    def to_dict_platforms(self) -> list[dict[str, Any]]:
        """The contract's `platforms` list alone."""
        return [_platform_doc(r) for r in self.platforms.to_dict("records")]

    def _head(self) -> dict[str, Any]:
        return {"generated_at": self.generated_at, "platforms": self.to_dict_platforms()}


def write_json(
    head: Mapping[str, Any],
    contacts: Iterable[Mapping[str, Any]],
    campaigns: list[Any],
    out: TextIO | BinaryIO,
    default: Callable[[Any], Any] | None = None,
) -> None:
    """The one writer of a report's JSON (`tracer report --format json`, streamed or rendered):
    `head`'s keys indented, then one compact contact per line (orjson, several times faster than
    the standard library's C encoder; written in blocks of `_LINES`), then the campaigns.
    `default` converts what JSON has no type for (datetimes, sets). `out`: a text stream, or a
    binary one, which gets the document as UTF-8 (the contacts' lines are made as UTF-8: a
    gigabyte of them decoded to text and encoded again was a tenth of the writer's time)."""
    body = json.dumps({**head, "contacts": []}, ensure_ascii=False, indent=2, default=default)
    start, _, _ = body.rpartition("[]")
    write = _writer(out)
    write((start + "[").encode())
    if isinstance(contacts, _ContactRows):
        blocks = contacts.json_bytes()
    else:
        blocks = (block.encode() for block in _dumped(contacts, default))
    n = 0
    for n, block in enumerate(blocks, start=1):
        write((b"," if n > 1 else b"") + b"\n    " + block)
    listed = json.dumps(campaigns, ensure_ascii=False, indent=2, default=default)
    write((("\n  ]" if n else "]") + ',\n  "campaigns": ' + listed.replace("\n", "\n  ") + "\n}\n").encode())


def _writer(out: TextIO | BinaryIO) -> Callable[[bytes], Any]:
    """Writes UTF-8 `bytes` to `out`: as they are to a binary stream, decoded to a text one."""
    if isinstance(out, io.RawIOBase | io.BufferedIOBase):
        return out.write
    text = cast(TextIO, out)
    return lambda data: text.write(data.decode())


def _dumped(contacts: Iterable[Mapping[str, Any]], default: Callable[[Any], Any] | None) -> Iterator[str]:
    """`contacts` as blocks of `_LINES` compact JSON objects joined by ",\\n    " (orjson)."""
    block: list[str] = []
    for contact in contacts:
        block.append(orjson.dumps(contact, default=default, option=_ORJSON).decode())
        if len(block) >= _LINES:
            yield ",\n    ".join(block)
            block.clear()
    if block:
        yield ",\n    ".join(block)


def attribute(inputs: Inputs) -> Attribution:
    """Attribute every contact in `inputs` and judge every platform."""
    inputs = _plain_strings(inputs)
    if inputs.canaries.empty:
        return _unattributed(inputs)
    model = fit(inputs)
    attributed = verdicts.contact_platforms(model, inputs)
    judged = verdicts.weigh(model, inputs)
    platforms = verdicts.platforms(model, inputs, attributed, judged)
    proof = judged["proof"].to_numpy()
    del judged
    campaigns = _campaigns(model, inputs, attributed)
    links = _links(campaigns)
    platforms["linked_platforms"] = platforms["platform"].map(lambda p: sorted(links.get(p, ())))
    rows = _contact_rows(model, inputs, attributed, proof)
    del model, attributed, proof
    # what the verdicts and the rows' arrays freed goes back before the rows are written: the
    # writer's window of texts otherwise sits on top of it
    collector.release_memory()
    return Attribution(platforms, rows, campaigns, times.iso(times.now().replace(microsecond=0)))


def _plain_strings(inputs: Inputs) -> Inputs:
    """The contacts' element-wise columns as shared Python objects (pandas' Arrow-backed strings
    convert on each read); see `inputs.ELEMENTWISE`. `load` has converted them already; inputs
    built by hand are converted here, on a copy of their frame."""
    c = inputs.contacts
    if all(is_elementwise(c[col]) for col in ELEMENTWISE if col in c):
        return inputs
    return replace(inputs, contacts=elementwise(c.copy(deep=False)))


def _shared(column: pd.Series) -> np.ndarray:
    """`column` as a NumPy array; strings as Python objects, equal ones sharing one (an Arrow
    string column would otherwise become one new Python string per contact). A copy: a view
    would keep the frame's whole block of columns alive while the report is written."""
    if not pd.api.types.is_string_dtype(column.dtype):
        return column.to_numpy(copy=True)
    return interned(column).to_numpy()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts, with pandas' missing values (NaN) as None (JSON null)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")  # type: ignore[return-value]


def _platform_doc(row: dict[Any, Any]) -> dict[str, Any]:
    doc = {str(key): _none(value) for key, value in row.items()}
    for key in ("first_contact_at", "signup_at"):
        doc[key] = times.iso(times.from_epoch(doc[key])) if doc.get(key) else None
    start, end = doc.pop("leak_from", None), doc.pop("leak_to", None)
    if start is not None and end is not None:  # the 90% window for when the data reached a caller
        doc["leak_window"] = {"from": times.iso(times.from_epoch(start)), "to": times.iso(times.from_epoch(end))}
    else:
        doc["leak_window"] = None
    return doc


def _campaigns(model: Fit, inputs: Inputs, attributed: pd.Series) -> pd.DataFrame:
    c = inputs.contacts.reset_index(drop=True)
    campaign = model.contacts["campaign"]
    # only campaigns that reached an attributed contact are listed: their contacts are selected
    # before grouping (most campaigns are background spam, and each group costs a Python step),
    # by the campaigns' codes rather than from a frame of every contact's campaign, caller and
    # platform filtered twice (three contact-long columns copied, ~300 MiB at 5M contacts)
    # The campaigns' codes in the order of their ids (as `groupby(sort=True)` listed them), and
    # each listed campaign's contacts as a run of one sort of their indices: a frame of the
    # chosen contacts' id, caller and platform, sorted whole by `groupby` and cut into a frame
    # per campaign, was the report's peak at 5M contacts once the fit's were cut (round 19)
    codes, ids = pd.factorize(campaign, sort=True, use_na_sentinel=True)
    reached = np.unique(codes[(codes >= 0) & attributed.notna().to_numpy(dtype=bool)])
    chosen = np.flatnonzero(np.isin(codes, reached))
    chosen = chosen[np.argsort(codes[chosen], kind="stable")]
    code = codes[chosen]
    del codes
    callers_of, platform_of = c["from"].to_numpy(), attributed.to_numpy()
    bounds = [0, *(np.flatnonzero(np.diff(code)) + 1).tolist(), len(code)] if len(code) else [0]
    rows = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        g, members = int(code[lo]), chosen[lo:hi]
        platforms = _present(platform_of[members])
        if not platforms:
            continue
        callers = _present(callers_of[members])
        rows.append({"id": ids[g], "callers": callers[:50], "platforms": platforms, "contacts": hi - lo})
    return pd.DataFrame(rows, columns=["id", "callers", "platforms", "contacts"])


def _present(values: np.ndarray) -> list[Any]:
    """The distinct values that are not missing, sorted (`sorted(Series.dropna().unique())`)."""
    return sorted({v for v in values.tolist() if not pd.isna(v)})


def _links(campaigns: pd.DataFrame) -> dict[str, set[str]]:
    links: dict[str, set[str]] = {}
    for platforms in campaigns["platforms"]:
        for p in platforms:
            links.setdefault(p, set()).update(q for q in platforms if q != p)
    return links


@dataclass(frozen=True)
class ContactResult:
    """One contact's attribution, as every renderer reads it. `to_json()` is the contract's
    `contacts[]` shape (`sender` is its `from`), which the report streams (`Attribution.rows`) and
    renderers take from `to_dict()`; `Attribution.results()` gives the typed records."""

    id: str
    external_id: str | None
    channel: str
    at: str  # ISO 8601, UTC, "Z"
    to: str | None
    sender: str | None
    caller_name: str | None  # the caller ID name the export showed
    heard_name: str | None  # what the caller said
    text: str | None
    platform: str | None  # null unless the contact's own evidence singles the platform out
    confidence: float  # the probability that the reported attribution is right
    candidates: list[dict[str, Any]]  # [{"platform", "p"}], most likely first
    evidence: list[dict[str, str]]  # [{"kind", "detail"}]
    campaign: str | None
    batch_id: str | None

    def to_json(self) -> dict[str, Any]:
        return {_JSON_KEY.get(f.name, f.name): getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> ContactResult:
        values: dict[str, Any] = {f.name: doc.get(_JSON_KEY.get(f.name, f.name)) for f in fields(cls)}
        return cls(**values)


_JSON_KEY = {"sender": "from"}
CONTACT_KEYS = tuple(_JSON_KEY.get(f.name, f.name) for f in fields(ContactResult))


class _ContactRows:
    """Every contact's report row, built a block of `_LINES` contacts at a time when read: a
    million rows of evidence dicts (or even one Python list per report column) would otherwise
    sit in memory at once. The per-contact inputs are kept as arrays and the frame as read."""

    def __init__(
        self,
        contacts: pd.DataFrame,
        fit: dict[str, np.ndarray],
        view: _View,
        cands: _Candidates,
        best: _BestPairs,
        reader: Reader | None = None,
    ) -> None:
        self.contacts, self.fit, self.view, self.cands, self.best = contacts, fit, view, cands, best
        self.reader = reader

    def __len__(self) -> int:
        return len(self.contacts)

    def read(self, a: int, b: int) -> pd.DataFrame:
        """The contacts a..b-1 as imported: the frame's rows, and the fields it does not hold
        (`inputs.REREAD`: texts, names, external ids) read again from the vault by its `reader`."""
        rows, read = self.read_arrow(a, b)
        if not read:
            return rows
        return rows.assign(**{name: column.to_pandas().set_axis(rows.index) for name, column in read.items()})

    def read_arrow(self, a: int, b: int) -> tuple[pd.DataFrame, dict[str, Any]]:
        """`read`, the fields read again from the vault left as Arrow strings beside the frame's
        rows (the JSON writer escapes them as Arrow strings: no Python string per text)."""
        rows, reader = self.contacts.iloc[a:b], self.reader
        missing = () if reader is None else tuple(name for name in reader.fields if name not in rows)
        if reader is None or not missing:
            return rows, {}
        read = reader.read(a, b, missing, _arrow(rows["id"]))
        return rows, {name: read[name] for name in missing}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        t = _Translated()  # each message translated once per pass, in the language of the pass
        for start in range(0, len(self), _LINES):
            yield from self.block(start, min(start + _LINES, len(self)), t)

    def row(self, i: int, t: Callable[[str], str] = _) -> dict[str, Any]:
        return next(self.block(i, i + 1, t))

    def json_bytes(self) -> Iterator[bytes]:
        """The rows as `write_json` writes them, as UTF-8: blocks of JSON objects, one per line
        (joined by ",\\n    "), each block built a column at a time (`_json_lines`)."""
        t = _Translated()
        for start in range(0, len(self), _JSON_BLOCK):
            yield _json_lines(self, start, min(start + _JSON_BLOCK, len(self)), t)

    def flat_blocks(self, size: int, rename: Callable[[str], str], shape: _Shape) -> Iterator[dict[str, Any]]:
        """The rows flattened as the CSV has them (`reports.dataframes.contact_row`), a block of
        `size` contacts at a time, each block a column at a time: the report's columns but the
        campaign and batch as Arrow strings (missing values null), `confidence` as floats,
        candidates "A:0.93;B:0.05" with each platform named by `rename`, evidence as `shape` writes
        it (`flat_shape`)."""

        t = _Translated()
        names = [rename(p) for p in self.view.platforms]
        for a in range(0, len(self), size):
            b = min(a + size, len(self))
            attributed = self._attributed(a, b)
            yield {
                **_flat_read(self.read(a, b)),
                "platform": _arrow_strings(attributed["platform"]),
                "confidence": attributed["confidence"],
                "candidates": self.cands.flat(a, b, names),
                "evidence": _json_evidence(self.view, self.best, a, b, t, shape),
            }

    def block(self, a: int, b: int, t: Callable[[str], str] = _) -> Iterator[dict[str, Any]]:
        """The rows of contacts a..b-1 (`t` stands in for `_`)."""
        cols = {**_as_read(self.read(a, b)), **self._attributed(a, b)}
        view, cands, best = self.view.block(a, b), self.cands.block(a, b), self.best.block(a, b)
        for n in range(b - a):
            yield {
                "id": cols["id"][n],
                "external_id": cols["external_id"][n],
                "channel": cols["channel"][n],
                "at": cols["at"][n],
                "to": cols["to"][n],
                "from": cols["from"][n],
                "caller_name": cols["caller_name"][n],
                "heard_name": cols["heard_name"][n],
                "text": cols["text"][n],
                "platform": cols["platform"][n],
                "confidence": cols["confidence"][n],
                "candidates": cands.get(n, []),
                "evidence": _evidence(n, view, best.get(n), t),
                "campaign": cols["campaign"][n],
                "batch_id": cols["batch_id"][n],
            }

    def _attributed(self, a: int, b: int) -> dict[str, list[Any]]:
        f = self.fit
        platform = f["platform"][a:b].tolist()
        confidence = _rounded(self._confidence(a, b, platform)).tolist()
        campaign = [g if isinstance(g, str) else None for g in self.view.campaign[a:b].tolist()]
        return {"platform": platform, "confidence": confidence, "campaign": campaign}

    def _confidence(self, a: int, b: int, platform: list[Any]) -> np.ndarray:
        """Contacts a..b-1's confidence before rounding: 1 - the top posterior of a first-party
        contact, the top posterior of an attributed one, else the chance it is background."""
        f, n = self.fit, b - a
        top, first_party = np.asarray(f["top_post"][a:b], dtype=np.float64), np.asarray(self.view.first_party[a:b], dtype=bool)
        attributed = np.fromiter(map(bool, platform), dtype=bool, count=n)
        return np.where(first_party, 1.0 - top, np.where(attributed, top, np.asarray(f["p_null"][a:b], dtype=np.float64)))


def _contact_rows(model: Fit, inputs: Inputs, attributed: pd.Series, proof: np.ndarray | None = None) -> _ContactRows:
    """The rows' arrays, taken from the Fit rather than copied beside it (the caller drops the
    Fit next): its object columns as they are, the Arrow ones made objects once. The pairs'
    arrays come first, while the least is held beside the Fit. `proof`: `verdicts.weigh`'s."""
    c = inputs.contacts.reset_index(drop=True)
    s = model.contacts
    cands, best = _Candidates(model, inputs), _BestPairs(model)
    campaign, campaign_size = _with_sizes(s["campaign"])
    view = _View(
        to=c["to"].to_numpy(dtype=object),
        at=c["at"].to_numpy(),
        topic=_taken(model.feats["topic"]),
        first_party=s["first_party"].to_numpy(),
        fp_platform=_taken(s["fp_platform"]),
        fp_reason=_taken(s["fp_reason"]),
        campaign=campaign,
        campaign_size=campaign_size,
        proof=np.zeros(len(c), dtype=np.int8) if proof is None else proof,
        signup=inputs.canaries["issued_at"].tolist(),
        controls=inputs.controls,
        platforms=inputs.platforms,
    )
    fit = {
        "top_post": s["top_post"].to_numpy(),
        "p_null": s["p_null"].to_numpy(),
        "platform": attributed.to_numpy(dtype=object),
    }
    return _ContactRows(c, fit, view, cands, best, inputs.reader)


def _taken(column: pd.Series) -> np.ndarray:
    """A Fit's column for the rows: a column of Python objects as it is (read-only, and a
    Fit's columns are blocks of their own: it holds no other column alive), an Arrow string
    column as shared Python objects (`_shared`)."""
    if column.dtype == object:
        return column.to_numpy()
    return _shared(column)


def _narrow(column: pd.Series) -> np.ndarray:
    """`_shared`, integers as int32 (contacts, canaries, platforms and counts of them)."""
    if pd.api.types.is_integer_dtype(column.dtype):
        return column.to_numpy().astype(np.int32)
    return _shared(column)


def _with_sizes(campaign: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each contact's campaign as shared Python objects (NaN: none), and how many contacts its
    campaign has (0: none), from one factorization of the column."""
    codes, uniques = pd.factorize(campaign, use_na_sentinel=True)
    values = np.append(uniques.to_numpy(dtype=object), np.nan)
    sizes = np.append(np.bincount(codes[codes >= 0], minlength=len(uniques)), 0).astype(np.int32)
    return values[codes], sizes[codes]


def _unattributed(inputs: Inputs) -> Attribution:
    """No canary yet (the README's order: init, import, report): every contact is listed, none
    can be attributed, each is background with certainty."""
    campaigns = pd.DataFrame(columns=["id", "callers", "platforms", "contacts"])
    platforms = pd.DataFrame(columns=["platform", "verdict", "confidence", "contacts", "linked_platforms"])
    rows = _BareRows(inputs.contacts.reset_index(drop=True), inputs.reader)
    return Attribution(platforms, rows, campaigns, times.iso(times.now().replace(microsecond=0)))


class _Translated(dict[str, str]):
    """`i18n._` remembered per message: a million contacts' evidence repeats a dozen sentences."""

    def __call__(self, message: str) -> str:
        found = self.get(message)
        if found is None:
            found = self[message] = _(message)
        return found


@functools.lru_cache(maxsize=1 << 16)
def _shown(to: Any) -> str:
    """The reached identifier as evidence names it: numbers redacted (many contacts share one)."""
    return phones.redact_party(to if isinstance(to, str) else None) or "unknown"


class _BareRows(_ContactRows):
    """Contact rows without candidates or evidence (there is nothing to attribute them to)."""

    def __init__(self, contacts: pd.DataFrame, reader: Reader | None = None) -> None:
        self.contacts, self.reader = contacts, reader

    def json_bytes(self) -> Iterator[bytes]:
        return (block.encode() for block in _dumped(self, None))

    def flat_blocks(self, size: int, rename: Callable[[str], str], shape: _Shape) -> Iterator[dict[str, Any]]:
        import pyarrow as pa

        for a in range(0, len(self), size):
            c = self.read(a, min(a + size, len(self)))
            empty = pa.array([""] * len(c), pa.string())
            yield {**_flat_read(c), "platform": pa.nulls(len(c), pa.string()), "confidence": [1.0] * len(c),
                   "candidates": empty, "evidence": empty}  # fmt: skip

    def block(self, a: int, b: int, t: Callable[[str], str] = _) -> Iterator[dict[str, Any]]:
        cols = {**_as_read(self.read(a, b)), **_BARE}
        for n in range(b - a):
            yield {key: cols[key] if key in _BARE else cols[key][n] for key in CONTACT_KEYS}


# every contact is background with certainty: no platform, candidates, evidence or campaign
_BARE: dict[str, Any] = {"platform": None, "confidence": 1.0, "candidates": [], "evidence": [], "campaign": None}


def _as_read(c: pd.DataFrame) -> dict[str, list[Any]]:
    """The report columns that come straight from the contacts as imported."""
    n = len(c)
    return {
        "id": c["id"].tolist(),
        "external_id": _nullable(c["external_id"]),
        "channel": c["channel"].tolist(),
        "at": _iso_seconds(c["at"].to_numpy()),
        "to": _nullable(c["to"]),
        "from": _nullable(c["from"]),
        "caller_name": _nullable(c["caller_name"]) if "caller_name" in c else [None] * n,
        "heard_name": _nullable(c["heard_name"]),
        "text": _nullable(c["text"]),
        "batch_id": _nullable(c["batch_id"]) if "batch_id" in c else [None] * n,
    }


def _flat_read(c: pd.DataFrame) -> dict[str, Any]:
    """`_as_read`'s columns as Arrow strings (missing values null), the campaign's and batch's aside."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = {}
    for name in ("id", "external_id", "channel", "to", "from", "caller_name", "heard_name", "text"):
        out[name] = _arrow_strings(c[name].to_numpy(dtype=object)) if name in c else pa.nulls(len(c), pa.string())
    out["at"] = pc.binary_join_element_wise(pa.array(_seconds(c["at"].to_numpy()), pa.string()), "Z", "")
    return out


def _iso_seconds(epoch: np.ndarray) -> list[str]:
    """`times.iso` of each whole second, for a million contacts at once."""
    return [f"{stamp}Z" for stamp in _seconds(epoch).tolist()]


def _seconds(epoch: np.ndarray) -> np.ndarray:
    """Each epoch time as "YYYY-MM-DDTHH:MM:SS" in UTC, whole seconds (`times.iso` without its Z)."""
    return np.datetime_as_string(epoch.astype(np.int64).astype("datetime64[s]"), unit="s")


def _nullable(column: pd.Series) -> list[Any]:
    return column.astype(object).where(column.notna(), None).tolist()


@dataclass
class _View:
    """What evidence details need, per contact: arrays for the whole report, plain lists for the
    block being written (`block`; element access on lists is what the row loop can afford)."""

    to: Any
    at: Any
    topic: Any
    first_party: Any
    fp_platform: Any
    fp_reason: Any
    campaign: Any
    campaign_size: Any
    proof: Any  # verdicts.CALLER_KNOWS: why the contact alone proves its leak, or 0
    signup: list[float]
    controls: frozenset[str]
    platforms: list[str]
    names: Any = None  # the platforms' names escaped for JSON, made when first written
    reached: Any = None  # (each contact's `to` as a code, each code's text and control), when first written

    def identifiers(self, a: int, b: int, rows: np.ndarray, escape: Callable[[Any], Any]) -> tuple[Any, np.ndarray]:
        """Contacts a..b-1's `rows`: the identifier each reached as evidence shows it (`_shown`,
        escaped by `escape`), and whether it is a control number. Each distinct identifier's
        text is made once for the whole report (a few thousand numbers over a million contacts)."""
        if self.reached is None or self.reached[1] is not escape:
            codes, uniques = pd.factorize(np.asarray(self.to, dtype=object), use_na_sentinel=True)
            values = [*uniques.tolist(), None]  # the last answers code -1 (missing)
            codes[codes < 0] = len(values) - 1
            control = np.array([x in self.controls for x in values], dtype=bool)
            self.reached = (codes, escape, escape([_shown(x) for x in values]), control)
        codes = self.reached[0][a:b][rows]
        return self.reached[2].take(pa.array(codes)), self.reached[3][codes]

    def block(self, a: int, b: int) -> _View:
        """Contacts a..b-1, as lists indexed from 0."""
        per_contact = ("to", "at", "topic", "first_party", "fp_platform", "fp_reason", "campaign", "campaign_size", "proof")
        return replace(self, **{name: getattr(self, name)[a:b].tolist() for name in per_contact})


def _none(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    return None if value is None or value is pd.NA else value


class _Candidates:
    """Per contact: its candidate platforms (posterior 0.005 or more, most likely first, at most
    MAX_CANDIDATES), kept as arrays sorted by contact and turned into dicts a block at a time."""

    def __init__(self, model: Fit, inputs: Inputs) -> None:
        ip = _posteriors(model, len(inputs.platforms)).sort_values(["i", "post"], ascending=[True, False])
        self.i, self.p, self.post = _narrow(ip["i"]), _narrow(ip["p"]), ip["post"].to_numpy()
        self.platforms = inputs.platforms
        self.names: Any = None  # the platforms' names as JSON, made when first written

    def block(self, a: int, b: int) -> dict[int, list[dict[str, Any]]]:
        """Contact (counted from a) -> its candidates, for contacts a..b-1 that have any."""
        lo, hi = np.searchsorted(self.i, [a, b])
        out: dict[int, list[dict[str, Any]]] = {}
        for i, p, post in zip(self.i[lo:hi].tolist(), self.p[lo:hi].tolist(), self.post[lo:hi].tolist(), strict=True):
            row = out.setdefault(i - a, [])
            if len(row) < MAX_CANDIDATES:
                row.append({"platform": self.platforms[p], "p": round(post, 4)})
        return out

    def json(self, a: int, b: int) -> Any:
        """Contacts a..b-1's candidate lists as JSON (what `block` gives), as Arrow strings."""
        import pyarrow as pa
        import pyarrow.compute as pc

        p, rounded, offsets = self._kept(a, b)
        if self.names is None:
            self.names = _json_strings(pd.Series(self.platforms, dtype=object))
        entries = pc.binary_join_element_wise(
            '{"platform":', self.names.take(pa.array(p)), ',"p":', _json_floats(rounded), "}", ""
        )
        lists = pa.ListArray.from_arrays(pa.array(offsets), entries)
        return pc.binary_join_element_wise("[", pc.binary_join(lists, ","), "]", "")

    def flat(self, a: int, b: int, names: list[str]) -> Any:
        """Contacts a..b-1's candidates as the CSV flattens them ("A:0.93;B:0.05",
        `reports.dataframes.candidates`), platforms named as in `names`, as Arrow strings."""
        import pyarrow as pa
        import pyarrow.compute as pc

        p, rounded, offsets = self._kept(a, b)
        _, first, inverse = np.unique(rounded.view(np.int64), return_index=True, return_inverse=True)
        shares = pa.array([f"{x:.2f}" for x in rounded[first].tolist()], type=pa.string()).take(pa.array(inverse.ravel()))
        entries = pc.binary_join_element_wise(pa.array(names, type=pa.string()).take(pa.array(p)), shares, ":")
        lists = pa.ListArray.from_arrays(pa.array(offsets), entries)
        return pc.binary_join(lists, ";")

    def _kept(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Contacts a..b-1's candidates as `block` lists them: (platform, p rounded, offsets of
        each contact's first candidate, and of the end)."""
        lo, hi = np.searchsorted(self.i, [a, b])
        i = self.i[lo:hi] - a
        rank = np.arange(len(i)) - np.searchsorted(i, i)  # place within the contact's candidates
        keep = rank < MAX_CANDIDATES
        i, p, post = i[keep], self.p[lo:hi][keep], self.post[lo:hi][keep]
        rounded = _rounded(post)
        offsets = np.concatenate([[0], np.cumsum(np.bincount(i, minlength=b - a))]).astype(np.int32)
        return p, rounded, offsets


def _posteriors(model: Fit, n_platforms: int) -> pd.DataFrame:
    """Each (contact, platform) of the Fit's pairs once, in the order they first appear, with its
    posterior (`Fit.ip`), where that is 0.005 or more: the pairs' (i, p) without duplicates
    merged with `ip`, done on one int64 key per pair (no copy of the pairs' two columns, no hash
    join), each array dropped once read."""
    pairs, ip, n_p = model.pairs, model.ip, max(n_platforms, 1)
    key = np.multiply(pairs["i"].to_numpy(), n_p, dtype=np.int64)  # int64 whatever the Fit's width: 5M x 500 > 2**31
    key += pairs["p"].to_numpy()
    _, first = np.unique(key, return_index=True)  # each key's first pair (a stable sort)
    first.sort()
    key = key[first]
    del first
    ip_key = np.multiply(ip["i"].to_numpy(), n_p, dtype=np.int64)
    ip_key += ip["p"].to_numpy()
    order = np.argsort(ip_key, kind="stable")
    ip_key = ip_key[order]
    at = np.searchsorted(ip_key, key)
    np.minimum(at, len(ip_key) - 1, out=at)
    found = ip_key[at] == key if len(ip_key) else np.zeros(len(key), dtype=bool)
    del ip_key
    post = ip["post"].to_numpy()[order[at]] if len(order) else np.zeros(len(key))
    del order, at
    keep = found & (post >= 0.005)  # a pair without a posterior (none has) is no candidate
    key, post = key[keep], post[keep]
    del keep, found
    i = key // n_p
    return pd.DataFrame({"i": i, "p": key - i * n_p, "post": post}, copy=False)


class _BestPairs:
    """Per contact: its best pair with its top platform (the one whose evidence is shown), kept
    as arrays sorted by contact and turned into dicts a block at a time."""

    COLUMNS = ("i", "p", "j", "shared", "published", "via", "token", "name_kind", "key")

    def __init__(self, model: Fit) -> None:
        # the best pairs' rows are chosen on their contact and lr alone (the same sorts, which
        # read only their key), then each column is taken at those rows: no copy of every pair
        # with its top platform, sorted twice, beside the Fit
        pairs, top = model.pairs, np.flatnonzero(model.on_top())
        # by lr, highest first, as `sort_values` orders (the same sort of the same key: ties
        # keep their order); then each contact's first, in the order of the contacts
        by_lr = top[pd.Series(pairs["lr"].to_numpy()[top]).sort_values(ascending=False).index.to_numpy()]
        _, first = np.unique(pairs["i"].to_numpy()[by_lr], return_index=True)
        rows = by_lr[first]
        del top, by_lr, first
        self.values = {col: _narrow(pairs[col].take(rows)) for col in self.COLUMNS}

    def block(self, a: int, b: int) -> dict[int, dict[str, Any]]:
        """Contact (counted from a) -> its best pair, for contacts a..b-1 that have one."""
        lo, hi = np.searchsorted(self.values["i"], [a, b])
        columns = {col: values[lo:hi].tolist() for col, values in self.values.items()}
        return {
            i - a: {col: columns[col][n] for col in self.COLUMNS} for n, i in enumerate(columns["i"])
        }

    def arrays(self, a: int, b: int) -> dict[str, np.ndarray]:
        """Contacts a..b-1's best pairs as arrays over the block: `has` (has a pair) and each
        column (None or 0 where there is none)."""
        lo, hi = np.searchsorted(self.values["i"], [a, b])
        at = self.values["i"][lo:hi] - a
        out = {"has": np.zeros(b - a, dtype=bool)}
        out["has"][at] = True
        for col in self.COLUMNS:
            values = self.values[col][lo:hi]
            out[col] = np.full(b - a, None, dtype=object) if values.dtype == object else np.zeros(b - a, values.dtype)
            out[col][at] = values
        return out


def _evidence(i: int, v: _View, pair: dict[str, Any] | None, _: Callable[[str], str] = _) -> list[dict[str, str]]:
    if v.first_party[i]:
        return [_first_party_item(v.fp_reason[i], v.fp_platform[i], _)]
    ev = [_identifier_item(v.to[i], pair, v, _)]
    if pair is not None:
        platform = v.platforms[int(pair["p"])]
        ev.extend(_name_detail(pair, platform, _))
        if v.proof[i]:
            ev.append(_proof_item(int(v.proof[i]), platform, _))
        if pair["token"]:
            ev.append(_marker_item(platform, _))
        hours = (v.at[i] - v.signup[int(pair["j"])]) / 3600
        ev.append(_timing_item(_ago(hours, _), platform, _))
        if isinstance(v.topic[i], str):
            ev.append(_topic_item(v.topic[i], _))
    if isinstance(v.campaign[i], str):
        ev.append(_campaign_item(v.campaign[i], v.campaign_size[i], _))
    return ev


# One evidence item each; `_evidence` lists them for one contact, `_json_evidence` for a block.


def _first_party_item(reason: Any, who: Any, _: Callable[[str], str] = _) -> dict[str, str]:
    return {"kind": "first-party", "detail": _(str(reason)) + (f" ({who})" if isinstance(who, str) else "")}


def _identifier_item(to: Any, pair: Mapping[str, Any] | None, v: _View, _: Callable[[str], str] = _) -> dict[str, str]:
    shown = _shown(to)
    if pair is None:
        reason = (
            _("a control number, never given out")
            if to in v.controls
            else _("no canary was issued on it before this contact")
        )
        return {"kind": "identifier", "detail": _("reached {to}: {reason}").format(to=shown, reason=reason)}
    platform = v.platforms[int(pair["p"])]
    share = int(pair["shared"])
    only = (
        _("reached the alias {to}, given only to {platform}")
        if pair["via"] == "email"
        else _("reached the number {to}, given only to {platform}")
    )
    shared = _("reached {to}, shared by {n} canaries: the number alone cannot tell them apart")
    if pair["published"]:  # the user's own number: strangers call it whatever it was given to
        detail = _("reached your own number {to}: the number alone points at no platform").format(to=shown)
    elif share == 1:
        detail = only.format(to=shown, platform=platform)
    else:
        detail = shared.format(to=shown, n=share)
    return {"kind": "identifier", "detail": detail}


def _marker_item(platform: str, _: Callable[[str], str] = _) -> dict[str, str]:
    return {"kind": "marker", "detail": _("the text repeats a marker given only to {platform}").format(platform=platform)}


def _timing_item(delay: str, platform: str, _: Callable[[str], str] = _) -> dict[str, str]:
    return {"kind": "timing", "detail": _("{delay} after the signup at {platform}").format(delay=delay, platform=platform)}


def _topic_item(topic: str, _: Callable[[str], str] = _) -> dict[str, str]:
    label = CATEGORY_LABELS.get(topic)  # a category code, said in the reader's language
    return {"kind": "category", "detail": _("topic: {topic}").format(topic=_(label) if label else topic)}


def _campaign_item(campaign: str, size: Any, _: Callable[[str], str] = _) -> dict[str, str]:
    return {
        "kind": "campaign",
        "detail": _("same caller, callback number or template as {n} other contacts ({campaign})").format(
            n=int(size) - 1, campaign=campaign
        ),
    }


def _name_detail(pair: dict[str, Any], platform: str, _: Callable[[str], str] = _) -> list[dict[str, str]]:
    kind = pair["name_kind"]
    if kind == "full":
        return [{"kind": "name", "detail": _("the caller used the full name given to {platform}").format(
            platform=platform)}]
    # the matched name is not repeated: the contact shows what the caller said, and the key it
    # matched by is a sound code ('sxfr' for Schaefer) that reads as noise to a person
    if kind == "surname":
        return [{"kind": "name", "detail": _("the caller used the surname given to {platform}").format(platform=platform)}]
    if kind == "given":
        return [{"kind": "name", "detail": _("the caller used the given name given to {platform}").format(platform=platform)}]
    if kind == "other":
        return [
            {
                "kind": "name",
                "detail": _(
                    "the caller used a name no canary here was given "
                    "(a previous owner's or a wrong number): evidence against a leak"
                ),
            }
        ]
    return []


def _proof_item(proof: int, platform: str, _: Callable[[str], str] = _) -> dict[str, str]:
    """Why a name that alone could be chance proves the leak here (`verdicts.weigh`'s proof, which
    is CALLER_KNOWS whenever there is one)."""
    detail = _(
        "the same caller used this name again (its other part, or on another day): it holds the "
        "record given to {platform}, no chance hit"
    )
    return {"kind": "name", "detail": detail.format(platform=platform)}


def _ago(hours: float, _: Callable[[str], str] = _) -> str:
    if hours < 1:
        return _("{n} min").format(n=f"{max(hours * 60, 0):.0f}")
    if hours < 48:
        return _("{n} h").format(n=f"{hours:.1f}")
    return _("{n} days").format(n=f"{hours / 24:.0f}")


# -- the report's contacts as JSON lines, built column by column ------------------------------
# `write_json` writes a report's contacts from here: each block's lines are put together by Arrow
# from columns of JSON text (each column encoded at once, evidence and candidates made once per
# distinct value in the block), not by building and serialising a dict per contact, which was
# most of a large report's writing time. `_ContactRows.block` stays the definition of a row: the
# lines are its dicts as orjson writes them (tests/attribution/test_report_lines.py holds them
# to that, byte for byte).
# contacts per block of lines: 4,096 (~3 MB of text) wrote 200k contacts in 3.1 s CPU at the
# old writer's peak; 32,768 took 3.6 s and held ~140 MiB more while a block was put together
_JSON_BLOCK = _LINES
_NONE = object()
_NEEDS_ESCAPE = '[\\x00-\\x1f"\\\\]'  # what orjson escapes in a string; all else is written as is


@dataclass(frozen=True)
class _Shape:
    """How a contact's evidence list is written (`_json_evidence`): the contract's JSON, or the
    flat "kind: detail | …" of the CSV (`flat_shape`)."""

    escape: Callable[[Any], Any]  # values (a list or array) -> Arrow strings as written inside an item
    item: Callable[[dict[str, str]], str]  # one {"kind", "detail"} item, whole
    head: Callable[[str], str]  # an item's text before its detail, from its kind
    literal: Callable[[str], str]  # a template's literal text, as written inside an item
    tail: str  # an item's text after its detail
    sep: str  # between items
    open: str  # before a contact's items
    close: str  # after them
    finish: Callable[[Any], Any] = lambda items: items  # each array of items, before joining


def _json_literal(text: str) -> str:
    return orjson.dumps(text).decode()[1:-1]


_JSON = _Shape(
    escape=lambda values: _escaped(values),
    item=lambda item: orjson.dumps(item).decode(),
    head=lambda kind: orjson.dumps({"kind": kind, "detail": ""}).decode()[:-2],
    literal=_json_literal,
    tail='"}', sep=",", open="[", close="]",
)  # fmt: skip


def _arrow_strings(values: Any) -> Any:
    """`values` as Arrow strings (missing values null), not escaped."""
    import pyarrow as pa

    return values if isinstance(values, pa.Array) else pa.array(values, type=pa.string(), from_pandas=True)


def flat_shape(finish: Callable[[Any], Any] | None = None) -> _Shape:
    """The CSV's evidence: "kind: detail" items joined by " | " (`reports.dataframes.evidence`);
    `finish` rewrites each array of items (the redaction)."""
    return _Shape(
        escape=_arrow_strings,
        item=lambda item: f"{item.get('kind')}: {item.get('detail', '')}",
        head=lambda kind: f"{kind}: ",
        literal=lambda text: text,
        tail="", sep=" | ", open="", close="",
        finish=finish or (lambda items: items),
    )  # fmt: skip


def _json_lines(rows: _ContactRows, a: int, b: int, t: Callable[[str], str]) -> bytes:
    """Contacts a..b-1 as one JSON object each, joined by ",\\n    ", as UTF-8."""
    import pyarrow as pa
    import pyarrow.compute as pc

    c, reread = rows.read_arrow(a, b)
    read: dict[str, Any] = {}
    for name in ("id", "external_id", "channel", "to", "from", "heard_name", "text", "caller_name", "batch_id"):
        if name in reread:
            read[name] = _json_strings(reread[name])
        elif name in c:
            read[name] = _json_strings(c[name])
        else:
            read[name] = pa.array(["null"] * (b - a))
    read["at"] = pc.binary_join_element_wise('"', pa.array(_seconds(c["at"].to_numpy())), 'Z"', "")
    attributed = rows._attributed(a, b)
    parts = [
        read["id"], read["external_id"], read["channel"], read["at"], read["to"], read["from"],
        read["caller_name"], read["heard_name"], read["text"],
        _json_strings(pd.Series(attributed["platform"], dtype=object)),
        _json_floats(np.array(attributed["confidence"], dtype=np.float64)),
        rows.cands.json(a, b),
        _json_evidence(rows.view, rows.best, a, b, t),
        _json_strings(pd.Series(attributed["campaign"], dtype=object)),
        read["batch_id"],
    ]  # fmt: skip
    return _joined_lines(parts)


def _joined_lines(parts: list[Any]) -> bytes:
    """One JSON object per row from `parts` (each key's values as JSON text, Arrow strings, in
    CONTACT_KEYS' order), the lines joined by ",\\n    ", as UTF-8: put together by Arrow's
    element-wise join, each line ending in the separator, so that the lines are one run of
    Arrow's buffer (a Python bytes object per value, joined by Python's %, took four times as
    long)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pieces: list[Any] = []
    for n, (key, part) in enumerate(zip(CONTACT_KEYS, parts, strict=True)):
        pieces += [("{" if n == 0 else ",") + f'"{key}":', _plain(part)]
    lines = pc.binary_join_element_wise(*pieces, "}" + _LINE_SEP, "")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
    data = lines.buffers()[2]
    return data[int(offsets[0]) : int(offsets[-1]) - len(_LINE_SEP)].to_pybytes()


_LINE_SEP = ",\n    "


def _plain(values: Any) -> Any:
    """Arrow strings with 32-bit offsets, as `_joined_lines` joins them."""
    import pyarrow as pa

    return values.cast(pa.string()) if values.type != pa.string() else values


def _arrow(column: pd.Series) -> Any:
    """A frame's column as Arrow strings (missing values null): an Arrow-backed column as it is,
    objects converted."""
    import pyarrow as pa

    if column.dtype != object:
        return _plain(pa.array(column.array))
    return pa.array(column.to_numpy(), type=pa.string(), from_pandas=True)


def _escaped(values: Any) -> Any:
    """Each string as the inside of a JSON string (orjson's escaping), missing values kept
    missing, as Arrow strings. Escaping goes character by character, so the escaped pieces of a
    text joined are the escaped text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string(), from_pandas=True)
    needed = _needing_escape(strings)
    if not needed.any():
        return strings
    escape = pa.array(needed)
    dumped = [orjson.dumps(s).decode()[1:-1] for s in strings.filter(escape).to_pylist()]
    return pc.replace_with_mask(strings, escape, pa.array(dumped, type=pa.string()))


def _needing_escape(strings: pa.Array) -> np.ndarray:
    """Which of `strings` hold a character orjson escapes (`_NEEDS_ESCAPE`), missing values not,
    as booleans: one NumPy pass over the UTF-8 bytes, each byte found mapped to its string by the
    offsets. Every byte of a character beyond ASCII is 0x80 or above, so a byte below 0x20, a
    quote or a backslash is that character (Arrow's regex over every text took 3.5 times as long)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wide = pa.types.is_large_string(strings.type)
    if not (wide or pa.types.is_string(strings.type)):  # another layout: Arrow's regex reads it
        return pc.fill_null(pc.match_substring_regex(strings, _NEEDS_ESCAPE), False).to_numpy(zero_copy_only=False)
    n = len(strings)
    found = np.zeros(n, dtype=bool)
    _, offset_buffer, data = strings.buffers()
    if not n or data is None:
        return found
    width = np.dtype(np.int64 if wide else np.int32)
    offsets = np.frombuffer(offset_buffer, dtype=width, count=n + 1, offset=strings.offset * width.itemsize)
    start = int(offsets[0])
    raw = np.frombuffer(data, dtype=np.uint8, count=int(offsets[-1]) - start, offset=start)
    at = np.flatnonzero((raw < 0x20) | (raw == 0x22) | (raw == 0x5C)) + start
    found[np.searchsorted(offsets, at, side="right") - 1] = True
    if strings.null_count:
        found &= strings.is_valid().to_numpy(zero_copy_only=False)
    return found


def _json_strings(values: pd.Series | pa.Array | pa.ChunkedArray) -> Any:
    """Each value as JSON text (orjson's escaping; missing values null), as Arrow strings. A
    column of Python objects (numbers, channels, platforms, campaigns: a few thousand distinct
    values over a million contacts) is escaped once per distinct value; Arrow strings (ids,
    texts) as they are, with no Python string per value."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(values, pd.Series) and values.dtype == object:
        codes, uniques = pd.factorize(values.to_numpy(), use_na_sentinel=True)
        texts = _json_strings(pa.array(uniques, type=pa.string(), from_pandas=True))
        return pc.fill_null(texts.take(pa.array(codes, mask=codes < 0)), "null")
    if isinstance(values, pd.Series):
        values = _arrow(values)
    elif isinstance(values, pa.ChunkedArray):
        values = _plain(values.combine_chunks())
    quoted = pc.binary_join_element_wise('"', _escaped(_plain(values)), '"', "")
    return pc.fill_null(quoted, "null")


def _json_floats(values: np.ndarray) -> Any:
    """Each float as orjson writes it, written once per distinct value (by its bits)."""
    import pyarrow as pa

    distinct, first, inverse = np.unique(values.view(np.int64), return_index=True, return_inverse=True)
    texts = pa.array([orjson.dumps(x).decode() for x in values[first].tolist()], type=pa.string())
    return texts.take(pa.array(inverse.ravel()))


def _distinct(keys: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct combination of `keys` (equal-length arrays) and each row's
    combination (an index into the first rows). None and NaN are told apart."""
    code = np.zeros(len(keys[0]), dtype=np.int64)
    for key in keys:
        values = np.asarray(key, dtype=object).copy()
        values[[x is None for x in values.tolist()]] = _NONE  # factorize takes None for NaN
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        code = code * (len(uniques) + 1) + codes
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    return first, inverse.ravel()


def _spread(n: int, rows: np.ndarray, values: Any, inverse: np.ndarray | None = None) -> Any:
    """`values` (one per row of `rows`, or per distinct value through `inverse`) at their rows'
    positions among n, null elsewhere."""
    import pyarrow as pa

    where = np.full(n, -1, dtype=np.int64)
    where[rows] = np.arange(len(rows)) if inverse is None else inverse
    return values.take(pa.array(where, mask=where < 0))


def _per_distinct(
    n: int, rows: np.ndarray, keys: list[Any], compute: Callable[..., Any], shape: _Shape | None = None
) -> Any:
    """An evidence item's text (`shape`'s, JSON by default) for each of `rows` (positions among n),
    `compute(*key values)` made once per distinct combination of `keys` (arrays over `rows`);
    null at the other positions."""
    import pyarrow as pa

    shape = shape or _JSON
    if not len(rows):
        return pa.nulls(n, pa.string())
    first, inverse = _distinct(keys)
    firsts = [np.asarray(key, dtype=object)[first].tolist() for key in keys]
    texts = pa.array([shape.item(compute(*values)) for values in zip(*firsts, strict=True)], type=pa.string())
    return _spread(n, rows, texts, inverse)


def _texts(keys: list[Any], compute: Callable[..., str], escape: Callable[[Any], Any] | None = None) -> Any:
    """`compute(*key values)` for each row of `keys`, once per distinct combination, escaped
    (`escape`; JSON's by default) as Arrow strings."""
    import pyarrow as pa

    if not len(keys[0]):
        return pa.array([], type=pa.string())
    first, inverse = _distinct(keys)
    firsts = [np.asarray(key, dtype=object)[first].tolist() for key in keys]
    texts = (escape or _escaped)([compute(*values) for values in zip(*firsts, strict=True)])
    return texts.take(pa.array(inverse))


def _templated(
    n: int, rows: np.ndarray, kind: str, template: str, fields: Mapping[str, Any], shape: _Shape | None = None
) -> Any:
    """{"kind": kind, "detail": template.format(**fields)} as `shape` writes an item (JSON by
    default) at `rows` (positions among n), null elsewhere, put together by Arrow: `fields` are
    strings over `rows`, escaped as `shape` escapes."""
    import string

    import pyarrow as pa
    import pyarrow.compute as pc

    shape = shape or _JSON
    if not len(rows):
        return pa.nulls(n, pa.string())
    parts: list[Any] = [shape.head(kind)]
    for literal, name, spec, conversion in string.Formatter().parse(template):
        parts.append(shape.literal(literal))
        if name is not None:
            if spec or conversion or name not in fields:  # not one of ours: format each row in Python
                raise ValueError(f"unexpected field {{{name}}} in {template!r}")
            parts.append(fields[name])
    return _spread(n, rows, pc.binary_join_element_wise(*parts, shape.tail, ""))


def _json_evidence(
    v: _View, best: _BestPairs, a: int, b: int, t: Callable[[str], str], shape: _Shape | None = None
) -> Any:
    """Each contact's evidence list (what `_evidence` gives, item for item) as `shape` writes it:
    JSON by default, or the CSV's flat "kind: detail | …" (`_FLAT`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    shape = shape or _JSON
    esc = shape.escape
    n = b - a
    fp = np.asarray(v.first_party[a:b], dtype=bool)
    pair = best.arrays(a, b)
    alone = np.flatnonzero(~fp & ~pair["has"])
    rows = np.flatnonzero(pair["has"] & ~fp)
    got = {col: pair[col][rows] for col in _BestPairs.COLUMNS}
    p = got["p"].astype(np.int64)
    if shape is _JSON:
        if v.names is None:
            v.names = _escaped(v.platforms)
        names = v.names
    else:
        names = esc(v.platforms)
    platform = names.take(pa.array(p))
    shown, _ = v.identifiers(a, b, rows, esc)
    published = np.array([bool(x) for x in got["published"].tolist()], dtype=bool)
    share = got["shared"].astype(np.int64)
    email = np.equal(got["via"], "email")
    only_alias, only_number = (share == 1) & ~published & email, (share == 1) & ~published & ~email
    shared = (share != 1) & ~published
    shown_alone, control = v.identifiers(a, b, alone, esc)
    reasons = np.where(control, t("a control number, never given out"), t("no canary was issued on it before this contact"))
    identifier = [
        _templated(n, alone, "identifier", t("reached {to}: {reason}"),
                   {"to": shown_alone, "reason": esc(reasons.astype(object))}, shape),
        _templated(n, rows[published], "identifier", t("reached your own number {to}: the number alone points at no platform"),
                   {"to": shown.filter(pa.array(published))}, shape),
        _templated(n, rows[only_alias], "identifier", t("reached the alias {to}, given only to {platform}"),
                   {"to": shown.filter(pa.array(only_alias)), "platform": platform.filter(pa.array(only_alias))}, shape),
        _templated(n, rows[only_number], "identifier", t("reached the number {to}, given only to {platform}"),
                   {"to": shown.filter(pa.array(only_number)), "platform": platform.filter(pa.array(only_number))}, shape),
        _templated(n, rows[shared], "identifier",
                   t("reached {to}, shared by {n} canaries: the number alone cannot tell them apart"),
                   {"to": shown.filter(pa.array(shared)), "n": pc.cast(pa.array(share[shared]), pa.string())}, shape),
    ]  # fmt: skip
    items = [
        _per_distinct(n, np.flatnonzero(fp), [v.fp_reason[a:b][fp], v.fp_platform[a:b][fp]],
                      lambda reason, who: _first_party_item(reason, who, t), shape),
        pc.coalesce(*identifier),
    ]  # fmt: skip
    named = np.isin(np.asarray(got["name_kind"], dtype=object), ["full", "surname", "given", "other"])
    items.append(_per_distinct(n, rows[named], [got["name_kind"][named], p[named], got["key"][named]],
                               lambda kind, p_, key: _name_detail({"name_kind": kind, "key": key},
                                                                  v.platforms[int(p_)], t)[0], shape))  # fmt: skip
    proven = np.asarray(v.proof[a:b])[rows]
    items.append(_per_distinct(n, rows[proven > 0], [proven[proven > 0], p[proven > 0]],
                               lambda code, p_: _proof_item(int(code), v.platforms[int(p_)], t), shape))  # fmt: skip
    marked = np.array([bool(x) for x in got["token"].tolist()], dtype=bool)
    items.append(_per_distinct(n, rows[marked], [p[marked]], lambda p_: _marker_item(v.platforms[int(p_)], t), shape))
    signup = np.asarray(v.signup, dtype=np.float64)
    hours = (np.asarray(v.at[a:b], dtype=np.float64)[rows] - signup[got["j"].astype(np.int64)]) / 3600
    unit, count = _delays(hours)
    delay = _texts([unit, count], lambda unit_, count_: _delay(int(unit_), int(count_), t), esc)
    items.append(_templated(n, rows, "timing", t("{delay} after the signup at {platform}"),
                            {"delay": delay, "platform": platform}, shape))  # fmt: skip
    topic = np.asarray(v.topic[a:b], dtype=object)[rows]
    topical = np.array([isinstance(x, str) for x in topic.tolist()], dtype=bool)
    items.append(_per_distinct(n, rows[topical], [topic[topical]], lambda topic_: _topic_item(topic_, t), shape))
    campaign = np.asarray(v.campaign[a:b], dtype=object)
    grouped = np.flatnonzero(~fp & np.array([isinstance(x, str) for x in campaign.tolist()], dtype=bool))
    others = np.asarray(v.campaign_size[a:b])[grouped].astype(np.int64) - 1
    items.append(_templated(n, grouped, "campaign",
                            t("same caller, callback number or template as {n} other contacts ({campaign})"),
                            {"n": pc.cast(pa.array(others), pa.string()), "campaign": esc(campaign[grouped])}, shape))  # fmt: skip
    joined = pc.binary_join_element_wise(*map(shape.finish, items), shape.sep, null_handling="skip")
    return pc.binary_join_element_wise(shape.open, pc.fill_null(joined, ""), shape.close, "")


def _delays(hours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What `_ago` says of each of `hours`, as (unit, count): 0 whole minutes, 1 tenths of an hour,
    2 whole days. NumPy's `rint` rounds as "%.0f" does; tenths are `rint(hours * 10)` except where
    the product lies so near a half that its own rounding could matter, which Python formats."""
    minutes, days = hours < 1, hours >= 48
    unit = np.where(minutes, 0, np.where(days, 2, 1))
    scaled = hours * 10
    count = np.where(minutes, np.rint(np.maximum(hours * 60, 0)), np.where(days, np.rint(hours / 24), np.rint(scaled)))
    count = count.astype(np.int64)
    near = (unit == 1) & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for i in np.flatnonzero(near).tolist():
        count[i] = int(f"{hours[i]:.1f}".replace(".", ""))
    return unit, count


def _rounded(values: np.ndarray) -> np.ndarray:
    """`round(x, 4)` of each of `values` (float64), as Python rounds: the decimal rounding of x
    itself. NumPy's rint(x * 10**4) / 10**4 is the same double (the quotient of an integer by
    10**4, correctly rounded) wherever it rounds x * 10**4 to the same integer, which it does
    except where the exact product lies so near a half that the product's own rounding could
    tip it; those, and values too large for the product to be exact, Python rounds."""
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # NaN and infinities: Python rounds them
        scaled = values * 1e4
        out = np.rint(scaled) / 1e4
        doubtful = (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6) | ~(np.abs(values) < 2.0**31)
    for i in np.flatnonzero(doubtful).tolist():
        out[i] = round(float(values[i]), 4)
    return out


def _delay(unit: int, count: int, _: Callable[[str], str] = _) -> str:
    if unit == 0:
        return _("{n} min").format(n=str(count))
    if unit == 1:
        return _("{n} h").format(n=f"{count // 10}.{count % 10}")
    return _("{n} days").format(n=str(count))


__all__ = ["CONTACT_KEYS", "DAY", "Attribution", "ContactResult", "attribute", "write_json"]
