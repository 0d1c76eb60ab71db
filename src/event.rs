//! The event vocabulary: what a fact in the ledger can say, and the types that
//! make an ill-formed fact unrepresentable (a delegation code, a games id, a
//! medal colour, a date with its precision).
//!
//! These are domain types. They know nothing of storage; the log module maps
//! them to its own on-disk records, and the jsonl module to the interchange
//! format. Every constructor validates, and `Event::validate` checks the
//! bounds of a whole event, so the same checks run when an event is written
//! and when it is read back.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};

/// podium's namespace for UUID v5 ids over natural keys (the one events/
/// uses, `import-csv` and `extract`).
pub const ID_NAMESPACE: Uuid = uuid::uuid!("2f9c4d1e-7a53-5b8e-9c61-0d4e8a7b3f12");

/// Longest name of a person, body, sport or event, in characters.
pub const NAME_CHARS_MAX: usize = 200;
/// Longest free text (a reason, a subject, a citation, a quote), in characters.
pub const TEXT_CHARS_MAX: usize = 2_000;
/// Most athletes on one medal (a football squad with reserves is under 30).
pub const ATHLETES_MAX: usize = 100;
/// Most entries in any other list (participants, aliases, delegations).
pub const LIST_MAX: usize = 500;
/// Most medals of one colour in one tally (the most any delegation won in one
/// sport at one games is under 150: the USA's athletics at New York 1984).
pub const TALLY_MEDALS_MAX: u32 = 1_000;
/// Most athletes one `athletes_entered` names (the largest team of any games
/// is under 800), and most entrants of one sex in one sport of `entrants_published`.
pub const ENTRANTS_MAX: usize = 2_000;
/// Most sports one athlete is entered in, or one `entrants_published` lists.
pub const SPORTS_MAX: usize = 100;
/// Earliest and latest years a date may have: the modern era of sport, with room.
pub const YEAR_MIN: i16 = 1800;
pub const YEAR_MAX: i16 = 2199;

/// A delegation's three-letter IOC or IPC code, in capitals (`AZE`, `AIN`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Noc([u8; 3]);

impl Noc {
    pub fn as_str(&self) -> &str {
        // Only ASCII capitals are ever stored.
        std::str::from_utf8(&self.0).expect("a Noc holds ASCII")
    }
}

impl FromStr for Noc {
    type Err = Error;
    fn from_str(s: &str) -> Result<Noc> {
        let bytes = s.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return Err(Error::invalid(format!(
                "delegation code {s:?} is not three capital letters (like AZE)"
            )));
        }
        Ok(Noc([bytes[0], bytes[1], bytes[2]]))
    }
}

impl TryFrom<String> for Noc {
    type Error = Error;
    fn try_from(s: String) -> Result<Noc> {
        s.parse()
    }
}

impl From<Noc> for String {
    fn from(noc: Noc) -> String {
        noc.as_str().to_owned()
    }
}

impl fmt::Display for Noc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Noc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Noc({})", self.as_str())
    }
}

/// A games' id: a slug of lowercase letters, digits and inner hyphens (`paris-2024`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GamesId(String);

/// Longest games id, in bytes.
pub const GAMES_ID_BYTES_MAX: usize = 64;

impl GamesId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for GamesId {
    type Err = Error;
    fn from_str(s: &str) -> Result<GamesId> {
        let ok = !s.is_empty()
            && s.len() <= GAMES_ID_BYTES_MAX
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if !ok {
            return Err(Error::invalid(format!(
                "games id {s:?} is not a slug of lowercase letters, digits and hyphens (like paris-2024)"
            )));
        }
        Ok(GamesId(s.to_owned()))
    }
}

impl TryFrom<String> for GamesId {
    type Error = Error;
    fn try_from(s: String) -> Result<GamesId> {
        s.parse()
    }
}

impl From<GamesId> for String {
    fn from(g: GamesId) -> String {
        g.0
    }
}

