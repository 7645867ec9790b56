//! The morning review (docs/metrics.md §12): did the last covered day look normal, which SKUs moved, and
//! one priority action per team, each derived from the alerts and the movers by a fixed rule. Like the
//! alerts it is anchored at the last day the Orders exports cover, whatever period the page shows.
//! Also: the report's warnings, each with where it matters ([`Note`]).

use crate::alerts::{self, Alert, Alerts, Context, Rule, RuleKind, Window, days_back};
use crate::content::figures::{ContentRecords, SectionInput};
use crate::coverage::{DataKind, DayRange};
use crate::metrics::{Analysis, Figures, SkuFigures};
use crate::money::Currency;
use crate::settings::Settings;
use crate::sort_dyn::SortDyn;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many risers and fallers each comparison lists.
pub const MOVERS: usize = 5;
/// How far back the previous covered day is looked for.
const LOOK_BACK_DAYS: u64 = 366;

/// One day's headline figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    /// The order date.
    pub date: NaiveDate,
    /// Net sales (docs/metrics.md §2).
    pub net_sales: String,
    /// Orders.
    pub orders: u64,
    /// CM2 (docs/metrics.md §4).
    pub cm2: String,
    /// CM2 ÷ net revenue, percent points; `null` without net revenue.
    pub cm2_pct: Option<String>,
    /// Loaded kinds (Affiliate, ads) that do not cover the day: its CM2 leaves out their costs.
    pub not_covered_by: Vec<DataKind>,
}

/// The last covered day against another day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The other day's figures.
    pub day: DayFigures,
    /// Last day − the other day.
    pub net_sales_change: String,
    /// (last − other) ÷ other, percent points; `null` when the other day had no net sales.
    pub net_sales_change_pct: Option<String>,
    /// Last day's orders − the other day's.
    pub orders_change: i64,
    /// Last day's CM2 − the other day's.
    pub cm2_change: String,
    /// Last day's CM2 % − the other day's, percent points; `null` when either has no net revenue.
    pub cm2_pct_change: Option<String>,
}

/// A SKU whose CM2 moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mover {
    /// Platform SKU ID.
    pub sku_id: String,
    /// Seller SKU.
    pub seller_sku: String,
    /// Product name.
    pub product_name: String,
    /// CM2 over the recent days.
    pub cm2: String,
    /// CM2 over the days before.
    pub cm2_before: String,
    /// cm2 − cm2_before.
    pub cm2_change: String,
    /// Net sales over the recent days.
    pub net_sales: String,
    /// Net sales over the days before.
    pub net_sales_before: String,
    /// Rank by CM2 among the SKUs with a line in the recent days (1 = highest); `null` without one.
    pub rank: Option<u32>,
    /// Rank by CM2 among the SKUs with a line in the days before; `null` without one.
    pub rank_before: Option<u32>,
}

/// The SKUs whose CM2 rose or fell most between two stretches of days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoverSet {
    /// The recent days.
    pub current: DayRange,
    /// The days compared with.
    pub before: DayRange,
    /// The largest CM2 rises, largest first (at most [`MOVERS`]).
    pub risers: Vec<Mover>,
    /// The largest CM2 falls, largest first (at most [`MOVERS`]).
    pub fallers: Vec<Mover>,
}

/// Movers against the previous covered day and week over week.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Movers {
    /// The last covered day against the previous covered day; `null` without one.
    pub day: Option<MoverSet>,
    /// The 7 days to the last covered day against the 7 before; `null` unless the Orders exports
    /// cover all 14 days.
    pub week: Option<MoverSet>,
    /// The days of those 14 the Orders exports do not cover (why `week` is `null`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub week_uncovered: Vec<DayRange>,
}

/// The teams the review gives one action each, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Team {
    /// LIVE and videos.
    Content,
    /// Ads (GMV Max, Ads Manager).
    MediaBuying,
    /// Affiliate creators.
    CreatorPartnerships,
    /// Products, returns, costs and prices.
    Operations,
}

impl Team {
    /// Every team, in the order the review lists them.
    pub const ALL: [Team; 4] = [
        Team::Content,
        Team::MediaBuying,
        Team::CreatorPartnerships,
        Team::Operations,
    ];
}

