//! A deterministic synthetic world for benchmarks and load tests: games spread
//! over a century, about 200 delegations of skewed strength, realistic medal
//! mixes (two bronzes in combat sports, occasional ties), about 0.5%
//! revocations (half of them retroactive), and meetings and memberships in
//! between. Same size and seed, same bytes.
//!
//! It writes JSON Lines that `podium import` reads; it never touches a ledger.

use std::collections::{HashSet, VecDeque};
use std::io::Write;

use jiff::civil::Date;
use jiff::Timestamp;
use uuid::Uuid;

use crate::event::{
    Day, Event, GamesRegistered, Kind, Medal, MedalAwarded, MedalRevoked, MeetingHeld, Membership,
    Noc, Participant,
};

/// Delegations in the world.
pub const DELEGATIONS: usize = 200;
/// Medals a games holds on average (Paris 2024 had 1044).
const MEDALS_PER_GAMES: u64 = 1_200;
/// Milliseconds from 1800-01-01 to the Unix epoch.
const EPOCH_1800_MS: i64 = 5_364_662_400_000;
/// Awards a revocation may reach back to.
const REVOCABLE_WINDOW: usize = 20_000;

/// SplitMix64: small, fast and good enough for synthetic data (and for the
/// seeded randomness of tests). The field is the seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn bytes(&mut self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        b
    }
}

const SPORTS: [(&str, bool); 12] = [
    ("Athletics", false),
    ("Swimming", false),
    ("Judo", true),
    ("Wrestling", true),
    ("Boxing", true),
    ("Taekwondo", true),
    ("Rowing", false),
    ("Cycling", false),
    ("Gymnastics", false),
    ("Shooting", false),
    ("Fencing", false),
    ("Weightlifting", false),
];
const SYLLABLES: [&str; 16] = [
    "ka", "ri", "mo", "sa", "le", "ni", "to", "va", "du", "pe", "lo", "mi", "ra", "zo", "be", "ha",
];

/// The code of delegation `i`: a permutation of the 17,576 three-letter codes.
fn code(i: usize) -> Noc {
    let x = (i * 7_919 + 1_234) % 17_576;
    let b = [
        b'A' + (x / 676) as u8,
        b'A' + ((x / 26) % 26) as u8,
        b'A' + (x % 26) as u8,
    ];
    std::str::from_utf8(&b)
        .expect("ASCII")
        .parse()
        .expect("three capitals")
}

struct World<W> {
    out: W,
    rng: Rng,
    /// Cumulative Zipf weights of the delegations' strength.
    strength: Vec<f64>,
    written: u64,
    limit: u64,
    recorded: Timestamp,
    revocable: VecDeque<(Uuid, Date)>,
    revoked: HashSet<Uuid>,
}

impl<W: Write> World<W> {
    fn emit(&mut self, date: Date, kind: Kind) -> std::io::Result<Uuid> {
        // Facts become public in the evening of their day, in order.
        let evening = date
            .at(20, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .expect("in range")
            .timestamp();
        let next = self.recorded + jiff::SignedDuration::from_micros(1);
        self.recorded = evening.max(next);
        // Time-ordered ids (v7 layout) counted from 1800, so pre-1970 facts order
        // too, with the microsecond as the sub-millisecond counter (rand_a), so
        // ids ascend with recorded times as podium's own v7 ids do.
        let mut tail: [u8; 10] = self.rng.bytes()[..10].try_into().expect("10 bytes");
        let micros = (self.recorded.as_microsecond().rem_euclid(1_000)) as u16;
        tail[..2].copy_from_slice(&micros.to_be_bytes());
        let id = uuid::Builder::from_unix_timestamp_millis(
            (self.recorded.as_millisecond() + EPOCH_1800_MS) as u64,
            &tail,
        )
        .into_uuid();
        let event = Event {
            id,
            date: Day::new(date).expect("generated dates are in range"),
            source: None,
            kind,
        };
        crate::jsonl::write_stamped(&mut self.out, &event, self.recorded)?;
        self.written += 1;
        Ok(id)
    }

    fn done(&self) -> bool {
        self.written >= self.limit
    }

    fn delegation(&mut self) -> Noc {
        let total = *self.strength.last().expect("delegations");
        let x = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let i = self
            .strength
            .partition_point(|c| *c < x)
            .min(DELEGATIONS - 1);
        code(i)
    }

    fn name(&mut self) -> String {
        let mut word = |n: usize| {
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(SYLLABLES[self.rng.below(SYLLABLES.len() as u64) as usize]);
            }
            s
        };
        let given = word(2);
        let surname = word(3).to_uppercase();
        let mut given = given.chars();
        let first = given.next().map(|c| c.to_ascii_uppercase()).unwrap_or('X');
        format!("{first}{} {surname}", given.as_str())
    }

    fn award(
        &mut self,
        games: &crate::event::GamesId,
        date: Date,
        sport: &str,
        event: &str,
        medal: Medal,
    ) -> std::io::Result<()> {
        let noc = self.delegation();
        let team = self.rng.chance(0.25);
        let athletes = (0..if team { 2 + self.rng.below(5) } else { 1 })
            .map(|_| self.name())
            .collect();
        let id = self.emit(
            date,
            Kind::MedalAwarded(MedalAwarded {
                games: games.clone(),
                sport: sport.to_owned(),
                event: event.to_owned(),
                medal,
                noc,
                athletes,
            }),
        )?;
        if self.revocable.len() == REVOCABLE_WINDOW {
            self.revocable.pop_front();
        }
        self.revocable.push_back((id, date));
        Ok(())
    }

