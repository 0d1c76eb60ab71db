#!/usr/bin/env python3
"""Generate podium events (JSON Lines, docs/format.md) from the five news articles.

    python3 scripts/make_article_events.py           # (re)write events/{10,30,50,60,70}-*.jsonl
    python3 scripts/make_article_events.py --check   # write nothing; fail if the files on disk differ
    python3 scripts/make_article_events.py --check --extract target/release/podium
                                                     # also compare each article's claims with what
                                                     # `podium extract` reads from its seed text

Python 3.11, standard library only. The facts are hand-extracted from ../shared/seeds/*.txt
and kept below as plain Python data, one list of dicts per article; this script only adds the
ids, dates, recorded times and sources, orders the fields, validates and writes. Running it twice
gives identical bytes.

Conventions (also in the `#` header of each file):
- recorded: the article's publication instant in UTC (00:00..23:59 local time given -> converted);
  when the article gives no time: 12:00:00Z, except the Idman.biz article of 2024-09-08 which is
  put at 22:00:00Z so that it sorts after the Paralympic medal file (last recorded 21:00:00Z).
- date: an event without its own `date` gets the article's publication day. That is the case for
  every meeting (no article names the day of its meeting) and for every office a person holds
  when no start year is given ("as known on the publication day"). Year-only facts keep year
  precision ("1991").
- claims: `athlete` is the spelling of the medal records ("Given SURNAME"); the article's own
  spelling stays in `quote`. Paralympic sports use the medal files' names ("Para Athletics", ...).
  A past title mentioned in passing ("won gold at Tokyo 2020", "Tokyo 2020 bronze medalist") is
  bound at_least 1; a result at Paris is exact. Forecasts are kept as claims and say "expected"
  in their quote (see 004).
- person_identified: only for spellings that differ from the medal record beyond letter case
  (the records write the surname in capitals). Emitted in each file that brings a new spelling,
  with every non-canonical spelling seen up to and including that article, so each event is
  complete as of its recorded time and a union or a latest-wins reading gives the same answer.
- natural key for ids: "{type}|{events file stem}|{distinguishing text}"; games_registered:
  "games|{games}" (docs/format.md).
"""

import argparse
import datetime as dt
import json
import re
import sys
import uuid
from pathlib import Path

NAMESPACE = uuid.UUID("2f9c4d1e-7a53-5b8e-9c61-0d4e8a7b3f12")
ROOT = Path(__file__).resolve().parent.parent
EVENTS_DIR = ROOT / "events"

# Field order of each kind, as podium writes it (src/event.rs); optional fields are left out when
# they are None. Every kind's fields must be exactly these.
KIND_FIELDS = {
    "games_registered": ("games", "name", "closes", "unranked", "delegations", "host"),
    "meeting_held": ("participants", "place", "subject"),
    "membership_began": ("member", "organisation", "role"),
    "membership_ended": ("member", "organisation", "role"),
    "person_identified": ("name", "aliases", "noc"),
    "claim": ("games", "noc", "figure", "value", "bound", "sport", "athlete", "quote"),
}
REQUIRED = {
    "games_registered": ("games", "name", "closes", "unranked"),
    "meeting_held": ("participants", "place", "subject"),
    "membership_began": ("member", "organisation"),
    "membership_ended": ("member", "organisation"),
    "person_identified": ("name", "aliases"),
    "claim": ("games", "noc", "figure", "value"),
}
PARTICIPANT_FIELDS = ("name", "role", "body")
FIGURES = {"gold", "silver", "bronze", "total", "rank", "athletes", "sports", "medallists", "total_before"}
BOUNDS = {"exact", "at_most", "at_least"}

# Names used the same way in every file.
AZE_NPC = "Azerbaijan National Paralympic Committee"
AZE_NOC = "Azerbaijan National Olympic Committee"
MINYS = "Ministry of Youth and Sports (Azerbaijan)"
ICESCO = "Islamic World Educational, Scientific and Cultural Organization (ICESCO)"
P24 = "paris-2024"
P24P = "paris-2024-paralympics"
T20P = "tokyo-2020-paralympics"
A04P = "athens-2004-paralympics"


# ---------------------------------------------------------------------------------------------
# 004 -> 10: Azernews, 2023-03-22. Azerbaijan NPC meets the Paris 2024 Organizing Committee.
# ---------------------------------------------------------------------------------------------
Q004_TOKYO = (
    "The president of the committee said that at the last Summer Paralympic Games held in Tokyo, "
    "the Azerbaijani team won a total of 19 medals, including 14 gold, 1 silver, and 4 bronze, and "
    "finished in the top ten."
)
Q004_EXPECTED = (
    "It was stated at the meeting that the Azerbaijan national team is expected to be represented "
    "by 50 athletes in 8 sports in Paris 2024."
)
Q004_RAHIMOV = (
    "The President of Azerbaijan National Paralympic Committee, Vice-President of the International "
    "Blind Sports Federation (IBSA) Ilgar Rahimov gave detailed information about the development "
    "of the Paralympic movement in Azerbaijan, achievements, and future work in the meeting."
)

