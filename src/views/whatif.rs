//! The What-if workbench (issue 6; METRICS.md §7): one editable unit-economics row per SKU, product
//! group and typed-in product, scenario vs baseline, solvers, the price × commission heat map, sharing.
//!
//! Every edit is a change to the current [`Scenario`]'s `edits` (saved with the workspace); the grid only
//! wires events to it. One keydown/paste/copy/mouse handler sits on the table (event delegation), the
//! selection is painted imperatively, and each row has its own memos, so an edit re-evaluates one row
//! (and the totals, from a per-row cache) — never the 2,000 others.

use crate::browser;
use crate::charts::{HeatCell, HeatMap};
use crate::format;
use crate::protocol::Computed;
use crate::state::State;
use crate::views::{PeriodBar, currency, figures, skus::sku_label};
use leptos::ev;
use leptos::prelude::*;
use margin_engine::money::{Currency, parse_money};
use margin_engine::settings::{Settings, default_market};
use margin_engine::whatif::{self, Projection, Solved, UnitInputs, UnitOutputs};
use margin_engine::workspace::Scenario;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Edits of a product typed in by the user (not in the files) are kept under `custom:NAME`.
const CUSTOM: &str = "custom:";
const P_SCENARIO: &str = "whatif.scenario";
const P_SHARE: &str = "whatif.share";
const P_COMPARE: &str = "whatif.compare";
/// `performance.measure` name of one edit → repaint (see README "What-if speed").
const MEASURE: &str = "margin-lab:whatif-edit";
const MEASURE_START: &str = "margin-lab:whatif-edit-start";
const NAMES: [&str; 20] = UnitInputs::NAMES;
const DEFAULT_TARGET: Decimal = Decimal::from_parts(20, 0, 0, false, 0);
/// Rows from which the grid renders only those in view (as `src/table.rs` does): with 2,000 SKUs every
/// row in the DOM made the first render take seconds and an edit far longer (every row's memos
/// re-subscribing to the scenario, style recalculation over 60,000 cells).
const VIRTUAL_FROM: usize = 200;
/// The height of a grid row in pixels (style.css `.data-table td` keeps rows to it).
const ROW_PX: f64 = 31.0;
/// The height of the sticky header row (style.css `.data-table thead th`).
const HEAD_PX: f64 = 34.0;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 10;

/// Column headers, in [`UnitInputs::NAMES`] order.
const INPUT_LABELS: [&str; 20] = [
    "Price",
    "Seller discount %",
    "Unit cost",
    "VAT %",
    "Fee %",
    "Fee / order",
    "Fee cap / item",
    "Units / order",
    "Refund admin fee %",
    "Refund admin cap",
    "Affiliate share %",
    "Commission %",
    "Return rate %",
    "Restock %",
    "Return shipping",
    "Fulfilment / unit",
    "Shipping / order",
    "Ad spend / unit",
    "Samples / unit",
    "Overhead / unit",
];

#[derive(Clone, Copy, PartialEq)]
enum Fmt {
    Money,
    Pct,
    Ratio,
}

/// Output columns (METRICS.md §7 output names), per unit.
const OUTPUTS: [(&str, &str, Fmt); 10] = [
    ("net_revenue", "Net revenue", Fmt::Money),
    ("gross_margin_pct", "Gross %", Fmt::Pct),
    ("cm1", "CM1", Fmt::Money),
    ("cm2", "CM2", Fmt::Money),
    ("cm2_pct", "CM2 %", Fmt::Pct),
    ("net_profit", "Net", Fmt::Money),
    ("net_margin_pct", "Net %", Fmt::Pct),
    ("markup_pct", "Markup %", Fmt::Pct),
    ("break_even_price", "Break-even price", Fmt::Money),
    ("break_even_roas", "Break-even ROAS", Fmt::Ratio),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Sku,
    Group,
    Custom,
}

/// One grid row: what its edits are keyed by, and its baseline.
#[derive(Clone, Debug, PartialEq)]
struct GridRow {
    /// SKU ID, `group:NAME` or `custom:NAME` — the key of its edits in the scenario.
    target: String,
    label: String,
    kind: Kind,
    /// A SKU's product group.
    group: Option<String>,
    base: UnitInputs,
    /// Baseline units ordered in the period and the price after discount they sold at.
    units: Decimal,
    base_price: Decimal,
    /// Changes when the baseline is rebuilt, so rows re-render with their new baseline.
    generation: u32,
}

/// SKU rows (from the SKU's history, METRICS.md §7) then product-group rows.
fn data_rows(c: &Computed, settings: &Settings, generation: u32) -> Vec<GridRow> {
    let market = settings
        .markets
        .iter()
        .find(|m| m.currency == c.currency)
        .map(|m| m.market.clone())
        .or_else(|| default_market(c.currency))
        .unwrap_or_default();
    let Some((_, end)) = c.analysis.period else {
        return Vec::new();
    };
    let mut rows: Vec<GridRow> = c
        .analysis
        .skus
        .iter()
        .filter_map(|s| {
            let base = whatif::baseline(s, settings, &market, end)?;
            Some(GridRow {
                target: s.sku_id.clone(),
                label: sku_label(s),
                kind: Kind::Sku,
                group: Some(s.product_group.clone()),
                units: Decimal::from(s.figures.units_sold + s.figures.units_returned),
                base_price: base.evaluate().net_price,
                base,
                generation,
            })
        })
        .collect();
    let mut groups: Vec<String> = rows.iter().filter_map(|r| r.group.clone()).collect();
    groups.sort();
    groups.dedup();
    rows.extend(groups.into_iter().map(|g| GridRow {
        target: Scenario::group_target(&g),
        label: format!("All of {g}"),
        kind: Kind::Group,
        group: Some(g),
        base: UnitInputs::default(),
        units: Decimal::ZERO,
        base_price: Decimal::ZERO,
        generation,
    }));
    rows
}

fn custom_row(name: &str) -> GridRow {
    GridRow {
        target: format!("{CUSTOM}{name}"),
        label: name.to_string(),
        kind: Kind::Custom,
        group: None,
        base: UnitInputs::default(),
        units: Decimal::ZERO,
        base_price: Decimal::ZERO,
        generation: 0,
    }
}

/// The value an input cell shows: a group row shows only its own edits.
fn cell_value(r: &GridRow, s: &Scenario, name: &str) -> Option<Decimal> {
    if r.kind == Kind::Group {
        return s.edits.get(&r.target).and_then(|m| m.get(name)).copied();
    }
    s.inputs_for(&r.target, r.group.as_deref(), &r.base)
        .get(name)
        .ok()
        .flatten()
}

/// A typed or pasted cell: `$1,234.50`, `12%`, `0.30`; blank clears the edit.
fn parse_cell(text: &str) -> Result<Option<Decimal>, String> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t);
    parse_money(t)
        .map(|m| m.map(|m| m.amount))
        .map_err(|_| format!("“{}” is not a number", text.trim()))
}

/// A bulk edit of the selection: `+5%`, `-2`, `set 12` (or `=12`, `12`), `×1.1` (or `x1.1`, `*1.1`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bulk {
    Set(Decimal),
    Add(Decimal),
    AddPct(Decimal),
    Mul(Decimal),
}

impl Bulk {
    fn parse(text: &str) -> Option<Bulk> {
        let t = text.trim().to_lowercase();
        let num = |s: &str| {
            parse_money(s.trim().trim_start_matches('+'))
                .ok()
                .flatten()
                .map(|m| m.amount)
        };
        if let Some(rest) = t.strip_prefix("set").or_else(|| t.strip_prefix('=')) {
            return num(rest).map(Bulk::Set);
        }
        if let Some(rest) = ['×', 'x', '*'].iter().find_map(|c| t.strip_prefix(*c)) {
            return num(rest).map(Bulk::Mul);
        }
        if t.starts_with(['+', '-']) {
            return match t.strip_suffix('%') {
                Some(p) => num(p).map(Bulk::AddPct),
                None => num(&t).map(Bulk::Add),
            };
        }
        num(&t).map(Bulk::Set)
    }

