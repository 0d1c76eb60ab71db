//! Checking an article over HTTP: `POST /api/check/text` (the article as
//! the body, `?published=DATE` if it states none) answers the JSON of
//! `podium check --text FILE --format json`, from the same
//! `answer::news::judge_text`; the page `/check` is a form to paste an
//! article into, answered with the article shown, each figure marked by its
//! verdict with the ledger's value beside it, and a link to the table it was
//! judged against at the as-of and known-at of that judgement.
//!
//! Nothing is recorded, so no token is needed; the body is bounded
//! (`CHECK_BODY_BYTES_MAX`, 413 beyond) and so is the work (`CHECK_TIME_MAX`,
//! 503 beyond). Every string from the article or the ledger goes through `esc`.

use std::fmt::Write;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Deserialize;

use super::api::{error_response, head_headers, status_of, Served};
use super::html::{esc, layout, query};
use super::state::Shared;
use crate::answer::news::{judge_text, Judged, TextClaim};
use crate::answer::Source;
use crate::claims::Verdict;
use crate::error::{Error, Result};
use crate::event::parse_date;

/// Largest article the server reads: far beyond a long feature.
pub const CHECK_BODY_BYTES_MAX: usize = 256 * 1024;
/// Longest a check may take (reading takes milliseconds; building the
/// lexicon, once per head, under a second).
pub const CHECK_TIME_MAX: Duration = Duration::from_secs(10);

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/check/text", axum::routing::post(check_text))
        .route("/check", get(page).post(page_checked))
}

#[derive(Deserialize)]
struct Params {
    published: Option<String>,
}