impl fmt::Display for GamesId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An enum of a closed set of names, as files write them: `as_str`, `ALL` in
/// declaration order, parsing that names the accepted values, and serde as the
/// name. For values that come from outside (a medal colour, a season), so that
/// a wrong one is refused when it is read, never carried as a string.
macro_rules! named_values {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Deserialize)]
        #[serde(try_from = "String")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<$name> {
                $name::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| {
                        let names = $name::ALL.map($name::as_str);
                        Error::invalid(format!("{} {s:?} is not {}", $what, one_of(&names)))
                    })
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<$name> {
                s.parse()
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// `a`, `a or b`, `a, b or c`: the accepted values in an error message.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

named_values! {
    /// A medal's colour.
    Medal, "medal", { Gold => "gold", Silver => "silver", Bronze => "bronze" }
}

named_values! {
    /// Whether a games is held in summer or in winter.
    Season, "season", { Summer => "summer", Winter => "winter" }
}

named_values! {
    /// The movement a games belongs to: the Olympic, the Paralympic or the
    /// Youth Olympic Games (whose medals the IOC's tables keep apart).
    Movement, "movement", { Olympic => "olympic", Paralympic => "paralympic", Youth => "youth" }
}

/// How much of a date the source gave.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Precision {
    Day,
    Month,
    Year,
    /// Some day from a first to a last day, both given: a medal whose day is
    /// not known, only its games (`1896-04-06/1896-04-15`).
    Span,
}

/// Most days a span may cover, both ends included: a leap year. An older
/// fact known less precisely than that is dated by its year.
pub const SPAN_DAYS_MAX: i32 = 366;

/// A civil date as precise as its source: `2024-08-05`, `2024-08`, `1991`, or
/// a span of days `1896-04-06/1896-04-15` (ISO 8601's interval of two dates).
///
/// A date covers the days `first()..=last()`. In as-of queries a date of
/// month or year precision counts from its first day (documented in the
/// README).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Day {
    first: Date,
    /// The day itself, the end of the month or year, or the span's last day.
    last: Date,
    precision: Precision,
}

fn check_year(date: Date) -> Result<()> {
    if !(YEAR_MIN..=YEAR_MAX).contains(&date.year()) {
        return Err(Error::invalid(format!(
            "year {} is outside {YEAR_MIN}..={YEAR_MAX}",
            date.year()
        )));
    }
    Ok(())
}

impl Day {
    /// A day-precision date.
    ///
    /// # Errors
    /// When the year is outside `YEAR_MIN..=YEAR_MAX`.
    pub fn new(date: Date) -> Result<Day> {
        Day::with_precision(date, Precision::Day)
    }

    /// A day, month or year; a span is made by `Day::span`.
    ///
    /// # Errors
    /// When the year is out of bounds, `date` is not the first day of its
    /// period, or `precision` is `Span` (which needs its last day).
    pub fn with_precision(date: Date, precision: Precision) -> Result<Day> {
        check_year(date)?;
        let (aligned, last) = match precision {
            Precision::Day => (true, date),
            Precision::Month => (date.day() == 1, date.last_of_month()),
            Precision::Year => (date.day() == 1 && date.month() == 1, date.last_of_year()),
            Precision::Span => {
                return Err(Error::invalid(format!(
                    "a span from {date} needs its last day"
                )))
            }
        };
        if !aligned {
            return Err(Error::invalid(format!(
                "{date} is not the first day of its {precision:?}"
            )));
        }
        Ok(Day {
            first: date,
            last,
            precision,
        })
    }

    /// Some day from `first` to `last`, both included.
    ///
    /// # Errors
    /// When a year is out of bounds, `last` is not after `first` (a single day
    /// is written as a day), or the span covers more than `SPAN_DAYS_MAX` days.
    pub fn span(first: Date, last: Date) -> Result<Day> {
        check_year(first)?;
        check_year(last)?;
        if last < first {
            return Err(Error::invalid(format!(
                "span {first}/{last} ends before it begins"
            )));
        }
        if last == first {
            return Err(Error::invalid(format!(
                "span {first}/{last} is one day: write {first}"
            )));
        }
        let days = first
            .until(last)
            .map_err(|e| Error::invalid(format!("span {first}/{last}: {e}")))?
            .get_days()
            + 1;
        if days > SPAN_DAYS_MAX {
            return Err(Error::invalid(format!(
                "span {first}/{last} covers {days} days, more than {SPAN_DAYS_MAX}"
            )));
        }
        Ok(Day {
            first,
            last,
            precision: Precision::Span,
        })
    }