    fn apply(self, v: Option<Decimal>) -> Option<Decimal> {
        match self {
            Bulk::Set(x) => Some(x),
            Bulk::Add(x) => v.map(|v| v + x),
            Bulk::AddPct(x) => v.map(|v| v + v * x / Decimal::ONE_HUNDRED),
            Bulk::Mul(x) => v.map(|v| v * x),
        }
    }
}

fn show_input(v: Option<Decimal>) -> String {
    v.map(|v| format::round(v, 2).to_string())
        .unwrap_or_default()
}

fn show_out(v: Option<Decimal>, fmt: Fmt, c: Currency) -> String {
    match (v, fmt) {
        (None, _) => format::NONE.to_string(),
        (Some(v), Fmt::Money) => c.format(v),
        (Some(v), Fmt::Pct) => format!("{}%", format::round(v, 2)),
        (Some(v), Fmt::Ratio) => format::round(v, 2).to_string(),
    }
}

/// "+1.20" / "-0.35" against the baseline, empty when unchanged.
fn delta(now: Option<Decimal>, base: Option<Decimal>) -> String {
    match (now, base) {
        (Some(n), Some(b)) => {
            let d = format::round(n - b, 2);
            if d.is_zero() {
                String::new()
            } else if d > Decimal::ZERO {
                format!("+{d}")
            } else {
                d.to_string()
            }
        }
        _ => String::new(),
    }
}

fn out_value(o: &UnitOutputs, break_even: Option<Decimal>, name: &str) -> Option<Decimal> {
    if name == "break_even_price" {
        break_even
    } else {
        o.get(name)
    }
}

/// Period totals of a set of SKUs under a scenario (METRICS.md §7 "A scenario projects a period").
#[derive(Clone, Debug, Default, PartialEq)]
struct Sum {
    units: Decimal,
    net_revenue: Decimal,
    gross_profit: Decimal,
    cm1: Decimal,
    cm2: Decimal,
    net_profit: Decimal,
}

impl Sum {
    fn add(&mut self, p: &Projection) {
        self.units += p.units;
        self.net_revenue += p.totals.net_revenue;
        self.gross_profit += p.totals.gross_profit;
        self.cm1 += p.totals.cm1;
        self.cm2 += p.totals.cm2;
        self.net_profit += p.totals.net_profit;
    }

    fn pct(&self, x: Decimal) -> Option<Decimal> {
        (!self.net_revenue.is_zero()).then(|| x * Decimal::ONE_HUNDRED / self.net_revenue)
    }

    fn per_unit(&self, x: Decimal) -> Option<Decimal> {
        (!self.units.is_zero()).then(|| x / self.units)
    }

