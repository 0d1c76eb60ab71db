"""The Paralympic Games 1960-2022, the Youth Olympic Games 2010-2020 and the entrants of every Games
before Paris 2024, from ../shared/data, as data for scripts/make_history_events.py to place in its
files (it imports this module; running this file alone does nothing).

Python 3.11, standard library only; the output depends only on the input files. Inputs (read every
SOURCE.md there), relative to ../shared/data:
- paralympics-olympics-by-sport-inferrinizzard/paralympicsHiraCounts.json: the IPC's results
  database (HIRA) as counted per Games, sport and NPC: medals (absent when zero) and entrants (men,
  women). All 29 Paralympic Games, 1960-2022. Keys: PG1960..PG2020 summer, PW1976..PW1992 winter,
  and the winter Games 1994-2022 as PG1994..PG2022 (the author's quirk). One NPC code is garbled:
  `FRGFRG` (1964 athletics, one woman entrant, no medal) is FRG.
- .../gamesDetail.csv: the Games' hosts and days. Its single dates of the Paralympic Games are one
  month late (a month counted from 0 written as if from 1): Rome 1960 is given 1960-10-18..10-25,
  the IPC's own page has 18-25 September 1960 (paralympic.org, "Rome 1960 Overview"); the two
  Paralympic Games already in events/ confirm it (Paris 2024 is given 2024-09-28..10-08, it ran
  2024-08-28..09-08; Tokyo 2020 2020-09-24..10-05, it ran 2021-08-24..09-05, the year also being
  the one planned before the postponement). So a single date is taken one month earlier; the two
  Games written as two hosts' days (1984 New York and Stoke Mandeville, 1992 Barcelona and Madrid)
  give them right and are taken as they are, from the first host's first day to the last one's
  last. The Youth Olympic Games' dates are a month late too (Singapore 2010 is given
  2010-09-14..09-26; it ran 14-26 August 2010: China Daily, 2010-08-19,
  http://covid-19.chinadaily.com.cn/slides/2010-08/19/content_11177870.htm): taken a month earlier.
- .../participationRecords.csv: per (Games, NOC, sport) medals and entrants from Olympedia, for
  every Olympic and Youth Olympic Games (and the Paralympic Games again, which must agree with the
  JSON: checked; it files the winter Paralympics 1976-1992 under the summer Games of their year,
  which SOURCE.md calls missing). Cells padded with spaces; `#` lines are the author's doubtful
  rows, left out.
- .../sportsDetail.csv: sport codes to names (Olympic and Youth); .../countryDetail.csv: names.
- paralympics-1980-2016-medallists-tidytuesday/medals_clean.csv: medallists of ten sports at the
  summer Paralympics 1980-2016 (the IPC's database, scraped for TidyTuesday, 2021). Rows typed
  "Wheelchair Tennis" are a copy of table tennis (SOURCE.md) and are left out.

Decisions
- Every Paralympic Games is registered (summer or winter, movement paralympic), except Tokyo 2020
  and Paris 2024, which events/ holds already, with their days as above and their host's code.
- Medals: per (Games, NPC, sport) the IPC's count is the reference. Where TidyTuesday names the
  medallists of that cell and its medals fold to exactly the IPC's count (one medal per row; a team
  medal is the rows of one (event, medal, NPC) numbered by grp_id, its "TEAM" placeholder rows not
  being names), each medal is an award (`medal_awarded`) to them; otherwise the IPC's count is a
  tally (`tally_published`), and where TidyTuesday named medallists for that cell the disagreement
  is listed (`disagreements`, written to docs/history-differences.md by the check). So no athlete
  and no event is invented: a tally names neither.
- A Games' medals are dated with its span and recorded at its close, as the Olympic history is
  ("as known at the close"): the counts are the IPC's database as it stands (2024), and no source
  here dates a correction before that, except the one found at Tokyo 2020 (below).
- Tokyo 2020: events/ holds its medals one by one (olympics.com, 2021). The IPC's counts agree for
  every NPC and sport but one bronze in track cycling: POL's (Marcin POLAK's, men's B 4000 m
  individual pursuit) is FRA's in the IPC's database. That is a correction (a bronze changed hands
  after the Games; the sources do not say when), so it is recorded when the ledger learnt it, at
  the date of the source that reports it (2024-10-08): POLAK's award revoked, dated back to the
  final, and a bronze awarded to FRA in the same event (the only track-cycling event left without
  a bronze), its athletes not named by any source here.
- Names: TidyTuesday writes "SURNAME Given": turned to "Given SURNAME" as the other files of
  events/ (surname first kept for CHN, HKG, JPN, KOR, PRK, TPE). A guide is not listed among the
  medallists, as olympics.com's Tokyo 2020 rows list none.
- Sports: the IPC's codes named as the Paris 2024 Paralympic file names them ("Para Athletics",
  "Shooting Para Sport", ...), so that one sport has one name across the Games (PARA_SPORTS).
- Entrants: one `entrants_published` per (Games, NOC): for each sport, its men and women entered.
  Paralympic from the JSON; Olympic and Youth from participationRecords.csv (rows with no entrant,
  only medals, are left out: 1896-1912 mixed teams and the like). Dated on the Games' first day and
  recorded with its registration.
- Youth Olympic Games 2010-2020: registered (movement youth; MIX, the mixed-NOC teams, unranked as
  the IOC's tables list them apart), their medals as tallies per (Games, NOC, sport) from
  participationRecords.csv: no source here names a Youth medallist.
"""