    /// The first day the date covers.
    pub fn first(&self) -> Date {
        self.first
    }

    /// The last day the date covers.
    pub fn last(&self) -> Date {
        self.last
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Whether the date is a span of days (`first/last`), some day of which is the one.
    pub fn is_span(&self) -> bool {
        self.precision == Precision::Span
    }
}

/// The numbers of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with the precision they
/// give; `None` when the text has another shape.
fn date_fields(s: &str) -> Option<(i16, i8, i8, Precision)> {
    let number = |p: &str, len: usize| -> Option<i16> {
        if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let parts: Vec<&str> = s.split('-').collect();
    let (year, month, day, precision) = match parts.as_slice() {
        [y] => (number(y, 4)?, 1, 1, Precision::Year),
        [y, m] => (number(y, 4)?, number(m, 2)?, 1, Precision::Month),
        [y, m, d] => (number(y, 4)?, number(m, 2)?, number(d, 2)?, Precision::Day),
        _ => return None,
    };
    // Two digits always fit an i8.
    Some((year, month as i8, day as i8, precision))
}

/// The date the fields name, or an error naming `s` when there is no such day.
fn civil_date(s: &str, year: i16, month: i8, day: i8) -> Result<Date> {
    Date::new(year, month, day).map_err(|_| Error::invalid(format!("date {s:?} does not exist")))
}

impl FromStr for Day {
    type Err = Error;
    fn from_str(s: &str) -> Result<Day> {
        let Some((first, last)) = s.split_once('/') else {
            let (year, month, day, precision) = date_fields(s).ok_or_else(|| {
                Error::invalid(format!(
                    "date {s:?} is not YYYY-MM-DD (or YYYY-MM, YYYY when only a month or year \
                     is known, or YYYY-MM-DD/YYYY-MM-DD for some day of a span)"
                ))
            })?;
            return Day::with_precision(civil_date(s, year, month, day)?, precision);
        };
        let end = |part: &str| match date_fields(part) {
            Some((year, month, day, Precision::Day)) => civil_date(part, year, month, day),
            _ => Err(Error::invalid(format!(
                "date {s:?} is not a span of two days (YYYY-MM-DD/YYYY-MM-DD)"
            ))),
        };
        Day::span(end(first)?, end(last)?)
    }
}

impl TryFrom<String> for Day {
    type Error = Error;
    fn try_from(s: String) -> Result<Day> {
        s.parse()
    }
}

impl From<Day> for String {
    fn from(d: Day) -> String {
        d.to_string()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DAY: &str = "%Y-%m-%d";
        match self.precision {
            Precision::Day => write!(f, "{}", self.first.strftime(DAY)),
            Precision::Month => write!(f, "{}", self.first.strftime("%Y-%m")),
            Precision::Year => write!(f, "{:04}", self.first.year()),
            Precision::Span => write!(
                f,
                "{}/{}",
                self.first.strftime(DAY),
                self.last.strftime(DAY)
            ),
        }
    }
}

/// Parses a DATE argument: `YYYY-MM-DD`.
///
/// # Errors
/// When the text is not a real day.
pub fn parse_date(s: &str) -> Result<Date> {
    let day: Day = s.parse()?;
    if day.precision() != Precision::Day {
        return Err(Error::invalid(format!("date {s:?} is not YYYY-MM-DD")));
    }
    Ok(day.first())
}

/// Parses a TIME argument: RFC 3339, or a date meaning the end of that day in UTC.
///
/// # Errors
/// When the text is neither.
pub fn parse_time(s: &str) -> Result<Timestamp> {
    let parsed = s.parse::<Timestamp>();
    if let Ok(t) = parsed {
        return Ok(t);
    }
    // A date and time that is well formed but not one podium can hold (past
    // 9999-12-30, or an hour 25) is told as such, not as "not RFC 3339".
    if let (Err(e), Some((day, _))) = (&parsed, s.split_once(['T', 't', ' '])) {
        if day.parse::<jiff::civil::Date>().is_ok() {
            return Err(Error::invalid(format!("time {s:?} cannot be used: {e}")));
        }
    }
    let date = parse_date(s).map_err(|_| {
        Error::invalid(format!(
            "time {s:?} is not RFC 3339 (2024-08-10T12:00:00Z) or a date (YYYY-MM-DD)"
        ))
    })?;
    let end = date
        .at(23, 59, 59, 999_999_999)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|e| Error::invalid(format!("time {s:?}: {e}")))?;
    Ok(end.timestamp())
}

/// A person at a meeting and whom they represent.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// A figure a claim states.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    Gold,
    Silver,
    Bronze,
    Total,
    Rank,
    /// The number of athletes in the delegation's team.
    Athletes,
    /// The number of sports the delegation took part in.
    Sports,
    /// The number of distinct athletes who won a medal.
    Medallists,
    /// The medals won at the games of the claim's games' series (its season
    /// and movement) that opened before it: "earlier we had medals in
    /// shooting", "his previous 4 Paralympic medals".
    TotalBefore,
}