    /// The grid's outputs for a group row: per-unit averages and margins of the period.
    fn get(&self, name: &str) -> Option<Decimal> {
        match name {
            "net_revenue" => self.per_unit(self.net_revenue),
            "cm1" => self.per_unit(self.cm1),
            "cm2" => self.per_unit(self.cm2),
            "net_profit" => self.per_unit(self.net_profit),
            "gross_margin_pct" => self.pct(self.gross_profit),
            "cm2_pct" => self.pct(self.cm2),
            "net_margin_pct" => self.pct(self.net_profit),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Agg {
    all: Sum,
    groups: BTreeMap<String, Sum>,
}

type Cache = HashMap<String, (UnitInputs, Decimal, Projection)>;

/// Projects every SKU row; with a cache, only rows whose inputs changed are evaluated again.
fn aggregate(rows: &[GridRow], s: &Scenario, mut cache: Option<&mut Cache>) -> Agg {
    let mut agg = Agg::default();
    let e = s.elasticity.unwrap_or_default();
    for r in rows.iter().filter(|r| r.kind == Kind::Sku) {
        let inputs = s.inputs_for(&r.target, r.group.as_deref(), &r.base);
        let fresh = || whatif::project(r.units, r.base_price, &inputs, e);
        let owned;
        let p = match cache.as_deref_mut() {
            Some(c) => {
                let hit = c
                    .get(&r.target)
                    .is_some_and(|(i, ce, _)| *i == inputs && *ce == e);
                if !hit {
                    c.insert(r.target.clone(), (inputs.clone(), e, fresh()));
                }
                match c.get(&r.target) {
                    Some((_, _, p)) => p,
                    None => continue,
                }
            }
            None => {
                owned = fresh();
                &owned
            }
        };
        agg.all.add(p);
        if let Some(g) = &r.group {
            agg.groups.entry(g.clone()).or_default().add(p);
        }
    }
    agg
}

fn unique_name(want: &str, list: &[Scenario]) -> String {
    let taken = |n: &str| list.iter().any(|s| s.name == n);
    if !taken(want) {
        return want.to_string();
    }
    (2..)
        .map(|i| format!("{want} {i}"))
        .find(|n| !taken(n))
        .unwrap_or_default()
}

fn perf() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// Measures edit → repaint: the mark is set when an edit starts; the measure is taken in the task after
/// the next animation frame, i.e. once the browser has painted the updated row.
fn measure_after_paint(out: RwSignal<Option<f64>>) {
    request_animation_frame(move || {
        set_timeout(
            move || {
                let Some(p) = perf() else { return };
                if p.measure_with_start_mark(MEASURE, MEASURE_START).is_err() {
                    return;
                }
                let entries = p.get_entries_by_name(MEASURE);
                let last = entries.get(entries.length().saturating_sub(1));
                let ms = js_sys::Reflect::get(&last, &"duration".into())
                    .ok()
                    .and_then(|d| d.as_f64());
                out.set(ms);
            },
            Duration::ZERO,
        )
    });
}

fn event_element(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?.dyn_into::<web_sys::Element>().ok()
}

/// Everything the grid's handlers share.
#[derive(Clone, Copy)]
struct Grid {
    state: State,
    /// A scenario opened from a shared link, shown until it is saved or dismissed.
    shared: RwSignal<Option<Scenario>>,
    cur: Memo<Scenario>,
    rows: Memo<Vec<GridRow>>,
    cursor: RwSignal<(usize, usize)>,
    anchor: RwSignal<(usize, usize)>,
    undo: StoredValue<Vec<Scenario>>,
    redo: StoredValue<Vec<Scenario>>,
    editor: StoredValue<Option<web_sys::HtmlInputElement>, LocalStorage>,
    tbody: NodeRef<leptos::html::Tbody>,
    /// The grid's scrolling box, and the rows rendered: `[first, end)` of `rows`.
    wrap: NodeRef<leptos::html::Div>,
    scroll_top: RwSignal<f64>,
    view_height: RwSignal<f64>,
    window: Memo<(usize, usize)>,
    msg: RwSignal<String>,
    last_ms: RwSignal<Option<f64>>,
}

impl Grid {
    /// Changes the current scenario (saving it on its first edit).
    fn mutate(self, f: impl FnOnce(&mut Scenario)) {
        if self.shared.with_untracked(Option::is_some) {
            self.shared.update(|s| {
                if let Some(s) = s {
                    f(s)
                }
            });
            return;
        }
        let name = self.cur.with_untracked(|s| s.name.clone());
        let mut now = name.clone();
        self.state.scenarios.update(|list| {
            if !list.iter().any(|s| s.name == name) {
                list.push(Scenario::new(name.clone()));
            }
            if let Some(s) = list.iter_mut().find(|s| s.name == name) {
                f(s);
                now = s.name.clone();
            }
        });
        self.select(&now);
    }

    fn select(self, name: &str) {
        if self
            .state
            .route
            .with_untracked(|r| r.param(P_SCENARIO) != name)
        {
            self.state.route.update(|r| r.set_param(P_SCENARIO, name));
        }
    }

    /// Puts a scenario back as it was (undo/redo), by name.
    fn restore(self, s: Scenario) {
        if self.shared.with_untracked(Option::is_some) {
            self.shared.set(Some(s));
            return;
        }
        let name = s.name.clone();
        self.state.scenarios.update(|list| {
            match list.iter_mut().find(|x| x.name == s.name) {
                Some(x) => *x = s,
                None => list.push(s),
            };
        });
        self.select(&name);
    }

    /// An undoable edit, timed edit → repaint.
    fn commit(self, f: impl FnOnce(&mut Scenario)) {
        if let Some(p) = perf() {
            let _ = p.mark(MEASURE_START);
        }
        let before = self.cur.get_untracked();
        self.mutate(f);
        if self.cur.with_untracked(|s| *s != before) {
            self.undo.update_value(|u| u.push(before));
            self.redo.update_value(Vec::clear);
            measure_after_paint(self.last_ms);
        }
    }

    fn undo_redo(self, undo: bool) {
        let (from, to) = if undo {
            (self.undo, self.redo)
        } else {
            (self.redo, self.undo)
        };
        let Some(s) = from.try_update_value(Vec::pop).flatten() else {
            return;
        };
        let now = if self.shared.with_untracked(Option::is_some) {
            self.shared.get_untracked()
        } else {
            self.state
                .scenarios
                .with_untracked(|l| l.iter().find(|x| x.name == s.name).cloned())
        };
        to.update_value(|t| t.push(now.unwrap_or_else(|| Scenario::new(s.name.clone()))));
        self.restore(s);
    }

    /// Sets (or, with `None`, resets) input cells by (row, column).
    fn set_cells(self, changes: Vec<(usize, usize, Option<Decimal>)>) {
        if changes.is_empty() {
            return;
        }
        let rows = self.rows.get_untracked();
        self.commit(|s| {
            for (r, c, v) in changes {
                let (Some(row), Some(name)) = (rows.get(r), NAMES.get(c)) else {
                    continue;
                };
                // A value equal to the SKU's own baseline is no edit.
                let v = v.filter(|v| {
                    row.kind != Kind::Sku || row.base.get(name).ok().flatten() != Some(*v)
                });
                match v {
                    Some(v) => {
                        let _ = s.set(&row.target, name, v);
                    }
                    None => s.clear(&row.target, name),
                }
                // A typed-in product lives as long as it has an entry.
                if row.kind == Kind::Custom && !s.edits.contains_key(&row.target) {
                    let _ = s.set(&row.target, "units_per_order", Decimal::ONE);
                }
            }
        });
    }

    fn value_at(self, r: usize, c: usize) -> Option<Decimal> {
        let name = NAMES.get(c)?;
        self.rows.with_untracked(|rows| {
            let row = rows.get(r)?;
            self.cur.with_untracked(|s| cell_value(row, s, name))
        })
    }

    /// (first row, last row, first column, last column) of the selection.
    fn range(self) -> (usize, usize, usize, usize) {
        let (a, b) = (self.cursor.get_untracked(), self.anchor.get_untracked());
        (a.0.min(b.0), a.0.max(b.0), a.1.min(b.1), a.1.max(b.1))
    }

    fn cells_in_range(self) -> Vec<(usize, usize)> {
        let (r0, r1, c0, c1) = self.range();
        (r0..=r1)
            .flat_map(|r| (c0..=c1).map(move |c| (r, c)))
            .collect()
    }

    /// The `<tr>` of row `r`, when it is rendered (the grid renders only the rows in view).
    fn row_el(self, r: usize) -> Option<web_sys::Element> {
        let target = self
            .rows
            .with_untracked(|rows| rows.get(r).map(|x| x.target.clone()))?;
        let trs = self.tbody.get_untracked()?.children();
        (0..trs.length())
            .filter_map(|i| trs.item(i))
            .find(|tr| tr.get_attribute("data-row").as_deref() == Some(target.as_str()))
    }

    fn cell_el(self, r: usize, c: usize) -> Option<web_sys::Element> {
        self.row_el(r)?.children().item(c as u32 + 1)
    }

    fn focus_cursor(self) {
        let (r, c) = self.cursor.get_untracked();
        match self
            .cell_el(r, c)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            Some(el) => {
                let _ = el.focus();
            }
            // Out of the rendered rows: scroll it into view, then focus it once it is rendered.
            None => {
                self.scroll_to_row(r);
                request_animation_frame(move || {
                    if let Some(el) = self
                        .cell_el(r, c)
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = el.focus();
                    }
                });
            }
        }
    }

    /// Scrolls the grid's box so that row `r` is in view (below the sticky header).
    fn scroll_to_row(self, r: usize) {
        let Some(wrap) = self.wrap.get_untracked() else {
            return;
        };
        let (top, height) = (
            f64::from(wrap.scroll_top()),
            f64::from(wrap.client_height()),
        );
        let y = r as f64 * ROW_PX;
        let to = if y < top {
            y
        } else if y + ROW_PX > top + height - HEAD_PX {
            y + ROW_PX - (height - HEAD_PX)
        } else {
            return;
        };
        wrap.set_scroll_top(to.max(0.0) as i32);
        self.scroll_top.set(f64::from(wrap.scroll_top()));
        self.view_height.set(height);
    }

    fn move_to(self, r: isize, c: isize, extend: bool) {
        let n = self.rows.with_untracked(Vec::len) as isize;
        if n == 0 {
            return;
        }
        let cell = (r.clamp(0, n - 1) as usize, c.clamp(0, 19) as usize);
        self.cursor.set(cell);
        if !extend {
            self.anchor.set(cell);
        }
        self.focus_cursor();
    }

    fn move_by(self, dr: isize, dc: isize, extend: bool) {
        let (r, c) = self.cursor.get_untracked();
        self.move_to(r as isize + dr, c as isize + dc, extend);
    }

    /// The row and column of a cell element of the grid.
    fn cell_of(self, el: &web_sys::Element) -> Option<(usize, usize)> {
        let td = el.closest("td[data-input]").ok()??;
        let name = td.get_attribute("data-input")?;
        let col = NAMES.iter().position(|n| *n == name)?;
        let target = td
            .closest("tr[data-row]")
            .ok()??
            .get_attribute("data-row")?;
        let row = self
            .rows
            .with_untracked(|rows| rows.iter().position(|r| r.target == target))?;
        Some((row, col))
    }

    fn editing(self) -> bool {
        self.editor.with_value(Option::is_some)
    }

    /// Type to edit: an input over the cursor cell, holding `initial` or the exact value.
    fn open_editor(self, initial: Option<String>) {
        self.close_editor(true, false);
        let (r, c) = self.cursor.get_untracked();
        let Some(cell) = self.cell_el(r, c) else {
            return;
        };
        let text = initial.unwrap_or_else(|| {
            self.value_at(r, c)
                .map(|v| v.normalize().to_string())
                .unwrap_or_default()
        });
        let Some(input) = document()
            .create_element("input")
            .ok()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        input.set_class_name("cell-editor");
        input.set_value(&text);
        let _ = input.set_attribute("aria-label", INPUT_LABELS.get(c).unwrap_or(&""));
        let _ = cell.append_child(&input);
        let _ = input.focus();
        self.editor.set_value(Some(input));
    }

    /// Enter/Tab (commit) or Escape (cancel); `refocus` puts the keyboard back on the grid.
    fn close_editor(self, commit: bool, refocus: bool) {
        let Some(input) = self.editor.try_update_value(Option::take).flatten() else {
            return;
        };
        let text = input.value();
        input.remove();
        if commit {
            let (r, c) = self.cursor.get_untracked();
            match parse_cell(&text) {
                Ok(v) if v != self.value_at(r, c) => self.set_cells(vec![(r, c, v)]),
                Ok(_) => {}
                Err(e) => self.msg.set(e),
            }
        }
        if refocus {
            self.focus_cursor();
        }
    }

    fn selection_tsv(self) -> String {
        let (r0, r1, c0, c1) = self.range();
        (r0..=r1)
            .map(|r| {
                (c0..=c1)
                    .map(|c| {
                        self.value_at(r, c)
                            .map(|v| v.normalize().to_string())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Pastes a block (Excel, Google Sheets: TSV) at the selection's top-left; one value fills the
    /// whole selection. Blank cells are left alone.
    fn paste(self, text: &str) {
        let block: Vec<Vec<&str>> = text
            .trim_end_matches(['\r', '\n'])
            .split('\n')
            .map(|l| l.trim_end_matches('\r').split('\t').collect())
            .collect();
        let (r0, _, c0, _) = self.range();
        let n = self.rows.with_untracked(Vec::len);
        let mut cells: Vec<(usize, usize, &str)> = Vec::new();
        if let [line] = block.as_slice()
            && let [one] = line.as_slice()
        {
            cells.extend(self.cells_in_range().into_iter().map(|(r, c)| (r, c, *one)));
        } else {
            for (i, line) in block.iter().enumerate() {
                for (j, v) in line.iter().enumerate() {
                    if r0 + i < n && c0 + j < NAMES.len() {
                        cells.push((r0 + i, c0 + j, *v));
                    }
                }
            }
        }
        let mut bad = Vec::new();
        let mut changes = Vec::new();
        for (r, c, v) in cells.iter().filter(|x| !x.2.trim().is_empty()) {
            match parse_cell(v) {
                Ok(x) => changes.push((*r, *c, x)),
                Err(e) => bad.push(e),
            }
        }
        if let Some(&(r, c, _)) = cells.last() {
            self.anchor.set((r0, c0));
            self.cursor.set((r, c));
        }
        self.msg.set(if bad.is_empty() {
            String::new()
        } else {
            format!("{} pasted cell(s) skipped: {}", bad.len(), bad.join("; "))
        });
        self.set_cells(changes);
    }

    /// Ctrl+D: the selection's top row down its columns (one row: the row above it).
    fn fill_down(self) {
        let (r0, r1, c0, c1) = self.range();
        let (from, rows) = if r0 == r1 {
            (r0.saturating_sub(1), r0..=r1)
        } else {
            (r0, r0 + 1..=r1)
        };
        let changes = rows
            .flat_map(|r| (c0..=c1).map(move |c| (r, c)))
            .map(|(r, c)| (r, c, self.value_at(from, c)))
            .collect();
        self.set_cells(changes);
    }

    fn bulk(self, text: &str) {
        let Some(op) = Bulk::parse(text) else {
            self.msg.set(format!(
                "“{text}” is not a bulk edit: try +5%, -2, set 12 or ×1.1"
            ));
            return;
        };
        let changes = self
            .cells_in_range()
            .into_iter()
            .filter_map(|(r, c)| op.apply(self.value_at(r, c)).map(|v| (r, c, Some(v))))
            .collect();
        self.set_cells(changes);
    }

    fn reset_row(self, target: &str) {
        let target = target.to_string();
        self.commit(|s| {
            s.edits.remove(&target);
        });
    }

    fn on_keydown(self, ev: ev::KeyboardEvent) {
        let key = ev.key();
        let (ctrl, shift) = (ev.ctrl_key() || ev.meta_key(), ev.shift_key());
        if self.editing() {
            match key.as_str() {
                "Enter" => {
                    self.close_editor(true, false);
                    self.move_by(if shift { -1 } else { 1 }, 0, false);
                }
                "Tab" => {
                    self.close_editor(true, false);
                    self.move_by(0, if shift { -1 } else { 1 }, false);
                }
                "Escape" => self.close_editor(false, true),
                _ => return,
            }
            ev.prevent_default();
            return;
        }
        let on_cell = event_element(&ev).and_then(|e| self.cell_of(&e)).is_some();
        if !on_cell {
            return;
        }
        match (key.as_str(), ctrl) {
            ("ArrowUp", _) => self.move_by(-1, 0, shift),
            ("ArrowDown", _) => self.move_by(1, 0, shift),
            ("ArrowLeft", _) => self.move_by(0, -1, shift),
            ("ArrowRight", _) => self.move_by(0, 1, shift),
            ("Home", _) => self.move_by(0, -20, shift),
            ("End", _) => self.move_by(0, 20, shift),
            ("Tab", false) => self.move_by(0, if shift { -1 } else { 1 }, false),
            ("Enter" | "F2", false) => self.open_editor(None),
            ("Delete" | "Backspace", false) => {
                let changes = self
                    .cells_in_range()
                    .into_iter()
                    .map(|(r, c)| (r, c, None))
                    .collect();
                self.set_cells(changes);
            }
            ("Escape", false) => self.anchor.set(self.cursor.get_untracked()),
            ("z" | "Z", true) => self.undo_redo(!shift),
            ("y" | "Y", true) => self.undo_redo(false),
            ("d" | "D", true) => self.fill_down(),
            ("a" | "A", true) => {
                let n = self.rows.with_untracked(Vec::len);
                self.anchor.set((0, 0));
                self.cursor.set((n.saturating_sub(1), NAMES.len() - 1));
            }
            (k, false) if k.chars().count() == 1 && !ev.alt_key() => {
                self.open_editor(Some(k.to_string()))
            }
            _ => return,
        }
        ev.prevent_default();
    }

    fn on_mousedown(self, ev: ev::MouseEvent) {
        let Some(el) = event_element(&ev) else { return };
        if el.class_list().contains("cell-editor") {
            return;
        }
        self.close_editor(true, false);
        if let Some((r, c)) = self.cell_of(&el) {
            self.cursor.set((r, c));
            if !ev.shift_key() {
                self.anchor.set((r, c));
            } else {
                ev.prevent_default();
                self.focus_cursor();
            }
        }
    }

    fn on_click(self, ev: ev::MouseEvent) {
        let Some(button) =
            event_element(&ev).and_then(|e| e.closest("[data-action]").ok().flatten())
        else {
            return;
        };
        let target = button
            .closest("tr[data-row]")
            .ok()
            .flatten()
            .and_then(|tr| tr.get_attribute("data-row"));
        if let (Some("reset-row"), Some(t)) =
            (button.get_attribute("data-action").as_deref(), target)
        {
            self.reset_row(&t);
        }
    }

    /// Paints the selection (classes, aria-selected) on the rendered cells; no per-cell reactivity.
    fn paint_selection(self) {
        let Some(tbody) = self.tbody.get_untracked() else {
            return;
        };
        let marked = tbody.get_elements_by_class_name("sel");
        let old: Vec<web_sys::Element> = (0..marked.length())
            .filter_map(|i| marked.item(i))
            .collect();
        for el in old {
            let _ = el.class_list().remove_1("sel");
            let _ = el.remove_attribute("aria-selected");
        }
        // Only the rendered rows of the selection (Ctrl+A on 2,000 rows paints a screenful).
        let (r0, r1, c0, c1) = self.range();
        let (a, b) = self.window.get_untracked();
        for r in r0.max(a)..=r1.min(b.saturating_sub(1)) {
            let Some(tr) = self.row_el(r) else { continue };
            let cells = tr.children();
            for c in c0..=c1 {
                if let Some(el) = cells.item(c as u32 + 1) {
                    let _ = el.class_list().add_1("sel");
                    let _ = el.set_attribute("aria-selected", "true");
                }
            }
        }
    }
}

/// One row: its memos re-evaluate only when this row's edits change.
fn row_view(
    r: GridRow,
    g: Grid,
    agg: Memo<Agg>,
    base_agg: Memo<Agg>,
    cur: Signal<Currency>,
) -> impl IntoView {
    let kind = r.kind;
    let (t, gt) = (
        r.target.clone(),
        r.group.as_deref().map(Scenario::group_target),
    );
    let edits = Memo::new(move |_| {
        g.cur.with(|s| {
            let own = s.edits.get(&t).cloned().unwrap_or_default();
            let via = match (&gt, kind) {
                (Some(gt), Kind::Sku) => s.edits.get(gt).cloned().unwrap_or_default(),
                _ => BTreeMap::new(),
            };
            (own, via)
        })
    });
    let base = r.base.clone();
    let inputs = Memo::new(move |_| {
        edits.with(|(own, via)| {
            let mut i = base.clone();
            for (k, v) in via.iter().chain(own) {
                let _ = i.set(k, *v);
            }
            i
        })
    });
    let outputs =
        Memo::new(move |_| inputs.with(|i| (i.evaluate(), whatif::break_even_price(i).value())));
    let base_out = (r.base.evaluate(), whatif::break_even_price(&r.base).value());
    let base_out = StoredValue::new(base_out);
    let group = r.group.clone().unwrap_or_default();
    let inputs_cells = NAMES
        .iter()
        .map(|name| {
            let name: &'static str = name;
            let value = move || {
                if kind == Kind::Group {
                    edits.with(|(own, _)| own.get(name).copied())
                } else {
                    inputs.with(|i| i.get(name).ok().flatten())
                }
            };
            let own = move || edits.with(|(o, _)| o.contains_key(name));
            let via = move || edits.with(|(o, v)| !o.contains_key(name) && v.contains_key(name));
            view! {
                <td
                    data-input=name
                    tabindex="-1"
                    class:edited=own
                    class:inherited=via
                    aria-describedby=move || (own() || via()).then_some("wi-edited-note")
                    data-value=move || value().map(|v| v.normalize().to_string()).unwrap_or_default()
                >
                    <span>{move || show_input(value())}</span>
                </td>
            }
        })
        .collect_view();
    let outputs_cells = OUTPUTS
        .iter()
        .map(|&(name, _, fmt)| {
            let group = group.clone();
            let g2 = group.clone();
            let value = move || match kind {
                Kind::Group => agg.with(|a| a.groups.get(&group).and_then(|s| s.get(name))),
                _ => outputs.with(|(o, be)| out_value(o, *be, name)),
            };
            let base_value = move || match kind {
                Kind::Group => base_agg.with(|a| a.groups.get(&g2).and_then(|s| s.get(name))),
                Kind::Sku => base_out.with_value(|(o, be)| out_value(o, *be, name)),
                Kind::Custom => None,
            };
            let value2 = value.clone();
            view! {
                <td data-metric=name class="out" data-delta=move || delta(value2(), base_value())>
                    {move || show_out(value(), fmt, cur.get())}
                </td>
            }
        })
        .collect_view();
    let has_edits = move || edits.with(|(o, _)| !o.is_empty());
    let t = r.target.clone();
    let (row_class, reset_title, reset_text) = match kind {
        Kind::Sku => ("sku", "Back to the baseline", "Reset"),
        Kind::Group => ("group", "Back to the baseline", "Reset"),
        Kind::Custom => ("custom", "Remove this product", "Remove"),
    };
    view! {
        <tr
            data-row=t.clone()
            data-sku=(kind == Kind::Sku).then(|| t.clone())
            data-group=(kind == Kind::Group).then(|| group.clone())
            data-custom=(kind == Kind::Custom).then(|| r.label.clone())
            class=row_class
        >
            <th scope="row" class="row-name">
                <span>{r.label.clone()}</span>
                <button
                    type="button"
                    class="link reset"
                    data-action="reset-row"
                    hidden=move || kind != Kind::Custom && !has_edits()
                    title=reset_title
                >
                    {reset_text}
                </button>
            </th>
            {inputs_cells}
            {outputs_cells}
        </tr>
    }
}

#[component]
pub fn WhatIfView() -> impl IntoView {
    let state = expect_context::<State>();
    let f = figures(state);
    let cur_currency = currency(state);

    let share_code = Memo::new(move |_| state.route.with(|r| r.param(P_SHARE).to_string()));
    let msg = RwSignal::new(String::new());
    let parse_shared = move |code: &str| {
        if code.is_empty() {
            return None;
        }
        Scenario::from_share_code(code)
            .map_err(|e| msg.set(e.user_message()))
            .ok()
    };
    let shared = RwSignal::new(parse_shared(&share_code.get_untracked()));
    Effect::new(move |prev: Option<String>| {
        let code = share_code.get();
        if prev.is_some_and(|p| p != code) {
            shared.set(parse_shared(&code));
        }
        code
    });

    let selected = Memo::new(move |_| state.route.with(|r| r.param(P_SCENARIO).to_string()));
    let cur = Memo::new(move |_| {
        if let Some(s) = shared.get() {
            return s;
        }
        let want = selected.get();
        state.scenarios.with(|list| {
            list.iter()
                .find(|s| s.name == want)
                .or(list.first())
                .cloned()
                .unwrap_or_else(|| Scenario::new("Scenario 1"))
        })
    });

    let generation = StoredValue::new(0u32);
    let data = Memo::new(move |_| {
        generation.update_value(|g| *g += 1);
        let gen_now = generation.get_value();
        f.with(|c| {
            c.as_ref()
                .map(|c| state.settings.with(|s| data_rows(c, s, gen_now)))
                .unwrap_or_default()
        })
    });
    let customs = Memo::new(move |_| {
        cur.with(|s| {
            s.edits
                .keys()
                .filter_map(|k| k.strip_prefix(CUSTOM).map(str::to_string))
                .collect::<Vec<_>>()
        })
    });
    let rows = Memo::new(move |_| {
        let mut rows: Vec<GridRow> = customs.with(|c| c.iter().map(|n| custom_row(n)).collect());
        data.with(|d| rows.extend(d.iter().cloned()));
        rows
    });
    let cache = StoredValue::new(Cache::new());
    let agg = Memo::new(move |_| {
        rows.with(|rows| {
            cur.with(|s| {
                let mut out = Agg::default();
                cache.update_value(|c| out = aggregate(rows, s, Some(c)));
                out
            })
        })
    });
    let base_agg =
        Memo::new(move |_| data.with(|rows| aggregate(rows, &Scenario::default(), None)));

    // Virtualisation: the rows in view, from the scroll position and the box's height.
    let scroll_top = RwSignal::new(0.0_f64);
    let view_height = RwSignal::new(700.0_f64);
    let window = Memo::new(move |_| {
        let n = rows.with(Vec::len);
        if n < VIRTUAL_FROM {
            return (0, n);
        }
        let first = ((scroll_top.get() / ROW_PX) as usize).saturating_sub(OVERSCAN);
        let shown = (view_height.get() / ROW_PX) as usize + 2 * OVERSCAN;
        (first.min(n), (first + shown).min(n))
    });
    let spacer = move |rows: usize| {
        (rows > 0).then(|| {
            let h = format!("{}px", rows as f64 * ROW_PX);
            view! { <tr class="spacer" aria-hidden="true"><td style:height=h></td></tr> }
        })
    };

    let g = Grid {
        state,
        shared,
        cur,
        rows,
        cursor: RwSignal::new((0, 0)),
        anchor: RwSignal::new((0, 0)),
        undo: StoredValue::new(Vec::new()),
        redo: StoredValue::new(Vec::new()),
        editor: StoredValue::new_local(None),
        tbody: NodeRef::new(),
        wrap: NodeRef::new(),
        scroll_top,
        view_height,
        window,
        msg,
        last_ms: RwSignal::new(None),
    };
    Effect::new(move |_| {
        g.cursor.track();
        g.anchor.track();
        g.rows.track();
        g.window.track();
        g.tbody.track();
        // After the rows render.
        request_animation_frame(move || g.paint_selection());
    });

    view! {
        <PeriodBar />
        <section class="whatif" aria-labelledby="whatif-h">
            <div class="section-head">
                <h2 id="whatif-h">"What-if"</h2>
                <p class="muted small">
                    "Per unit ordered (METRICS §7). Arrow keys move, type to edit, Enter/Tab commit, Escape cancels; Shift+arrows or Shift+click select; Ctrl+C/Ctrl+V copy and paste blocks with Excel or Google Sheets; Ctrl+D fills down; Delete resets; Ctrl+Z/Ctrl+Y undo and redo."
                </p>
            </div>
            <SharedBanner g=g />
            <ScenarioBar g=g />
            <EditBar g=g />
            <p class="status" role="status" data-testid="whatif-msg">{move || msg.get()}</p>
            <Show when=move || data.with(Vec::is_empty)>
                <p class="muted small" data-testid="whatif-empty">
                    "No orders loaded: type a product of your own below, or "
                    <a href="#/files">"drop your exports"</a>
                    " to start from every SKU's own history."
                </p>
            </Show>
            <span id="wi-edited-note" class="visually-hidden">"Edited in this scenario"</span>
            <div
                class="table-wrap wi-wrap"
                node_ref=g.wrap
                on:scroll=move |ev| {
                    if let Some(el) = event_element(&ev) {
                        scroll_top.set(f64::from(el.scroll_top()));
                        view_height.set(f64::from(el.client_height()));
                    }
                }
            >
                <table
                    class="data-table wi-grid"
                    role="grid"
                    aria-label="What-if unit economics"
                    on:keydown=move |ev| g.on_keydown(ev)
                    on:mousedown=move |ev| g.on_mousedown(ev)
                    on:dblclick=move |ev| {
                        if event_element(&ev).and_then(|e| g.cell_of(&e)).is_some() {
                            g.open_editor(None);
                        }
                    }
                    on:click=move |ev| g.on_click(ev)
                    on:focusout=move |ev| {
                        if event_element(&ev).is_some_and(|e| e.class_list().contains("cell-editor")) {
                            g.close_editor(true, false);
                        }
                    }
                    on:copy=move |ev: ev::ClipboardEvent| {
                        if g.editing() {
                            return;
                        }
                        if let Some(dt) = ev.clipboard_data() {
                            let _ = dt.set_data("text/plain", &g.selection_tsv());
                            ev.prevent_default();
                        }
                    }
                    on:paste=move |ev: ev::ClipboardEvent| {
                        if g.editing() {
                            return;
                        }
                        let text = ev
                            .clipboard_data()
                            .and_then(|d| d.get_data("text/plain").ok())
                            .unwrap_or_default();
                        ev.prevent_default();
                        g.paste(&text);
                    }
                >
                    <thead>
                        <tr>
                            <th scope="col" class="row-name">"Product"</th>
                            {NAMES
                                .iter()
                                .zip(INPUT_LABELS)
                                .map(|(n, l)| view! { <th scope="col" class="in" title=*n>{l}</th> })
                                .collect_view()}
                            {OUTPUTS
                                .iter()
                                .map(|(n, l, _)| view! { <th scope="col" class="out" title=*n>{*l}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody node_ref=g.tbody>
                        {move || spacer(window.get().0)}
                        <For
                            each=move || {
                                let (a, b) = window.get();
                                rows.with(|r| r.get(a..b).map(<[GridRow]>::to_vec).unwrap_or_default())
                            }
                            key=|r| (r.target.clone(), r.generation)
                            children=move |r| row_view(r, g, agg, base_agg, cur_currency)
                        />
                        {move || spacer(rows.with(Vec::len).saturating_sub(window.get().1))}
                    </tbody>
                </table>
            </div>
            <AddProduct g=g />
            <div class="wi-panels">
                <Solvers g=g />
                <Compare g=g agg=agg base_agg=base_agg />
            </div>
            <Sensitivity g=g />
            <p class="muted small" data-testid="edit-ms">
                {move || {
                    g.last_ms
                        .get()
                        .map(|ms| format!("Last edit → repaint: {ms:.1} ms ({MEASURE})"))
                        .unwrap_or_default()
                }}
            </p>
        </section>
    }
}

#[component]
fn SharedBanner(g: Grid) -> impl IntoView {
    let save = move |_| {
        let Some(s) = g.shared.get_untracked() else {
            return;
        };
        let name = g
            .state
            .scenarios
            .with_untracked(|l| unique_name(&s.name, l));
        g.state.scenarios.update(|l| {
            l.push(Scenario {
                name: name.clone(),
                ..s
            })
        });
        g.shared.set(None);
        g.state.route.update(|r| {
            r.set_param(P_SHARE, "");
            r.set_param(P_SCENARIO, &name);
        });
        g.msg.set(format!("Saved as “{name}”."));
    };
    let dismiss = move |_| {
        g.shared.set(None);
        g.state.route.update(|r| r.set_param(P_SHARE, ""));
    };
    view! {
        <Show when=move || g.shared.with(Option::is_some)>
            <p class="notice" data-testid="shared-banner">
                "You are looking at the shared scenario “"
                {move || g.cur.with(|s| s.name.clone())}
                "” (its inputs only; no order data travels in a link). "
                <button type="button" class="button" data-action="save-shared" on:click=save>"Save to my scenarios"</button>
                " "
                <button type="button" class="button secondary" on:click=dismiss>"Dismiss"</button>
            </p>
        </Show>
    }
}

#[component]
fn ScenarioBar(g: Grid) -> impl IntoView {
    let state = g.state;
    let names = Memo::new(move |_| {
        state
            .scenarios
            .with(|l| l.iter().map(|s| s.name.clone()).collect::<Vec<_>>())
    });
    let add = move |s: Scenario| {
        let name = state.scenarios.with_untracked(|l| unique_name(&s.name, l));
        state.scenarios.update(|l| {
            l.push(Scenario {
                name: name.clone(),
                ..s
            })
        });
        g.shared.set(None);
        state.route.update(|r| {
            r.set_param(P_SHARE, "");
            r.set_param(P_SCENARIO, &name);
        });
    };
    let rename = move |ev: ev::Event| {
        let want = event_target_value(&ev).trim().to_string();
        let old = g.cur.with_untracked(|s| s.name.clone());
        if want.is_empty() || want == old {
            return;
        }
        if names.with_untracked(|n| n.contains(&want)) {
            g.msg
                .set(format!("There is already a scenario called “{want}”."));
            return;
        }
        g.mutate(|s| s.name = want);
    };
    let set_num =
        move |ev: ev::Event, which: &'static str| match parse_cell(&event_target_value(&ev)) {
            Ok(v) => g.commit(|s| {
                if which == "elasticity" {
                    s.elasticity = v
                } else {
                    s.target_cm2_pct = v
                }
            }),
            Err(e) => g.msg.set(e),
        };
    let share = RwSignal::new(String::new());
    let do_share = move |_| {
        let code = g.cur.with_untracked(Scenario::share_code);
        let loc = window().location();
        let url = format!(
            "{}{}#/what-if?{P_SHARE}={code}",
            loc.origin().unwrap_or_default(),
            loc.pathname().unwrap_or_default()
        );
        browser::copy_text(&url);
        share.set(url);
    };
    let download = move |_| {
        let s = g.cur.get_untracked();
        let json = serde_json::to_string_pretty(&s).unwrap_or_default();
        let file: String = s
            .name
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        if let Err(e) = browser::download(
            &format!("{file}.scenario.json"),
            "application/json",
            json.as_bytes(),
        ) {
            g.msg.set(e);
        }
    };
    let import = move |ev: ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let parsed = text
                .ok()
                .and_then(|t| t.as_string())
                .ok_or_else(|| "the file could not be read".to_string())
                .and_then(|t| serde_json::from_str::<Scenario>(&t).map_err(|e| e.to_string()))
                .and_then(|s| s.validate().map(|()| s).map_err(|e| e.user_message()));
            match parsed {
                Ok(s) => add(s),
                Err(e) => g
                    .msg
                    .set(format!("{name}: not a Margin Lab scenario ({e})")),
            }
        });
    };
    let num_value = move |which: &'static str| {
        move || {
            g.cur.with(|s| {
                if which == "elasticity" {
                    s.elasticity
                } else {
                    s.target_cm2_pct
                }
                .map(|v| v.normalize().to_string())
                .unwrap_or_default()
            })
        }
    };
    view! {
        <div class="wi-bar" role="group" aria-label="Scenario">
            <label class="field">
                <span>"Scenario"</span>
                <select
                    data-testid="scenario-select"
                    on:change=move |ev| {
                        g.shared.set(None);
                        let v = event_target_value(&ev);
                        state.route.update(|r| {
                            r.set_param(P_SHARE, "");
                            r.set_param(P_SCENARIO, &v);
                        });
                    }
                >
                    {move || {
                        let now = g.cur.with(|s| s.name.clone());
                        let mut list = names.get();
                        if !list.contains(&now) {
                            list.insert(0, now.clone());
                        }
                        list.into_iter()
                            .map(|n| view! { <option value=n.clone() selected=n == now>{n.clone()}</option> })
                            .collect_view()
                    }}
                </select>
            </label>
            <label class="field">
                <span>"Name"</span>
                <input type="text" data-testid="scenario-name" prop:value=move || g.cur.with(|s| s.name.clone()) on:change=rename />
            </label>
            <button type="button" class="button secondary" data-action="new-scenario" on:click=move |_| add(Scenario::new("Scenario"))>"New"</button>
            <button type="button" class="button secondary" data-action="duplicate-scenario" on:click=move |_| {
                let s = g.cur.get_untracked();
                add(Scenario { name: format!("{} copy", s.name), ..s })
            }>"Duplicate"</button>
            <button type="button" class="button secondary" data-action="delete-scenario" on:click=move |_| {
                let name = g.cur.with_untracked(|s| s.name.clone());
                state.scenarios.update(|l| l.retain(|s| s.name != name));
                state.route.update(|r| r.set_param(P_SCENARIO, ""));
            }>"Delete"</button>
            <label class="field">
                <span>"Target CM2 %"</span>
                <input type="text" inputmode="decimal" class="num" data-input="target_cm2_pct" placeholder=DEFAULT_TARGET.to_string() prop:value=num_value("target") on:change=move |ev| set_num(ev, "target") />
            </label>
            <label class="field">
                <span>"Price elasticity"</span>
                <input type="text" inputmode="decimal" class="num" data-input="elasticity" placeholder="0" title="% volume change per 1% price change, e.g. -1.5" prop:value=num_value("elasticity") on:change=move |ev| set_num(ev, "elasticity") />
            </label>
            <button type="button" class="button secondary" data-action="share" on:click=do_share>"Copy share link"</button>
            <button type="button" class="button secondary" data-action="download-scenario" on:click=download>"Download scenario"</button>
            <label class="button secondary">
                "Import scenario"
                <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="import-scenario" on:change=import />
            </label>
            <Show when=move || share.with(|s| !s.is_empty())>
                <label class="field wide">
                    <span>"Share link (copied)"</span>
                    <input type="text" readonly=true data-testid="share-url" prop:value=move || share.get() />
                </label>
            </Show>
        </div>
    }
}

#[component]
fn EditBar(g: Grid) -> impl IntoView {
    let bulk = RwSignal::new(String::new());
    view! {
        <div class="wi-bar" role="group" aria-label="Edit">
            <button type="button" class="button secondary" data-action="undo" on:click=move |_| g.undo_redo(true)>"Undo"</button>
            <button type="button" class="button secondary" data-action="redo" on:click=move |_| g.undo_redo(false)>"Redo"</button>
            <label class="field">
                <span>"Bulk edit of the selection"</span>
                <input type="text" data-testid="bulk" placeholder="+5%, -2, set 12, ×1.1" prop:value=move || bulk.get()
                    on:input=move |ev| bulk.set(event_target_value(&ev))
                    on:keydown=move |ev: ev::KeyboardEvent| if ev.key() == "Enter" { g.bulk(&bulk.get_untracked()) } />
            </label>
            <button type="button" class="button secondary" data-action="bulk" on:click=move |_| g.bulk(&bulk.get_untracked())>"Apply"</button>
            <button type="button" class="button secondary" data-action="reset-all" on:click=move |_| g.commit(|s| s.edits.retain(|k, _| k.starts_with(CUSTOM)))>"Reset all SKUs"</button>
        </div>
    }
}

#[component]
fn AddProduct(g: Grid) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let add = move || {
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() {
            return;
        }
        let target = format!("{CUSTOM}{n}");
        if g.cur.with_untracked(|s| s.edits.contains_key(&target)) {
            g.msg.set(format!("“{n}” is already in the grid."));
            return;
        }
        g.commit(|s| {
            let _ = s.set(&target, "units_per_order", Decimal::ONE);
        });
        name.set(String::new());
        if let Some(r) = g
            .rows
            .with_untracked(|rows| rows.iter().position(|r| r.target == target))
        {
            g.cursor.set((r, 0));
            g.anchor.set((r, 0));
            request_animation_frame(move || g.focus_cursor());
        }
    };
    view! {
        <form class="wi-bar" data-testid="add-product" on:submit=move |ev| {
            ev.prevent_default();
            add();
        }>
            <label class="field">
                <span>"A product not in your files"</span>
                <input type="text" data-testid="custom-name" placeholder="Product name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="button secondary" data-action="add-custom">"Add product"</button>
        </form>
    }
}

/// The selected row (the cursor's) and its inputs under the current scenario.
fn active(g: Grid) -> Memo<Option<(usize, GridRow, UnitInputs)>> {
    Memo::new(move |_| {
        let r = g.cursor.get().0;
        g.rows.with(|rows| {
            let row = rows.get(r).filter(|x| x.kind != Kind::Group)?.clone();
            let inputs = g
                .cur
                .with(|s| s.inputs_for(&row.target, row.group.as_deref(), &row.base));
            Some((r, row, inputs))
        })
    })
}

#[component]
fn Solvers(g: Grid) -> impl IntoView {
    let act = active(g);
    let target = Memo::new(move |_| g.cur.with(|s| s.target_cm2_pct).unwrap_or(DEFAULT_TARGET));
    let solved = Memo::new(move |_| {
        act.with(|a| {
            a.as_ref().map(|(_, _, i)| {
                let t = target.get();
                [
                    whatif::break_even_price(i),
                    whatif::price_for_target_cm2_pct(i, t),
                    whatif::max_commission_for_target_cm2_pct(i, t),
                ]
            })
        })
    });
    let line = move |k: usize, key: &'static str, label: &'static str, input: &'static str| {
        let text = move || {
            solved.with(|s| match s.as_ref().and_then(|s| s.get(k)) {
                Some(Solved::Value { value, .. }) if input == "price" => {
                    g.state.currency().unwrap_or(Currency::USD).format(*value)
                }
                Some(Solved::Value { value, .. }) => format!("{}%", format::round(*value, 2)),
                Some(Solved::Infeasible { reason }) => reason.to_string(),
                None => format::NONE.to_string(),
            })
        };
        let apply = move |_| {
            let v = solved
                .with_untracked(|s| s.as_ref().and_then(|s| s.get(k)).and_then(Solved::value));
            let (Some(v), Some((r, _, _))) = (v, act.get_untracked()) else {
                return;
            };
            let c = NAMES.iter().position(|n| *n == input).unwrap_or(0);
            g.set_cells(vec![(r, c, Some(v))]);
        };
        let feasible = move || {
            solved.with(|s| {
                s.as_ref()
                    .and_then(|s| s.get(k))
                    .and_then(Solved::value)
                    .is_some()
            })
        };
        view! {
            <li data-solver=key class:infeasible=move || !feasible()>
                <span class="muted">{label}</span>
                " "
                <strong class="value">{text}</strong>
                " "
                <button type="button" class="link" data-action=format!("apply-{key}") disabled=move || !feasible() on:click=apply>
                    "Write into scenario"
                </button>
            </li>
        }
    };
    view! {
        <section class="card wi-solvers" aria-labelledby="solvers-h">
            <h3 id="solvers-h">
                "Solvers — "
                {move || act.with(|a| a.as_ref().map(|(_, r, _)| r.label.clone()).unwrap_or_else(|| "select a SKU row".to_string()))}
            </h3>
            <ul class="plain">
                {line(0, "break_even_price", "Break-even price (CM2 = 0)", "price")}
                {line(1, "target_price", "Price for the target CM2 %", "price")}
                {line(2, "max_commission_pct", "Highest commission for the target CM2 %", "commission_pct")}
            </ul>
        </section>
    }
}

#[component]
fn Compare(g: Grid, agg: Memo<Agg>, base_agg: Memo<Agg>) -> impl IntoView {
    let state = g.state;
    let other_name = Memo::new(move |_| state.route.with(|r| r.param(P_COMPARE).to_string()));
    let other = Memo::new(move |_| {
        let n = other_name.get();
        state
            .scenarios
            .with(|l| l.iter().find(|s| s.name == n && !n.is_empty()).cloned())
    });
    let other_agg = Memo::new(move |_| {
        other.with(|o| {
            o.as_ref()
                .map(|s| g.rows.with(|rows| aggregate(rows, s, None)))
        })
    });
    let c = currency(state);
    let lines: [(&str, &str); 7] = [
        ("units", "Units"),
        ("net_revenue", "Net revenue"),
        ("gross_profit", "Gross profit"),
        ("cm1", "CM1"),
        ("cm2", "CM2"),
        ("cm2_pct", "CM2 %"),
        ("net_profit", "Net profit"),
    ];
    let cell = move |s: &Sum, key: &str| {
        let money = |x: Decimal| c.get().format(x);
        match key {
            "units" => format::round(s.units, 0).to_string(),
            "net_revenue" => money(s.net_revenue),
            "gross_profit" => money(s.gross_profit),
            "cm1" => money(s.cm1),
            "cm2" => money(s.cm2),
            "cm2_pct" => show_out(s.pct(s.cm2), Fmt::Pct, Currency::USD),
            _ => money(s.net_profit),
        }
    };
    view! {
        <section class="card wi-compare" aria-labelledby="compare-h">
            <h3 id="compare-h">"Projected period P&L"</h3>
            <label class="field">
                <span>"Compare with"</span>
                <select data-testid="compare-select" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.route.update(|r| r.set_param(P_COMPARE, &v));
                }>
                    <option value="">"—"</option>
                    {move || {
                        let now = other_name.get();
                        state.scenarios.with(|l| {
                            l.iter()
                                .map(|s| view! { <option value=s.name.clone() selected=s.name == now>{s.name.clone()}</option> })
                                .collect_view()
                        })
                    }}
                </select>
            </label>
            <table class="data-table" data-testid="compare">
                <thead>
                    <tr>
                        <th></th>
                        <th scope="col">"Baseline"</th>
                        <th scope="col">{move || g.cur.with(|s| s.name.clone())}</th>
                        <Show when=move || other.with(Option::is_some)>
                            <th scope="col">{move || other_name.get()}</th>
                        </Show>
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|(key, label)| {
                            view! {
                                <tr data-metric=key>
                                    <th scope="row">{label}</th>
                                    <td data-compare="baseline">{move || base_agg.with(|a| cell(&a.all, key))}</td>
                                    <td data-compare="current">{move || agg.with(|a| cell(&a.all, key))}</td>
                                    <Show when=move || other.with(Option::is_some)>
                                        <td data-compare="other">{move || other_agg.with(|a| a.as_ref().map(|a| cell(&a.all, key)).unwrap_or_default())}</td>
                                    </Show>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            <p class="muted small">"Baseline volumes × the scenario's unit economics; the volume follows the price by the scenario's elasticity."</p>
        </section>
    }
}

#[component]
fn Sensitivity(g: Grid) -> impl IntoView {
    let act = active(g);
    let target = Memo::new(move |_| g.cur.with(|s| s.target_cm2_pct).unwrap_or(DEFAULT_TARGET));
    let c = currency(g.state);
    move || {
        let (_, row, inputs) = act.get()?;
        if inputs.price <= Decimal::ZERO {
            return None;
        }
        let prices: Vec<Decimal> = (7..=13)
            .map(|k| format::round(inputs.price * Decimal::from(k) / Decimal::TEN, 2))
            .collect();
        let commissions: Vec<Decimal> = (0..=6).map(|k| Decimal::from(k * 5)).collect();
        let grid = whatif::sensitivity_grid(&inputs, &prices, &commissions);
        let currency = c.get();
        let cells: Vec<Vec<HeatCell>> = grid
            .into_iter()
            .zip(&prices)
            .map(|(line, p)| {
                line.into_iter()
                    .zip(&commissions)
                    .map(|(value, r)| HeatCell {
                        value,
                        tooltip: format!("Price {} · commission {r}%", currency.format(*p)),
                    })
                    .collect()
            })
            .collect();
        Some(view! {
            <HeatMap
                title=format!("CM2 % by price × commission — {}", row.label)
                desc="CM2 % of the selected row at prices from −30% to +30% and commission rates from 0% to 30%, coloured around the target CM2 %".to_string()
                row_label="Price"
                col_label="Commission"
                rows=prices.iter().map(|p| currency.format(*p)).collect()
                cols=commissions.iter().map(|r| format!("{r}%")).collect()
                cells=cells
                target=target.get()
                format=|d| format!("{}%", format::round(d, 1))
                testid="sensitivity"
            />
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn cells_read_spreadsheet_text() {
        assert_eq!(parse_cell("$1,234.50"), Ok(Some(d("1234.50"))));
        assert_eq!(parse_cell(" 12% "), Ok(Some(d("12"))));
        assert_eq!(parse_cell(""), Ok(None));
        assert!(parse_cell("abc").is_err());
    }

    #[test]
    fn bulk_edits() {
        let v = Some(d("10"));
        for (text, want) in [
            ("+5%", "10.5"),
            ("-2", "8"),
            ("set 12", "12"),
            ("=12", "12"),
            ("×1.1", "11.0"),
            ("x1.1", "11.0"),
            ("-10%", "9"),
            ("7", "7"),
        ] {
            let op = Bulk::parse(text).unwrap();
            assert_eq!(op.apply(v), Some(d(want)), "{text}");
        }
        assert_eq!(Bulk::parse("abc"), None);
    }

    #[test]
    fn names_are_unique() {
        let list = vec![Scenario::new("A"), Scenario::new("A 2")];
        assert_eq!(unique_name("A", &list), "A 3");
        assert_eq!(unique_name("B", &list), "B");
    }

    #[test]
    fn deltas_are_signed_and_empty_when_unchanged() {
        assert_eq!(delta(Some(d("3")), Some(d("1.8"))), "+1.20");
        assert_eq!(delta(Some(d("1")), Some(d("1.35"))), "-0.35");
        assert_eq!(delta(Some(d("1")), Some(d("1.001"))), "");
    }
}