import collections
import csv
import json
import os
import re

IPC = "paralympics-olympics-by-sport-inferrinizzard"
TIDY = "paralympics-1980-2016-medallists-tidytuesday"
SRC_IPC = ('IPC results database (HIRA) via inferrinizzard/olympics-api, "paralympicsHiraCounts", 2024-10-08, '
           f"{IPC}/paralympicsHiraCounts.json")
SRC_OLYMPEDIA = ('Olympedia via inferrinizzard/olympics-api (HEAD 88e838b), "participationRecords", '
                 f"{IPC}/participationRecords.csv")
SRC_GAMES = f'inferrinizzard/olympics-api (HEAD 88e838b), "gamesDetail", {IPC}/gamesDetail.csv'
SRC_TIDY = ('TidyTuesday 2021 week 32 (rfordatascience) from the IPC results database, "athletes", 2021-08-03, '
            f"{TIDY}/medals_clean.csv")
CORRECTION_DATE = "2024-10-08"

# The IPC's sport codes, named as events/40-paris-2024-paralympics.jsonl names them.
PARA_SPORTS = {
    "AR": "Para Archery", "AT": "Para Athletics", "BD": "Para Badminton", "FB": "Blind Football",
    "BO": "Boccia", "CF": "Para Canoe", "CR": "Para Cycling Road", "CT": "Para Cycling Track",
    "EQ": "Para Equestrian", "GB": "Goalball", "JU": "Para Judo", "PO": "Para Powerlifting",
    "RO": "Para Rowing", "SH": "Shooting Para Sport", "VS": "Sitting Volleyball", "SW": "Para Swimming",
    "TT": "Para Table Tennis", "TK": "Para Taekwondo", "TR": "Para Triathlon",
    "WB": "Wheelchair Basketball", "WF": "Wheelchair Fencing", "WR": "Wheelchair Rugby",
    "WT": "Wheelchair Tennis", "FT": "Football 7-a-side", "SA": "Para Sailing", "BK": "Basketball ID",
    "VT": "Standing Volleyball", "LB": "Lawn Bowls", "WL": "Weightlifting", "SN": "Snooker",
    "WG": "Wrestling", "DC": "Dartchery", "AS": "Para Alpine Skiing", "BT": "Para Biathlon",
    "CC": "Para Cross-Country Skiing", "IH": "Para Ice Hockey", "SB": "Para Snowboard",
    "WC": "Wheelchair Curling", "SS": "Ice Sledge Speed Skating",
}
# TidyTuesday's sports (`type`) as IPC codes; volleyball by its event's name.
TIDY_SPORTS = {"Athletics": "AT", "Swimming": "SW", "Table Tennis": "TT", "Fencing": "WF", "Archery": "AR",
               "Powerlifting": "PO", "Rugby": "WR", "Triathlon": "TR", "Basketball": "WB"}
GENDERS = {"Men": "Men's ", "Women": "Women's ", "Mixed": "Mixed "}
NPC_FIXES = {"FRGFRG": "FRG"}

