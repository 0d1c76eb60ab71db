#!/usr/bin/env python3
"""Generate podium's bundled record of the Games before Paris 2024, from ../shared/data.

    python3 scripts/make_history_events.py           # (re)write the files below
    python3 scripts/make_history_events.py --check   # write nothing; exit 1 if a file differs

Python 3.11, standard library only; the output depends only on the input files, so every run
gives the same bytes. It writes (events/ is imported in file-name order and `recorded` never
goes backwards along it, so everything here sorts before or between the existing files):

    01-olympic-games-1896-2018.jsonl     51 Games from piterfm (1896-2018), the stripped medals
                                         and reallocations of the NYT list (decided 1968-2016)
                                         and Lebedeva's (2017),
                                         the delegation successions of that period
    02-tokyo-2020-olympics.jsonl         Tokyo 2020 by day (Kaggle), OAR -> ROC
    03-tokyo-2020-paralympics.jsonl      Tokyo 2020 Paralympics by day, RUS -> RPC
    04-beijing-2022.jsonl                Beijing 2022: by day to 18 February, then piterfm
    05-decisions-2022.jsonl              decisions of February 2022 (ski cross, Tokyo relay)
    15-paris-2024-delegations.jsonl      ROC -> AIN (recorded with the Paris registration)
    35-paris-2024-paralympics-delegations.jsonl   RPC -> NPA

All data paths below are relative to ../shared/data (the generated files name them that way).

Inputs (read every SOURCE.md there)
- olympics-1896-2022-piterfm/olympic_medals.csv: the 53 Games 1896-2022 "as olympics.com showed
  them when scraped", i.e. AFTER most reallocations (stripped medals removed, upgrades applied).
  Folded as its SOURCE.md says: one medal per (games, discipline, event, gender, medal, X), X =
  participant_title for GameTeam rows, else athlete_url (or the name when the URL is empty), so a
  team medal is one event (6614 G / 6573 S / 7030 B over the 53 Games). The `sport` is
  discipline_title and the `event` event_title, as written there (eras differ: "100m men",
  "Men's 100m"). One fix: london-1908 Tennis "doubles indoor men" with event_gender Women is the
  women's indoor singles (three single women won it): named "singles indoor women". Athletes are
  the names on the medal's rows (at most two per team: piterfm names no member of 3624 team
  medals and one or two of the others, so a large team's list is partial or empty); the 13
  "#NAME?" rows are left out (two individual badminton medals, atlanta-1996 INA and athens-2004
  NED, have no athlete); repeated rows once. Tokyo 2020 and Beijing 2022 are NOT taken from this
  file (they have day-level data below; one medal, one event), except Beijing's last medals.
- olympics-1896-2022-piterfm/olympic_hosts.csv and olympics-current-tables-moderndive/
  edition_metadata.csv: the Games' days (see "Games days").
- tokyo2020-olympics-kaggle/medals.csv: one row per athlete; folded per (discipline, event,
  medal, NOC) as its SOURCE.md says (exact: 1080 medals = 340/338/402). Day = medal_date.
- tokyo2020-paralympics/medals.csv (converted from medals.pkl): one row per medal of one NPC; html
  entities in event names unescaped. Country names are mapped to NPC codes by NPC_CODES below: the
  162 names of tokyo_paralympics_npcs.sql plus 8 short names, the table checked against
  tokyo_paralympics_medals.sql (every athlete of a name's medals has that name's code there); an
  unknown name stops the script. The three merged table-tennis singles bronzes (one row, two names:
  KOR Men's Class 2, KOR Women's Class 3, CHN Women's Class 4) become two medals each, sourced to
  tokyo_paralympics_medals.sql (per-athlete rows 1967/1968, 2017/2018, 2019/2020), Korea JoongAng
  Daily and News18 (tokyo2020-paralympics/SOURCE.md). Sport names are those of the Paris 2024
  Paralympic file (PARA_SPORTS: "Athletics" -> "Para Athletics", ...), so that claims about
  Tokyo 2020 in the article files can be checked by sport.
- beijing2022-kaggle-partial/medals.csv: per athlete, medals to 2022-02-18 (292: 97/97/98),
  folded per (discipline, event, medal, NOC). The 35 medals it lacks (12 events; Curling Men has
  its bronze there) come from piterfm's beijing-2022 rows, without a day (the events.csv schedule
  is not used: one of those events moved), with the discipline written as in the Kaggle file.
- stripped-medals-nyt-2016/stripped_data_v3.json (the list, 75 records) and rows_v2.json (an
  earlier version, used only for event days v3 lacks and to cross-check decision dates).
- olympics-current-tables-moderndive/medal_table_summary.csv: delegation names (Olympedia's).

Games days (decided: edition_metadata.csv is right for the ceremonies, piterfm for the
competition days that lie outside them)
- A games' `date` is its first day and `closes` its last day, local calendar dates, and every
  medal of the games must lie between them (a medal without a day is dated with exactly that span).
- edition_metadata.csv gives the opening and closing ceremonies as local calendar dates (Olympedia).
  olympic_hosts.csv gives one UTC instant each (roughly 08:00 local on the first day, 20:00 on the
  last), with placeholder seconds in 1896 and 1900. Its UTC dates fall on the previous day for the
  hosts east of UTC+8 (Tokyo 1964, Sapporo 1972, Seoul 1988, Nagano 1998, Melbourne 1956,
  PyeongChang 2018), and two are plainly off (Montreal 1976 ends 07-31, a day before the closing
  ceremony; Atlanta 1996 ends 08-05, the day after it). So the ceremonies come from
  edition_metadata.csv.
- But olympic_hosts.csv's days are olympics.com's days of the competition, and for eleven Games the
  competition ran outside the ceremonies (GAMES_DAYS below, each with its reason: 1900 and the
  1904 closing are missing from edition_metadata.csv; 1908-1928 Summer held events months before
  or after the ceremonies; 1928 and 1932 Winter and Oslo 1952 held events after the closing or
  before the opening ceremony; Chamonix 1924 opened on 25 January, not the 24th). There the Games'
  days are the competition days.
- Paralympics: Tokyo 2020 Paralympics 2021-08-24 (opening ceremony) .. 2021-09-05 (Jiji Press, 2020-08-03).

Conventions (recorded = transaction time, `date` = valid time)
- A games' registration: recorded at 00:00:00Z on its first day. `season` and `movement` on each.
- A medal with a known day: dated that day, recorded at 21:00:00Z that day (as the Paris files).
- A medal without a day (piterfm): dated with the span "first/last day" of its games and recorded
  at the close, i.e. at 21:00:00Z on the last day (the instant a medal of that day gets), as
  known at the close of the Games.
- A decision: recorded at 12:00:00Z on its day. A date known only to its year (month) is taken as
  the last day of that year (month): the first instant at which the source says it was known.
- Same instant: registrations, then successions, then awards, then revocations (so an award always
  precedes its revocation); within a kind by games, sport, event, colour, NOC, athletes, id.
- Delegations: the codes of the data (MIX, not ZZX: see below); names from medal_table_summary.csv
  (Olympedia) for the historical Games, else the source's own country column; `unranked` is empty
  for every Games written here: no file in ../shared lists a delegation without a rank for
  1896-2022 (medal_table_summary.csv has no rank column at all; Beijing's medals_total.csv ranks
  ROC, Tokyo's Paralympic medals_total.csv ranks RPC). Only Paris 2024 (AIN, NPA, already in
  events/) has unranked delegations. `host`: the host's code (HOSTS).
- MIX / ZZX: the IOC's own results database codes mixed-nation teams ZZX; both data sets here
  (olympics.com via piterfm, Olympedia via moderndive) write MIX. MIX is kept so that the tables
  join the sources; its name is "Mixed team".
- The United Team of Germany (1956-1964, EUA in the IOC's database) is GER in both data sets; kept
  as GER "Germany" and its split noted by GER -> GDR / FRG successions. IOA is the data's code for
  the independent athletes of 1992 (the IOC's IOP then) and 2016. OAR (2018) is piterfm's code;
  Olympedia writes ROC retroactively (the check script aliases it).
- Ids: UUID v5 in podium's namespace over docs/format.md's natural keys. Four pairs of team medals
  would share a key (same games, event, colour and NOC, no athlete named: "Ireland #3" and
  "Hurlingham #2" polo 1908, ...): for those only, "|{participant_title}" is appended to the key.
  delegation_succeeded: "delegation_succeeded|{predecessor}|{successor}".

Stripped medals (the NYT list) and reallocations, "as known at each Games' close"
- piterfm shows the medals as they stand after the reallocations olympics.com had applied. So the
  script starts from piterfm's state of each Games and UNDOES, latest decision first, what the
  list says happened (CASES below, one per record, each hand-matched to piterfm's event):
  a reallocated medal (one a NOC holds in piterfm because of a decision in the list) becomes an
  award recorded on that decision's day (with the list as source), and the medal it replaced
  (silver before an upgrade to gold, ...) an award as known at the close, revoked on that day;
  the stripped medal itself, absent from piterfm, is added from the list and revoked on its
  decision day. What remains is the state at the close, recorded at the close.
- Every revocation is dated back to the award's own `date` (its span or day) and recorded on its
  decision day (12:00Z) with the list as source; the reason names the offence and the decision.
- The event day: the list's oly_date (or rows_v2's month/day), when given and inside the Games,
  dates every medal of that event; otherwise the Games' span.
- A decision before the close (many were taken at the Games): the award it revokes cannot be
  recorded at the close; it is recorded at 21:00Z on its event day when that is known and earlier,
  else at the decision instant itself, just before its revocation.
- No decision date in the record ("???", "", the 1976, 1988 and 1992 cases): recorded at the
  close (revocation after the award). A reallocation without its own date takes the decision's
  date (also when the list gives only the decision's year); a different year: 31 December.
- Corrections to the list, each documented in its case: record 10's upgrade_date 1976-08-05 is
  1984-08-05 (SOURCE.md); record 36 (Baxter): the bronze was in the slalom, not the giant slalom
  (the upgraded Raich is piterfm's slalom bronze; oly_date 2002-02-23 is the slalom's day) and the
  decision year 2012 is 2002 (the cited appeal is CAS 2002/A/376); record 47's "05-30-2013" is
  month-day-year. Records 19-21 say "not stripped" (bromantan, furosemide; piterfm and Olympedia
  still count the medals): no event. "yes 2"/"yes 3" lists that repeat a medallist whose medal did
  not change (Loll in 15, Thanou in 25, Kim and Mounier in 1, Elofsson in 44) move nobody.
- Team medals the list strips from one member only, while the team kept its medal (Pospisil 1976,
  Jones's 2000 relays, Cox 2004): the team award naming that member (the only one the sources
  name) is revoked and the team re-awarded without them at the same decision.
- Where piterfm already reflects decisions AFTER the list (2016-2024) that contradict the list's
  state, the list's state is what the ledger knows until piterfm's date: the list's upgraded
  medallist is added when piterfm lacks them (Apak 2004, Chernova 2008, Kolodko and Gong's bronze
  2012) and piterfm's later medallist is left out of the state at the close (`drops`: Sotherton
  2008, Im 2008, Gong's silver and Li 2012, Jamal 2012); the later decision is then recorded at
  piterfm's date (below, late_corrections), no source in ../shared giving its own.

Later decisions recorded (a source in ../shared gives the facts and a date)
- Beijing 2022 women's ski cross: SUI's Fanny SMITH awarded a bronze on appeal on 2022-02-26
  (beijing2022-kaggle-partial/SOURCE.md); Daniela MAIER keeps hers (the current tables count both).
- Tokyo 2020 men's 4 x 100 m relay: GBR's silver withdrawn in February 2022 (C. Ujah's doping
  case), CAN up to silver, CHN to bronze (tokyo2020-olympics-kaggle/SOURCE.md); month only, so
  recorded 2022-02-28T12:00:00Z. CHN's relay team is named in no file here: athletes [].
- Beijing 2008 women's long jump: Tatyana LEBEDEVA's silver, which piterfm already leaves out
  (vacant), disqualified in 2017, and the reallocation NGR bronze -> silver, JAM bronze
  (olympics-current-tables-moderndive/SOURCE.md; the year only, so 2017-12-31T12:00:00Z; the JAM
  athlete is not named: athletes []). LATER_DECISIONS below, undone like the list's cases.

Later decisions a source in ../shared identifies but does not date (late_corrections): recorded
when the ledger learnt them, at the date of the source that reports them, which each one's
`source` says (a correction's recorded time is when the ledger learnt it, not when it was decided):
- piterfm's olympic_medals.csv (2024-05-10, file 12-): the medals it shows that contradict the NYT
  list's state (Sotherton's heptathlon bronze 2008 after Chernova's; Im's 48 kg silver 2008; Gong's
  silver and Li's bronze in the 2012 shot put after Kolodko's; Jamal's 1500 m gold 2012), each with
  the revocation of the award that held its place in the list's state, and Apak's 2004 hammer
  bronze, which it shows no one holding (PITERFM_WITHDRAWN; Olympedia agrees).
- olympics-current-tables-moderndive/SOURCE.md (2026-05-10, file 90-): Vancouver 2010 biathlon
  (Ustyugov's mass-start gold and his team's relay bronze; FRA, SVK, AUT, SWE move up), Rio 2016
  weightlifting 77 kg (KAZ's gold, left vacant), Beijing 2022 team figure skating (ROC gold ->
  bronze, USA gold, JPN silver) (MODERNDIVE_CASES). Athletes the source does not name are not named.
- Not recorded: the other London 2012 and Sochi 2014 differences, which no source here identifies
  medal by medal; docs/history-differences.md lists each one.

Delegation successions (SUCCESSIONS below: delegation_succeeded, year precision, each with the
note of medal_table_summary.csv that names it, or the Paralympic source; recorded with the
registration of the first Games in events/ at which the successor took part): BOH -> TCH;
AUS -> ANZ -> AUS, NZL; GER (1956-64) -> GDR, FRG -> GER; URS -> EUN, EST, LAT, LTU; EUN -> the
twelve CIS republics; YUG -> CRO, SLO, BIH, IOA (1992), MKD, SCG; SCG -> SRB, MNE; TCH -> CZE, SVK;
RUS -> OAR -> ROC -> AIN; RUS -> RPC -> NPA. Not given: UAR and WIF (named in their registrations
only), ROT -> EOR (neither won a medal before Paris 2024; no source in ../shared names ROT).
"""