ARTICLE_004 = [
    {
        "type": "meeting_held",
        # The article (2023-03-22) says "met" without a day: dated on the publication day.
        "participants": [
            {"name": "Ilgar Rahimov",
             "role": "President (also Vice-President of the International Blind Sports Federation (IBSA))",
             "body": AZE_NPC},
            {"name": "Sophie Lorant", "role": "Head of international relations",
             "body": "Paris 2024 Organizing Committee"},
            {"name": "Jean Minier", "role": "Sports director",
             "body": "French National Paralympic Committee"},
        ],
        "place": "Office of the Organizing Committee of the Paris 2024 Summer Olympic and "
                 "Paralympic Games, Paris, France",
        "subject": "The Azerbaijan National Paralympic Committee met members of the Paris 2024 "
                   "Organizing Committee: development, achievements and future work of the "
                   "Paralympic movement in Azerbaijan; IBSA's activities and conditions for "
                   "visually impaired athletes at the games; a presentation on the Paris 2024 "
                   "Summer Paralympic Games; future cooperation (the French National Paralympic "
                   "Committee is interested in exchanging experience).",
    },
    # Offices as known on 2023-03-22; the article gives no start dates.
    {"type": "membership_began", "member": "Ilgar Rahimov", "organisation": AZE_NPC,
     "role": "President", "_note": Q004_RAHIMOV},
    {"type": "membership_began", "member": "Ilgar Rahimov",
     "organisation": "International Blind Sports Federation (IBSA)", "role": "Vice-President"},
    {"type": "membership_began", "member": "Sophie Lorant",
     "organisation": "Paris 2024 Organizing Committee", "role": "Head of international relations"},
    {"type": "membership_began", "member": "Jean Minier",
     "organisation": "French National Paralympic Committee", "role": "Sports director"},
    # Tokyo 2020 Paralympics, as stated by Ilgar Rahimov ("the last Summer Paralympic Games held
    # in Tokyo"). Contradicted by 002 (14 = 4-4-6).
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "total", "value": 19, "quote": Q004_TOKYO},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "gold", "value": 14, "quote": Q004_TOKYO},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "silver", "value": 1, "quote": Q004_TOKYO},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "bronze", "value": 4, "quote": Q004_TOKYO},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "rank", "value": 10, "bound": "at_most",
     "quote": Q004_TOKYO},
    # A FORECAST, 17 months before the games: "is expected to be represented by 50 athletes in
    # 8 sports". The format has no way to mark a forecast; the quote says "expected". The actual
    # team (002, 003): 18 athletes in 7 sports.
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "athletes", "value": 50,
     "quote": Q004_EXPECTED},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "sports", "value": 8,
     "quote": Q004_EXPECTED},
]


# ---------------------------------------------------------------------------------------------
# 000 -> 30: Azernews, 2024-08-13 17:56 (UTC+04:00). ICESCO congratulates the medallists.
# ---------------------------------------------------------------------------------------------
Q000_TEAM = "Note that Azerbaijani team was represented by 48 athletes in 15 sports."
Q000_MEDALS = ("The national team secured a total of seven medals, including two gold, two silver "
               "and three bronze.")
Q000_RANK = "As a result, the country took 30th position on the overall medal tally."
Q000_GOLD = ("The gold medalist from Azerbaijan were judokas Hidayat Heydarov (73 kg) and Zelym "
             "Kotsoiev (100 kg).")
Q000_SILVER = ("Taekwondo fighter Gashim Magomedov (58 kg) and boxer Alfonso Dominguez (92 kg) "
               "enriched the country's medal haul with silver medals.")
Q000_BRONZE = ("Azerbaijan also celebrated its bronze medal winners, who included Greco-Roman "
               "wrestler Hasrat Jafarov (67 kg) as well as freestyle wrestlers Magomedkhan "
               "Magomedov ( 97 kg) and Georgiy Meshvildishvili (125 kg).")

ARTICLE_000 = [
    {"type": "membership_began", "date": "1991", "member": "AZE", "organisation": ICESCO,
     "_note": "With its rich cultural legacy, Azerbaijan joined the Islamic World Educational, "
              "Scientific, and Cultural Organisation (ICESCO) in 1991."},
    # A designation for one year, kept as a membership-like fact (year precision).
    {"type": "membership_began", "date": "2024", "member": "Shusha",
     "organisation": "Cultural Capitals of the Islamic World",
     "role": "Cultural Capital of the Islamic World for 2024",
     "_note": "Moreover, Shusha city has been designated as the Cultural Capital of the Islamic "
              "World for 2024."},
    {"type": "person_identified", "name": "Loren Berto ALFONSO DOMINGUEZ",
     "aliases": ["Alfonso Dominguez"], "noc": "AZE"},
    {"type": "person_identified", "name": "Giorgi MESHVILDISHVILI",
     "aliases": ["Georgiy Meshvildishvili"], "noc": "AZE"},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "athletes", "value": 48, "quote": Q000_TEAM},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "sports", "value": 15, "quote": Q000_TEAM},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "total", "value": 7, "quote": Q000_MEDALS},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "gold", "value": 2, "quote": Q000_MEDALS},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "silver", "value": 2, "quote": Q000_MEDALS},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "bronze", "value": 3, "quote": Q000_MEDALS},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "rank", "value": 30, "quote": Q000_RANK},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "gold", "value": 1, "sport": "Judo",
     "athlete": "Hidayat HEYDAROV", "quote": Q000_GOLD},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "gold", "value": 1, "sport": "Judo",
     "athlete": "Zelym KOTSOIEV", "quote": Q000_GOLD},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "silver", "value": 1, "sport": "Taekwondo",
     "athlete": "Gashim MAGOMEDOV", "quote": Q000_SILVER},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "silver", "value": 1, "sport": "Boxing",
     "athlete": "Loren Berto ALFONSO DOMINGUEZ", "quote": Q000_SILVER},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "bronze", "value": 1, "sport": "Wrestling",
     "athlete": "Hasrat JAFAROV", "quote": Q000_BRONZE},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "bronze", "value": 1, "sport": "Wrestling",
     "athlete": "Magomedkhan MAGOMEDOV", "quote": Q000_BRONZE},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "bronze", "value": 1, "sport": "Wrestling",
     "athlete": "Giorgi MESHVILDISHVILI", "quote": Q000_BRONZE},
]


# ---------------------------------------------------------------------------------------------
# 003 -> 50: Idman.biz (Rasim), 2024-09-08. "Paris 2024: a total of 11 medals, including 4 gold".
# The headline's 11 and 4 are the same figures as the body's; one claim each (body quote).
# ---------------------------------------------------------------------------------------------
Q003_OLY = ("We were happy that Azerbaijan took 30th place in the overall score for the first time "
            "in the history of the Paris 2024 Summer Olympic Games with 2 gold, 2 silver and 3 "
            "bronze medals.")