/// What triggered an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// An alert (its rule in `rule`).
    Alert,
    /// A figure past its break-even (ROAS).
    Figure,
    /// A mover (a SKU's CM2 fell).
    Mover,
    /// A piece of content that did well (the top video).
    Content,
    /// Nothing: the action is "nothing urgent", and `why` says why.
    None,
}

/// One team's priority action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// The team.
    pub team: Team,
    /// True when an alert or a figure past its threshold triggered it.
    pub urgent: bool,
    /// What to do, in one sentence ("Nothing urgent" when nothing triggered).
    pub action: String,
    /// What triggered it.
    pub source: Source,
    /// The alert's rule, when an alert triggered it.
    pub rule: Option<RuleKind>,
    /// What it is about: a SKU ID, a creator, a day, a LIVE session, a video ID.
    pub subject: Option<String>,
    /// The trigger in words: the alert's message, the figures, or why nothing is urgent.
    pub why: String,
    /// The rows the page can show (as an alert's rows).
    pub rows: Vec<String>,
}

/// The morning review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// The last day the Orders exports cover ("yesterday"); `null` when no order is loaded.
    pub day: Option<NaiveDate>,
    /// Its figures.
    pub yesterday: Option<DayFigures>,
    /// Against the previous covered day; `null` without one.
    pub previous_day: Option<Comparison>,
    /// Against the same weekday a week earlier; `null` when the Orders exports do not cover it.
    pub same_weekday: Option<Comparison>,
    /// SKUs whose CM2 moved most.
    pub movers: Movers,
    /// One action per team, in [`Team::ALL`]'s order.
    pub actions: Vec<Action>,
}

/// Where a warning matters: the part of the page that should show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// The import cards: duplicates, files of another currency, lines a file updated.
    Files,
    /// The SKUs table and costs: SKUs without a unit cost.
    Costs,
    /// Advertising (ad spend, CPO, ROAS): no ad spend loaded.
    Ads,
    /// The Creators view: affiliate rows without an order line or on uncovered days, the affiliate share.
    Creators,
    /// The change against the previous period: why there is none.
    Comparison,
    /// The Content view: analytics records replaced by a newer export.
    Content,
    /// The shop switcher: several shops loaded, files no shop claims.
    Shops,
    /// Anything else (shown with the report's other notes).
    General,
}

/// A report warning with where it matters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Where it matters.
    pub kind: NoteKind,
    /// The warning, as in `warnings`.
    pub text: String,
}

/// Phrases of the report's warnings and where each matters (checked in order).
const NOTE_PHRASES: &[(&str, NoteKind)] = &[
    ("no ad spend loaded", NoteKind::Ads),
    ("have no unit cost", NoteKind::Costs),
    (
        "no comparison with the previous period",
        NoteKind::Comparison,
    ),
    ("affiliate rows", NoteKind::Creators),
    ("the affiliate exports do not cover", NoteKind::Creators),
    ("analytics export", NoteKind::Content),
    ("shops are loaded", NoteKind::Shops),
    ("not in any loaded shop", NoteKind::Shops),
    ("shops could own it", NoteKind::Shops),
    ("appear in more than one file", NoteKind::Files),
    (" updated by ", NoteKind::Files),
    ("is not in this", NoteKind::Files),
    ("gmv max", NoteKind::Ads),
    ("ad spend", NoteKind::Ads),
];

/// Each warning with where it matters (`General` for one no phrase names).
pub fn notes(warnings: &[String]) -> Vec<Note> {
    warnings
        .iter()
        .map(|w| {
            let lower = w.to_lowercase();
            let kind = NOTE_PHRASES
                .iter()
                .find(|(p, _)| lower.contains(p))
                .map_or(NoteKind::General, |(_, k)| *k);
            Note {
                kind,
                text: w.clone(),
            }
        })
        .collect()
}

/// The alerts and the review of one set of files, kept between reports of different periods (neither
/// depends on the period): [`crate::report::Prepared`] holds one, and computes them again only when the
/// settings change.
#[derive(Debug, Clone, Default)]
pub struct Morning {
    /// GMV Max's orders and the return requests.
    pub signals: alerts::Signals,
    cache: std::sync::OnceLock<(Settings, Alerts, Review)>,
}