import argparse
import collections
import csv
import datetime as dt
import html
import json
import os
import re
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_medal_events import clean, given_first, with_recorder  # noqa: E402  (one way to turn names around)
import paralympic_history as para  # noqa: E402  (the Paralympic and Youth Games, the entrants)

NAMESPACE = uuid.UUID("2f9c4d1e-7a53-5b8e-9c61-0d4e8a7b3f12")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVENTS_DIR = os.path.join(REPO_ROOT, "events")
DATA_DIR = os.path.join(REPO_ROOT, "..", "shared", "data")
DATA_NAME = "../shared/data"  # how the files name the data: never an absolute path

PITERFM = "olympics-1896-2022-piterfm"
MODERNDIVE = "olympics-current-tables-moderndive"
NYT = "stripped-medals-nyt-2016"
TOKYO = "tokyo2020-olympics-kaggle"
TOKYO_PARA = "tokyo2020-paralympics"
BEIJING = "beijing2022-kaggle-partial"
PITERFM_DATE = "2024-05-10"  # the date of piterfm's olympic_medals.csv (its carrier's commit)
MODERNDIVE_DATE = "2026-05-10"  # the date of moderndive's data and SOURCE.md

COLOURS = ("gold", "silver", "bronze")
MEDAL_WORDS = {"GOLD": "gold", "SILVER": "silver", "BRONZE": "bronze", "Gold": "gold", "Silver": "silver",
               "Bronze": "bronze", "Gold Medal": "gold", "Silver Medal": "silver", "Bronze Medal": "bronze"}
OPENING = "T00:00:00Z"
END_OF_DAY = "T21:00:00Z"
DECISION = "T12:00:00Z"
ATHLETES_MAX = 100
NAME_MAX = 200
TEXT_MAX = 2000
SPAN_DAYS_MAX = 366
# NOCs whose names the Kaggle files (and podium's Paris files) write surname first.
SURNAME_FIRST = {"CHN", "HKG", "JPN", "KOR", "PRK", "TPE"}

SRC_PITERFM = ('piterfm (Kaggle) from olympics.com, "Olympic Summer & Winter Games, 1896-2022", 2024-05-10, '
               f"{PITERFM}/olympic_medals.csv")
SRC_TOKYO = f'piterfm (Kaggle) from olympics.com, "Tokyo 2020 Olympics", 2021-10-02, {TOKYO}/medals.csv'
SRC_TOKYO_PARA = ('piterfm (Kaggle) from olympics.com, "Tokyo 2020 Paralympics", 2021-10-24, '
                  f"{TOKYO_PARA}/medals.csv")
SRC_BEIJING = ('piterfm (Kaggle) from olympics.com, "Beijing 2022 Olympics" (snapshot of 2022-02-18), '
               f"2022-02-18, {BEIJING}/medals.csv")
SRC_NYT = 'The New York Times graphics desk, "Stripped Medals", 2016-08-04, ' + f"{NYT}/stripped_data_v3.json"
SRC_EDITIONS = ('Olympedia via moderndive/olympicAthletes 0.3.0, "edition_metadata", 2026-05-10, '
                f"{MODERNDIVE}/edition_metadata.csv")
SRC_HOSTS = f'piterfm (Kaggle) from olympics.com, "olympic_hosts", 2024-05-10, {PITERFM}/olympic_hosts.csv'
SRC_TABLES = ('Olympedia via moderndive/olympicAthletes 0.3.0, "medal_table_summary", 2026-05-10, '
              f"{MODERNDIVE}/medal_table_summary.csv")

# ------------------------------------------------------------------------------------ games days

# Games whose days are not the ceremonies of edition_metadata.csv: (first day, last day, why).
# The days are olympic_hosts.csv's (its UTC dates; for St. Louis 1904 the local date of
# 1904-11-24T02:00Z, 20:00 on the 23rd).
GAMES_DAYS = {
    "paris-1900": ("1900-05-14", "1900-10-28", "edition_metadata.csv gives no ceremonies; the competition "
                   "days are olympic_hosts.csv's"),
    "st-louis-1904": ("1904-05-14", "1904-11-23", "edition_metadata.csv gives the opening (14 May) but no "
                      "closing; the competition ended on 23 November (olympic_hosts.csv: "
                      "1904-11-24T02:00:00Z, the 23rd in St. Louis)"),
    "london-1908": ("1908-04-27", "1908-10-31", "competition from 27 April to 31 October (olympic_hosts.csv), "
                    "beyond the ceremonies of 13 and 25 July"),
    "stockholm-1912": ("1912-05-05", "1912-07-27", "competition from 5 May to 27 July (olympic_hosts.csv), "
                       "beyond the ceremonies of 6 and 15 July"),
    "antwerp-1920": ("1920-04-20", "1920-09-12", "competition from 20 April to 12 September (olympic_hosts.csv), "
                     "beyond the ceremonies of 14 and 30 August"),
    "paris-1924": ("1924-05-04", "1924-07-27", "competition from 4 May (olympic_hosts.csv), before the opening "
                   "ceremony of 5 July"),
    "chamonix-1924": ("1924-01-25", "1924-02-05", "opened on 25 January (olympic_hosts.csv; olympics.com, "
                      "\"Let the Games begin!\"), not on the 24th of edition_metadata.csv"),
    "amsterdam-1928": ("1928-05-17", "1928-08-12", "competition from 17 May (olympic_hosts.csv), before the "
                       "opening ceremony of 28 July"),
    "st-moritz-1928": ("1928-02-11", "1928-02-19", "competition to 19 February (olympic_hosts.csv; Olympedia: "
                       "competition dates 11-19 February), after the closing ceremony of the 17th"),
    "lake-placid-1932": ("1932-02-04", "1932-02-15", "competition to 15 February (olympic_hosts.csv), after the "
                         "closing ceremony of the 13th"),
    "oslo-1952": ("1952-02-14", "1952-02-25", "competition from 14 February (olympic_hosts.csv), the day "
                  "before the opening ceremony"),
}

# Host NOC of each Games, from edition_metadata.csv's country.
HOSTS = {
    "Greece": "GRE", "France": "FRA", "United States": "USA", "Great Britain": "GBR", "Sweden": "SWE",
    "Belgium": "BEL", "Netherlands": "NED", "Switzerland": "SUI", "Germany": "GER", "Norway": "NOR",
    "Finland": "FIN", "Australia": "AUS", "Italy": "ITA", "Japan": "JPN", "Austria": "AUT", "Mexico": "MEX",
    "West Germany": "FRG", "Canada": "CAN", "Soviet Union": "URS", "Yugoslavia": "YUG",
    "Republic of Korea": "KOR", "Spain": "ESP", "People's Republic of China": "CHN",
    "Russian Federation": "RUS", "Brazil": "BRA",
}

# ------------------------------------------------------------------------------------ delegations

# Successions. (predecessor, successor, date, anchor games, source key, note). Recorded with the
# registration of the anchor games: the first Games in events/ at which the successor took part.
SUCCESSION_SOURCES = {
    "BOH": "Bohemia (1900, 1908, 1912; later absorbed into Czechoslovakia)",
    "ANZ": "Australasia (combined Australia + New Zealand team; 1908 and 1912 only)",
    "URS": "Soviet Union (defunct; succeeded by component republics' NOCs after 1991)",
    "EUN": ("Unified Team (post-Soviet republics competing together at 1992 Summer & Winter as the Olympic "
            "Committee of the CIS)"),
    "GDR": "East Germany (defunct; reunified with West Germany as Germany in 1990)",
    "FRG": "West Germany (1968-1988; merged with East Germany as Germany after reunification)",
    "TCH": "Czechoslovakia (defunct; succeeded by Czech Republic and Slovakia in 1993)",
    "YUG": "Yugoslavia / SFR Yugoslavia (defunct; succeeded by component republics' NOCs in the 1990s)",
    "ROC": ("Russian Olympic Committee (Russian athletes competing under ROC banner; used by olympedia for 2020 "
            "Summer, 2022 Winter, and \u2014 retroactively \u2014 the 2018 Winter delegation originally entered as OAR)"),
    "AIN": "Individual Neutral Athletes (Russian and Belarusian athletes competing as neutrals; 2024 Summer & 2026 Winter)",
}
CIS = ["ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"]
SUCCESSIONS = (
    [("BOH", "TCH", "1920", "antwerp-1920", "BOH", "Bohemia, absorbed into Czechoslovakia, which first competed in 1920."),
     ("AUS", "ANZ", "1908", "london-1908", "ANZ", "Australia competed with New Zealand as Australasia in 1908 and 1912."),
     ("ANZ", "AUS", "1920", "antwerp-1920", "ANZ", "Australasia split into Australia and New Zealand after 1912."),
     ("ANZ", "NZL", "1920", "antwerp-1920", "ANZ", "Australasia split into Australia and New Zealand after 1912."),
     ("GER", "GDR", "1968", "grenoble-1968", "GDR",
      "The United Team of Germany of 1956-1964 (GER in the data; EUA in the IOC's database) was followed "
      "by separate East and West German teams from 1968."),
     ("GER", "FRG", "1968", "grenoble-1968", "FRG",
      "The United Team of Germany of 1956-1964 (GER in the data; EUA in the IOC's database) was followed "
      "by separate East and West German teams from 1968."),
     ("GDR", "GER", "1990", "albertville-1992", "GDR", "German reunification, 1990."),
     ("FRG", "GER", "1990", "albertville-1992", "FRG", "German reunification, 1990."),
     ("URS", "EUN", "1992", "albertville-1992", "EUN",
      "The Unified Team of 1992: twelve former Soviet republics (the CIS) together."),
     ("URS", "EST", "1992", "albertville-1992", "URS", "Estonia, independent again in 1991, competed on its own from 1992."),
     ("URS", "LAT", "1992", "albertville-1992", "URS", "Latvia, independent again in 1991, competed on its own from 1992."),
     ("URS", "LTU", "1992", "albertville-1992", "URS", "Lithuania, independent again in 1991, competed on its own from 1992."),
     ("YUG", "CRO", "1992", "albertville-1992", "YUG", "Croatia competed on its own from 1992."),
     ("YUG", "SLO", "1992", "albertville-1992", "YUG", "Slovenia competed on its own from 1992."),
     ("YUG", "BIH", "1992", "barcelona-1992", "YUG", "Bosnia and Herzegovina competed on its own from 1992."),
     ("YUG", "IOA", "1992", "barcelona-1992", "YUG",
      "At Barcelona 1992 the athletes of FR Yugoslavia, under UN sanctions, competed as Independent Olympic "
      "Participants (IOP at the time; IOA in the data)."),
     ("TCH", "CZE", "1993", "lillehammer-1994", "TCH", "Czechoslovakia split into the Czech Republic and Slovakia in 1993."),
     ("TCH", "SVK", "1993", "lillehammer-1994", "TCH", "Czechoslovakia split into the Czech Republic and Slovakia in 1993."),
     ("YUG", "MKD", "1996", "atlanta-1996", "YUG", "North Macedonia competed on its own from 1996."),
     ("YUG", "SCG", "1996", "atlanta-1996", "YUG",
      "FR Yugoslavia (Serbia and Montenegro) competed as Yugoslavia in 1996 and 2000; the data code it SCG, "
      "the name it took in 2003."),
     ("SCG", "SRB", "2006", "beijing-2008", "YUG", "Serbia and Montenegro separated in 2006."),
     ("SCG", "MNE", "2006", "beijing-2008", "YUG", "Serbia and Montenegro separated in 2006.")]
    + [("EUN", code, "1994", "lillehammer-1994", "EUN",
        "After 1992 the republics of the Unified Team competed separately (from Lillehammer 1994 or Atlanta 1996).")
       for code in CIS]
    + [("RUS", "OAR", "2018", "pyeongchang-2018", "ROC",
        "Russian athletes competed as Olympic Athletes from Russia at PyeongChang 2018 (doping sanctions)."),
       ("OAR", "ROC", "2021", "tokyo-2020", "ROC",
        "Russian athletes competed as ROC (Russian Olympic Committee) at Tokyo 2020 and Beijing 2022."),
       ("RUS", "RPC", "2021", "tokyo-2020-paralympics", None,
        "Russian athletes competed as RPC (Russian Paralympic Committee) at the Tokyo 2020 Paralympics."),
       ("ROC", "AIN", "2024", "paris-2024", "AIN",
        "Russian (and Belarusian) athletes competed as Individual Neutral Athletes at Paris 2024."),
       ("RPC", "NPA", "2024", "paris-2024-paralympics", None,
        "Russian (and Belarusian) athletes competed as Neutral Paralympic Athletes at the Paris 2024 Paralympics.")]
)
SUCCESSION_OTHER_SOURCES = {
    "tokyo-2020-paralympics": f'olikelly00, "tokyo_paralympics_npcs", 2025-02-08, {TOKYO_PARA}/tokyo_paralympics_npcs.sql (RPC)',
    "paris-2024-paralympics": ('piterfm (Kaggle) from olympics.com, "Paris 2024 Paralympic Summer Games", 2024-11-06, '
                               "paris2024-paralympics-kaggle/SOURCE.md (NPA: Neutral Paralympic Athletes)"),
}

