"""truth.json agrees with the files and with how leaks work in the world."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from simulate_readback import Files, file_keys, message_id, read, sms_key

from canaries import forms, split_name, spoken_key
from tracer.simulate import CAUSES
from tracer.times import parse


def _contact_times(files: Files) -> dict[str, str]:
    """key -> ISO time of every contact in the files."""
    times = {row["id"]: row["at"] for row in files.calls}
    times.update({sms_key(row): sms_key(row).split("|")[2] for row in files.sms})
    times.update({message_id(m): m["Date"].datetime.isoformat() for m in files.mail})
    return times


def test_every_contact_in_the_files_has_one_truth_entry_and_vice_versa(
    zh_world: Path, en_world: Path
) -> None:
    for out in (zh_world, en_world):
        files = read(out)
        keys = file_keys(files)
        assert len(keys) == len(set(keys)), "contact keys are unique"
        assert Counter(keys) == Counter(c["key"] for c in files.truth["contacts"])


def test_truth_entries_are_well_formed(zh_world: Path) -> None:
    truth = read(zh_world).truth
    platforms = set(truth["platforms"])
    for contact in truth["contacts"]:
        assert contact["cause"] in CAUSES
        assert contact["channel"] in ("call", "sms", "email")
        if contact["cause"] in ("leak", "first-party"):
            assert contact["platform"] in platforms
        else:
            assert contact["platform"] is None and contact["identifying"] is False
    for name, doc in truth["platforms"].items():
        assert doc["behaviour"] in ("none", "partners", "breach", "broker"), name
        assert doc["leaked"] == (doc["behaviour"] != "none")
        assert (doc["broker"] is not None) == (doc["behaviour"] == "broker")


def test_leaked_platforms_have_leak_contacts_and_innocent_ones_none(
    zh_world: Path, busy_world: Path
) -> None:
    for out in (zh_world, busy_world):
        truth = read(out).truth
        leaks = Counter(c["platform"] for c in truth["contacts"] if c["cause"] == "leak")
        for name, doc in truth["platforms"].items():
            assert (leaks[name] > 0) == doc["leaked"], name
            assert leaks[name] == doc["leak_contacts"]


def test_about_leak_share_of_platforms_leak_and_every_behaviour_occurs(busy_world: Path) -> None:
    platforms = read(busy_world).truth["platforms"]
    behaviours = Counter(doc["behaviour"] for doc in platforms.values())
    assert behaviours["none"] == len(platforms) - round(0.4 * len(platforms))
    assert behaviours["partners"] and behaviours["breach"] and behaviours["broker"]


def test_no_platform_contact_precedes_its_signup_or_its_leak(
    zh_world: Path, busy_world: Path
) -> None:
    for out in (zh_world, busy_world):
        files = read(out)
        times = _contact_times(files)
        signed = {s["platform"]: parse(s["at"]) for s in files.world["signups"]}
        for contact in files.truth["contacts"]:
            if contact["platform"] is None:
                continue
            at = parse(times[contact["key"]])
            assert at >= signed[contact["platform"]], contact
            leaked_at = files.truth["platforms"][contact["platform"]]["leaked_at"]
            if contact["cause"] == "leak":
                assert at >= parse(leaked_at), contact


def test_controls_receive_only_background(busy_world: Path) -> None:
    files = read(busy_world)
    controls = {n["e164"] for n in files.world["numbers"] if n["control"] and not n["recycled"]}
    assert controls
    truth = files.truth_by_key()
    on_controls = [row["id"] for row in files.calls if row["to"] in controls]
    on_controls += [sms_key(row) for row in files.sms if row["to"] in controls]
    assert on_controls, "controls do receive background traffic"
    assert {truth[key]["cause"] for key in on_controls} == {"background"}
    assert not any(s["phone"] in controls for s in files.world["signups"])


def test_recycled_lines_get_previous_owner_traffic_that_names_him(busy_world: Path) -> None:
    files = read(busy_world)
    truth = files.truth_by_key()
    recycled = {n["e164"] for n in files.world["numbers"] if n["recycled"]}
    previous = [row for row in files.calls if truth[row["id"]]["cause"] == "previous-owner"]
    previous += [row for row in files.sms if truth[sms_key(row)]["cause"] == "previous-owner"]
    assert previous and {row["to"] for row in previous} <= recycled
    named = [
        r
        for r in previous
        if r.get("heard_name") or "先生" in r.get("body", "") + r.get("text", "")
    ]
    assert named, "callers ask for the previous owner"


def test_platforms_send_their_own_verification_codes_signed_with_their_brand(
    zh_world: Path,
) -> None:
    files = read(zh_world)
    truth = files.truth_by_key()
    codes = [
        row
        for row in files.sms
        if truth[sms_key(row)]["cause"] == "first-party" and "验证码" in row["body"]
    ]
    platforms = {truth[sms_key(row)]["platform"] for row in codes}
    assert platforms == set(files.truth["platforms"])
    for row in codes:
        assert row["body"].startswith(f"【{truth[sms_key(row)]['platform']}】")


def _names_canary(said: str, name: str, locale: str) -> bool:
    """Does `said` (as typed: homophones, pinyin, typos) repeat a part of `name`?"""
    if not said:
        return False
    surname, given = split_name(name)
    heard = spoken_key(said, locale=locale) if locale.startswith("zh") else said.lower()
    parts = [
        spoken_key(p, locale=locale) if locale.startswith("zh") else p.lower()
        for p in (surname, given)
    ]
    keys = [f.key for f in forms(name, locale) if f.part in ("cut", "nick")]  # 闾 for 闾丘, Bob
    if locale.startswith("zh"):
        return surname in said or any(part and part in heard for part in parts + keys)
    words = heard.replace(".", " ").replace(",", " ").split()
    if any(spoken_key(word, locale=locale) in keys for word in words):
        return True
    return any(fuzz.ratio(word, part) >= 70 for word in words for part in " ".join(parts).split())


def _quotes_marker(said: str, markers: dict[str, str]) -> bool:
    year, month, day = (int(part) for part in markers["birthday"].split("-"))
    birthday = (f"{year}年{month}月{day}日", f"{month}/{day}/{year}")
    return markers["address2"] in said or any(form in said for form in birthday)


def _on_line_by(signups: list[dict[str, Any]], to: str, at: str) -> int:
    return sum(1 for s in signups if s["phone"] == to and parse(s["at"]) <= parse(at))


def test_identifying_contacts_carry_evidence_of_their_canary(
    busy_world: Path, en_world: Path
) -> None:
    """An identifying call or SMS reached a number only its canary had by then, or repeats the
    canary's name or a marker; every mail to an alias is identifying."""
    for out in (busy_world, en_world):
        files = read(out)
        locale = files.world["user"]["locale"]
        truth = files.truth_by_key()
        signups = {s["platform"]: s for s in files.world["signups"]}
        rows = [(row["id"], row["to"], row["at"], row["heard_name"]) for row in files.calls]
        rows += [
            (sms_key(row), row["to"], sms_key(row).split("|")[2], row["body"]) for row in files.sms
        ]
        found: Counter[str] = Counter()
        for key, to, at, said in rows:
            contact = truth[key]
            if not contact["identifying"]:
                continue
            signup = signups[contact["platform"]]
            marker = _quotes_marker(said, signup["markers"])
            exclusive = _on_line_by(files.world["signups"], to, at) == 1 and to == signup["phone"]
            named = _names_canary(said, signup["name"], locale)
            assert exclusive or named or marker, (contact, said)
            found[("exclusive" if exclusive else "named" if named else "marker")] += 1
        assert found["named"] > 0, out
        mails = [truth[message_id(m)] for m in files.mail]
        assert all(m["identifying"] for m in mails if m["platform"])


def test_broker_clients_reach_canaries_of_several_platforms(busy_world: Path) -> None:
    truth = read(busy_world).truth
    assert truth["brokers"]
    client_of = {cid: b for b in truth["brokers"] for cid in b["centres"]}
    linked = [c for c in truth["centres"] if c["id"] in client_of and len(c["platforms"]) >= 2]
    assert linked, "a broker's call centres work lists from several platforms"
    for centre in linked:
        assert set(centre["platforms"]) <= set(client_of[centre["id"]]["platforms"])


def test_call_centres_rotate_caller_ids_but_keep_callbacks(busy_world: Path) -> None:
    truth = read(busy_world).truth
    working = [c for c in truth["centres"] if c["kind"] in ("broker", "scam", "partner")]
    assert max(len(c["senders"]) for c in working) >= 5
    assert all(len(c["callbacks"]) <= 3 for c in working)