/// The content layer's records and the cube's order-line windows, for the content team's action.
pub struct ContentInput<'a> {
    /// The analytics records.
    pub records: &'a ContentRecords,
    /// GMV and CM1 of the lines created between two times (the LIVE estimate).
    pub created_between:
        &'a dyn Fn(chrono::NaiveDateTime, chrono::NaiveDateTime) -> Option<(Decimal, Decimal)>,
}

impl Morning {
    /// Keeps `signals` for the alerts and the review.
    pub fn new(signals: alerts::Signals) -> Morning {
        Morning {
            signals,
            cache: std::sync::OnceLock::new(),
        }
    }

    /// The alerts (all but the LIVE benchmark) and the review under `ctx.settings`: from the cache when
    /// they were computed under the same settings.
    pub fn get(&self, ctx: &Context<'_>, content: &ContentInput<'_>) -> (Alerts, Review) {
        if let Some((s, a, r)) = self.cache.get()
            && s == ctx.settings
        {
            return (a.clone(), r.clone());
        }
        let alerts = alerts::evaluate_covered(ctx);
        let review = build(ctx, &alerts, content);
        let _ = self
            .cache
            .set((ctx.settings.clone(), alerts.clone(), review.clone()));
        (alerts, review)
    }
}

/// Exact headline figures of one day.
struct Day {
    date: NaiveDate,
    figures: Figures,
    not_covered_by: Vec<DataKind>,
}

fn exact_pct(n: Decimal, d: Decimal) -> Option<Decimal> {
    if d.is_zero() {
        return None;
    }
    n.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(d)
}

/// A ratio with two decimals, half away from zero (as the report writes ROAS).
fn ratio(d: Decimal) -> String {
    let mut r = d.round_dp_with_strategy(2, crate::money::DISPLAY_ROUNDING);
    r.rescale(2);
    r.to_string()
}

fn points(d: Decimal) -> String {
    let mut r = d.round_dp_with_strategy(2, crate::money::DISPLAY_ROUNDING);
    r.rescale(2);
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.to_string()
}

impl Day {
    fn figures(&self, cur: Currency) -> DayFigures {
        let f = &self.figures;
        DayFigures {
            date: self.date,
            net_sales: cur.round(f.net_sales()).to_string(),
            orders: f.orders,
            cm2: cur.round(f.cm2()).to_string(),
            cm2_pct: exact_pct(f.cm2(), f.net_revenue()).map(points),
            not_covered_by: self.not_covered_by.clone(),
        }
    }

    fn against(&self, other: &Day, cur: Currency) -> Comparison {
        let (a, b) = (&self.figures, &other.figures);
        let ns = a.net_sales() - b.net_sales();
        Comparison {
            day: other.figures(cur),
            net_sales_change: cur.round(ns).to_string(),
            net_sales_change_pct: exact_pct(ns, b.net_sales()).map(points),
            orders_change: i64::try_from(a.orders)
                .unwrap_or(i64::MAX)
                .saturating_sub(i64::try_from(b.orders).unwrap_or(i64::MAX)),
            cm2_change: cur.round(a.cm2() - b.cm2()).to_string(),
            cm2_pct_change: match (
                exact_pct(a.cm2(), a.net_revenue()),
                exact_pct(b.cm2(), b.net_revenue()),
            ) {
                (Some(x), Some(y)) => x.checked_sub(y).map(points),
                _ => None,
            },
        }
    }
}

