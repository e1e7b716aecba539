"""`python -m benchmarks.accuracy [--worlds 20] [--seed0 100] [--variant NAME] [--out FILE.json]`

Attribution accuracy over N seeded worlds of different shapes. Each world runs the real pipeline
exactly as `tracer demo` does (`tracer.demo.run` in a temporary folder), and its JSON report is
scored against the simulator's truth.json:

- platforms: precision and recall of the verdict `leaked` (recall over every leaked platform, and
  over the detectable ones: a leak contact with identifying evidence exists); `suspected` counted
  apart.
- contacts: accuracy on leak contacts that carry identifying evidence; the share of background
  (and previous-owner) contacts, and of first-party contacts, wrongly given a platform.
- calibration: expected calibration error of the contact `confidence` (10 equal-width bins).
- broker links: the share of platform pairs sold to one broker that `linked_platforms` shows.
- two baselines without the model, from the same files and identities (see `baseline`).

Every world's Shape is derived from its seed alone (`shape_for`), so a run is reproducible;
`--variant` departs from it the way `tracer.simulate.variants` names (busier or quieter lines,
recycled numbers, late leaks, resold records, fresh caller IDs, mangled names, …), same seeds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from random import Random
from typing import Any

BACKGROUND = ("background", "previous-owner")
BINS = 10
TARGETS = {
    "precision": (">=", 1.0),
    "recall_all": (">=", 0.95),
    "recall_detectable": (">=", 0.95),
    "identifying_accuracy": (">=", 0.98),
    "background_wrong": ("<=", 0.01),
    "ece": ("<=", 0.05),
    "window_coverage": ("in", (0.85, 0.95)),
}
# Which value a target is judged on: these must hold in every world (the worst world), the
# others over all worlds pooled (a world has too few leaked platforms for its own coverage).
PER_WORLD = ("identifying_accuracy", "background_wrong")
SYSTEMS = ("model", "identity", "identity_name")
_TITLES_ZH = ("先生", "女士")
_TITLES_EN = ("Mr", "Mr.", "Ms", "Ms.")


# --------------------------------------------------------------------------------------------
# Worlds


def shape_for(seed: int, variant: str = "") -> Any:
    """The Shape of world `seed`: every knob drawn from a stream seeded by `seed` alone, then
    changed as `variant` (a name in `tracer.simulate.variants.VARIANTS`) says."""
    from tracer.simulate import variants

    return variants.apply(_drawn_shape(seed), variant)


def _drawn_shape(seed: int) -> Any:
    from tracer import simulate

    rng = Random(f"accuracy-shape/{seed}")
    pool = rng.randint(0, 4)
    mix = [rng.uniform(0.1, 1.0) for _ in range(3)]
    total = sum(mix)
    return simulate.Shape(
        seed=seed,
        locale=rng.choice(("zh_CN", "en_US")),
        platforms=rng.randint(10, 60),
        days=rng.randint(90, 365),
        pool=pool,
        controls=rng.randint(0, min(2, pool)),
        recycled=rng.randint(0, min(2, pool)),
        leak_share=round(rng.uniform(0.2, 0.6), 3),
        heard_share=round(rng.uniform(0.2, 0.8), 3),
        signup_span=round(rng.uniform(0.4, 0.8), 3),
        background_rate=round(rng.uniform(0.06, 0.2), 3),
        primary_rate=round(rng.uniform(0.3, 0.5), 3),
        previous_owner_rate=round(rng.uniform(0.1, 0.3), 3),
        mail_background_rate=round(rng.uniform(0.01, 0.05), 3),
        partners_share=round(mix[0] / total, 3),
        breach_share=round(mix[1] / total, 3),
        broker_share=round(mix[2] / total, 3),
    )


# --------------------------------------------------------------------------------------------
# Matching report contacts (and imported records) to truth keys


def _seconds(at: str | datetime) -> str:
    """UTC, second precision (truncated), with Z: the `at` of a truth key."""
    moment = datetime.fromisoformat(at.replace("Z", "+00:00")) if isinstance(at, str) else at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def contact_key(
    channel: str, external_id: str | None, to: str | None, at: str | datetime, sender: str | None
) -> str:
    """The truth key a report contact (or an imported record) should have."""
    if channel == "sms":
        return f"sms|{to or ''}|{_seconds(at)}|{sender or ''}"
    return (external_id or "").strip().strip("<>")


class Matcher:
    """Truth keys by exact key; SMS also by (line, second) with a sender compared by its digits
    (the importer writes a 106 service code as +86106…, truth keeps it as sent)."""

    def __init__(self, truth: dict[str, Any]) -> None:
        self.by_key = {c["key"]: c for c in truth["contacts"]}
        self._sms: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for key in self.by_key:
            if key.startswith("sms|"):
                _, to, at, sender = key.split("|", 3)
                self._sms[(to, at)].append((_digits(sender), key))

    def find(
        self, channel: str, external_id: str | None, to: str | None, at: str | datetime, sender: str | None
    ) -> str | None:
        key = contact_key(channel, external_id, to, at, sender)
        if key in self.by_key:
            return key
        if channel != "sms":
            return None
        mine = _digits(sender)
        hits = [
            k
            for digits, k in self._sms.get((to or "", _seconds(at)), [])
            if digits == mine or (digits and mine and (mine.endswith(digits) or digits.endswith(mine)))
        ]
        return hits[0] if len(hits) == 1 else None


def match_report(report: dict[str, Any], truth: dict[str, Any]) -> tuple[list[tuple[dict, dict]], int]:
    """(report contact, truth contact) pairs, and how many report contacts found no truth key."""
    matcher = Matcher(truth)
    pairs, missing = [], 0
    for contact in report["contacts"]:
        key = matcher.find(
            contact["channel"],
            contact.get("external_id"),
            contact.get("to"),
            contact["at"],
            contact.get("from"),
        )
        if key is None:
            missing += 1
        else:
            pairs.append((contact, matcher.by_key[key]))
    return pairs, missing


# --------------------------------------------------------------------------------------------
# Scores


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def truly_leaked(truth: dict[str, Any]) -> set[str]:
    return {p for p, v in truth["platforms"].items() if v["leaked"]}


def detectable(truth: dict[str, Any]) -> set[str]:
    """Leaked platforms with at least one leak contact that carries identifying evidence."""
    leaked = truly_leaked(truth)
    return {
        c["platform"]
        for c in truth["contacts"]
        if c["cause"] == "leak" and c["identifying"] and c["platform"] in leaked
    }


def platform_scores(
    found: Iterable[str], truth: dict[str, Any], suspected: Iterable[str] = ()
) -> dict[str, Any]:
    """Precision of `found` (the platforms called leaked) and its recall over all leaked and over
    detectable platforms; undefined ratios are None. Counts go along for pooling."""
    found, suspected = set(found), set(suspected)
    leaked, visible = truly_leaked(truth), detectable(truth)
    return {
        "found": len(found),
        "true_positives": len(found & leaked),
        "leaked": len(leaked),
        "found_of_leaked": len(found & leaked),
        "detectable": len(visible),
        "found_of_detectable": len(found & visible),
        "precision": _ratio(len(found & leaked), len(found)),
        "recall_all": _ratio(len(found & leaked), len(leaked)),
        "recall_detectable": _ratio(len(found & visible), len(visible)),
        "suspected": len(suspected),
        "suspected_leaked": len(suspected & leaked),
    }


def window_scores(report: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    """Does each `leak_window` of a truly leaked platform hold the moment its data first reached a
    caller (truth's `leak_moment`)? Widths in days go along."""
    windows = covered = 0
    widths = []
    for p in report["platforms"]:
        window = p.get("leak_window")
        moment = truth["platforms"].get(p["platform"], {}).get("leak_moment")
        if not window or not moment:
            continue
        start, end, at = (_moment(x) for x in (window["from"], window["to"], moment))
        windows += 1
        covered += start <= at <= end
        widths.append((end - start).total_seconds() / 86400)
    return {
        "windows": windows,
        "windows_covered": covered,
        "window_coverage": _ratio(covered, windows),
        "window_days": sorted(widths)[len(widths) // 2] if widths else None,
    }


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def contact_scores(attributed: dict[str, str | None], truth: dict[str, Any]) -> dict[str, Any]:
    """`attributed`: truth key -> platform (None = no platform). Keys missing from it count as
    None. Identifying accuracy is over leak contacts only: a first-party contact is right when it
    is *not* attributed, and is scored as `first_party_wrong`."""
    ident = ident_right = bg = bg_wrong = fp = fp_wrong = leaks = leak_right = 0
    for c in truth["contacts"]:
        got = attributed.get(c["key"])
        if c["cause"] == "leak":
            leaks += 1
            leak_right += got == c["platform"]
            if c["identifying"]:
                ident += 1
                ident_right += got == c["platform"]
        elif c["cause"] in BACKGROUND:
            bg += 1
            bg_wrong += got is not None
        elif c["cause"] == "first-party":
            fp += 1
            fp_wrong += got is not None
    return {
        "identifying": ident,
        "identifying_right": ident_right,
        "identifying_accuracy": _ratio(ident_right, ident),
        "leak_contacts": leaks,
        "leak_right": leak_right,
        "leak_recall": _ratio(leak_right, leaks),
        "background": bg,
        "background_attributed": bg_wrong,
        "background_wrong": _ratio(bg_wrong, bg),
        "first_party": fp,
        "first_party_attributed": fp_wrong,
        "first_party_wrong": _ratio(fp_wrong, fp),
    }


def is_right(report_platform: str | None, truth_contact: dict[str, Any]) -> bool:
    """Calibration's notion of right: a leak on its platform, anything else on no platform."""
    if truth_contact["cause"] == "leak":
        return report_platform == truth_contact["platform"]
    return report_platform is None


def reliability(samples: Iterable[tuple[float, bool]], bins: int = BINS) -> list[dict[str, Any]]:
    """Equal-width bins over [0, 1] (1.0 falls in the last): count, mean confidence, accuracy."""
    count = [0] * bins
    conf = [0.0] * bins
    right = [0] * bins
    for confidence, ok in samples:
        b = min(bins - 1, max(0, int(math.floor(confidence * bins))))
        count[b] += 1
        conf[b] += confidence
        right[b] += bool(ok)
    return [
        {
            "low": b / bins,
            "high": (b + 1) / bins,
            "n": count[b],
            "right": right[b],
            "confidence": conf[b] / count[b] if count[b] else None,
            "accuracy": right[b] / count[b] if count[b] else None,
        }
        for b in range(bins)
    ]


def ece(table: Sequence[dict[str, Any]]) -> float | None:
    """Expected calibration error: sum over bins of n_b / N * |accuracy_b - confidence_b|."""
    total = sum(row["n"] for row in table)
    if not total:
        return None
    return sum(row["n"] / total * abs(row["accuracy"] - row["confidence"]) for row in table if row["n"])


def broker_links(report: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    """Share of platform pairs sold to one broker (brokers with >= 2 platforms) that
    `linked_platforms` shows, in either direction; and how many shown pairs share a broker or a
    truth centre (link precision)."""
    linked = {
        frozenset((p["platform"], q))
        for p in report["platforms"]
        for q in p.get("linked_platforms") or ()
        if q != p["platform"]
    }
    pairs = {
        frozenset((a, b))
        for broker in truth.get("brokers", ())
        for i, a in enumerate(broker["platforms"])
        for b in broker["platforms"][i + 1 :]
    }
    related = set(pairs)
    for centre in truth.get("centres", ()):
        names = centre["platforms"]
        related |= {frozenset((a, b)) for i, a in enumerate(names) for b in names[i + 1 :]}
    return {
        "broker_pairs": len(pairs),
        "broker_pairs_linked": len(pairs & linked),
        "broker_links": _ratio(len(pairs & linked), len(pairs)),
        "links": len(linked),
        "links_related": len(linked & related),
        "link_precision": _ratio(len(linked & related), len(linked)),
    }


def model_view(pairs: Sequence[tuple[dict, dict]], report: dict[str, Any]) -> dict[str, Any]:
    """The model's attributions by truth key, its verdicts, and its calibration samples."""
    verdicts = {p["platform"]: p["verdict"] for p in report["platforms"]}
    return {
        "attributed": {t["key"]: r["platform"] for r, t in pairs},
        "leaked": {p for p, v in verdicts.items() if v == "leaked"},
        "suspected": {p for p, v in verdicts.items() if v == "suspected"},
        "samples": [(float(r["confidence"]), is_right(r["platform"], t)) for r, t in pairs],
    }


# --------------------------------------------------------------------------------------------
# Baselines


@dataclass(frozen=True)
class Record:
    """An imported contact, as the baselines see it."""

    key: str
    channel: str
    to: str
    at: datetime
    sender: str
    heard_name: str = ""
    text: str = ""


@dataclass(frozen=True)
class Identity:
    """A canary as the user typed it into the signup form, plus what the user saw come back from
    the platform itself at signup (its SMS sender, its mail domain)."""

    platform: str
    at: datetime
    phone: str
    name: str
    email: str | None = None
    own_sms: str = ""
    own_domain: str = ""


@dataclass
class Baseline:
    attributed: dict[str, str | None] = field(default_factory=dict)
    leaked: set[str] = field(default_factory=set)
    own_skipped: int = 0


def name_forms(name: str, locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(full-name forms, surname+title forms) a caller could say or write."""
    from canaries import split_name

    surname, _ = split_name(name)
    full = (name, name.replace(" ", "")) if locale.startswith("zh") else (name,)
    if not surname:
        return tuple(set(full)), ()
    if locale.startswith("zh"):
        titled = tuple(surname + t for t in _TITLES_ZH)
    else:
        titled = tuple(f"{t} {surname}" for t in _TITLES_EN)
    return tuple(set(full)), titled


def _contains(text: str, form: str, latin: bool) -> bool:
    if not latin:
        return form in text
    return re.search(rf"(?<![A-Za-z]){re.escape(form.lower())}(?![A-Za-z])", text.lower()) is not None


def _own(identity: Identity, record: Record) -> bool:
    """Sent by the platform itself from the sender the user saw at signup."""
    if record.channel == "email" and identity.own_domain:
        host = record.sender.rpartition("@")[2].lower()
        return host == identity.own_domain or host.endswith("." + identity.own_domain)
    if record.channel == "sms" and identity.own_sms:
        mine, theirs = _digits(record.sender), _digits(identity.own_sms)
        return bool(theirs) and mine.endswith(theirs)
    return False


def baseline(
    records: Iterable[Record],
    identities: Sequence[Identity],
    *,
    locale: str,
    primary: str = "",
    real_name: str = "",
    names: bool = False,
    skip_own: bool = True,
) -> Baseline:
    """Attribution without the model.

    identity ("alias service"): a contact goes to the canary whose number or alias it reached
    when exactly one canary had that identifier by then (the user's long-published primary
    number never counts). With `names`: when that leaves several canaries (or the primary
    number), a heard_name/text that contains exactly one of those canaries' full name, or else
    exactly one surname+先生/女士 (Mr/Ms), picks it; the user's own real name never counts.
    `skip_own`: contacts from the platform's own SMS sender or mail domain (seen at signup) are
    not leaks. A platform is leaked when any contact is attributed to it.
    """
    latin = not locale.startswith("zh")
    forms = {
        i.platform: name_forms(i.name, locale) if i.name and i.name != real_name else ((), ())
        for i in identities
    }
    result = Baseline()
    for record in records:
        holders = [i for i in identities if record.to in (i.phone, i.email) and i.at <= record.at]
        chosen: Identity | None = None
        if len(holders) == 1 and record.to != primary:
            chosen = holders[0]
        elif names and holders:
            said = f"{record.heard_name}\n{record.text}"
            for part in (0, 1):
                hits = [i for i in holders if any(_contains(said, f, latin) for f in forms[i.platform][part])]
                if len(hits) == 1:
                    chosen = hits[0]
                    break
                if hits:
                    break
        if chosen is not None and skip_own and _own(chosen, record):
            result.own_skipped += 1
            chosen = None
        result.attributed[record.key] = chosen.platform if chosen else None
        if chosen is not None:
            result.leaked.add(chosen.platform)
    return result


def read_world(files: Path) -> tuple[Any, list[Identity], list[Record], dict[str, Any], int]:
    """The written world: its plan, the identities issued, every imported record that has a truth
    key, the truth, and how many imported records found no truth key."""
    from tracer import ingest, simulate
    from tracer.models import ContactRecord

    world, signups, truth = simulate.load(files)
    unkeyed = 0
    own = {p.name: p for p in world.platforms}
    identities = [
        Identity(
            s.platform, s.at, s.phone, s.name, s.email, own[s.platform].sender, own[s.platform].domain.lower()
        )
        for s in signups
    ]
    matcher = Matcher(truth)
    by_file = {name: e164 for e164, name in simulate.sms_names(world).items()}
    records = []
    for path in sorted(files.iterdir()):
        if path.name in ("world.json", "truth.json"):
            continue
        options = ingest.Options(region=world.user.region, tz=world.user.timezone, to=by_file.get(path.name))
        for item in ingest.read(path, options=options):
            if not isinstance(item, ContactRecord) or item.direction != "in":
                continue
            key = matcher.find(item.channel, item.external_id, item.to, item.at, item.sender)
            if key is None:
                unkeyed += 1
            else:
                records.append(
                    Record(
                        key,
                        str(item.channel),
                        item.to or "",
                        item.at,
                        item.sender or "",
                        item.heard_name or "",
                        item.text or "",
                    )
                )
    return world, identities, records, truth, unkeyed


# --------------------------------------------------------------------------------------------
# One world


def score(report: dict[str, Any], truth: dict[str, Any], baselines: dict[str, Baseline]) -> dict[str, Any]:
    """Every number for one world: per system platform and contact scores, the model's
    calibration and broker links."""
    pairs, missing = match_report(report, truth)
    model = model_view(pairs, report)
    table = reliability(model["samples"])
    systems = {
        "model": {
            **platform_scores(model["leaked"], truth, model["suspected"]),
            **contact_scores(model["attributed"], truth),
            "ece": ece(table),
            **broker_links(report, truth),
            **window_scores(report, truth),
        }
    }
    for name, base in baselines.items():
        systems[name] = {**platform_scores(base.leaked, truth), **contact_scores(base.attributed, truth)}
    return {
        "systems": systems,
        "reliability": table,
        "contacts": len(report["contacts"]),
        "truth_contacts": len(truth["contacts"]),
        "unmatched": missing,
    }


_TAGS = (
    ("identifier", "given only to", "id:unique"),
    ("identifier", "shared by", "id:shared"),
    ("identifier", "control number", "id:control"),
    ("identifier", "no canary was issued", "id:none"),
    ("name", "full name", "name:full"),
    ("name", "surname", "name:surname"),
    ("name", "no canary here was given", "name:other"),
    ("marker", "", "marker"),
    ("first-party", "", "first-party"),
)


def evidence_tags(evidence: Iterable[dict[str, str]] | None) -> str:
    """The evidence that decides an attribution, as short tags (timing, topic and campaign,
    present on most contacts, are left out so that patterns group)."""
    tags = []
    for item in evidence or ():
        for kind, phrase, tag in _TAGS:
            if item.get("kind") == kind and phrase in item.get("detail", ""):
                tags.append(tag)
                break
    return "+".join(tags) or "-"


def errors(
    report: dict[str, Any], truth: dict[str, Any], records: dict[str, Record], lines: dict[str, str]
) -> list[dict[str, Any]]:
    """The model's mistakes, each with a pattern (what to count) and its example data."""
    found = []
    pairs, _ = match_report(report, truth)
    behaviour = {p: v["behaviour"] for p, v in truth["platforms"].items()}
    for r, t in pairs:
        got, cause = r["platform"], t["cause"]
        if cause in BACKGROUND and got is not None:
            kind = "background attributed"
        elif cause == "first-party" and got is not None:
            kind = "first-party attributed"
        elif cause == "leak" and got is not None and got != t["platform"]:
            kind = "leak on wrong platform"
        elif cause == "leak" and t["identifying"] and got is None:
            kind = "identifying leak missed"
        else:
            continue
        line = lines.get(r.get("to") or "", "alias" if "@" in (r.get("to") or "") else "?")
        rec = records.get(t["key"])
        why = f"{cause}/{behaviour.get(t['platform'], '?')}" if cause == "leak" else cause
        found.append(
            {
                "pattern": f"{kind}: {why} {r['channel']} | {evidence_tags(r.get('evidence'))}",
                "key": t["key"],
                "line": line,
                "truth": t,
                "report_platform": got,
                "confidence": r["confidence"],
                "evidence": r.get("evidence") or [],
                "heard_name": rec.heard_name if rec else "",
                "text": (rec.text if rec else "")[:120],
            }
        )
    verdicts = {p["platform"]: p for p in report["platforms"]}
    visible = detectable(truth)
    for name, info in truth["platforms"].items():
        got = verdicts.get(name, {})
        if name in visible and got.get("verdict") != "leaked":
            kind = "detectable leak not 'leaked'"
        elif not info["leaked"] and got.get("verdict") == "leaked":
            kind = "innocent platform 'leaked'"
        else:
            continue
        ident = sum(
            1
            for c in truth["contacts"]
            if c["platform"] == name and c["cause"] == "leak" and c["identifying"]
        )
        found.append(
            {
                "pattern": f"{kind}: behaviour={info['behaviour']} verdict={got.get('verdict')}",
                "platform": name,
                "truth": info,
                "identifying_leak_contacts": ident,
                "report": {
                    k: got.get(k) for k in ("verdict", "confidence", "contacts", "attributed_contacts")
                },
            }
        )
    return found


def run_world(seed: int, work: Path, variant: str = "") -> dict[str, Any]:
    from tracer import demo

    shape = shape_for(seed, variant)
    start = time.perf_counter()
    result = demo.run(work, shape)
    pipeline = time.perf_counter() - start
    world, identities, records, truth, unkeyed = read_world(work / "files")
    primary = world.user.phone
    common = {"locale": shape.locale, "primary": primary, "real_name": world.user.name}
    baselines = {
        "identity": baseline(records, identities, **common),
        "identity_name": baseline(records, identities, names=True, **common),
        "identity_literal": baseline(records, identities, skip_own=False, **common),
    }
    scored = score(result.report, result.truth, baselines)
    lines = {
        line.e164: (
            "primary"
            if line.primary
            else "control"
            if line.control
            else "recycled"
            if line.recycled
            else "spare"
        )
        for line in world.lines
    }
    mistakes = errors(result.report, result.truth, {r.key: r for r in records}, lines)
    return {
        "seed": seed,
        "shape": shape.to_dict(),
        "pipeline_seconds": round(pipeline, 2),
        "seconds": round(time.perf_counter() - start, 2),
        "records": len(records),
        "records_unkeyed": unkeyed,
        **scored,
        "errors": mistakes,
    }


# --------------------------------------------------------------------------------------------
# Summary and printing

_POOLED = {
    "precision": ("true_positives", "found"),
    "recall_all": ("found_of_leaked", "leaked"),
    "recall_detectable": ("found_of_detectable", "detectable"),
    "identifying_accuracy": ("identifying_right", "identifying"),
    "leak_recall": ("leak_right", "leak_contacts"),
    "background_wrong": ("background_attributed", "background"),
    "first_party_wrong": ("first_party_attributed", "first_party"),
    "broker_links": ("broker_pairs_linked", "broker_pairs"),
    "link_precision": ("links_related", "links"),
    "window_coverage": ("windows_covered", "windows"),
}
_SUMMED = (
    "found",
    "leaked",
    "detectable",
    "suspected",
    "suspected_leaked",
    "identifying",
    "background",
    "first_party",
    "broker_pairs",
    "links",
    "windows",
    "innocent",
)


def _mean(values: Iterable[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def summarize(worlds: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Per system: the mean of each per-world ratio (over worlds where it is defined), pooled
    ratios from summed counts, and summed counts; the model's pooled reliability table."""
    ok = [w for w in worlds if "systems" in w]
    summary: dict[str, Any] = {"worlds": len(worlds), "failed": len(worlds) - len(ok)}
    for system in (*SYSTEMS, "identity_literal"):
        rows = [w["systems"][system] for w in ok if system in w["systems"]]
        if not rows:
            continue
        for r in rows:
            r["innocent"] = r["found"] - r["true_positives"]
        names = [k for k in (*_POOLED, "ece") if k in rows[0]]
        summary[system] = {
            "mean": {k: _mean(r[k] for r in rows) for k in names},
            "worst": {k: _worst(k, [r[k] for r in rows]) for k in names},
            "pooled": {
                k: _ratio(sum(r[a] for r in rows), sum(r[b] for r in rows))
                for k, (a, b) in _POOLED.items()
                if a in rows[0]
            },
            "totals": {k: sum(r[k] for r in rows) for k in _SUMMED if k in rows[0]},
        }
    tables = [w["reliability"] for w in ok]
    if tables:
        pooled = [
            {
                **tables[0][b],
                "n": sum(t[b]["n"] for t in tables),
                "right": sum(t[b]["right"] for t in tables),
                "confidence": None,
                "accuracy": None,
            }
            for b in range(BINS)
        ]
        for b, row in enumerate(pooled):
            if row["n"]:
                weight = sum(t[b]["confidence"] * t[b]["n"] for t in tables if t[b]["n"])
                row["confidence"] = weight / row["n"]
                row["accuracy"] = row["right"] / row["n"]
        summary["reliability"] = pooled
        summary["model"]["pooled"]["ece"] = ece(pooled)
    return summary


def _worst(key: str, values: list[float | None]) -> float | None:
    """The worst world's value: the largest for a `<=` target, else the smallest."""
    got = [v for v in values if v is not None]
    if not got:
        return None
    return max(got) if TARGETS.get(key, (">=",))[0] == "<=" else min(got)


def error_patterns(worlds: Sequence[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    """The `top` most common mistake patterns over all worlds, each with its first example."""
    counts: Counter[str] = Counter()
    first: dict[str, dict[str, Any]] = {}
    for w in worlds:
        for e in w.get("errors", ()):
            counts[e["pattern"]] += 1
            first.setdefault(e["pattern"], {"seed": w["seed"], **e})
    return [{"pattern": p, "count": n, "example": first[p]} for p, n in counts.most_common(top)]


def _f(value: float | None, width: int = 6, digits: int = 3) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def world_header() -> str:
    return (
        f"{'seed':>5} {'loc':<5} {'plat':>4} {'days':>4} {'p/c/r':>5} {'leak%':>5} {'contacts':>8} "
        f"{'leak':>4} {'det':>3} {'found':>5} {'susp':>4} {'prec':>6} {'rAll':>6} {'rDet':>6} "
        f"{'idAcc':>6} {'bgWr':>6} {'fpWr':>6} {'ECE':>6} {'brkr':>6} | {'idP':>6} {'idR':>6} "
        f"{'nmP':>6} {'nmR':>6} {'sec':>5}"
    )


def world_line(w: dict[str, Any]) -> str:
    s = w["shape"]
    head = (
        f"{w['seed']:>5} {s['locale'][:5]:<5} {s['platforms']:>4} {s['days']:>4} "
        f"{s['pool']}/{s['controls']}/{s['recycled']:<1} {s['leak_share']:>5.2f}"
    )
    if "systems" not in w:
        return f"{head} FAILED: {w.get('error', '').splitlines()[-1] if w.get('error') else '?'}"
    m, i, n = (w["systems"][k] for k in SYSTEMS)
    return (
        f"{head} {w['contacts']:>8} {m['leaked']:>4} {m['detectable']:>3} {m['found']:>5} "
        f"{m['suspected']:>4} {_f(m['precision'])} {_f(m['recall_all'])} {_f(m['recall_detectable'])} "
        f"{_f(m['identifying_accuracy'])} {_f(m['background_wrong'])} {_f(m['first_party_wrong'])} "
        f"{_f(m['ece'])} {_f(m['broker_links'])} | {_f(i['precision'])} {_f(i['recall_detectable'])} "
        f"{_f(n['precision'])} {_f(n['recall_detectable'])} {w['seconds']:>5.1f}"
    )


_ROWS = (
    ("precision", "platform precision (leaked)"),
    ("recall_all", "recall, all leaked platforms"),
    ("recall_detectable", "recall, detectable platforms"),
    ("identifying_accuracy", "identifying leak contacts right"),
    ("leak_recall", "all leak contacts right"),
    ("background_wrong", "background wrongly attributed"),
    ("first_party_wrong", "first-party wrongly attributed"),
    ("ece", "ECE, contact confidence"),
    ("broker_links", "broker pairs linked"),
    ("link_precision", "links that are real"),
    ("window_coverage", "leak windows holding the moment"),
)


def summary_table(summary: dict[str, Any]) -> str:
    out = [
        f"summary over {summary['worlds']} worlds ({summary['failed']} failed): mean of per-world "
        f"values / pooled over all worlds; worst world (model); targets on the worst world for "
        f"{', '.join(PER_WORLD)}, else pooled",
        f"{'metric':<32} {'model':>15} {'worst':>6} {'target':>10} {'met':>4} | {'identity':>15} {'id+name':>15}",
    ]
    for key, label in _ROWS:
        cells = []
        for system in SYSTEMS:
            data = summary.get(system, {})
            mean, pooled = data.get("mean", {}).get(key), data.get("pooled", {}).get(key)
            cells.append(
                "-"
                if key not in data.get("mean", {}) and key not in data.get("pooled", {})
                else f"{_f(mean, 6)} / {_f(pooled, 6)}"
            )
        model = summary.get("model", {})
        worst = model.get("worst", {}).get(key)
        target, met = "", ""
        if key in TARGETS:
            op, value = TARGETS[key]
            target = f"{value[0]:g}-{value[1]:g}" if op == "in" else f"{op}{value:g}"
            basis = "worst" if key in PER_WORLD else "pooled"
            met = _met(model.get(basis, {}).get(key), op, value)
        out.append(
            f"{label:<32} {cells[0]:>15} {_f(worst)} {target:>10} {met:>4} | {cells[1]:>15} {cells[2]:>15}"
        )
    totals = {s: summary.get(s, {}).get("totals", {}) for s in SYSTEMS}
    m = totals["model"]
    out.append(
        f"totals: leaked {m.get('leaked')}, detectable {m.get('detectable')}; called leaked: model "
        f"{m.get('found')}, identity {totals['identity'].get('found')}, id+name "
        f"{totals['identity_name'].get('found')}; model 'suspected' {m.get('suspected')} "
        f"({m.get('suspected_leaked')} truly leaked)"
    )
    out.append(
        f"innocent platforms called leaked: model {m.get('innocent')}, identity "
        f"{totals['identity'].get('innocent')}, id+name {totals['identity_name'].get('innocent')}; "
        f"leak windows scored {m.get('windows')}"
    )
    lit = summary.get("identity_literal", {}).get("pooled", {})
    out.append(
        f"identity baseline counting the platform's own SMS/mail as leaks (pooled): precision "
        f"{_f(lit.get('precision'), 0)}, recall {_f(lit.get('recall_all'), 0)}"
    )
    return "\n".join(out)


def _met(got: float | None, op: str, value: Any) -> str:
    if got is None:
        return "-"
    if op == "in":
        return "yes" if value[0] <= got <= value[1] else "NO"
    return "yes" if (got >= value - 1e-12 if op == ">=" else got <= value) else "NO"


def reliability_table(table: Sequence[dict[str, Any]]) -> str:
    out = [
        "reliability (model, pooled): bin, contacts, mean confidence, share right",
        f"{'bin':<10} {'n':>7} {'conf':>7} {'right':>7}",
    ]
    for row in table:
        out.append(
            f"{row['low']:.1f}-{row['high']:.1f}   {row['n']:>7} {_f(row['confidence'], 7)} "
            f"{_f(row['accuracy'], 7)}"
        )
    return "\n".join(out)


def patterns_text(patterns: Sequence[dict[str, Any]]) -> str:
    out = ["most common mistakes (model):"]
    for i, p in enumerate(patterns, 1):
        ex = p["example"]
        out.append(f"{i}. [{p['count']}x] {p['pattern']}")
        if "evidence" in ex:
            out.append(
                f"   e.g. seed {ex['seed']} {ex['key']} (to {ex['line']}): truth {ex['truth']['cause']} "
                f"platform={ex['truth']['platform']} centre={ex['truth']['centre']} "
                f"identifying={ex['truth']['identifying']}; report {ex['report_platform']} "
                f"@ {ex['confidence']}; heard={ex['heard_name']!r} text={ex['text']!r}"
            )
            for e in ex["evidence"]:
                out.append(f"     - {e['kind']}: {e['detail']}")
        else:
            out.append(
                f"   e.g. seed {ex['seed']} {ex['platform']}: {ex['report']}; leak contacts "
                f"{ex['truth']['leak_contacts']}, identifying {ex['identifying_leak_contacts']}"
            )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__.split("\n")[0])
    parser.add_argument("--worlds", type=int, default=20)
    parser.add_argument("--seed0", type=int, default=100)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--errors", type=int, default=5, help="how many mistake patterns to print")
    parser.add_argument(
        "--variant",
        default="",
        choices=["", *_variant_names()],
        help="worlds that depart from the simulator's defaults this way (tracer.simulate.variants)",
    )
    args = parser.parse_args(argv)
    os.environ["TRACER_SCRYPT_LOG_N"] = "10"
    started = time.perf_counter()
    worlds = []
    print(world_header(), flush=True)
    for seed in range(args.seed0, args.seed0 + args.worlds):
        with tempfile.TemporaryDirectory(prefix=f"tracer-acc-{seed}-") as tmp:
            try:
                w = run_world(seed, Path(tmp), args.variant)
            except Exception:  # a failing world is reported, and the run goes on
                w = {"seed": seed, "shape": shape_for(seed, args.variant).to_dict(), "error": traceback.format_exc()}
        worlds.append(w)
        print(world_line(w), flush=True)
    summary = summarize(worlds)
    patterns = error_patterns(worlds, args.errors)
    elapsed = time.perf_counter() - started
    print()
    print(summary_table(summary))
    if "reliability" in summary:
        print()
        print(reliability_table(summary["reliability"]))
    print()
    print(patterns_text(patterns))
    unmatched = sum(w.get("unmatched", 0) for w in worlds)
    unkeyed = sum(w.get("records_unkeyed", 0) for w in worlds)
    print(
        f"\n{len(worlds)} worlds in {elapsed:.0f} s; without a truth key: {unmatched} report contacts, "
        f"{unkeyed} imported records (baselines)"
    )
    if args.out:
        doc = {
            "worlds": worlds,
            "summary": summary,
            "patterns": patterns,
            "seconds": round(elapsed, 1),
            "args": {"worlds": args.worlds, "seed0": args.seed0, "variant": args.variant},
        }
        args.out.write_text(
            json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
        )
    return 1 if summary["failed"] else 0


def _variant_names() -> list[str]:
    from tracer.simulate.variants import VARIANTS

    return sorted(VARIANTS)


if __name__ == "__main__":
    sys.exit(main())