Q003_PARA = ("Azerbaijani Paralympians also spoke with 11 medals at Paris 2024. Thanks to the fact "
             "that 4 of the medals were gold, 2 were silver and 5 were bronze, Azerbaijan rose to "
             "the 28th place overall.")
Q003_TEAM = ("We are proud to emphasize that a total of 18 of Azerbaijani Paralympians competed in "
             "seven sports for the first time, and eight of them were among the prize winners.")
Q003_SPORTS = ("The figures show that we won 3 gold and 1 silver medals in athletics, 1 silver and 3 "
               "bronze medals in swimming, 1 bronze medal in judo, and 1 gold and 1 bronze medal in "
               "taekwondo for the first time.")
Q003_EARLIER = ("The figures show that we won 3 gold and 1 silver medals in athletics, 1 silver and 3 "
                "bronze medals in swimming, 1 bronze medal in judo, and 1 gold and 1 bronze medal in "
                "taekwondo for the first time. Let's remind you that earlier we had medals in shooting "
                "and powerlifting.")
Q003_VALIYEVA = ("Especially the results of the star of para-athletics Lamiya Valiyeva in the 100 and "
                 "400 m races are noteworthy: the 22-year-old athlete won 1 gold and 1 silver medal "
                 "this time, as in Tokyo 2020.")
Q003_SALEY = ("Swimmer Raman Saley added three more (1 silver and 2 bronze) to his previous 4 "
              "Paralympic medals.")
Q003_ZAKIYEV = ("The legendary Ilham Zakiyev enriched his collection of 4 Paralympic medals with "
                "another bronze award. The 44-year-old judoka won his first gold medal in Athens-2004.")
Q003_NAJAFZADE = ("Tokyo 2020 bronze medalist Said Najafzade improved his performance in the long "
                  "jump and became the Paralympic champion this time.")
Q003_ISRAFILOV = ("On the other hand, swimmer Vali Israfilov won gold at Tokyo 2020, but this time he "
                  "settled for bronze.")
Q003_TKD = ("Taekwondo players Imadaddin Khalilov and Sabir Zeynalov have climbed to the highest and "
            "third level of the podium, respectively, for the first time at the Paralympic Games - "
            "Azerbaijani bronze medalist is only 19 years old!")

ARTICLE_003 = [
    {"type": "person_identified", "name": "Raman SALEI", "aliases": ["Raman Saley"], "noc": "AZE"},
    {"type": "person_identified", "name": "Imamaddin KHALILOV", "aliases": ["Imadaddin Khalilov"],
     "noc": "AZE"},
    # Olympics
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "rank", "value": 30, "quote": Q003_OLY},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "gold", "value": 2, "quote": Q003_OLY},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "silver", "value": 2, "quote": Q003_OLY},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "bronze", "value": 3, "quote": Q003_OLY},
    # Paralympics, team
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "total", "value": 11, "quote": Q003_PARA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 4, "quote": Q003_PARA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 2, "quote": Q003_PARA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 5, "quote": Q003_PARA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "rank", "value": 28, "quote": Q003_PARA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "athletes", "value": 18, "quote": Q003_TEAM},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "sports", "value": 7, "quote": Q003_TEAM},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "medallists", "value": 8, "quote": Q003_TEAM},
    # Paralympics, per sport
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 3,
     "sport": "Para Athletics", "quote": Q003_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 1,
     "sport": "Para Athletics", "quote": Q003_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 1,
     "sport": "Para Swimming", "quote": Q003_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 3,
     "sport": "Para Swimming", "quote": Q003_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1,
     "sport": "Para Judo", "quote": Q003_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 1,
     "sport": "Para Taekwondo", "quote": Q003_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1,
     "sport": "Para Taekwondo", "quote": Q003_SPORTS},
    # "Earlier" (at the summer Paralympic Games before Paris 2024): total_before, at least one medal.
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "total_before", "value": 1, "bound": "at_least",
     "sport": "Shooting Para Sport", "quote": Q003_EARLIER},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "total_before", "value": 1, "bound": "at_least",
     "sport": "Para Powerlifting", "quote": Q003_EARLIER},
    # Paralympics, per athlete
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 1,
     "sport": "Para Athletics", "athlete": "Lamiya VALIYEVA", "quote": Q003_VALIYEVA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 1,
     "sport": "Para Athletics", "athlete": "Lamiya VALIYEVA", "quote": Q003_VALIYEVA},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "gold", "value": 1,
     "sport": "Para Athletics", "athlete": "Lamiya VALIYEVA", "quote": Q003_VALIYEVA},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "silver", "value": 1,
     "sport": "Para Athletics", "athlete": "Lamiya VALIYEVA", "quote": Q003_VALIYEVA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "total", "value": 3,
     "sport": "Para Swimming", "athlete": "Raman SALEI", "quote": Q003_SALEY},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 1,
     "sport": "Para Swimming", "athlete": "Raman SALEI", "quote": Q003_SALEY},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 2,
     "sport": "Para Swimming", "athlete": "Raman SALEI", "quote": Q003_SALEY},
    # "Swimmer Raman Saley ... his previous 4 Paralympic medals": swimming medals before Paris.
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "total_before", "value": 4,
     "sport": "Para Swimming", "athlete": "Raman SALEI", "quote": Q003_SALEY},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1,
     "sport": "Para Judo", "athlete": "Ilham ZAKIYEV", "quote": Q003_ZAKIYEV},
    {"type": "claim", "games": A04P, "noc": "AZE", "figure": "gold", "value": 1, "bound": "at_least",
     "sport": "Para Judo", "athlete": "Ilham ZAKIYEV", "quote": Q003_ZAKIYEV},
    # "Ilham Zakiyev enriched his collection of 4 Paralympic medals": the judoka's, before Paris.
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "total_before", "value": 4,
     "sport": "Para Judo", "athlete": "Ilham ZAKIYEV", "quote": Q003_ZAKIYEV},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "bronze", "value": 1, "bound": "at_least",
     "sport": "Para Athletics", "athlete": "Said NAJAFZADE", "quote": Q003_NAJAFZADE},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 1,
     "sport": "Para Athletics", "athlete": "Said NAJAFZADE", "quote": Q003_NAJAFZADE},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "gold", "value": 1, "bound": "at_least",
     "sport": "Para Swimming", "athlete": "Vali ISRAFILOV", "quote": Q003_ISRAFILOV},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1,
     "sport": "Para Swimming", "athlete": "Vali ISRAFILOV", "quote": Q003_ISRAFILOV},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 1,
     "sport": "Para Taekwondo", "athlete": "Imamaddin KHALILOV", "quote": Q003_TKD},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1,
     "sport": "Para Taekwondo", "athlete": "Sabir ZEYNALOV", "quote": Q003_TKD},
]