# Tokyo 2020 Paralympics: country names of medals.csv -> NPC codes. The 162 official names of
# tokyo_paralympics_npcs.sql are read from it; these 8 short names are not there.
NPC_SHORT_NAMES = {"China": "CHN", "Czechia": "CZE", "Hong Kong": "HKG", "Iran": "IRI", "South Korea": "KOR",
                   "Taiwan": "TPE", "UAE": "UAE", "USA": "USA"}
# medals.csv discipline -> the sport name of events/40-paris-2024-paralympics.jsonl.
PARA_SPORTS = {
    "Archery": "Para Archery", "Athletics": "Para Athletics", "Badminton": "Para Badminton",
    "Boccia": "Boccia", "Canoe Sprint": "Para Canoe", "Cycling Road": "Para Cycling Road",
    "Cycling Track": "Para Cycling Track", "Equestrian": "Para Equestrian", "Football 5-a-side": "Blind Football",
    "Goalball": "Goalball", "Judo": "Para Judo", "Powerlifting": "Para Powerlifting", "Rowing": "Para Rowing",
    "Shooting": "Shooting Para Sport", "Sitting Volleyball": "Sitting Volleyball", "Swimming": "Para Swimming",
    "Table Tennis": "Para Table Tennis", "Taekwondo": "Para Taekwondo", "Triathlon": "Para Triathlon",
    "Wheelchair Basketball": "Wheelchair Basketball", "Wheelchair Fencing": "Wheelchair Fencing",
    "Wheelchair Rugby": "Wheelchair Rugby", "Wheelchair Tennis": "Wheelchair Tennis",
}
# piterfm's beijing-2022 event titles that the Kaggle snapshot writes otherwise.
BEIJING_EVENT_NAMES = {("Short Track Speed Skating", "Team Relay"): "Mixed Team Relay",
                       ("Ski Jumping", "Men's LH Individual"): "Men's Large Hill Individual",
                       ("Ski Jumping", "Men's NH Individual"): "Men's Normal Hill Individual",
                       ("Ski Jumping", "Women's NH Individual"): "Women's Normal Hill Individual"}
# The three merged table-tennis bronze rows of medals.csv, and the per-athlete rows that split them.
MERGED_BRONZES = {
    ("Men's Singles - Class 2", "KOR"): ("PARK Jin Cheol", "CHA Soo Yong", "1967/1968",
                                         "Korea JoongAng Daily, 2021-08-28, \"Table tennis team wins one silver, six "
                                         "bronze medals on Saturday\""),
    ("Women's Singles - Class 3", "KOR"): ("YOON Jiyu", "LEE Mi Gyu", "2017/2018",
                                           "Korea JoongAng Daily, 2021-08-28, \"Table tennis team wins one silver, six "
                                           "bronze medals on Saturday\""),
    ("Women's Singles - Class 4", "CHN"): ("GU Xiaodan", "ZHANG Miao", "2019/2020",
                                           "News18 live blog, 2021-08-28; Hindi Sportskeeda"),
}

# ------------------------------------------------------------------------------------ the NYT list

