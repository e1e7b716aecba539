"""Campaigns: contacts that share a caller number, a callback number or a text template.

Caller IDs rotate and are spoofed, callback numbers much less, templates hardly at all; any one
shared key joins two contacts, and connected components are campaigns. A campaign that reaches
canaries of several platforms links them: one broker, several sources.

Call centres rotate through a block of numbers they rent together: carriers assign numbers in
blocks of a thousand (US thousands-block pooling; Chinese resellers' 号段), so their caller IDs
share every digit but the last three. Such callers are one caller too. A caller ID that shares the
dialled number's own leading digits is left out of that: neighbour spoofing copies the target's
area code and exchange, so spoofs aimed at one line would otherwise look like one block. So are
SMS senders: a 106 channel or short code is a gateway's prefix and a client's extension, and
clients of one gateway share the prefix without being one sender.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tracer.attribution.features import Features

# A rented block is a thousand numbers: they share all digits but the last three.
BLOCK_DIGITS = 3
# Neighbour spoofing keeps the target's area code and exchange and draws the last four digits.
NEIGHBOUR_DIGITS = 4
# Shorter "numbers" are service codes and short codes, not rented lines (E.164 with "+").
MIN_BLOCK_LENGTH = 11


def keys(
    contacts: pd.DataFrame, feats: pd.DataFrame | Features, own: set[str], *, block_gap: float | None = None
) -> pd.DataFrame:
    """Long table (contact i, key): the shared things that can join contacts into a campaign.
    A key is an integer, one per distinct (kind, value) — caller, caller block, callback,
    template — not a string: a million contacts' "from:…" strings were the report's peak.
    Built from arrays: a DataFrame of every contact's callbacks exploded, and `drop_duplicates`
    over the whole table, held about 475 MiB more than the table at 1.5M contacts. Callbacks and
    templates are read once per distinct text (`Features`; a frame of features per contact is read
    as one text per contact) and numbered as a per-contact reading numbers them, in order of first
    appearance, when the texts are numbered in that order too (as `features.extract` numbers them)."""
    links = _Keys(contacts, feats, own).links(block_gap)
    return pd.DataFrame({"i": links["i"].astype(np.int64), "key": links["key"].astype(np.int64)})


class _Keys:
    """The keys of every kind, each kind kept to its shared keys (`_kept`), read once for any
    number of groupings: the callers', callbacks' and templates' keys are the same in each, and
    only the blocks' are cut where a block falls silent (`block_gap`). Contacts and codes as int32
    (a table of 8-byte integers and its kinds' lists were the report's peak at 5M contacts)."""

    def __init__(self, contacts: pd.DataFrame, feats: pd.DataFrame | Features, own: set[str]) -> None:
        coded = feats if isinstance(feats, Features) else Features(feats, np.arange(len(feats)))
        # the callers are read once per distinct number (a few ten thousand over a million contacts):
        # a contact's key is the code of its number among the kind's contacts, in order of first
        # appearance, as factorizing the kind's numbers themselves numbers them
        callers = _Distinct(contacts["from"])
        unusable = np.append(_isin(callers.values, own), True)  # the last answers a missing number (-1)
        caller_code = np.where(unusable[callers.code], -1, callers.code)
        caller = caller_code >= 0
        self.caller = _kept(np.flatnonzero(caller), *_factorized(caller_code[caller]))
        del caller_code, caller
        self.block_code = _fewest(_block_codes(callers, _Distinct(contacts["to"]), own))
        del callers
        self.in_block = (self.block_code >= 0) & (contacts["channel"] == "call").to_numpy()
        self.at = contacts.get("at")  # read only to cut blocks in use
        self.callbacks = _kept(*_callbacks(coded, own))
        self.templates = _kept(*_templates(coded))

    def links(self, block_gap: float | None) -> dict[str, np.ndarray]:
        """The kinds' kept keys, a block's cut by `block_gap` (`_in_use`), numbered apart: a
        kind's codes after every earlier kind's, in the order caller, block, callback, template."""
        block_code = self.block_code
        if block_gap is not None:
            assert self.at is not None, "blocks in use need the contacts' times"
            block_code = _in_use(block_code, self.in_block, self.at.to_numpy(dtype=float), block_gap)
        block = _kept(np.flatnonzero(self.in_block), *_factorized(block_code[self.in_block]))
        del block_code
        i, key, offset = [], [], 0
        for members, codes, distinct in (self.caller, block, self.callbacks, self.templates):
            i.append(members)
            key.append(codes + np.int32(offset) if offset < 2**31 - distinct else codes.astype(np.int64) + offset)
            offset += distinct
        del block
        return {"i": np.concatenate(i), "key": np.concatenate(key)}


def _kept(members: np.ndarray, codes: np.ndarray, distinct: int) -> tuple[np.ndarray, np.ndarray, int]:
    """A kind's (contact, code) rows that can join contacts: a code two rows or more share, the
    first row of each (contact, code) (`_first_of_each`); as int32 where they fit; and how many
    codes the kind has (`distinct`, counted before any row is left out)."""
    keep = (np.bincount(codes, minlength=distinct)[codes] >= 2) & _first_of_each(members, codes)
    return _fewest(members[keep]), _fewest(codes[keep]), distinct


def _fewest(values: np.ndarray) -> np.ndarray:
    """Non-negative integers as int32 when they fit (contacts and codes of a report do)."""
    if values.dtype == np.int32 or (len(values) and int(values.max()) >= 2**31):
        return values
    return values.astype(np.int32)


def _factorized(values: Any) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(values)  # Arrow strings stay Arrow: no string per contact
    return codes, len(uniques)


def _callbacks(feats: Features, own: set[str]) -> tuple[np.ndarray, np.ndarray, int]:
    """(contact, callback code) of every callback number each contact's text writes that is not
    one of `own`, contact by contact and in the text's order; and how many codes there are.
    Read once per distinct text, then repeated for the contacts that hold it."""
    per_text = feats.table["callbacks"].to_numpy()
    numbers = {id(n): n for found in per_text for n in found}.values()  # each number object once
    unwanted = {id(n) for n in numbers if pd.isna(n) or n in own}
    wanted = [[n for n in found if id(n) not in unwanted] if found else found for found in per_text]
    members, callback = feats.exploded(wanted)
    codes, distinct = _factorized(callback)
    return members, codes, distinct


def _templates(feats: Features) -> tuple[np.ndarray, np.ndarray, int]:
    """(contact, template code) of each contact whose text has a template; how many codes."""
    per_text, uniques = pd.factorize(feats.table["template"], use_na_sentinel=True)
    code = per_text[feats.code]
    said = code >= 0
    return np.flatnonzero(said), code[said], len(uniques)


def _first_of_each(members: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Per row, is it the first of its (member, code)? A kind with one value per contact
    (members increasing) has no repeats; a contact may write one callback number twice."""
    first = np.ones(len(members), dtype=bool)
    if len(members) < 2 or (np.diff(members) > 0).all():
        return first
    pair = members.astype(np.int64) * (int(codes.max()) + 1) + codes
    _, firsts = np.unique(pair, return_index=True)
    first[:] = False
    first[firsts] = True
    return first


