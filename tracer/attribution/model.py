"""The attribution model: a Poisson mixture over sources, fitted by EM.

Every contact on identifier x (a number or alias) at time t came from one source: the background
(nuisance no platform caused, rate lambda_B(x) per day) or a platform p that leaked a canary on x
issued before t (rate rho_p = P(p leaked) * lambda_p). Features then weigh the sources by
likelihood ratios against the background: the name the caller used, canary markers in the text,
the topic. See docs/attribution.md for the derivation and where each constant comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracer.attribution import campaigns, features, firstparty, surnames, text
from tracer.attribution.inputs import Inputs

DAY = 86_400.0
ITERATIONS = 25
# A caller who names someone at random names the right given name too about one time in a
# hundred (the 100 most common given names cover a minority of people): full-name evidence.
GIVEN_NAME_CHANCE = 0.01
# A leak recipient reads the name from the leaked record; a name that is not the canary's is a
# mishearing beyond homophones (already merged by the spoken key) or a merged record: 1 in 20.
MISHEARD = 0.05
# Nobody outside the platform's chain knows a random alias or marker; 1e4 stands for "almost
# surely", bounded so that a single token cannot outweigh every other kind of evidence.
TOKEN_LR = 1e4
# Background rate prior: about 0.12 unsolicited contacts per line per day even for numbers never
# published (the research baseline quoted in the issue), worth a month of observation.
BACKGROUND_PRIOR_RATE = 0.12
BACKGROUND_PRIOR_DAYS = 30.0
# Leak rate prior given a leak: one contact in five days of exposure, weight of one contact.
LEAK_PRIOR_CONTACTS, LEAK_PRIOR_DAYS = 1.0, 5.0
# Share of leak contacts on the platform's own topic (partners call about their own business,
# brokers about anything): topic evidence is weak by design and capped.
ON_TOPIC, TOPIC_LR_CAP = 0.3, 3.0


@dataclass
class Fit:
    contacts: pd.DataFrame  # per contact: posterior summary and evidence inputs
    pairs: pd.DataFrame  # per (contact, canary) candidate: features, lr, posterior
    platforms: pd.DataFrame  # per platform: p_leaked, rates, exposure
    feats: pd.DataFrame
    window: tuple[float, float]


def fit(inputs: Inputs) -> Fit:
    """Fit the model; every probability in the report comes from here."""
    c = inputs.contacts.reset_index(drop=True)
    k = inputs.canaries.reset_index(drop=True)
    feats = features.extract(Inputs(**{**inputs.__dict__, "contacts": c}))
    fp = firstparty.detect(c, feats, inputs.platforms)
    own = set(k["phone"].dropna()) | ({inputs.primary} if inputs.primary else set())
    campaign = campaigns.label(c, feats, own)
    start = float(min(c["at"].min(), k["issued_at"].min())) if len(c) and len(k) else 0.0
    end = float(c["at"].max()) if len(c) else start
    pairs = _pairs(c, k, fp["first_party"].to_numpy(), inputs)
    name_b = _background_names(c, feats, k, inputs)
    pairs = _name_evidence(pairs, feats, k, name_b)
    pairs["token"] = _token_hits(pairs, feats, k)
    window_days = max((end - start) / DAY, 1.0)
    state = _em(c, feats, k, pairs, fp["first_party"].to_numpy(), inputs, window_days, end)
    contacts = _summarize(c, feats, fp, campaign, pairs, state)
    return Fit(contacts, state["pairs"], state["platforms"], feats, (start, end))


# -- candidates and evidence -------------------------------------------------------------------


def _pairs(c: pd.DataFrame, k: pd.DataFrame, first_party: np.ndarray, inputs: Inputs) -> pd.DataFrame:
    """(contact i, canary j) wherever the contact reached the canary's number or alias after issue."""
    ident = pd.concat(
        [
            pd.DataFrame({"j": k.index, "to": k["phone"], "via": "phone"}),
            pd.DataFrame({"j": k.index, "to": k["email"], "via": "email"}),
        ]
    ).dropna(subset=["to"])
    left = pd.DataFrame({"i": c.index, "to": c["to"], "at": c["at"], "channel": c["channel"]})
    pairs = left[~first_party].merge(ident, on="to")
    pairs = pairs[(pairs["via"] == "email") == (pairs["channel"] == "email")]
    pairs = pairs[pairs["at"].to_numpy() >= k["issued_at"].to_numpy()[pairs["j"].to_numpy()]]
    platform_code = {p: n for n, p in enumerate(inputs.platforms)}
    pairs = pairs.assign(p=k["platform"].map(platform_code).to_numpy()[pairs["j"].to_numpy()])
    shared = pairs.groupby("i")["j"].transform("size")
    return pairs.assign(shared=shared).reset_index(drop=True)


