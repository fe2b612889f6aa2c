//! The geometry of a figure's chart: each source's value over publication time. Numbers only;
//! the template draws them and escapes every label.

use std::collections::{BTreeMap, HashMap};

use corpus::{Figure, PubTime, Qualifier, ReportedValue};
use serde::Serialize;

use crate::compare::amount;

pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
/// Horizontal room kept for values of unknown date, right of the time axis.
const UNDATED_BAND: f64 = 100.0;
/// Marks at the same time are spread this far apart.
const SPREAD: f64 = 11.0;
const MAX_X_LABELS: usize = 5;
/// How many sources a mark's hover text names before "and N more".
const MARK_NAMES: usize = 5;

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    /// Where the "date unknown" column is, when some values have no date.
    pub undated: Option<Tick>,
    /// The line between the time axis and the "date unknown" column.
    pub separator: f64,
    pub marks: Vec<Mark>,
    /// The reference value's height, for a guide line.
    pub reference_y: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    /// `exact`, `lower` (a lower bound) or `about`.
    pub shape: &'static str,
    /// The outline for shapes drawn as a path (lower bounds), in SVG path syntax.
    pub path: String,
    /// What hovering shows: value, date, and each source with its authority.
    pub title: String,
    pub reference: bool,
}

fn y_scale(max: u64) -> (f64, Vec<u64>) {
    let max = max.max(1) as f64;
    let raw_step = max / 4.0;
    let magnitude = 10f64.powf(raw_step.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| max / s <= 5.0)
        .unwrap_or(magnitude * 10.0)
        .max(1.0);
    let top = (max / step).ceil() * step;
    let ticks = (0..=((top / step) as u64))
        .map(|i| (i as f64 * step) as u64)
        .collect();
    (top, ticks)
}

/// Where a value goes on the plot: the scales of both axes.
struct Axes {
    y_top: f64,
    plot_bottom: f64,
    has_undated: bool,
    time_left: f64,
    time_right: f64,
    /// The earliest and latest publication times, in seconds.
    first: i64,
    last: i64,
}

impl Axes {
    fn new(counted: &[&ReportedValue], y_top: f64) -> Axes {
        let has_undated = counted.iter().any(|v| v.published.is_none());
        let times: Vec<i64> = counted
            .iter()
            .filter_map(|v| v.published.map(|p| p.sort_key().timestamp()))
            .collect();
        Axes {
            y_top,
            plot_bottom: HEIGHT - BOTTOM,
            has_undated,
            time_left: LEFT + 24.0,
            time_right: WIDTH - RIGHT - if has_undated { UNDATED_BAND } else { 0.0 },
            first: times.iter().min().copied().unwrap_or(0),
            last: times.iter().max().copied().unwrap_or(0),
        }
    }

    fn y(&self, n: u64) -> f64 {
        self.plot_bottom - (n as f64 / self.y_top) * (self.plot_bottom - TOP)
    }

    fn x(&self, p: Option<PubTime>) -> f64 {
        match p {
            None => WIDTH - RIGHT - UNDATED_BAND / 2.0,
            Some(_) if self.first == self.last => (self.time_left + self.time_right) / 2.0,
            Some(p) => {
                let t = p.sort_key().timestamp();
                let span = self.time_right - 24.0 - self.time_left;
                self.time_left + (t - self.first) as f64 / (self.last - self.first) as f64 * span
            }
        }
    }
}

/// Sources giving the same amount at the same time share a mark: the values by mark, in the
/// order their first value comes.
fn shared_marks<'a>(counted: &[&'a ReportedValue]) -> Vec<Vec<&'a ReportedValue>> {
    let mut slots: HashMap<(Option<i64>, Option<u64>, Qualifier), usize> = HashMap::new();
    let mut groups: Vec<Vec<&ReportedValue>> = Vec::new();
    for v in counted {
        let key = (
            v.published.map(|p| p.sort_key().timestamp()),
            v.count,
            v.qualifier,
        );
        let at = *slots.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(v);
    }
    groups
}