/// The review of `ctx`'s data, with `alerts` (evaluated over the same windows).
pub fn build(ctx: &Context<'_>, alerts: &Alerts, content: &ContentInput<'_>) -> Review {
    let ws = alerts::window_settings(ctx.settings);
    let Some(w) = Window::new(ctx, &ws) else {
        return Review {
            actions: nothing_loaded(),
            ..Review::default()
        };
    };
    let cur = w.currency;
    let a = w.anchor;
    let orders_cover = |d: NaiveDate| w.coverage.covers_loaded(&[DataKind::Orders], d);
    let day_of = |d: NaiveDate| -> (Day, Analysis) {
        let an = w.analyse(DayRange::day(d));
        let not_covered_by = [DataKind::Affiliate, DataKind::Ads]
            .into_iter()
            .filter(|k| w.coverage.get(*k).is_some_and(|c| !c.covers(d)))
            .collect();
        (
            Day {
                date: d,
                figures: an.totals.clone(),
                not_covered_by,
            },
            an,
        )
    };
    let (last, last_a) = day_of(a);
    let previous = (1..=LOOK_BACK_DAYS)
        .map(|k| days_back(a, k))
        .find(|d| *d < a && orders_cover(*d))
        .map(day_of);
    let week_ago = days_back(a, 7);
    let same_weekday = (week_ago < a && orders_cover(week_ago)).then(|| day_of(week_ago).0);
    // Movers.
    let mut movers = Movers {
        day: previous.as_ref().map(|(p, pa)| {
            mover_set(
                DayRange::day(a),
                DayRange::day(p.date),
                &last_a.skus,
                &pa.skus,
                cur,
            )
        }),
        ..Movers::default()
    };
    let this_week = DayRange::new(days_back(a, 6), a);
    let prev_week = DayRange::new(days_back(a, 13), days_back(a, 7));
    let fortnight = alerts::covered(
        w.coverage,
        &[DataKind::Orders],
        DayRange::new(prev_week.from, a),
    );
    let week_analysis = w.analyse(this_week);
    if fortnight.uncovered.is_empty() {
        let before = w.analyse(prev_week);
        movers.week = Some(mover_set(
            this_week,
            prev_week,
            &week_analysis.skus,
            &before.skus,
            cur,
        ));
    } else {
        movers.week_uncovered = fortnight.uncovered;
    }
    let content_section = content_of(&w, content);
    let actions = vec![
        content_action(
            &w,
            &content_section,
            !content.records.live.is_empty() || !content.records.videos.is_empty(),
        ),
        media_action(&w, alerts, &week_analysis, this_week),
        creator_action(&w, alerts),
        operations_action(&w, alerts, &movers),
    ];
    Review {
        day: Some(a),
        yesterday: Some(last.figures(cur)),
        previous_day: previous.as_ref().map(|(p, _)| last.against(p, cur)),
        same_weekday: same_weekday.as_ref().map(|s| last.against(s, cur)),
        movers,
        actions,
    }
}

/// Ranks by CM2, highest first (ties by SKU ID), among the SKUs with a line.
fn ranks(skus: &[SkuFigures]) -> BTreeMap<&str, u32> {
    let mut v: Vec<&SkuFigures> = skus.iter().filter(|s| s.figures.lines > 0).collect();
    v.sort_by_dyn(|a, b| {
        b.figures
            .cm2()
            .cmp(&a.figures.cm2())
            .then_with(|| a.sku_id.cmp(&b.sku_id))
    });
    v.into_iter()
        .enumerate()
        .map(|(i, s)| (s.sku_id.as_str(), u32::try_from(i + 1).unwrap_or(u32::MAX)))
        .collect()
}