def blocks(callers: pd.Series, dialled: pd.Series, own: set[str]) -> pd.Series:
    """Per contact: "blk:" and the thousands-block of its caller ID (all but the last three
    digits), or None for no number, a short or service code, one of the user's own numbers, or a
    number that shares the dialled line's leading digits (a neighbour spoof).

    Read once per distinct caller (a few ten thousand over a million contacts; strings per
    contact were most of a report's peak memory)."""
    distinct = _Distinct(callers)
    out = ("blk:" + distinct.strings.str[:-BLOCK_DIGITS]).to_numpy(dtype=object)[distinct.whole]
    out[_block_codes(distinct, _Distinct(dialled), own) < 0] = None
    return pd.Series(out, index=callers.index, dtype=object)


class _Distinct:
    """A column's distinct values: `code` per row (-1 missing), `values` (objects), `strings`
    (their text, then "" for a missing value) and `whole` (codes into `strings`, missing read as
    its last, "")."""

    def __init__(self, column: pd.Series) -> None:
        self.code, uniques = pd.factorize(column, use_na_sentinel=True)
        self.values = pd.Series(uniques, dtype=object)
        self.strings = pd.Series([*uniques.astype(str), ""], dtype="str")
        self.whole = np.where(self.code < 0, len(self.strings) - 1, self.code)