# (JSON key, games id, name, season, host): every Paralympic Games but the two already in events/.
PARA_GAMES = [
    ("PG1960", "rome-1960-paralympics", "Rome 1960 Paralympic Games", "summer", "ITA"),
    ("PG1964", "tokyo-1964-paralympics", "Tokyo 1964 Paralympic Games", "summer", "JPN"),
    ("PG1968", "tel-aviv-1968-paralympics", "Tel Aviv 1968 Paralympic Games", "summer", "ISR"),
    ("PG1972", "heidelberg-1972-paralympics", "Heidelberg 1972 Paralympic Games", "summer", "FRG"),
    ("PW1976", "ornskoldsvik-1976-paralympics", "Örnsköldsvik 1976 Paralympic Winter Games", "winter", "SWE"),
    ("PG1976", "toronto-1976-paralympics", "Toronto 1976 Paralympic Games", "summer", "CAN"),
    ("PW1980", "geilo-1980-paralympics", "Geilo 1980 Paralympic Winter Games", "winter", "NOR"),
    ("PG1980", "arnhem-1980-paralympics", "Arnhem 1980 Paralympic Games", "summer", "NED"),
    ("PW1984", "innsbruck-1984-paralympics", "Innsbruck 1984 Paralympic Winter Games", "winter", "AUT"),
    ("PG1984", "new-york-stoke-mandeville-1984-paralympics", "New York / Stoke Mandeville 1984 Paralympic Games",
     "summer", "USA, GBR"),
    ("PW1988", "innsbruck-1988-paralympics", "Innsbruck 1988 Paralympic Winter Games", "winter", "AUT"),
    ("PG1988", "seoul-1988-paralympics", "Seoul 1988 Paralympic Games", "summer", "KOR"),
    ("PW1992", "tignes-albertville-1992-paralympics", "Tignes / Albertville 1992 Paralympic Winter Games", "winter",
     "FRA"),
    ("PG1992", "barcelona-madrid-1992-paralympics", "Barcelona / Madrid 1992 Paralympic Games", "summer", "ESP"),
    ("PG1994", "lillehammer-1994-paralympics", "Lillehammer 1994 Paralympic Winter Games", "winter", "NOR"),
    ("PG1996", "atlanta-1996-paralympics", "Atlanta 1996 Paralympic Games", "summer", "USA"),
    ("PG1998", "nagano-1998-paralympics", "Nagano 1998 Paralympic Winter Games", "winter", "JPN"),
    ("PG2000", "sydney-2000-paralympics", "Sydney 2000 Paralympic Games", "summer", "AUS"),
    ("PG2002", "salt-lake-city-2002-paralympics", "Salt Lake City 2002 Paralympic Winter Games", "winter", "USA"),
    ("PG2004", "athens-2004-paralympics", "Athens 2004 Paralympic Games", "summer", "GRE"),
    ("PG2006", "turin-2006-paralympics", "Turin 2006 Paralympic Winter Games", "winter", "ITA"),
    ("PG2008", "beijing-2008-paralympics", "Beijing 2008 Paralympic Games", "summer", "CHN"),
    ("PG2010", "vancouver-2010-paralympics", "Vancouver 2010 Paralympic Winter Games", "winter", "CAN"),
    ("PG2012", "london-2012-paralympics", "London 2012 Paralympic Games", "summer", "GBR"),
    ("PG2014", "sochi-2014-paralympics", "Sochi 2014 Paralympic Winter Games", "winter", "RUS"),
    ("PG2016", "rio-2016-paralympics", "Rio 2016 Paralympic Games", "summer", "BRA"),
    ("PG2018", "pyeongchang-2018-paralympics", "PyeongChang 2018 Paralympic Winter Games", "winter", "KOR"),
    ("PG2022", "beijing-2022-paralympics", "Beijing 2022 Paralympic Winter Games", "winter", "CHN"),
]
# The Paralympic Games of the JSON that events/ registers elsewhere (Tokyo 2020's medals by day).
PARA_ELSEWHERE = {"PG2020": "tokyo-2020-paralympics"}
# (gamesDetail.csv code, games id, name, season, host) of the Youth Olympic Games.
YOUTH_GAMES = [
    ("2010_singapore_youth", "singapore-2010-youth", "Singapore 2010 Youth Olympic Games", "summer", "SGP"),
    ("2012_innsbruck_youth", "innsbruck-2012-youth", "Innsbruck 2012 Winter Youth Olympic Games", "winter", "AUT"),
    ("2014_nanjing_youth", "nanjing-2014-youth", "Nanjing 2014 Youth Olympic Games", "summer", "CHN"),
    ("2016_lillehammer_youth", "lillehammer-2016-youth", "Lillehammer 2016 Winter Youth Olympic Games", "winter",
     "NOR"),
    ("2018_buenos-aires_youth", "buenos-aires-2018-youth", "Buenos Aires 2018 Youth Olympic Games", "summer", "ARG"),
    ("2020_lausanne_youth", "lausanne-2020-youth", "Lausanne 2020 Winter Youth Olympic Games", "winter", "SUI"),
]
# Olympic codes of participationRecords.csv that are not the ledger's games ids' city part.
OLYMPIC_CITIES = {"garmisch=partenkirchen": "garmisch-partenkirchen", "cortina-dampezzo": "cortina-d-ampezzo",
                  "salt-lake": "salt-lake-city", "torino": "turin", "rio-de-janeiro": "rio"}