# One case per record of stripped_data_v3.json (by index). games/sport/event name piterfm's
# event; noc/athletes the stripped award (its colour is the record's stripped_medal). moves:
# (noc, athlete as piterfm writes it or None for a team given by its NOC, from colour or None,
# to colour): the reallocations the record lists. absent: moves whose new medal piterfm lacks
# (a later decision took it back). drops: piterfm medals (noc, athlete, colour) that a decision
# after the list gave, contradicting the list's state. keep_team: the team kept its medal.
# fix: corrections of the record's fields, with why. v2: the rows_v2.json record of the same medal.
CASES = [
    dict(rec=0, games="mexico-city-1968", sport="Modern Pentathlon", event="team competition men",
         noc="SWE", athletes=["Hans-Gunnar LILJENWALL"], v2=0, moves=[("FRA", None, None, "bronze")]),
    dict(rec=1, games="munich-1972", sport="Judo", event="63kg lightweight men", noc="MGL",
         athletes=["Bakhaavaa BUIDAA"], moves=[],
         note="The record's oly_date 1972-10-29 is after the Games and after the decision: not used. The two bronzes the "
              "record lists kept their medals; the silver stayed vacant."),
    dict(rec=2, games="munich-1972", sport="Cycling Road", event="individual road race men", noc="ESP",
         athletes=["Jaime HUELAMO"], moves=[]),
    dict(rec=3, games="munich-1972", sport="Cycling Road", event="team time trial men", noc="NED",
         athletes=["Aad VAN DEN HOEK"], moves=[]),
    dict(rec=4, games="munich-1972", sport="Swimming", event="400m freestyle men", noc="USA",
         athletes=["Rick DEMONT"],
         moves=[("AUS", "Bradford Paul COOPER", "silver", "gold"), ("USA", "Robert Steven GENTER", "bronze", "silver"),
                ("USA", "Thomas Sean MCBREEN", None, "bronze")]),
    dict(rec=5, games="innsbruck-1976", sport="Cross Country Skiing", event="5km women", noc="URS",
         athletes=["Galina KULAKOVA"], moves=[("URS", "Nina BALDYCHEVA", None, "bronze")]),
    dict(rec=6, games="innsbruck-1976", sport="Ice Hockey", event="ice hockey men", noc="TCH",
         athletes=["Franti\u0161ek POSP\u00cd\u0160IL"], keep_team=True, moves=[("TCH", None, None, "silver")]),
    dict(rec=7, games="montreal-1976", sport="Weightlifting", event="75 825kg lightheavyweight men", noc="BUL",
         athletes=["Blagoy BLAGOEV"],
         moves=[("BUL", "Trendafil STOITCHEV", "bronze", "silver"), ("HUN", "Peter BACZAKO", None, "bronze")]),
    dict(rec=8, games="montreal-1976", sport="Weightlifting", event="60-67.5kg lightweight men", noc="POL",
         athletes=["Zbigniew KACZMAREK"],
         moves=[("URS", "Pyotr KOROL", "silver", "gold"), ("FRA", "Daniel SENET", "bronze", "silver"),
                ("POL", "Kazimierz CZARNECKI", None, "bronze")]),
    dict(rec=9, games="montreal-1976", sport="Weightlifting", event="91 110kg heavyweight men", noc="BUL",
         athletes=["Valentin KHRISTOV"],
         moves=[("URS", "Yury Zaytsev", "silver", "gold"), ("BUL", "Krastyu Semerdzhiev", "bronze", "silver"),
                ("POL", "Tadeusz RUTKOWSKI", None, "bronze")]),
    dict(rec=10, games="los-angeles-1984", sport="Wrestling",
         event="Super-Heavyweight, Greco-Roman (>100 kilograms) Men", noc="SWE", athletes=["Tomas JOHANSSON"],
         moves=[("YUG", "Refik MEMISEVIC", "bronze", "silver"), ("ROU", "Victor DOLIPSCHI", None, "bronze")],
         fix={"upgrade_date": ("1984-08-05", "upgrade_date 1976-08-05 is a typo for 1984-08-05 (SOURCE.md)")}),
    dict(rec=11, games="los-angeles-1984", sport="Athletics", event="10000m men", noc="FIN",
         athletes=["Martti VAINIO"],
         moves=[("GBR", "Michael MCLEOD", "bronze", "silver"), ("KEN", "Michael MUSYOKI", None, "bronze")]),
    dict(rec=12, games="seoul-1988", sport="Weightlifting", event="56kg bantamweight men", noc="BUL",
         athletes=["Mitko GRABLEV"],
         moves=[("URS", "Oksen MIRZOYAN", "silver", "gold"), ("CHN", "Ying-Qiang HE", "bronze", "silver"),
                ("CHN", "Shoubin LIU", None, "bronze")]),
    dict(rec=13, games="seoul-1988", sport="Weightlifting", event="60 - 67.5kg (lightweight) men", noc="BUL",
         athletes=["Angel GUENCHEV"],
         moves=[("GDR", "Joachim KUNZ", "silver", "gold"), ("URS", "Israel MILITOSIAN", "bronze", "silver"),
                ("CHN", "Jin-He LI", None, "bronze")]),
    dict(rec=14, games="seoul-1988", sport="Athletics", event="100m men", noc="CAN", athletes=["Ben JOHNSON"],
         moves=[("USA", "Carl LEWIS", "silver", "gold"), ("GBR", "Linford CHRISTIE", "bronze", "silver"),
                ("USA", "Calvin SMITH", None, "bronze")]),
    dict(rec=15, games="seoul-1988", sport="Judo", event="65 - 71kg (lightweight) men", noc="GBR",
         athletes=["Kerrith BROWN"], moves=[("USA", "Michael Lee SWAIN", None, "bronze")],
         note="The record lists Sven Loll (silver), whose medal did not change, and Michael Swain (bronze)."),
    dict(rec=16, games="seoul-1988", sport="Weightlifting", event="90 100kg firstheavyweight men", noc="HUN",
         athletes=["Andor SZANYI"],
         moves=[("ROU", "Nicu VLAD", "bronze", "silver"), ("FRG", "Peter IMMESBERGER", None, "bronze")]),
    dict(rec=17, games="seoul-1988", sport="Weightlifting", event="82.5 - 90kg (middle-heavyweight) men",
         noc="POL", athletes=["Sergiusz WOLCZANIECKI"], moves=[],
         note="No decision or reallocation date in the record (\"???\"): both recorded at the close; piterfm's "
              "bronze for Slawomir ZAWADA (POL) stands, the record names no reallocation."),
    dict(rec=18, games="barcelona-1992", sport="Weightlifting", event="75 825kg lightheavyweight men",
         noc="EUN", athletes=["Ibragim SAMADOV"], moves=[]),
    dict(rec=19, skip="offense column: \"bromantan - not stripped\" (the medal stands in piterfm and Olympedia)"),
    dict(rec=20, skip="offense column: \"bromantan - not stripped\" (the medal stands in piterfm and Olympedia)"),
    dict(rec=21, skip="offense column: \"furosemide - not stripped\", no medal colour (the silver stands)"),
    dict(rec=22, games="sydney-2000", sport="Weightlifting", event="105kg heavyweight men", noc="ARM",
         athletes=["Ashot DANIELYAN"], v2=7, moves=[("QAT", "Asaad Said Saif ASAAD", None, "bronze")],
         note="rows_v2.json says \"over 105kg\"; the list's event (105 kg) and upgrade (Asaad, piterfm's "
              "105 kg bronze) are followed."),
    dict(rec=23, games="sydney-2000", sport="Weightlifting", event="48kg women", noc="BUL",
         athletes=["Izabela DRAGNEVA"],
         moves=[("USA", "Tara NOTT", "silver", "gold"), ("INA", "Raema Lisa RUMBEWAS", "bronze", "silver"),
                ("INA", "Sri INDRIYANI", None, "bronze")]),
    dict(rec=24, games="sydney-2000", sport="Weightlifting", event="56kg men", noc="BUL", athletes=["Ivan IVANOV"],
         moves=[("CHN", "Wenxiong WU", "bronze", "silver"), ("CHN", "Xiangxiang ZHANG", None, "bronze")]),
    dict(rec=25, games="sydney-2000", sport="Athletics", event="100m women", noc="USA", athletes=["Marion JONES"],
         v2=1, moves=[("JAM", "Tanya LAWRENCE", "bronze", "silver"), ("JAM", "Merlene OTTEY-PAGE", None, "bronze")],
         note="Thanou kept her silver; the gold stayed vacant."),
    dict(rec=26, games="sydney-2000", sport="Athletics", event="200m women", noc="USA", athletes=["Marion JONES"],
         v2=2, moves=[("BAH", "Pauline Elaine DAVIS", "silver", "gold"),
                      ("SRI", "Susanthika JAYASINGHE", "bronze", "silver"),
                      ("JAM", "Beverly MCDONALD", None, "bronze")]),
    dict(rec=27, games="sydney-2000", sport="Athletics", event="4x400m relay women", noc="USA",
         athletes=["Marion JONES"], v2=3, keep_team=True, moves=[("USA", None, None, "gold")],
         note="The record says the IOC stripped the whole team, then gave the medals back to the teammates "
              "(no dates): recorded as one decision."),
    dict(rec=28, games="sydney-2000", sport="Athletics", event="long jump women", noc="USA", athletes=["Marion JONES"],
         v2=5, moves=[("RUS", "Tatyana KOTOVA", None, "bronze")]),
    dict(rec=29, games="sydney-2000", sport="Athletics", event="4x100m relay women", noc="USA",
         athletes=["Marion JONES"], v2=4, keep_team=True, moves=[("USA", None, None, "bronze")],
         note="The record says the IOC stripped the whole team, then gave the medals back to the teammates "
              "(no dates): recorded as one decision."),
    dict(rec=30, games="sydney-2000", sport="Wrestling", event="Middleweight, Freestyle (\u226476 kilograms) Men",
         noc="GER", athletes=["Alexander LEIPOLD"],
         moves=[("USA", "Brandon SLAY", "silver", "gold"), ("KOR", "Ui-Je Mun", "bronze", "silver"),
                ("TUR", "Adem BEREKET", None, "bronze")]),
    dict(rec=31, games="sydney-2000", sport="Weightlifting", event="62kg featherweight men", noc="BUL",
         athletes=["Sevdalin MINCHEV"], moves=[("BLR", "Gennady OLESHCHUK", None, "bronze")]),
    dict(rec=32, games="sydney-2000", sport="Gymnastics Artistic", event="individual all-round women", noc="ROU",
         athletes=["Andreea Madalina RADUCAN"],
         moves=[("ROU", "Simona AMANAR", "silver", "gold"), ("ROU", "Maria OLARU", "bronze", "silver"),
                ("CHN", "Xuan LIU", None, "bronze")]),
    dict(rec=33, games="sydney-2000", sport="Athletics", event="4x400m relay men", noc="USA",
         athletes=["Antonio PETTIGREW", "Jerome YOUNG"],
         moves=[("NGR", None, "silver", "gold"), ("JAM", None, "bronze", "silver"), ("BAH", None, None, "bronze")]),
    dict(rec=34, games="sydney-2000", sport="Gymnastics Artistic", event="team competition women", noc="CHN",
         athletes=["Fangxiao DONG"], v2=6, moves=[("USA", None, None, "bronze")],
         note="rows_v2.json dates the decision 2010-04-28; the list's own 2010-02-26 is kept."),
    dict(rec=35, games="sydney-2000", sport="Cycling Road", event="individual time trial men", noc="USA",
         athletes=["Lance ARMSTRONG"], moves=[]),
    dict(rec=36, games="salt-lake-city-2002", sport="Alpine Skiing", event="slalom men", noc="GBR",
         athletes=["Alain BAXTER"], moves=[("AUT", "Benjamin RAICH", None, "bronze")],
         fix={"stripped_date": ("2002-03-23", "stripped_date 2012-03-23 is a typo for 2002: the record's own "
                                "upgrade source is the appeal CAS 2002/A/376"),
              "event": ("slalom men", "the record says giant slalom; Baxter's bronze and Raich's upgrade were in "
                        "the slalom (oly_date 2002-02-23 is its day)")}),
    dict(rec=37, games="salt-lake-city-2002", sport="Cross Country Skiing", event="5km pursuit women", noc="RUS",
         athletes=["Olga DANILOVA"],
         moves=[("CAN", "Beckie SCOTT", "silver", "gold"), ("CZE", "Katerina NEUMANNOVA", "bronze", "silver"),
                ("GER", "Viola BAUER", None, "bronze")]),
    dict(rec=38, games="salt-lake-city-2002", sport="Cross Country Skiing", event="10km women", noc="RUS",
         athletes=["Olga DANILOVA"],
         moves=[("RUS", "Yuliya Chepalova", "bronze", "silver"), ("ITA", "Stefania BELMONDO", None, "bronze")]),
    dict(rec=39, games="salt-lake-city-2002", sport="Cross Country Skiing", event="30km women", noc="RUS",
         athletes=["Larisa LAZUTINA"],
         moves=[("ITA", "Gabriella PARUZZI", "silver", "gold"), ("ITA", "Stefania BELMONDO", "bronze", "silver"),
                ("NOR", "Bente SKARI", None, "bronze")],
         note="Stripped 2003-02-23, reallocated 2003-06-29, as the record says (SOURCE.md notes the gap)."),
    dict(rec=40, games="salt-lake-city-2002", sport="Cross Country Skiing", event="15km mass start women",
         noc="RUS", athletes=["Larisa LAZUTINA"],
         moves=[("CZE", "Katerina NEUMANNOVA", "bronze", "silver"), ("RUS", "Yuliya Chepalova", None, "bronze")]),
    dict(rec=41, games="salt-lake-city-2002", sport="Cross Country Skiing", event="5km pursuit women", noc="RUS",
         athletes=["Larisa LAZUTINA"],
         moves=[("CAN", "Beckie SCOTT", "bronze", "silver"), ("CZE", "Katerina NEUMANNOVA", None, "bronze")]),
    dict(rec=42, games="salt-lake-city-2002", sport="Cross Country Skiing", event="50km men", noc="ESP",
         athletes=["Johann MUEHLEGG"],
         moves=[("RUS", "Mikhail IVANOV", "silver", "gold"), ("EST", "Andrus VEERPALU", "bronze", "silver"),
                ("NOR", "Odd-Bjoern HJELMESET", None, "bronze")]),
    dict(rec=43, games="salt-lake-city-2002", sport="Cross Country Skiing", event="30km mass start men", noc="ESP",
         athletes=["Johann MUEHLEGG"],
         moves=[("AUT", "Christian HOFFMANN", "silver", "gold"), ("AUT", "Mikhail BOTVINOV", "bronze", "silver"),
                ("NOR", "Kristen SKJELDAL", None, "bronze")]),
    dict(rec=44, games="salt-lake-city-2002", sport="Cross Country Skiing", event="10km pursuit men", noc="ESP",
         athletes=["Johann MUEHLEGG"],
         moves=[("NOR", "Frode ESTIL", "silver", "gold"), ("NOR", "Thomas ALSGAARD", "silver", "gold")],
         note="Estil and Alsgaard tied for silver and were both upgraded; Elofsson kept his bronze."),
    dict(rec=45, games="athens-2004", sport="Athletics", event="hammer throw men", noc="HUN",
         athletes=["Adri\u00e1n ANNUS"],
         moves=[("JPN", "Koji MUROFUSHI", "silver", "gold"), ("BLR", "Ivan TSIKHAN", "bronze", "silver"),
                ("TUR", "E\u015fref APAK", None, "bronze")], absent=["E\u015fref APAK"]),
    dict(rec=46, games="athens-2004", sport="Athletics", event="hammer throw men", noc="BLR",
         athletes=["Ivan TSIKHAN"], v2=13, moves=[]),
    dict(rec=47, games="athens-2004", sport="Athletics", event="shot put men", noc="UKR", athletes=["Yuriy BILONOG"],
         v2=8, moves=[("USA", "Adam NELSON", "silver", "gold"), ("DEN", "Joachim Broechner OLSEN", "bronze", "silver"),
                      ("ESP", "Manuel MARTINEZ", None, "bronze")]),
    dict(rec=48, games="athens-2004", sport="Athletics", event="4x400m relay women", noc="USA",
         athletes=["Crystal COX"], keep_team=True, moves=[("USA", None, None, "gold")]),
    dict(rec=49, games="athens-2004", sport="Athletics", event="discus throw men", noc="HUN",
         athletes=["R\u00f3bert FAZEKAS"], v2=14,
         moves=[("LTU", "Virgilijus ALEKNA", "silver", "gold"), ("HUN", "Zoltan KOVAGO", "bronze", "silver"),
                ("EST", "Aleksander TAMMERT", None, "bronze")]),
    dict(rec=50, games="athens-2004", sport="Weightlifting", event="105kg heavyweight men", noc="HUN",
         athletes=["Ferenc GYURKOVICS"],
         moves=[("UKR", "Igor RAZORONOV", "bronze", "silver"), ("RUS", "Gleb PISAREVSKIY", None, "bronze")]),
    dict(rec=51, games="athens-2004", sport="Cycling Road", event="individual time trial men", noc="USA",
         athletes=["Tyler HAMILTON"], v2=10,
         moves=[("RUS", "Vyacheslav EKIMOV", "silver", "gold"), ("USA", "Bobby JULICH", "bronze", "silver"),
                ("AUS", "Michael ROGERS", None, "bronze")]),
    dict(rec=52, games="athens-2004", sport="Athletics", event="shot put women", noc="RUS",
         athletes=["Irina KORZHANENKO"],
         moves=[("CUB", "Yumileidi CUMBA", "silver", "gold"), ("GER", "Nadine KLEINERT", "bronze", "silver"),
                ("RUS", "Svetlana KRIVELYOVA", None, "bronze")]),
    dict(rec=53, games="athens-2004", sport="Athletics", event="shot put women", noc="RUS",
         athletes=["Svetlana KRIVELYOVA"], v2=11, moves=[]),
    dict(rec=54, games="athens-2004", sport="Equestrian Jumping", event="individual mixed", noc="IRL",
         athletes=["Cian O'CONNOR"],
         moves=[("BRA", "Rodrigo PESSOA", "silver", "gold"), ("USA", "Chris KAPPLER", "bronze", "silver"),
                ("GER", "Marco KUTSCHER", None, "bronze")]),
    dict(rec=55, games="athens-2004", sport="Weightlifting", event="77kg men", noc="RUS",
         athletes=["Oleg PEREPETCHENOV"], v2=9, moves=[("TUR", "Reyhan Arabac\u0131o\u011flu", None, "bronze")]),
    dict(rec=56, games="athens-2004", sport="Weightlifting", event="62kg featherweight men", noc="GRE",
         athletes=["Leonidas SAMPANIS"], moves=[("VEN", "Israel Jose RUBIO", None, "bronze")]),
    dict(rec=57, games="athens-2004", sport="Equestrian Jumping", event="team mixed", noc="GER",
         athletes=["Ludger BEERBAUM"],
         moves=[("USA", None, "silver", "gold"), ("SWE", None, "bronze", "silver"), ("GER", None, None, "bronze")],
         note="Germany lost the gold (Beerbaum's result) and, without it, placed third."),
    dict(rec=58, games="athens-2004", sport="Rowing", event="quadruple sculls without coxsw women", noc="UKR",
         athletes=["Olena OLEFIRENKO"], moves=[("AUS", None, None, "bronze")]),
    dict(rec=59, games="athens-2004", sport="Athletics", event="discus throw women", noc="BLR",
         athletes=["Iryna YATCHENKO"], v2=12, moves=[("CZE", "Vera POSPISILOVA-CECHLOVA", None, "bronze")]),
    dict(rec=60, games="turin-2006", sport="Biathlon", event="15km women", noc="RUS", athletes=["Olga PYLEVA"],
         v2=15, moves=[("GER", "Martina GLAGOW", "bronze", "silver"), ("RUS", "Albina AKHATOVA", None, "bronze")],
         note="The record's \"martina beck\" is Martina GLAGOW (piterfm), who later married."),
    dict(rec=61, games="beijing-2008", sport="Wrestling",
         event="Light-Heavyweight, Greco-Roman (\u226484 kilograms) Men", noc="SWE", athletes=["Ara ABRAHAMIAN"],
         v2=22, moves=[]),
    dict(rec=62, games="beijing-2008", sport="Shooting", event="10m air pistol 60 shots men", noc="PRK",
         athletes=["Jong Su KIM"], v2=21, moves=[("USA", "Jason TURNER", None, "bronze")]),
    dict(rec=63, games="beijing-2008", sport="Shooting", event="50m pistol 60 shots men", noc="PRK",
         athletes=["Jong Su KIM"], v2=20,
         moves=[("CHN", "Zongliang TAN", "bronze", "silver"), ("RUS", "Vladimir ISAKOV", None, "bronze")]),
    dict(rec=64, games="beijing-2008", sport="Athletics", event="heptathlon women", noc="UKR",
         athletes=["Lyudmyla BLONSKA"], v2=19,
         moves=[("USA", "Hyleas FOUNTAIN", "bronze", "silver"), ("RUS", "Tatyana CHERNOVA", None, "bronze")],
         absent=["Tatyana CHERNOVA"], drops=[("GBR", "Kelly SOTHERTON", "bronze")]),
    dict(rec=65, games="beijing-2008", sport="Equestrian Jumping", event="team mixed", noc="NOR",
         athletes=["Tony Andr\u00e9 HANSEN"], moves=[("SUI", None, None, "bronze")]),
    dict(rec=66, games="beijing-2008", sport="Athletics", event="1500m men", noc="BRN", athletes=["Rashid RAMZI"],
         v2=16, moves=[("KEN", "Asbel KIPROP", "silver", "gold"), ("NZL", "Nicholas WILLIS", "bronze", "silver"),
                       ("FRA", "Mehdi BAALA", None, "bronze")]),
    dict(rec=67, games="beijing-2008", sport="Cycling Road", event="individual road race men", noc="ITA",
         athletes=["Davide REBELLIN"], v2=17,
         moves=[("SUI", "Fabian CANCELLARA", "bronze", "silver"), ("RUS", "Alexandr KOLOBNEV", None, "bronze")]),
    dict(rec=68, games="beijing-2008", sport="Athletics", event="shot put men", noc="BLR",
         athletes=["Andrei MIKHNEVICH"], moves=[("CAN", "Dylan ARMSTRONG", None, "bronze")]),
    dict(rec=69, games="beijing-2008", sport="Weightlifting", event="48kg women", noc="TUR",
         athletes=["Sibel \u00d6ZKAN"], v2=18, moves=[], drops=[("KOR", "Jeong-Hwa Im", "silver")]),
    dict(rec=70, games="london-2012", sport="Athletics", event="shot put women", noc="BLR",
         athletes=["Nadzeya OSTAPCHUK"], v2=27,
         moves=[("NZL", "Valerie ADAMS", "silver", "gold"), ("RUS", "Evgeniia KOLODKO", "bronze", "silver"),
                ("CHN", "Lijiao GONG", None, "bronze")],
         absent=["Evgeniia KOLODKO", "Lijiao GONG"], drops=[("CHN", "Lijiao GONG", "silver"), ("CHN", "Ling LI", "bronze")]),
    dict(rec=71, games="london-2012", sport="Athletics", event="discus throw women", noc="RUS",
         athletes=["Darya PISHCHALNIKOVA"], v2=26,
         moves=[("CHN", "Yanfeng LI", "bronze", "silver"), ("CUB", "Yarelys BARRIOS", None, "bronze")]),
    dict(rec=72, games="london-2012", sport="Wrestling", event="Freestyle 74 kg men", noc="UZB",
         athletes=["Soslan TIGIEV"], v2=25, moves=[("HUN", "Gabor HATOS", None, "bronze")]),
    dict(rec=73, games="london-2012", sport="Athletics", event="4x100m relay men", noc="USA", athletes=["Tyson GAY"],
         v2=24, moves=[("TTO", None, "bronze", "silver"), ("FRA", None, None, "bronze")]),
    dict(rec=74, games="london-2012", sport="Athletics", event="1500m women", noc="TUR",
         athletes=["Asli CAKIR ALPTEKIN"], v2=23, moves=[], drops=[("BRN", "Maryam Yusuf JAMAL", "gold")]),
]


# ------------------------------------------------------------------------------------ reading

Invalid = para.Invalid


def require(cond, message):
    if not cond:
        raise Invalid(message)


def data_path(data, *parts):
    return os.path.join(data, *parts)


