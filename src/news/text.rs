//! An article as plain text: HTML stripped (tags, comments, entities; the
//! content of `script`, `style` and the page's `head` dropped; block elements
//! as paragraph breaks), with a map from every character of the plain text
//! back to the bytes of the input it came from, so that a span found in the
//! plain text quotes the input. Plain text input is kept as it is, byte for
//! byte, so its map is the identity.
//!
//! Also finds the publication date: a first line `date YYYY-MM-DD` (the
//! convention of podium's seed texts), or the page's metadata
//! (`article:published_time`, `datePublished`, `<time datetime>`).
//!
//! Pure and total: any input gives some text; nothing here fails or panics.

use std::ops::Range;

use jiff::civil::Date;

/// An article reduced to plain text.
#[derive(Clone, Debug)]
pub struct Plain {
    /// The text extraction reads.
    pub text: String,
    /// For HTML, per character of `text` in order: its byte offset in
    /// `text` and the input bytes it came from. `None` for plain text input,
    /// where `text` is the input itself.
    map: Option<Vec<(usize, Range<usize>)>>,
    /// The publication date the input states, if any.
    pub published: Option<Date>,
    /// Whether the input was read as HTML.
    pub html: bool,
}

impl Plain {
    /// The input bytes a span of `text` (bytes, on character boundaries) came from.
    pub fn input_span(&self, span: Range<usize>) -> Range<usize> {
        let Some(map) = &self.map else {
            return span;
        };
        if span.is_empty() {
            let at = origin_at(map, span.start).map_or(0, |r| r.start);
            return at..at;
        }
        let first = map.partition_point(|(b, _)| *b < span.start);
        let last = map.partition_point(|(b, _)| *b < span.end);
        let start = map.get(first).map_or(0, |(_, r)| r.start);
        let end = map
            .get(last.saturating_sub(1))
            .map_or(start, |(_, r)| r.end)
            .max(start);
        start..end
    }
}

fn origin_at(map: &[(usize, Range<usize>)], byte: usize) -> Option<&Range<usize>> {
    let i = map.partition_point(|(b, _)| *b < byte);
    map.get(i).or(map.last()).map(|(_, r)| r)
}

/// Whether the input reads as an HTML page or fragment rather than plain text.
pub fn looks_like_html(input: &str) -> bool {
    let head = input.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        return true;
    }
    let lower = input.get(..input.len().min(64 * 1024)).unwrap_or(input);
    [
        "<p>", "<p ", "<br", "<div", "</p>", "</a>", "<html", "<body",
    ]
    .iter()
    .any(|t| contains_ignore_case(lower, t))
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(n.len())
        .any(|w| w.eq_ignore_ascii_case(n))
}

/// Reads an input as HTML whatever it looks like.
pub fn read_html(input: &str) -> Plain {
    strip_html(input)
}

/// Reads an input: HTML when it looks like it, else plain text.
pub fn read(input: &str) -> Plain {
    if looks_like_html(input) {
        let mut plain = strip_html(input);
        let (text, first_line) = blank_date_line(&plain.text);
        plain.published = html_date(input).or(first_line);
        plain.text = text;
        plain
    } else {
        let (text, published) = blank_date_line(input);
        Plain {
            text,
            map: None,
            published,
            html: false,
        }
    }
}

/// The input with a first line's `date YYYY-MM-DD` blanked (same length, so
/// offsets do not move), and that date.
fn blank_date_line(input: &str) -> (String, Option<Date>) {
    let lead = input.len() - input.trim_start().len();
    let rest = &input[lead..];
    let Some(after) = rest.strip_prefix("date ") else {
        return (input.to_owned(), None);
    };
    let Some(date) = after.get(..10).and_then(parse_ymd) else {
        return (input.to_owned(), None);
    };
    let mut text = input.to_owned();
    let end = lead + "date ".len() + 10;
    text.replace_range(lead..end, &" ".repeat(end - lead));
    (text, Some(date))
}