/// The risers and fallers between `now` and `before`.
fn mover_set(
    current: DayRange,
    before_days: DayRange,
    now: &[SkuFigures],
    before: &[SkuFigures],
    cur: Currency,
) -> MoverSet {
    let (rank_now, rank_before) = (ranks(now), ranks(before));
    let mut all: BTreeMap<&str, (Option<&SkuFigures>, Option<&SkuFigures>)> = BTreeMap::new();
    for s in now {
        all.entry(s.sku_id.as_str()).or_default().0 = Some(s);
    }
    for s in before {
        all.entry(s.sku_id.as_str()).or_default().1 = Some(s);
    }
    let zero = Figures::default();
    let mut changes: Vec<(Decimal, Mover)> = all
        .into_iter()
        .filter_map(|(id, (n, b))| {
            let who = n.or(b)?;
            let (fnow, fbefore) = (
                n.map_or(&zero, |s| &s.figures),
                b.map_or(&zero, |s| &s.figures),
            );
            let change = fnow.cm2() - fbefore.cm2();
            Some((
                change,
                Mover {
                    sku_id: id.to_string(),
                    seller_sku: who.seller_sku.clone(),
                    product_name: who.product_name.clone(),
                    cm2: cur.round(fnow.cm2()).to_string(),
                    cm2_before: cur.round(fbefore.cm2()).to_string(),
                    cm2_change: cur.round(change).to_string(),
                    net_sales: cur.round(fnow.net_sales()).to_string(),
                    net_sales_before: cur.round(fbefore.net_sales()).to_string(),
                    rank: rank_now.get(id).copied(),
                    rank_before: rank_before.get(id).copied(),
                },
            ))
        })
        .collect();
    changes.sort_by_dyn(|a, b| b.0.cmp(&a.0).then_with(|| a.1.sku_id.cmp(&b.1.sku_id)));
    let risers = changes
        .iter()
        .filter(|(c, _)| *c > Decimal::ZERO)
        .take(MOVERS)
        .map(|(_, m)| m.clone())
        .collect();
    let mut falling: Vec<&(Decimal, Mover)> =
        changes.iter().filter(|(c, _)| *c < Decimal::ZERO).collect();
    falling.sort_by_dyn(|a, b| a.0.cmp(&b.0).then_with(|| a.1.sku_id.cmp(&b.1.sku_id)));
    let fallers = falling
        .into_iter()
        .take(MOVERS)
        .map(|(_, m)| m.clone())
        .collect();
    MoverSet {
        current,
        before: before_days,
        risers,
        fallers,
    }
}

/// The content layer over the 30 days to the anchor (the LIVE benchmark's sessions).
fn content_of(
    w: &Window<'_>,
    content: &ContentInput<'_>,
) -> crate::content::figures::ContentSection {
    crate::content::figures::section(
        content.records,
        &SectionInput {
            period: Some((days_back(w.anchor, 29), w.anchor)),
            currency: w.currency,
            created_between: content.created_between,
            host_cost_per_hour: w.settings.live_host_cost_per_hour,
            live_miss_pct: w.settings.alerts.live_miss_pct,
        },
    )
}

fn from_alert(team: Team, a: &Alert, action: String) -> Action {
    Action {
        team,
        urgent: true,
        action,
        source: Source::Alert,
        rule: Some(a.rule.kind()),
        subject: Some(a.subject.clone()),
        why: a.message.clone(),
        rows: a.rows.clone(),
    }
}

fn nothing(team: Team, why: String) -> Action {
    Action {
        team,
        urgent: false,
        action: "Nothing urgent".to_string(),
        source: Source::None,
        rule: None,
        subject: None,
        why,
        rows: Vec::new(),
    }
}

fn nothing_loaded() -> Vec<Action> {
    Team::ALL
        .iter()
        .map(|t| nothing(*t, "no order is loaded: load an Orders export".to_string()))
        .collect()
}

fn fired(alerts: &Alerts, kind: RuleKind) -> impl Iterator<Item = &Alert> {
    alerts.alerts.iter().filter(move |a| a.rule.kind() == kind)
}

fn unavailable_why(alerts: &Alerts, kind: RuleKind) -> Option<String> {
    alerts
        .unavailable
        .iter()
        .find(|u| u.rule == kind)
        .map(|u| format!("{} could not run: it needs {}", kind.label(), u.needs))
}

