"""When a leaked platform's data first reached a caller: a 90% interval, `leak_window`.

The leak moment L lies between the canary's issue s and the first contact that truly came from
the leak (a caller cannot use data before holding it). Which attributed contact that is, is
uncertain: contact k (in time order, attributed with probability w_k) is the first true one with
probability w_k times the chance that every earlier one was not.

Given the first true leak contact at t, L has two modes a priori, half each: the data went out at
the signup (a partner handed the lead on; L ~ s) or at any moment until t (a breach, a later sale:
L uniform on [s, t]). Between L and t the callers made no contact that could be attributed, which
has likelihood exp(-r (t - L)) with r the rate of attributed contacts after the first (one contact
in LEAK_PRIOR_DAYS as prior). The window runs from L's 10% quantile, mixed over t, to the contact
by which the first true one has come with 99% probability: a bought list is usually first called
within hours of the purchase, so the upper end sits at a contact, and the lower end widens when
attributed contacts are rare.
"""

from __future__ import annotations

import numpy as np

from tracer.attribution.model import DAY, LEAK_PRIOR_CONTACTS, LEAK_PRIOR_DAYS

LOWER, UPPER = 0.1, 0.99  # L's 10% quantile, and the contact by which it is 99% sure to be past
AT_SIGNUP = 0.5  # prior weight of "the data went out at the signup"
_GRID = 4000
# A contact this unlikely to be the first true one moves the CDF by less than this anywhere: it is
# skipped (a platform with thousands of attributed contacts has almost all its mass on the first
# few, and each term costs a pass over the grid)
_NEGLIGIBLE = 1e-12


def leak_window(
    issued: float, contacts: list[float], end: float, weights: list[float] | None = None
) -> tuple[float, float] | None:
    """(from, to) in epoch seconds for a platform issued at `issued` whose attributed contacts
    came at `contacts` (epoch seconds, each attributed with probability `weights`, default 1) in a
    record ending at `end`; None without contacts."""
    if not contacts:
        return None
    order = np.argsort(contacts)
    times = np.asarray(contacts, dtype=float)[order]
    w = np.clip(np.asarray(weights if weights is not None else [1.0] * len(times), dtype=float)[order], 0, 1)
    first = _first_true(w)
    after = max(end - times[0], 0.0) / DAY
    rate = max(
        (float(w.sum()) - 1 + LEAK_PRIOR_CONTACTS) / (after + LEAK_PRIOR_DAYS), _burst_rate(times), 1e-6
    )
    grid = np.unique(np.concatenate([np.linspace(issued, times.max(), _GRID), times, [issued]]))
    cdf = sum(
        (p * _cdf(grid, issued, t, rate) for p, t in zip(first, times, strict=True) if p > _NEGLIGIBLE),
        np.zeros(len(grid)),
    )
    low = grid[min(int(np.searchsorted(cdf, LOWER)), len(grid) - 1)]
    # L comes before the first true contact, which is one of the contacts: the window ends at the
    # first contact by which that has happened with probability UPPER
    high = times[min(int(np.searchsorted(np.cumsum(first), UPPER - 1e-9)), len(times) - 1)]
    return float(min(low, high)), float(high)


def _burst_rate(times: np.ndarray) -> float:
    """Attributed contacts per day while a caller works the list: log 2 over the median gap
    between consecutive ones (lists are worked in bursts, then go stale, so the rate over the
    whole record understates how soon a fresh list is first called); 0 with one contact."""
    gaps = np.diff(times) / DAY
    gaps = gaps[gaps > 0]
    return float(np.log(2) / max(np.median(gaps), 1 / 24)) if len(gaps) else 0.0


def _first_true(w: np.ndarray) -> np.ndarray:
    """P(contact k is the first true leak contact); what no contact takes goes to the last."""
    before = np.concatenate([[1.0], np.cumprod(1 - w)[:-1]])
    first = w * before
    first[-1] += max(1.0 - first.sum(), 0.0)
    return first


def _cdf(x: np.ndarray, issued: float, first: float, rate: float) -> np.ndarray:
    """P(L <= x) given the first true leak contact at `first`."""
    room = max(first - issued, 0.0) / DAY
    if room <= 0:
        return (x >= first).astype(float)
    spread = -np.expm1(-rate * room) / (rate * room)  # flat prior times the likelihood, integrated
    point = AT_SIGNUP * np.exp(-rate * room)
    at_signup = point / (point + (1 - AT_SIGNUP) * spread)
    gap = np.clip((first - x) / DAY, 0.0, room)
    tail = (np.exp(-rate * gap) - np.exp(-rate * room)) / -np.expm1(-rate * room)
    out = at_signup + (1 - at_signup) * tail
    return np.where(x < issued, 0.0, np.where(x >= first, 1.0, out))
