//! Charts as self-contained SVG, drawn by hand: a delegation's rank day by
//! day, and the leaders' medal counts day by day. No dependencies, no
//! scripts, no external fonts; every mark carries `data-` attributes so tests
//! (and readers of the source) can check what was drawn.

use std::fmt::Write;

use jiff::civil::Date;

use crate::table::Counts;

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 460.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 110.0;
const TOP: f64 = 60.0;
const BOTTOM: f64 = 110.0;
/// Height of the band under the plot where each day's medals are marked.
const MEDAL_BAND: f64 = 40.0;

const GOLD: &str = "#c9a227";
const SILVER: &str = "#9ea3a8";
const BRONZE: &str = "#b0703c";
const PALETTE: [&str; 10] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22",
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn header(out: &mut String, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">
<title>{t}</title>
<rect width="100%" height="100%" fill="white"/>
<text x="{x}" y="28" text-anchor="middle" font-size="17" font-weight="bold">{t}</text>
"#,
        t = escape(title),
        x = WIDTH / 2.0
    );
}

/// A tick spacing of 1, 2 or 5 times a power of ten giving about five ticks up to `max`.
fn nice_step(max: u32) -> u32 {
    let mut unit = 1;
    loop {
        for step in [unit, 2 * unit, 5 * unit] {
            if max / step <= 6 {
                return step;
            }
        }
        unit *= 10;
    }
}

fn x_of(i: usize, n: usize) -> f64 {
    let plot = WIDTH - LEFT - RIGHT;
    if n <= 1 {
        LEFT + plot / 2.0
    } else {
        LEFT + plot * i as f64 / (n - 1) as f64
    }
}

/// The y axis's title, written upwards beside it.
fn y_title(out: &mut String, title: &str, plot_bottom: f64) {
    let middle = (TOP + plot_bottom) / 2.0;
    let _ = writeln!(
        out,
        r#"<text x="18" y="{middle:.1}" stroke="none" text-anchor="middle" transform="rotate(-90 18 {middle:.1})">{}</text>"#,
        escape(title)
    );
}