/// The chart of a figure, or `None` when no value has a count.
pub fn chart(figure: &Figure) -> Option<Chart> {
    let counted: Vec<_> = figure.values.iter().filter(|v| v.count.is_some()).collect();
    let max = counted.iter().filter_map(|v| v.count).max()?;
    let (y_top, y_ticks) = y_scale(max);
    let axes = Axes::new(&counted, y_top);
    let groups = shared_marks(&counted);
    let reference_y = figure
        .most_direct
        .as_ref()
        .and_then(|k| figure.values.iter().find(|v| &v.key == k))
        .and_then(|v| v.count)
        .map(|n| round(axes.y(n)));
    Some(Chart {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        right: WIDTH - RIGHT,
        top: TOP,
        bottom: axes.plot_bottom,
        y_ticks: y_ticks
            .into_iter()
            .map(|n| Tick {
                at: round(axes.y(n)),
                label: n.to_string(),
            })
            .collect(),
        x_ticks: x_ticks(&groups, &axes),
        undated: axes.has_undated.then(|| Tick {
            at: round(axes.x(None)),
            label: "date unknown".into(),
        }),
        marks: spread_marks(figure, &groups, &axes),
        reference_y,
        separator: round(axes.time_right),
    })
}

/// One mark per group; marks at the same place are spread sideways so each stays visible.
fn spread_marks(figure: &Figure, groups: &[Vec<&ReportedValue>], axes: &Axes) -> Vec<Mark> {
    let mut at_x: BTreeMap<i64, usize> = BTreeMap::new();
    for group in groups {
        *at_x
            .entry(axes.x(group[0].published).round() as i64)
            .or_default() += 1;
    }
    let mut placed: BTreeMap<i64, usize> = BTreeMap::new();
    groups
        .iter()
        .map(|group| {
            let base = axes.x(group[0].published);
            let slot = base.round() as i64;
            let n = at_x[&slot];
            let i = placed.entry(slot).or_default();
            let x = base + (*i as f64 - (n as f64 - 1.0) / 2.0) * SPREAD;
            *i += 1;
            mark(figure, group, x, axes.y(group[0].count.unwrap_or(0)))
        })
        .collect()
}

fn mark(figure: &Figure, group: &[&ReportedValue], x: f64, y: f64) -> Mark {
    let v = group[0];
    let shape = match v.qualifier {
        Qualifier::AtLeast | Qualifier::MoreThan => "lower",
        Qualifier::About | Qualifier::Vague => "about",
        Qualifier::Exact => "exact",
    };
    let by = |v: &ReportedValue| {
        let source = v.authority.source.as_deref().unwrap_or("no attribution");
        format!("{}: {source}", v.outlet)
    };
    let mut sources: Vec<String> = group.iter().take(MARK_NAMES).map(|v| by(v)).collect();
    if group.len() > MARK_NAMES {
        sources.push(format!("and {} more", group.len() - MARK_NAMES));
    }
    let when = v
        .published
        .map(|p| p.to_string())
        .unwrap_or_else(|| "date unknown".into());
    Mark {
        x: round(x),
        y: round(y),
        shape,
        path: format!(
            "M{} {}L{} {}L{} {}Z",
            round(x),
            round(y - 6.0),
            round(x + 6.0),
            round(y + 5.0),
            round(x - 6.0),
            round(y + 5.0)
        ),
        title: format!(
            "{} ({when}) \u{2014} {}",
            amount(v.count, v.qualifier),
            sources.join("; ")
        ),
        reference: group
            .iter()
            .any(|v| figure.most_direct.as_deref() == Some(v.key.as_str())),
    }
}

/// At most `MAX_X_LABELS` dates under the time axis, the last always among them.
fn x_ticks(groups: &[Vec<&ReportedValue>], axes: &Axes) -> Vec<Tick> {
    let mut dated: Vec<PubTime> = groups.iter().filter_map(|g| g[0].published).collect();
    dated.sort_by_key(|p| p.sort_key());
    dated.dedup_by_key(|p| p.sort_key());
    let step = dated.len().div_ceil(MAX_X_LABELS).max(1);
    dated
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0 || *i == dated.len() - 1)
        .map(|(_, p)| Tick {
            at: round(axes.x(Some(*p))),
            label: p.date().to_string(),
        })
        .collect()
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_axis_has_round_ticks_covering_the_maximum() {
        assert_eq!(y_scale(21), (25.0, vec![0, 5, 10, 15, 20, 25]));
        assert_eq!(y_scale(111), (150.0, vec![0, 50, 100, 150]));
        assert_eq!(y_scale(1), (1.0, vec![0, 1]));
    }
}