/// `YYYY-MM-DD` at the start of `s`, if it is a real day.
pub fn parse_ymd(s: &str) -> Option<Date> {
    let s = s.get(..10)?;
    let b = s.as_bytes();
    let digits = |r: Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    let year: i16 = s[0..4].parse().ok()?;
    let month: i8 = s[5..7].parse().ok()?;
    let day: i8 = s[8..10].parse().ok()?;
    if !(crate::event::YEAR_MIN..=crate::event::YEAR_MAX).contains(&year) {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// The publication date an HTML page states in its metadata.
fn html_date(input: &str) -> Option<Date> {
    let lower = input.to_ascii_lowercase();
    // `<meta property="article:published_time" content="...">` and its kin,
    // JSON-LD's `"datePublished": "..."`, then the first `<time datetime>`.
    for key in [
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "dc.date",
        "<time",
    ] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(key) {
            let at = from + i + key.len();
            // The first date after the key, before the tag or line ends.
            let window_end = lower[at..]
                .find(['>', '\n'])
                .map_or(lower.len(), |e| at + e + 1);
            let window_end = if key == "datepublished" {
                // JSON-LD: `"datePublished": "2024-08-13T..."` has no `>`.
                (at + 64).min(lower.len())
            } else {
                window_end
            };
            let window = &input.get(at..window_end).unwrap_or("");
            if let Some(date) = first_ymd(window) {
                return Some(date);
            }
            from = at;
        }
    }
    None
}

fn first_ymd(s: &str) -> Option<Date> {
    s.char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .find_map(|(i, _)| s.get(i..).and_then(parse_ymd))
}

/// Elements whose content is not the article's text.
const SKIPPED: [&str; 7] = [
    "script", "style", "head", "noscript", "template", "svg", "nav",
];
/// Elements that begin and end a paragraph.
const BLOCKS: [&str; 30] = [
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "hr",
    "figcaption",
    "figure",
    "main",
    "aside",
    "dd",
    "dt",
    "dl",
    "pre",
    "caption",
    "title",
];

/// Builds plain text and its map.
struct Builder {
    text: String,
    map: Vec<(usize, Range<usize>)>,
}

impl Builder {
    fn push(&mut self, c: char, from: Range<usize>) {
        self.map.push((self.text.len(), from));
        self.text.push(c);
    }

    /// A space, unless the text already ends in whitespace.
    fn space(&mut self, at: Range<usize>) {
        if !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
            self.push(' ', at);
        }
    }

    /// A paragraph break (a blank line), trimming trailing spaces first.
    fn paragraph(&mut self, at: Range<usize>) {
        while self.text.ends_with(' ') {
            self.text.pop();
            self.map.pop();
        }
        if self.text.is_empty() || self.text.ends_with("\n\n") {
            return;
        }
        if !self.text.ends_with('\n') {
            self.push('\n', at.clone());
        }
        self.push('\n', at);
    }
}

fn strip_html(input: &str) -> Plain {
    let mut out = Builder {
        text: String::with_capacity(input.len() / 2),
        map: Vec::with_capacity(input.len() / 2),
    };
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < input.len() {
        let c = input[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        match c {
            '<' => {
                let (end, tag) = read_tag(input, i);
                match tag {
                    Some(Tag { name, closing }) => {
                        if !closing && SKIPPED.contains(&name.as_str()) {
                            // Skip to the matching end tag (or the end of input).
                            let close = format!("</{name}");
                            let skip_to = find_ignore_case(input, end, &close)
                                .map_or(input.len(), |j| {
                                    input[j..].find('>').map_or(input.len(), |k| j + k + 1)
                                });
                            i = skip_to;
                            if name == "title" || name == "head" {
                                out.paragraph(i..i);
                            }
                            continue;
                        }
                        if BLOCKS.contains(&name.as_str()) {
                            out.paragraph(i..end);
                        } else if matches!(name.as_str(), "td" | "th") {
                            out.space(i..end);
                        }
                    }
                    None if end == i + 1 => out.push('<', i..end),
                    None => {}
                }
                i = end;
            }
            '&' => {
                let (end, decoded) = entity(input, i);
                match decoded {
                    Some(d) if d.is_whitespace() => out.space(i..end),
                    Some(d) => out.push(d, i..end),
                    None => out.push('&', i..i + 1),
                }
                i = end;
            }
            c if c.is_whitespace() => {
                out.space(i..i + len);
                i += len;
            }
            c => {
                out.push(c, i..i + len);
                i += len;
            }
        }
        debug_assert!(i <= bytes.len());
    }
    while out.text.ends_with(char::is_whitespace) {
        out.text.pop();
        out.map.pop();
    }
    Plain {
        text: out.text,
        map: Some(out.map),
        published: None,
        html: true,
    }
}

fn find_ignore_case(s: &str, from: usize, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    s.as_bytes()
        .get(from..)?
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
        .map(|p| from + p)
}

struct Tag {
    name: String,
    closing: bool,
}

/// Reads the markup starting at `<` (byte `at`): where it ends, and the tag
/// it is, if it is one. A `<` that begins no markup (`a < b`) is one byte of
/// text: `(at + 1, None)`.
fn read_tag(s: &str, at: usize) -> (usize, Option<Tag>) {
    let rest = &s[at..];
    if rest.starts_with("<!--") {
        let end = rest.find("-->").map_or(s.len(), |e| at + e + 3);
        return (end, None);
    }
    let b = rest.as_bytes();
    let closing = b.get(1) == Some(&b'/');
    let name_at = if closing { 2 } else { 1 };
    let starts_markup = match b.get(name_at) {
        Some(c) => c.is_ascii_alphabetic() || (!closing && matches!(c, b'!' | b'?')),
        None => false,
    };
    if !starts_markup {
        return (at + 1, None);
    }
    // The end: the first `>` outside quotes.
    let mut quote: Option<u8> = None;
    let mut end = s.len();
    for (k, &c) in b.iter().enumerate().skip(name_at) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => {
                end = at + k + 1;
                break;
            }
            None => {}
        }
    }
    let name: String = rest[name_at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if name.is_empty() {
        return (end, None);
    }
    (end, Some(Tag { name, closing }))
}

