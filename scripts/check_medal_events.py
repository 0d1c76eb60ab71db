#!/usr/bin/env python3
"""Check the files written by scripts/make_medal_events.py against docs/format.md and the sources.

Usage (from the repo root): python3 scripts/check_medal_events.py [DATA_DIR]

Checks the format (field order, compact JSON, v5 ids over the natural keys, recorded never going
backwards, dates inside the games), then folds the medals (revocations applied) and compares:
- Olympics: every NOC of the official olympics.com table (paris2024-olympics-official-table)
  for gold/silver/bronze and rank (AIN left out of the ranking), AIN 1-3-1; the fold as known on
  2024-08-10 (recorded <= 2024-08-10T23:59:59Z) differs only by USA +1 bronze, ROU -1 bronze.
- Paralympics: every NPC of medals_total.csv; AZE 4-2-5 ranked 28 with NPA left out.
Prints the figures; exits non-zero on the first failed check.
"""

import collections
import csv
import json
import os
import re
import sys
import uuid

NAMESPACE = uuid.UUID("2f9c4d1e-7a53-5b8e-9c61-0d4e8a7b3f12")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA_DIR = os.path.join(REPO_ROOT, "..", "shared", "data")
OLY = os.path.join(REPO_ROOT, "events", "20-paris-2024-olympics.jsonl")
PARA = os.path.join(REPO_ROOT, "events", "40-paris-2024-paralympics.jsonl")

FIELDS = {
    "games_registered": ["games", "name", "closes", "unranked", "delegations", "season", "movement"],
    "medal_awarded": ["games", "sport", "event", "medal", "noc", "athletes"],
    "medal_revoked": ["award", "reason"],
}
COMMON = ["id", "type", "date", "recorded", "recorded_by", "source"]
COLOURS = ("gold", "silver", "bronze")


def check(cond, message):
    if not cond:
        raise SystemExit(f"FAILED: {message}")


def natural_key(ev):
    if ev["type"] == "games_registered":
        return f"games|{ev['games']}"
    if ev["type"] == "medal_awarded":
        return "medal|{games}|{sport}|{event}|{medal}|{noc}|".format(**ev) + ";".join(sorted(ev["athletes"]))
    return f"revoke|{ev['award']}"


