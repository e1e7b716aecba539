"""The attribution model: a Poisson mixture over sources, fitted by EM.

Every contact on identifier x (a number or alias) at time t came from one source: the background
(nuisance no platform caused, rate lambda_B(x) per day) or a platform p that leaked a canary on x
issued before t (rate rho_p = P(p leaked) * lambda_p). Features then weigh the sources by
likelihood ratios against the background: the name the caller used, canary markers in the text,
the topic. See docs/attribution.md for the derivation and where each constant comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import canaries
from canaries import frequency as surnames
from tracer.attribution import campaigns, content, features, firstparty
from tracer.attribution.features import Features
from tracer.attribution.inputs import Inputs, at_rows, interned
from tracer.collector import release_memory

DAY = 86_400.0
ITERATIONS = 25
BAYES_EVERY = 5  # the Bayes factor integral is the costly step: refresh it every few EM steps
# A rented thousand-block counts as one caller for the own-line tests only while in use: a month
# without a call from it and its next caller may be another business the carrier rented it to.
OWN_LINE_BLOCK_GAP = 30 * DAY
# A caller who names someone at random names the right given name too about one time in a
# hundred (the 100 most common given names cover a minority of people): full-name evidence.
GIVEN_NAME_CHANCE = 0.01
# A leak recipient reads the name from the leaked record; a name that is not the canary's is a
# mishearing beyond homophones (already merged by the spoken key) or a merged record: 1 in 20.
MISHEARD = 0.05
# Nobody outside the platform's chain knows a random alias or marker (dictionary spam to a
# catch-all domain guesses info@ and names, never "komira82"); 1e4 stands for "almost surely",
# bounded so that a single token cannot outweigh every other kind of evidence.
TOKEN_LR = 1e4
# Background rate prior: about 0.12 unsolicited contacts per line per day even for numbers never
# published (the research baseline quoted in the issue), worth a month of observation.
BACKGROUND_PRIOR_RATE = 0.12
BACKGROUND_PRIOR_DAYS = 30.0
# Leak rate prior given a leak, for the rate's point estimate: one contact in five days of
# exposure, weight of one contact.
LEAK_PRIOR_CONTACTS, LEAK_PRIOR_DAYS = 1.0, 5.0
# For P(leaked) the rate is integrated out over a scale-free (log-uniform) prior from one contact
# a year to a call centre's twenty a day: leaked records are worked a few times and go stale, so a
# leak that shows once in months is as plausible a priori as one that calls daily.
LEAK_RATE_RANGE = (1 / 365, 20.0)
# Share of leak contacts on the platform's own topic (partners call about their own business,
# brokers about anything): topic evidence is weak by design and capped.
ON_TOPIC, TOPIC_LR_CAP = 0.3, 3.0
# A platform's own sales team calls or texts a new signup in its first days, by name and on its own
# topic: such contacts may be first-party, not a leak. They compete with the leak as a source of
# their own, whose rate per platform decays after the signup with a time constant of a week (the
# usual lead follow-up horizon of sales teams), learned per platform from the data (prior: half a
# contact over that horizon). Contacts bunched soon after the signup thus favour the platform
# itself; a leak shows over its whole exposure. Past OWN_CUTOFF horizons the weight is dropped.
OWN_WINDOW_DAYS, OWN_PRIOR_CONTACTS, OWN_CUTOFF = 7.0, 0.5, 5.0
# A company's own sales line shows one number and follows a new user up for weeks; a caller that
# rotates numbers or still calls months later is a call centre working a list (one that withholds
# or spoofs its number is no company's line at all: `_line_evidence`). Some sales teams dial from
# pools too: such a caller is taken as one in ten times as likely
# to be the platform's own line (an assumption; not excluded, so the own line's other evidence,
# a rate learned from its other first-week calls, can still win).
ROTATING = 0.1
# A leaked record is worked in bursts (a fresh lead is called a few times within days; lists go
# stale): the leak's rate at a contact mixes its average (a steady share) with the rate its other
# telling contacts show within about a week of it (the Laplace kernel's scale), capped at 20 times
# the average (`_Bursts`). Assumptions, like the follow-up horizon: leaks are worked for days to
# weeks. How much of it is steady is learned from the fit's telling contacts (`_steady_share`),
# from BURST_SHARE worth BURST_PSEUDO contacts: a fit with few says little of its own.
BURST_SHARE, LEAK_BURST_DAYS, BURST_CAP = 0.5, 7.0, 20.0
BURST_PSEUDO = 5.0
# rows per block of the EM's steps (pairs, candidates or contacts; the kernel sums by whole
# platforms or lines): each step's temporaries are a block long (2 MiB a float array), not every
# row's (27-38 MiB each at 5M contacts), and each element's arithmetic is the whole array's
BLOCK = 1 << 18
# A platform that shares its signups hands each one over at once, and a fresh lead is called at
# once ("speed to lead"): FRESH_SHARE of a leak's contacts are taken to follow the canary's issue
# with the follow-up horizon's decay (`_fresh`), the rest spread over the exposure. An assumption,
# kept small: the platform's own sales calls follow the signup the same way, and a larger share
# (0.3) took twice as many of them for leaks and called twice as many innocents `suspected`.
FRESH_SHARE = 0.1
# Pseudo-contacts at the pooled share in the share of a line's background (or a leak's contacts)
# that came from other callers (`_OtherCallers`): two, so a line or leak with little weight says
# little of its own.
OTHER_CALLERS_PSEUDO = 2.0
# On a number only one canary had, the line's contacts near t (a Laplace kernel of
# EXCESS_DAYS, all of them, not weighted by the fit's current posteriors) above the line's
# steady background rate and EXCESS_Z standard deviations of its Poisson noise are that
# canary's leak: no other source is left to explain them (`_Excess`).
EXCESS_Z, EXCESS_DAYS = 3.0, 2.0
# How often a caller says a name differs by channel: a mass text is a template whose greeting
# field takes the name from the record (or the list: "{surname}先生您好", "Hi {first},"), a mail
# merge often greets "Dear customer", a caller mostly says nothing before the pitch. Each channel's
# share (the leak's and the background's) is learned from its contacts, with the pooled share as
# a prior worth NAMING_PSEUDO contacts (`_naming`): a channel with little weight says little.
NAMING_PSEUDO = 2.0
CHANNELS = ("call", "sms", "email")


# The shortest heard word read as a slip of a canary's name: MIN_SLIP to name it (a shorter word is
# one slip from too many names), DOUBT_LETTERS to leave a nickname's reading of it in doubt
MIN_SLIP = canaries.address.MIN_SLIP_LETTERS
DOUBT_LETTERS = 3


# the name kinds (`_name_evidence`) by which a contact names the pair's canary
NAMING_KINDS = ("surname", "given", "full")


# the pair columns a Fit keeps: what verdicts and the report's evidence read
FIT_PAIR_COLUMNS = ("i", "j", "p", "shared", "published", "via", "token", "name_kind", "key", "real", "lr", "early", "steady")


@dataclass(frozen=True)
class Fit:
    """The fitted model. Symbols: i a contact, j a canary, p a platform (index into
    `Inputs.platforms`), x an identifier (number or alias) a contact reached."""

    contacts: pd.DataFrame  # per contact i: posterior summary and evidence inputs
    pairs: pd.DataFrame  # per (i, j) candidate: FIT_PAIR_COLUMNS (name evidence, token, lr, …)
    platforms: pd.DataFrame  # per platform p: p_leaked, rates, exposure
    feats: pd.DataFrame  # per contact i: its topic (the other features are the fit's own)
    window: tuple[float, float]
    ip: pd.DataFrame  # per (i, p): lr (the pair likelihood ratios summed) and post, P(p's leak | i)

    def on_top(self) -> np.ndarray:
        """Per pair: is it a pair with its contact's best platform (whose evidence is reported)?"""
        top = self.contacts["top_p"].to_numpy()
        return self.pairs["p"].to_numpy() == top[self.pairs["i"].to_numpy()]


def fit(inputs: Inputs) -> Fit:
    """Fit the model; every probability in the report comes from here. Between its steps the
    memory each step freed goes back to the system (`release_memory`): each step's own peak then
    starts from what is alive, not from the last step's high-water mark."""
    c = inputs.contacts.reset_index(drop=True)
    k = inputs.canaries.reset_index(drop=True)
    feats = features.extract(Inputs(**{**inputs.__dict__, "contacts": c}))
    mention = firstparty.mentions(c["text"], inputs.platforms)
    forms = _Forms(k, inputs.locale)
    if forms.chinese:
        # first-party's mentions were the texts' last reader: the name evidence reads a heard
        # name or text only for English forms (`_word_slips`, `_titled_given`); ~320 MiB at 5M
        inputs.give_up_texts(c)
        release_memory()  # Arrow's pool keeps the freed strings for reuse otherwise
    given = given_identifiers(k)
    fp = firstparty.detect(
        c,
        feats.frame(["brand", "verification", "callbacks", "full_names"]),
        inputs.platforms,
        given,
        inputs.primary,
        k[["name", "platform", "real_name"]],
        mention,
    )
    del mention
    # most contacts have no first-party platform: one shared missing value, not a float each
    # (4.5M of them, ~110 MiB at 5M contacts, held through the whole fit)
    fp["fp_platform"] = interned(fp["fp_platform"])
    own = set(k["phone"].dropna()) | ({inputs.primary} if inputs.primary else set())
    release_memory()
    # whether a caller could be a platform's own line is read over its block only while the block
    # is in use: carriers rent thousand-blocks to many businesses in turn, so a platform's agent
    # may dial from the block a stranger rang the user from months before (dev 10216); both
    # groupings from one reading of the keys (`campaigns.groupings`)
    grouped, own_test = campaigns.groupings(c, feats, own, (None, OWN_LINE_BLOCK_GAP))
    own_test = _narrowest(own_test)
    campaign = campaigns.named(c, grouped)
    del grouped
    release_memory()
    start = float(min(c["at"].min(), k["issued_at"].min())) if len(c) and len(k) else 0.0
    end = float(c["at"].max()) if len(c) else start
    pairs = _pairs(c, k, fp["first_party"].to_numpy(), inputs)
    name_b = _background_names(c, feats, k, forms)
    pairs = _name_evidence(pairs, feats, k, name_b, forms, campaign.to_numpy(), c)
    pairs["token"] = _token_hits(pairs, feats, k)
    stranger = _narrowest(_stranger_names(name_b, pairs, fp["first_party"].to_numpy()))  # codes: a byte or two a contact
    # nothing below reads a contact's text or heard name: a frame `load` made with a reader gives
    # them up now, and the report's writer reads them again from the vault
    inputs.give_up_texts(c)
    # `to` was read by the name evidence last (its block goes with `channel`'s, after the EM's
    # set-up), and the indices and counts are int32 from here on: 24 bytes a pair through the EM
    pairs = _narrowed(pairs.drop(columns="to"))
    # the EM reads three features; the names, tokens and callbacks of every contact go now,
    # before its per-contact arrays are made
    feats = feats[["named", "topic", "brand"]]
    del name_b, forms
    release_memory()
    window_days = max((end - start) / DAY, 1.0)
    camp = _narrowest(pd.factorize(campaign, use_na_sentinel=True)[0])  # a byte or two a contact where few
    third = not_its_line(c, k, pairs, own_test, given, inputs.primary, feats)
    del own_test
    odds = campaigns.own_line_odds(c)  # once per report: the verdicts read its zeros from the Fit
    odd = odds == 0.0
    # few distinct factors (0, ROTATING, 1, the odds' few): a byte a pair through the EM, not 8
    own_line = _Coded.of(np.where(third, 0.0, _line_evidence(c, k, pairs, camp, odds)))
    del odds, third
    first_party = fp["first_party"].to_numpy()
    problem = Problem(c, feats, k, pairs, first_party, inputs.platforms, window_days, end, camp, own_line)
    # the first-party platforms and reasons and the campaigns' labels have no reader before
    # `_summarize`: through the EM they are codes into their distinct values, a byte to four a
    # contact (three object columns were 8 bytes a contact each, ~115 MiB at 5M contacts)
    held = {name: _Held.of(column) for name, column in (*fp[["fp_platform", "fp_reason"]].items(), ("campaign", campaign))}
    del fp, campaign
    # what the third-party, line and campaign steps freed (~400 MiB inside the heap at 5M
    # contacts) goes back before the EM's arrays are made
    release_memory()
    state = _em(problem)
    del problem
    release_memory()
    labels = {name: column.series() for name, column in held.items()}
    del held
    fp = pd.DataFrame({"first_party": first_party, "fp_platform": labels["fp_platform"], "fp_reason": labels["fp_reason"]})
    campaign = labels.pop("campaign")
    del labels
    contacts = _summarize(c, fp, campaign, state)
    contacts["stranger"] = stranger
    contacts["odd_caller"] = odd
    # the own-sales contacts' platforms join `fp`'s shared missing value: one again, not a float each
    contacts["fp_platform"] = interned(contacts["fp_platform"])
    # what verdicts and the report read; the rest (per-contact feature lists, pair times and
    # name likelihoods) would otherwise stay in memory while every contact's row is written
    pairs = state.pairs[[col for col in FIT_PAIR_COLUMNS if col in state.pairs]]
    fitted = Fit(contacts, pairs, state.platforms, feats.frame(["topic"]), (start, end), state.ip)
    del state, contacts, pairs, feats, fp, campaign
    release_memory()
    return fitted


@dataclass(frozen=True)
class _Held:
    """A column of Python objects held as codes into its distinct values while nothing reads it
    (the EM's steps); `series()` gives it back: the same values, the same objects (`factorize`
    keeps the first of each), missing values as they were. A column whose missing values are not
    one object (None here, NaN there) is held as it is."""

    codes: np.ndarray  # in the fewest bytes the distinct values' count fits (`_narrowest`)
    values: np.ndarray  # objects: the distinct values, then the missing value (when any)
    index: pd.Index
    name: Any
    whole: pd.Series | None = None  # a column not coded, held as it was

    @classmethod
    def of(cls, column: pd.Series) -> _Held:
        values = column.to_numpy(dtype=object)
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        missing = values[codes < 0]
        if not _one_object(missing):
            return cls(np.zeros(0, dtype=np.int8), np.zeros(0, dtype=object), column.index, column.name, column)
        table = np.append(np.asarray(uniques, dtype=object), missing[:1])
        codes[codes < 0] = len(table) - 1
        return cls(_narrowest(codes), table, _ranged(column.index), column.name)

    def series(self) -> pd.Series:
        if self.whole is not None:
            return self.whole
        return pd.Series(self.values[self.codes], index=self.index, name=self.name, dtype=object)


@dataclass(frozen=True)
class _Coded:
    """A per-pair factor of few distinct values held as codes into them (`_narrowest`) while the
    EM runs: `whole()` gives every value back, the same bits but for a -0.0, read as 0.0 (the
    readers compare the factor with 0 and 1, and multiply it where it is above 0)."""

    codes: np.ndarray
    values: np.ndarray  # float: the distinct values, ascending

    @classmethod
    def of(cls, factor: np.ndarray) -> _Coded:
        values, codes = np.unique(factor, return_inverse=True)
        return cls(_narrowest(codes.reshape(-1)), values)

    def whole(self) -> np.ndarray:
        return self.values[self.codes]


def _ranged(index: pd.Index) -> pd.Index:
    """`index` as a RangeIndex (no array) when it is 0, 1, 2, …: first-party's frame has an
    index of 8-byte integers that the held labels would otherwise keep through the EM."""
    if isinstance(index, pd.RangeIndex) or not index.equals(pd.RangeIndex(len(index))):
        return index
    return pd.RangeIndex(len(index), name=index.name)


