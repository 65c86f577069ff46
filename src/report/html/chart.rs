//! Weekly charts as inline SVG: grouped bars on a left axis (counts) and, optionally, one line on a right
//! axis of its own (an amount, such as weekly spend). No script, no font or image loaded: text is drawn with
//! the page's fonts, colours come from the page's style sheet through class names.
//!
//! The chart knows nothing about scans: give it week starts, bar series and an optional line, and it draws
//! them. The escalation pack draws 26 weeks of IaC commits and deployments with weekly spend; later reports
//! can draw any weekly series the same way.

use super::writer::Html;
use jiff::civil::Date;

/// One series of bars: a count per week.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// The legend's label.
    pub name: String,
    /// The CSS class that colours it.
    pub class: &'static str,
    /// One value per week, oldest first.
    pub values: Vec<u32>,
}

/// A line on the right axis: an amount per week, `None` where unknown (the line breaks there).
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    /// The legend's label.
    pub name: String,
    /// The right axis' title, e.g. `USD per week`.
    pub unit: String,
    /// The CSS class that colours it.
    pub class: &'static str,
    /// One value per week, oldest first.
    pub values: Vec<Option<f64>>,
}

/// A weekly chart.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyChart {
    /// What the chart shows, for screen readers (`aria-label`) and the SVG's `<title>`.
    pub title: String,
    /// The Monday of each week, oldest first.
    pub weeks: Vec<Date>,
    /// Bars, drawn side by side within each week.
    pub bars: Vec<BarSeries>,
    /// The left axis' title, e.g. `per week`.
    pub bar_unit: String,
    /// The line on the right axis, when there is one.
    pub line: Option<LineSeries>,
}

/// Drawing area, in SVG user units (the SVG scales to its container's width).
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 185.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 60.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;

impl WeeklyChart {
    /// Write the chart as an `<svg>` element.
    pub fn write(&self, h: &mut Html) {
        let view_box = format!("0 0 {WIDTH} {HEIGHT}");
        h.elem(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("viewBox", &view_box),
                ("role", "img"),
                ("aria-label", &self.title),
                ("class", "chart"),
            ],
            |h| {
                h.elem_text("title", &[], &self.title);
                self.legend(h);
                let counts = Scale::for_counts(self.max_count());
                self.left_axis(h, &counts);
                if let Some(line) = &self.line {
                    let money = Scale::for_amounts(max_amount(&line.values));
                    right_axis(h, line, &money);
                    self.bars(h, &counts);
                    self.line(h, line, &money);
                } else {
                    self.bars(h, &counts);
                }
                self.week_labels(h);
            },
        );
    }

    fn max_count(&self) -> f64 {
        let max = self
            .bars
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .max()
            .unwrap_or(0);
        f64::from(max)
    }

    fn plot_width(&self) -> f64 {
        WIDTH - LEFT - RIGHT
    }

    fn slot_width(&self) -> f64 {
        self.plot_width() / self.weeks.len().max(1) as f64
    }

    /// The x of the middle of week `i`.
    fn slot_middle(&self, i: usize) -> f64 {
        LEFT + self.slot_width() * (i as f64 + 0.5)
    }

    fn legend(&self, h: &mut Html) {
        let mut x = LEFT;
        for series in &self.bars {
            swatch(h, x, series.class, false);
            label(h, x + 14.0, 14.0, "start", "legend", &series.name);
            x += 24.0 + 6.5 * series.name.chars().count() as f64;
        }
        if let Some(line) = &self.line {
            swatch(h, x, line.class, true);
            label(h, x + 14.0, 14.0, "start", "legend", &line.name);
        }
    }

    fn left_axis(&self, h: &mut Html, scale: &Scale) {
        let right = WIDTH - RIGHT;
        for tick in scale.ticks() {
            let y = num(y_for(tick, scale.top));
            h.empty(
                "line",
                &[
                    ("x1", &num(LEFT)),
                    ("x2", &num(right)),
                    ("y1", &y),
                    ("y2", &y),
                    ("class", if tick == 0.0 { "axis" } else { "grid" }),
                ],
            );
            label(
                h,
                LEFT - 6.0,
                y_for(tick, scale.top) + 3.5,
                "end",
                "tick",
                &count_label(tick),
            );
        }
        vertical_title(h, 12.0, &self.bar_unit);
    }

    fn bars(&self, h: &mut Html, scale: &Scale) {
        let series = self.bars.len().max(1) as f64;
        let group = self.slot_width() * 0.8;
        let bar = group / series;
        for (s, bars) in self.bars.iter().enumerate() {
            h.elem("g", &[("class", bars.class)], |h| {
                for (i, value) in bars.values.iter().enumerate().take(self.weeks.len()) {
                    if *value == 0 {
                        continue;
                    }
                    let x = self.slot_middle(i) - group / 2.0 + bar * s as f64;
                    let y = y_for(f64::from(*value), scale.top);
                    let tip = format!("{}: {} {}", self.weeks[i], value, bars.name);
                    h.elem(
                        "rect",
                        &[
                            ("x", &num(x)),
                            ("y", &num(y)),
                            ("width", &num(bar * 0.92)),
                            ("height", &num(HEIGHT - BOTTOM - y)),
                        ],
                        |h| h.elem_text("title", &[], &tip),
                    );
                }
            });
        }
    }

    fn line(&self, h: &mut Html, line: &LineSeries, scale: &Scale) {
        h.elem("g", &[("class", line.class)], |h| {
            let mut run: Vec<(f64, f64)> = Vec::new();
            let points = line
                .values
                .iter()
                .enumerate()
                .take(self.weeks.len())
                .map(|(i, v)| v.map(|v| (self.slot_middle(i), y_for(v, scale.top))));
            for point in points.chain(std::iter::once(None)) {
                match point {
                    Some(p) => run.push(p),
                    None => {
                        polyline(h, &run);
                        run.clear();
                    }
                }
            }
        });
    }

    /// The Monday of every fourth week, counted back from the last, so the latest week is always labelled.
    fn week_labels(&self, h: &mut Html) {
        let n = self.weeks.len();
        for (i, week) in self.weeks.iter().enumerate() {
            if !(n - 1 - i).is_multiple_of(4) {
                continue;
            }
            let x = self.slot_middle(i);
            let y = HEIGHT - BOTTOM;
            h.empty(
                "line",
                &[
                    ("x1", &num(x)),
                    ("x2", &num(x)),
                    ("y1", &num(y)),
                    ("y2", &num(y + 4.0)),
                    ("class", "axis"),
                ],
            );
            label(h, x, y + 16.0, "middle", "tick", &short_date(*week));
        }
        label(
            h,
            LEFT + self.plot_width() / 2.0,
            HEIGHT - 6.0,
            "middle",
            "axis-title",
            "week starting (Monday)",
        );
    }
}