# Olympedia's code for a delegation the ledger's Games write otherwise (PyeongChang 2018: piterfm's OAR).
OLYMPEDIA_CODES = {("pyeongchang-2018", "ROC"): "OAR"}


class Invalid(Exception):
    pass


def require(cond, message):
    if not cond:
        raise Invalid(message)


def read_padded(path):
    """A CSV whose cells are padded with spaces and quoted; `#` lines skipped."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [{k.strip().strip('"'): v.strip().strip('"') for k, v in row.items()} for row in csv.DictReader(lines)]


def month_earlier(text):
    y, m, d = (int(x) for x in text.split("-"))
    y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return f"{y:04d}-{m:02d}-{d:02d}"


def games_detail(data):
    return {row["code"]: row for row in read_padded(os.path.join(data, IPC, "gamesDetail.csv"))}


def paralympic_days(row):
    """(first day, last day) of a Paralympic Games' gamesDetail.csv row (see the docstring)."""
    start, end = row["start_date"], row["end_date"]
    if "(" in start:
        days = re.findall(r"\d{4}-\d{2}-\d{2}", start + " " + end)
        return min(days), max(days)
    return month_earlier(start), month_earlier(end)


def para_games(data):
    """Every Paralympic Games to register: dicts of key, slug, name, season, host, opens, closes."""
    detail = games_detail(data)
    by_key = {}
    for code, row in detail.items():
        if row["edition"] != "paralympics" or not row["start_date"] or int(row["year"]) > 2024:
            continue
        year, season = row["year"], row["season"]
        winter_pg = season == "winter" and int(year) >= 1994
        key = f"P{'G' if season == 'summer' or winter_pg else 'W'}{year}"
        by_key[key] = row
    # The correction of the days, checked on the two Games whose days events/ has from elsewhere.
    require(paralympic_days(by_key["PG2024"]) == ("2024-08-28", "2024-09-08"), "Paris 2024 Paralympic days")
    require(paralympic_days(by_key["PG2020"]) == ("2020-08-24", "2020-09-05"), "Tokyo 2020 Paralympic days")
    out = []
    for key, slug, name, season, host in PARA_GAMES:
        row = by_key[key]
        require(row["season"] == season, f"{key}: season {row['season']}")
        opens, closes = paralympic_days(row)
        require(opens[:4] == row["year"] and opens < closes, f"{key}: days {opens}..{closes}")
        out.append(dict(key=key, slug=slug, name=name, season=season, host=host, opens=opens, closes=closes,
                        source=f"{SRC_GAMES} (days: its start_date and end_date, one month earlier: "
                               "see scripts/paralympic_history.py)"
                        if "(" not in row["start_date"] else f"{SRC_GAMES} (days: the hosts' first and last)"))
    require(len(out) + len(PARA_ELSEWHERE) == 29, "29 Paralympic Games to 2022")
    return out


def youth_games(data):
    detail = games_detail(data)
    out = []
    for code, slug, name, season, host in YOUTH_GAMES:
        row = detail[code]
        require(row["edition"] == "youth" and row["season"] == season, f"{code}: {row}")
        opens, closes = month_earlier(row["start_date"]), month_earlier(row["end_date"])
        out.append(dict(key=code, slug=slug, name=name, season=season, host=host, opens=opens, closes=closes,
                        source=f"{SRC_GAMES} (days: its start_date and end_date, one month earlier: see "
                               "scripts/paralympic_history.py)"))
    require((out[0]["opens"], out[0]["closes"]) == ("2010-08-14", "2010-08-26"), "Singapore 2010's days")
    return out


