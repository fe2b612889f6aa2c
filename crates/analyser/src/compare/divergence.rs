//! Why a value differs from the reference: reasons a reader can check against the quotes,
//! dates and sources shown beside them.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use corpus::{AuthorityKind, Divergence, PubTime, Qualifier, Reason, ReasonKind, ReportedValue};

use super::{Candidate, Rules};

/// What the reasons need to know of all a figure's values, computed once per figure.
pub(crate) struct Context<'a> {
    /// Per count: the keys of the values giving it, and their sources (copy groups).
    by_count: BTreeMap<u64, (Vec<&'a str>, BTreeSet<&'a str>)>,
    /// Smallest and largest count that a named source (not unnamed, not unattributed) gives.
    backed: Option<(u64, u64)>,
    /// The event's place: what a claim naming no place is about.
    place: Option<&'a str>,
}

impl<'a> Context<'a> {
    pub fn of(all: &'a [Candidate], place: Option<&'a str>) -> Context<'a> {
        let mut by_count: BTreeMap<u64, (Vec<&str>, BTreeSet<&str>)> = BTreeMap::new();
        let mut backed: Option<(u64, u64)> = None;
        for c in all {
            let Some(n) = c.value.count else { continue };
            let entry = by_count.entry(n).or_default();
            entry.0.push(&c.value.key);
            entry.1.insert(&c.group);
            if c.value.authority.kind < AuthorityKind::Vague {
                backed = Some(backed.map_or((n, n), |(lo, hi)| (lo.min(n), hi.max(n))));
            }
        }
        Context {
            by_count,
            backed,
            place,
        }
    }
}

/// The divergence of `value` from `reference`, or `None` when they give the same count.
pub(crate) fn explain(
    value: &Candidate,
    reference: &Candidate,
    all: &Context,
    rules: &Rules,
) -> Option<Divergence> {
    let (v, r) = (&value.value, &reference.value);
    let (Some(vc), Some(rc)) = (v.count, r.count) else {
        return None;
    };
    if vc == rc {
        return None;
    }
    let mut reasons = scope(value, reference, all);
    reasons.extend(timing(v, r, rules));
    reasons.extend(bound(v, r, rules));
    if reasons.is_empty() {
        reasons.extend(likely_error(value, all, rules));
    }
    if reasons.is_empty() {
        reasons.push(authority(v, r));
    }
    Some(Divergence {
        value: v.key.clone(),
        reference: r.key.clone(),
        consistent: reasons[0].kind.reconciles(),
        reasons,
    })
}

fn reason(kind: ReasonKind, text: String) -> Reason {
    Reason {
        kind,
        text,
        related: Vec::new(),
    }
}

/// "at least 18", "about 30", "21".
pub fn amount(count: Option<u64>, qualifier: Qualifier) -> String {
    let Some(n) = count else {
        return "an unstated number".into();
    };
    match qualifier {
        Qualifier::Exact => n.to_string(),
        Qualifier::AtLeast => format!("at least {n}"),
        Qualifier::MoreThan => format!("more than {n}"),
        Qualifier::About => format!("about {n}"),
        Qualifier::Vague => "an unstated number".into(),
    }
}

fn amount_of(v: &ReportedValue) -> String {
    amount(v.count, v.qualifier)
}

fn source_of(v: &ReportedValue) -> String {
    match &v.authority.source {
        Some(s) => s.clone(),
        None => format!("{} in its own voice", v.outlet),
    }
}

fn date_of(v: &ReportedValue) -> String {
    v.published
        .map(|p| p.to_string())
        .unwrap_or_else(|| "an unknown date".into())
}