def _in_use(block_code: np.ndarray, member: np.ndarray, at: np.ndarray, gap: float) -> np.ndarray:
    """`block_code` with each block cut where its calls fall silent for longer than `gap` seconds:
    a carrier rents a thousand-block out to many businesses in turn (a VoIP reseller's numbers), so
    calls from one block months apart need not be one caller. -1 stays -1 (and non-`member`s)."""
    rows = np.flatnonzero(member)
    order = rows[np.lexsort((at[rows], block_code[rows]))]
    code, when = block_code[order], at[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (code[1:] != code[:-1]) | (when[1:] - when[:-1] > gap)
    out = np.full(len(block_code), -1, dtype=np.int64)
    out[order] = np.cumsum(starts) - 1
    return out


def _block_codes(callers: _Distinct, dialled: _Distinct, own: set[str]) -> np.ndarray:
    """Per contact: a code for its caller's thousands-block (`blocks`), -1 for none; equal codes
    for equal blocks."""
    caller, line = callers.strings, dialled.strings
    usable = caller.str.startswith("+") & (caller.str.len() >= MIN_BLOCK_LENGTH) & ~_isin(caller, own)
    per_caller = pd.factorize(caller.str[:-BLOCK_DIGITS])[0]
    per_caller[~usable.to_numpy(dtype=bool)] = -1
    out = per_caller[callers.whole]
    out[_same_leading(callers.whole, caller, dialled.whole, line)] = -1  # a neighbour spoof, or the line itself
    return out


def _isin(values: pd.Series, own: set[str]) -> np.ndarray:
    """`values.isin(own)` as booleans, `own` looked up as one Arrow array: pandas' `isin` on
    Arrow-backed strings makes an Arrow scalar of each of `own` first (66,000 canary numbers:
    0.8 s a call, at any number of contacts)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(values.array, pd.arrays.ArrowStringArray):
        return values.isin(own).to_numpy(dtype=bool)
    found = pc.is_in(pa.array(values.array), value_set=pa.array(sorted(own), type=pa.string()))
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def neighbours(callers: pd.Series, dialled: pd.Series) -> np.ndarray:
    """Per contact: does its caller ID copy the dialled line's leading digits (all but the last
    four: the area code and exchange of a US number), the mark of a neighbour spoof? A company's
    own line shows its own number; spoofing a number next to the target's is what robocallers
    and call centres working a list do to get answered."""
    return _neighbours(_Distinct(callers), _Distinct(dialled))


def _neighbours(callers: _Distinct, dialled: _Distinct) -> np.ndarray:
    caller_code, caller = callers.whole, callers.strings
    line_code, line = dialled.whole, dialled.strings
    whole = pd.factorize(pd.concat([caller, line]))[0]
    long = (caller.str.len() >= MIN_BLOCK_LENGTH).to_numpy(dtype=bool)[caller_code]
    itself = whole[caller_code] == whole[len(caller) + line_code]
    return _same_leading(caller_code, caller, line_code, line) & long & ~itself


# Chinese mobile ranges of the virtual operators (MVNOs, MIIT number plan): 162, 165, 167, 170
# and 171. Telemarketers and list-working call centres favour them (cheap, bought in bulk, often
# without the real-name check a carrier's own SIM needs); a company's sales line is its hotline,
# a landline or its agents' ordinary mobiles.
VIRTUAL_PREFIXES = ("+86162", "+86165", "+86167", "+86170", "+86171")


def virtual(callers: pd.Series) -> np.ndarray:
    """Per contact: is its caller ID a Chinese virtual-operator mobile (`VIRTUAL_PREFIXES`)?"""
    return _virtual(_Distinct(callers))


def _virtual(callers: _Distinct) -> np.ndarray:
    return callers.strings.str.startswith(VIRTUAL_PREFIXES).to_numpy(dtype=bool)[callers.whole]


# A neighbour match is evidence, not proof, that the caller is no company's own line. A centre
# working a list spoofs the dialled line's neighbours on about half its calls (US robocall
# centres ~2017-2020; call centres in China show a local number the same way), while a company's
# own line is an ordinary number of its own, which shares the line's leading digits only by
# chance: an agent local to the user draws one of the hundreds of exchanges of the user's area
# (about 800 usable NPA-NXX per US area code; a Chinese city's mobiles span thousands of 3+4
# prefixes), and most platforms' agents are not local at all. The own line's chance of the
# match over the centre's: about 1/1000 over 1/2 (an assumption of the order, not a fit).
NEIGHBOUR_OWN = 1 / 500


def own_line_odds(contacts: pd.DataFrame) -> np.ndarray:
    """Per contact: how well its caller, judged by this contact alone, fits a company's own line,
    as a factor on the odds that it is one. A company's sales line (its hotline, a landline, its
    agents' ordinary mobiles) shows a number, its own: 1. A caller that withholds it or dials from
    a Chinese virtual operator's range (`virtual`) is what call centres working a list do, and
    telemarketing rules forbid the first: 0. One that shares the dialled line's leading digits
    (`neighbours`) is a neighbour spoof, or a local number that shares them by chance:
    NEIGHBOUR_OWN. The one reading the model's own-sales weight and the verdicts' "still calling
    itself" start from (each adds only what it needs: `model._line_evidence`, the caller's other
    contacts; `verdicts._could_be_its_line`, the topic). A mail has no caller ID: 1."""
    callers = _Distinct(contacts["from"])  # read once per distinct number for all three
    withheld = (callers.strings == "").to_numpy(dtype=bool)[callers.whole]
    phone = contacts["channel"].to_numpy() != "email"
    spoof = phone & _neighbours(callers, _Distinct(contacts["to"]))
    never = phone & (withheld | _virtual(callers))
    return np.where(never, 0.0, np.where(spoof, NEIGHBOUR_OWN, 1.0))


def odd_callers(contacts: pd.DataFrame) -> np.ndarray:
    """Per contact: a call or SMS whose caller, judged by this contact alone, is certainly no
    company's own line (`own_line_odds` 0: withheld, or a virtual operator's mobile). A neighbour
    match is not among them: a local number shares the dialled line's exchange by chance too."""
    return own_line_odds(contacts) == 0.0