impl Figure {
    pub const ALL: [Figure; 9] = [
        Figure::Gold,
        Figure::Silver,
        Figure::Bronze,
        Figure::Total,
        Figure::Rank,
        Figure::Athletes,
        Figure::Sports,
        Figure::Medallists,
        Figure::TotalBefore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Figure::Gold => "gold",
            Figure::Silver => "silver",
            Figure::Bronze => "bronze",
            Figure::Total => "total",
            Figure::Rank => "rank",
            Figure::Athletes => "athletes",
            Figure::Sports => "sports",
            Figure::Medallists => "medallists",
            Figure::TotalBefore => "total_before",
        }
    }
}

/// Whether a claimed value is exact or a bound ("finished in the top ten").
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    #[default]
    Exact,
    AtMost,
    AtLeast,
}

impl Bound {
    pub fn is_exact(&self) -> bool {
        *self == Bound::Exact
    }

    /// Whether `actual` satisfies a claim of `value` with this bound.
    pub fn holds(self, value: u32, actual: u32) -> bool {
        match self {
            Bound::Exact => actual == value,
            Bound::AtMost => actual <= value,
            Bound::AtLeast => actual >= value,
        }
    }
}

/// A games, its days and who takes part without being ranked.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GamesRegistered {
    pub games: GamesId,
    pub name: String,
    pub closes: Day,
    #[serde(default)]
    pub unranked: Vec<Noc>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub delegations: BTreeMap<Noc, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<Season>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement: Option<Movement>,
}

/// One medal for one delegation; a team medal is one award.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedalAwarded {
    pub games: GamesId,
    pub sport: String,
    pub event: String,
    pub medal: Medal,
    pub noc: Noc,
    #[serde(default)]
    pub athletes: Vec<String>,
}

/// The withdrawal of an earlier award. A reallocation is this plus a new award.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedalRevoked {
    pub award: Uuid,
    pub reason: String,
}

/// A meeting between officials.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingHeld {
    pub participants: Vec<Participant>,
    pub place: String,
    pub subject: String,
}

/// A member joining or leaving an organisation, or taking or leaving an office in it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    pub member: String,
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// The spellings under which sources name one person.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonIdentified {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noc: Option<Noc>,
}

/// A figure a source published. `podium check` judges it against the ledger.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub games: GamesId,
    pub noc: Noc,
    pub figure: Figure,
    pub value: u32,
    #[serde(default, skip_serializing_if = "Bound::is_exact")]
    pub bound: Bound,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sport: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub athlete: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// From the event's date on, one delegation continues another under a new
/// code (URS to EUN in 1992, FRG and GDR to GER in 1990).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegationSucceeded {
    pub predecessor: Noc,
    pub successor: Noc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Medals a source published as counts, for one delegation in one sport at