/// Content: 1. a LIVE session of the last 7 days below the account's benchmark (the latest); 2. the
/// video posted in the last 7 days with the most GMV; else nothing urgent.
fn content_action(
    w: &Window<'_>,
    section: &crate::content::figures::ContentSection,
    loaded: bool,
) -> Action {
    let week_from = days_back(w.anchor, 6);
    let miss = section
        .alerts
        .iter()
        .filter(|a| match &a.rule {
            Rule::LiveBenchmarkMiss { start, .. } => start.date() >= week_from,
            _ => false,
        })
        .max_by_key(|a| match &a.rule {
            Rule::LiveBenchmarkMiss { start, .. } => Some(*start),
            _ => None,
        });
    if let Some(a) = miss
        && let Rule::LiveBenchmarkMiss { session, start, .. } = &a.rule
    {
        return from_alert(
            Team::Content,
            a,
            format!(
                "Review the LIVE \"{session}\" of {}: find what differed (host, products, hour) before the next LIVE",
                start.date()
            ),
        );
    }
    let top = section
        .videos
        .iter()
        .filter(|v| {
            v.posted
                .is_some_and(|p| p.date() >= week_from && p.date() <= w.anchor)
        })
        .filter_map(|v| v.gmv.parse::<Decimal>().ok().map(|g| (g, v)))
        .filter(|(g, _)| *g > Decimal::ZERO)
        .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.video_id.cmp(&a.1.video_id)));
    if let Some((gmv, v)) = top {
        return Action {
            team: Team::Content,
            urgent: false,
            action: format!(
                "Brief the next videos on the top video {} by {}: do more of what it does",
                v.video_id, v.creator
            ),
            source: Source::Content,
            rule: None,
            subject: Some(v.video_id.clone()),
            why: format!(
                "video {} (\"{}\") brought {} of GMV from {} views, the most of the videos posted in {}",
                v.video_id,
                v.title,
                w.currency.format(gmv),
                v.views,
                DayRange::new(week_from, w.anchor)
            ),
            rows: vec![v.video_id.clone()],
        };
    }
    nothing(
        Team::Content,
        if loaded {
            format!(
                "no LIVE session of {} below the account's benchmark and no video with GMV posted then",
                DayRange::new(week_from, w.anchor)
            )
        } else {
            "no LIVE or video export loaded (Analytics → LIVE or Video → Export)".to_string()
        },
    )
}

/// Media buying: 1. CPO deterioration; 2. ROAS over the 7 days to the anchor below break-even (GMV
/// Max's reported ROAS when the ads exports report revenue, else blended); else nothing urgent.
fn media_action(w: &Window<'_>, alerts: &Alerts, week: &Analysis, this_week: DayRange) -> Action {
    if let Some(a) = fired(alerts, RuleKind::CpoDeterioration).next() {
        return from_alert(
            Team::MediaBuying,
            a,
            format!(
                "Check the campaigns of {}: cost per order jumped; pause or rebid what spent without orders",
                a.subject
            ),
        );
    }
    let cur = w.currency;
    let ads = alerts::covered(w.coverage, &[DataKind::Orders, DataKind::Ads], this_week);
    let roas = Some(week)
        .filter(|_| ads.uncovered.is_empty())
        .and_then(|an| {
            let spend: Decimal = an.ad_spend_by_day.values().copied().sum();
            if spend <= Decimal::ZERO {
                return None;
            }
            let (roas, basis) = match an.ads_gross_revenue {
                Some(g) => (g.checked_div(spend)?, "reported by the ads exports"),
                None => (
                    an.totals.net_sales().checked_div(spend)?,
                    "blended: net sales ÷ spend",
                ),
            };
            let be = an.totals.break_even_roas();
            Some((roas, basis, be, spend))
        });
    match roas {
        Some((roas, basis, be, spend)) if be.is_none_or(|be| roas < be) => {
            let be_text = be.map_or_else(
                || "no break-even (CM1 is not positive: every 1.00 of ads loses money)".to_string(),
                |b| format!("the break-even ROAS {}", ratio(b)),
            );
            Action {
                team: Team::MediaBuying,
                urgent: true,
                action: "Cut or rework ad spend: the ads cost more contribution than they bring".to_string(),
                source: Source::Figure,
                rule: None,
                subject: Some(this_week.to.to_string()),
                why: format!(
                    "ROAS {} ({basis}) on {} of ad spend over {this_week}, below {be_text}",
                    ratio(roas),
                    cur.format(spend)
                ),
                rows: Vec::new(),
            }
        }
        Some((roas, basis, be, _)) => nothing(
            Team::MediaBuying,
            format!(
                "cost per order within {}% of its 7-day value and ROAS {} ({basis}) above the break-even {} over {this_week}",
                w.settings.alerts.cpo_deterioration_pct,
                ratio(roas),
                be.map_or_else(String::new, ratio)
            ),
        ),
        None => nothing(
            Team::MediaBuying,
            unavailable_why(alerts, RuleKind::CpoDeterioration).unwrap_or_else(|| {
                if ads.uncovered.is_empty() {
                    format!("no ad spend loaded for {this_week}, and cost per order within its threshold")
                } else {
                    format!(
                        "cost per order within its threshold; no ROAS: the Orders and ads exports do not cover {}",
                        crate::coverage::ranges_text(&ads.uncovered)
                    )
                }
            }),
        ),
    }
}

