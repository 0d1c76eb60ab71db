#!/usr/bin/env python3
"""Generate podium's Paris 2024 medal event files from the Kaggle data.

Usage (from the repo root):

    python3 scripts/make_medal_events.py [DATA_DIR]           # (re)write the two files below
    python3 scripts/make_medal_events.py --check [DATA_DIR]   # write nothing; exit 1 if a file differs

DATA_DIR defaults to ../shared/data relative to the repo root. The script writes

    events/20-paris-2024-olympics.jsonl
    events/40-paris-2024-paralympics.jsonl

in the podium JSON Lines format of docs/format.md (ids are UUID v5 over the natural keys given
there). Only the standard library is used and the output depends only on the input files, so
running it twice gives identical bytes.

Source files (read DATA_DIR/*/SOURCE.md for provenance):

- paris2024-olympics-kaggle/medals.csv: one row per medal (1044), a team medal is one row whose
  `name` is the team's country name or "SURNAME/SURNAME" for pairs. medal_type gives the colour
  (medal_code is empty in one row, so it is not used).
- paris2024-olympics-kaggle/medallists.csv: one row per athlete per medal; team members carry
  `code_team`, which equals medals.csv `code` of the team row (checked: all 1044 medals match on
  discipline, event, medal_type and code).
- paris2024-olympics-kaggle/events.csv: the 329 events with their `sport`; used to map a
  medals.csv discipline to its sport name (e.g. "3x3 Basketball" -> "Basketball 3x3").
- paris2024-paralympics-kaggle/medals.csv and medallists.csv: same layout (1707 medals). The sport
  is the discipline (e.g. "Para Athletics"). Team members are matched on code_team as well, which
  also separates KOR's two bronzes in Para Table Tennis Women's Doubles WD10 (KOR01, KOR02), which
  grouping by country alone would merge.

Conventions:

- `date` is medal_date (the day of the final). `recorded` is that day at 21:00 UTC
  ("{date}T21:00:00Z"), taken as the end of the competition day. Each games_registered is
  recorded at 00:00 UTC of the opening day, and gives its season (summer) and movement (olympic,
  paralympic) after its delegations, in docs/format.md's field order.
- Names use the order medals.csv uses: "Given SURNAME", except for the NOCs whose individual
  medallists medals.csv writes surname first (derived from the data: CHN, HKG, JPN, KOR, PRK, TPE),
  as olympics.com does for East Asian names. A team member who also has an individual medal gets
  the medals.csv spelling of that medal; any other member's medallists.csv name ("SURNAME Given")
  has its leading surname tokens (upper case, with particles such as "van", "de La", "Mc" before
  them) moved to the end, unless the member's NOC writes surnames first. Six individual rows
  in medals.csv (rhythmic gymnastics individual all-around and heptathlon, the ones whose
  medal_code is "1.0") still give "SURNAME Given" for given-first NOCs; they are converted the
  same way. Runs of whitespace (one NBSP in the Paralympic data) collapse to a single space.
- Olympic medallists.csv rows with is_medallist False (47 team reserves who did not compete,
  e.g. relay and equestrian reserves) are left out of the team's athletes.
- Women's Floor Exercise bronze: the data carry only Ana BARBOSU (ROU). The file records it as it
  happened: the award to Jordan CHILES (USA) on 2024-08-05, its revocation (dated 2024-08-05,
  i.e. retroactive; recorded 2024-08-11T12:00:00Z) after the CAS ruling of 2024-08-10 and the
  IOC's reallocation of 2024-08-11, and the award to BARBOSU recorded 2024-08-11T12:00:00Z.
- Lines are sorted by recorded time, then a stable key (revocations before awards at the same
  instant, then sport, event, colour, NOC, athletes); the games_registered line comes first.
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
RECORDED_BY = "scripts/make_medal_events.py"
DEFAULT_DATA_DIR = os.path.join(REPO_ROOT, "..", "shared", "data")

MEDALS = {"Gold Medal": "gold", "Silver Medal": "silver", "Bronze Medal": "bronze"}
MEDAL_ORDER = {"gold": 0, "silver": 1, "bronze": 2}
INDIVIDUAL_TYPES = {"ATH", "HATH"}  # medals.csv event_type of one-athlete medals
END_OF_DAY = "T21:00:00Z"
# Delegation names: medals.csv `country`, or `country_long` where `country` is only the code
# (EOR -> "Refugee Olympic Team", NPA, RPT). AIN is "AIN" in every column; SOURCE.md names it.
DELEGATION_NAMES = {"AIN": "Individual Neutral Athletes"}

OLYMPICS = {
    "games": "paris-2024",
    "name": "Paris 2024 Olympic Games",
    "opens": "2024-07-26",
    "closes": "2024-08-11",
    "unranked": ["AIN"],
    "season": "summer",
    "movement": "olympic",
    "dir": "paris2024-olympics-kaggle",
    "out": "20-paris-2024-olympics.jsonl",
    "floor_exercise": True,  # replay the Women's Floor Exercise bronze (see FLOOR)
    "source": 'piterfm (Kaggle) from olympics.com, "Paris 2024 Olympic Summer Games", 2024-11-20, '
              "paris2024-olympics-kaggle/{files}",
}
PARALYMPICS = {
    "games": "paris-2024-paralympics",
    "name": "Paris 2024 Paralympic Games",
    "opens": "2024-08-28",
    "closes": "2024-09-08",
    "unranked": ["NPA"],
    "season": "summer",
    "movement": "paralympic",
    "dir": "paris2024-paralympics-kaggle",
    "out": "40-paris-2024-paralympics.jsonl",
    "floor_exercise": False,
    "source": 'piterfm (Kaggle) from olympics.com, "Paris 2024 Paralympic Summer Games", 2024-11-06, '
              "paris2024-paralympics-kaggle/{files}",
}

# The Women's Floor Exercise bronze (Artistic Gymnastics), as it happened.
FLOOR = {
    "sport": "Artistic Gymnastics",
    "event": "Women's Floor Exercise",
    "medal": "bronze",
    "date": "2024-08-05",
    "original": ("USA", "Jordan CHILES"),
    "final": ("ROU", "Ana BARBOSU"),
    "reallocated": "2024-08-11T12:00:00Z",
    "original_source": 'olympics.com, "Artistic Gymnastics, Women\'s Floor Exercise Final: official results", '
                       "2024-08-05, https://olympics.com/en/paris-2024/results/artistic-gymnastics/"
                       "women-s-floor-exercise/fnl-000001--",
    "revoke_source": 'International Olympic Committee, statement reallocating the bronze medal of the '
                     "women's floor exercise to Ana BARBOSU (following CAS awards CAS OG 24/15 and "
                     "CAS OG 24/16 of 2024-08-10), 2024-08-11, https://olympics.com/ioc/news",
    "reason": "Court of Arbitration for Sport (ad hoc division) ruling of 2024-08-10 (CAS OG 24/15 and "
              "CAS OG 24/16): the inquiry into Jordan CHILES's difficulty score was lodged after the "
              "one-minute deadline, so her initial score of 13.666 (fifth) was reinstated and Ana BARBOSU "
              "(ROU, 13.700) ranked third; the IOC announced the reallocation of the bronze medal to "
              "BARBOSU on 2024-08-11. Retroactive: the medal is treated as never having been CHILES's.",
}


# ---------------------------------------------------------------- reading

def clean(text):
    """Strip and collapse runs of whitespace (including NBSP) to one space."""
    return " ".join(text.split())


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: clean(v) for k, v in row.items()} for row in csv.DictReader(f)]


# ---------------------------------------------------------------- sports

def event_words(event):
    """Order-insensitive form of an event name ("Relay Mixed" == "Mixed Relay")."""
    return tuple(sorted(event.lower().split()))


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def discipline_sports(medal_rows, event_rows):
    """Map each medals.csv discipline to the events.csv sport that lists all its events.

    Team sports share event names ("Men", "Women"), so when several sports list all of a
    discipline's events, the one whose events.csv tag equals the discipline's slug is taken
    (e.g. "3x3 Basketball" -> tag 3x3-basketball -> sport "Basketball 3x3").
    """
    sport_events = collections.defaultdict(set)
    sport_tags = collections.defaultdict(set)
    for row in event_rows:
        sport_events[row["sport"]].add(event_words(row["event"]))
        sport_tags[row["sport"]].add(row["tag"])
    disc_events = collections.defaultdict(set)
    for row in medal_rows:
        disc_events[row["discipline"]].add(event_words(row["event"]))
    mapping = {}
    for disc, events in sorted(disc_events.items()):
        candidates = [s for s, evs in sport_events.items() if events <= evs]
        if len(candidates) > 1:
            candidates = [s for s in candidates if slug(disc) in sport_tags[s]]
        if len(candidates) != 1:
            raise SystemExit(f"cannot map discipline {disc!r} to a sport: {candidates}")
        mapping[disc] = candidates[0]
    return mapping


# ---------------------------------------------------------------- names

def is_surname_token(token):
    """An all-uppercase token ("AERT", "SALDANA") or a Mc/Mac one ("McINTOSH")."""
    if any(c.isalpha() for c in token) and token == token.upper():
        return True
    return re.match(r"^(Mc|Mac)[A-Z][A-Z'\-]*$", token) is not None


def given_first(name):
    """"SURNAME Given" -> "Given SURNAME" ("van AERT Wout" -> "Wout van AERT").

    The surname is everything up to the end of the first run of surname tokens, so particles
    written before it ("van", "de La", "Mc") stay with it. Names without such a run, or with
    nothing after it, are returned unchanged.
    """
    tokens = name.split()
    first = next((i for i, t in enumerate(tokens) if is_surname_token(t)), None)
    if first is None:
        return name
    end = first
    while end < len(tokens) and is_surname_token(tokens[end]):
        end += 1
    if end == len(tokens):
        return name
    return " ".join(tokens[end:] + tokens[:end])


def surname_first_nocs(medal_rows, medallist_rows):
    """NOCs whose individual medallists medals.csv mostly writes "SURNAME Given".

    Compares each individual medal's name with the medallists.csv name of the same athlete code.
    """
    raw = {row["code_athlete"]: row["name"] for row in medallist_rows}
    votes = collections.defaultdict(collections.Counter)
    for row in medal_rows:
        if row["event_type"] not in INDIVIDUAL_TYPES or row["code"] not in raw:
            continue
        name = raw[row["code"]]
        if given_first(name) == name:
            continue  # order cannot be told
        if row["name"] == name:
            votes[row["country_code"]]["surname-first"] += 1
        elif row["name"] == given_first(name):
            votes[row["country_code"]]["given-first"] += 1
    return {noc for noc, v in votes.items() if v["surname-first"] > v["given-first"]}


def display_name(raw_name, noc, keep_order):
    return raw_name if noc in keep_order else given_first(raw_name)


def individual_names(medal_rows, medallist_rows, keep_order):
    """Name of each individual medal row (by row index), fixing "SURNAME Given" leftovers.

    Returns (names by row index, names by athlete code).
    """
    raw = {row["code_athlete"]: row["name"] for row in medallist_rows}
    by_row, by_code = {}, {}
    for i, row in enumerate(medal_rows):
        if row["event_type"] not in INDIVIDUAL_TYPES:
            continue
        name = row["name"]
        if row["code"] in raw and name == raw[row["code"]]:
            name = display_name(name, row["country_code"], keep_order)
        by_row[i] = name
        by_code[row["code"]] = name
    return by_row, by_code


# ---------------------------------------------------------------- teams

def team_members(medallist_rows, names_by_code, keep_order):
    """Athletes of each team medal, keyed (discipline, event, medal_type, code_team)."""
    teams = collections.defaultdict(list)
    seen = set()
    for row in medallist_rows:
        if not row["code_team"]:
            continue
        if row.get("is_medallist", "True") != "True":
            continue  # a reserve who did not compete
        name = names_by_code.get(row["code_athlete"])
        if name is None:
            name = display_name(row["name"], row["country_code"], keep_order)
        key = (row["discipline"], row["event"], row["medal_type"], row["code_team"])
        if (key, row["code_athlete"]) in seen:
            raise SystemExit(f"athlete listed twice in a team: {row}")
        seen.add((key, row["code_athlete"]))
        teams[key].append(name)
    return teams


# ---------------------------------------------------------------- events

def uuid5(key):
    return str(uuid.uuid5(NAMESPACE, key))


def award_key(games, sport, event, medal, noc, athletes):
    return f"medal|{games}|{sport}|{event}|{medal}|{noc}|{';'.join(sorted(athletes))}"


def games_registered(cfg, delegations, source):
    return {
        "id": uuid5(f"games|{cfg['games']}"),
        "type": "games_registered",
        "date": cfg["opens"],
        "recorded": cfg["opens"] + "T00:00:00Z",
        "source": source,
        "games": cfg["games"],
        "name": cfg["name"],
        "closes": cfg["closes"],
        "unranked": cfg["unranked"],
        "delegations": dict(sorted(delegations.items())),
        "season": cfg["season"],
        "movement": cfg["movement"],
    }


def medal_awarded(games, date, recorded, source, sport, event, medal, noc, athletes):
    if not athletes or len(athletes) > 100 or not all(athletes):
        raise SystemExit(f"bad athletes for {games} {sport} {event} {medal} {noc}: {athletes}")
    return {
        "id": uuid5(award_key(games, sport, event, medal, noc, athletes)),
        "type": "medal_awarded",
        "date": date,
        "recorded": recorded,
        "source": source,
        "games": games,
        "sport": sport,
        "event": event,
        "medal": medal,
        "noc": noc,
        "athletes": athletes,
    }


def medal_revoked(award, date, recorded, source, reason):
    return {
        "id": uuid5(f"revoke|{award['id']}"),
        "type": "medal_revoked",
        "date": date,
        "recorded": recorded,
        "source": source,
        "award": award["id"],
        "reason": reason,
    }


def sort_key(ev, awards_by_id):
    """(recorded, revocations first, sport, event, colour, NOC, athletes) for ordering lines."""
    if ev["type"] == "games_registered":
        return ("", 0)
    award = awards_by_id[ev["award"]] if ev["type"] == "medal_revoked" else ev
    kind = 0 if ev["type"] == "medal_revoked" else 1
    return (ev["recorded"], kind, award["sport"], award["event"], MEDAL_ORDER[award["medal"]],
            award["noc"], ";".join(sorted(award["athletes"])), ev["id"])


def build_games(cfg, data_dir, sport_of):
    """All events of one games, sorted. sport_of maps a medals.csv row to its sport."""
    folder = os.path.join(data_dir, cfg["dir"])
    medal_rows = read_csv(os.path.join(folder, "medals.csv"))
    medallist_rows = read_csv(os.path.join(folder, "medallists.csv"))
    keep_order = surname_first_nocs(medal_rows, medallist_rows)
    names_by_row, names_by_code = individual_names(medal_rows, medallist_rows, keep_order)
    teams = team_members(medallist_rows, names_by_code, keep_order)

    delegations = {}
    for row in medal_rows:
        code = row["country_code"]
        name = row["country"] if row["country"] != code else row["country_long"]
        name = DELEGATION_NAMES.get(code, name)
        if delegations.setdefault(code, name) != name:
            raise SystemExit(f"two names for {code}: {delegations[code]!r}, {name!r}")
    events = [games_registered(cfg, delegations, cfg["source"].format(files="medals.csv"))]

    replaced = 0
    for i, row in enumerate(medal_rows):
        date, noc, medal = row["medal_date"], row["country_code"], MEDALS[row["medal_type"]]
        if not cfg["opens"] <= date <= cfg["closes"]:
            raise SystemExit(f"medal date {date} outside the games: {row}")
        sport = sport_of(row)
        if row["event_type"] in INDIVIDUAL_TYPES:
            athletes = [names_by_row[i]]
            source = cfg["source"].format(files="medals.csv")
        else:
            athletes = teams[(row["discipline"], row["event"], row["medal_type"], row["code"])]
            source = cfg["source"].format(files="medals.csv (team members: medallists.csv)")
        if (cfg["floor_exercise"] and (sport, row["event"], medal) == (FLOOR["sport"], FLOOR["event"], FLOOR["medal"])
                and [noc] + athletes == list(FLOOR["final"])):
            events.extend(floor_exercise_bronze(cfg, source))
            replaced += 1
            continue
        events.append(medal_awarded(cfg["games"], date, date + END_OF_DAY, source,
                                    sport, row["event"], medal, noc, athletes))

    if replaced != (1 if cfg["floor_exercise"] else 0):
        raise SystemExit(f"Women's Floor Exercise bronze of BARBOSU found {replaced} times")
    awards = {ev["id"]: ev for ev in events if ev["type"] == "medal_awarded"}
    events.sort(key=lambda ev: sort_key(ev, awards))
    return events, keep_order


def floor_exercise_bronze(cfg, data_source):
    """Chiles's award (2024-08-05), its revocation and Barbosu's award (both recorded 2024-08-11)."""
    common = dict(games=cfg["games"], date=FLOOR["date"], sport=FLOOR["sport"],
                  event=FLOOR["event"], medal=FLOOR["medal"])
    chiles = medal_awarded(recorded=FLOOR["date"] + END_OF_DAY, source=FLOOR["original_source"],
                           noc=FLOOR["original"][0], athletes=[FLOOR["original"][1]], **common)
    revoked = medal_revoked(chiles, FLOOR["date"], FLOOR["reallocated"], FLOOR["revoke_source"],
                            FLOOR["reason"])
    barbosu = medal_awarded(recorded=FLOOR["reallocated"],
                            source=data_source + "; bronze reallocated by the IOC on 2024-08-11",
                            noc=FLOOR["final"][0], athletes=[FLOOR["final"][1]], **common)
    return [chiles, revoked, barbosu]


# ---------------------------------------------------------------- output

def with_recorder(ev, script):
    """`ev` with `recorded_by` after `recorded` (or after `date` when it has none): who put it in
    the ledger, the script that wrote it, named relative to the repository (`scripts/NAME.py`)."""
    after = "recorded" if "recorded" in ev else "date"
    out = {}
    for k, v in ev.items():
        out[k] = v
        if k == after:
            out["recorded_by"] = script
    return out


def write_jsonl(path, header, events, check=False):
    """Writes the file, or with `check` compares it; returns whether the file on disk was already it."""
    lines = [f"# {line}" for line in header]
    lines += [json.dumps(with_recorder(ev, RECORDED_BY), ensure_ascii=False, separators=(",", ":"))
              for ev in events]
    text = "\n".join(lines) + "\n"
    try:
        with open(path, encoding="utf-8") as f:
            same = f.read() == text
    except FileNotFoundError:
        same = False
    if not check:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return same


def header_lines(cfg, keep_order):
    return [
        f"{cfg['name']}: generated by `python3 scripts/make_medal_events.py` from ../shared/data",
        f"(Kaggle, piterfm / olympics.com: {cfg['dir']}/medals.csv + medallists.csv). Do not edit by hand.",
        "recorded = medal day at 21:00 UTC (end of the competition day). Names \"Given SURNAME\", "
        f"surname first for {', '.join(sorted(keep_order))} as in medals.csv.",
    ]


def main(argv):
    check = "--check" in argv[1:]
    args = [a for a in argv[1:] if a != "--check"]
    if len(args) > 1:
        raise SystemExit(__doc__)
    data_dir = args[0] if args else DEFAULT_DATA_DIR
    out_dir = os.path.join(REPO_ROOT, "events")
    os.makedirs(out_dir, exist_ok=True)

    oly_dir = os.path.join(data_dir, OLYMPICS["dir"])
    sports = discipline_sports(read_csv(os.path.join(oly_dir, "medals.csv")),
                               read_csv(os.path.join(oly_dir, "events.csv")))
    stale = []
    for cfg, sport_of in ((OLYMPICS, lambda row: sports[row["discipline"]]),
                          (PARALYMPICS, lambda row: row["discipline"])):
        events, keep_order = build_games(cfg, data_dir, sport_of)
        header = header_lines(cfg, keep_order)
        if cfg["floor_exercise"]:
            header.append("sport = events.csv sport of the discipline. Women's Floor Exercise bronze: CHILES (USA) "
                          "2024-08-05, revoked and reallocated to BARBOSU (ROU) on 2024-08-11 (CAS OG 24/15, 24/16).")
        else:
            header.append("sport = the medals.csv discipline.")
        path = os.path.join(out_dir, cfg["out"])
        if not write_jsonl(path, header, events, check):
            stale.append(cfg["out"])
        print(f"{path}: {len(events)} events{' (checked)' if check else ''}")
    if check and stale:
        raise SystemExit(f"error: out of date: {', '.join(stale)} (run without --check)")


if __name__ == "__main__":
    main(sys.argv)