def hira(data):
    """key -> code -> NPC -> {men, women, gold, silver, bronze} (zeros filled in)."""
    with open(os.path.join(data, IPC, "paralympicsHiraCounts.json"), encoding="utf-8") as f:
        counts = json.load(f)["counts"]
    require(len(counts) == 29, f"{len(counts)} Paralympic Games in the JSON")
    out = {}
    for key, sports in counts.items():
        out[key] = {}
        for code, npcs in sports.items():
            require(code in PARA_SPORTS, f"{key}: sport code {code}")
            merged = {}
            for npc, c in npcs.items():
                npc = NPC_FIXES.get(npc, npc)
                require(re.fullmatch(r"[A-Z]{3}", npc), f"{key} {code}: NPC {npc}")
                cell = merged.setdefault(npc, dict(men=0, women=0, gold=0, silver=0, bronze=0))
                for k in cell:
                    cell[k] += c.get(k, 0)
            out[key][code] = merged
    g = out["PG2020"]
    totals = [sum(c[m] for sp in g.values() for c in sp.values()) for m in ("gold", "silver", "bronze")]
    require(totals == [539, 540, 589], f"Tokyo 2020 Paralympic totals {totals} (SOURCE.md: 539/540/589)")
    return out


def medals_of(cell):
    return tuple(cell[m] for m in ("gold", "silver", "bronze"))