/// The x axis: one tick and label per day.
fn day_axis(out: &mut String, days: &[Date], y: f64) {
    let _ = writeln!(out, r#"<g class="axis x" stroke="black">"#);
    let _ = writeln!(
        out,
        r#"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}"/>"#,
        WIDTH - RIGHT
    );
    for (i, d) in days.iter().enumerate() {
        let x = x_of(i, days.len());
        let _ = writeln!(
            out,
            r#"<line x1="{x:.1}" y1="{y}" x2="{x:.1}" y2="{}"/><text x="{x:.1}" y="{}" stroke="none" text-anchor="end" transform="rotate(-45 {x:.1} {})" data-date="{d}">{}</text>"#,
            y + 5.0,
            y + 18.0,
            y + 18.0,
            d.strftime("%b %-d")
        );
    }
    let _ = writeln!(out, "</g>");
}

/// A delegation's rank on each day (rank 1 at the top), with the medals it
/// won each day marked under the plot. `ranks[i]` is `None` while it has no
/// rank (no medal yet, or unranked).
pub fn rank_chart(title: &str, days: &[Date], ranks: &[Option<u32>], won: &[Counts]) -> String {
    let mut out = String::new();
    header(&mut out, title);
    let worst = ranks.iter().flatten().copied().max().unwrap_or(1).max(2);
    let plot_bottom = HEIGHT - BOTTOM - MEDAL_BAND;
    let y_of = |r: u32| TOP + (plot_bottom - TOP) * f64::from(r - 1) / f64::from(worst - 1);
    // y axis: rank ticks at 1, the worst, and a few between.
    let _ = writeln!(out, r#"<g class="axis y" stroke="black">"#);
    let _ = writeln!(
        out,
        r#"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{plot_bottom}"/>"#
    );
    let step = nice_step(worst);
    let mut ticks: Vec<u32> = std::iter::once(1)
        .chain((step..worst).step_by(step as usize))
        .collect();
    ticks.push(worst);
    for r in ticks {
        let y = y_of(r);
        let _ = writeln!(
            out,
            r##"<line x1="{}" y1="{y:.1}" x2="{LEFT}" y2="{y:.1}"/><line x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#e4e4e4"/><text x="{}" y="{:.1}" stroke="none" text-anchor="end" data-rank="{r}">{r}</text>"##,
            LEFT - 5.0,
            WIDTH - RIGHT,
            LEFT - 8.0,
            y + 4.0
        );
    }
    y_title(&mut out, "rank (1 = top)", plot_bottom);
    let _ = writeln!(out, "</g>");
    day_axis(&mut out, days, HEIGHT - BOTTOM);
    // The rank line, broken where there is no rank.
    let _ = writeln!(
        out,
        r##"<g class="rank-line" fill="none" stroke="#1f4e9c" stroke-width="2.5">"##
    );
    let mut segment: Vec<String> = Vec::new();
    let flush = |segment: &mut Vec<String>, out: &mut String| {
        if segment.len() > 1 {
            let _ = writeln!(out, r#"<polyline points="{}"/>"#, segment.join(" "));
        }
        segment.clear();
    };
    for (i, r) in ranks.iter().enumerate() {
        match r {
            Some(r) => segment.push(format!("{:.1},{:.1}", x_of(i, days.len()), y_of(*r))),
            None => flush(&mut segment, &mut out),
        }
    }
    flush(&mut segment, &mut out);
    let _ = writeln!(out, "</g>");
    let _ = writeln!(out, r##"<g class="rank-points" fill="#1f4e9c">"##);
    for (i, (d, r)) in days.iter().zip(ranks).enumerate() {
        let x = x_of(i, days.len());
        match r {
            Some(r) => {
                let _ = writeln!(
                    out,
                    r#"<circle class="rank-point" cx="{x:.1}" cy="{:.1}" r="4" data-date="{d}" data-rank="{r}"><title>{d}: rank {r}</title></circle>"#,
                    y_of(*r)
                );
            }
            // No rank that day: a hollow mark on the day axis, so every day has its point.
            None => {
                let _ = writeln!(
                    out,
                    r##"<circle class="rank-point none" cx="{x:.1}" cy="{:.1}" r="3.5" fill="white" stroke="#888" data-date="{d}" data-rank=""><title>{d}: no rank</title></circle>"##,
                    HEIGHT - BOTTOM
                );
            }
        }
    }
    let _ = writeln!(out, "</g>");
    if let Some((i, Some(r))) = ranks.iter().enumerate().rev().find(|(_, r)| r.is_some()) {
        let _ = writeln!(
            out,
            r#"<text class="final-rank" x="{:.1}" y="{:.1}" font-weight="bold" data-rank="{r}">final: {r}</text>"#,
            x_of(i, days.len()) + 10.0,
            y_of(*r) + 4.0
        );
    }
    // Medals won each day: one dot per medal, gold at the top.
    let _ = writeln!(out, r#"<g class="medals-won">"#);
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{:.1}" text-anchor="end">won</text>"#,
        LEFT - 8.0,
        plot_bottom + 18.0
    );
    for (i, (d, c)) in days.iter().zip(won).enumerate() {
        let x = x_of(i, days.len());
        let mut y = plot_bottom + 14.0;
        for (n, colour, medal) in [
            (c.gold, GOLD, "gold"),
            (c.silver, SILVER, "silver"),
            (c.bronze, BRONZE, "bronze"),
        ] {
            for _ in 0..n {
                let _ = writeln!(
                    out,
                    r#"<circle class="medal {medal}" cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{colour}" stroke="black" stroke-width="0.5" data-date="{d}"><title>{d}: {medal}</title></circle>"#
                );
                y += 8.0;
            }
        }
    }
    let _ = writeln!(out, "</g>");
    legend(&mut out);
    out.push_str("</svg>\n");
    out
}

fn legend(out: &mut String) {
    let y = HEIGHT - 18.0;
    let mut x = LEFT;
    for (colour, label) in [(GOLD, "gold"), (SILVER, "silver"), (BRONZE, "bronze")] {
        let _ = writeln!(
            out,
            r#"<circle cx="{x}" cy="{}" r="5" fill="{colour}" stroke="black" stroke-width="0.5"/><text x="{}" y="{y}">{label} medal won that day</text>"#,
            y - 4.0,
            x + 9.0
        );
        x += 190.0;
    }
    let _ = writeln!(
        out,
        r##"<circle cx="{x}" cy="{}" r="3.5" fill="white" stroke="#888"/><text x="{}" y="{y}">no rank yet</text>"##,
        y - 4.0,
        x + 9.0
    );
}

/// The leaders' cumulative medal totals by day: one line per delegation.
pub fn race_chart(title: &str, days: &[Date], series: &[(String, Vec<u32>)]) -> String {
    let mut out = String::new();
    header(&mut out, title);
    let top = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    let plot_bottom = HEIGHT - BOTTOM;
    let y_of = |v: u32| plot_bottom - (plot_bottom - TOP) * f64::from(v) / f64::from(top);
    let _ = writeln!(out, r#"<g class="axis y" stroke="black">"#);
    let _ = writeln!(
        out,
        r#"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{plot_bottom}"/>"#
    );
    let step = nice_step(top);
    for v in (0..=top).step_by(step as usize) {
        let y = y_of(v);
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#e4e4e4"/><text x="{}" y="{:.1}" stroke="none" text-anchor="end">{v}</text>"##,
            WIDTH - RIGHT,
            LEFT - 8.0,
            y + 4.0
        );
    }
    y_title(&mut out, "medals (total)", plot_bottom);
    let _ = writeln!(out, "</g>");
    day_axis(&mut out, days, plot_bottom);
    for (k, (name, values)) in series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x_of(i, days.len()), y_of(*v)))
            .collect();
        let _ = writeln!(
            out,
            r#"<g class="series" data-noc="{n}" stroke="{colour}" fill="{colour}"><polyline points="{}" fill="none" stroke-width="2"/>"#,
            points.join(" "),
            n = escape(name)
        );
        if let Some(last) = values.last() {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" stroke="none">{} {last}</text>"#,
                x_of(values.len() - 1, days.len()) + 8.0,
                y_of(*last) + 4.0,
                escape(name)
            );
        }
        let _ = writeln!(out, "</g>");
    }
    out.push_str("</svg>\n");
    out
}