def _background_names(c: pd.DataFrame, feats: pd.DataFrame, k: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """Per (contact, said key): how likely the background is to say that name on that identifier.

    Names said on an identifier that no canary there explains (previous owners, wrong numbers,
    the real name on the primary) are learned per identifier, leave-one-out, with one pseudo-count
    at the population frequency of the surname.
    """
    said = pd.DataFrame({"i": c.index, "to": c["to"], "at": c["at"], "key": feats["said_keys"]})
    said = said.explode("key").dropna(subset=["key"])
    if said.empty:
        return said.assign(p_b=[], freq=[])
    canary_keys = pd.DataFrame({"to": k["phone"], "key": k["surname_key"], "issued": k["issued_at"]})
    hit = said.reset_index().merge(canary_keys, on=["to", "key"])
    explained = set(hit.loc[hit["at"] >= hit["issued"], "index"])
    said["unexplained"] = ~said.index.isin(explained)
    named_per_to = said.drop_duplicates("i").groupby("to")["i"].size()
    loose = said[said["unexplained"]]
    count = loose.groupby(["to", "key"]).size().rename("n").reset_index()
    # Dirichlet-process smoothing: the more different names the background used on this
    # identifier, the likelier it is to use yet another one (concentration = distinct names + 1).
    alpha = loose.groupby("to")["key"].nunique() + 1
    said = said.merge(count, on=["to", "key"], how="left").fillna({"n": 0})
    own = said["unexplained"].astype(float)
    said["freq"] = said["key"].map(surnames.frequency)
    conc = said["to"].map(alpha).fillna(1).to_numpy() - own.to_numpy()
    total = said["to"].map(named_per_to).fillna(1) - 1
    said["p_b"] = ((said["n"] - own) + conc * said["freq"]) / (total + np.maximum(conc, 1.0))
    return said[["i", "key", "p_b", "freq"]]


def _name_evidence(
    pairs: pd.DataFrame, feats: pd.DataFrame, k: pd.DataFrame, name_b: pd.DataFrame
) -> pd.DataFrame:
    """Per pair: did the caller use this canary's name ('full', 'surname'), another ('other') or none."""
    key = k["surname_key"].to_numpy()[pairs["j"].to_numpy()]
    name = k["name"].to_numpy()[pairs["j"].to_numpy()]
    real = k["real_name"].to_numpy()[pairs["j"].to_numpy()]
    said = feats["said_keys"].to_numpy()[pairs["i"].to_numpy()]
    full = feats["full_names"].to_numpy()[pairs["i"].to_numpy()]
    kind = np.where(
        np.array([n in f for n, f in zip(name, full, strict=True)], dtype=bool) & ~real.astype(bool),
        "full",
        np.where(
            np.array([kk in s for kk, s in zip(key, said, strict=True)], dtype=bool),
            "surname",
            np.where(feats["named"].to_numpy()[pairs["i"].to_numpy()], "other", "none"),
        ),
    )
    pairs = pairs.assign(name_kind=kind, key=key)
    by_key = name_b.drop_duplicates(["i", "key"]).set_index(["i", "key"])
    own_p = by_key["p_b"].reindex(pd.MultiIndex.from_arrays([pairs["i"], pairs["key"]])).to_numpy()
    # a name that is not the canary's: a leak caller would have to mishear the canary's name as
    # exactly that one (MISHEARD x its frequency); the background says it at least that often,
    # so the ratio is capped at 1 (a name explained by another canary is no support for this one)
    other = (name_b["freq"] / name_b["p_b"]).clip(upper=1.0).groupby(name_b["i"]).max()
    other_ratio = pairs["i"].map(other).to_numpy(dtype=float)
    p_bg = np.where(kind == "full", own_p * GIVEN_NAME_CHANCE, own_p)
    return pairs.assign(
        p_bg_name=np.nan_to_num(p_bg.astype(float), nan=surnames.OTHER),
        other_ratio=np.nan_to_num(other_ratio, nan=1.0),
    )


def _token_hits(pairs: pd.DataFrame, feats: pd.DataFrame, k: pd.DataFrame) -> np.ndarray:
    tokens = feats["tokens"].to_numpy()[pairs["i"].to_numpy()]
    emails = k["email"].to_numpy()[pairs["j"].to_numpy()]
    markers = k["markers"].to_numpy()[pairs["j"].to_numpy()]
    hits = []
    for found, email, marks in zip(tokens, emails, markers, strict=True):
        own = {t.casefold() for t in marks} | ({email.split("@")[0].split("+")[-1]} if email else set())
        hits.append(any(t.casefold() in own for t in found))
    return np.array(hits, dtype=bool)


# -- the fit -----------------------------------------------------------------------------------


def _lr(pairs: pd.DataFrame, q_leak: float, q_bg: float, topic_lr: np.ndarray) -> np.ndarray:
    """Likelihood ratio of each pair's features: leak from that canary vs the background."""
    kind = pairs["name_kind"].to_numpy()
    p_bg = np.maximum(pairs["p_bg_name"].to_numpy(), 1e-9)
    named_lr = q_leak / (q_bg * p_bg)
    lr = np.select(
        [kind == "full", kind == "surname", kind == "other"],
        [named_lr, named_lr, q_leak * MISHEARD * pairs["other_ratio"].to_numpy() / q_bg],
        (1 - q_leak) / (1 - q_bg),
    )
    lr = lr * np.where(pairs["token"].to_numpy(), TOKEN_LR, 1.0)
    return lr * topic_lr


def _topic_lr(pairs: pd.DataFrame, feats: pd.DataFrame, k: pd.DataFrame, bg_weight: np.ndarray) -> np.ndarray:
    topic = feats["topic"].to_numpy()[pairs["i"].to_numpy()]
    category = k["category"].map(text.canonical_category).to_numpy()[pairs["j"].to_numpy()]
    shares = pd.Series(bg_weight).groupby(feats["topic"].to_numpy()).sum()
    shares = shares / max(bg_weight.sum(), 1e-9)
    p_bg = pd.Series(topic).map(shares).fillna(0).to_numpy(dtype=float)
    match = (topic == category) & pd.notna(topic)
    boosted = np.clip(ON_TOPIC / np.maximum(p_bg, 1e-3) + (1 - ON_TOPIC), 1.0, TOPIC_LR_CAP)
    return np.where(match, boosted, 1.0)


def _em(c, feats, k, pairs, first_party, inputs, window_days, end) -> dict:  # type: ignore[no-untyped-def]
    n, n_p = len(c), len(inputs.platforms)
    to = c["to"].fillna("").to_numpy()
    to_codes, to_values = pd.factorize(to)
    is_mail = np.array(["@" in v for v in to_values], dtype=bool)
    exposure_days = np.zeros(n_p)
    issued_days = np.maximum(end - k["issued_at"].to_numpy(), 0) / DAY
    platform_of_k = k["platform"].map({p: i for i, p in enumerate(inputs.platforms)}).to_numpy()
    np.add.at(exposure_days, platform_of_k, issued_days)
    lam_b = np.full(len(to_values), BACKGROUND_PRIOR_RATE)
    lam_b[is_mail] = 0.5 / max(window_days * max(k["email"].notna().sum(), 1), 1.0)
    rho = np.full(n_p, 0.05)
    p_leak = np.full(n_p, 0.3)
    named = feats["named"].to_numpy()
    post_b = np.ones(n)
    q_leak, q_bg, prior = 0.5, 0.1, 0.3
    i_idx, p_idx = pairs["i"].to_numpy(), pairs["p"].to_numpy()
    lr = np.ones(len(pairs))
    for _ in range(ITERATIONS):
        lr = _lr(pairs, q_leak, q_bg, _topic_lr(pairs, feats, k, post_b * ~first_party))
        ip = pd.DataFrame({"i": i_idx, "p": p_idx, "lr": lr}).groupby(["i", "p"], as_index=False)["lr"].sum()
        bg_i = lam_b[to_codes]
        s_ip = rho[ip["p"].to_numpy()] * ip["lr"].to_numpy()
        total = bg_i.copy()
        np.add.at(total, ip["i"].to_numpy(), s_ip)
        post_b = np.where(first_party, 0.0, bg_i / total)
        post_ip = s_ip / total[ip["i"].to_numpy()]
        lam_b = _background_rates(post_b, to_codes, is_mail, window_days, len(to_values))
        lam_p, p_leak, prior, log_bf = _leak_rates(ip, total, rho, exposure_days, n_p, prior)
        rho = p_leak * lam_p
        w_leak = np.zeros(n)
        np.add.at(w_leak, ip["i"].to_numpy(), post_ip)
        q_leak = float((w_leak * named).sum() + 1) / float(w_leak.sum() + 2)
        q_bg = float((post_b * named).sum() + 1) / float(post_b.sum() + 2)
    ip = ip.assign(post=post_ip)
    pairs = pairs.assign(lr=lr)
    platforms = pd.DataFrame(
        {
            "platform": inputs.platforms,
            "p_leaked": p_leak,
            "log_bayes_factor": log_bf,
            "rate": lam_p,
            "exposure_days": exposure_days,
        }
    )
    return {
        "ip": ip,
        "post_b": post_b,
        "platforms": platforms,
        "pairs": pairs,
        "q_leak": q_leak,
        "q_bg": q_bg,
        "background_rate": lam_b,
        "to_codes": to_codes,
    }


def _background_rates(post_b, to_codes, is_mail, window_days, m) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Per identifier: its background count shrunk toward its kind's pooled rate."""
    count = np.bincount(to_codes, weights=post_b, minlength=m)
    rates = np.empty(m)
    for kind in (True, False):
        sel = is_mail == kind
        pooled = (count[sel].sum() + 0.5) / max(sel.sum() * window_days, 1.0)
        if not kind:
            pooled = (count[sel].sum() + BACKGROUND_PRIOR_RATE * BACKGROUND_PRIOR_DAYS) / (
                sel.sum() * window_days + BACKGROUND_PRIOR_DAYS
            )
        rates[sel] = (count[sel] + pooled * BACKGROUND_PRIOR_DAYS) / (window_days + BACKGROUND_PRIOR_DAYS)
    return rates


def _leak_rates(ip, total, rho, exposure_days, n_p, prior):  # type: ignore[no-untyped-def]
    """Per platform: rate given a leak (EM on its own candidates) and P(leaked) from the
    profile likelihood ratio against 'no leak', less a BIC penalty, under an empirical prior."""
    p = ip["p"].to_numpy()
    lr = ip["lr"].to_numpy()
    rest = np.maximum(total[ip["i"].to_numpy()] - rho[p] * lr, 1e-12)
    lam = np.full(n_p, LEAK_PRIOR_CONTACTS / LEAK_PRIOR_DAYS)
    for _ in range(5):
        r = lam[p] * lr / (rest + lam[p] * lr)
        count = np.bincount(p, weights=r, minlength=n_p)
        lam = (count + LEAK_PRIOR_CONTACTS) / (exposure_days + LEAK_PRIOR_DAYS)
    gain = np.bincount(p, weights=np.log1p(lam[p] * lr / rest), minlength=n_p)
    candidates = np.bincount(p, minlength=n_p)
    log_lr = gain - lam * exposure_days - 0.5 * np.log1p(candidates)
    logit = np.clip(log_lr + np.log(prior / (1 - prior)), -50, 50)
    p_leak = 1 / (1 + np.exp(-logit))
    prior = (p_leak.sum() + 1) / (n_p + 2)
    return lam, p_leak, prior, log_lr


def _summarize(c, feats, fp, campaign, pairs, state) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    ip = state["ip"]
    best = ip.sort_values(["i", "post"], ascending=[True, False]).drop_duplicates("i")
    out = pd.DataFrame({"i": c.index, "p_background": state["post_b"]})
    out["top_p"] = -1
    out["top_post"] = 0.0
    out.loc[best["i"].to_numpy(), "top_p"] = best["p"].to_numpy()
    out.loc[best["i"].to_numpy(), "top_post"] = best["post"].to_numpy()
    out["first_party"] = fp["first_party"].to_numpy()
    out["fp_platform"] = fp["fp_platform"].to_numpy()
    out["fp_reason"] = fp["fp_reason"].to_numpy()
    out["campaign"] = campaign.to_numpy()
    out.attrs["ip"] = ip
    return out