def tidy(data, display):
    """TidyTuesday's medals as awards: (year, code, NPC) -> [dict(event, medal, athletes, title)]."""
    path = os.path.join(data, TIDY, "medals_clean.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    require(len(rows) == 19484, f"{len(rows)} rows in medals_clean.csv")
    teams = collections.OrderedDict()
    out = collections.defaultdict(list)
    for r in rows:
        if r["type"] == "Wheelchair Tennis":
            continue  # a second copy of table tennis (SOURCE.md)
        code = ("VT" if "Standing" in r["event"] else "VS") if r["type"] == "Volleyball" else TIDY_SPORTS[r["type"]]
        noc, medal = r["country_code"], r["medal"].lower()
        event = GENDERS[r["gender"]] + " ".join(r["event"].split())
        name = " ".join(r["athlete"].split())
        person = [] if name == "TEAM" else [display(name, noc)]
        key = (r["year"], code, noc)
        if r["grp_id"] == "NA":
            out[key].append(dict(event=event, medal=medal, athletes=person, title=f"tidytuesday ID {r['ID']}"))
            continue
        team = teams.setdefault((key, event, medal), dict(event=event, medal=medal, athletes=[],
                                                          title=f"tidytuesday ID {r['ID']}"))
        for p in person:
            if p not in team["athletes"]:
                team["athletes"].append(p)
    for ((key, _, _), team) in teams.items():
        out[key].append(team)
    return out


def para_medals(data, counts, display):
    """Per Paralympic Games key: (awards, tallies), and the cells where TidyTuesday's medallists
    disagree with the IPC's count. An award: dict(sport, event, medal, noc, athletes, title); a
    tally: dict(sport, noc, gold, silver, bronze)."""
    named = tidy(data, display)
    per_games, disagreements = {}, []
    for key, sports in counts.items():
        year = key[2:]
        awards, tallies = [], []
        for code, npcs in sorted(sports.items()):
            for noc, cell in sorted(npcs.items()):
                theirs = named.get((year, code, noc), []) if key.startswith("PG") else []
                ipc = medals_of(cell)
                folded = tuple(sum(1 for a in theirs if a["medal"] == m) for m in ("gold", "silver", "bronze"))
                if theirs and folded == ipc:
                    awards += [dict(a, sport=PARA_SPORTS[code], noc=noc) for a in theirs]
                elif any(ipc):
                    tallies.append(dict(sport=PARA_SPORTS[code], noc=noc, gold=ipc[0], silver=ipc[1], bronze=ipc[2]))
                if theirs and folded != ipc:
                    disagreements.append(dict(key=key, sport=PARA_SPORTS[code], noc=noc, named=folded, ipc=ipc))
        per_games[key] = (awards, tallies)
    # Every TidyTuesday cell belongs to a cell of the counts (the checks above covered the others).
    for (year, code, noc) in named:
        require(noc in counts[f"PG{year}"].get(code, {}), f"TidyTuesday {year} {code} {noc}: not in the counts")
    return per_games, disagreements


def entrants_from_counts(counts):
    """(Paralympic Games key, NPC) -> [(sport, men, women)] for sports with an entrant."""
    out = collections.defaultdict(list)
    for key, sports in counts.items():
        for code, npcs in sports.items():
            for noc, cell in npcs.items():
                if cell["men"] or cell["women"]:
                    out[(key, noc)].append((PARA_SPORTS[code], cell["men"], cell["women"]))
    return {k: sorted(v) for k, v in out.items()}


def participation(data):
    rows = read_padded(os.path.join(data, IPC, "participationRecords.csv"))
    require(len(rows) == 44503, f"{len(rows)} rows in participationRecords.csv")
    sports = {r["code"]: r["name"] for r in read_padded(os.path.join(data, IPC, "sportsDetail.csv"))}
    for r in rows:
        for k in ("gold", "silver", "bronze", "men", "women"):
            r[k] = int(r[k])
        r["sport_name"] = sports[r["sport"]]
    return rows


def olympic_slug(code):
    """participationRecords.csv's `1896_athens_olympics` -> the ledger's `athens-1896`."""
    year, city, _ = code.split("_")
    return f"{OLYMPIC_CITIES.get(city, city)}-{year}"


def check_paralympic_rows(rows, counts):
    """participationRecords.csv's Paralympic rows are the JSON's (as SOURCE.md says)."""
    theirs = collections.Counter()
    for r in rows:
        if r["games"].endswith("_paralympics"):
            theirs[(r["games"][:4], r["country"], r["sport"][2:])] += r["gold"] + r["silver"] + r["bronze"]
    ours = collections.Counter()
    for key, sports in counts.items():
        # The CSV files the winter Games 1976-1992 under the summer Games of their year.
        for code, npcs in sports.items():
            for noc, cell in npcs.items():
                ours[(key[2:], noc, code)] += sum(medals_of(cell))
    differ = [k for k in set(ours) | set(theirs) if ours[k] != theirs[k] and k[1] != "FRG"]
    require(not differ, f"participationRecords.csv's Paralympic medals differ from the JSON: {sorted(differ)[:5]}")


def olympic_and_youth(data, ledger_games):
    """Entrants of the Olympic Games in `ledger_games` and of the Youth Games, per (games id, NOC),
    and the Youth Games' medals as tallies per games id."""
    rows = participation(data)
    entrants = collections.defaultdict(list)
    youth_slugs = {code: slug for code, slug, *_ in YOUTH_GAMES}
    youth_tallies = collections.defaultdict(list)
    skipped = collections.Counter()
    for r in rows:
        code = r["games"]
        if code.endswith("_paralympics"):
            continue
        slug = youth_slugs.get(code) if code.endswith("_youth") else olympic_slug(code)
        if slug not in ledger_games and slug not in youth_slugs.values():
            skipped[code] += 1
            continue
        noc = OLYMPEDIA_CODES.get((slug, r["country"]), r["country"])
        require(re.fullmatch(r"[A-Z]{3}", noc), f"{code}: code {noc}")
        if r["men"] or r["women"]:
            entrants[(slug, noc)].append((r["sport_name"], r["men"], r["women"]))
        if code.endswith("_youth") and (r["gold"] or r["silver"] or r["bronze"]):
            youth_tallies[slug].append(dict(sport=r["sport_name"], noc=noc, gold=r["gold"], silver=r["silver"],
                                            bronze=r["bronze"]))
    return {k: sorted(v) for k, v in entrants.items()}, youth_tallies, skipped, rows


def tokyo_correction(counts, tokyo_awards):
    """The Tokyo 2020 Paralympic awards whose (NPC, sport) counts differ from the IPC's: exactly the
    track-cycling bronze of POL that the IPC gives FRA. Returns (the award revoked, the award made)."""
    ipc = collections.Counter()
    for code, npcs in counts["PG2020"].items():
        for noc, cell in npcs.items():
            for i, m in enumerate(("gold", "silver", "bronze")):
                ipc[(PARA_SPORTS[code], noc, m)] += medals_of(cell)[i]
    ours = collections.Counter((a["sport"], a["noc"], a["medal"]) for a in tokyo_awards)
    differ = {k: ours[k] - ipc[k] for k in set(ours) | set(ipc) if ours[k] != ipc[k]}
    cycling = ("Para Cycling Track", "POL", "bronze"), ("Para Cycling Track", "FRA", "bronze")
    require(differ == {cycling[0]: 1, cycling[1]: -1}, f"Tokyo 2020 Paralympics against the IPC: {differ}")
    [pol] = [a for a in tokyo_awards if (a["sport"], a["noc"], a["medal"]) == cycling[0]]
    events = {a["event"] for a in tokyo_awards if a["sport"] == cycling[0][0]}
    bronzeless = [e for e in sorted(events)
                  if not any(a["event"] == e and a["medal"] == "bronze" and a is not pol for a in tokyo_awards)]
    require(bronzeless == [pol["event"]], f"track-cycling events without another bronze: {bronzeless}")
    return pol