/// The body, read to its end within the bounds: 413 beyond the size, 408
/// when it does not arrive in time.
async fn body_text(shared: &Shared, body: Body) -> Result<String, (StatusCode, String)> {
    let limited = Limited::new(body, CHECK_BODY_BYTES_MAX);
    let bytes: Bytes =
        match tokio::time::timeout(shared.limits.body_timeout, limited.collect()).await {
            Err(_) => {
                return Err((
                    StatusCode::REQUEST_TIMEOUT,
                    "the article did not arrive in time".into(),
                ))
            }
            Ok(Err(e)) if e.is::<LengthLimitError>() => {
                return Err((
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the article is longer than {CHECK_BODY_BYTES_MAX} bytes"),
                ))
            }
            Ok(Err(e)) => {
                return Err((
                    StatusCode::BAD_REQUEST,
                    format!("the body did not arrive whole: {e}"),
                ))
            }
            Ok(Ok(collected)) => collected.to_bytes(),
        };
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        (
            StatusCode::BAD_REQUEST,
            format!(
                "the article is not UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Reads and judges an article on a query thread, within `CHECK_TIME_MAX`.
async fn judged(
    shared: &Arc<Shared>,
    text: String,
    published: Option<String>,
) -> Result<(Judged, Option<crate::record::Head>)> {
    let published = published
        .filter(|p| !p.trim().is_empty())
        .map(|p| parse_date(p.trim()))
        .transpose()?;
    let source = Served::of(shared);
    let work = shared.pool.run(move || {
        let model = source.model()?;
        let view = model.view()?;
        let judged = judge_text(&view, &text, published)?;
        Ok::<_, Error>((judged, view.head()))
    });
    match tokio::time::timeout(CHECK_TIME_MAX, work).await {
        Ok(answered) => answered?,
        Err(_) => Err(Error::new(crate::error::ErrorKind::Overloaded(format!(
            "the check took longer than {} s",
            CHECK_TIME_MAX.as_secs()
        )))),
    }
}

/// `POST /api/check/text`: the JSON of `check --text --format json`.
async fn check_text(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<Params>,
    body: Body,
) -> Response {
    let text = match body_text(&shared, body).await {
        Ok(text) => text,
        Err((status, message)) => {
            let body = serde_json::json!({ "error": message, "status": status.as_u16() });
            return (status, axum::Json(body)).into_response();
        }
    };
    match judged(&shared, text, params.published).await {
        Ok((judged, head)) => {
            let mut response = axum::Json(&judged.claims).into_response();
            head_headers(response.headers_mut(), head);
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            response
        }
        Err(e) => error_response(&e),
    }
}

/// `GET /check`: the form.
async fn page() -> Response {
    html(StatusCode::OK, &form("", "", None), None)
}

/// `POST /check` (a form: `text`, `published`): the article marked.
async fn page_checked(State(shared): State<Arc<Shared>>, body: Body) -> Response {
    let form_body = match body_text(&shared, body).await {
        Ok(text) => text,
        Err((status, message)) => return html(status, &form("", "", Some(&message)), None),
    };
    let fields = form_fields(&form_body);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let (text, published) = (field("text").to_owned(), field("published").to_owned());
    match judged(&shared, text.clone(), Some(published.clone())).await {
        Ok((judged, head)) => {
            let used = judged.published.to_string();
            let page = format!("{}{}", form(&text, &used, None), checked(&judged));
            html(StatusCode::OK, &page, head.map(|h| h.seq))
        }
        Err(e) => html(
            status_of(&e),
            &form(&text, &published, Some(&e.to_string())),
            None,
        ),
    }
}

fn html(status: StatusCode, body: &str, seq: Option<u64>) -> Response {
    let page = layout("Check an article", None, None, body, seq);
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response()
}

/// The fields of an `application/x-www-form-urlencoded` body.
fn form_fields(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|h| bytes[i] == b'%' && h.iter().all(u8::is_ascii_hexdigit))
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (_, Some(b)) => {
                out.push(b);
                i += 3;
                continue;
            }
            (b'+', None) => out.push(b' '),
            (b, None) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The form, with what was sent, and an error if there was one.
fn form(text: &str, published: &str, error: Option<&str>) -> String {
    let error = error.map_or_else(String::new, |e| {
        format!(r#"<p class="error" role="alert">{}</p>"#, esc(e))
    });
    format!(
        r#"<h1>Check an article</h1>
<p>Paste a news article (plain text or HTML). Every figure it claims that the ledger can judge is found and judged as of its publication day. Nothing is recorded.</p>
{error}<form id="check-form" method="post" action="/check" class="check-form">
<label>Article <textarea name="text" rows="12" required>{text}</textarea></label>
<label>Published <input type="date" name="published" value="{published}"><small>if the article does not say</small></label>
<button type="submit">Check</button>
</form>
"#,
        text = esc(text),
        published = esc(published),
    )
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Confirmed => "confirmed",
        Verdict::Contradicted => "contradicted",
        Verdict::Unverifiable => "unverifiable",
    }
}

/// The ledger's value in words ("19", "no rank", "not held").
fn ledger_words(c: &TextClaim) -> String {
    match &c.checked.ledger {
        Some(l) => l
            .value
            .map_or_else(|| "no rank".to_owned(), |v| v.to_string()),
        None => "not in the ledger".to_owned(),
    }
}

/// A claim in words: "AZE gold in Para Judo for Ilham ZAKIYEV at tokyo-2020-paralympics = at least 1".
fn claim_words(c: &TextClaim) -> String {
    crate::answer::news::claim_words(&c.checked)
}

/// The link to the table a claim was judged against.
fn table_link(c: &TextClaim) -> String {
    let t = &c.table;
    let href = format!(
        "/games/{}{}",
        super::html::url_encode(&t.games),
        query(&[
            ("as_of", t.as_of.as_deref()),
            ("known_at", t.known_at.as_deref())
        ])
    );
    let as_of = t.as_of.as_deref().unwrap_or("final");
    let known = t.known_at.as_deref().unwrap_or("now");
    format!(
        r#"<a class="table-link" href="{}">{} as of {} known at {}</a>"#,
        esc(&href),
        esc(&t.games),
        esc(as_of),
        esc(known)
    )
}

/// The article with its figures marked, and the list of claims.
fn checked(judged: &Judged) -> String {
    let claims = &judged.claims;
    let count = |v: Verdict| claims.iter().filter(|c| c.checked.verdict == v).count();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<section id="checked" data-claims="{}" aria-label="The article checked">
<p class="summary">Published {}: {} claims, {} confirmed, {} contradicted, {} unverifiable. Nothing was recorded.</p>
"#,
        claims.len(),
        judged.published,
        claims.len(),
        count(Verdict::Confirmed),
        count(Verdict::Contradicted),
        count(Verdict::Unverifiable)
    );
    // Marks in the text: one per span (several claims may rest on the same words).
    let mut spans: Vec<(std::ops::Range<usize>, Vec<usize>)> = Vec::new();
    for (i, c) in claims.iter().enumerate() {
        match spans.iter_mut().find(|(s, _)| *s == c.plain_span) {
            Some((_, list)) => list.push(i),
            None => spans.push((c.plain_span.clone(), vec![i])),
        }
    }
    spans.sort_by_key(|(s, _)| (s.start, s.end));
    let text = &judged.plain;
    let mut article = String::new();
    // The blank a dated first line leaves ("date 2024-09-17" read and blanked) is not shown.
    let mut at = text.len() - text.trim_start().len();
    for (span, list) in &spans {
        if span.start < at || span.end > text.len() {
            continue; // overlapping another mark: in the list below only
        }
        let verdicts: Vec<Verdict> = list.iter().map(|&i| claims[i].checked.verdict).collect();
        let class = if verdicts.contains(&Verdict::Contradicted) {
            "contradicted"
        } else if verdicts.iter().all(|v| *v == Verdict::Confirmed) {
            "confirmed"
        } else {
            "unverifiable"
        };
        let title: Vec<String> = list
            .iter()
            .map(|&i| {
                format!(
                    "{}: {}",
                    verdict_class(claims[i].checked.verdict),
                    claim_words(&claims[i])
                )
            })
            .collect();
        let ledger: Vec<String> = list
            .iter()
            .map(|&i| match claims[i].checked.ledger {
                Some(_) => ledger_words(&claims[i]),
                None => "no figure".to_owned(),
            })
            .collect();
        let _ = write!(
            article,
            r#"{}<mark class="claim {class}" id="claim-{}" title="{}">{}</mark><span class="ledger-value">ledger: {}</span>"#,
            esc(&text[at..span.start]),
            list[0] + 1,
            esc(&title.join("; ")),
            esc(&text[span.clone()]),
            esc(&ledger.join(", ")),
        );
        at = span.end;
    }
    let _ = write!(article, "{}", esc(&text[at.min(text.len())..]));
    let _ = write!(out, r#"<div class="article">{article}</div>"#);
    out.push_str(
        r#"<div class="scroll"><table id="claims"><caption>Claims found, in the order written</caption>
<thead><tr><th scope="col">Verdict</th><th scope="col">Words</th><th scope="col">Claim</th><th scope="col">Ledger</th><th scope="col">Judged against</th></tr></thead>
<tbody>
"#,
    );
    for (i, c) in claims.iter().enumerate() {
        let class = verdict_class(c.checked.verdict);
        let note = c
            .checked
            .note
            .as_deref()
            .map_or_else(String::new, |n| format!(r#"<br><small>{}</small>"#, esc(n)));
        let _ = writeln!(
            out,
            r##"<tr class="{class}"><td>{class}</td><td><a href="#claim-{}">“{}”</a></td><td>{}{note}</td><td>{}</td><td>{}</td></tr>"##,
            spans
                .iter()
                .find(|(s, _)| *s == c.plain_span)
                .map_or(i + 1, |(_, list)| list[0] + 1),
            esc(&c.words),
            esc(&claim_words(c)),
            esc(&ledger_words(c)),
            if c.checked.ledger.is_some() {
                table_link(c)
            } else {
                String::new()
            },
        );
    }
    out.push_str("</tbody></table></div>\n</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_decoded() {
        let fields = form_fields("text=Kenya+won+11%20medals%21&published=2024-08-12&x=%zz&y=%4");
        assert_eq!(fields[0], ("text".into(), "Kenya won 11 medals!".into()));
        assert_eq!(fields[1], ("published".into(), "2024-08-12".into()));
        assert_eq!(fields[2].1, "%zz");
        assert_eq!(fields[3].1, "%4");
    }
}