# ---------------------------------------------------------------------------------------------
# 002 -> 60: MENAFN (AzerNews), 2024-09-17. The minister meets the Paralympians.
# ---------------------------------------------------------------------------------------------
Q002_TEAM = ("The Azerbaijani team, comprising 18 members, achieved remarkable success, winning a "
             "total of 11 medals: 4 gold, 2 silver, and 5 bronze.")
Q002_RANK = ("This impressive performance propelled them to the 28th place overall in the overall "
             "standings.")
Q002_SPORTS = ("In athletics, Azerbaijani athletes won 3 gold and 1 silver medals, while in swimming, "
               "they secured 1 silver and 3 bronze medals.")
Q002_JUDO_TKD = "Judo and taekwondo also saw Azerbaijani athletes claiming bronze medals."
Q002_VALIYEVA = "Para-athlete Lamiya Valiyeva won gold and silver medals in the 100 and 400 m races."
Q002_SALEH = ("Orkhan Aslanov, a two-time Paralympic champion in the long jump, continued his "
              "impressive form, while swimmer Roman Saleh added three more medals to his collection, "
              "bringing his total to 7 Paralympic medals.")
Q002_ZAKIYEV_NAJAFZADE = (
    "Ilham Zakiyev, a legendary judoka who won his first gold medal in Athens-2004, added another "
    "bronze medal to his collection, while Said Najafzade improved his performance in the long jump "
    "to become the Paralympic champion.")
Q002_ISRAFILOV = "Vali Israfilov, who won gold at Tokyo 2020, settled for bronze this time around."
Q002_TKD = ("In taekwondo, Imadaddin Khalilov and Sabir Zeynalov made their Paralympic debuts by "
            "claiming gold and bronze medals respectively.")
Q002_TOKYO = ("The Azerbaijani Paralympic team has made significant progress since the Tokyo 2020 "
              "Games, where they won 14 medals including 4 gold, 4 silver, and 6 bronze.")

ARTICLE_002 = [
    {
        "type": "meeting_held",
        # The article (2024-09-17) says "has met" without a day: dated on the publication day.
        "participants": [
            {"name": "Farid Gayibov", "role": "Minister of Youth and Sports", "body": MINYS},
            {"name": "Mariana Vasileva", "role": "Deputy Minister", "body": MINYS},
            {"name": "Hidayat Abdullayev", "role": "President", "body": AZE_NPC},
            {"name": "Fuad Hajiyev",
             "role": "Vice-President (also Rector of the Azerbaijan Sports Academy)", "body": AZE_NPC},
            {"name": "Athletes and coaches of the Azerbaijani national team at the Paris 2024 "
                     "Paralympic Games",
             "body": "Azerbaijan Paralympic team"},
        ],
        "place": "Azerbaijan Sports Academy",
        "subject": "The Minister of Youth and Sports met the athletes and coaches of the Azerbaijani "
                   "team of the 17th Summer Paralympic Games in Paris to congratulate them on their "
                   "results: a video of the medal-winning performances, remarks by the Deputy "
                   "Minister and by the President and Vice-President of the National Paralympic "
                   "Committee, and a dialogue in which the athletes shared their experiences and "
                   "their goals for Los Angeles 2028.",
    },
    # Offices as known on 2024-09-17; the article gives no start dates. The NPC presidency
    # contradicts 004 (Ilgar Rahimov, 2023-03-22); recorded as the article says it.
    {"type": "membership_began", "member": "Farid Gayibov", "organisation": MINYS, "role": "Minister"},
    {"type": "membership_began", "member": "Mariana Vasileva", "organisation": MINYS,
     "role": "Deputy Minister"},
    {"type": "membership_began", "member": "Hidayat Abdullayev", "organisation": AZE_NPC,
     "role": "President"},
    {"type": "membership_began", "member": "Fuad Hajiyev", "organisation": AZE_NPC,
     "role": "Vice-President"},
    {"type": "membership_began", "member": "Fuad Hajiyev", "organisation": "Azerbaijan Sports Academy",
     "role": "Rector"},
    {"type": "membership_began", "member": "Ilham Aliyev", "organisation": "Republic of Azerbaijan",
     "role": "President"},
    {"type": "membership_began", "member": "Mehriban Aliyeva", "organisation": "Republic of Azerbaijan",
     "role": "First Vice-President"},
    # Spellings: "Faris Gayibov" once (next to "Farid"); "Roman Saleh"; "Veli Israfilov" next to
    # "Vali Israfilov". "Imadaddin"/"Imamaddin Khalilov" brings nothing new after 003.
    {"type": "person_identified", "name": "Farid Gayibov", "aliases": ["Faris Gayibov"], "noc": "AZE"},
    {"type": "person_identified", "name": "Raman SALEI", "aliases": ["Raman Saley", "Roman Saleh"],
     "noc": "AZE"},
    {"type": "person_identified", "name": "Vali ISRAFILOV", "aliases": ["Veli Israfilov"], "noc": "AZE"},
    # Paralympics, team
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "athletes", "value": 18, "quote": Q002_TEAM},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "total", "value": 11, "quote": Q002_TEAM},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 4, "quote": Q002_TEAM},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 2, "quote": Q002_TEAM},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 5, "quote": Q002_TEAM},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "rank", "value": 28, "quote": Q002_RANK},
    # Paralympics, per sport ("athletics", "swimming", ... = the Para sports of the medal files)
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 3,
     "sport": "Para Athletics", "quote": Q002_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 1,
     "sport": "Para Athletics", "quote": Q002_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 1,
     "sport": "Para Swimming", "quote": Q002_SPORTS},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 3,
     "sport": "Para Swimming", "quote": Q002_SPORTS},
    # "claiming bronze medals" in judo and taekwondo: no count, so at least one each.
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1, "bound": "at_least",
     "sport": "Para Judo", "quote": Q002_JUDO_TKD},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1, "bound": "at_least",
     "sport": "Para Taekwondo", "quote": Q002_JUDO_TKD},
    # Paralympics, per athlete
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 1,
     "sport": "Para Athletics", "athlete": "Lamiya VALIYEVA", "quote": Q002_VALIYEVA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "silver", "value": 1,
     "sport": "Para Athletics", "athlete": "Lamiya VALIYEVA", "quote": Q002_VALIYEVA},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "total", "value": 3,
     "sport": "Para Swimming", "athlete": "Raman SALEI", "quote": Q002_SALEH},
    {"type": "claim", "games": A04P, "noc": "AZE", "figure": "gold", "value": 1, "bound": "at_least",
     "sport": "Para Judo", "athlete": "Ilham ZAKIYEV", "quote": Q002_ZAKIYEV_NAJAFZADE},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1,
     "sport": "Para Judo", "athlete": "Ilham ZAKIYEV", "quote": Q002_ZAKIYEV_NAJAFZADE},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 1,
     "sport": "Para Athletics", "athlete": "Said NAJAFZADE", "quote": Q002_ZAKIYEV_NAJAFZADE},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "gold", "value": 1, "bound": "at_least",
     "sport": "Para Swimming", "athlete": "Vali ISRAFILOV", "quote": Q002_ISRAFILOV},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1,
     "sport": "Para Swimming", "athlete": "Vali ISRAFILOV", "quote": Q002_ISRAFILOV},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "gold", "value": 1,
     "sport": "Para Taekwondo", "athlete": "Imamaddin KHALILOV", "quote": Q002_TKD},
    {"type": "claim", "games": P24P, "noc": "AZE", "figure": "bronze", "value": 1,
     "sport": "Para Taekwondo", "athlete": "Sabir ZEYNALOV", "quote": Q002_TKD},
    # Tokyo 2020 Paralympics: contradicts 004 (19 = 14-1-4, top ten).
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "total", "value": 14, "quote": Q002_TOKYO},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "gold", "value": 4, "quote": Q002_TOKYO},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "silver", "value": 4, "quote": Q002_TOKYO},
    {"type": "claim", "games": T20P, "noc": "AZE", "figure": "bronze", "value": 6, "quote": Q002_TOKYO},
]