def _same_leading(caller_code: np.ndarray, caller: pd.Series, line_code: np.ndarray, line: pd.Series) -> np.ndarray:
    """Per contact: caller and dialled line agree in all but the last NEIGHBOUR_DIGITS digits;
    compared as codes of the distinct numbers' leading digits (`_Distinct.whole` of each), not as
    strings per contact."""
    leading = pd.factorize(pd.concat([caller.str[:-NEIGHBOUR_DIGITS], line.str[:-NEIGHBOUR_DIGITS]]))[0]
    return leading[caller_code] == leading[len(caller) + line_code]


def components(n: int, links: pd.DataFrame | dict[str, np.ndarray]) -> np.ndarray:
    """Label per contact (0..n-1): the smallest contact index in its connected component. The
    labels are int32 when the contacts' count fits (the minima are the same in any width)."""
    index = np.int32 if n < 2**31 else np.int64
    label = np.arange(n, dtype=index)
    if not len(links["i"]):
        return label
    i = np.asarray(links["i"])
    key_codes, _ = pd.factorize(np.asarray(links["key"]))
    key_codes = _fewest(key_codes)
    while True:
        key_min = np.full(key_codes.max() + 1, n, dtype=index)
        np.minimum.at(key_min, key_codes, label[i])
        new = label.copy()
        np.minimum.at(new, i, key_min[key_codes])
        del key_min
        new = new[new]  # pointer jumping speeds convergence on long chains
        if np.array_equal(new, label):
            return label
        label = new


def codes(
    contacts: pd.DataFrame, feats: pd.DataFrame | Features, own: set[str], *, block_gap: float | None = None
) -> np.ndarray:
    """Per contact: a code for its campaign (equal codes, one campaign), -1 for a contact that
    shares nothing; `label`'s grouping without its names (no string per contact)."""
    return groupings(contacts, feats, own, (block_gap,))[0]


def groupings(
    contacts: pd.DataFrame, feats: pd.DataFrame | Features, own: set[str], block_gaps: tuple[float | None, ...]
) -> list[np.ndarray]:
    """`codes` for each of `block_gaps`, the keys read once for all (`_Keys`): the model groups
    the contacts twice, into campaigns and over the blocks in use (`model.OWN_LINE_BLOCK_GAP`),
    and each grouping read every key again (its transients were the report's peak at 5M)."""
    keyed = _Keys(contacts, feats, own)
    out = []
    for gap in block_gaps:
        comp = components(len(contacts), keyed.links(gap))
        out.append(_numbered(comp))
        del comp
    return out


def _numbered(comp: np.ndarray) -> np.ndarray:
    """Per contact: its component's number among the components of two contacts or more, in the
    order of their labels; -1 for a contact alone."""
    grouped = np.bincount(comp, minlength=len(comp))[comp] >= 2
    out = np.full(len(comp), -1, dtype=np.int64)
    out[grouped] = np.unique(comp[grouped], return_inverse=True)[1]
    return out


def label(
    contacts: pd.DataFrame, feats: pd.DataFrame | Features, own: set[str], *, block_gap: float | None = None
) -> pd.Series:
    """Campaign id per contact ("g_…"), or None for contacts that share nothing. `block_gap`
    (seconds): a rented block's calls join only while the block is in use, no silence longer than
    that between one call and the next (`_in_use`)."""
    return named(contacts, codes(contacts, feats, own, block_gap=block_gap))


def named(contacts: pd.DataFrame, code: np.ndarray) -> pd.Series:
    """`codes`' campaigns as ids ("g_…" after each campaign's first contact, one string per
    campaign), None for a contact that shares nothing."""
    grouped = code >= 0
    ids = np.full(len(contacts), None, dtype=object)
    if grouped.any():  # named after each campaign's first contact, one string per campaign
        values, firsts = np.unique(code, return_index=True)
        names = contacts["id"].iloc[firsts[values >= 0]].astype(str).str.replace("k_", "g_", regex=False)
        ids[grouped] = names.to_numpy(dtype=object)[code[grouped]]
    return pd.Series(ids, index=contacts.index, dtype=object)