fn right_axis(h: &mut Html, line: &LineSeries, scale: &Scale) {
    let x = WIDTH - RIGHT;
    for tick in scale.ticks() {
        label(
            h,
            x + 6.0,
            y_for(tick, scale.top) + 3.5,
            "start",
            &format!("tick {}", line.class),
            &amount_label(tick),
        );
    }
    vertical_title(h, WIDTH - 8.0, &line.unit);
}

fn polyline(h: &mut Html, run: &[(f64, f64)]) {
    match run {
        [] => {}
        [(x, y)] => h.empty(
            "circle",
            &[("cx", &num(*x)), ("cy", &num(*y)), ("r", "2.5")],
        ),
        _ => {
            let points: Vec<String> = run
                .iter()
                .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
                .collect();
            h.empty(
                "polyline",
                &[("points", &points.join(" ")), ("fill", "none")],
            );
        }
    }
}

fn swatch(h: &mut Html, x: f64, class: &str, line: bool) {
    if line {
        h.empty(
            "line",
            &[
                ("x1", &num(x)),
                ("x2", &num(x + 10.0)),
                ("y1", "10"),
                ("y2", "10"),
                ("class", &format!("swatch-line {class}")),
            ],
        );
    } else {
        h.empty(
            "rect",
            &[
                ("x", &num(x)),
                ("y", "5"),
                ("width", "10"),
                ("height", "10"),
                ("class", class),
            ],
        );
    }
}

fn label(h: &mut Html, x: f64, y: f64, anchor: &str, class: &str, text: &str) {
    h.elem_text(
        "text",
        &[
            ("x", &num(x)),
            ("y", &num(y)),
            ("text-anchor", anchor),
            ("class", class),
        ],
        text,
    );
}

fn vertical_title(h: &mut Html, x: f64, text: &str) {
    let y = TOP + (HEIGHT - TOP - BOTTOM) / 2.0;
    let rotate = format!("rotate(-90 {} {})", num(x), num(y));
    h.elem_text(
        "text",
        &[
            ("x", &num(x)),
            ("y", &num(y)),
            ("text-anchor", "middle"),
            ("transform", &rotate),
            ("class", "axis-title"),
        ],
        text,
    );
}

/// An axis from 0 to `top` with ticks every `step`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scale {
    top: f64,
    step: f64,
}

impl Scale {
    /// Whole-number ticks (at least 0..4, so a quiet chart still has a scale).
    fn for_counts(max: f64) -> Scale {
        let step = nice_step(max.max(4.0) / 4.0, false).max(1.0);
        Scale::covering(max.max(4.0), step)
    }

    /// Ticks for amounts (at least 0..1).
    fn for_amounts(max: f64) -> Scale {
        let step = nice_step(max.max(1.0) / 4.0, true);
        Scale::covering(max.max(1.0), step)
    }

    fn covering(max: f64, step: f64) -> Scale {
        let top = (max / step).ceil().max(1.0) * step;
        Scale { top, step }
    }

    fn ticks(&self) -> Vec<f64> {
        let n = (self.top / self.step).round() as usize;
        (0..=n).map(|i| i as f64 * self.step).collect()
    }
}

/// The smallest of 1, 2, (2.5 when `quarters`), 5 × 10ⁿ that is at least `raw`. Counts take no quarters:
/// a tick at 2.5 commits would mean nothing.
fn nice_step(raw: f64, quarters: bool) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let multiples: &[f64] = if quarters {
        &[1.0, 2.0, 2.5, 5.0, 10.0]
    } else {
        &[1.0, 2.0, 5.0, 10.0]
    };
    multiples
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