def load(path):
    """Parse and validate one file; returns its events."""
    events, seen_data = [], False
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    check(raw.endswith("\n") and "\r" not in raw, f"{path}: LF line endings")
    for n, line in enumerate(raw.split("\n")[:-1], 1):
        if line.startswith("#"):
            check(not seen_data, f"{path}:{n}: comment after data")
            continue
        check(line.strip(), f"{path}:{n}: blank line")
        seen_data = True
        ev = json.loads(line)
        check(json.dumps(ev, ensure_ascii=False, separators=(",", ":")) == line, f"{path}:{n}: not compact")
        check(list(ev) == COMMON + FIELDS[ev["type"]], f"{path}:{n}: field order {list(ev)}")
        check(all(isinstance(ev[k], str) and ev[k] for k in COMMON), f"{path}:{n}: empty common field")
        check(re.fullmatch(r"\d{4}-\d{2}-\d{2}", ev["date"]), f"{path}:{n}: date")
        check(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", ev["recorded"]), f"{path}:{n}: recorded")
        check(ev["id"] == str(uuid.uuid5(NAMESPACE, natural_key(ev))), f"{path}:{n}: id is not v5 of its key")
        if ev["type"] == "medal_awarded":
            check(ev["medal"] in COLOURS, f"{path}:{n}: medal")
            check(re.fullmatch(r"[A-Z]{3}", ev["noc"]), f"{path}:{n}: noc")
            check(0 < len(ev["athletes"]) <= 100 and all(a and a == a.strip() for a in ev["athletes"]),
                  f"{path}:{n}: athletes")
            check(all(a == " ".join(a.split()) for a in ev["athletes"]), f"{path}:{n}: whitespace in a name")
        events.append(ev)
    return events


def check_order_and_dates(events, path):
    check(events[0]["type"] == "games_registered", f"{path}: registration first")
    games = events[0]
    recorded = [ev["recorded"] for ev in events]
    check(recorded == sorted(recorded), f"{path}: recorded goes backwards")
    ids = [ev["id"] for ev in events]
    check(len(set(ids)) == len(ids), f"{path}: duplicate ids")
    by_id = {ev["id"]: ev for ev in events}
    for ev in events[1:]:
        check(games["date"] <= ev["date"] <= games["closes"], f"{path}: date outside games: {ev}")
        if ev["type"] == "medal_awarded":
            check(ev["games"] == games["games"], f"{path}: games slug")
            check(ev["noc"] in games["delegations"], f"{path}: {ev['noc']} not a delegation")
        if ev["type"] == "medal_revoked":
            check(by_id.get(ev["award"], {}).get("type") == "medal_awarded", f"{path}: revoked award unknown")
            check(by_id[ev["award"]]["recorded"] <= ev["recorded"], f"{path}: revocation before award")


def fold(events, until=None):
    """NOC -> [gold, silver, bronze] of the awards not revoked, as known at `until` (recorded)."""
    known = [ev for ev in events if until is None or ev["recorded"] <= until]
    revoked = {ev["award"] for ev in known if ev["type"] == "medal_revoked"}
    table = collections.defaultdict(lambda: [0, 0, 0])
    for ev in known:
        if ev["type"] == "medal_awarded" and ev["id"] not in revoked:
            table[ev["noc"]][COLOURS.index(ev["medal"])] += 1
    return dict(table)


def ranks(table, unranked):
    """Olympic ranking: gold, silver, bronze descending; equal counts share the rank."""
    rows = sorted(((tuple(v), k) for k, v in table.items() if k not in unranked), reverse=True)
    out, prev, rank = {}, None, 0
    for i, (counts, noc) in enumerate(rows, 1):
        if counts != prev:
            rank, prev = i, counts
        out[noc] = rank
    return out


def collisions(events):
    keys = collections.Counter(natural_key(ev) for ev in events)
    return sum(n - 1 for n in keys.values() if n > 1)


def main(argv):
    data_dir = argv[1] if len(argv) > 1 else DEFAULT_DATA_DIR
    oly, para = load(OLY), load(PARA)
    check_order_and_dates(oly, OLY)
    check_order_and_dates(para, PARA)
    check(oly[-1]["recorded"] <= para[0]["recorded"], "recorded goes backwards across files")
    for name, evs in (("olympics", oly), ("paralympics", para)):
        kinds = collections.Counter(ev["type"] for ev in evs)
        print(f"{name}: {len(evs)} events {dict(kinds)}; natural-key collisions: {collisions(evs)}")
        check(collisions(evs) == 0, "natural keys collide")
    check(len(oly) == 1 + 1046 and len(para) == 1 + 1707, "event counts")

    # Olympics against the official table.
    with open(os.path.join(data_dir, "paris2024-olympics-official-table", "olympics.json"), encoding="utf-8") as f:
        official = {r["country"]["code"]: r for r in json.load(f)["results"]}
    table = fold(oly)
    check(len(official) == 91, "91 NOCs in olympics.json")
    check(table.pop("AIN") == [1, 3, 1], "AIN 1-3-1")
    check(set(table) == set(official), f"NOC sets differ: {set(table) ^ set(official)}")
    rank = ranks(table, {"AIN"})
    for noc, r in official.items():
        want = [r["medals"]["gold"], r["medals"]["silver"], r["medals"]["bronze"]]
        check(table[noc] == want, f"{noc}: {table[noc]} != {want}")
        check(rank[noc] == r["rank"], f"{noc}: rank {rank[noc]} != {r['rank']}")
    print(f"olympics: all {len(official)} NOCs match olympics.json (G/S/B and rank); AIN 1-3-1; "
          f"AZE {table['AZE']} rank {rank['AZE']}, CRO {table['CRO']} rank {rank['CRO']}; "
          f"totals {[sum(v[i] for v in fold(oly).values()) for i in range(3)]}")

    # Bitemporal: medals won up to 2024-08-10 as known then, versus as known now.
    won_by_10 = [ev for ev in oly if ev["date"] <= "2024-08-10"]
    then, now = fold(won_by_10, "2024-08-10T23:59:59Z"), fold(won_by_10)
    diff = {noc: [a - b for a, b in zip(then.get(noc, [0, 0, 0]), now.get(noc, [0, 0, 0]))]
            for noc in set(then) | set(now)}
    diff = {noc: d for noc, d in diff.items() if any(d)}
    check(diff == {"USA": [0, 0, 1], "ROU": [0, 0, -1]}, f"2024-08-10 knowledge: {diff}")
    print(f"olympics, medals up to 2024-08-10 as known on 2024-08-10 minus as known now: {diff} "
          f"(USA {then['USA']} vs {now['USA']}, ROU {then['ROU']} vs {now['ROU']}); "
          f"full fold as of 2024-08-10T23:59:59Z: USA {fold(oly, '2024-08-10T23:59:59Z')['USA']}, "
          f"ROU {fold(oly, '2024-08-10T23:59:59Z')['ROU']}")

    # Paralympics against medals_total.csv.
    with open(os.path.join(data_dir, "paris2024-paralympics-kaggle", "medals_total.csv"), encoding="utf-8") as f:
        totals = {r["country_code"]: [int(r["Gold Medal"]), int(r["Silver Medal"]), int(r["Bronze Medal"])]
                  for r in csv.DictReader(f)}
    ptable = fold(para)
    check(ptable == totals, "paralympic table differs: " + str({k: (ptable.get(k), totals.get(k)) for k in set(ptable) | set(totals) if ptable.get(k) != totals.get(k)}))
    prank = ranks(ptable, {"NPA"})
    check(ptable["AZE"] == [4, 2, 5] and prank["AZE"] == 28, f"AZE {ptable['AZE']} rank {prank['AZE']}")
    print(f"paralympics: all {len(totals)} NPCs match medals_total.csv; AZE {ptable['AZE']} rank {prank['AZE']} "
          f"(NPA excluded); totals {[sum(v[i] for v in ptable.values()) for i in range(3)]}")

    for name, evs in (("olympics", oly), ("paralympics", para)):
        sports = sorted({ev["sport"] for ev in evs if ev["type"] == "medal_awarded"})
        teams = [ev for ev in evs if ev["type"] == "medal_awarded" and len(ev["athletes"]) > 1]
        print(f"{name}: {len(sports)} sports: {', '.join(sports)}")
        print(f"{name}: {len(teams)} medals with more than one athlete; largest "
              f"{max(len(ev['athletes']) for ev in teams)}")
    print("all checks passed")


if __name__ == "__main__":
    main(sys.argv)