    /// Now and then: a revocation, a meeting or a membership.
    fn aside(&mut self, today: Date) -> std::io::Result<()> {
        if self.done() {
            return Ok(());
        }
        if self.rng.chance(0.005) && !self.revocable.is_empty() {
            let i = self.rng.below(self.revocable.len() as u64) as usize;
            let (award, awarded) = self.revocable[i];
            if self.revoked.insert(award) {
                // Half are retroactive: dated back to the final, recorded now.
                let retroactive = self.rng.chance(0.5);
                let date = if retroactive {
                    awarded
                } else {
                    today.max(awarded)
                };
                self.emit(
                    date,
                    Kind::MedalRevoked(MedalRevoked {
                        award,
                        reason: if retroactive {
                            "Result annulled after appeal".to_owned()
                        } else {
                            "Disqualified after a doping re-test".to_owned()
                        },
                    }),
                )?;
            }
        } else if self.rng.chance(0.003) {
            let (a, b) = (self.delegation(), self.delegation());
            let participants = vec![
                Participant {
                    name: self.name(),
                    role: Some("President".into()),
                    body: Some(format!("National Olympic Committee {a}")),
                },
                Participant {
                    name: self.name(),
                    role: Some("Minister of Sport".into()),
                    body: Some(format!("Government of {b}")),
                },
            ];
            self.emit(
                today,
                Kind::MeetingHeld(MeetingHeld {
                    participants,
                    place: format!("Capital of {a}"),
                    subject: "Cooperation in sport".into(),
                }),
            )?;
        } else if self.rng.chance(0.002) {
            let member = self.delegation().to_string();
            let organisation = format!("Sports Union {}", 1 + self.rng.below(20));
            self.emit(
                today,
                Kind::MembershipBegan(Membership {
                    member,
                    organisation,
                    role: None,
                }),
            )?;
        }
        Ok(())
    }
}

/// Writes a world of exactly `events` events to `out`.
///
/// # Errors
/// When writing fails.
pub fn generate(events: u64, seed: u64, out: impl Write) -> std::io::Result<()> {
    let mut cumulative = 0.0;
    let strength = (0..DELEGATIONS)
        .map(|i| {
            cumulative += 1.0 / ((i + 1) as f64).powf(1.1);
            cumulative
        })
        .collect();
    let mut world = World {
        out,
        rng: Rng(seed ^ 0x005e_ed0f_90d1_0000),
        strength,
        written: 0,
        limit: events,
        recorded: Timestamp::MIN,
        revocable: VecDeque::new(),
        revoked: HashSet::new(),
    };
    let games_count = (events / MEDALS_PER_GAMES).max(1);
    for k in 0..games_count {
        if world.done() {
            break;
        }
        // Spread over a century, in order; a games lasts 8 to 17 days.
        let year = 1926 + (k * 100 / games_count) as i16;
        let month = 1 + world.rng.below(11) as i8;
        let opens = jiff::civil::date(year, month, 1 + world.rng.below(28) as i8);
        let days = 8 + world.rng.below(10) as i32;
        let closes = opens
            .checked_add(jiff::Span::new().days(days - 1))
            .expect("in range");
        let games: crate::event::GamesId = format!("games-{year}-{k}").parse().expect("a slug");
        let unranked = if world.rng.chance(0.1) {
            vec![world.delegation()]
        } else {
            Vec::new()
        };
        let delegations = (0..DELEGATIONS)
            .map(|i| (code(i), format!("Delegation {}", code(i))))
            .collect();
        world.emit(
            opens,
            Kind::GamesRegistered(GamesRegistered {
                games: games.clone(),
                name: format!("Synthetic Games {year} #{k}"),
                closes: Day::new(closes).expect("in range"),
                unranked,
                delegations,
                host: None,
                season: None,
                movement: None,
            }),
        )?;
        // An equal share of what is left (asides take about 1% more); the
        // last games takes the rest, so the world's size is exact.
        let left = world.limit - world.written;
        let budget = if k + 1 == games_count {
            u64::MAX
        } else {
            left / (games_count - k) * 98 / 100
        };
        let per_day = budget / days as u64 / 4 + 1;
        let mut spent = 0u64;
        let mut event_no = 0u64;
        'days: for d in 0..days {
            let date = opens
                .checked_add(jiff::Span::new().days(d))
                .expect("in range");
            for _ in 0..per_day.max(1) {
                if world.done() || spent >= budget {
                    break 'days;
                }
                let (sport, combat) = SPORTS[world.rng.below(SPORTS.len() as u64) as usize];
                event_no += 1;
                let event = format!("Event {event_no}");
                let tie = world.rng.chance(0.01);
                let mut podium = vec![
                    Medal::Gold,
                    if tie { Medal::Gold } else { Medal::Silver },
                    Medal::Bronze,
                ];
                if combat {
                    podium.push(Medal::Bronze);
                }
                for medal in podium {
                    if world.done() {
                        break 'days;
                    }
                    world.award(&games, date, sport, &event, medal)?;
                    spent += 1;
                    world.aside(date)?;
                }
            }
        }
        // Days left over in a short budget: keep the world's size exact.
        while !world.done() && k + 1 == games_count {
            world.award(&games, closes, "Athletics", "Marathon", Medal::Gold)?;
        }
    }
    Ok(())
}