/// one games, without naming the medallists (the IPC's results database
/// gives the Paralympic Games before Tokyo 2020 so). Tables count it like
/// that many awards; listings say the medallists are not known. A later
/// tally of the same games, delegation and sport (its name compared as a
/// label: case, accents and word order ignored) supersedes it, from the
/// later of the two tallies' dates.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TallyPublished {
    pub games: GamesId,
    pub noc: Noc,
    pub sport: String,
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
}

impl TallyPublished {
    /// How many medals of `medal` the tally counts.
    pub fn count(&self, medal: Medal) -> u32 {
        match medal {
            Medal::Gold => self.gold,
            Medal::Silver => self.silver,
            Medal::Bronze => self.bronze,
        }
    }
}

/// One athlete a delegation entered, and in which sports.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entrant {
    pub name: String,
    pub sports: Vec<String>,
    /// An alternate (a reserve), who competed only if an event lists them:
    /// not counted in the team's size.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub alternate: bool,
}

/// The athletes a delegation entered in a games, by name: the whole team in
/// one event. A later one for the same games and delegation replaces it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AthletesEntered {
    pub games: GamesId,
    pub noc: Noc,
    pub entrants: Vec<Entrant>,
}

/// How many men and women a delegation entered in one sport.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SportEntrants {
    pub sport: String,
    pub men: u32,
    pub women: u32,
}

/// The entrants of a delegation at a games as a source counted them, per
/// sport, without names. A later one for the same games and delegation
/// replaces it; names (`athletes_entered`) are preferred where both exist.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrantsPublished {
    pub games: GamesId,
    pub noc: Noc,
    pub sports: Vec<SportEntrants>,
}

/// What an event says. New kinds are added at the end; old logs keep reading.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    GamesRegistered(GamesRegistered),
    MedalAwarded(MedalAwarded),
    MedalRevoked(MedalRevoked),
    MeetingHeld(MeetingHeld),
    MembershipBegan(Membership),
    MembershipEnded(Membership),
    PersonIdentified(PersonIdentified),
    Claim(Claim),
    DelegationSucceeded(DelegationSucceeded),
    TallyPublished(TallyPublished),
    AthletesEntered(AthletesEntered),
    EntrantsPublished(EntrantsPublished),
}

impl Kind {
    /// The kind's name as written in files (`medal_awarded`).
    pub fn name(&self) -> &'static str {
        match self {
            Kind::GamesRegistered(_) => "games_registered",
            Kind::MedalAwarded(_) => "medal_awarded",
            Kind::MedalRevoked(_) => "medal_revoked",
            Kind::MeetingHeld(_) => "meeting_held",
            Kind::MembershipBegan(_) => "membership_began",
            Kind::MembershipEnded(_) => "membership_ended",
            Kind::PersonIdentified(_) => "person_identified",
            Kind::Claim(_) => "claim",
            Kind::DelegationSucceeded(_) => "delegation_succeeded",
            Kind::TallyPublished(_) => "tally_published",
            Kind::AthletesEntered(_) => "athletes_entered",
            Kind::EntrantsPublished(_) => "entrants_published",
        }
    }

    /// The games an event is about, for the kinds that belong to one games
    /// (its medals, counts and entries; not claims, which speak of one).
    pub fn games(&self) -> Option<&GamesId> {
        match self {
            Kind::GamesRegistered(g) => Some(&g.games),
            Kind::MedalAwarded(m) => Some(&m.games),
            Kind::TallyPublished(t) => Some(&t.games),
            Kind::AthletesEntered(e) => Some(&e.games),
            Kind::EntrantsPublished(e) => Some(&e.games),
            _ => None,
        }
    }

    /// Every kind's name, for `--kind` and error messages.
    pub const NAMES: [&'static str; 12] = [
        "games_registered",
        "medal_awarded",
        "medal_revoked",
        "meeting_held",
        "membership_began",
        "membership_ended",
        "person_identified",
        "claim",
        "delegation_succeeded",
        "tally_published",
        "athletes_entered",
        "entrants_published",
    ];
}

/// A fact: who said what happened when.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Event {
    pub id: Uuid,
    /// Valid time: the civil day the fact happened.
    pub date: Day,
    pub source: Option<String>,
    pub kind: Kind,
}