# ---------------------------------------------------------------------------------------------
# 001 -> 70: Azernews, 2024-09-25 14:23 (UTC+04:00). The NOC receives Congo's minister.
# ---------------------------------------------------------------------------------------------
Q001_MEDALS = ("He highlighted the country's successful performance at 2024 Summer Olympics, where "
               "Azerbaijani athletes excelled by securing a total of 7 medals, including two gold, "
               "two silver, and three bronze.")
Q001_RANK = ("This remarkable achievement earned team Azerbaijan a notable position, ranking 30th in "
             "the overall medal count.")
Q001_HOSTED = ("Major sports events including the first European Games (2015), Islamic Solidarity "
               "Games (2017), and the European Youth Olympic Festival (2019) were organized in "
               "Azerbaijan.")

ARTICLE_001 = [
    {
        "type": "meeting_held",
        # The article (2024-09-25) says "has received" without a day or a venue: dated on the
        # publication day; place is only "Azerbaijan" (the minister "is visiting Azerbaijan").
        "participants": [
            {"name": "Azer Aliyev", "role": "Secretary General", "body": AZE_NOC},
            {"name": "Didier Budimbu",
             "role": "Minister of Sports and Culture; head of the visiting delegation",
             "body": "Ministry of Sports and Culture (Congo)"},
        ],
        "place": "Azerbaijan",
        "subject": "The Secretary General of the Azerbaijan NOC received a delegation led by "
                   "Congo's Minister of Sports and Culture: Azerbaijan's advances in sport and its "
                   "results at the Paris 2024 Olympics, congratulations from the minister, and "
                   "possible cooperation between Azerbaijan and Congo in sport (exchange of "
                   "knowledge, training methods and cultural experience).",
    },
    {"type": "membership_began", "member": "Azer Aliyev", "organisation": AZE_NOC,
     "role": "Secretary General"},
    # The article says "Congo" (Didier Budimbu is in fact minister of the Democratic Republic of
    # the Congo); its wording is kept.
    {"type": "membership_began", "member": "Didier Budimbu",
     "organisation": "Ministry of Sports and Culture (Congo)", "role": "Minister"},
    # "Since 1992, Azerbaijan National Olympic Committee has worked ...": the committee's activity
    # in the Olympic movement from 1992. Not an IOC-recognition date, which the article does not give.
    {"type": "membership_began", "date": "1992", "member": AZE_NOC, "organisation": "Olympic Movement",
     "_note": "Since 1992, Azerbaijan National Olympic Committee has worked purposefully and "
              "consistently for the dynamic development of sports in the country."},
    {"type": "membership_began", "date": "1997", "member": "Ilham Aliyev", "organisation": AZE_NOC,
     "role": "President",
     "_note": "Thanks to President Ilham Aliyev, who has headed the committee since 1997, ..."},
    # Hosted in Azerbaijan; the article gives years only (slugs name Baku, the article does not).
    {"type": "games_registered", "date": "2015", "games": "baku-2015-european-games",
     "name": "First European Games (2015)", "closes": "2015", "unranked": [], "host": "AZE",
     "_note": Q001_HOSTED},
    {"type": "games_registered", "date": "2017", "games": "baku-2017-islamic-solidarity-games",
     "name": "Islamic Solidarity Games (2017)", "closes": "2017", "unranked": [], "host": "AZE",
     "_note": Q001_HOSTED},
    {"type": "games_registered", "date": "2019", "games": "baku-2019-eyof",
     "name": "European Youth Olympic Festival (2019)", "closes": "2019", "unranked": [], "host": "AZE",
     "_note": Q001_HOSTED},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "total", "value": 7, "quote": Q001_MEDALS},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "gold", "value": 2, "quote": Q001_MEDALS},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "silver", "value": 2, "quote": Q001_MEDALS},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "bronze", "value": 3, "quote": Q001_MEDALS},
    {"type": "claim", "games": P24, "noc": "AZE", "figure": "rank", "value": 30, "quote": Q001_RANK},
]


