"""The attribution report: the contract's JSON shape and the same data as DataFrames."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, TextIO

import numpy as np
import orjson
import pandas as pd

from tracer import collector, phones, times
from tracer.attribution import verdicts
from tracer.attribution.inputs import ELEMENTWISE, Inputs, elementwise, interned, is_elementwise
from tracer.attribution.model import DAY, Fit, fit
from tracer.i18n import _

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

    def write_json(self, out: TextIO) -> None:
        """The `to_dict()` document, written contact by contact (`write_json`)."""
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
    out: TextIO,
    default: Callable[[Any], Any] | None = None,
) -> None:
    """The one writer of a report's JSON (`tracer report --format json`, streamed or rendered):
    `head`'s keys indented, then one compact contact per line (orjson, several times faster than
    the standard library's C encoder; written in blocks of `_LINES`), then the campaigns.
    `default` converts what JSON has no type for (datetimes, sets)."""
    body = json.dumps({**head, "contacts": []}, ensure_ascii=False, indent=2, default=default)
    start, _, _ = body.rpartition("[]")
    out.write(start + "[")
    block: list[str] = []
    n = 0
    for n, contact in enumerate(contacts, start=1):
        block.append(("," if n > 1 else "") + "\n    " + orjson.dumps(contact, default=default, option=_ORJSON).decode())
        if len(block) >= _LINES:
            out.write("".join(block))
            block.clear()
    out.write("".join(block))
    listed = json.dumps(campaigns, ensure_ascii=False, indent=2, default=default)
    out.write(("\n  ]" if n else "]") + ',\n  "campaigns": ' + listed.replace("\n", "\n  ") + "\n}\n")


def attribute(inputs: Inputs) -> Attribution:
    """Attribute every contact in `inputs` and judge every platform."""
    inputs = _plain_strings(inputs)
    if inputs.canaries.empty:
        return _unattributed(inputs)
    model = fit(inputs)
    attributed = verdicts.contact_platforms(model, inputs)
    platforms = verdicts.platforms(model, inputs, attributed)
    campaigns = _campaigns(model, inputs, attributed)
    links = _links(campaigns)
    platforms["linked_platforms"] = platforms["platform"].map(lambda p: sorted(links.get(p, ())))
    rows = _contact_rows(model, inputs, attributed)
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
    frame = pd.DataFrame(
        {"id": model.contacts["campaign"], "from": c["from"], "platform": attributed}
    ).dropna(subset=["id"])
    # only campaigns that reached an attributed contact are listed: select them before grouping
    # (most campaigns are background spam, and each group costs a Python step)
    frame = frame[frame["id"].isin(frame.loc[frame["platform"].notna(), "id"].unique())]
    rows = []
    for gid, group in frame.groupby("id", sort=True):
        platforms = sorted(group["platform"].dropna().unique())
        if not platforms:
            continue
        callers = sorted(group["from"].dropna().unique())
        rows.append({"id": gid, "callers": callers[:50], "platforms": platforms, "contacts": int(len(group))})
    return pd.DataFrame(rows, columns=["id", "callers", "platforms", "contacts"])


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
    ) -> None:
        self.contacts, self.fit, self.view, self.cands, self.best = contacts, fit, view, cands, best

    def __len__(self) -> int:
        return len(self.contacts)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        t = _Translated()  # each message translated once per pass, in the language of the pass
        for start in range(0, len(self), _LINES):
            yield from self.block(start, min(start + _LINES, len(self)), t)

    def row(self, i: int, t: Callable[[str], str] = _) -> dict[str, Any]:
        return next(self.block(i, i + 1, t))

    def block(self, a: int, b: int, t: Callable[[str], str] = _) -> Iterator[dict[str, Any]]:
        """The rows of contacts a..b-1 (`t` stands in for `_`)."""
        cols = {**_as_read(self.contacts.iloc[a:b]), **self._attributed(a, b)}
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
        first_party = self.view.first_party[a:b].tolist()
        confidence = [
            round(1.0 - tp if fp else (tp if pl else pb), 4)
            for tp, pb, pl, fp in zip(
                f["top_post"][a:b].tolist(), f["p_null"][a:b].tolist(), platform, first_party, strict=True
            )
        ]
        campaign = [g if isinstance(g, str) else None for g in self.view.campaign[a:b].tolist()]
        return {"platform": platform, "confidence": confidence, "campaign": campaign}


def _contact_rows(model: Fit, inputs: Inputs, attributed: pd.Series) -> _ContactRows:
    c = inputs.contacts.reset_index(drop=True)
    s = model.contacts
    view = _View(
        to=c["to"].to_numpy(dtype=object),
        at=c["at"].to_numpy(),
        topic=_shared(model.feats["topic"]),
        first_party=s["first_party"].to_numpy(),
        fp_platform=_shared(s["fp_platform"]),
        fp_reason=_shared(s["fp_reason"]),
        campaign=_shared(s["campaign"]),
        campaign_size=s["campaign"].map(s["campaign"].value_counts()).fillna(0).to_numpy(),
        signup=inputs.canaries["issued_at"].tolist(),
        controls=inputs.controls,
        platforms=inputs.platforms,
    )
    fit = {
        "top_post": s["top_post"].to_numpy(),
        "p_null": s["p_null"].to_numpy(),
        "platform": attributed.to_numpy(dtype=object),
    }
    return _ContactRows(c, fit, view, _Candidates(model, inputs), _BestPairs(model))


def _unattributed(inputs: Inputs) -> Attribution:
    """No canary yet (the README's order: init, import, report): every contact is listed, none
    can be attributed, each is background with certainty."""
    campaigns = pd.DataFrame(columns=["id", "callers", "platforms", "contacts"])
    platforms = pd.DataFrame(columns=["platform", "verdict", "confidence", "contacts", "linked_platforms"])
    rows = _BareRows(inputs.contacts.reset_index(drop=True))
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

    def __init__(self, contacts: pd.DataFrame) -> None:
        self.contacts = contacts

    def block(self, a: int, b: int, t: Callable[[str], str] = _) -> Iterator[dict[str, Any]]:
        cols = {**_as_read(self.contacts.iloc[a:b]), **_BARE}
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


def _iso_seconds(epoch: np.ndarray) -> list[str]:
    """`times.iso` of each whole second, for a million contacts at once."""
    stamps = np.datetime_as_string(epoch.astype(np.int64).astype("datetime64[s]"), unit="s")
    return [f"{stamp}Z" for stamp in stamps.tolist()]


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
    signup: list[float]
    controls: frozenset[str]
    platforms: list[str]

    def block(self, a: int, b: int) -> _View:
        """Contacts a..b-1, as lists indexed from 0."""
        per_contact = ("to", "at", "topic", "first_party", "fp_platform", "fp_reason", "campaign", "campaign_size")
        return replace(self, **{name: getattr(self, name)[a:b].tolist() for name in per_contact})


def _none(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    return None if value is None or value is pd.NA else value


class _Candidates:
    """Per contact: its candidate platforms (posterior 0.005 or more, most likely first, at most
    MAX_CANDIDATES), kept as arrays sorted by contact and turned into dicts a block at a time."""

    def __init__(self, model: Fit, inputs: Inputs) -> None:
        ip = model.pairs[["i", "p"]].drop_duplicates().merge(model.ip, on=["i", "p"], how="left")
        ip = ip[ip["post"] >= 0.005].sort_values(["i", "post"], ascending=[True, False])
        self.i, self.p, self.post = ip["i"].to_numpy(), ip["p"].to_numpy(), ip["post"].to_numpy()
        self.platforms = inputs.platforms

    def block(self, a: int, b: int) -> dict[int, list[dict[str, Any]]]:
        """Contact (counted from a) -> its candidates, for contacts a..b-1 that have any."""
        lo, hi = np.searchsorted(self.i, [a, b])
        out: dict[int, list[dict[str, Any]]] = {}
        for i, p, post in zip(self.i[lo:hi].tolist(), self.p[lo:hi].tolist(), self.post[lo:hi].tolist(), strict=True):
            row = out.setdefault(i - a, [])
            if len(row) < MAX_CANDIDATES:
                row.append({"platform": self.platforms[p], "p": round(post, 4)})
        return out


class _BestPairs:
    """Per contact: its best pair with its top platform (the one whose evidence is shown), kept
    as arrays sorted by contact and turned into dicts a block at a time."""

    COLUMNS = ("i", "p", "j", "shared", "published", "via", "token", "name_kind", "key")

    def __init__(self, model: Fit) -> None:
        mine = model.pairs.loc[model.on_top(), [*self.COLUMNS, "lr"]]  # only what evidence shows
        mine = mine.sort_values("lr", ascending=False).drop_duplicates("i").sort_values("i")
        self.values = {col: _shared(mine[col]) for col in self.COLUMNS}

    def block(self, a: int, b: int) -> dict[int, dict[str, Any]]:
        """Contact (counted from a) -> its best pair, for contacts a..b-1 that have one."""
        lo, hi = np.searchsorted(self.values["i"], [a, b])
        columns = {col: values[lo:hi].tolist() for col, values in self.values.items()}
        return {
            i - a: {col: columns[col][n] for col in self.COLUMNS} for n, i in enumerate(columns["i"])
        }


def _evidence(i: int, v: _View, pair: dict[str, Any] | None, _: Callable[[str], str] = _) -> list[dict[str, str]]:
    if v.first_party[i]:
        who = v.fp_platform[i]
        return [
            {
                "kind": "first-party",
                "detail": _(str(v.fp_reason[i])) + (f" ({who})" if isinstance(who, str) else ""),
            }
        ]
    to = v.to[i]
    shown = _shown(to)
    ev: list[dict[str, str]] = []
    if pair is None:
        reason = (
            _("a control number, never given out")
            if to in v.controls
            else _("no canary was issued on it before this contact")
        )
        ev.append({"kind": "identifier", "detail": _("reached {to}: {reason}").format(to=shown, reason=reason)})
    else:
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
        ev.append({"kind": "identifier", "detail": detail})
        ev.extend(_name_detail(pair, platform, _))
        if pair["token"]:
            ev.append({"kind": "marker", "detail": _("the text repeats a marker given only to {platform}").format(
                platform=platform)})
        hours = (v.at[i] - v.signup[int(pair["j"])]) / 3600
        ev.append({"kind": "timing", "detail": _("{delay} after the signup at {platform}").format(
            delay=_ago(hours, _), platform=platform)})
        if isinstance(v.topic[i], str):
            ev.append({"kind": "category", "detail": _("topic: {topic}").format(topic=v.topic[i])})
    if isinstance(v.campaign[i], str):
        ev.append(
            {
                "kind": "campaign",
                "detail": _("same caller, callback number or template as {n} other contacts ({campaign})").format(
                    n=int(v.campaign_size[i]) - 1, campaign=v.campaign[i]
                ),
            }
        )
    return ev


def _name_detail(pair: dict[str, Any], platform: str, _: Callable[[str], str] = _) -> list[dict[str, str]]:
    kind = pair["name_kind"]
    if kind == "full":
        return [{"kind": "name", "detail": _("the caller used the full name given to {platform}").format(
            platform=platform)}]
    if kind == "surname":
        detail = _("the caller used the surname given to {platform} ('{key}')")
        return [{"kind": "name", "detail": detail.format(platform=platform, key=pair["key"])}]
    if kind == "given":
        detail = _("the caller used the given name given to {platform} ('{key}')")
        return [{"kind": "name", "detail": detail.format(platform=platform, key=pair["key"])}]
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


def _ago(hours: float, _: Callable[[str], str] = _) -> str:
    if hours < 1:
        return _("{n} min").format(n=f"{max(hours * 60, 0):.0f}")
    if hours < 48:
        return _("{n} h").format(n=f"{hours:.1f}")
    return _("{n} days").format(n=f"{hours / 24:.0f}")


__all__ = ["CONTACT_KEYS", "DAY", "Attribution", "ContactResult", "attribute", "write_json"]