/// An event as the log holds it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Recorded {
    /// Position in the log, contiguous from 1.
    pub seq: u64,
    /// Transaction time: when the ledger accepted the event. Never decreases along the log.
    pub recorded: Timestamp,
    /// Who recorded it: a token's name, a user's, or `--as NAME`. `None` only
    /// for events recorded before podium kept it (records of version 1).
    pub recorded_by: Option<String>,
    pub event: Event,
}

/// Longest name of whoever records an event, in characters.
pub const RECORDER_CHARS_MAX: usize = 100;

/// Checks the name of whoever records an event: a name as for a person,
/// shorter, not blank, no control characters.
///
/// # Errors
/// `Invalid`, naming what is wrong.
pub fn check_recorder(name: &str) -> Result<()> {
    check_text_max("recorded_by", name, RECORDER_CHARS_MAX)?;
    if name.trim() != name {
        return Err(Error::invalid(
            "recorded_by begins or ends with white space",
        ));
    }
    Ok(())
}

fn check_name(what: &str, s: &str) -> Result<()> {
    check_text_max(what, s, NAME_CHARS_MAX)
}

fn check_text(what: &str, s: &str) -> Result<()> {
    check_text_max(what, s, TEXT_CHARS_MAX)
}

fn check_text_max(what: &str, s: &str, max: usize) -> Result<()> {
    if s.trim().is_empty() {
        return Err(Error::invalid(format!("{what} is empty")));
    }
    if s.chars().count() > max {
        return Err(Error::invalid(format!(
            "{what} is longer than {max} characters"
        )));
    }
    if s.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "{what} contains a control character"
        )));
    }
    Ok(())
}

fn check_list<T>(what: &str, list: &[T], max: usize) -> Result<()> {
    if list.len() > max {
        return Err(Error::invalid(format!(
            "{what} has {} entries, more than {max}",
            list.len()
        )));
    }
    Ok(())
}

fn check_option(what: &str, s: &Option<String>, max: usize) -> Result<()> {
    match s {
        Some(s) => check_text_max(what, s, max),
        None => Ok(()),
    }
}