/// Creator partnerships: 1. affiliate drop-off; 2. the creator with the lowest efficiency; else
/// nothing urgent.
fn creator_action(w: &Window<'_>, alerts: &Alerts) -> Action {
    if let Some(a) = fired(alerts, RuleKind::AffiliateDropoff).next() {
        let who = a
            .rows
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        return from_alert(
            Team::CreatorPartnerships,
            a,
            if who.is_empty() {
                "Find out why affiliate orders fell: contact last week's creators".to_string()
            } else {
                format!("Contact the creators whose orders fell most: {who}")
            },
        );
    }
    if let Some(a) = fired(alerts, RuleKind::LowCreatorEfficiency).next() {
        return from_alert(
            Team::CreatorPartnerships,
            a,
            format!(
                "Renegotiate the commission of {} or move their samples to better creators",
                a.subject
            ),
        );
    }
    let why = unavailable_why(alerts, RuleKind::LowCreatorEfficiency)
        .or_else(|| unavailable_why(alerts, RuleKind::AffiliateDropoff).map(|u| {
            format!(
                "every creator earns at least {} of net revenue per 1.00 of commission; {u}",
                w.settings.alerts.min_creator_efficiency
            )
        }))
        .unwrap_or_else(|| {
            format!(
                "affiliate orders did not fall more than {}% week over week and every creator earns at least {} per 1.00 of commission",
                w.settings.alerts.affiliate_dropoff_pct, w.settings.alerts.min_creator_efficiency
            )
        });
    nothing(Team::CreatorPartnerships, why)
}

/// Operations: 1. the return-rate spike furthest above its threshold; 2. the SKU with the most negative
/// CM2; 3. the week's (else the day's) largest CM2 fall; else nothing urgent.
fn operations_action(w: &Window<'_>, alerts: &Alerts, movers: &Movers) -> Action {
    let spike = fired(alerts, RuleKind::ReturnRateSpike)
        .filter_map(|a| match &a.rule {
            Rule::ReturnRateSpike {
                return_rate,
                benchmark,
                factor,
                ..
            } => {
                let limit = benchmark.checked_mul(*factor)?;
                Some((return_rate.checked_div(limit)?, a))
            }
            _ => None,
        })
        .max_by(|x, y| x.0.cmp(&y.0).then_with(|| y.1.subject.cmp(&x.1.subject)));
    if let Some((_, a)) = spike {
        return from_alert(
            Team::Operations,
            a,
            format!(
                "Inspect SKU {}: check the product, its listing and its packaging before more ship",
                a.subject
            ),
        );
    }
    let worst = fired(alerts, RuleKind::NegativeCm2)
        .filter_map(|a| match &a.rule {
            Rule::NegativeCm2 { cm2, .. } => Some((*cm2, a)),
            _ => None,
        })
        .min_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.subject.cmp(&y.1.subject)));
    if let Some((_, a)) = worst {
        return from_alert(
            Team::Operations,
            a,
            format!(
                "Fix the price or the costs of SKU {}: it loses money after marketing",
                a.subject
            ),
        );
    }
    let set = movers.week.as_ref().or(movers.day.as_ref());
    if let Some(m) = set.and_then(|s| s.fallers.first().map(|m| (s, m))) {
        let (s, m) = m;
        return Action {
            team: Team::Operations,
            urgent: false,
            action: format!("Look at SKU {}: its CM2 fell most", m.sku_id),
            source: Source::Mover,
            rule: None,
            subject: Some(m.sku_id.clone()),
            why: format!(
                "CM2 {} over {} against {} over {} ({})",
                m.cm2, s.current, m.cm2_before, s.before, m.cm2_change
            ),
            rows: vec![m.sku_id.clone()],
        };
    }
    let why = unavailable_why(alerts, RuleKind::ReturnRateSpike).unwrap_or_else(|| {
        format!(
            "no SKU's return rate above {} × its benchmark, no SKU with a negative CM2 over the last 30 days to {}, \
             and no SKU's CM2 fell",
            w.settings.alerts.return_spike_factor, w.anchor
        )
    });
    nothing(Team::Operations, why)
}