fn max_amount(values: &[Option<f64>]) -> f64 {
    values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// The y of `value` on an axis from 0 (bottom of the plot) to `top`.
fn y_for(value: f64, top: f64) -> f64 {
    let plot = HEIGHT - TOP - BOTTOM;
    let share = if top > 0.0 {
        (value / top).clamp(0.0, 1.0)
    } else {
        0.0
    };
    HEIGHT - BOTTOM - plot * share
}

/// A coordinate with at most one decimal, so the SVG is short and the same on every platform.
fn num(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn count_label(v: f64) -> String {
    format!("{v:.0}")
}

/// `1,250`, `2.5k` (over 10,000), `12.5` (small steps keep their decimals).
fn amount_label(v: f64) -> String {
    if v >= 10_000.0 {
        let k = v / 1000.0;
        if k.fract() == 0.0 {
            format!("{k:.0}k")
        } else {
            format!("{k:.1}k")
        }
    } else if v.fract() == 0.0 {
        crate::report::wording::thousands(&(v as u64).to_string())
    } else {
        format!("{v:.1}")
    }
}

/// `4 May`.
pub fn short_date(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = usize::try_from(d.month() - 1).unwrap_or(0).min(11);
    format!("{} {}", d.day(), MONTHS[month])
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn chart(line: Option<LineSeries>) -> WeeklyChart {
        let weeks: Vec<Date> = (0..6)
            .map(|i| {
                date(2026, 10, 19)
                    .checked_add(jiff::Span::new().weeks(i))
                    .unwrap()
            })
            .collect();
        WeeklyChart {
            title: "Weekly <activity>".into(),
            weeks,
            bars: vec![
                BarSeries {
                    name: "IaC commits".into(),
                    class: "commits",
                    values: vec![0, 2, 0, 9, 1, 3],
                },
                BarSeries {
                    name: "deployments".into(),
                    class: "deploys",
                    values: vec![1, 0, 0, 4, 0, 2],
                },
            ],
            bar_unit: "per week".into(),
            line,
        }
    }

    fn svg(c: &WeeklyChart) -> String {
        let mut h = Html::new();
        c.write(&mut h);
        h.finish()
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.3, true), 0.5);
        assert_eq!(nice_step(1.0, true), 1.0);
        assert_eq!(nice_step(2.25, true), 2.5);
        assert_eq!(nice_step(2.25, false), 5.0);
        assert_eq!(nice_step(3.0, true), 5.0);
        assert_eq!(nice_step(130.0, true), 200.0);
        assert_eq!(nice_step(0.0, true), 1.0);
        assert_eq!(nice_step(f64::NAN, false), 1.0);
        let s = Scale::for_counts(9.0);
        assert_eq!((s.top, s.step), (10.0, 5.0));
        assert_eq!(s.ticks(), vec![0.0, 5.0, 10.0]);
        assert_eq!(
            Scale::for_counts(0.0).ticks(),
            vec![0.0, 1.0, 2.0, 3.0, 4.0]
        );
        let m = Scale::for_amounts(412.1);
        assert_eq!((m.top, m.step), (600.0, 200.0));
    }

    #[test]
    fn one_bar_per_nonzero_week_and_series_and_labels_every_fourth_week() {
        let s = svg(&chart(None));
        // 4 commit weeks and 3 deployment weeks are not zero.
        assert_eq!(
            s.matches("<rect x=").count(),
            7 + 2,
            "7 bars and 2 legend swatches"
        );
        assert!(s.contains("<title>2026-11-09: 9 IaC commits</title>"));
        // The last week (23 Nov) and the one four before it (26 Oct) carry labels.
        assert!(s.contains(">23 Nov</text>"));
        assert!(s.contains(">26 Oct</text>"));
        assert!(!s.contains(">2 Nov</text>"));
        assert!(s.contains("aria-label=\"Weekly &lt;activity&gt;\""));
        assert!(!s.contains("polyline"));
    }

    #[test]
    fn the_line_breaks_where_a_week_is_unknown_and_has_its_own_axis() {
        let line = LineSeries {
            name: "spend".into(),
            unit: "USD per week".into(),
            class: "spend",
            values: vec![None, Some(100.0), Some(250.0), None, Some(1200.0), None],
        };
        let s = svg(&chart(Some(line)));
        assert_eq!(s.matches("<polyline").count(), 1);
        assert_eq!(s.matches("<circle").count(), 1, "a lone point is a dot");
        assert!(s.contains(">USD per week</text>"));
        assert!(s.contains(">1,500</text>"), "ticks every 500 up to 1,500");
    }

    #[test]
    fn labels_read_naturally() {
        assert_eq!(short_date(date(2026, 5, 4)), "4 May");
        assert_eq!(amount_label(1250.0), "1,250");
        assert_eq!(amount_label(25_000.0), "25k");
        assert_eq!(amount_label(12_500.0), "12.5k");
        assert_eq!(amount_label(0.5), "0.5");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(12.0), "12");
    }
}