def read_csv(path, delimiter=",", encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as f:
        return [{k: clean(v or "") for k, v in row.items()} for row in csv.DictReader(f, delimiter=delimiter)]


def read_copy_block(path, table):
    """Rows (tab-separated) of the COPY block of `table` in a pg_dump file."""
    rows, inside = [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith(f"COPY public.{table} "):
                inside = True
            elif inside and line == "\\.":
                break
            elif inside:
                rows.append(line.split("\t"))
    require(rows, f"{path}: no COPY block for {table}")
    return rows


def uuid5(key):
    return str(uuid.uuid5(NAMESPACE, key))


def day(text):
    """The YYYY-MM-DD of a "YYYY-MM-DD 00:00:00.0" or ISO timestamp."""
    require(re.match(r"^\d{4}-\d{2}-\d{2}", text or ""), f"not a date: {text!r}")
    return text[:10]


def iso(d):
    return d.isoformat()


def parse_day(s):
    return dt.date.fromisoformat(s)


def display(name, noc):
    """"SURNAME Given" (Kaggle, olympics.com results) -> "Given SURNAME", as the Paris files."""
    name = clean(name)
    return name if noc in SURNAME_FIRST else given_first(name)


# ------------------------------------------------------------------------------------ games

def games_days(data):
    """slug -> dict(opens, closes, name, season, host, why, edition) for piterfm's 53 Games."""
    hosts = read_csv(data_path(data, PITERFM, "olympic_hosts.csv"), delimiter=";")
    editions = {}
    for row in read_csv(data_path(data, MODERNDIVE, "edition_metadata.csv")):
        if row["edition_id"] == "48":
            continue  # Stockholm 1956 equestrian: no such rows in piterfm
        editions[(row["year"], row["season"])] = row
    out = {}
    for h in hosts:
        ed = editions[(h["game_year"], h["game_season"])]
        slug = h["game_slug"]
        if slug in GAMES_DAYS:
            opens, closes, why = GAMES_DAYS[slug]
            source = f"{SRC_EDITIONS}; {SRC_HOSTS} (days: {why})"
        else:
            opens, closes = ed["opening_ceremony"], ed["closing_ceremony"]
            source = f"{SRC_EDITIONS} (days: opening and closing ceremonies); {SRC_HOSTS} (slug and name)"
        require(opens and closes, f"{slug}: no days")
        first, last = parse_day(opens), parse_day(closes)
        require(first < last and (last - first).days <= SPAN_DAYS_MAX, f"{slug}: days {opens}..{closes}")
        if slug not in GAMES_DAYS:
            # Elsewhere olympic_hosts.csv may differ from the ceremonies by its UTC artefacts only.
            for ours, theirs in ((first, h["game_start_date"]), (last, h["game_end_date"])):
                require(abs((parse_day(day(theirs)) - ours).days) <= 1,
                        f"{slug}: olympic_hosts.csv's {theirs} is far from {ours}: add the Games to GAMES_DAYS")
        season = h["game_season"].lower()
        out[slug] = dict(
            opens=opens, closes=closes, edition=ed["edition_id"], season=season,
            name=f"{h['game_name']} Olympic {'Games' if season == 'summer' else 'Winter Games'}",
            host=HOSTS[ed["country"]], source=source)
    require(len(out) == 53, f"{len(out)} Games in olympic_hosts.csv")
    return out


def span(g):
    return f"{g['opens']}/{g['closes']}"


def close_instant(g):
    return g["closes"] + END_OF_DAY


# ------------------------------------------------------------------------------------ piterfm

def read_piterfm(data):
    """Medals of piterfm, folded as its SOURCE.md says, as award dicts grouped by games."""
    rows = read_csv(data_path(data, PITERFM, "olympic_medals.csv"), delimiter=";", encoding="utf-8-sig")
    require(len(rows) == 21697, f"{len(rows)} rows in olympic_medals.csv")
    medals, names = {}, collections.defaultdict(dict)
    for r in rows:
        team = r["participant_type"] == "GameTeam"
        x = r["participant_title"] if team else (r["athlete_url"] or r["athlete_full_name"])
        event = r["event_title"]
        if (r["slug_game"], r["discipline_title"], event, r["event_gender"]) == \
                ("london-1908", "Tennis", "doubles indoor men", "Women"):
            event = "singles indoor women"
        key = (r["slug_game"], r["discipline_title"], event, r["event_gender"], MEDAL_WORDS[r["medal_type"]], x)
        m = medals.setdefault(key, dict(games=r["slug_game"], sport=r["discipline_title"], event=event,
                                        medal=MEDAL_WORDS[r["medal_type"]], noc=r["country_3_letter_code"],
                                        athletes=[], title=r["participant_title"] if team else None,
                                        source=SRC_PITERFM))
        require(m["noc"] == r["country_3_letter_code"], f"two NOCs for one medal: {key}")
        name = r["athlete_full_name"]
        if name and name != "#NAME?" and name not in m["athletes"]:
            m["athletes"].append(name)
        names[r["slug_game"]].setdefault(r["country_3_letter_code"], r["country_name"])
    genders = collections.defaultdict(set)
    for (games, sport, event, gender, _, _) in medals:
        genders[(games, sport, event)].add(gender)
    require(all(len(g) == 1 for g in genders.values()), "an event title is shared by two genders")
    by_games = collections.defaultdict(list)
    for m in medals.values():
        by_games[m["games"]].append(m)
    counts = collections.Counter(m["medal"] for m in medals.values())
    require((counts["gold"], counts["silver"], counts["bronze"]) == (6614, 6573, 7030),
            f"piterfm fold {counts} is not 6614/6573/7030 (SOURCE.md)")
    return by_games, names


def read_moderndive_names(data):
    """(edition_id, NOC) -> country, and NOC -> the name of its latest edition."""
    by_edition, latest = {}, {}
    for row in read_csv(data_path(data, MODERNDIVE, "medal_table_summary.csv")):
        by_edition[(row["edition_id"], row["noc"])] = row["country"]
        latest[row["noc"]] = row["country"]
    return by_edition, latest


# ------------------------------------------------------------------------------------ the NYT list

def parse_when(text):
    """A date of the list: ("day", "YYYY-MM-DD") / ("year", "YYYY") / None."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        parse_day(text)
        return ("day", text)
    m = re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", text)  # record 47: month-day-year
    if m:
        return ("day", iso(dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))))
    m = re.fullmatch(r"(\d{4})(?:-\?\?-\?\?)?", text)
    if m:
        return ("year", m.group(1))
    return None


def instant(when):
    """The recorded instant of a decision: its day at 12:00Z; a year: 31 December 12:00Z."""
    kind, value = when
    return (value if kind == "day" else f"{value}-12-31") + DECISION


def nyt_dates(case, record, g):
    """(decision instant, reallocation instant, parsed decision date, notes) of one case."""
    fix = case.get("fix", {})
    stripped = parse_when(fix.get("stripped_date", (record["stripped_date"],))[0])
    upgrade = parse_when(fix.get("upgrade_date", (record["upgrade_date"],))[0])
    notes = [why for _, why in fix.values()]
    if stripped is None:
        decided = close_instant(g)
    else:
        decided = instant(stripped)
    if upgrade is None or (upgrade[0] == "year" and stripped and upgrade[1] == stripped[1][:4]):
        moved = decided
    else:
        moved = instant(upgrade)
    require(moved >= decided, f"record {case['rec']}: reallocated before it was stripped")
    return decided, moved, stripped, notes


def event_day(case, record, v2, g):
    """The event's day from the list (oly_date, else rows_v2's month/day), if inside the Games."""
    text = record["oly_date"]
    if not text and case.get("v2") is not None:
        r = v2[case["v2"]]
        if r["oly_month"] and r["oly_day"]:
            text = f"{r['oly_year']}-{int(r['oly_month']):02d}-{int(r['oly_day']):02d}"
    if text and g["opens"] <= text <= g["closes"]:
        return text
    return None


def subject_of(record):
    return re.sub(r"\s*\(See below\)", "", record["name"]).strip()


def strip_reason(record, stripped, notes, case):
    """The revocation's reason: who, what, why, when (as the record gives it), and the notes."""
    offence = record["offense"].strip().strip('"') or "not given"
    if stripped is None:
        when = "decision not dated in the record (recorded at the Games' close)"
    elif stripped[0] == "year":
        when = f"decided in {stripped[1]} (no day in the record: recorded at the end of the year)"
    else:
        when = f"decision of {stripped[1]}"
    reason = (f"{subject_of(record)} ({record['country'].strip()}) stripped of the "
              f"{record['stripped_medal'].strip().lower()} medal, {record['event'].strip()} ({offence}); {when}")
    if case.get("keep_team"):
        reason += "; the rest of the team kept the medal (re-awarded without them)"
    if record["stripped_source"].strip().startswith("http"):
        reason += f"; {record['stripped_source'].strip()}"
    extra = list(notes) + ([case["note"]] if case.get("note") else [])
    sentences = [e[0].upper() + e[1:] + ("" if e.endswith(".") else ".") for e in extra]
    return " ".join([reason + "."] + sentences)


def list_decisions(games, data, report):
    """The NYT list's cases as decisions: dates, day, source and reason filled in."""
    with open(data_path(data, NYT, "stripped_data_v3.json"), encoding="utf-8") as f:
        records = json.load(f)
    with open(data_path(data, NYT, "rows_v2.json"), encoding="utf-8") as f:
        v2 = json.load(f)
    require(len(records) == 75 and [c["rec"] for c in CASES] == list(range(75)), "one case per record")
    decisions = []
    for case in CASES:
        record = records[case["rec"]]
        if "skip" in case:
            report["skipped"].append((case["rec"], subject_of(record), case["skip"]))
            continue
        g = games[case["games"]]
        decided, moved, stripped, notes = nyt_dates(case, record, g)
        if case.get("v2") is not None and v2[case["v2"]]["decision_date"] != record["stripped_date"]:
            report["v2_mismatch"].append((case["rec"], record["stripped_date"], v2[case["v2"]]["decision_date"]))
        medal = record["stripped_medal"].strip().lower()
        require(medal in COLOURS, f"record {case['rec']}: medal {medal!r}")
        decisions.append(dict(
            case, label=f"record {case['rec']}", medal=medal, decided=decided, moved=moved,
            day=event_day(case, record, v2, g), source=f"{SRC_NYT} record {case['rec']}",
            subject=subject_of(record), reason=strip_reason(record, stripped, notes, case)))
    return decisions


# Decisions after the list that a SOURCE.md in ../shared names, with what moved and a year.
SRC_LEBEDEVA = (f'Data notes, "Current Olympic medal tables ... (moderndive)" (comparison with piterfm), 2026-05-10, '
                f"{MODERNDIVE}/SOURCE.md: 2008 Summer, \"later reallocation (women's long jump after Lebedeva's 2017 "
                "disqualification: NGR bronze\u2192silver, JAM bronze)\"")
LATER_DECISIONS = [
    dict(label="Lebedeva (2017)", games="beijing-2008", sport="Athletics", event="long jump women", noc="RUS",
         athletes=["Tatyana LEBEDEVA"], medal="silver", decided="2017-12-31" + DECISION, moved="2017-12-31" + DECISION,
         day=None, source=SRC_LEBEDEVA, subject="Tatyana LEBEDEVA",
         reason="Tatyana LEBEDEVA (RUS) disqualified in 2017 (the source gives the year: recorded at its end); "
                "her silver, already absent from piterfm, was reallocated: NGR bronze to silver, JAM to bronze "
                "(the JAM athlete is not named in ../shared).",
         moves=[("NGR", "Blessing OKAGBARE", "bronze", "silver"), ("JAM", None, None, "bronze")],
         absent=["Blessing OKAGBARE", None], before_present=["Blessing OKAGBARE"]),
]


SRC_LATE_PITERFM = (f"{SRC_PITERFM}: shows this medal, reallocated after the NYT list (2016); no source in "
                    f"../shared dates the decision: recorded at the date of the source that reports it ({PITERFM_DATE})")
SRC_LATE_MODERNDIVE = (f'Data notes, "Current Olympic medal tables ... (moderndive)" (comparison with piterfm), '
                       f"{MODERNDIVE_DATE}, {MODERNDIVE}/SOURCE.md")
# Medals the NYT list (2016) gives that piterfm's state no longer shows, no one holding them instead
# (olympics-current-tables-moderndive agrees): (games, sport, event, NOC, colour, athlete).
PITERFM_WITHDRAWN = [
    ("athens-2004", "Athletics", "hammer throw men", "TUR", "bronze", "E\u015fref APAK"),
]
# Reallocations olympics-current-tables-moderndive/SOURCE.md identifies (the medals that changed hands; its
# per-NOC differences from piterfm are exactly these), with no date: recorded at that file's date.
# (games, sport, event, why, revoked [(noc, colour, athlete or None)], awarded [(noc, colour, athletes)]).
MODERNDIVE_CASES = [
    ("vancouver-2010", "Biathlon", "15km mass start men",
     "2010 Winter, \"later reallocation (biathlon: Ustyugov RUS results annulled; FRA, SVK, AUT, SWE move up)\": "
     "Evgeny USTYUGOV's mass-start gold; FRA, SVK and AUT move up (AUT's athlete is not named)",
     [("RUS", "gold", "Evgeny USTYUGOV"), ("FRA", "silver", "Martin FOURCADE"), ("SVK", "bronze", "Pavol HURAJT")],
     [("FRA", "gold", ["Martin FOURCADE"]), ("SVK", "silver", ["Pavol HURAJT"]), ("AUT", "bronze", [])]),
    ("vancouver-2010", "Biathlon", "4x75km relay men",
     "2010 Winter, \"later reallocation (biathlon: Ustyugov RUS results annulled; FRA, SVK, AUT, SWE move up)\": "
     "the Russian relay team's bronze (USTYUGOV's team); SWE moves up (its team is not named)",
     [("RUS", "bronze", None)], [("SWE", "bronze", [])]),
    ("rio-2016", "Weightlifting", "77kg men",
     "2016 Summer, \"KAZ \u22121 gold in moderndive (weightlifting 77 kg, disqualified; gold left vacant: 306 "
     "golds)\"", [("KAZ", "gold", "Nidzhat Rakhimov")], []),
    ("beijing-2022", "Figure Skating", "Team Event",
     "2022 Winter, \"team figure skating (ROC gold\u2192bronze, USA\u2192gold, JPN\u2192silver)\": the USA and "
     "JPN teams move up with their athletes; ROC's bronze team is not named",
     [("ROC", "gold", None), ("USA", "silver", None), ("JPN", "bronze", None)],
     [("USA", "gold", "USA"), ("JPN", "silver", "JPN"), ("ROC", "bronze", [])]),
]


def late_corrections(placed, dropped, games, days):
    """The reallocations recorded at the date of the source that reports them (none gives the
    decision's): piterfm's medals that contradict the NYT list's state (`dropped` by apply_cases:
    each becomes an award again, and the award that held its place in the list's state is revoked),
    then MODERNDIVE_CASES. Marks the revoked awards of `placed` and returns the new (file, award)s."""
    new = []

    def standing(ev, noc, colour, athlete):
        found = [a for _, a in placed if (a["games"], a["sport"], a["event"]) == ev and a["noc"] == noc
                 and a["medal"] == colour and not a.get("revoked")
                 and (athlete is None or athlete in a["athletes"])]
        require(len(found) == 1, f"{ev} {noc} {colour} {athlete}: {len(found)} standing awards")
        return found[0]

    def revoke(award, when, source, reason, file):
        award["revoked"] = (when, source, reason)
        award["revoked_in"] = file

    when = PITERFM_DATE + DECISION
    for d in dropped:
        ev = (d["games"], d["sport"], d["event"])
        held = [a for _, a in placed if (a["games"], a["sport"], a["event"]) == ev and a["medal"] == d["medal"]
                and not a.get("revoked")]
        reason = (f"{d['medal'].capitalize()} reallocated to {', '.join(d['athletes'])} ({d['noc']}) after the NYT "
                  f"list ({d['case']}), as piterfm shows it; no source in ../shared dates the decision.")
        for a in held:
            revoke(a, when, SRC_LATE_PITERFM, reason, PITERFM_CORRECTIONS)
        award = {k: v for k, v in d.items() if k != "case"}
        award.update(recorded=when, source=SRC_LATE_PITERFM, date=days.get(ev) or span(games[d["games"]]))
        new.append((PITERFM_CORRECTIONS, award))
    for g, sport, event, noc, colour, athlete in PITERFM_WITHDRAWN:
        source = (f"{SRC_PITERFM}: shows no {colour} in this event, where the NYT list (2016) gives it to {athlete}; "
                  f"no source in ../shared dates the decision: recorded at the date of the source that reports it "
                  f"({PITERFM_DATE})")
        revoke(standing((g, sport, event), noc, colour, athlete), when, source,
               f"{athlete}'s {colour} no longer stands: piterfm (olympics.com) shows none in this event, and "
               "Olympedia's table does not count it.", PITERFM_CORRECTIONS)
    when = MODERNDIVE_DATE + DECISION
    for g, sport, event, why, revoked, awarded in MODERNDIVE_CASES:
        ev = (g, sport, event)
        source = f"{SRC_LATE_MODERNDIVE}: {why}; no source in ../shared dates the decision: recorded at its date"
        teams = {}
        for noc, colour, athlete in revoked:
            a = standing(ev, noc, colour, athlete)
            teams[noc] = a
            revoke(a, when, source, f"{noc}'s {colour} withdrawn: {why}.", MODERNDIVE_CORRECTIONS)
        for noc, colour, athletes in awarded:
            athletes = list(teams[athletes]["athletes"]) if isinstance(athletes, str) else athletes
            date = next(a["date"] for _, a in placed if (a["games"], a["sport"], a["event"]) == ev)
            new.append((MODERNDIVE_CORRECTIONS, dict(games=g, sport=sport, event=event, medal=colour, noc=noc,
                                                     athletes=athletes, title=None, recorded=when, source=source,
                                                     date=date)))
    return new


def apply_cases(awards_by_games, games, data):
    """Undo the decisions (the list's, then LATER_DECISIONS) on piterfm's state (see the docstring).

    Returns (every award of the historical Games, each with `recorded`, `date` and an optional
    `revoked` = (instant, source, reason)), and a report of what was skipped, dropped or differs.
    """
    report = dict(skipped=[], dropped=[], v2_mismatch=[])
    decisions = list_decisions(games, data, report) + LATER_DECISIONS
    everything = [a for awards in awards_by_games.values() for a in awards]
    state = collections.defaultdict(list)  # (games, sport, event) -> the awards standing as the undo goes
    for a in everything:
        state[(a["games"], a["sport"], a["event"])].append(a)
    days, ops = {}, []
    for n, case in enumerate(decisions):
        ev = (case["games"], case["sport"], case["event"])
        require(state.get(ev), f"{case['label']}: no piterfm event {ev}")
        if case["day"]:
            require(days.setdefault(ev, case["day"]) == case["day"], f"two days for {ev}")
        for noc, athlete, colour in case.get("drops", []):
            found = find_award(state[ev], noc, colour, athlete)
            state[ev].remove(found)
            everything.remove(found)
            report["dropped"].append(dict(found, case=case["label"]))
        for move in case["moves"]:
            # A team that kept its medal is re-awarded by the decision that stripped its member.
            ops.append((case["decided"] if case.get("keep_team") else case["moved"], 1, n, case, move))
        ops.append((case["decided"], 0, n, case, None))

    # Latest first; at one instant the reallocations before the stripping (the reverse of the
    # order in which they happened).
    for when, _, _, case, move in sorted(ops, key=lambda op: op[:3], reverse=True):
        ev = (case["games"], case["sport"], case["event"])
        standing = state[ev]
        source = case["source"]
        if move:
            noc, athlete, before, after = move
            if athlete in case.get("absent", []):
                require(find_award(standing, noc, after, athlete, optional=True) is None,
                        f"{case['label']}: {athlete} has the {after} medal in piterfm after all")
                new = new_award(case, after, noc, [athlete] if athlete else [],
                                f"{source} (not in piterfm: see docs/history-differences.md)")
                everything.append(new)
            else:
                new = find_award(standing, noc, after, athlete)
                standing.remove(new)
                if new["source"] == SRC_PITERFM:
                    new["source"] = f"{SRC_PITERFM}; reallocated: {source}"
            new["recorded"] = when
            if before:
                revoke = (when, source, f"Upgraded to {after} after {case['subject']} was stripped of the "
                                        f"{case['medal']} medal (reallocation of {when[:10]}).")
                if athlete in case.get("before_present", []):
                    old = find_award(standing, noc, before, athlete)  # piterfm still shows it
                else:
                    old = new_award(case, before, noc, new["athletes"], f"{SRC_PITERFM} (its {after} medal, as "
                                    f"{before} until the reallocation: {source})")
                    standing.append(old)
                    everything.append(old)
                old["revoked"] = revoke
            elif case.get("keep_team"):
                new["source"] = (f"{SRC_PITERFM}; re-awarded to the team without "
                                 f"{', '.join(case['athletes'])}: {source}")
        else:
            stripped = find_award(standing, case["noc"], case["medal"], case["athletes"][0], optional=True)
            if stripped is None:
                stripped = new_award(case, case["medal"], case["noc"], list(case["athletes"]), source)
                standing.append(stripped)
                everything.append(stripped)
            require(stripped.get("revoked") is None, f"{case['label']}: stripped twice")
            stripped["revoked"] = (when, source, case["reason"])

    for a in everything:
        ev = (a["games"], a["sport"], a["event"])
        g = games[a["games"]]
        a["date"] = days.get(ev) or span(g)
        if a.get("recorded") is None:
            a["recorded"] = close_instant(g)
            revoked = a.get("revoked")
            if revoked and revoked[0] < a["recorded"]:
                # Decided before the close: known from its event day if that is earlier, else
                # only from the decision (placed just before its revocation).
                on_day = ev in days and days[ev] + END_OF_DAY
                a["recorded"] = on_day if on_day and on_day < revoked[0] else revoked[0]
        require(a.get("revoked") is None or a["recorded"] <= a["revoked"][0], f"revoked before recorded: {a}")
    by_games = collections.defaultdict(list)
    for a in everything:
        by_games[a["games"]].append(a)
    report["days"] = days
    return by_games, report


def new_award(case, medal, noc, athletes, source):
    return dict(games=case["games"], sport=case["sport"], event=case["event"], medal=medal, noc=noc,
                athletes=list(athletes), title=None, recorded=None, source=source)


def find_award(awards, noc, colour, athlete, optional=False):
    found = [a for a in awards if a["noc"] == noc and a["medal"] == colour
             and (athlete is None or athlete in a["athletes"])]
    if optional and not found:
        return None
    require(len(found) == 1, f"{len(found)} {colour} medals of {noc} {athlete!r} in {awards[:1] and awards[0]['event']}")
    return found[0]
# ------------------------------------------------------------------------------------ day-level Games

def fold_per_athlete(rows, sport_of, medal_col, date_col="medal_date"):
    """Per-athlete rows -> one award per (discipline, event, medal, NOC), athletes in row order."""
    medals = {}
    for r in rows:
        noc, medal = r["country_code"], MEDAL_WORDS[r[medal_col]]
        key = (r["discipline"], r["event"], medal, noc)
        m = medals.setdefault(key, dict(sport=sport_of(r["discipline"]), event=r["event"], medal=medal, noc=noc,
                                        athletes=[], title=None, date=day(r[date_col])))
        require(m["date"] == day(r[date_col]), f"two days for one medal: {key}")
        name = display(r["athlete_name"], noc)
        if name not in m["athletes"]:
            m["athletes"].append(name)
    return list(medals.values())


def tokyo_olympics(data):
    rows = read_csv(data_path(data, TOKYO, "medals.csv"))
    awards = fold_per_athlete(rows, lambda d: d, "medal_type")
    counts = collections.Counter(a["medal"] for a in awards)
    require((counts["gold"], counts["silver"], counts["bronze"]) == (340, 338, 402), f"Tokyo fold {counts}")
    names = {}
    for r in rows:
        require(names.setdefault(r["country_code"], r["country"]) == r["country"], f"two names: {r}")
    for a in awards:
        a.update(games="tokyo-2020", source=SRC_TOKYO, recorded=a["date"] + END_OF_DAY)
    return awards, names


def npc_codes(data):
    """Country name of medals.csv -> NPC code, and NPC code -> official name, checked."""
    official = {row[1]: row[2] for row in read_copy_block(data_path(data, TOKYO_PARA, "tokyo_paralympics_npcs.sql"), "npcs")}
    require(len(official) == 162, f"{len(official)} NPCs in tokyo_paralympics_npcs.sql")
    table = dict(official)
    for short, code in NPC_SHORT_NAMES.items():
        require(short not in table and code in official.values(), f"NPC short name {short}")
        table[short] = code
    names = {code: name for name, code in official.items()}
    return table, names


def tokyo_paralympics(data):
    table, official = npc_codes(data)
    rows = read_csv(data_path(data, TOKYO_PARA, "medals.csv"))
    # The per-athlete rows (no dates) that check the country table and split the merged bronzes.
    sql = read_copy_block(data_path(data, TOKYO_PARA, "tokyo_paralympics_medals.sql"), "medals")
    sql_codes = collections.defaultdict(set)
    for _, _, code, name, _, _, event, medal in sql:
        sql_codes[(name, html.unescape(event), MEDAL_WORDS[medal])].add(code)
    awards, names = [], {}
    for r in rows:
        country = r["Country"]
        if country not in table:
            raise Invalid(f"{TOKYO_PARA}/medals.csv: unknown country name {country!r} (add it to NPC_SHORT_NAMES)")
        npc = table[country]
        discipline = r["Discipline"]
        require(discipline in PARA_SPORTS, f"unknown Paralympic discipline {discipline!r}")
        event, medal = html.unescape(r["event"]), MEDAL_WORDS[r["medal_type"]]
        athletes = json.loads(r["Athlete Name"])
        for name in athletes:
            require(sql_codes.get((name, event, medal)) == {npc},
                    f"{country} -> {npc} is not {sql_codes.get((name, event, medal))} for {name}, {event}")
        names[npc] = official[npc]
        base = dict(games="tokyo-2020-paralympics", sport=PARA_SPORTS[discipline], event=event, medal=medal, noc=npc,
                    title=None, date=day(r["medal_date"]), recorded=day(r["medal_date"]) + END_OF_DAY,
                    source=SRC_TOKYO_PARA)
        merged = MERGED_BRONZES.get((event, npc)) if discipline == "Table Tennis" and medal == "bronze" else None
        if merged and len(athletes) == 2:
            require(sorted(athletes) == sorted(merged[:2]), f"merged bronze {event}: {athletes}")
            for name in merged[:2]:
                source = (f"{SRC_TOKYO_PARA} (one row for two bronzes: split); per-athlete rows {merged[2]} of "
                          f"{TOKYO_PARA}/tokyo_paralympics_medals.sql; {merged[3]} ({TOKYO_PARA}/SOURCE.md)")
                awards.append(dict(base, athletes=[display(name, npc)], source=source))
            continue
        awards.append(dict(base, athletes=[display(a, npc) for a in athletes]))
    counts = collections.Counter(a["medal"] for a in awards)
    require((counts["gold"], counts["silver"], counts["bronze"]) == (539, 540, 589), f"Tokyo Paralympic fold {counts}")
    return awards, names


def beijing(data, piterfm_awards, piterfm_names):
    rows = read_csv(data_path(data, BEIJING, "medals.csv"))
    awards = fold_per_athlete(rows, lambda d: d, "medal_type")
    counts = collections.Counter(a["medal"] for a in awards)
    require((counts["gold"], counts["silver"], counts["bronze"]) == (97, 97, 98), f"Beijing fold {counts}")
    names = {}
    for r in rows:
        require(names.setdefault(r["country_code"], r["country"]) == r["country"], f"two names: {r}")
    for a in awards:
        a.update(games="beijing-2022", source=SRC_BEIJING, recorded=a["date"] + END_OF_DAY)
    disciplines = {re.sub(r"[^a-z]", "", a["sport"].lower()): a["sport"] for a in awards}
    have = {(a["sport"], a["event"], a["medal"]) for a in awards}
    later, compared = [], collections.Counter()
    for m in piterfm_awards:
        sport = disciplines[re.sub(r"[^a-z]", "", m["sport"].lower())]
        event = BEIJING_EVENT_NAMES.get((sport, m["event"]), m["event"])
        if (sport, event, m["medal"]) in have:
            compared[(sport, event, m["medal"], m["noc"])] += 1
            continue
        later.append(dict(m, sport=sport, event=event, source=f"{SRC_PITERFM} (after the Kaggle snapshot of 2022-02-18)"))
        names.setdefault(m["noc"], piterfm_names[m["noc"]])
    snapshot = collections.Counter((a["sport"], a["event"], a["medal"], a["noc"]) for a in awards)
    require(compared == snapshot, "piterfm and the Kaggle snapshot differ on a medal both have")
    counts = collections.Counter(m["medal"] for m in later)
    require((counts["gold"], counts["silver"], counts["bronze"]) == (12, 12, 11), f"Beijing after 02-18: {counts}")
    return awards, later, names


# ------------------------------------------------------------------------------------ events

def award_key(a):
    key = f"medal|{a['games']}|{a['sport']}|{a['event']}|{a['medal']}|{a['noc']}|{';'.join(sorted(a['athletes']))}"
    return key + (f"|{a['title']}" if a.get("key_title") else "")


def mark_key_collisions(awards):
    """Add participant_title to the natural key of team medals that would share one."""
    keys = collections.defaultdict(list)
    for a in awards:
        keys[award_key(a)].append(a)
    for group in keys.values():
        if len(group) > 1:
            require(all(a.get("title") for a in group), f"natural key collision: {award_key(group[0])}")
            for a in group:
                a["key_title"] = True
    return sum(len(g) for g in keys.values() if len(g) > 1)


def medal_event(a):
    require(len(a["athletes"]) <= ATHLETES_MAX, f"too many athletes: {a}")
    for name in a["athletes"]:
        check_text(name, NAME_MAX)
    a["id"] = uuid5(award_key(a))
    return {"id": a["id"], "type": "medal_awarded", "date": a["date"], "recorded": a["recorded"],
            "source": a["source"], "games": a["games"], "sport": a["sport"], "event": a["event"],
            "medal": a["medal"], "noc": a["noc"], "athletes": a["athletes"]}


def revocation_event(a):
    when, source, reason = a["revoked"]
    check_text(reason, TEXT_MAX)
    return {"id": uuid5(f"revoke|{a['id']}"), "type": "medal_revoked", "date": a["date"], "recorded": when,
            "source": source, "award": a["id"], "reason": reason}


def registration_event(games, name, opens, closes, delegations, host, season, movement, source, unranked=()):
    return {"id": uuid5(f"games|{games}"), "type": "games_registered", "date": opens, "recorded": opens + OPENING,
            "source": source, "games": games, "name": name, "closes": closes, "unranked": list(unranked),
            "delegations": dict(sorted(delegations.items())), "host": host, "season": season, "movement": movement}


def tally_event(t, file):
    """A count of medals without medallists; its key names the file, so a later count (another
    source, another file) of the same games, NOC and sport is another event, which supersedes it."""
    key = f"tally|{t['games']}|{t['noc']}|{t['sport']}|{file[:-len('.jsonl')]}"
    return {"id": uuid5(key), "type": "tally_published", "date": t["date"], "recorded": t["recorded"],
            "source": t["source"], "games": t["games"], "noc": t["noc"], "sport": t["sport"], "gold": t["gold"],
            "silver": t["silver"], "bronze": t["bronze"]}


def entrants_event(games, g, noc, sports, source, file):
    """A delegation's entrants per sport at a games, dated and recorded with its registration."""
    key = f"entrants_published|{games}|{noc}|{file[:-len('.jsonl')]}"
    return {"id": uuid5(key), "type": "entrants_published", "date": g["opens"], "recorded": g["opens"] + OPENING,
            "source": source, "games": games, "noc": noc,
            "sports": [{"sport": sport, "men": men, "women": women} for sport, men, women in sports]}


def succession_event(pred, succ, date, recorded, source, note):
    check_text(note, TEXT_MAX)
    return {"id": uuid5(f"delegation_succeeded|{pred}|{succ}"), "type": "delegation_succeeded", "date": date,
            "recorded": recorded, "source": source, "predecessor": pred, "successor": succ, "note": note}


def check_text(text, limit):
    require(isinstance(text, str) and text.strip() and len(text) <= limit, f"text empty or over {limit}: {text!r}")
    require(not any(ord(c) < 32 or ord(c) == 127 for c in text), f"control character in {text!r}")


KIND_ORDER = {"games_registered": 0, "delegation_succeeded": 1, "entrants_published": 2, "medal_awarded": 3,
              "tally_published": 4, "medal_revoked": 5}


def sort_key(ev, awards_by_id):
    a = awards_by_id[ev["award"]] if ev["type"] == "medal_revoked" else ev
    return (ev["recorded"], KIND_ORDER[ev["type"]], a.get("games", ""), a.get("sport", ""), a.get("event", ""),
            COLOURS.index(a["medal"]) if "medal" in a else 0, a.get("noc", ev.get("predecessor", "")),
            ";".join(sorted(a.get("athletes", []))), ev.get("successor", ""), ev["id"])


# ------------------------------------------------------------------------------------ assembling

HISTORY = "01-games-1896-2020.jsonl"
OBSOLETE = ["01-olympic-games-1896-2018.jsonl"]  # files this script wrote once: removed on writing
TOKYO_FILE = "02-tokyo-2020-olympics.jsonl"
TOKYO_PARA_FILE = "03-tokyo-2020-paralympics.jsonl"
BEIJING_FILE = "04-beijing-2022.jsonl"
DECISIONS_2022 = "05-decisions-2022.jsonl"
BEIJING_PARA_FILE = "06-beijing-2022-paralympics.jsonl"
PITERFM_CORRECTIONS = f"12-piterfm-{PITERFM_DATE}-corrections.jsonl"
MODERNDIVE_CORRECTIONS = f"90-olympedia-{MODERNDIVE_DATE}-corrections.jsonl"
IPC_CORRECTION = f"80-ipc-{para.CORRECTION_DATE}-tokyo-2020-paralympics.jsonl"
PARIS_DELEGATIONS = "15-paris-2024-delegations.jsonl"
PARIS_PARA_DELEGATIONS = "35-paris-2024-paralympics-delegations.jsonl"
GENERATED = "Generated by `python3 scripts/make_history_events.py` from ../shared/data; do not edit by hand."
HEADERS = {
    HISTORY: [
        "The Olympic Games 1896-2018, the Paralympic Games 1960-2018 and the Youth Olympic Games 2010-2020 as "
        "known at each close, their entrants, and the corrections as they were decided.",
        GENERATED,
        f"Inputs: {PITERFM}/olympic_medals.csv and olympic_hosts.csv, {MODERNDIVE}/edition_metadata.csv and "
        f"medal_table_summary.csv, {NYT}/stripped_data_v3.json (and rows_v2.json); {para.IPC}/"
        f"paralympicsHiraCounts.json, participationRecords.csv, gamesDetail.csv, sportsDetail.csv and "
        f"countryDetail.csv; {para.TIDY}/medals_clean.csv (see scripts/paralympic_history.py).",
        "A medal without a day is dated with its Games' span and recorded at 21:00Z on the last day; a decision "
        "at 12:00Z on its day. Same instant: registrations, successions, entrants, awards, tallies, revocations.",
        f"Paralympic medals: awards where {para.TIDY} names the medallists of an NPC in a sport and they are "
        f"the IPC's count of {para.IPC}; that count as a tally elsewhere.",
    ],
    TOKYO_FILE: [
        "Tokyo 2020 Olympic Games, medal by medal on the day it was decided (21:00Z).", GENERATED,
        f"Inputs: {TOKYO}/medals.csv (per athlete, folded per discipline, event, medal, NOC); "
        f"{MODERNDIVE}/edition_metadata.csv. Names \"Given SURNAME\" (surname first for CHN, HKG, JPN, KOR, PRK, TPE).",
        f"Entrants per NOC and sport: {para.IPC}/participationRecords.csv (Olympedia).",
    ],
    TOKYO_PARA_FILE: [
        "Tokyo 2020 Paralympic Games, medal by medal on its day (21:00Z).", GENERATED,
        f"Inputs: {TOKYO_PARA}/medals.csv (from medals.pkl), country names mapped to NPC codes with "
        "tokyo_paralympics_npcs.sql (checked against tokyo_paralympics_medals.sql).",
        "The three merged table-tennis singles bronze rows are split into two medals each (sources on each line).",
        f"Entrants per NPC and sport: {para.IPC}/paralympicsHiraCounts.json (the IPC's results database).",
    ],
    BEIJING_FILE: [
        "Beijing 2022 Olympic Winter Games: by day to 18 February, the 35 later medals without a day.", GENERATED,
        f"Inputs: {BEIJING}/medals.csv (snapshot of 2022-02-18); {PITERFM}/olympic_medals.csv for the 12 events "
        "it lacks (dated with the Games' span, recorded at the close, 2022-02-20T21:00Z).",
        f"Entrants per NOC and sport: {para.IPC}/participationRecords.csv (Olympedia).",
    ],
    BEIJING_PARA_FILE: [
        "Beijing 2022 Paralympic Winter Games: the IPC's counts per NPC and sport (no medallist named), "
        "and the entrants.", GENERATED,
        f"Inputs: {para.IPC}/paralympicsHiraCounts.json and gamesDetail.csv (see scripts/paralympic_history.py).",
    ],
    IPC_CORRECTION: [
        "Tokyo 2020 Paralympics: the track-cycling bronze that the IPC's results database (as scraped on "
        f"{para.CORRECTION_DATE}) credits to FRA, not POL.", GENERATED,
        f"Inputs: {para.IPC}/paralympicsHiraCounts.json against {TOKYO_PARA}/medals.csv (events/03-...).",
    ],
    PITERFM_CORRECTIONS: [
        "Reallocations after the NYT list (2016) that piterfm's olympic_medals.csv shows and no file here dates: "
        f"recorded at that file's date, {PITERFM_DATE} (12:00Z), as known from then.", GENERATED,
        f"Inputs: {PITERFM}/olympic_medals.csv against the state {NYT}/stripped_data_v3.json leaves.",
    ],
    MODERNDIVE_CORRECTIONS: [
        "Reallocations that olympics-current-tables-moderndive/SOURCE.md identifies and no file here dates: recorded "
        f"at its date, {MODERNDIVE_DATE} (12:00Z), as known from then.", GENERATED,
        f"Inputs: {MODERNDIVE}/SOURCE.md (its per-Games reasons) against {PITERFM}/olympic_medals.csv.",
    ],
    DECISIONS_2022: [
        "Decisions of February 2022 that ../shared/data dates: Beijing women's ski cross (2022-02-26) and the "
        "Tokyo men's 4 x 100 m relay (February 2022: recorded on the 28th).", GENERATED,
    ],
    PARIS_DELEGATIONS: ["ROC -> AIN, recorded with the Paris 2024 registration (events/20-...).", GENERATED],
    PARIS_PARA_DELEGATIONS: ["RPC -> NPA, recorded with the Paris 2024 Paralympic registration (events/40-...).",
                             GENERATED],
}
TOKYO_PARA_DAYS = ("2021-08-24", "2021-09-05")
SRC_TOKYO_PARA_DAYS = ('Jiji Press via nippon.com, "Postponed Tokyo Paralympics to Start on Aug. 24, 2021", 2020-08-03, '
                       "https://www.nippon.com/en/news/yjj2020080300312/postponed-tokyo-paralympics-to-start-on-aug-24-2021.html")
SRC_RELAY = (f'Data notes, "Tokyo 2020 Olympic Summer Games: Kaggle release" (known quirks), 2022-02, {TOKYO}/SOURCE.md: '
             "GBR's silver in the men's 4 x 100 m relay withdrawn in February 2022 after C. Ujah's doping case, "
             "CAN up to silver, CHN to bronze")
SRC_SKI_CROSS = (f'Data notes, "Beijing 2022 Olympic Winter Games: PARTIAL Kaggle snapshot", 2022-02-26, {BEIJING}/SOURCE.md: '
                 "SUI's Fanny Smith was awarded bronze on appeal on 2022-02-26; GER's Daniela Maier is still listed "
                 f"({MODERNDIVE}/SOURCE.md)")


def existing_events():
    """The events of the files of events/ that other scripts write (Paris 2024, the articles)."""
    ours = set(HEADERS)
    for name in sorted(os.listdir(EVENTS_DIR)):
        if name.endswith(".jsonl") and name not in ours:
            with open(os.path.join(EVENTS_DIR, name), encoding="utf-8") as f:
                yield [json.loads(line) for line in f if line.startswith("{")]


def delegation_name(noc, g, md_by_edition, md_latest, pf_names):
    name = md_by_edition.get((g["edition"], noc)) or md_latest.get(noc) or pf_names.get(noc)
    require(name, f"no name for {noc}")
    return name


def later_decisions_2022(tokyo_awards):
    """The Tokyo relay and the Beijing ski cross, as awards with `revoked` where revoked."""
    relay = {a["noc"]: a for a in tokyo_awards if (a["sport"], a["event"]) == ("Athletics", "Men's 4 x 100m Relay")}
    gbr, can = relay["GBR"], relay["CAN"]
    require(gbr["medal"] == "silver" and can["medal"] == "bronze" and "CHN" not in relay, "Tokyo relay as expected")
    when = "2022-02-28" + DECISION
    gbr["revoked"] = (when, SRC_RELAY, "GBR's silver withdrawn after C. Ujah's doping case (Chijindu UJAH); decision "
                      "of February 2022 (the source gives the month: recorded at its end).")
    can["revoked"] = (when, SRC_RELAY, "Upgraded to silver after GBR's silver was withdrawn (February 2022).")
    base = dict(games="tokyo-2020", sport="Athletics", event="Men's 4 x 100m Relay", date=gbr["date"], title=None,
                recorded=when, source=SRC_RELAY)
    new = [dict(base, medal="silver", noc="CAN", athletes=list(can["athletes"])),
           dict(base, medal="bronze", noc="CHN", athletes=[])]
    new.append(dict(games="beijing-2022", sport="Freestyle Skiing", event="Women's Ski Cross", medal="bronze",
                    noc="SUI", athletes=["Fanny SMITH"], title=None, date="2022-02-17",
                    recorded="2022-02-26" + DECISION, source=SRC_SKI_CROSS))
    return new


def build(data):
    games = games_days(data)
    pf_by_games, pf_names = read_piterfm(data)
    md_by_edition, md_latest = read_moderndive_names(data)
    historical = {g: a for g, a in pf_by_games.items() if g not in ("tokyo-2020", "beijing-2022")}
    hist, report = apply_cases(historical, games, data)

    tokyo, tokyo_names = tokyo_olympics(data)
    tokyo_para, para_names = tokyo_paralympics(data)
    bj_days, bj_later, bj_names = beijing(data, pf_by_games["beijing-2022"], pf_names["beijing-2022"])
    g = games["beijing-2022"]
    for a in bj_later:
        a.update(games="beijing-2022", date=span(g), recorded=close_instant(g))
    decisions = later_decisions_2022(tokyo)

    extra = paralympic_and_youth(data, games, tokyo_para)

    placed = []  # (file, award)
    placed += [(HISTORY, a) for awards in hist.values() for a in awards]
    placed += [(TOKYO_FILE, a) for a in tokyo] + [(TOKYO_PARA_FILE, a) for a in tokyo_para]
    placed += [(BEIJING_FILE, a) for a in bj_days + bj_later] + [(DECISIONS_2022, a) for a in decisions]
    placed += extra["awards"]
    placed += late_corrections(placed, report["dropped"], games, report["days"])
    collisions = mark_key_collisions([a for _, a in placed])

    out = collections.defaultdict(list)
    registered = {}
    for slug, g in games.items():
        if slug in ("tokyo-2020", "beijing-2022"):
            continue
        nocs = {a["noc"] for a in hist[slug]} | {a["noc"] for _, a in placed if a["games"] == slug}
        delegations = {noc: delegation_name(noc, g, md_by_edition, md_latest, pf_names[slug]) for noc in nocs}
        out[HISTORY].append(registration_event(slug, g["name"], g["opens"], g["closes"], delegations, g["host"],
                                               g["season"], "olympic", g["source"]))
    g = games["tokyo-2020"]
    out[TOKYO_FILE].append(registration_event("tokyo-2020", g["name"], g["opens"], g["closes"], tokyo_names,
                                              g["host"], "summer", "olympic", g["source"]))
    out[TOKYO_PARA_FILE].append(registration_event(
        "tokyo-2020-paralympics", "Tokyo 2020 Paralympic Games", *TOKYO_PARA_DAYS, para_names, "JPN", "summer",
        "paralympic", f"{SRC_TOKYO_PARA_DAYS}; names: {TOKYO_PARA}/tokyo_paralympics_npcs.sql"))
    g = games["beijing-2022"]
    out[BEIJING_FILE].append(registration_event("beijing-2022", g["name"], g["opens"], g["closes"],
                                                bj_names,
                                                g["host"], "winter", "olympic", g["source"]))
    for file, events in extra["events"].items():
        out[file] += events
    for events in [*out.values(), *existing_events()]:
        for ev in events:
            if ev["type"] == "games_registered":
                registered[ev["games"]] = ev["recorded"]

    for file, a in placed:
        out[file].append(medal_event(a))
    for file, a in placed:
        if a.get("revoked"):
            later = a.get("revoked_in") or DECISIONS_2022
            out[file if a["revoked"][0] < "2022-02-21" else later].append(revocation_event(a))

    files_of = {"paris-2024": PARIS_DELEGATIONS, "paris-2024-paralympics": PARIS_PARA_DELEGATIONS,
                "tokyo-2020": TOKYO_FILE, "tokyo-2020-paralympics": TOKYO_PARA_FILE}
    for pred, succ, date, anchor, key, note in SUCCESSIONS:
        source = (f'{SRC_TABLES} (note on {key}: "{SUCCESSION_SOURCES[key]}")' if key
                  else SUCCESSION_OTHER_SOURCES[anchor])
        out[files_of.get(anchor, HISTORY)].append(
            succession_event(pred, succ, date, registered[anchor], source, note))

    awards_by_id = {ev["id"]: ev for events in out.values() for ev in events if ev["type"] == "medal_awarded"}
    for events in out.values():
        events.sort(key=lambda ev: sort_key(ev, awards_by_id))
    report.update(collisions=collisions, disagreements=extra["disagreements"])
    return out, report


def paralympic_and_youth(data, olympic_games, tokyo_para):
    """The Paralympic Games 1960-2022 (but Tokyo 2020's medals), the Youth Olympic Games 2010-2020,
    the entrants of every Games to 2022, and the Tokyo 2020 Paralympic correction, from
    scripts/paralympic_history.py: {"awards": [(file, award)], "events": {file: [events]},
    "disagreements": [...]}."""
    counts = para.hira(data)
    per_games, disagreements = para.para_medals(data, counts, display)
    entrants, youth_tallies, skipped, rows = para.olympic_and_youth(data, set(olympic_games))
    require(not skipped, f"Olympic Games not in events/: {sorted(skipped)}")
    para.check_paralympic_rows(rows, counts)
    names = {r["code"]: r["name"] for r in para.read_padded(data_path(data, para.IPC, "countryDetail.csv"))}
    names["MIX"] = "Mixed team"
    awards, events = [], collections.defaultdict(list)

    def file_of(g):
        return HISTORY if g["closes"] < "2021" else BEIJING_PARA_FILE

    def register(g, movement, medallists, unranked=()):
        delegations = {noc: names[noc] for noc in medallists}
        events[file_of(g)].append(registration_event(g["slug"], g["name"], g["opens"], g["closes"], delegations,
                                                     g["host"], g["season"], movement, g["source"], unranked))

    def tallies(g, counted, source):
        for t in counted:
            t = dict(t, games=g["slug"], date=span(g), recorded=close_instant(g), source=source)
            events[file_of(g)].append(tally_event(t, file_of(g)))

    slugs = {}
    for g in para.para_games(data):
        slugs[g["key"]] = g
        named, counted = per_games[g["key"]]
        register(g, "paralympic", {a["noc"] for a in named} | {t["noc"] for t in counted})
        # Its medals of this NPC and sport are the IPC's count (the file's header says so).
        source = para.SRC_TIDY
        for a in named:
            awards.append((file_of(g), dict(a, games=g["slug"], date=span(g), recorded=close_instant(g),
                                            source=source)))
        tallies(g, counted, para.SRC_IPC)
    for g in para.youth_games(data):
        slugs[g["key"]] = g
        counted = youth_tallies[g["slug"]]
        register(g, "youth", {t["noc"] for t in counted}, unranked=["MIX"])
        tallies(g, counted, para.SRC_OLYMPEDIA)

    # Entrants, with each Games' registration (Tokyo 2020 and Beijing 2022: their own files).
    days = {g["slug"]: (g, file_of(g)) for g in slugs.values()}
    days.update({slug: (g, HISTORY) for slug, g in olympic_games.items()})
    days["tokyo-2020"] = (olympic_games["tokyo-2020"], TOKYO_FILE)
    days["beijing-2022"] = (olympic_games["beijing-2022"], BEIJING_FILE)
    days["tokyo-2020-paralympics"] = (dict(opens=TOKYO_PARA_DAYS[0]), TOKYO_PARA_FILE)
    for (key, noc), sports in para.entrants_from_counts(counts).items():
        slug = para.PARA_ELSEWHERE.get(key) or slugs[key]["slug"]
        g, file = days[slug]
        events[file].append(entrants_event(slug, g, noc, sports, para.SRC_IPC, file))
    for (slug, noc), sports in entrants.items():
        g, file = days[slug]
        youth = slug.endswith("-youth")
        events[file].append(entrants_event(slug, g, noc, sports, para.SRC_OLYMPEDIA, file))
        require(youth or slug in olympic_games, f"entrants of {slug}")

    # Tokyo 2020: the one bronze the IPC credits to another NPC (see scripts/paralympic_history.py).
    pol = para.tokyo_correction(counts, tokyo_para)
    when = para.CORRECTION_DATE + DECISION
    source = (f"{para.SRC_IPC}: FRA 2-1-3 and POL no medal in Para Cycling Track, where {TOKYO_PARA}/medals.csv "
              "(olympics.com, 2021) has POL's bronze; no source in ../shared dates the decision: recorded at the "
              "date of the source that reports it")
    pol["revoked"] = (when, source, f"{pol['sport']}, {pol['event']}: the IPC's results database no longer "
                                    f"credits POL with this bronze ({pol['athletes'][0]}); it counts one more "
                                    "for FRA in track cycling.")
    pol["revoked_in"] = IPC_CORRECTION
    awards.append((IPC_CORRECTION, dict(pol, noc="FRA", athletes=[], title=None, recorded=when, source=(
        f"{source}. The bronze of this event, the only track-cycling event left without one; its athletes are "
        "named by no source here"), revoked=None, revoked_in=None)))
    return dict(awards=awards, events=events, disagreements=disagreements)


# ------------------------------------------------------------------------------------ output

def render(name, events):
    lines = [f"# {line}" for line in HEADERS[name]]
    lines += [json.dumps(with_recorder(ev, "scripts/make_history_events.py"), ensure_ascii=False, separators=(",", ":"))
              for ev in events]
    return "\n".join(lines) + "\n"


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def date_bounds(date):
    """First and last day of a date or span."""
    if "/" in date:
        first, last = date.split("/")
        require(DATE_RE.match(first) and DATE_RE.match(last), f"span {date}")
        a, b = parse_day(first), parse_day(last)
        require(a < b and (b - a).days <= SPAN_DAYS_MAX, f"span {date}")
        return first, last
    if DATE_RE.match(date):
        parse_day(date)
        return date, date
    require(re.fullmatch(r"\d{4}", date), f"date {date}")
    return f"{date}-01-01", f"{date}-12-31"


def validate(texts):
    """Re-read every events/ file (the new texts, the others from disk) in name order."""
    games, awards, revoked, ids, last = {}, {}, set(), set(), ("", "")
    for name in sorted(texts):
        for n, line in enumerate(texts[name].split("\n"), 1):
            if not line or line.startswith("#"):
                continue
            ev = json.loads(line)
            where = f"{name}:{n}"
            require(ev["id"] not in ids, f"{where}: id twice")
            ids.add(ev["id"])
            require(ev.get("recorded", last[0]) >= last[0], f"{where}: recorded goes back from {last}")
            last = (ev.get("recorded", last[0]), where)
            require(1800 <= int(ev["date"][:4]) <= 2199, f"{where}: year")
            first, final = date_bounds(ev["date"])
            if ev["type"] == "games_registered":
                games[ev["games"]] = (ev["date"], ev["closes"])
            elif ev["type"] in ("medal_awarded", "tally_published", "entrants_published", "athletes_entered"):
                opens, closes = games[ev["games"]]
                require(opens <= first and final <= closes, f"{where}: {ev['type']} outside its games")
                if ev["type"] == "medal_awarded":
                    awards[ev["id"]] = ev
            elif ev["type"] == "medal_revoked":
                award = awards.get(ev["award"])
                require(award is not None, f"{where}: revokes an unknown award")
                require(ev["award"] not in revoked, f"{where}: revoked twice")
                require(award["recorded"] <= ev["recorded"] and award["date"] == ev["date"],
                        f"{where}: revocation before its award or not dated back to it")
                revoked.add(ev["award"])
    return len(ids)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file differs")
    args = ap.parse_args()
    try:
        out, report = build(DATA_DIR)
        texts = {name: render(name, events) for name, events in sorted(out.items())}
        on_disk = {p: open(os.path.join(EVENTS_DIR, p), encoding="utf-8").read()
                   for p in sorted(os.listdir(EVENTS_DIR)) if p.endswith(".jsonl") and p not in OBSOLETE}
        total = validate({**on_disk, **texts})
    except Invalid as e:
        sys.exit(f"error: {e}")
    stale = []
    for name in OBSOLETE:
        path = os.path.join(EVENTS_DIR, name)
        if os.path.exists(path):
            if args.check:
                stale.append(f"{name} (to be removed)")
            else:
                os.remove(path)
                print(f"removed events/{name}")
    for name, text in texts.items():
        path = os.path.join(EVENTS_DIR, name)
        if args.check:
            if on_disk.get(name) != text:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        kinds = collections.Counter(ev["type"] for ev in out[name])
        print(f"{'checked' if args.check else 'wrote'} events/{name}: {len(out[name])} events "
              f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"Paralympic cells where TidyTuesday's medallists disagree with the IPC's count (tallies): "
          f"{len(report['disagreements'])}")
    print(f"events/ holds {total} events; natural keys given a participant_title: {report['collisions']}; "
          f"list records without an event: {len(report['skipped'])}; piterfm medals recorded at its date "
          f"({PITERFM_DATE}), after the list's state: {len(report['dropped'])}")
    if stale:
        sys.exit(f"error: out of date: {', '.join(stale)} (run without --check)")


if __name__ == "__main__":
    main()