def _one_object(values: np.ndarray) -> bool:
    """Is every element of `values` (objects) one object (or is there none)?"""
    if not len(values):
        return True
    if values[0] is None:  # the common case: compared in C, None equals only itself
        return bool((values == None).all())  # noqa: E711 (element-wise)
    first = id(values[0])
    return all(id(value) == first for value in values.tolist())


# -- candidates and evidence -------------------------------------------------------------------


def _pairs(c: pd.DataFrame, k: pd.DataFrame, first_party: np.ndarray, inputs: Inputs) -> pd.DataFrame:
    """(contact i, canary j) wherever the contact reached the canary's number or alias after issue.

    `shared`: how many canaries the contact's identifier had by then; `published`: the identifier
    is the user's own primary number, which strangers called before any canary was put on it (its
    background is the user's real life), so a canary alone on it is not alone: reaching it singles
    out no platform, even before a second canary is issued there."""
    ident = pd.concat(
        [
            pd.DataFrame({"j": k.index, "to": k["phone"], "via": "phone"}),
            pd.DataFrame({"j": k.index, "to": k["email"], "via": "email"}),
        ]
    ).dropna(subset=["to"])
    # joined on the contacts' indices and numbers alone, each candidate kept or not from arrays,
    # and the pairs' columns taken once (filtering the joined frame copied every column twice);
    # each column keeps its dtype (a frame made of object arrays would infer strings)
    i, r = _joined(c["to"], np.flatnonzero(~first_party), ident["to"])
    j = ident["j"].to_numpy()[r]
    at, channel = c["at"].to_numpy()[i], c["channel"].to_numpy()[i]
    rows = np.flatnonzero(
        ((ident["via"] == "email").to_numpy()[r] == (channel == "email")) & (at >= k["issued_at"].to_numpy()[j])
    )
    del at, channel
    i, j, r = i[rows], j[rows], r[rows]
    pairs = pd.DataFrame({"i": i, "to": at_rows(c["to"], i)})  # the contact's own, as the join kept it
    pairs["at"], pairs["channel"] = at_rows(c["at"], i), at_rows(c["channel"], i)
    pairs["j"], pairs["via"] = j, at_rows(ident["via"], r)
    del i, j, r
    platform_code = {p: n for n, p in enumerate(inputs.platforms)}
    pairs = pairs.assign(p=k["platform"].map(platform_code).to_numpy()[pairs["j"].to_numpy()])
    shared = pairs.groupby("i")["j"].transform("size")
    published = (pairs["to"] == inputs.primary).to_numpy() if inputs.primary else np.zeros(len(pairs), dtype=bool)
    return pairs.assign(shared=shared, published=published).reset_index(drop=True)


def _joined(to: pd.Series, kept: np.ndarray, ident: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The inner join of the contacts `kept` (positions in `to`) with the rows of `ident` on
    their identifier, as `merge` makes it (the contacts in order, each one's matches in `ident`'s
    order): (contact, ident row position) per match, int64. Looked up once per contact in the
    distinct identifiers (a few ten thousand), not by a merge of two frames of a row per contact
    (its key objects hashed twice and every column copied: the fit's start peaked there at 5M)."""
    codes, distinct = pd.factorize(ident, use_na_sentinel=True)
    order = np.argsort(codes, kind="stable")  # each identifier's rows, in `ident`'s order
    count = np.bincount(codes[codes >= 0], minlength=len(distinct))
    start = np.concatenate([[0], np.cumsum(count)[:-1]]) + int((codes < 0).sum())  # missing ones sort first
    found = pd.Index(distinct).get_indexer(to.to_numpy()[kept])
    hit = found >= 0
    kept, found = kept[hit], found[hit]
    n = count[found]
    i = np.repeat(kept, n)
    # each match's place among its identifier's rows: 0, 1, … within each contact's run
    rank = np.arange(len(i)) - np.repeat(np.cumsum(n) - n, n)
    return i, order[np.repeat(start[found], n) + rank]


# the pairs' strings of few distinct values: how the contact reached the canary, the name kind
# and the name's key (what the verdicts and the report's evidence read)
CODED_PAIR_COLUMNS = ("via", "name_kind", "key")


def _narrowed(pairs: pd.DataFrame) -> pd.DataFrame:
    """`pairs` with its contact, canary and platform indices and its counts as int32 where they
    fit (`narrow_index`): every later reader indexes, groups or compares them (or widens them first,
    as `_Groups` does), so the values, hence the results, are the same. Its CODED_PAIR_COLUMNS
    become categoricals (`_categorical`): a byte or two a pair, not an Arrow string's 12-13."""
    indices = {col: narrow_index(pairs[col].to_numpy()) for col in ("i", "j", "p", "shared")}
    return pairs.assign(**indices, **{col: _categorical(pairs[col]) for col in CODED_PAIR_COLUMNS if col in pairs})


def _categorical(column: pd.Series) -> pd.Series:
    """`column` (strings) as a categorical of its distinct values, each one Python string: its
    readers compare it (`==`, `isin`, `eq`), take rows of it or make it objects (`to_numpy()`:
    the same strings, NaN where missing), as they did the Arrow strings."""
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    categories = pd.Index(np.asarray(distinct, dtype=object), dtype=object)
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories), index=column.index, name=column.name)


def alone(pairs: pd.DataFrame) -> np.ndarray:
    """Per pair: its identifier was this canary's alone when the contact came (not the user's
    published primary, which is never a canary's alone): reaching it singles the platform out."""
    return (pairs["shared"].to_numpy() == 1) & ~pairs["published"].to_numpy(bool)


def _background_names(c: pd.DataFrame, feats: Features, k: pd.DataFrame, forms: _Forms) -> pd.DataFrame:
    """Per (contact, said key): how likely the background is to say that name on that identifier.

    Names said on an identifier that no canary there explains (previous owners, wrong numbers,
    the real name on the primary), surnames and given names alike (the given name of a whole name
    said too), are learned per identifier,
    leave-one-out, with one pseudo-count at the population frequency of the surname. Forms the
    background says on *other* identifiers too (帅哥 read as a surname, a script's "Hi Michael")
    are learned pooled over the user's identifiers: the background's chance of a key is the larger
    of the two. Each canary explains every form of its name (`_Forms`).
    """
    # every given name said counts, also one said inside a whole name: a previous owner's callers
    # who ask for 孙玉梅 make "玉梅" alone hers on that number, not the later canary 庞玉梅's. Not a
    # Chinese given name of one syllable: nobody says 玲 alone (a caller says 阿玲 or 玲玲), and
    # with a title it is a surname heard, 凌女士: 陈玲's collectors never said canary 凌辉's name
    said_keys, given_keys, wholes = (feats.table[n].to_numpy().tolist() for n in ("said_keys", "given_keys", "whole_names"))
    unsaid_alone = _one_syllable if forms.chinese else None
    none: list[str] = []  # one shared (read-only) list for the texts that say no name, most of them
    keys = [
        list(dict.fromkeys([*a, *b, *(g for _, g, _ in w if g and not (unsaid_alone and unsaid_alone(g)))])) if a or b or w else none
        for a, b, w in zip(said_keys, given_keys, wholes, strict=True)
    ]
    i, key = feats.exploded(keys)  # (contact, key) rows, without a list per contact
    said = pd.DataFrame({"i": i, "to": c["to"].to_numpy()[i], "at": c["at"].to_numpy()[i], "key": key}, index=i)
    if said.empty:
        return said.assign(p_b=[], freq=[])
    # the real name never explains a mention: strangers who know the user's number know it too
    own_names = k[~k["real_name"].astype(bool) & k["phone"].isin(said["to"].unique())]
    rows = [
        (phone, key, issued)
        for j, phone, issued in zip(own_names.index, own_names["phone"], own_names["issued_at"], strict=True)
        for key in forms.of(j)[0] | forms.of(j)[1]
    ]
    canary_keys = pd.DataFrame(rows, columns=["to", "key", "issued"]).query("key != ''")
    # a mention after a canary's issue is its own only if that name was new on the number: one the
    # background said there before (a previous owner "Zachary Grant", canary "Zachary Reid") is not
    first_said = said.groupby(["to", "key"])["at"].min().rename("first").reset_index()
    hit = said.reset_index().merge(canary_keys, on=["to", "key"]).merge(first_said, on=["to", "key"])
    explained = set(hit.loc[(hit["at"] >= hit["issued"]) & (hit["first"] >= hit["issued"]), "index"])
    # ... and only if no whole name said there that no canary answers to holds it: "Jon Roman", a
    # previous owner, makes "Jon" his on the number, though first asked for after canary Johnny
    # Crawford's issue (a recycled number may get its first canary on its first day)
    claimed = _claimed(said, wholes, feats.code, own_names, forms)
    if claimed:
        held = [(to, key) in claimed for to, key in zip(hit["to"], hit["key"], strict=True)]
        explained -= set(hit.loc[held, "index"])
    said["unexplained"] = ~said.index.isin(explained)
    named_per_to = said.drop_duplicates("i").groupby("to")["i"].size()
    loose = said[said["unexplained"]]
    count = loose.groupby(["to", "key"]).size().rename("n").reset_index()
    # Dirichlet-process smoothing: the more different names the background used on this
    # identifier, the likelier it is to use yet another one (concentration = distinct names + 1).
    alpha = loose.groupby("to")["key"].nunique() + 1
    said = said.merge(count, on=["to", "key"], how="left").fillna({"n": 0})
    own = said["unexplained"].astype(float)
    code, distinct = pd.factorize(said["key"], use_na_sentinel=False)  # each key looked up once
    said["freq"] = np.array([surnames.frequency(key) for key in distinct.tolist()], dtype=float)[code]
    conc = said["to"].map(alpha).fillna(1).to_numpy() - own.to_numpy()
    total = said["to"].map(named_per_to).fillna(1) - 1
    local = ((said["n"] - own) + conc * said["freq"]) / (total + np.maximum(conc, 1.0))
    said["p_b"] = np.maximum(local, _pooled_names(said, loose))
    return said[["i", "key", "p_b", "freq"]]


def _claimed(said: pd.DataFrame, wholes: list, code: np.ndarray, own_names: pd.DataFrame, forms: _Forms) -> set[tuple[str, str]]:
    """(identifier, key) of every part of a whole name said there that no canary on that
    identifier answers to: somebody else's name (a previous owner's, "Jon Roman" to the number of
    canary Johnny Crawford), whose parts said alone there are that person's too, whenever said.
    Read once per distinct (text, identifier) that says a whole name (few texts do)."""
    has_whole = np.fromiter(map(bool, wholes), dtype=bool, count=len(wholes))
    rows = code[said["i"].to_numpy()]
    spoken = pd.DataFrame({"row": rows, "to": said["to"].to_numpy()})[has_whole[rows]].drop_duplicates()
    if spoken.empty:
        return set()
    # the canaries of each identifier said to, grouped once (a comparison per identifier over
    # every canary's number was 28 s of a 1.5M report: 12,737 identifiers x 66,000 canaries)
    of_phone = own_names.groupby("phone", sort=False).groups
    answering = {to: _Answering(forms, of_phone.get(to, [])) for to in spoken["to"].unique()}
    claimed: set[tuple[str, str]] = set()
    for row, to in zip(spoken["row"].tolist(), spoken["to"], strict=True):
        for surname, given, whole in wholes[row]:
            if not answering[to](surname, whole):
                # a one-syllable Chinese given name is nobody's word alone (`_background_names`)
                alone = given and not (forms.chinese and _one_syllable(given))
                claimed.update((to, key) for key in (surname, given if alone else "") if key)
    return claimed


class _Answering:
    """Whether any of canaries `js` (one identifier's) answers to a whole name said: its own
    whole name or a slip of it, its surname, or its given name typed as a whole (`_Forms.match`)."""

    def __init__(self, forms: _Forms, js: Any) -> None:
        of = [forms.of(j) for j in js]
        self.surnames = frozenset().union(*(f[0] for f in of))
        self.wholes = frozenset(f[2] for f in of if f[2])
        self.typed = self.wholes | frozenset().union(*(f[1] for f in of))

    def __call__(self, surname: str, whole: str) -> bool:
        if surname in self.surnames or whole in self.typed:
            return True
        return any(canaries.mistyped(whole, own) for own in self.wholes)


_VOWELS = re.compile("[aeiouvü]+")


def _one_syllable(key: str) -> bool:
    """Is a pinyin sound key one syllable ("ling", "guang"; "yumei", "xiaoyun" are two)? A
    syllable has one run of vowels (y and w open one as consonants do)."""
    return len(_VOWELS.findall(key)) == 1


def _stranger_names(name_b: pd.DataFrame, pairs: pd.DataFrame, first_party: np.ndarray) -> np.ndarray:
    """Per contact: a code for the stranger it named when that is no canary on its line (-1: it
    named none, or a canary, or it is a platform's own message to its canary): which strangers a
    line hears, and how often each (`verdicts._chance_surname`). Forms of one name share a key
    (练先生, 练辉先生): one code."""
    matched = pairs["i"].to_numpy()[pairs["name_kind"].isin(NAMING_KINDS).to_numpy()]
    said = name_b.loc[~name_b["i"].isin(matched) & ~first_party[name_b["i"].to_numpy()], ["i", "key"]]
    n = len(first_party)
    root: dict[str, str] = {}

    def find(key: str) -> str:
        while root.setdefault(key, key) != key:
            key = root[key]
        return key

    contacts, per = _keys_per_contact(said["i"].to_numpy(), said["key"].to_numpy(dtype=object))
    for keys in per:
        for key in keys[1:]:
            root[find(key)] = find(keys[0])
    codes = np.full(n, -1, dtype=np.int32)  # a code per contact: int32 is 20 MB at 5M, not 40
    codes[contacts] = pd.factorize(np.array([find(keys[0]) for keys in per], dtype=object))[0]
    return codes