impl Event {
    /// Checks the bounds of every field that the types alone do not.
    ///
    /// # Errors
    /// Names the first field out of bounds.
    pub fn validate(&self) -> Result<()> {
        check_option("source", &self.source, TEXT_CHARS_MAX)?;
        match &self.kind {
            Kind::GamesRegistered(g) => {
                check_name("name", &g.name)?;
                if g.closes.last() < self.date.first() {
                    return Err(Error::invalid(format!(
                        "games {} closes ({}) before it opens ({})",
                        g.games, g.closes, self.date
                    )));
                }
                check_list("unranked", &g.unranked, LIST_MAX)?;
                if g.delegations.len() > LIST_MAX {
                    return Err(Error::invalid(format!(
                        "delegations has more than {LIST_MAX} entries"
                    )));
                }
                for name in g.delegations.values() {
                    check_name("delegation name", name)?;
                }
                check_option("host", &g.host, NAME_CHARS_MAX)?;
            }
            Kind::MedalAwarded(m) => {
                check_name("sport", &m.sport)?;
                check_name("event", &m.event)?;
                check_list("athletes", &m.athletes, ATHLETES_MAX)?;
                for a in &m.athletes {
                    check_name("athlete name", a)?;
                }
            }
            Kind::MedalRevoked(r) => check_text("reason", &r.reason)?,
            Kind::MeetingHeld(m) => {
                if m.participants.is_empty() {
                    return Err(Error::invalid("participants is empty"));
                }
                check_list("participants", &m.participants, LIST_MAX)?;
                for p in &m.participants {
                    check_name("participant name", &p.name)?;
                    check_option("participant role", &p.role, NAME_CHARS_MAX)?;
                    check_option("participant body", &p.body, NAME_CHARS_MAX)?;
                }
                check_name("place", &m.place)?;
                check_text("subject", &m.subject)?;
            }
            Kind::MembershipBegan(m) | Kind::MembershipEnded(m) => {
                check_name("member", &m.member)?;
                check_name("organisation", &m.organisation)?;
                check_option("role", &m.role, NAME_CHARS_MAX)?;
            }
            Kind::PersonIdentified(p) => {
                check_name("name", &p.name)?;
                check_list("aliases", &p.aliases, LIST_MAX)?;
                for a in &p.aliases {
                    check_name("alias", a)?;
                }
            }
            Kind::Claim(c) => {
                check_option("sport", &c.sport, NAME_CHARS_MAX)?;
                check_option("athlete", &c.athlete, NAME_CHARS_MAX)?;
                check_option("quote", &c.quote, TEXT_CHARS_MAX)?;
            }
            Kind::DelegationSucceeded(d) => {
                if d.predecessor == d.successor {
                    return Err(Error::invalid(format!(
                        "delegation {} succeeds itself",
                        d.successor
                    )));
                }
                check_option("note", &d.note, TEXT_CHARS_MAX)?;
            }
            Kind::TallyPublished(t) => {
                check_name("sport", &t.sport)?;
                for (what, n) in [("gold", t.gold), ("silver", t.silver), ("bronze", t.bronze)] {
                    if n > TALLY_MEDALS_MAX {
                        return Err(Error::invalid(format!(
                            "{what} is {n}, more than {TALLY_MEDALS_MAX}"
                        )));
                    }
                }
            }
            Kind::AthletesEntered(e) => {
                check_list("entrants", &e.entrants, ENTRANTS_MAX)?;
                for a in &e.entrants {
                    check_name("entrant name", &a.name)?;
                    if a.sports.is_empty() {
                        return Err(Error::invalid(format!("entrant {} has no sport", a.name)));
                    }
                    check_list("sports", &a.sports, SPORTS_MAX)?;
                    for s in &a.sports {
                        check_name("sport", s)?;
                    }
                }
            }
            Kind::EntrantsPublished(e) => {
                check_list("sports", &e.sports, SPORTS_MAX)?;
                for s in &e.sports {
                    check_name("sport", &s.sport)?;
                    for (what, n) in [("men", s.men), ("women", s.women)] {
                        if n as usize > ENTRANTS_MAX {
                            return Err(Error::invalid(format!(
                                "{what} in {} is {n}, more than {ENTRANTS_MAX}",
                                s.sport
                            )));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_three_capitals() {
        assert!("AZE".parse::<Noc>().is_ok());
        for bad in ["aze", "AZER", "AZ", "A1E", "ÄZE", ""] {
            assert!(bad.parse::<Noc>().is_err(), "{bad}");
        }
    }

    #[test]
    fn games_ids_are_slugs() {
        assert!("paris-2024-paralympics".parse::<GamesId>().is_ok());
        for bad in [
            "Paris-2024",
            "-paris",
            "paris-",
            "paris--2024",
            "",
            "paris 2024",
        ] {
            assert!(bad.parse::<GamesId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_keep_their_precision() {
        let year: Day = "1991".parse().unwrap();
        assert_eq!(year.to_string(), "1991");
        assert_eq!(year.first(), jiff::civil::date(1991, 1, 1));
        assert_eq!(year.last(), jiff::civil::date(1991, 12, 31));
        let month: Day = "2024-02".parse().unwrap();
        assert_eq!(month.last(), jiff::civil::date(2024, 2, 29));
        assert_eq!(
            "2024-08-05".parse::<Day>().unwrap().to_string(),
            "2024-08-05"
        );
        for bad in [
            "2024-02-30",
            "0000-01-01",
            "99999-01-01",
            "2024-8-5",
            "2024/08/05",
            "1700-01-01",
        ] {
            assert!(bad.parse::<Day>().is_err(), "{bad}");
        }
    }

    #[test]
    fn spans_are_two_days_in_order_and_at_most_a_leap_year() {
        let span: Day = "1896-04-06/1896-04-15".parse().unwrap();
        assert!(span.is_span());
        assert_eq!(span.precision(), Precision::Span);
        assert_eq!(span.first(), jiff::civil::date(1896, 4, 6));
        assert_eq!(span.last(), jiff::civil::date(1896, 4, 15));
        assert_eq!(span.to_string(), "1896-04-06/1896-04-15");
        assert_eq!(
            serde_json::to_string(&span).unwrap(),
            "\"1896-04-06/1896-04-15\""
        );
        for single in ["1896-04-06", "1896-04", "1896"] {
            assert!(!single.parse::<Day>().unwrap().is_span(), "{single}");
        }
        // The longest span, across a new year: 366 days with 29 February.
        let longest: Day = "1895-04-16/1896-04-15".parse().unwrap();
        assert_eq!(longest.to_string(), "1895-04-16/1896-04-15");
        for (bad, why) in [
            ("1896-04-15/1896-04-06", "ends before it begins"),
            ("1896-04-06/1896-04-06", "is one day: write 1896-04-06"),
            ("1896-04-06/1897-06-01", "covers 422 days, more than 366"),
            ("1895-04-15/1896-04-15", "covers 367 days, more than 366"),
            ("1896-04/1896-05", "is not a span of two days"),
            ("1896/1897", "is not a span of two days"),
            ("1896-04-06/", "is not a span of two days"),
            ("/1896-04-06", "is not a span of two days"),
            ("/", "is not a span of two days"),
            (
                "1896-04-06/1896-04-10/1896-04-15",
                "is not a span of two days",
            ),
            ("1896-04-06 / 1896-04-15", "is not a span of two days"),
            ("1896-02-30/1896-03-05", "\"1896-02-30\" does not exist"),
            ("1799-12-31/1800-01-02", "year 1799 is outside"),
        ] {
            let e = bad.parse::<Day>().unwrap_err().to_string();
            assert!(e.contains(why), "{bad}: {e}");
        }
        // A DATE argument (--as-of) stays one day, and only `Day::span` makes a span.
        assert!(parse_date("1896-04-06/1896-04-15").is_err());
        assert!(Day::with_precision(jiff::civil::date(1896, 4, 6), Precision::Span).is_err());
    }

    #[test]
    fn named_values_parse_and_name_the_accepted_ones() {
        assert_eq!("winter".parse::<Season>().unwrap(), Season::Winter);
        assert_eq!(
            "paralympic".parse::<Movement>().unwrap(),
            Movement::Paralympic
        );
        for (e, expected) in [
            (
                "spring".parse::<Season>().unwrap_err(),
                "season \"spring\" is not summer or winter",
            ),
            (
                "Olympic".parse::<Movement>().unwrap_err(),
                "movement \"Olympic\" is not olympic, paralympic or youth",
            ),
            (
                "golden".parse::<Medal>().unwrap_err(),
                "medal \"golden\" is not gold, silver or bronze",
            ),
        ] {
            assert_eq!(e.to_string(), expected);
        }
        for m in Medal::ALL {
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{m}\""));
        }
    }

    #[test]
    fn a_delegation_does_not_succeed_itself() {
        let event = |predecessor: &str, note: Option<String>| Event {
            id: Uuid::from_u128(1),
            date: "1992".parse().unwrap(),
            source: None,
            kind: Kind::DelegationSucceeded(DelegationSucceeded {
                predecessor: predecessor.parse().unwrap(),
                successor: "EUN".parse().unwrap(),
                note,
            }),
        };
        assert!(event("URS", Some("the Unified Team".into()))
            .validate()
            .is_ok());
        let e = event("EUN", None).validate().unwrap_err().to_string();
        assert!(e.contains("EUN succeeds itself"), "{e}");
        let long = Some("x".repeat(TEXT_CHARS_MAX + 1));
        assert!(event("URS", long).validate().is_err());
        assert!(event("URS", Some(" ".into())).validate().is_err());
    }

    #[test]
    fn a_date_as_time_means_the_end_of_that_day() {
        let t = parse_time("2024-08-10").unwrap();
        assert_eq!(t.to_string(), "2024-08-10T23:59:59.999999999Z");
        assert!(parse_time("2024-08-10T12:00:00Z").is_ok());
        assert!(parse_time("yesterday").is_err());
    }
}