# ---------------------------------------------------------------------------------------------
# The files, in name order = publication order.
# ---------------------------------------------------------------------------------------------
FILES = [
    {
        "file": "10-azernews-2023-03-22-npc-meets-paris-2024.jsonl",
        "seed": "seeds/004_dffe93a64d5a51c7.txt",
        "publisher": "Azernews",
        "title": "The Azerbaijan National Paralympic Committee met with the members of the "
                 "Paris-2024 Organizing Committee\u2026",
        "published": "2023-03-22",
        "recorded": "2023-03-22T12:00:00Z",
        "notes": [
            "No publication time in the article: recorded at 12:00 UTC. The meeting has no day of "
            "its own: dated 2023-03-22, the publication day.",
            "Offices (membership_began) are as known on 2023-03-22; the article gives no start "
            "dates. Paris 2024 Paralympics athletes 50 / sports 8 are a FORECAST (\"expected\").",
        ],
        "events": ARTICLE_004,
    },
    {
        "file": "30-azernews-2024-08-13-icesco.jsonl",
        "seed": "seeds/000_972a850066ab27b6.txt",
        "publisher": "Azernews",
        "title": "The Islamic World Educational, Scientific and Cultural Organization (ICESCO) is "
                 "pleased to extend its heartfelt congratulations\u2026",
        "published": "2024-08-13",
        "recorded": "2024-08-13T13:56:00Z",
        "notes": [
            "Published 2024-08-13 17:56 UTC+04:00. Year-only dates keep year precision (1991, 2024).",
        ],
        "events": ARTICLE_000,
    },
    {
        "file": "50-idman-2024-09-08-paralympians.jsonl",
        "seed": "seeds/003_1ca73d82589f9b11.txt",
        "publisher": "Idman.biz",
        "title": "Paris 2024: a total of 11 medals, including 4 gold",
        "published": "2024-09-08",
        "recorded": "2024-09-08T22:00:00Z",
        "notes": [
            "No publication time in the article: recorded at 22:00 UTC, after the Paralympic medal "
            "file (last 2024-09-08T21:00:00Z).",
        ],
        "events": ARTICLE_003,
    },
    {
        "file": "60-menafn-2024-09-17-minister-meets-paralympians.jsonl",
        "seed": "seeds/002_d88bbd63f681d026.txt",
        "publisher": "MENAFN (AzerNews)",
        "title": "The Minister of Youth and Sports Farid Gayibov has met with the athletes and "
                 "coaches of the Azerbaijani national team\u2026",
        "published": "2024-09-17",
        "recorded": "2024-09-17T12:00:00Z",
        "notes": [
            "No publication time in the article: recorded at 12:00 UTC. The meeting has no day of "
            "its own: dated 2024-09-17, the publication day. Offices are as known on that day.",
            "Contradicts 10-...: Tokyo 2020 Paralympics 14 = 4-4-6 (vs 19 = 14-1-4) and NPC "
            "President Hidayat Abdullayev (vs Ilgar Rahimov).",
        ],
        "events": ARTICLE_002,
    },
    {
        "file": "70-azernews-2024-09-25-noc-meets-congo.jsonl",
        "seed": "seeds/001_e5aca2f78750ad98.txt",
        "publisher": "Azernews",
        "title": "Secretary General of Azerbaijan National Olympic Committee (NOC) Azer Aliyev has "
                 "received a delegation\u2026",
        "published": "2024-09-25",
        "recorded": "2024-09-25T10:23:00Z",
        "notes": [
            "Published 2024-09-25 14:23 UTC+04:00. The meeting has no day or venue of its own: "
            "dated 2024-09-25, place \"Azerbaijan\". Year-only dates keep year precision.",
        ],
        "events": ARTICLE_001,
    },
]

# Windows of the medal files that sit between the article files (make_medal_events.py).
MEDAL_FILE_WINDOWS = {
    "20-paris-2024-olympics.jsonl": ("2024-07-26T00:00:00Z", "2024-08-11T21:00:00Z"),
    "40-paris-2024-paralympics.jsonl": ("2024-08-28T00:00:00Z", "2024-09-08T21:00:00Z"),
}


# ---------------------------------------------------------------------------------------------
# Generation and validation
# ---------------------------------------------------------------------------------------------
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
RECORDED_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOC_RE = re.compile(r"^[A-Z]{3}$")


class Invalid(Exception):
    pass