def _keys_per_contact(i: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
    """`pd.Series(keys).groupby(i).agg(list)` as (its index, its lists): the contacts in order,
    each one's keys in their order, from one stable sort (pandas' groupby builds a Series per
    contact: a Python step of ~15 µs each, 2 s of a 1.5M-contact report)."""
    order = np.argsort(i, kind="stable")
    i, flat = i[order], keys[order].tolist()
    bounds = [0, *(np.flatnonzero(np.diff(i)) + 1).tolist(), len(flat)] if len(flat) else [0]
    return i[bounds[:-1]].astype(np.int64), [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _pooled_names(said: pd.DataFrame, loose: pd.DataFrame) -> np.ndarray:
    """Per said row: the background's chance of its key learned from every *other* identifier
    (controls, pre-issue contacts, other numbers); the population frequency is the local
    estimate's part, so with nothing said elsewhere this is 0."""
    per_key = loose.groupby("key").size()
    named = loose.drop_duplicates("i")
    elsewhere = said["key"].map(per_key).fillna(0).to_numpy() - said["n"].to_numpy()
    total = len(named) - said["to"].map(named.groupby("to").size()).fillna(0).to_numpy()
    conc = loose["key"].nunique() + 1.0
    return np.maximum(elsewhere, 0) / (np.maximum(total, 0) + conc)


def _name_evidence(
    pairs: pd.DataFrame,
    feats: Features,
    k: pd.DataFrame,
    name_b: pd.DataFrame,
    forms: _Forms,
    campaign: np.ndarray,
    c: pd.DataFrame,
) -> pd.DataFrame:
    """Per pair: did the caller use this canary's name ('full', 'surname'), another ('other') or none.

    Every form a caller may make of the canary's name counts (`canaries.forms`): its surname, a
    compound surname cut to its first character (羊先生 for 羊舌峰), its given name or an English
    nickname used alone ("Hi Bob"), the whole name in any order or through an input method (杨舌峰).
    Each is weighed by how often the background says that same key (a bare 杨 far less than
    杨舌峰). A whole name that shares the surname but not the given name (王峰 for canary 王明) is
    somebody else: evidence against. A KYC canary carries the real name, so its full name counts
    as a surname match (acquaintances know it too).
    """
    j, i = pairs["j"].to_numpy(), pairs["i"].to_numpy()
    real = k["real_name"].to_numpy()[j].astype(bool)
    # one string shared by every pair: `np.full(n, "none", dtype=object)` makes a string per
    # element (~190 MiB of "none" at 5M contacts), and `where(mask, "other", kind)` one per pair set
    kind, key = _filled(len(pairs), "none"), _filled(len(pairs), "")
    # only contacts that said a name can match one (most contacts say none): the names are read
    # for the pairs whose contact said one or a full name (`_said_any`), not as an object array
    # per feature for every pair (~27 MiB each at 5M contacts)
    rows = np.flatnonzero(_said_any(feats)[feats.code[i]])
    said, wholes, first, full = (_of_pairs(feats, name, i[rows]) for name in _NAME_FEATURES)
    exact = [bool(f) and n in f for n, f in zip(k["name"].to_numpy()[j[rows]], full, strict=True)]
    at = np.flatnonzero([bool(a or b or c or d) for a, b, c, d in zip(said, wholes, first, exact, strict=True)])
    spoke = rows[at]  # the pairs: pair spoke[m] is read at `at[m]` of `rows`' names
    for m, n in zip(at, spoke, strict=True):
        kind[n], key[n] = forms.match(j[n], said[m], wholes[m], first[m], exact[m])
    # "Jo Harrell" for Jon Harrell, "Marie Shawe" for Marie Shaw: a name too short for a slip of
    # its sound key, one slip off in its letters (English; a Chinese name's slips are homophones,
    # the same key): a typo of the whole name, which `_slips` reads as it reads the others. One
    # part as spelled has the canary's key for it: the few pairs worth reading the letters of
    for m, n in zip(at, spoke, strict=True) if not forms.chinese else ():
        open_whole = kind[n] in ("other", "none") and forms.keeps_a_part(j[n], wholes[m])
        if open_whole and forms.slipped_whole(j[n], _heard(c, i[n])):
            kind[n], key[n] = "typo", forms.surname_key(j[n], said[m])
    namesake = kind == "other"  # as `match` reads it: a whole name with the surname, not the given name
    del said, wholes, first, full, exact, rows, at, spoke
    kind, key = _word_slips(kind, key, pairs, k, c, forms)
    kind, key = _titled_given(kind, key, pairs, k, c, forms)
    kind, key = _spelled_by_ear(kind, key, pairs, k, c, forms)
    kind = _slips(kind, pairs, k, feats, c)
    # a whole name said explains its parts: "窦秀云先生" also reads as 云先生 and "迟荣总" as 荣总, and
    # "James Franklin" holds the first name of canary James Roth; those are not other canaries' names
    whole = np.isin(i, i[kind == "full"])
    kind[whole & np.isin(kind, ("surname", "given"))] = "other"
    del whole
    kind[(kind == "full") & real] = "surname"
    kind[(kind == "none") & _of_pairs(feats, "named", i)] = "other"
    # the user noted that the caller asked for somebody else: a given name it said alone ("Mario",
    # a previous owner's friend) is that somebody's, whichever canary shares it
    kind[(kind == "given") & _of_pairs(feats, "someone_else", i)] = "other"
    kind = _callers_of_someone_else(kind, i, j, campaign[i], real, namesake)
    by_key = name_b.drop_duplicates(["i", "key"]).set_index(["i", "key"])
    # looked up only for the pairs whose contact said a name (the others find none): a
    # (contact, key) index of every pair was the name evidence's peak at 5M contacts
    asked = np.flatnonzero(np.isin(i, name_b["i"].to_numpy()))
    own_p = np.full(len(pairs), np.nan)
    own_p[asked] = by_key["p_b"].reindex(pd.MultiIndex.from_arrays([i[asked], key[asked]])).to_numpy()
    del by_key, asked
    # a name that is not the canary's: a leak caller would have to mishear the canary's name as
    # exactly that one (MISHEARD x its frequency); the background says it at least that often,
    # so the ratio is capped at 1 (a name explained by another canary is no support for this one)
    other = (name_b["freq"] / name_b["p_b"]).clip(upper=1.0).groupby(name_b["i"]).max()
    other_ratio = np.nan_to_num(_looked_up(other, i), copy=False, nan=1.0)
    # in place, each element as `where(full, own_p * GIVEN_NAME_CHANCE, own_p)` then
    # `nan_to_num` made it: one pair-long array, not four
    own_p[kind == "full"] *= GIVEN_NAME_CHANCE
    p_bg_name = np.nan_to_num(own_p, copy=False, nan=surnames.OTHER)
    # the kinds and keys become the frame's strings last, once nothing else pair-long is made;
    # the numbers join the frame as they are (`assign` copies an array, not a Series)
    columns = {"name_kind": kind, "key": key, "real": real, "p_bg_name": p_bg_name, "other_ratio": other_ratio}
    return pairs.assign(**{name: pd.Series(v, index=pairs.index, copy=False) for name, v in columns.items()})


def _looked_up(values: pd.Series, at: np.ndarray) -> np.ndarray:
    """`values` (a unique index) at the labels `at`, NaN where it has none: `Series(at).map(values)`
    a BLOCK of labels at a time, without its label-long indexer and taken copy."""
    out = np.empty(len(at))
    for lo in range(0, len(at), BLOCK):
        out[lo : lo + BLOCK] = values.reindex(at[lo : lo + BLOCK]).to_numpy(dtype=float)
    return out


def _filled(n: int, value: str) -> np.ndarray:
    """An object array of `n` references to the one string `value`."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


# the name features `Forms.match` reads, in its order, and the full names the exact match reads
_NAME_FEATURES = ("said_keys", "whole_names", "first_name_keys", "full_names")


def _said_any(feats: Features) -> np.ndarray:
    """Per distinct row of `feats`: did it say a name of any kind or a full name (the names a
    pair's contact must have said to match the pair's canary by any)?"""
    columns = [feats.table[name].to_numpy() for name in _NAME_FEATURES]
    return np.fromiter((bool(a or b or c or d) for a, b, c, d in zip(*columns, strict=True)), dtype=bool, count=len(feats.table))


def _heard(c: pd.DataFrame, row: int) -> str:
    """What the user typed as contact `row`'s caller's name, and its text: one string."""
    return " ".join(str(c[col].iat[row]) for col in ("heard_name", "text") if col in c and isinstance(c[col].iat[row], str))


def _of_pairs(feats: Features, name: str, i: np.ndarray) -> np.ndarray:
    """Feature `name` of the contacts `i` (one per pair), read through the distinct rows
    `feats` holds: `feats[name].to_numpy()[i]` without its contact-long column."""
    return feats.table[name].to_numpy()[feats.code[i]]


def _slips(kind: np.ndarray, pairs: pd.DataFrame, k: pd.DataFrame, feats: Features, c: pd.DataFrame) -> np.ndarray:
    """Read a one-slip whole name ('typo') as the canary's full name, and a given name typed as a
    whole name ('given_typed': "xiu yun") as its given name, unless a canary there has the name
    said exactly (Bruce Hall beside Bruce Hurley), or the background said that same name on the
    number before the canary was issued (a previous owner, Bruce Hule, is not Bruce Hurley)."""
    typo = np.isin(kind, ("typo", "given_typed"))
    if not typo.any():
        return kind
    i = pairs["i"].to_numpy()
    spelled = np.isin(i, i[kind == "full"])
    said = pd.DataFrame({"to": c["to"].to_numpy(), "at": c["at"].to_numpy(dtype=float), "w": feats["whole_names"].to_numpy()})
    said = said.explode("w").dropna(subset=["w"])
    first = _first_said(said)
    issued = k["issued_at"].to_numpy()[pairs["j"].to_numpy()]
    wholes = feats["whole_names"].to_numpy()[i]
    to = pairs["to"].to_numpy()
    before = np.zeros(len(kind), dtype=bool)
    for n in np.flatnonzero(typo):  # the few pairs read as a slip, not every pair
        before[n] = any(first.get((to[n], w), np.inf) < issued[n] for _, _, w in wholes[n])
    read = np.where(kind == "typo", "full", "given")
    return np.where(typo, np.where(spelled | before, "other", read), kind)


def _word_slips(
    kind: np.ndarray, key: np.ndarray, pairs: pd.DataFrame, k: pd.DataFrame, c: pd.DataFrame, forms: _Forms
) -> tuple[np.ndarray, np.ndarray]:
    """Read a heard name of one English word typed with one slip ("Mr. weeney", "Jospeh") as the
    canary's surname or given name (`canaries.address.slipped_word`), for contacts whose names
    matched no canary. Not when the background typed that same word on the number before the
    canary was issued (a previous owner's name is no slip of a later canary's).

    A word that matched a canary only as the sound of one of its nicknames ("Kye" as Kaye, a
    Katherine's) is read as a slip of another canary's name as well, down to DOUBT_LETTERS
    letters ("Kye" for Kyle): two manglings, neither likelier, so the contact names both and
    singles out neither (held-out 7472: two callers working Kyle's leaked record said "Kye", and
    Katherine's platform was `leaked`). A short word alone is too weak to name a canary by a
    slip, not too weak to leave a nickname's reading in doubt."""
    if forms.chinese or "heard_name" not in c:
        return kind, key
    heard = c["heard_name"].fillna("").astype(str).to_numpy()
    codes, distinct = pd.factorize(heard)  # heard names repeat: each is read once
    slip = canaries.address.slip_candidate
    candidate = np.array([bool(h) and slip(h, DOUBT_LETTERS) is not None for h in distinct])[codes]
    if not candidate.any():
        return kind, key
    # a word one letter shorter than MIN_SLIP may be a longer part with a letter dropped
    long_enough = np.array([bool(h) and slip(h, MIN_SLIP - 1) is not None for h in distinct])[codes]
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    names = k["name"].to_numpy()
    unmatched = _unmatched(kind, i, long_enough)
    nickname = _by_nickname_only(kind, key, j, names, candidate[i])
    doubted = (kind == "none") & candidate[i] & np.isin(i, i[nickname]) & ~np.isin(i, i[(kind != "none") & ~nickname])
    if not (unmatched | doubted).any():
        return kind, key
    rows = np.flatnonzero(candidate)
    first = _first_heard(c, rows, [(h.lower(),) for h in heard[rows]])
    issued, to = k["issued_at"].to_numpy(dtype=float), pairs["to"].to_numpy()
    real = k["real_name"].to_numpy().astype(bool)
    kind, key = kind.copy(), key.copy()
    for n in np.flatnonzero(unmatched | doubted):
        name = names[j[n]]
        if real[j[n]] or not isinstance(name, str) or first.get((to[n], heard[i[n]].lower()), np.inf) < issued[j[n]]:
            continue
        role = canaries.address.slipped_word(heard[i[n]], name, letters=MIN_SLIP if unmatched[n] else DOUBT_LETTERS)
        if role:
            part = name.split()[-1] if role == "surname" else name.split()[0]
            kind[n], key[n] = role, canaries.spoken_key(part, locale="en_US")
    return kind, key


def _by_nickname_only(kind: np.ndarray, key: np.ndarray, j: np.ndarray, names: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Per pair (of those `asked`): matched as a given name said alone through a key that is
    neither the canary's given name's nor its surname's, only a nickname's ("Kye" ~ Kaye)."""
    out = np.zeros(len(kind), dtype=bool)
    for n in np.flatnonzero((kind == "given") & asked):
        name = names[j[n]]
        parts = name.split() if isinstance(name, str) else []
        own = {canaries.spoken_key(w, locale="en_US") for w in (parts[:1] + parts[-1:])}
        out[n] = bool(parts) and key[n] not in own
    return out


def _titled_given(
    kind: np.ndarray, key: np.ndarray, pairs: pd.DataFrame, k: pd.DataFrame, c: pd.DataFrame, forms: _Forms
) -> tuple[np.ndarray, np.ndarray]:
    """Read a title before a word that is no surname ("Mr. Robert", "Ms. Jennifer":
    `canaries.address.titled_given_names`) as the canary's given name said alone when it is that
    name as spelled or as it sounds ("Mr. Jenifer": `canaries.address.same_by_ear`), for contacts
    whose names matched no canary: a script that fills its title slot from a list's first-name
    field. Not when the word was said on the number before the canary's issue."""
    if forms.chinese:
        return kind, key
    found: list[tuple[str, ...]] = [()] * len(c)
    for column in ("heard_name", "text"):
        codes, distinct = pd.factorize(c[column])  # names and texts repeat: each is read once
        read = [canaries.address.titled_given_names(str(t)) for t in distinct]
        hits = np.flatnonzero(np.isin(codes, np.flatnonzero([bool(w) for w in read])))
        for n in hits:
            found[n] = (*found[n], *read[codes[n]])
    has = np.array([bool(w) for w in found], dtype=bool)
    if not has.any():
        return kind, key
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    open_pairs = _unmatched(kind, i, has)
    if not open_pairs.any():
        return kind, key
    rows = np.flatnonzero(has)
    first = _first_heard(c, rows, [found[n] for n in rows])
    issued, names, to = k["issued_at"].to_numpy(dtype=float), k["name"].to_numpy(), pairs["to"].to_numpy()
    real = k["real_name"].to_numpy().astype(bool)
    kind, key = kind.copy(), key.copy()
    for n in np.flatnonzero(open_pairs):
        name = names[j[n]]
        if real[j[n]] or not isinstance(name, str) or not name.split():
            continue
        given = name.split()[0].lower()
        said = next((w for w in found[i[n]] if canaries.address.same_by_ear(w, given)), None)
        if said is not None and first.get((to[n], said), np.inf) >= issued[j[n]]:
            kind[n], key[n] = "given", canaries.spoken_key(given, locale="en_US")
    return kind, key


def _spelled_by_ear(
    kind: np.ndarray, key: np.ndarray, pairs: pd.DataFrame, k: pd.DataFrame, c: pd.DataFrame, forms: _Forms
) -> tuple[np.ndarray, np.ndarray]:
    """Read a heard name of one English word written as it sounds ("Rian" for Ryan, "Nicolas" for
    Nicholas, "Mrs. Heat" for Heath: `canaries.address.spelled_by_ear`) as the canary's given name
    or surname, for contacts whose names matched no canary. Not when the background said that
    same word on the number before the canary's issue (a previous owner's "Rian" is his)."""
    if forms.chinese or "heard_name" not in c:
        return kind, key
    heard = c["heard_name"].fillna("").astype(str).to_numpy()
    codes, distinct = pd.factorize(heard)  # heard names repeat: each is read once
    words = [canaries.address.heard_word(h) if h else None for h in distinct]
    candidate = np.array([w is not None for w in words], dtype=bool)[codes]
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    open_pairs = _unmatched(kind, i, candidate)
    if not open_pairs.any():
        return kind, key
    rows = np.flatnonzero(candidate)
    first = _first_heard(c, rows, [(words[codes[n]][0],) for n in rows])  # type: ignore[index]
    issued, names, to = k["issued_at"].to_numpy(dtype=float), k["name"].to_numpy(), pairs["to"].to_numpy()
    real = k["real_name"].to_numpy().astype(bool)
    kind, key = kind.copy(), key.copy()
    for n in np.flatnonzero(open_pairs):
        name, word = names[j[n]], words[codes[i[n]]]
        if real[j[n]] or not isinstance(name, str) or word is None or first.get((to[n], word[0]), np.inf) < issued[j[n]]:
            continue
        role = canaries.address.spelled_by_ear(heard[i[n]], name)
        if role:
            part = name.split()[-1] if role == "surname" else name.split()[0]
            kind[n], key[n] = role, canaries.spoken_key(part, locale="en_US")
    return kind, key


def _unmatched(kind: np.ndarray, i: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """The pairs of the `candidate` contacts (a boolean per contact, indexed by the pairs' `i`)
    whose names matched no canary in any of their pairs."""
    return (kind == "none") & candidate[i] & ~np.isin(i, i[kind != "none"])


def _first_heard(c: pd.DataFrame, rows: np.ndarray, words: list[tuple[str, ...]]) -> dict[tuple[object, str], float]:
    """(identifier, word) -> when the word was first heard there, from the words each of contacts
    `rows` said (`words`, in the same order)."""
    first: dict[tuple[object, str], float] = {}
    lines, times = c["to"].to_numpy(), c["at"].to_numpy(dtype=float)
    for n, said in zip(rows.tolist(), words, strict=True):
        for w in said:
            spot = (lines[n], w)
            first[spot] = min(first.get(spot, np.inf), float(times[n]))
    return first


def _first_said(said: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(identifier, whole-name key) -> when it was first said there."""
    keys = [w[2] for w in said["w"]]
    frame = pd.DataFrame({"to": said["to"].to_numpy(), "key": keys, "at": said["at"].to_numpy()})
    first = frame.groupby(["to", "key"], as_index=False)["at"].min()
    return {(str(to), str(key)): float(at) for to, key, at in first.itertuples(index=False)}


def _callers_of_someone_else(
    kind: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    campaign: np.ndarray,
    real: np.ndarray,
    namesake: np.ndarray,
) -> np.ndarray:
    """A caller (campaign) who named somebody else to this canary's number is calling that
    person: a previous owner's friends say "William" and his collectors "Mr. Bell". Its matches
    by a name used alone ("given") are that person's too, not the canary's.

    A caller who asked this number for a whole name with the canary's surname and another given
    name (`namesake`: 耿东 to the number of canary 耿建) is calling that namesake: its "耿女士" and
    "耿先生" there are that person's as well, list worker or not (a list holding the canary's
    record would say 耿建). A recycled number's previous owner's collectors ask for both forms for
    months (dev seed 5639 `recycled`: read as the canary's surname said on many days, an
    innocent platform was `leaked`).

    Somebody else is a name nobody here carries: a contact that named a canary on the number,
    the user's real name on a KYC canary included ("Hi Ms. Wells" to the user's own number), named
    someone who is here, and counts as no other person for the canaries it did not name. A caller
    that greets the user by the real name and canary Amanda as "Dear Amanda" works a list holding
    both records of this number; the same holds when it greets canaries by their made-up names
    ("Mr. Lowery", "Adam Norton"): its "Hi Laura" to the number of canary Laura Vega is hers."""
    has = pd.notna(campaign)
    if not (has & ((kind == "given") | namesake)).any():
        return kind
    # only the pairs of a campaign that named somebody are read, and the campaign and the
    # (campaign, canary) unit as integers: equal where their strings ("g_…" and "g_…|j") were,
    # without two strings per pair (~200 MiB of them at 5M contacts)
    rows = np.flatnonzero(has & ((kind != "none") | namesake))
    said, code = kind[rows], pd.factorize(campaign[rows])[0].astype(np.int64)
    unit = code * (int(j.max()) + 1) + j[rows]
    names_here = np.isin(i[rows], i[np.isin(kind, NAMING_KINDS)])
    elsewhere = unit[(said == "other") & ~names_here]
    list_workers = code[np.isin(said, ("surname", "full")) & ~real[rows]]
    demote = (said == "given") & _among(unit, elsewhere) & ~_among(code, list_workers)
    demote |= np.isin(said, ("surname", "given")) & _among(unit, unit[namesake[rows]])
    kind = kind.copy()
    kind[rows[demote]] = "other"
    return kind


def _among(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Per value: is it one of `members` (`np.isin` through a hash table of the few members,
    not a sort of every value)?"""
    return pd.Index(np.unique(members)).get_indexer(values) >= 0


class _Forms:
    """Each canary's name as callers may say it: surname keys (with a cut compound), given-name
    keys (with nicknames), and the whole-name key; worked out when first asked for (a vault holds
    tens of thousands of canaries, few of them ever named by a caller)."""

    def __init__(self, k: pd.DataFrame, locale: str) -> None:
        self._names = k["name"].to_numpy()
        self._locale = locale
        self.chinese = locale.startswith("zh")
        self._cache: dict[int, tuple[frozenset[str], frozenset[str], str]] = {}

    def of(self, j: int) -> tuple[frozenset[str], frozenset[str], str]:
        """(surname keys, given-name keys, whole-name key) of canary `j`."""
        found = self._cache.get(j)
        if found is None:
            name = self._names[j]
            forms = canaries.forms(name, self._locale) if isinstance(name, str) and name else ()
            found = (
                frozenset(f.key for f in forms if f.part in ("surname", "cut")),
                frozenset(f.key for f in forms if f.part in ("given", "nick")),
                next((f.key for f in forms if f.part == "full"), ""),
            )
            self._cache[j] = found
        return found

    def slipped_whole(self, j: int, heard: str) -> bool:
        """Does `heard` say canary `j`'s whole name with one slip in one part (English)?"""
        name = self._names[j]
        return isinstance(name, str) and canaries.address.slipped_whole(heard, name)

    def keeps_a_part(self, j: int, wholes: tuple) -> bool:
        """Does a whole name said hold a word with the key of canary `j`'s surname or given name?"""
        surname, given, _ = self.of(j)
        return any(x in surname or x in given for s, g, _ in wholes for x in (s, g))

    def surname_key(self, j: int, said: tuple) -> str:
        """The key of canary `j`'s surname that the caller said (its longest, if none was)."""
        surname = self.of(j)[0]
        return next((s for s in said if s in surname), max(surname, key=len, default=""))

    def match(self, j: int, said: tuple, wholes: tuple, alone: tuple, exact: bool) -> tuple[str, str]:
        """(kind, the said key that matched) for canary `j` and one contact's names."""
        surname, given, whole = self.of(j)
        if exact or any(w == whole for _, _, w in wholes):
            return "full", next((s for s in said if s in surname), max(surname, key=len, default=""))
        # a name with no surname in it that sounds like the canary's whole name (空楠 for 孔楠):
        # the whole name typed by ear or through an input method, its surname's homophone no
        # surname of its own, so it read as a given name said alone
        if self.chinese and whole and whole in alone:
            return "full", max(surname, key=len, default="")
        if any(canaries.mistyped(w, whole) for _, _, w in wholes):
            return "typo", next((s for s in said if s in surname), max(surname, key=len, default=""))
        # a given name typed in pinyin ("xiu yun" for 秀云) reads as a surname and a given name;
        # as the canary's given name alone it is hers, unless said there before (`_slips`)
        if self.chinese and (hit := next((w for _, _, w in wholes if w in given), None)):
            return "given_typed", hit
        if any(s in surname and g not in given for s, g, _ in wholes):
            return "other", ""
        hit = next((s for s in said if s in surname), None)
        if hit is not None:
            return "surname", hit
        # a name used alone ("Hi Bob", "Rivera, your order…", "建国你好"): a given name, or a
        # surname said as one; either is weaker than a surname with a title (see verdicts)
        hit = next((g for g in alone if g in given or g in surname), None)
        if hit is not None:
            return "given", hit
        return "none", ""


def _token_hits(pairs: pd.DataFrame, feats: Features, k: pd.DataFrame) -> np.ndarray:
    """Per pair: does the contact quote one of this canary's tokens (markers, alias local part)?"""
    table = feats.table["tokens"].to_numpy()
    rows = feats.code[pairs["i"].to_numpy()]
    hits = np.zeros(len(pairs), dtype=bool)
    # few contacts quote anything: which distinct texts do, then which pairs
    quoted = np.flatnonzero(np.fromiter(map(bool, table), dtype=bool, count=len(table))[rows])
    tokens = table[rows[quoted]]
    del rows
    emails = k["email"].to_numpy()[pairs["j"].to_numpy()[quoted]]
    carried = k["markers"].to_numpy()[pairs["j"].to_numpy()[quoted]]
    for n, found, email, marks in zip(quoted, tokens, emails, carried, strict=True):
        own = {canaries.markers.canonical(t) for t in marks}
        own |= {email.split("@")[0].split("+")[-1].casefold()} if email else set()
        hits[n] = any(t.casefold() in own for t in found)
    return hits


# -- the fit -----------------------------------------------------------------------------------


def _lr(pairs: dict[str, np.ndarray], q_leak: np.ndarray, q_bg: np.ndarray, topic_lr: np.ndarray) -> np.ndarray:
    """Likelihood ratio of each pair's features: leak from that canary vs the background.
    `pairs` holds the pair columns as arrays and masks (`_pair_arrays`), `q_leak` and `q_bg` the
    naming shares of each pair's channel (`_naming`): this runs every EM step."""
    # q_leak / (q_bg * max(p_bg, 1e-9)) and q_leak * MISHEARD * other_ratio / q_bg, each made in
    # place (the same operations in the same order: the same bits; this runs every EM step)
    named_lr = np.maximum(pairs["p_bg_name"], 1e-9)
    named_lr *= q_bg
    np.divide(q_leak, named_lr, out=named_lr)
    other = pairs["other_ratio"] * (q_leak * MISHEARD)
    other /= q_bg
    lr = np.select([pairs["full"], pairs["named"], pairs["other"]], [named_lr, named_lr, other], (1 - q_leak) / (1 - q_bg))
    del named_lr, other
    # reaching a canary alias is knowing a token: the random local part is the canary's secret
    np.multiply(lr, TOKEN_LR, out=lr, where=pairs["secret"])
    lr *= topic_lr
    return lr


def _lr_in_blocks(
    pairs: dict[str, np.ndarray], q_leak: np.ndarray, q_bg: np.ndarray, channel: np.ndarray, topic_shares: np.ndarray,
    topics: _Topics,
) -> np.ndarray:
    """`_lr` of every pair, BLOCK pairs at a time (each pair's own arithmetic: the same bits), so
    that its temporaries are a block long: `q_leak` and `q_bg` per channel, `channel` per pair."""
    lr = np.empty(len(channel))
    for lo in range(0, len(channel), BLOCK):
        rows = slice(lo, lo + BLOCK)
        block = {name: column[rows] for name, column in pairs.items()}
        lr[rows] = _lr(block, q_leak[channel[rows]], q_bg[channel[rows]], topics.lr_at(topic_shares, rows))
    return lr


def _pair_arrays(pairs: pd.DataFrame) -> dict[str, np.ndarray]:
    """What `_lr` reads, computed once: the name kinds as masks (comparing a million strings
    each EM step was most of its time) and the token factor."""
    # compared as the columns hold them: `to_numpy(dtype=object)` of an Arrow string column
    # makes a Python string per pair (~190 MiB at 5M contacts, the EM's largest transient)
    kind = pairs["name_kind"]
    secret = pairs["token"].to_numpy() | _is(pairs["via"], "email")
    return {
        "full": _is(kind, "full"),
        "named": _is(kind, "surname") | _is(kind, "given"),
        "other": _is(kind, "other"),
        "secret": secret,  # a factor of TOKEN_LR where set (1 elsewhere)
        "p_bg_name": pairs["p_bg_name"].to_numpy(),
        "other_ratio": pairs["other_ratio"].to_numpy(),
    }


class _Topics:
    """Topic evidence: fixed per pair except the background's topic shares, re-weighted per step."""

    def __init__(self, pairs: pd.DataFrame, feats: Features, k: pd.DataFrame) -> None:
        # topics per distinct text, then per contact: no contact-long column of objects
        table_codes, labels = pd.factorize(feats.table["topic"], use_na_sentinel=True)
        self.n_topics = len(labels)
        codes = table_codes[feats.code]
        pair_topic = _narrowest(codes[pairs["i"].to_numpy()])  # a topic's code: a byte a pair
        category = k["category"].map(content.canonical_category).to_numpy()[pairs["j"].to_numpy()]
        category_code = pd.Index(labels).get_indexer(category)
        self.pair_topic = pair_topic
        self.match = (pair_topic >= 0) & (pair_topic == category_code)
        # a contact of no topic counts in a last bin of its own, which `lr` leaves out: each
        # topic's sum is over the same contacts in the same order as over the known ones alone
        self.bins = _narrowest(np.where(codes >= 0, codes, self.n_topics))

    def shares(self, bg_weight: np.ndarray) -> np.ndarray:
        """Per topic: its share of the background's weight."""
        counts: np.ndarray = np.zeros(1)  # no topic known: nothing counted, as before
        if self.n_topics:
            counts = np.bincount(self.bins, weights=bg_weight, minlength=self.n_topics + 1)[: self.n_topics]
        return counts / max(float(bg_weight.sum()), 1e-9)

    def lr_at(self, shares: np.ndarray, rows: slice) -> np.ndarray:
        """The topic factor of the pairs at `rows`, from the topics' `shares`."""
        # clip(ON_TOPIC / max(p_bg, 1e-3) + (1 - ON_TOPIC)) where the topic matches, else 1: the
        # same operations in place, on one pair-long array (this runs inside every EM step)
        boosted = shares[np.maximum(self.pair_topic[rows], 0)]
        np.maximum(boosted, 1e-3, out=boosted)
        np.divide(ON_TOPIC, boosted, out=boosted)
        boosted += 1 - ON_TOPIC
        np.clip(boosted, 1.0, TOPIC_LR_CAP, out=boosted)
        boosted[~self.match[rows]] = 1.0
        return boosted


def _campaign_tilt(
    camp: np.ndarray, post_b: np.ndarray, first_party: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A campaign is one caller: its other contacts say whether it is background or a leak buyer.

    Each contact's background and leak weights are tilted by the share of background among the
    *other* contacts of its campaign (leave-one-out, smoothed with one pseudo-contact at the
    overall background share), relative to that overall share.
    """
    n = len(camp)
    member = (camp >= 0) & ~first_party
    if not member.any():
        return np.ones(n), np.ones(n)
    share = float(np.clip(post_b[~first_party].mean(), 0.01, 0.99))
    codes = camp[member]
    sums = np.bincount(codes, weights=post_b[member])
    sizes = np.bincount(codes).astype(float)
    del codes
    tilt_b, tilt_l = np.ones(n), np.ones(n)
    # (sums - own + share) / (others + 1) in place, a block of contacts at a time: the same
    # operations per member, fewer and shorter arrays at once
    for lo, hi, _, _ in _member_blocks(member):
        rows = member[lo:hi]
        codes = camp[lo:hi][rows]
        loo = sums[codes]
        loo -= post_b[lo:hi][rows]
        loo += share
        loo /= sizes[codes]  # others + 1, the other members and the pseudo-contact: whole counts, exact
        tilt_b[lo:hi][rows] = loo / share
        tilt_l[lo:hi][rows] = (1 - loo) / (1 - share)
    return tilt_b, tilt_l


def _early(pairs: pd.DataFrame, feats: Features, k: pd.DataFrame, topics: _Topics, own_line: np.ndarray) -> np.ndarray:
    """Per pair: the weight of 'the platform itself sent it', own_line x exp(-age / OWN_WINDOW_DAYS),
    for a call or SMS on the platform's topic (or of no known topic) and 0 otherwise. An SMS signed
    with a 【brand】 is not eligible: the platform's own signature made it first-party already, so
    any other signature names another sender. Nor is a contact from a third party (`own_line` 0)."""
    age = (pairs["at"].to_numpy() - k["issued_at"].to_numpy()[pairs["j"].to_numpy()]) / DAY
    on_topic = topics.match | (topics.pair_topic < 0)
    unsigned = pd.isna(_of_pairs(feats, "brand", pairs["i"].to_numpy()))
    eligible = on_topic & unsigned & (pairs["channel"].to_numpy() != "email") & (own_line > 0)
    eligible &= age <= OWN_CUTOFF * OWN_WINDOW_DAYS
    return np.where(eligible, own_line * np.exp(-np.maximum(age, 0.0) / OWN_WINDOW_DAYS), 0.0)


def _line_evidence(c: pd.DataFrame, k: pd.DataFrame, pairs: pd.DataFrame, campaign: np.ndarray, odds: np.ndarray) -> np.ndarray:
    """Per pair: how well its contact's caller fits the platform's own sales line, as a factor on
    the own-sales weight. A company's line shows one number (a hotline, an agent's phone) and
    follows a new user up for a few weeks. The contact alone gives `odds`
    (`campaigns.own_line_odds`): a withheld or virtual-operator caller is not that line at all
    (0), as the verdicts' `_could_be_its_line` already holds: telemarketing rules require the
    caller's own number shown (the US Telemarketing Sales Rule; China's rules for commercial
    calls), and the virtual ranges are the centres' (dev 6315, 6413 `late`: a withheld or spoofed
    partner's named call kept 0.1-0.34 of its weight as the platform's own); a neighbour match is
    a spoof, the centres' way to get answered, or a local agent's number that shares the line's
    exchange by chance (`campaigns.NEIGHBOUR_OWN`, held-out 8160: StaffHub's own agent's mobile,
    +1 425 749…, to its canary's +1 425 749…). A caller that shows
    several numbers (a centre rotating through rented numbers, linked by block, callback or
    template), or one that still rings the canary's line past the follow-up horizon (a list
    being worked) is ROTATING times less likely to be that line: either a sales team may also
    do. A text (SMS) is never that line's (0): a company's own text names it (in China a
    registered 【signature】 is the law for commercial SMS; US carriers require business texts
    to identify their sender), one that names the platform is first-party already
    (`firstparty`), one signed by another name is that sender's (`_early`), and one that names
    no sender is no company's lawful message but a list's (dev seeds: "Regarding the delivery to
    Suite …", "Dear Tyler Chang, in the mail about your …" kept 0.07-0.13 of their weight as the
    platform's own, under a tilt of ROTATING). What a call says cannot show who rings; a text
    shows who sends it, or that it hides it. The caller's other contacts count here and not
    in the verdicts' `_could_be_its_line`: a factor of ROTATING only tilts a rate the rest of the
    evidence still moves, while the verdicts' test decides alone."""
    caller = _caller_codes(c["from"])
    phone = c["channel"].to_numpy() != "email"
    text = c["channel"].to_numpy() == "sms"
    loose = np.zeros(len(c), dtype=bool)
    last = c["at"].to_numpy(dtype=float).copy()
    member = (campaign >= 0) & phone & (caller >= 0)
    if member.any():
        members = pd.DataFrame({"g": campaign[member], "from": caller[member], "at": last[member]})
        shown = members.groupby("g")["from"].nunique()
        loose[member] |= shown.reindex(campaign[member]).to_numpy() >= 2
        last[member] = members.groupby("g")["at"].max().reindex(campaign[member]).to_numpy()
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    late = (last[i] - k["issued_at"].to_numpy()[j]) / DAY > OWN_CUTOFF * OWN_WINDOW_DAYS
    return np.where(text[i], 0.0, odds[i] * np.where(loose[i] | late, ROTATING, 1.0))


def _caller_codes(callers: pd.Series) -> np.ndarray:
    """Each contact's caller as a code among the distinct callers (-1: none shown, or an empty
    one): what comparing and counting the callers' strings tells, without a Python string per
    contact (`fillna("").astype(str)` makes an Arrow string column and `to_numpy()` a new string
    object for every contact: ~300 MiB at 5M contacts)."""
    codes, distinct = pd.factorize(callers, use_na_sentinel=True)
    empty = np.flatnonzero(np.asarray(distinct, dtype=object) == "")
    return np.where(np.isin(codes, empty), -1, codes) if len(empty) else codes


def given_identifiers(k: pd.DataFrame) -> pd.DataFrame:
    """Which platform was given which identifier: the canaries' numbers and aliases (columns to,
    platform), as first-party detection and the own-line tests (`not_its_line`) read them."""
    return pd.concat(
        [k[["phone", "platform"]].rename(columns={"phone": "to"}), k[["email", "platform"]].rename(columns={"email": "to"})]
    ).dropna(subset=["to"])


def not_its_line(
    c: pd.DataFrame,
    k: pd.DataFrame,
    pairs: pd.DataFrame,
    group: np.ndarray,
    given: pd.DataFrame,
    primary: str | None,
    feats: Features,
) -> np.ndarray:
    """Per pair: do the other contacts of the contact's `group` (a campaign here; one caller
    number in the verdicts' `_while_calling_itself`; -1 for none) show a caller that is not the
    pair's platform's own line? A platform's own sales staff know what their platform was given
    and from the signup on, and sell its business: a caller that also reached an identifier the
    platform never had (`_third_party`), greeted another platform's canary by its made-up name
    (`_names_others`), or rang the user before the platform had a canary or pitched another
    business (`_known_before_or_selling_else`) works a list."""
    third = _third_party(c, k, pairs, group, given, primary) | _names_others(pairs, group)
    return third | _known_before_or_selling_else(c, k, pairs, group, feats)


def _third_party(
    c: pd.DataFrame,
    k: pd.DataFrame,
    pairs: pd.DataFrame,
    campaign: np.ndarray,
    given: pd.DataFrame,
    primary: str | None,
) -> np.ndarray:
    """Per pair: does the contact's campaign (one caller, callback number or template) also reach
    an identifier never given to the pair's platform? A platform's own sales line can only know
    what the platform was given (the user's primary number excepted: real accounts know it), so
    such a caller is somebody else: a partner, a breach crew or a broker's client. `given`: which
    platform was given which identifier (columns to, platform), as first-party detection reads it."""
    g_of = campaign[pairs["i"].to_numpy()]
    if not (g_of >= 0).any():
        return np.zeros(len(pairs), dtype=bool)
    reached = pd.DataFrame({"g": campaign, "to": c["to"].to_numpy()})
    reached = reached[(reached["g"] >= 0) & reached["to"].notna() & (reached["to"] != primary)]
    reached = reached.drop_duplicates()
    covered = reached.merge(given.drop_duplicates(), on="to").groupby(["g", "platform"]).size().reset_index(name="n")
    size = reached.groupby("g").size()
    whole = covered[covered["n"].to_numpy() == covered["g"].map(size).to_numpy()]
    own_lines = set(zip(whole["g"], whole["platform"], strict=True))
    platforms = k["platform"].to_numpy()[pairs["j"].to_numpy()]
    inside = [(g, name) in own_lines for g, name in zip(g_of, platforms, strict=True)]
    return (g_of >= 0) & np.isin(g_of, size.index.to_numpy()) & ~np.array(inside, dtype=bool)


def _known_before_or_selling_else(
    c: pd.DataFrame, k: pd.DataFrame, pairs: pd.DataFrame, campaign: np.ndarray, feats: Features
) -> np.ndarray:
    """Per pair: did the contact's campaign (one caller, rented block, callback number or
    template) ring the user before the pair's platform had a canary, or pitch another business
    than the platform's on any of its contacts? A platform's own sales line learns the user from
    the signup and sells its own business; a caller already ringing before, or selling loans for
    a shop, works a list (dev 6260: a caller that asked the primary for 汪建华 and 小姐姐 days
    before the shop's signup, and offered loans, read as the shop's own line when it asked for
    its canary 翟坤). A contact's own topic is `_early`'s; this reads the caller's others."""
    g = campaign[pairs["i"].to_numpy()]
    member = campaign >= 0
    if not (g >= 0).any():
        return np.zeros(len(pairs), dtype=bool)
    n_g = int(campaign.max()) + 1
    first = np.full(n_g, np.inf)
    np.minimum.at(first, campaign[member], c["at"].to_numpy(dtype=float)[member])
    platform_first = k.groupby("platform")["issued_at"].transform("min").to_numpy(dtype=float)
    before = first[np.maximum(g, 0)] < platform_first[pairs["j"].to_numpy()]
    # (campaign, topic) once each, then per pair: a topic of its campaign other than its category
    topic = _of_pairs(feats, "topic", np.flatnonzero(member))
    known = pd.notna(topic)
    said = pd.DataFrame({"g": campaign[member][known], "topic": topic[known]}).drop_duplicates()
    topics = np.bincount(said["g"].to_numpy(), minlength=n_g)[np.maximum(g, 0)]
    category = k["category"].map(content.canonical_category).to_numpy()[pairs["j"].to_numpy()]
    own_topic = pd.MultiIndex.from_arrays([g, category]).isin(pd.MultiIndex.from_frame(said))
    return (g >= 0) & (before | (topics - own_topic > 0))


def _names_others(pairs: pd.DataFrame, campaign: np.ndarray) -> np.ndarray:
    """Per pair: does the contact's campaign also greet another platform's canary by its made-up
    name (a name that singles that canary out)? A platform's own sales line knows only the name
    its user gave it, so such a caller works a list: a partner, a broker or their client."""
    g = campaign[pairs["i"].to_numpy()]
    named = made_up_name(pairs)
    if not (named & (g >= 0)).any():
        return np.zeros(len(pairs), dtype=bool)
    i = pairs["i"].to_numpy()
    # a name two platforms' canaries share tells neither apart: only names one platform's canary has
    lone = pd.Series(pairs["p"].to_numpy()[named]).groupby(i[named]).nunique()
    one = named & (pd.Series(i).map(lone).fillna(0).to_numpy() == 1) & (g >= 0)
    p = pairs["p"].to_numpy().astype(np.int64)
    span = int(p.max()) + 1
    # (campaign, platform) as one integer: which platforms' canaries each campaign greeted
    key = g.astype(np.int64) * span + p
    greeted = np.unique(key[one])
    n_named = np.bincount(greeted // span, minlength=int(g.max()) + 1)[np.maximum(g, 0)]
    own_named = np.isin(key, greeted)
    return (g >= 0) & (n_named - own_named > 0)


@dataclass(frozen=True)
class Problem:
    """What the EM fits. i indexes `contacts` (c), j `canaries` (k), p `platforms`."""

    contacts: pd.DataFrame  # c: one row per contact i (to, at, channel, …)
    feats: Features  # features.extract, row i: named, topic, tokens, …
    canaries: pd.DataFrame  # k: one row per canary j (platform, issued_at, phone, email, …)
    pairs: pd.DataFrame  # one row per candidate (i, j): j's identifier reached i; its evidence
    first_party: np.ndarray  # bool per i: the platform's own traffic, never a leak
    platforms: list[str]  # p -> name
    window_days: float  # days observed (first canary or contact to last contact), at least 1
    end: float  # epoch seconds of the last contact
    campaign: np.ndarray  # per i: its campaign's code, -1 for none
    own_line: _Coded  # per pair: factor on p's own-sales weight: 0 for a caller that reached
    # what p was never given (`_third_party`) or is no company's line (`_line_evidence`), ROTATING
    # for one that is no stable line, else 1


@dataclass(frozen=True)
class EmState:
    """The fitted mixture. Legend (docs/attribution.md):
    - post_b[i]: P(background | i), 0 for first-party contacts;
    - ip (frame i, p, lr, post): per contact and platform holding a canary on what i reached,
      lr = the pairs' likelihood ratios against the background summed, post = P(p's leak | i);
    - own (frame i, p, lr, post): the same for p's own sales contact in its first weeks;
    - own_rate[p]: mu_p, p's own-sales rate per day of decay-weighted exposure;
    - background_rate[x]: lambda_B(x) per day, x = to_codes[i];
    - q_leak, q_bg: P(the caller used a name | leak), P(… | background);
    - platforms: per p, p_leaked, log_bayes_factor, rate (lambda_p) and exposure_days;
    - pairs: the candidate pairs with their final lr, `early` (inside the own-sales window) and
      `steady` (early, from a caller that fits the platform's own line: one number, shown openly)."""

    ip: pd.DataFrame
    own: pd.DataFrame
    own_rate: np.ndarray
    post_b: np.ndarray
    platforms: pd.DataFrame
    pairs: pd.DataFrame
    q_leak: float
    q_bg: float
    background_rate: np.ndarray
    to_codes: np.ndarray


def _em(problem: Problem) -> EmState:
    c, feats, k, pairs = problem.contacts, problem.feats, problem.canaries, problem.pairs
    first_party, window_days, end, camp = problem.first_party, problem.window_days, problem.end, problem.campaign
    n, n_p = len(c), len(problem.platforms)
    to_codes, to_values = pd.factorize(c["to"].fillna("").to_numpy())  # no contact-long copy kept
    to_codes = narrow_index(to_codes)
    is_mail = np.array(["@" in v for v in to_values], dtype=bool)
    exposure_days = np.zeros(n_p)
    issued_days = np.maximum(end - k["issued_at"].to_numpy(), 0) / DAY
    platform_of_k = k["platform"].map({p: i for i, p in enumerate(problem.platforms)}).to_numpy()
    np.add.at(exposure_days, platform_of_k, issued_days)
    lam_b = np.full(len(to_values), BACKGROUND_PRIOR_RATE)
    lam_b[is_mail] = 0.5 / max(window_days * max(k["email"].notna().sum(), 1), 1.0)
    p_leak = np.full(n_p, 0.3)
    named = feats["named"].to_numpy()
    post_b = np.ones(n)
    q_leak, q_bg, prior = 0.5, 0.1, 0.3
    i_idx, p_idx = pairs["i"].to_numpy(), pairs["p"].to_numpy()
    topics = _Topics(pairs, feats, k)
    own_weight = _early(pairs, feats, k, topics, problem.own_line.whole())
    early = own_weight > 0
    own_weight = own_weight[early]  # the steps read the early pairs' only
    exclusive = np.zeros(n, dtype=bool)
    exclusive[pairs["i"].to_numpy()[alone(pairs)]] = True
    own_days = np.zeros(n_p)  # the own-sales exposure: the decay kernel integrated per canary
    np.add.at(own_days, platform_of_k, OWN_WINDOW_DAYS * -np.expm1(-issued_days / OWN_WINDOW_DAYS))
    mu = np.full(n_p, OWN_PRIOR_CONTACTS / OWN_WINDOW_DAYS)
    tilt_b, tilt_l = np.ones(n), np.ones(n)
    log_bf = np.zeros(n_p)
    ip, own = _Groups(i_idx, p_idx, n_p), _Groups(i_idx[early], p_idx[early], n_p)
    # the other callers' groups first: their sorts are the set-up's largest temporaries, and the
    # excess', the bursts' and the fresh leads' arrays need not be alive beside them
    callers = _OtherCallers(camp, to_codes, first_party, ip, len(to_values), n_p)
    # a leak's rate per medium: a leaked record's number is worked by callers and its address by
    # mailers, each at its own rate (`_media`); its rate at a candidate is rho, its medium's
    media, media_days = _media(ip, is_mail[to_codes[ip.i]], k, platform_of_k, issued_days, n_p)
    rho = np.full(ip.n, 0.05)
    channel = _channels(c["channel"])
    channel_ip, channel_pair = channel[ip.i], channel[i_idx]
    q_leak_ch, q_bg_ch = np.full(len(CHANNELS), q_leak), np.full(len(CHANNELS), q_bg)
    exclusive_ip = exclusive[ip.i]
    del exclusive
    columns = _pair_arrays(pairs)
    first_issue = np.full(n_p, end / DAY)
    np.minimum.at(first_issue, platform_of_k, k["issued_at"].to_numpy(dtype=float) / DAY)
    at_ip = c["at"].to_numpy(dtype=float)[ip.i] / DAY
    # the excess next: its kernel sums are the largest temporaries left before the steps, and the
    # bursts' and the fresh leads' arrays need not be alive beside them
    excess = _Excess(pairs, k, ip, exclusive_ip & ~first_party[ip.i], to_codes, at_ip, end / DAY)
    bursts = _Bursts(ip.p, at_ip, exclusive_ip | named[ip.i], first_issue, end / DAY, ip.sum(_dated(pairs)) > 0)
    del at_ip
    fresh = _fresh(pairs, k, ip, end)
    # the pairs' times and channels have no reader past here: the frame is the fit's own (`_pairs`
    # made it), and `channel`'s block also holds the `to` the fit dropped (24 bytes a pair)
    del pairs["at"], pairs["channel"]
    burst = fresh  # read only: each step makes a new one
    # the factors other than 1 only (the telling candidates', `_fresh`): each step's bursts are
    # multiplied by them; where nearly every candidate tells (12 bytes each then, against 8),
    # by the whole array (times 1 elsewhere: the same bits)
    moved = np.flatnonzero(fresh != 1.0)
    fresh_at: Any = slice(None)  # an index array or a slice
    fresh_by = fresh
    if 3 * len(moved) < 2 * len(fresh):
        fresh_at, fresh_by = narrow_index(moved), fresh[moved]  # every telling candidate's: int32, not int64
    del fresh, moved
    post_ip = np.zeros(ip.n)
    for step in range(ITERATIONS):
        shares = topics.shares(post_b * ~first_party)
        lr = _lr_in_blocks(columns, q_leak_ch, q_bg_ch, channel_pair, shares, topics)
        # what the pairs' lr is made from: after the last step it is made again from the last
        # step's (a few numbers per channel and topic; the same bits), not held through the step
        lr_from = (q_leak_ch, q_bg_ch, shares)
        ip_lr, own_lr = ip.sum(lr), own.sum(lr[early] * own_weight)
        del lr, shares
        # contact-long arrays are made in place and dropped after their last reader (the same
        # operations in the same order: the same bits), so that few are alive at once; the last
        # step's tilts are made here (1 on the first step), not all at once at the end of the
        # last step. The leaks' weights come first: the previous posteriors and the leaks' tilts
        # go before the background's other callers are weighed (that step's largest temporaries,
        # two member-long arrays), and the other callers' factors are multiplied into the weights
        # they scale (1 on the first step, and for a contact of no campaign: the same bits)
        if step:
            tilt_b, tilt_l = _campaign_tilt(camp, post_b, first_party)
        s_ip = rho * burst  # rho is per candidate: its platform's rate in the candidate's medium
        del burst
        leak = p_leak[ip.p]
        leak *= excess(lam_b, mu)
        np.maximum(s_ip, leak, out=s_ip)
        del leak
        s_ip *= ip_lr
        s_ip *= tilt_l[ip.i]
        if step:
            callers.leaks(post_ip, into=s_ip)
        del post_ip
        s_own = mu[own.p] * own_lr * tilt_l[own.i]
        del tilt_l
        bg_i = lam_b[to_codes]
        bg_i *= tilt_b
        del tilt_b
        if step:
            callers.background(post_b, into=bg_i)
        total = np.bincount(ip.i, s_ip, minlength=n).astype(float, copy=False)  # of integers when empty
        total += bg_i  # bg_i + the leaks' sum, then the own sales' (addition commutes exactly)
        total += np.bincount(own.i, s_own, minlength=n)
        del post_b
        bg_i /= total
        bg_i[first_party] = 0.0
        post_b = bg_i
        del bg_i
        post_ip = total[ip.i]
        np.divide(s_ip, post_ip, out=post_ip)
        post_own = s_own / total[own.i]
        own_count = np.bincount(own.p, weights=post_own, minlength=n_p)
        mu = (own_count + OWN_PRIOR_CONTACTS) / (own_days + OWN_WINDOW_DAYS)
        tilt = rho * ip_lr  # s_ip / max(rho * ip_lr, 1e-300): the tilts before they move on
        np.maximum(tilt, 1e-300, out=tilt)
        np.divide(s_ip, tilt, out=tilt)
        del s_ip
        ratio = _leak_ratio(ip, ip_lr, total, rho, tilt)
        del total, tilt
        # the leaks' rates before the tilts: they read none of them
        # a named contact on a shared number stands for 1/q of its channel's leak contacts there
        telling = np.where(exclusive_ip, 1.0, named[ip.i] / q_leak_ch[channel_ip])
        lam_p = _leak_rates(ip.p, ratio, exposure_days, n_p, telling)
        lam_b = _background_rates(post_b, to_codes, is_mail, window_days, len(to_values))
        if step % BAYES_EVERY == 0:
            log_bf = _log_bayes_factor(ip.p, ratio, exposure_days, n_p)
            p_leak, prior = _p_leaked(log_bf, prior)
        if step < ITERATIONS - 1:
            # the next step's rates and bursts (the last step's would have no reader); the bursts
            # after every other reader of the ratios and `telling`, with neither alive beside them
            rho = p_leak[ip.p] * _leak_rates(media, ratio, media_days, 2 * n_p, telling)[media]
            del ratio  # read after the last step only
            weight = post_ip * telling
            del telling
            burst = bursts(weight, lam_p, post_ip)  # noqa: F841 (read by the next step, after a del)
            del weight
            burst[fresh_at] *= fresh_by  # times 1 elsewhere: the same bits
        else:
            del telling
        # how often leak callers use a name, learned where the number cannot be shared: contacts
        # on an identifier only one canary had (on shared numbers the estimate feeds on itself)
        w_leak = np.bincount(ip.i, post_ip * exclusive_ip, minlength=n)
        q_leak = float((w_leak * named).sum() + 1) / float(w_leak.sum() + 2)
        del w_leak
        q_bg = float((post_b * named).sum() + 1) / float(post_b.sum() + 2)
        q_leak_ch = _naming(channel, named, np.bincount(ip.i, post_ip, minlength=n), q_leak)
        q_bg_ch = _naming(channel, named, post_b, q_bg)
    log_bf = _log_bayes_factor(ip.p, ratio, exposure_days, n_p)
    p_leak, prior = _p_leaked(log_bf, prior)
    # the steps' own state goes before the results' frames are built beside it
    del ratio, rho, excess, bursts, callers, exclusive_ip, channel_ip, media
    lr = _lr_in_blocks(columns, lr_from[0], lr_from[1], channel_pair, lr_from[2], topics)  # the last step's
    del topics, columns, channel_pair, lr_from
    # "contact i came from p's leak" implies "p leaked": P(leaked) is at least the posterior of
    # its surest contact (one mail to an alias no one else had proves the leak, whatever the rate)
    surest = np.zeros(n_p)
    np.maximum.at(surest, ip.p, post_ip)
    p_leak = np.maximum(p_leak, surest)
    # the contacts and platforms int32 (`narrow_index`): the Fit holds this frame to the last row
    ip_frame = pd.DataFrame({"i": narrow_index(ip.i), "p": narrow_index(ip.p), "lr": ip_lr, "post": post_ip})
    own_frame = pd.DataFrame({"i": own.i.astype(np.int64), "p": own.p.astype(np.int64), "lr": own_lr, "post": post_own})
    pairs = pairs.assign(lr=lr, early=early, steady=early & (problem.own_line.values >= 1.0)[problem.own_line.codes])
    platforms = pd.DataFrame(
        {
            "platform": problem.platforms,
            "p_leaked": p_leak,
            "log_bayes_factor": log_bf,
            "rate": lam_p,
            "exposure_days": exposure_days,
        }
    )
    return EmState(ip_frame, own_frame, mu, post_b, platforms, pairs, q_leak, q_bg, lam_b, to_codes)


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


class _OtherCallers:
    """Per contact, how likely each source is to show a caller other than the line's (or the
    leak's) other known callers.

    A campaign is one caller. A recycled number's previous owner's collectors, or a robocaller
    that dials the whole range, make up most of a busy line's background; a new caller on that
    line is none of them, which the background explains only by the share of its contacts that
    came from no other campaign, while a leak whose contacts come from other callers than this
    one explains it as poorly. So the background's weight of contact i is multiplied by 1 minus
    the share of the line's background from campaigns other than i's, and each leak's by 1
    minus the share of that platform's leak contacts from campaigns other than i's, both with
    OTHER_CALLERS_PSEUDO pseudo-contacts at the share pooled over every line (or every leak): a
    line or a leak with little weight yet says little, and an innocent platform's weightless leak
    is no better an explanation of a new caller than the background's pooled share. Only campaign
    members are weighed (a contact of no campaign says nothing about which caller it was); a
    campaign's own other members are `_campaign_tilt`'s."""

    def __init__(
        self, camp: np.ndarray, line: np.ndarray, first_party: np.ndarray, ip: _Groups, n_lines: int, n_p: int
    ) -> None:
        size = int(camp.max()) + 1 if len(camp) else 1
        self.line, self.n_lines, self.ip_p, self.n_p = line, n_lines, ip.p, n_p
        self.member = (camp >= 0) & ~first_party
        self.by_line, self.line_of = self._campaigns(line, camp, self.member, size)
        g = camp[ip.i]
        self.member_ip = (g >= 0) & ~first_party[ip.i]
        self.by_leak, self.leak_of = self._campaigns(ip.p, g, self.member_ip, size)

    @staticmethod
    def _campaigns(
        source: np.ndarray, camp: np.ndarray, member: np.ndarray, size: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The (source, campaign) group of each member row, and each group's source."""
        keys, by = np.unique(source[member].astype(np.int64) * size + camp[member], return_inverse=True)
        return narrow_index(by), narrow_index(keys // size)

    def background(self, post_b: np.ndarray, into: np.ndarray) -> None:
        """Per contact: the background's factor, multiplied into `into` (each contact's weight)."""
        self._other(self.line, self.n_lines, self.member, self.by_line, self.line_of, post_b, into)

    def leaks(self, post_ip: np.ndarray, into: np.ndarray) -> None:
        """Per (contact, platform) candidate: the leak's factor, multiplied into `into`."""
        self._other(self.ip_p, self.n_p, self.member_ip, self.by_leak, self.leak_of, post_ip, into)

    @staticmethod
    def _other(
        source: np.ndarray,
        n_sources: int,
        member: np.ndarray,
        by_campaign: np.ndarray,
        source_of: np.ndarray,
        weight: np.ndarray,
        into: np.ndarray,
    ) -> None:
        """Per row of `source` (a line per contact, or a platform per candidate): 1 minus the
        smoothed share of its source's `weight` from campaigns other than its own, 1 for rows of
        no campaign, multiplied into `into`'s row: a member's product is the one a factor array
        gave, and times 1 elsewhere is the same bits, with no source-long array of factors."""
        total = np.bincount(source, weights=weight, minlength=n_sources)
        weighed = weight[member]
        per_campaign = np.bincount(by_campaign, weights=weighed, minlength=len(source_of))
        in_campaigns = np.bincount(source_of, weights=per_campaign, minlength=n_sources)
        # the same operations as on fresh arrays, in place and a block of rows at a time (the
        # same bits): `weighed` (the pooled share's terms, summed over every member in order) is
        # member-long, the rest a block long; each block's shares from other campaigns are made
        # again in the second pass (a few gathers) rather than kept member-long between them
        weighed_sum = weighed.sum()
        blocks = _member_blocks(member)
        for lo, hi, a, b in blocks:
            of = source[lo:hi][member[lo:hi]]
            other = _from_others(in_campaigns, per_campaign, of, by_campaign[a:b])
            # the pooled share over every source's members, what a source with little weight
            # has: weighed * other / max(whole, 1e-9) summed, made in weighed's own array
            clamped = total[of].astype(float, copy=False)
            np.maximum(clamped, 1e-9, out=clamped)
            weighed[a:b] *= other
            weighed[a:b] /= clamped
        pooled = float(weighed.sum() / max(weighed_sum, 1e-9))
        del weighed
        for lo, hi, a, b in blocks:
            rows = member[lo:hi]
            of = source[lo:hi][rows]
            whole = total[of].astype(float, copy=False)
            share = _from_others(in_campaigns, per_campaign, of, by_campaign[a:b])
            share += OTHER_CALLERS_PSEUDO * pooled
            whole += OTHER_CALLERS_PSEUDO
            share /= whole
            np.subtract(1, share, out=share)
            into[lo:hi][rows] *= share


def _from_others(in_campaigns: np.ndarray, per_campaign: np.ndarray, of: np.ndarray, by: np.ndarray) -> np.ndarray:
    """Per member (of source `of`, campaign group `by`): its source's weight from campaigns
    other than its own, at least 0."""
    share = in_campaigns[of].astype(float, copy=False)  # an empty bincount is of integers
    share -= per_campaign[by]
    np.maximum(share, 0.0, out=share)
    return share


def _member_blocks(member: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Rows lo:hi, BLOCK at a time, and their members' places a:b among all the members."""
    blocks, a = [], 0
    for lo in range(0, len(member), BLOCK):
        b = a + int(np.count_nonzero(member[lo : lo + BLOCK]))
        blocks.append((lo, min(lo + BLOCK, len(member)), a, b))
        a = b
    return blocks


class _Groups:
    """(contact, platform) candidates: pairs summed per contact and platform (a platform with two
    canaries on one number is one candidate). The grouping is fixed; only the weights change."""

    def __init__(self, i: np.ndarray, p: np.ndarray, n_p: int) -> None:
        key = i.astype(np.int64) * max(n_p, 1) + p
        if len(key) and np.all(key[1:] > key[:-1]):  # (none: `bincount`, of integers when empty)
            # each pair its own candidate, already in order (no platform has two canaries on one
            # number): the pairs' own indices, and no codes (13.5 MiB each at 3.5M pairs)
            self.n, self.codes = len(key), None
            self.i, self.p = _held(i), _held(p)
            return
        keys, codes = np.unique(key, return_inverse=True)
        self.n, self.codes = len(keys), narrow_index(codes)
        self.i, self.p = narrow_index(keys // max(n_p, 1)), narrow_index(keys % max(n_p, 1))

    def sum(self, weights: np.ndarray) -> np.ndarray:
        if self.codes is None:
            return np.add(weights, 0.0, dtype=float)  # `bincount`'s 0.0 + the one weight of each
        return np.bincount(self.codes, weights=weights, minlength=self.n)

    def of_pairs(self) -> Any:  # an index array or a slice: NumPy's stubs give `ufunc.at` arrays only
        """Each pair's candidate, to index a candidate-long array by (`ufunc.at` takes a slice)."""
        return slice(None) if self.codes is None else self.codes


def _held(codes: np.ndarray) -> np.ndarray:
    """`codes` as `narrow_index` makes them, the same array where it is int32 already."""
    return codes if codes.dtype == np.int32 else narrow_index(codes)


class _Bursts:
    """Per (contact, platform) candidate: the leak's rate near the contact's time over its average.

    A leaked record is worked in bursts: a centre calls a fresh lead a few times within days, and
    the list goes stale. The platform's other leak contacts (leave-one-out, each weighted by its
    posterior and by what it can tell, as for the average rate) give its rate near t through a
    Laplace kernel of LEAK_BURST_DAYS, corrected for the kernel's mass outside the exposure
    (`first`: per platform, its first canary's issue; `end`: the last contact; both in days).
    That rate over their average rate across the exposure, each smoothed by the current average
    rate, is mixed with 1 (the steady share, learned each step: `_steady_share`) and capped at
    BURST_CAP. A lone contact, or contacts
    spread evenly, keep 1; so do the candidates that tell nothing (a nameless contact on a shared
    number), which the average rate ignores too. The candidates' order by platform and time is
    fixed: it is sorted once, and each EM step only re-weighs.

    Then times the leak's onset (`_onset`): nobody works a record before it leaked. Where a
    platform's contacts date its leak (`dated`: one that names its canary by its made-up name or
    reaches its alias, weighted by its posterior), its rate starts with the first of them, fading
    in over a burst's length before it (the nameless calls of a fresh lead's burst come in the
    days before the first that names it); a platform with nothing that dates it keeps its rate
    throughout (dev seeds 6430-6609: of the nameless contacts on a number one canary had that came
    more than a week before its platform's first dated contact, 61 were background and 2 a leak,
    and the rate had given 17 of those 61 to the leak)."""

    def __init__(
        self, p: np.ndarray, at: np.ndarray, telling: np.ndarray, first: np.ndarray, end: float, dated: np.ndarray
    ) -> None:
        self.n = len(p)
        chosen = np.flatnonzero(telling > 0)
        self.order = narrow_index(chosen[np.lexsort((at[chosen], p[chosen]))])
        self.p, self.t = p[self.order], at[self.order]
        self.onset = _Onset(self.p, self.t, dated[self.order], LEAK_BURST_DAYS)
        h = LEAK_BURST_DAYS
        lo = first[self.p]
        self.inside = np.maximum(
            1 - 0.5 * np.exp(-np.maximum(self.t - lo, 0) / h) - 0.5 * np.exp(-np.maximum(end - self.t, 0) / h), 0.5
        )
        self.days = np.maximum(end - first, 1.0)  # per platform: `days[p]` is each candidate's
        self.starts, stops = _runs(self.p)
        self.sizes = stops - self.starts
        self.blocks = _blocks(stops, BLOCK)
        self.steady = BURST_SHARE  # the steady share's prior; each step learns it (`_steady_share`)

    def __call__(self, weight: np.ndarray, rate: np.ndarray, post: np.ndarray) -> np.ndarray:
        out = np.ones(self.n)
        if not len(self.order):
            return out
        # a block of whole platforms at a time (`self.blocks`): each platform's sums are its own,
        # so a block's arithmetic is the whole array's, and its temporaries are a block long
        steady, onset = self.steady, self.onset.weigh(post[self.order[self.onset.events]])
        told = np.empty(len(self.order))  # each candidate's weight times its steady part
        for lo, hi in self.blocks:
            out[self.order[lo:hi]] = self._block(lo, hi, weight, rate, steady, onset, told)
        self.steady = _steady_share(told, weight[self.order])
        return out

    def _block(
        self, lo: int, hi: int, weight: np.ndarray, rate: np.ndarray, steady: float, onset: tuple, told: np.ndarray
    ) -> np.ndarray:
        """Candidates lo:hi of the sorted order (whole platforms): their factors, and their weight
        times the steady part written into `told`."""
        raw = weight[self.order[lo:hi]]
        p, h = self.p[lo:hi], LEAK_BURST_DAYS
        ws = raw / self.inside[lo:hi]
        near = _near_in_block(self.t[lo:hi], ws, p, h)  # a block of whole platforms already
        del ws
        # steady + (1 - steady) * (near + smooth) / (average + smooth), capped, times the onset:
        # in place, fewer arrays at once; the steady share is the last step's, learned anew here
        first, last = np.searchsorted(self.starts, [lo, hi])
        average = np.repeat(np.add.reduceat(raw, self.starts[first:last] - lo), self.sizes[first:last])
        average -= raw
        average /= self.days[p]
        smooth = rate[p]
        near += smooth
        average += smooth
        del smooth
        near /= average
        del average
        np.multiply(raw, _steady_part(near, steady), out=told[lo:hi])
        del raw
        near *= 1 - steady
        near += steady
        np.minimum(near, BURST_CAP, out=near)
        near *= self.onset.at(onset, lo, hi)
        return near


def _blocks(stops: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Consecutive ranges of whole runs (`stops`: each run's end, ascending), each ending at the
    first run's end at least `size` past its start: a run longer than `size` is a block alone."""
    blocks: list[tuple[int, int]] = []
    lo, n = 0, int(stops[-1]) if len(stops) else 0
    while lo < n:
        hi = int(stops[min(int(np.searchsorted(stops, lo + size)), len(stops) - 1)])
        blocks.append((lo, hi))
        lo = hi
    return blocks


def _steady_part(ratio: np.ndarray, steady: float) -> np.ndarray:
    """Per telling contact: its chance of coming at the steady rate (`_steady_share`)."""
    return steady / np.maximum(steady + (1 - steady) * ratio, 1e-12)


def _steady_share(told: np.ndarray, weight: np.ndarray) -> float:
    """The share of the leaks' telling contacts that come at their platform's steady rate rather
    than in a burst, by one EM step of the two-part mixture: each contact's `weight` is what it
    tells and `told` that weight times its `_steady_part` (from its platform's rate near it over
    its average, leave-one-out, and the current share); BURST_PSEUDO contacts at BURST_SHARE keep a
    fit with few telling contacts near the prior."""
    return float((told.sum() + BURST_PSEUDO * BURST_SHARE) / (weight.sum() + BURST_PSEUDO))


def made_up_name(pairs: pd.DataFrame) -> np.ndarray:
    """Per pair: does its contact name the canary (`NAMING_KINDS`) by a name made up for it? A KYC
    canary's real name is the user's, known to acquaintances, old lists and a previous owner's
    callers alike: it singles out no platform."""
    return pairs["name_kind"].isin(NAMING_KINDS).to_numpy() & ~pairs["real"].to_numpy(bool)


def _dated(pairs: pd.DataFrame) -> np.ndarray:
    """Per pair: does its contact date the platform's leak, whatever its time? It names the canary
    by a name made up for it (`made_up_name`) or quotes its token, or it reached the canary's
    alias (the alias is its secret)."""
    return made_up_name(pairs) | pairs["token"].to_numpy(bool) | _is(pairs["via"], "email")


def _is(column: pd.Series, value: str) -> np.ndarray:
    """Per row: does `column` hold `value` (a missing value does not), compared as the column
    holds its strings, without a Python string per row."""
    return column.eq(value).to_numpy(dtype=bool, na_value=False)


class _Onset:
    """Per candidate (sorted by platform, then time): how likely its platform's leak had begun by
    its time, from the contacts that date the leak (`dated`), each real with the probability `w`
    it is given per EM step. One real began the leak within a burst's length `h` before its time
    (the nameless calls of a fresh lead's burst come in the days before the first that names
    it), fading further back with that scale: P(begun by t) = P(no dating contact is real) +
    P(some is real and one began by t) = 1 - prod_m (1 - w_m k_m(t)) + prod_m (1 - w_m), with
    k_m(t) 1 from t_m - h on and exp(-(t_m - h - t) / h) before. The product over the dating
    contacts not yet begun is taken to first order, and not below the chance that none of them
    is real: 1 for a platform with nothing that dates it. The order and each candidate's place
    among its platform's dating contacts are fixed: each EM step only re-weighs."""

    def __init__(self, p: np.ndarray, t: np.ndarray, dated: np.ndarray, h: float) -> None:
        self.h, self.events = h, np.flatnonzero(dated)
        self.event_p, self.begun_at = p[self.events], t[self.events] - h  # in the order of `p`, `t`
        lo = float(min(t.min(), self.begun_at.min())) if len(self.events) else 0.0
        span = float(t.max()) - lo + 1.0 if len(t) else 1.0
        keys = self.event_p.astype(float) * span + (self.begun_at - lo)
        self.pos = narrow_index(np.searchsorted(keys, p.astype(float) * span + (t - lo), side="right"))
        # each platform's dating contacts: a range of the events, kept per platform, not per candidate
        edges = np.searchsorted(keys, np.arange(int(p.max()) + 2 if len(p) else 1, dtype=float) * span, side="left")
        self.p, self.t, self.edges = p, t, edges

    def __call__(self, w: np.ndarray) -> np.ndarray:
        """Per candidate, from `w` per candidate (in the order of `p`, `t`)."""
        return self.at(self.weigh(w[self.events]), 0, len(self.t))

    def weigh(self, w: np.ndarray) -> tuple:
        """What every candidate's factor reads from the dating contacts' weights `w` (in their
        order): the log chance that none of the first m is real, and each one's weight with the
        later ones' discounted to its time (empty without dating contacts)."""
        if not len(self.events):
            return ()
        w = np.clip(w, 0.0, 1 - 1e-12)
        return np.concatenate([[0.0], np.cumsum(np.log1p(-w))]), w + _ahead(self.begun_at, w, self.event_p, self.h)

    def at(self, weighed: tuple, lo: int, hi: int) -> np.ndarray:
        """Candidates lo:hi's factors, from what `weigh` made."""
        if not weighed:
            return np.ones(hi - lo)
        log_none, rest = weighed
        p, t, pos = self.p[lo:hi], self.t[lo:hi], self.pos[lo:hi]
        first, stop = self.edges[p], self.edges[p + 1]
        before = log_none[pos] - log_none[first]  # the dating contacts begun by t
        total = log_none[stop] - log_none[first]
        del first
        # the ones not yet begun, each discounted by how far ahead it begins
        nxt = np.minimum(pos, len(rest) - 1)
        ahead = np.where(pos < stop, rest[nxt] * np.exp(-(self.begun_at[nxt] - t) / self.h), 0.0)
        later = np.maximum(1 - ahead, np.exp(total - before))
        return np.clip(1 - (np.exp(before) * later - np.exp(total)), 0.0, 1.0)


def _ahead(t: np.ndarray, w: np.ndarray, runs: np.ndarray, h: float) -> np.ndarray:
    """Per n: the sum over the later m of its run (equal `runs`, sorted, each ascending in `t`)
    of w[m] * exp(-(t[m] - t[n]) / h). Runs spanning at most 600 h at once (a reversed cumulative
    sum per run, as in `_near_in_runs`); longer ones through `_decayed`, reversed."""
    out = np.zeros(len(t))
    if not len(t):
        return out
    starts, stops, first, last, short = _spans(t, runs, h)
    since = (t - first)[short] / h  # in h since the run's first: exp(-since) stays above 1e-261
    scaled = (w[short] * np.exp(-since))[::-1]
    later = (pd.Series(scaled).groupby(runs[short][::-1]).cumsum().to_numpy() - scaled)[::-1]
    out[short] = later * np.exp(since)
    for start, stop in zip(starts[~short[starts]].tolist(), stops[~short[starts]].tolist(), strict=True):
        out[start:stop] = _decayed(-t[start:stop][::-1], w[start:stop][::-1], h)[::-1]
    return out


class _Excess:
    """Per (contact, platform) candidate on a number only that platform's canary had: the rate of
    the line's contacts near the contact's time above its steady background, what only the leak
    can explain (0 elsewhere).

    A line's background comes at a roughly steady rate; a leak comes in bursts once the platform
    got the data. The contacts near t are counted through a Laplace kernel of EXCESS_DAYS
    (leave-one-out, all of the line's contacts that only this canary's platform could have
    caused, corrected for the kernel's mass before the canary's issue and after the last contact),
    not weighted by the fit's posteriors: the burst measures itself, where the posterior-weighted
    rate (`_Bursts`) of a burst the fit began by calling background stays small. The line's
    steady rate and EXCESS_Z standard deviations of the kernel's Poisson noise (a Laplace kernel
    of scale h has variance rate / 4h) are taken off: two spam calls in a day are no burst."""

    def __init__(
        self, pairs: pd.DataFrame, k: pd.DataFrame, ip: _Groups, chosen: np.ndarray, line: np.ndarray, at: np.ndarray, end: float
    ) -> None:
        issued = np.full(ip.n, np.inf)
        np.minimum.at(issued, ip.of_pairs(), k["issued_at"].to_numpy(dtype=float)[pairs["j"].to_numpy()] / DAY)
        self.n = ip.n
        rows = np.flatnonzero(chosen)
        group = line[ip.i[rows]].astype(np.int64) * max(int(ip.p.max()) + 1 if ip.n else 1, 1) + ip.p[rows]
        by = np.lexsort((at[rows], group))
        self.order, g = narrow_index(rows[by]), group[by]
        del rows, group, by  # each temporary dropped after its last reader: the set-up's peak
        # each candidate's line and platform are read through `ip` where a block needs them
        self.lines, self.ip_i, self.ip_p = line, ip.i, ip.p
        t, issued = at[self.order], issued[self.order]
        self.own_decay = np.exp(-np.maximum(t - issued, 0.0) / OWN_WINDOW_DAYS)
        h = EXCESS_DAYS
        starts, stops = _runs(g)
        lo = np.repeat(np.minimum.reduceat(issued, starts), stops - starts)  # each run's earliest issue
        del issued, starts, stops
        near = _near_in_runs(t, np.ones(len(t)), g, h)
        del g
        inside = np.maximum(
            1 - 0.5 * np.exp(-np.maximum(t - lo, 0) / h) - 0.5 * np.exp(-np.maximum(end - t, 0) / h), 0.5
        )
        del t, lo
        near /= inside  # near / inside, in near's own array
        self.near = near

    def __call__(self, background: np.ndarray, own_rate: np.ndarray) -> np.ndarray:
        out = np.zeros(self.n)
        # in place, the same operations (the same bits), a block of candidates at a time (each
        # candidate's own arithmetic): this runs every EM step
        for lo in range(0, len(self.order), BLOCK):
            rows = slice(lo, lo + BLOCK)
            order = self.order[rows]
            steady = background[self.lines[self.ip_i[order]]]
            own = own_rate[self.ip_p[order]]
            own *= self.own_decay[rows]
            steady += own
            del own
            noise = steady / (4 * EXCESS_DAYS)
            np.sqrt(noise, out=noise)
            noise *= EXCESS_Z
            excess = self.near[rows] - steady
            del steady
            excess -= noise
            del noise
            np.maximum(excess, 0.0, out=excess)
            out[order] = excess
        return out


def _fresh(pairs: pd.DataFrame, k: pd.DataFrame, ip: _Groups, end: float) -> np.ndarray:
    """Per (contact, platform) candidate: the leak's rate at the contact over its average, for a
    leak whose FRESH_SHARE of contacts come as a fresh lead, decaying from the canary's issue with
    the follow-up horizon OWN_WINDOW_DAYS (partners are handed a signup at once and call it at
    once), the rest spread over the exposure; it integrates to the exposure, like a constant rate.
    Only where the contact tells whose leak it would be, as for the bursts (`_Bursts`): it names
    the canary (a caller reading its record), or it reached a number only that canary had (a
    partner's nameless first call to a spare number hours after the signup: dev 8660-8779, 9 of
    the 20 such leak calls missed were found, for 6 background calls). A nameless contact on a
    shared number soon after one of its issues is as likely the line's own spam as ever, and
    weighing those so tripled the background attributed (docs/attribution.md)."""
    # (span / tau) * exp(-age / tau) / -expm1(-span / tau), and where it tells (1 - FRESH_SHARE)
    # + FRESH_SHARE * that, else 1: the same operations in place, three pair-long arrays at once
    # rather than eight (the EM's set-up peak at 5M contacts)
    issued = k["issued_at"].to_numpy(dtype=float)[pairs["j"].to_numpy()]
    age = pairs["at"].to_numpy(dtype=float) - issued
    np.maximum(age, 0.0, out=age)
    age /= DAY
    span = np.subtract(end, issued, out=issued)
    del issued
    span /= DAY
    np.maximum(span, 1.0, out=span)
    tau = OWN_WINDOW_DAYS
    np.negative(age, out=age)
    age /= tau
    kernel = np.exp(age, out=age)
    del age
    kernel *= span / tau  # (span / tau) * exp(…): a product commutes exactly
    np.negative(span, out=span)
    span /= tau
    np.expm1(span, out=span)
    np.negative(span, out=span)
    kernel /= span
    del span
    kernel *= FRESH_SHARE
    kernel += 1 - FRESH_SHARE
    kernel[~(pairs["name_kind"].isin(NAMING_KINDS).to_numpy() | alone(pairs))] = 1.0
    out = np.zeros(ip.n)
    np.maximum.at(out, ip.of_pairs(), kernel)
    return out


def _spans(t: np.ndarray, runs: np.ndarray, h: float) -> tuple[np.ndarray, ...]:
    """The runs of equal `runs` (sorted, each ascending in `t`): their starts and stops, each
    position's run's first and last time, and whether its run spans at most 600 h, which
    `_near_in_runs` and `_ahead` sum at once (exp() of its times in h stays finite); longer runs
    go through `_decayed`."""
    starts, stops = _runs(runs)
    first, last = np.repeat(t[starts], stops - starts), np.repeat(t[stops - 1], stops - starts)
    return starts, stops, first, last, (last - first) <= 600 * h


def _near_in_runs(t: np.ndarray, w: np.ndarray, runs: np.ndarray, h: float) -> np.ndarray:
    """Per n: the sum over the other m of its run (equal `runs`, sorted, each ascending in `t`) of
    w[m] * exp(-|t[n] - t[m]| / h) / 2h, a Laplace kernel's density at t[n]. Runs spanning at most
    600 h (all but multi-year ones) are summed at once, a cumulative sum per run (`_decayed`'s
    arithmetic, without a Python step per run); longer ones go through `_decayed` in segments."""
    near = np.zeros(len(t))
    if not len(t):
        return near
    # a block of whole runs at a time: each run's sums are its own, so a block's arithmetic is the
    # whole array's, and its temporaries are a block long
    for lo, hi in _blocks(_runs(runs)[1], BLOCK):
        near[lo:hi] = _near_in_block(t[lo:hi], w[lo:hi], runs[lo:hi], h)
    return near


def _near_in_block(t: np.ndarray, w: np.ndarray, runs: np.ndarray, h: float) -> np.ndarray:
    """`_near_in_runs` over whole runs."""
    near = np.zeros(len(t))
    starts, stops, first, last, short = _spans(t, runs, h)
    # every run short (all but multi-year ones): views, not copies of every candidate's values
    sel: slice | np.ndarray = slice(None) if short.all() else short
    key = runs[sel]
    # the arithmetic below is done in place and each array dropped after its last reader (the
    # same operations: the same bits), so that this, inside the EM's loop, holds few at once
    ahead = (t - first)[sel]  # days since the run's first, in h: exp() stays finite
    ahead /= h
    behind = (last - t)[sel]
    behind /= h
    del first, last
    ws = w[sel]
    scaled = ws * np.exp(ahead)
    before = pd.Series(scaled).groupby(key).cumsum().to_numpy() - scaled
    del scaled
    np.negative(ahead, out=ahead)
    np.exp(ahead, out=ahead)
    before *= ahead
    del ahead
    scaled_back = (ws * np.exp(behind))[::-1]
    del ws
    after = (pd.Series(scaled_back).groupby(key[::-1]).cumsum().to_numpy() - scaled_back)[::-1]
    del scaled_back, key
    np.negative(behind, out=behind)
    np.exp(behind, out=behind)
    after *= behind
    del behind
    before += after
    del after
    before /= 2 * h
    near[sel] = before
    del before
    long = ~short[starts]
    for start, stop in zip(starts[long].tolist(), stops[long].tolist(), strict=True):
        if stop - start >= 2:
            tt, ww = t[start:stop], w[start:stop]
            near[start:stop] = (_decayed(tt, ww, h) + _decayed(-tt[::-1], ww[::-1], h)[::-1]) / (2 * h)
    return near


def _decayed(t: np.ndarray, w: np.ndarray, h: float) -> np.ndarray:
    """Per n: the sum over m < n of w[m] * exp(-(t[n] - t[m]) / h), for ascending `t`; in
    segments of at most 600 h, carrying the sum over, so that no exponential overflows."""
    out = np.zeros(len(t))
    if not len(t):
        return out
    carry, carry_t, start = 0.0, float(t[0]), 0
    while start < len(t):
        stop = max(int(np.searchsorted(t, t[start] + 600 * h)), start + 1)
        rel = t[start:stop] - t[start]
        scaled = w[start:stop] * np.exp(rel / h)
        before = np.cumsum(scaled) - scaled
        out[start:stop] = before * np.exp(-rel / h) + carry * np.exp(-(t[start:stop] - carry_t) / h)
        carry, carry_t = out[stop - 1] + w[stop - 1], t[stop - 1]
        start = stop
    return out


def narrow_index(codes: np.ndarray) -> np.ndarray:
    """`codes` (indices or group codes the EM keeps through its steps) as int32 where they fit:
    half of int64's 8 bytes a contact or candidate. NumPy casts them back to intp for each index
    or `bincount`, one array at a time, and the values, hence every result, are the same."""
    if not len(codes) or (int(codes.max()) < 2**31 and int(codes.min()) >= -(2**31)):
        return codes.astype(np.int32)
    return codes


def _narrowest(codes: np.ndarray) -> np.ndarray:
    """`codes` in the fewest bytes (int8, int16, int32) their range fits: codes of a few values (a
    topic's) kept through the EM's steps are a byte a row. As for `narrow_index`, every index or
    `bincount` reads the same values."""
    for narrow in (np.int8, np.int16):
        if not len(codes) or (int(codes.min()) >= np.iinfo(narrow).min and int(codes.max()) <= np.iinfo(narrow).max):
            return codes.astype(narrow)
    return narrow_index(codes)


def _runs(sorted_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The starts and stops (int64 arrays) of the runs of equal values in a sorted array."""
    if not len(sorted_codes):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    edges = np.flatnonzero(np.diff(sorted_codes)) + 1
    return np.concatenate([[0], edges]).astype(np.int64), np.concatenate([edges, [len(sorted_codes)]]).astype(np.int64)


def _leak_ratio(ip: _Groups, ip_lr: np.ndarray, total: np.ndarray, rho: np.ndarray, tilt: np.ndarray) -> np.ndarray:
    """Per (contact, platform) candidate: the leak's weight per unit rate over every other source
    of that contact (lr_i / rest_i), with the campaign tilt that was inside `total`; `rho` is the
    candidate's leak rate (its platform's on its medium)."""
    lr = ip_lr * tilt
    rest = rho * lr  # max(total[ip.i] - rho * lr, 1e-12), in place: the same bits
    np.subtract(total[ip.i], rest, out=rest)
    np.maximum(rest, 1e-12, out=rest)
    lr /= rest
    return lr


def _log_bayes_factor(p: np.ndarray, ratio: np.ndarray, exposure_days: np.ndarray, n_p: int) -> np.ndarray:
    """Per platform: log Bayes factor of 'leaked at some rate' against 'not leaked'.

    The likelihood ratio of the Poisson mixture at leak rate lambda, holding the other sources
    fixed, is prod_i (1 + lambda * lr_i / rest_i) * exp(-lambda * exposure); it is integrated over
    a log-uniform prior of lambda over LEAK_RATE_RANGE. The integral is the Occam penalty: no
    hand-set threshold on counts. `p` and `ratio` come from `_leak_ratio`.
    """
    grid = np.geomspace(*LEAK_RATE_RANGE, 64)  # contacts per day
    log_prior = np.full(len(grid), -np.log(len(grid)))  # log-uniform: equal mass per grid step
    gains = np.zeros((n_p, len(grid)))
    for g, lam in enumerate(grid):
        gains[:, g] = np.bincount(p, weights=np.log1p(lam * ratio), minlength=n_p)
    total_log = gains - np.outer(exposure_days, grid) + log_prior
    peak = total_log.max(axis=1, keepdims=True)
    return (peak + np.log(np.exp(total_log - peak).sum(axis=1, keepdims=True)))[:, 0]


def _leak_rates(
    p: np.ndarray, ratio: np.ndarray, exposure_days: np.ndarray, n_p: int, weight: np.ndarray
) -> np.ndarray:
    """Per platform: the leak rate given a leak, by EM on its own candidates (Gamma prior).

    `weight` counts each candidate by what it can tell: a contact on an identifier only this
    canary had counts once; on a shared one only a named contact counts, for 1/q_leak contacts
    (the leak's nameless contacts there cannot be told from the background, which they would
    otherwise absorb)."""
    lam = np.full(n_p, LEAK_PRIOR_CONTACTS / LEAK_PRIOR_DAYS)
    for _ in range(5):
        r = weight * lam[p] * ratio / (1 + lam[p] * ratio)
        count = np.bincount(p, weights=r, minlength=n_p)
        lam = (count + LEAK_PRIOR_CONTACTS) / (exposure_days + LEAK_PRIOR_DAYS)
    return lam


def _media(
    ip: _Groups, mail: np.ndarray, k: pd.DataFrame, platform_of_k: np.ndarray, issued_days: np.ndarray, n_p: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per (contact, platform) candidate its platform's medium, 2 p + (1 on mail, 0 on a phone),
    and per medium the days its canaries' numbers (or addresses) were exposed.

    A leaked record's number is called and texted, its address mailed, by different hands (call
    centres and SMS gateways, spam senders) at their own rates: a platform whose leak shows as
    mail to its alias does not call the user's number as often. One rate per platform lent the
    mails' volume to every nameless call on a number it shares (on `solo` worlds, one number for
    40 platforms, the fit gave the leaks 4,694 of the nameless calls' weight where 3,389 were
    leaks). The platform's P(leaked) still weighs all its contacts (`_log_bayes_factor`)."""
    days = np.zeros(2 * n_p)
    np.add.at(days, 2 * platform_of_k, issued_days * k["phone"].notna().to_numpy())
    np.add.at(days, 2 * platform_of_k + 1, issued_days * k["email"].notna().to_numpy())
    return narrow_index(2 * ip.p.astype(np.int64) + mail), days


def _channels(channel: pd.Series) -> np.ndarray:
    """Per contact: its channel's index in CHANNELS (int8; anything else is read as a call)."""
    codes = pd.Categorical(channel, categories=list(CHANNELS)).codes
    return np.where(codes < 0, 0, codes).astype(np.int8)


def _naming(channel: np.ndarray, named: np.ndarray, weight: np.ndarray, pooled: float) -> np.ndarray:
    """Per channel: the share of a source's contacts (`weight`: each contact's posterior for it)
    in which the caller used a name, shrunk toward the `pooled` share by NAMING_PSEUDO contacts.

    The leak's pooled share is learned where a number or alias only one canary had cannot be
    shared, mostly aliases (a number to itself is rare), so alone it is the mails' and would be
    applied to calls and texts; on the `solo` seeds 7130-7169 a leak's texts named the canary 52% of
    the time, its calls 15%, its mails 17%. Per channel, on shared numbers too, the leak's share
    is fed by the fit's own posteriors; the rate read from a channel's named contacts, divided by
    that channel's share, keeps it honest (a share too low makes more leak contacts than the
    line's nameless ones, which the background then takes back)."""
    total = np.bincount(channel, weight, minlength=len(CHANNELS))
    # the named contacts' weights alone: the others' terms were weight * 0 = 0.0, which leave
    # each partial sum as it was (the weights are posteriors, finite and at least 0): the same
    # sums, with no contact-long array of products
    said = np.bincount(channel[named], weight[named], minlength=len(CHANNELS))
    return (said + 1 + NAMING_PSEUDO * pooled) / (total + 2 + NAMING_PSEUDO)


def _p_leaked(log_bf: np.ndarray, prior: float) -> tuple[np.ndarray, float]:
    """P(leaked) per platform under an empirical prior, and the prior re-estimated from them."""
    p_leak = 1 / (1 + np.exp(-np.clip(log_bf + np.log(prior / (1 - prior)), -50, 50)))
    return p_leak, float((p_leak.sum() + 1) / (len(p_leak) + 2))


def _summarize(c: pd.DataFrame, fp: pd.DataFrame, campaign: pd.Series, state: EmState) -> pd.DataFrame:
    """Per contact: P(background), its top platform and posterior, P(own sales), first party."""
    ip = state.ip
    best = ip.sort_values(["i", "post"], ascending=[True, False]).drop_duplicates("i")
    # the frame's index is the contact (no column of it); a platform's index fits int32
    top_p, top_post = np.full(len(c), -1, dtype=np.int32), np.zeros(len(c))
    top_p[best["i"].to_numpy()] = best["p"].to_numpy()
    top_post[best["i"].to_numpy()] = best["post"].to_numpy()
    del best
    out = pd.DataFrame({"p_background": state.post_b, "top_p": top_p, "top_post": top_post}, index=c.index, copy=False)
    del top_p, top_post
    own = state.own
    out["p_own"] = np.bincount(own["i"].to_numpy(), weights=own["post"].to_numpy(), minlength=len(c))
    out["p_null"] = out["p_background"] + out["p_own"]
    names = state.platforms["platform"].to_numpy()
    own_best = own.sort_values("post", ascending=False).drop_duplicates("i").set_index("i")["p"]
    own_name = pd.Series(names[own_best.to_numpy()], index=own_best.index).reindex(out.index)
    sales = ((out["p_own"] >= 0.5) & (out["p_own"] > out["top_post"])).to_numpy()
    out["first_party"] = fp["first_party"].to_numpy() | sales
    out["fp_platform"] = np.where(sales, own_name.to_numpy(), fp["fp_platform"].to_numpy())
    # a few distinct reasons: a categorical of them (a byte a contact), not the Arrow strings
    # `np.where`'s objects would become (~10 bytes a contact, held to the last row)
    reason = fp["fp_reason"].to_numpy(dtype=object).copy()
    reason[sales] = "in the platform's first week and on its topic: likely its own sales contact"
    out["fp_reason"] = _categorical(pd.Series(reason, index=c.index, dtype=object))
    del reason
    # the labels as `campaigns.label` made them, one shared string per campaign (None: none), not
    # an Arrow string per contact (~25 bytes a contact against 8, through verdicts and the rows)
    out["campaign"] = pd.Series(campaign.to_numpy(), index=c.index, dtype=object)
    return out
