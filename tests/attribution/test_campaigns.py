"""Campaigns: contacts that share a caller, a rented number block, a callback or a template."""

from __future__ import annotations

import pandas as pd

from tracer.attribution import campaigns

LINE = "+12025550143"


def _label(callers: list[str | None], to: str = LINE, channel: str = "call") -> list[str | None]:
    contacts = pd.DataFrame(
        {
            "id": [f"k_{n}" for n in range(len(callers))],
            "channel": [channel] * len(callers),
            "from": callers,
            "to": [to] * len(callers),
        }
    )
    feats = pd.DataFrame({"callbacks": [[] for _ in callers], "template": [None] * len(callers)})
    return campaigns.label(contacts, feats, own={LINE}).tolist()


def test_numbers_of_one_rented_thousand_block_are_one_caller():
    """A centre rotating through +1 312 321 0xxx is one campaign: carriers assign numbers in
    blocks of a thousand, which centres rent whole."""
    got = _label(["+13123210346", "+13123210871", "+13123219000"])
    assert got[0] is not None and got[0] == got[1]
    assert got[2] is None  # another thousand-block: nothing shared


def test_a_block_joins_its_calls_only_while_in_use_when_a_gap_is_given():
    """The own-line tests read a block as one caller only while it is in use (`block_gap`): a
    carrier rents thousand-blocks out to businesses in turn, so a platform's agent may dial from
    the block a stranger rang the user from months before (dev 10216: an innocent `leaked`)."""
    day = 86_400.0
    at = [0.0, 2 * day, 100 * day, 101 * day, 200 * day]
    callers = ["+12135737622", "+12135737100", "+12135737424", "+12135737555", "+12135737999"]
    contacts = pd.DataFrame({"id": [f"k_{n}" for n in range(5)], "channel": ["call"] * 5, "from": callers,
                             "to": [LINE] * 5, "at": at})  # fmt: skip
    feats = pd.DataFrame({"callbacks": [[] for _ in callers], "template": [None] * 5})
    whole = campaigns.label(contacts, feats, own={LINE}).tolist()
    assert len(set(whole)) == 1 and whole[0] is not None  # as campaigns: one rented block
    in_use = campaigns.label(contacts, feats, own={LINE}, block_gap=30 * day).tolist()
    assert in_use[0] == in_use[1] and in_use[2] == in_use[3] and in_use[0] != in_use[2]
    assert in_use[4] is None  # alone in its stretch: nothing shared
    coded = campaigns.codes(contacts, feats, own={LINE}, block_gap=30 * day).tolist()
    assert coded[0] == coded[1] != coded[2] == coded[3] and coded[4] == -1


def test_neighbour_spoofs_of_the_dialled_line_are_not_joined_by_their_block():
    """Spoofs copy the target's area code and exchange: two of them aimed at one line share a
    block by construction, not because one caller made them."""
    assert _label(["+12025550871", "+12025550912"]) == [None, None]


def test_short_codes_and_withheld_callers_join_nothing_by_block():
    assert _label(["95588", "95589", None, ""]) == [None, None, None, None]


def test_sms_senders_of_one_gateway_prefix_are_not_one_sender() -> None:
    """106 channels are a gateway's prefix plus a client's extension: two shops texting through
    one gateway share the leading digits without being one sender."""
    assert _label(["+8610655903207", "+8610655903636"], to="+8613800138000", channel="sms") == [None, None]


def test_neighbours_copy_the_dialled_lines_prefix_but_are_not_the_line_itself() -> None:
    callers = pd.Series(["+12025559871", "+12025550143", "+13125550871", None, "95588"])
    assert campaigns.neighbours(callers, pd.Series([LINE] * 5)).tolist() == [True, False, False, False, False]


def test_own_line_odds_weigh_withheld_virtual_operator_and_neighbour_callers() -> None:
    """The one answer to "could this caller, by this contact alone, be a company's own line?":
    a shown ordinary number could (1); a withheld one or a Chinese virtual-operator mobile could
    not (0), by call or SMS; one that shares the dialled line's area code and exchange is a
    neighbour spoof or a local number by chance (NEIGHBOUR_OWN, not 0); a mail has no caller ID
    to judge. `odd_callers` are the certain ones only."""
    contacts = pd.DataFrame(
        {
            "channel": ["call", "call", "sms", "call", "sms", "email"],
            "from": ["+13125550871", None, "+12025559871", "+8617012345678", "", "x@example.org"],
            "to": [LINE, LINE, LINE, "+8613800138000", LINE, "me@example.org"],
        }
    )
    odds = campaigns.own_line_odds(contacts).tolist()
    assert odds == [1.0, 0.0, campaigns.NEIGHBOUR_OWN, 0.0, 0.0, 1.0]
    assert 0.0 < campaigns.NEIGHBOUR_OWN < 0.01
    assert campaigns.odd_callers(contacts).tolist() == [False, True, False, True, True, False]