/// A different place, date, or part of the whole.
fn scope(value: &Candidate, reference: &Candidate, all: &Context) -> Vec<Reason> {
    let (v, r) = (&value.value, &reference.value);
    let (vc, rc) = (v.count.unwrap_or(0), r.count.unwrap_or(0));
    let mut reasons = Vec::new();
    // A claim that names no place is about the event's.
    let place = |c: &ReportedValue| c.location.clone().or_else(|| all.place.map(String::from));
    // ("Belgorod" and "Belgorod, Belgorod Oblast, Russia" are one place)
    if let (Some(vl), Some(rl)) = (place(v), place(r))
        && !crate::gazetteer::same_place(&vl, &rl)
    {
        reasons.push(reason(
            ReasonKind::DifferentScope,
            format!(
                "{} is about {vl}; {} is about {rl}",
                amount_of(v),
                amount_of(r)
            ),
        ));
    }
    if let (Some(vw), Some(rw)) = (v.when, r.when)
        && vw != rw
    {
        reasons.push(reason(
            ReasonKind::DifferentScope,
            format!(
                "{} is about {vw}; {} is about {rw}",
                amount_of(v),
                amount_of(r)
            ),
        ));
    }
    // "14 adults and two children": the 14 is a part of a total the sentence gives.
    if let Some(whole) = &value.whole {
        let own = whole.parts.iter().position(|p| p.count == vc);
        let others: Vec<String> = whole
            .parts
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != own)
            .map(|(_, p)| format!("{} {}", p.count, p.subject))
            .collect();
        reasons.push(Reason {
            kind: ReasonKind::DifferentScope,
            text: format!(
                "{} counts the {} only: the same sentence gives {} in all{}",
                amount_of(v),
                v.noun.as_deref().unwrap_or("part"),
                whole.count,
                if others.is_empty() {
                    String::new()
                } else {
                    format!(", with {}", others.join(" and "))
                }
            ),
            related: vec![whole.key.clone()],
        });
    }
    for part in &value.parts {
        if vc.checked_sub(part.count) == Some(rc) {
            reasons.push(reason(
                ReasonKind::DifferentScope,
                format!(
                    "{} includes {} {}; without them it is {rc}",
                    amount_of(v),
                    part.count,
                    part.subject
                ),
            ));
        }
    }
    for part in &reference.parts {
        if rc.checked_sub(part.count) == Some(vc) {
            reasons.push(reason(
                ReasonKind::DifferentScope,
                format!(
                    "{} includes {} {}; {} may leave them out",
                    amount_of(r),
                    part.count,
                    part.subject,
                    amount_of(v)
                ),
            ));
        }
    }
    reasons
}

/// A later report, or a figure the quote itself calls an earlier one.
fn timing(v: &ReportedValue, r: &ReportedValue, rules: &Rules) -> Option<Reason> {
    let (vc, rc) = (v.count?, r.count?);
    if let Some(marker) = rules.earlier_marker(&v.quote) {
        return Some(reason(
            ReasonKind::LaterReport,
            format!(
                "the article gives {} as an earlier figure (\u{201c}{marker}\u{201d}); {} is the later one",
                amount_of(v),
                amount_of(r)
            ),
        ));
    }
    let order = published_order(v.published?, r.published?)?;
    let text = match (order, vc > rc) {
        (Ordering::Less, false) => format!(
            "{} was published on {}, before {} on {}: the toll rose",
            amount_of(v),
            date_of(v),
            amount_of(r),
            date_of(r)
        ),
        (Ordering::Less, true) => format!(
            "{} was published on {}, before {} on {}: the figure was revised down",
            amount_of(v),
            date_of(v),
            amount_of(r),
            date_of(r)
        ),
        (_, true) => format!(
            "{} is a later report ({}) than {} ({}): the toll rose",
            amount_of(v),
            date_of(v),
            amount_of(r),
            date_of(r)
        ),
        (_, false) => format!(
            "{} is a later report ({}) than {} ({}), and lower",
            amount_of(v),
            date_of(v),
            amount_of(r),
            date_of(r)
        ),
    };
    Some(reason(ReasonKind::LaterReport, text))
}