/// Decodes the entity at `&` (byte `at`): where it ends and its character,
/// or `(at + 1, None)` when it is not one.
fn entity(s: &str, at: usize) -> (usize, Option<char>) {
    let rest = &s[at + 1..];
    let Some(semi) = rest.get(..rest.len().min(12)).and_then(|r| r.find(';')) else {
        return (at + 1, None);
    };
    let body = &rest[..semi];
    let end = at + 1 + semi + 1;
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        code.and_then(char::from_u32).filter(|c| *c != '\0')
    } else {
        named_entity(body)
    };
    match c {
        Some(c) => (end, Some(c)),
        None => (at + 1, None),
    }
}

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "middot" => '·',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "ntilde" => 'ñ',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "auml" => 'ä',
        "ccedil" => 'ç',
        "shy" => '\u{ad}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_kept_and_its_date_line_blanked() {
        let input = " date 2024-08-13 13 August 2024\n\nAzerbaijan won 7 medals.";
        let plain = read(input);
        assert!(!plain.html);
        assert_eq!(plain.published, Some(jiff::civil::date(2024, 8, 13)));
        assert_eq!(plain.text.len(), input.len());
        assert!(plain.text[..17].trim().is_empty());
        assert!(plain.text[17..].starts_with("13 August"));
        let at = input.find("7 medals").unwrap();
        assert_eq!(plain.input_span(at..at + 8), at..at + 8);
    }

    #[test]
    fn html_loses_its_tags_and_keeps_a_map_to_the_input() {
        let input = "<html><head><title>T</title><meta property=\"article:published_time\" \
                     content=\"2024-09-17T10:00:00+04:00\"></head><body><script>var x = '<p>7 gold</p>';</script>\
                     <p>Team&nbsp;GB won <b>14</b> gold &amp; more.</p><p>Next&#8217;s</p></body></html>";
        let plain = read(input);
        assert!(plain.html);
        assert_eq!(plain.published, Some(jiff::civil::date(2024, 9, 17)));
        assert_eq!(plain.text, "Team GB won 14 gold & more.\n\nNext’s");
        let at = plain.text.find("14 gold").unwrap();
        let span = plain.input_span(at..at + "14 gold".len());
        assert_eq!(&input[span], "14</b> gold");
        let amp = plain.text.find('&').unwrap();
        assert_eq!(&input[plain.input_span(amp..amp + 1)], "&amp;");
    }

    #[test]
    fn dates_come_from_json_ld_and_time_elements() {
        let ld = "<script type=\"application/ld+json\">{\"datePublished\": \"2021-09-06\"}</script><p>x</p>";
        assert_eq!(read(ld).published, Some(jiff::civil::date(2021, 9, 6)));
        let time = "<p>By AP <time datetime=\"2022-02-20T18:00Z\">Feb 20</time></p>";
        assert_eq!(read(time).published, Some(jiff::civil::date(2022, 2, 20)));
        assert_eq!(read("<p>no date 2024-02-30</p>").published, None);
    }

    #[test]
    fn broken_markup_is_still_text() {
        for input in [
            "<",
            "a < b and c > d",
            "<p",
            "&",
            "&#xFFFFFFFF;",
            "<!--",
            "<script>x",
        ] {
            let plain = read(input);
            let n = plain.text.len();
            let _ = plain.input_span(0..n);
        }
        assert_eq!(read("<p>a < b</p>").text, "a < b");
    }
}
