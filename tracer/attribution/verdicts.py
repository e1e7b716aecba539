"""Platform verdicts from the fitted model: leaked, suspected or no-evidence.

`leaked` needs the model's P(leaked) at or above LEAKED (background excluded at high confidence)
and attributed contacts from at least two independent sources (a campaign, e.g. one caller number,
counts once: a platform's own sales line calling twice is one source), unless one of them reached a
non-phone identifier (an alias or marker) that no background sender can know.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from tracer.attribution.inputs import Inputs
from tracer.attribution.model import DAY, Fit

LEAKED, SUSPECTED, ATTRIBUTED = 0.99, 0.5, 0.5
# `suspected` also needs the data to have moved the odds (Jeffreys' "substantial" Bayes factor,
# 3): when most platforms in a vault leak, the empirical prior alone can pass 0.5.
SUBSTANTIAL = math.log(3.0)


def contact_platforms(fit: Fit, inputs: Inputs) -> pd.Series:
    """The platform each contact is attributed to, or None.

    A contact is attributed when its best platform's posterior is ATTRIBUTED or more *and* its own
    evidence singles that platform out: an identifier only its canary had, a name or a marker.
    A nameless contact on a shared number can raise a platform's rate, but it names no one.
    """
    s = fit.contacts
    names = pd.Series(inputs.platforms + [None], dtype=object)
    platform = names.iloc[s["top_p"].to_numpy()].to_numpy()
    keep = (s["top_post"].to_numpy() >= ATTRIBUTED) & ~s["first_party"].to_numpy() & _singled_out(fit)
    return pd.Series(platform, index=s.index, dtype=object).where(keep, None)


def _singled_out(fit: Fit) -> np.ndarray:
    """Per contact: does a pair with its best platform carry identifying evidence?"""
    pairs = fit.pairs
    top = fit.contacts["top_p"].to_numpy()
    mine = pairs["p"].to_numpy() == top[pairs["i"].to_numpy()]
    telling = (pairs["shared"].to_numpy() == 1) | pairs["name_kind"].isin(["surname", "full"]).to_numpy()
    telling |= pairs["token"].to_numpy()
    flag = np.zeros(len(fit.contacts), dtype=bool)
    flag[pairs["i"].to_numpy()[mine & telling]] = True
    return flag


def platforms(fit: Fit, inputs: Inputs, attributed: pd.Series) -> pd.DataFrame:
    c = inputs.contacts.reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "platform": attributed,
            "at": c["at"],
            "to": c["to"],
            "unit": fit.contacts["campaign"].fillna(c["id"]),
            "strong": _strong(fit),
        }
    ).dropna(subset=["platform"])
    signup = inputs.canaries.groupby("platform")["issued_at"].min()
    groups = dict(tuple(frame.groupby("platform")))
    empty = frame.iloc[:0]
    rows = [
        _verdict(
            name,
            float(p_leaked),
            float(log_bf),
            groups.get(name, empty),
            float(signup.get(name, 0.0)),
            inputs.categories.get(name),
        )
        for name, p_leaked, log_bf in zip(
            fit.platforms["platform"],
            fit.platforms["p_leaked"],
            fit.platforms["log_bayes_factor"],
            strict=True,
        )
    ]
    return pd.DataFrame(rows)


def _strong(fit: Fit) -> pd.Series:
    """Contacts whose best pair reached an alias or carried a canary token, at high posterior."""
    pairs = fit.pairs
    strong_i = pairs.loc[pairs["token"] | (pairs["via"] == "email"), "i"].unique()
    flag = pd.Series(False, index=fit.contacts.index)
    flag.loc[strong_i] = True
    return flag & (fit.contacts["top_post"] >= LEAKED)


def _verdict(
    name: str, p_leaked: float, log_bf: float, mine: pd.DataFrame, signup: float, category: str | None
) -> dict[str, object]:
    n_attr, units = len(mine), mine["unit"].nunique()
    if p_leaked >= LEAKED and (units >= 2 or bool(mine["strong"].any())):
        verdict = "leaked"
    elif (p_leaked >= SUSPECTED and log_bf >= SUBSTANTIAL) or n_attr >= 1:
        verdict = "suspected"
    else:
        verdict = "no-evidence"
    first = float(mine["at"].min()) if n_attr else None
    return {
        "platform": name,
        "verdict": verdict,
        "confidence": round(p_leaked if verdict != "no-evidence" else 1 - p_leaked, 4),
        "p_leaked": round(p_leaked, 4),
        "contacts": int(units),
        "attributed_contacts": int(n_attr),
        "first_contact_at": first,
        "signup_at": signup or None,
        "category": category,
        "days_to_first_contact": round((first - signup) / DAY, 2) if first is not None else None,
    }