def check_date(s):
    m = DATE_RE.match(s or "")
    if not m:
        raise Invalid(f"date {s!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not 1800 <= int(year) <= 2199:
        raise Invalid(f"date {s!r}: year out of range")
    if month:
        dt.date(int(year), int(month), int(day) if day else 1)  # raises ValueError if invalid


def first_day(s):
    m = DATE_RE.match(s)
    return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


def last_day(s):
    m = DATE_RE.match(s)
    y = int(m.group(1))
    if m.group(3):
        return dt.date(y, int(m.group(2)), int(m.group(3)))
    if m.group(2):
        mo = int(m.group(2))
        return dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(y, 12, 31)


def parse_recorded(s):
    if not RECORDED_RE.match(s):
        raise Invalid(f"recorded {s!r} is not RFC 3339 UTC like 2024-08-05T21:00:00Z")
    return dt.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def check_name(what, s, limit=200):
    if not isinstance(s, str) or not s.strip():
        raise Invalid(f"{what} is empty")
    if len(s) > limit:
        raise Invalid(f"{what} is longer than {limit} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in s):
        raise Invalid(f"{what} contains a control character")


def distinguishing(ev):
    """The natural-key tail that tells this event apart from the others of its file."""
    t = ev["type"]
    if t == "meeting_held":
        return f"{ev['date']}|{ev['participants'][0]['name']}|{ev['place']}"
    if t in ("membership_began", "membership_ended"):
        return f"{ev['member']}|{ev['organisation']}|{ev.get('role') or ''}"
    if t == "person_identified":
        return ev["name"]
    if t == "claim":
        return "|".join([ev["figure"], ev["games"], ev["noc"], ev.get("sport") or "",
                         ev.get("athlete") or "", ev.get("bound") or "exact"])
    raise Invalid(f"no natural key for {t}")


def natural_key(stem, ev):
    if ev["type"] == "games_registered":
        return f"games|{ev['games']}"
    return f"{ev['type']}|{stem}|{distinguishing(ev)}"


def check_kind(ev):
    t = ev["type"]
    if t not in KIND_FIELDS:
        raise Invalid(f"unknown type {t!r}")
    fields = set(ev) - {"type", "date", "_note"}
    unknown = fields - set(KIND_FIELDS[t])
    if unknown:
        raise Invalid(f"{t}: unknown fields {sorted(unknown)}")
    missing = [f for f in REQUIRED[t] if f not in ev]
    if missing:
        raise Invalid(f"{t}: missing fields {missing}")
    if t == "games_registered":
        if not SLUG_RE.match(ev["games"]) or len(ev["games"]) > 64:
            raise Invalid(f"games {ev['games']!r} is not a slug")
        check_name("name", ev["name"])
        check_date(ev["closes"])
        if last_day(ev["closes"]) < first_day(ev["date"]):
            raise Invalid(f"{ev['games']} closes before it opens")
        for code in ev["unranked"]:
            if not NOC_RE.match(code):
                raise Invalid(f"unranked {code!r}")
    elif t == "meeting_held":
        if not ev["participants"]:
            raise Invalid("participants is empty")
        for p in ev["participants"]:
            if set(p) - set(PARTICIPANT_FIELDS) or "name" not in p:
                raise Invalid(f"participant {p!r}")
            for f in PARTICIPANT_FIELDS:
                if f in p:
                    check_name(f"participant {f}", p[f])
        check_name("place", ev["place"])
        check_name("subject", ev["subject"], 2000)
    elif t in ("membership_began", "membership_ended"):
        check_name("member", ev["member"])
        check_name("organisation", ev["organisation"])
        if "role" in ev:
            check_name("role", ev["role"])
    elif t == "person_identified":
        check_name("name", ev["name"])
        if ev["name"] in ev["aliases"] or len(set(ev["aliases"])) != len(ev["aliases"]):
            raise Invalid(f"aliases of {ev['name']!r} repeat a spelling")
        for a in ev["aliases"]:
            check_name("alias", a)
        if "noc" in ev and not NOC_RE.match(ev["noc"]):
            raise Invalid(f"noc {ev['noc']!r}")
    elif t == "claim":
        if not SLUG_RE.match(ev["games"]):
            raise Invalid(f"games {ev['games']!r} is not a slug")
        if not NOC_RE.match(ev["noc"]):
            raise Invalid(f"noc {ev['noc']!r}")
        if ev["figure"] not in FIGURES:
            raise Invalid(f"figure {ev['figure']!r}")
        if not isinstance(ev["value"], int) or isinstance(ev["value"], bool) or ev["value"] < 0:
            raise Invalid(f"value {ev['value']!r}")
        if ev.get("bound", "exact") not in BOUNDS:
            raise Invalid(f"bound {ev['bound']!r}")
        for f in ("sport", "athlete"):
            if f in ev:
                check_name(f, ev[f])
        if "quote" in ev:
            check_name("quote", ev["quote"], 2000)


def source_string(spec):
    return f'{spec["publisher"]}, "{spec["title"]}", {spec["published"]}, {spec["seed"]}'


def build_line(spec, stem, ev):
    ev = dict(ev)
    ev.setdefault("date", spec["published"])
    check_date(ev["date"])
    check_kind(ev)
    key = natural_key(stem, ev)
    out = {
        "id": str(uuid.uuid5(NAMESPACE, key)),
        "type": ev["type"],
        "date": ev["date"],
        "recorded": spec["recorded"],
        "recorded_by": "scripts/make_article_events.py",
        "source": source_string(spec),
    }
    for f in KIND_FIELDS[ev["type"]]:
        if f not in ev or ev[f] is None:
            continue
        if f == "bound" and ev[f] == "exact":
            continue  # podium leaves the default bound out
        if f == "participants":
            out[f] = [{k: p[k] for k in PARTICIPANT_FIELDS if p.get(k) is not None} for p in ev[f]]
        else:
            out[f] = ev[f]
    return key, json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def render(spec):
    stem = spec["file"].removesuffix(".jsonl")
    header = [
        f"# {source_string(spec)}",
        "# Generated by `python3 scripts/make_article_events.py` from ../shared/seeds; do not edit by hand.",
    ] + [f"# {n}" for n in spec["notes"]]
    keys, lines = [], []
    for ev in spec["events"]:
        key, line = build_line(spec, stem, ev)
        keys.append(key)
        lines.append(line)
    return keys, "\n".join(header + lines) + "\n"


def validate_text(name, text):
    """Re-read a rendered file the way an importer would."""
    recorded, ids = set(), []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        ev = json.loads(line)
        if list(ev)[:6] != ["id", "type", "date", "recorded", "recorded_by", "source"]:
            raise Invalid(f"{name}:{n}: field order {list(ev)[:6]}")
        if uuid.UUID(ev["id"]).version != 5:
            raise Invalid(f"{name}:{n}: id is not a UUID v5")
        check_date(ev["date"])
        parse_recorded(ev["recorded"])
        recorded.add(ev["recorded"])
        ids.append(ev["id"])
        body = {k: v for k, v in ev.items() if k not in ("id", "recorded", "recorded_by", "source")}
        check_kind(body)
    if len(recorded) != 1:
        raise Invalid(f"{name}: recorded is not constant: {sorted(recorded)}")
    return recorded.pop(), ids


def generate():
    outputs, all_keys, all_ids = {}, {}, {}
    previous = None
    windows = [(n, parse_recorded(a), parse_recorded(b)) for n, (a, b) in MEDAL_FILE_WINDOWS.items()]
    for spec in FILES:
        keys, text = render(spec)
        for key in keys:
            if key in all_keys:
                raise Invalid(f"natural key {key!r} twice ({all_keys[key]}, {spec['file']})")
            all_keys[key] = spec["file"]
        recorded, ids = validate_text(spec["file"], text)
        for i in ids:
            if i in all_ids:
                raise Invalid(f"id {i} twice")
            all_ids[i] = spec["file"]
        at = parse_recorded(recorded)
        if previous and at < previous:
            raise Invalid(f"{spec['file']}: recorded goes backwards")
        previous = at
        # The medal files interleave by name; recorded must not go backwards across them either.
        for wname, start, end in windows:
            if wname < spec["file"] and at < end:
                raise Invalid(f"{spec['file']} ({recorded}) sorts after {wname} but is earlier")
            if spec["file"] < wname and at > start:
                raise Invalid(f"{spec['file']} ({recorded}) sorts before {wname} but is later")
        outputs[spec["file"]] = text
    return outputs


def cross_check(outputs):
    """Warn (no failure) about the whole events/ directory: id collisions, recorded order."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in EVENTS_DIR.glob("*.jsonl")}
    texts.update(outputs)
    seen, last, problems = {}, None, []
    for name in sorted(texts):
        for line in texts[name].split("\n"):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                ev = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{name}: unparsable line ({e})")
                continue
            if ev.get("id") in seen and seen[ev["id"]] != name:
                problems.append(f"id {ev['id']} in {seen[ev['id']]} and {name}")
            seen.setdefault(ev.get("id"), name)
            rec = ev.get("recorded")
            if rec:
                if last and rec < last[0]:
                    problems.append(f"{name}: recorded {rec} < {last[0]} ({last[1]})")
                last = (rec, name)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)


def claim_key(ev):
    """What makes a claim the same claim: games, noc, figure, value, bound, sport, athlete."""
    return (ev["games"], ev["noc"], ev["figure"], ev["value"], ev.get("bound", "exact"),
            ev.get("sport", ""), ev.get("athlete", ""))


def compare_extract(podium):
    """Runs `podium extract` on each seed and compares its claims (and their ids) with the hand-made
    ones. The hand-made data stays the source of events/ (scripts/README.md says why); this is the
    check that the two agree. Returns the number of differences."""
    import subprocess
    seeds = ROOT / "tests" / "data" / "news"
    differences = 0
    for spec in FILES:
        stem = spec["file"].removesuffix(".jsonl")
        seed = seeds / spec["seed"]
        run = subprocess.run([podium, "extract", str(seed), "--publisher", spec["publisher"],
                              "--id-scope", stem], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"error: podium extract {seed}: {run.stderr.strip()}")
        read = {claim_key(e): e["id"] for e in map(json.loads, run.stdout.splitlines())
                if e["type"] == "claim"}
        made = {}
        for ev in spec["events"]:
            if ev["type"] == "claim":
                made[claim_key(ev)] = str(uuid.uuid5(NAMESPACE, natural_key(stem, ev)))
        for key in sorted(set(made) - set(read)):
            print(f"{spec['file']}: not read by podium extract: {key}")
        for key in sorted(set(read) - set(made)):
            print(f"{spec['file']}: read by podium extract, not hand-made: {key}")
        same_ids = sum(1 for k in set(made) & set(read) if made[k] == read[k])
        differences += len(set(made) ^ set(read)) + len(set(made) & set(read)) - same_ids
        print(f"{spec['file']}: {len(set(made) & set(read))} of {len(made)} claims read, "
              f"{same_ids} with the same id")
    return differences


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if a file on disk differs from what would be written")
    ap.add_argument("--extract", metavar="PODIUM",
                    help="also run PODIUM extract on each seed text and compare its claims with these")
    args = ap.parse_args()
    try:
        outputs = generate()
    except (Invalid, ValueError) as e:
        sys.exit(f"error: {e}")
    stale = []
    for name, text in outputs.items():
        path = EVENTS_DIR / name
        if args.check:
            if not path.exists() or path.read_bytes() != text.encode("utf-8"):
                stale.append(name)
        else:
            EVENTS_DIR.mkdir(exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
    cross_check(outputs)
    for name, text in outputs.items():
        counts = {}
        for line in text.split("\n"):
            if line and not line.startswith("#"):
                t = json.loads(line)["type"]
                counts[t] = counts.get(t, 0) + 1
        summary = ", ".join(f"{t} {c}" for t, c in sorted(counts.items()))
        print(f"{'checked' if args.check else 'wrote'} events/{name}: {summary}")
    if stale:
        sys.exit(f"error: out of date: {', '.join(stale)} (run without --check)")
    if args.extract and compare_extract(args.extract):
        sys.exit("error: podium extract reads other claims than the hand-made ones")


if __name__ == "__main__":
    main()