/// The order of two publication times, when it can be told: two calendar dates, or a date
/// and a time on different days, or two times.
fn published_order(a: PubTime, b: PubTime) -> Option<Ordering> {
    match (a, b) {
        (PubTime::DateTime(x), PubTime::DateTime(y)) => Some(x.cmp(&y)).filter(|o| o.is_ne()),
        _ => Some(a.date().cmp(&b.date())).filter(|o| o.is_ne()),
    }
}

/// A lower bound below a higher figure, or an approximation close to it.
fn bound(v: &ReportedValue, r: &ReportedValue, rules: &Rules) -> Option<Reason> {
    let (vc, rc) = (v.count?, r.count?);
    let (vb, rb) = (v.qualifier.is_lower_bound(), r.qualifier.is_lower_bound());
    let text = if vb && rb {
        format!(
            "both {} and {} are lower bounds: they do not contradict each other",
            amount_of(v),
            amount_of(r)
        )
    } else if vb && vc < rc {
        format!(
            "{} is a lower bound: {} is consistent with it",
            amount_of(v),
            amount_of(r)
        )
    } else if rb && vc > rc {
        format!(
            "{} is only a lower bound: {} is consistent with it",
            amount_of(r),
            amount_of(v)
        )
    } else {
        let approximate = v.qualifier == Qualifier::About || r.qualifier == Qualifier::About;
        let gap = vc.abs_diff(rc) as f64 / vc.max(rc) as f64;
        if approximate && gap <= rules.divergence.approximate_tolerance {
            return Some(reason(
                ReasonKind::Approximate,
                format!(
                    "{} and {} are within {:.0}% of each other, and one is approximate",
                    amount_of(v),
                    amount_of(r),
                    gap * 100.0
                ),
            ));
        }
        return None;
    };
    Some(reason(ReasonKind::LowerBound, text))
}

/// An outlier given by one source only and backed by no authority.
fn likely_error(value: &Candidate, all: &Context, rules: &Rules) -> Option<Reason> {
    let v = &value.value;
    let vc = v.count?;
    if v.authority.kind < AuthorityKind::Vague {
        return None;
    }
    let other_sources = all.by_count.get(&vc).map_or(0, |(_, groups)| {
        groups.iter().filter(|g| **g != value.group).count()
    });
    if other_sources > 0 {
        return None;
    }
    let (min, max) = all.backed?;
    let margin = rules.divergence.outlier_margin;
    let far = vc as f64 > max as f64 * (1.0 + margin) || (vc as f64) < min as f64 * (1.0 - margin);
    far.then(|| {
        let range = if min == max {
            min.to_string()
        } else {
            format!("{min}\u{2013}{max}")
        };
        reason(
            ReasonKind::LikelyError,
            format!(
                "{} is given by this source alone, backed by no named authority, far from the {range} that named sources give: likely an error",
                amount_of(v)
            ),
        )
    })
}

/// The last resort: two authorities disagree, or no reason is found.
fn authority(v: &ReportedValue, r: &ReportedValue) -> Reason {
    let same_source = match (&v.authority.source, &r.authority.source) {
        (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (None, None) => v.outlet == r.outlet,
        _ => false,
    };
    let when = match (v.published, r.published) {
        (Some(a), Some(b)) if a.date() == b.date() => {
            format!(
                "both were published on {}, so which is later cannot be told",
                a.date()
            )
        }
        (None, _) => format!("the publication date of {} is unknown", amount_of(v)),
        (_, None) => format!("the publication date of {} is unknown", amount_of(r)),
        _ => "their times cannot be ordered".to_string(),
    };
    if same_source {
        reason(
            ReasonKind::Unexplained,
            format!(
                "{} and {} rest on the same source ({}); {when}: no reason found",
                amount_of(v),
                amount_of(r),
                source_of(v)
            ),
        )
    } else {
        reason(
            ReasonKind::DifferentAuthority,
            format!(
                "{} comes from {}, {} from {}; {when}",
                amount_of(v),
                source_of(v),
                amount_of(r),
                source_of(r)
            ),
        )
    }
}
