//! The what-if grid's rows: one per SKU (from its history, docs/metrics.md §7), product group and
//! typed-in product, and how a row shows its inputs and outputs. The figures are the engine's.

use super::{Follow, Grid, NAMES, sum_key};
use crate::format;
use crate::protocol::Computed;
use crate::views::skus::sku_label;
use leptos::prelude::*;
use margin_engine::edits;
use margin_engine::money::Currency;
use margin_engine::registry::{UNIT_OUTPUTS, Unit, UnitResult};
use margin_engine::settings::Settings;
use margin_engine::sort_dyn::SortDyn;
use margin_engine::whatif::{BaselineSku, UnitInputs};
use margin_engine::workspace::{EditSource, Scenario};
use rust_decimal::Decimal;

/// Each input's column header, by its [`UnitInputs::NAMES`] name (a test checks every name has one).
const INPUT_LABELS: [(&str, &str); 20] = [
    ("price", "Price"),
    ("seller_discount_pct", "Seller discount %"),
    ("unit_cost", "Unit cost"),
    ("vat_pct", "VAT %"),
    ("fee_pct", "Fee %"),
    ("fee_fixed_per_order", "Fee / order"),
    ("fee_cap_per_item", "Fee cap / item"),
    ("units_per_order", "Units / order"),
    ("refund_admin_fee_pct", "Refund admin fee %"),
    ("refund_admin_fee_cap", "Refund admin cap"),
    ("affiliate_share_pct", "Affiliate share %"),
    ("commission_pct", "Commission %"),
    ("return_rate_pct", "Return rate %"),
    ("restock_pct", "Restock %"),
    ("return_shipping", "Return shipping"),
    ("fulfillment_per_unit", "Fulfilment / unit"),
    ("shipping_per_order", "Shipping / order"),
    ("ad_spend_per_unit", "Ad spend / unit"),
    ("sample_cost_per_unit", "Samples / unit"),
    ("overhead_per_unit", "Overhead / unit"),
];

/// The column header of the input called `name` (its name when it has no label).
pub(super) fn input_label(name: &str) -> &str {
    INPUT_LABELS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(name, |(_, l)| l)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Sku,
    Group,
    Custom,
}

/// One grid row: what its edits are keyed by, and its baseline.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct GridRow {
    /// SKU ID, `group:NAME` or `custom:NAME` — the key of its edits in the scenario.
    pub target: String,
    pub label: String,
    pub kind: Kind,
    /// A SKU's product group.
    pub group: Option<String>,
    /// A SKU's own baseline (`UnitInputs::typed_product` for a typed-in product, the default inputs
    /// for a group).
    pub base: UnitInputs,
    /// A SKU's baseline with its volume and price, which the period totals project.
    pub sku: Option<BaselineSku>,
    /// Changes when the baseline is rebuilt, so rows re-render with their new baseline.
    pub generation: u32,
}

impl GridRow {
    /// The product group whose edits the row inherits: a SKU's, none for the others.
    pub fn inherits(&self) -> Option<&str> {
        match self.kind {
            Kind::Sku => self.group.as_deref(),
            _ => None,
        }
    }

    /// The baseline a value is compared with before it counts as an edit: a SKU's own.
    pub fn own_base(&self) -> Option<&UnitInputs> {
        (self.kind == Kind::Sku).then_some(&self.base)
    }
}

/// SKU rows (from the SKU's history, docs/metrics.md §7) then product-group rows.
pub(super) fn data_rows(c: &Computed, settings: &Settings, generation: u32) -> Vec<GridRow> {
    let Some((_, end)) = c.analysis.period else {
        return Vec::new();
    };
    let mut rows: Vec<GridRow> = c
        .analysis
        .skus
        .iter()
        .filter_map(|s| {
            let b = BaselineSku::of(s, settings, c.currency, end)?;
            Some(GridRow {
                target: b.sku_id.clone(),
                label: sku_label(s),
                kind: Kind::Sku,
                group: Some(b.group.clone()),
                base: b.inputs.clone(),
                sku: Some(b),
                generation,
            })
        })
        .collect();
    let mut groups: Vec<String> = rows.iter().filter_map(|r| r.group.clone()).collect();
    groups.sort_dyn();
    groups.dedup();
    rows.extend(groups.into_iter().map(|g| GridRow {
        target: Scenario::group_target(&g),
        label: format!("All of {g}"),
        kind: Kind::Group,
        group: Some(g),
        base: UnitInputs::default(),
        sku: None,
        generation,
    }));
    rows
}

/// A typed-in product's row: its baseline is the engine's (`UnitInputs::typed_product`: every unit
/// through affiliates unless a share is typed in).
pub(super) fn custom_row(name: &str) -> GridRow {
    GridRow {
        target: Scenario::custom_target(name),
        label: name.to_string(),
        kind: Kind::Custom,
        group: None,
        base: UnitInputs::typed_product(),
        sku: None,
        generation: 0,
    }
}

/// The SKUs whose periods the totals sum.
pub(super) fn skus(rows: &[GridRow]) -> impl Iterator<Item = &BaselineSku> {
    rows.iter().filter_map(|r| r.sku.as_ref())
}

/// The value an input cell shows: a group row shows only its own edits.
pub(super) fn cell_value(r: &GridRow, s: &Scenario, name: &str) -> Option<Decimal> {
    if r.kind == Kind::Group {
        return s.edits.get(&r.target).and_then(|m| m.get(name)).copied();
    }
    s.inputs_for(&r.target, r.inherits(), &r.base)
        .get(name)
        .ok()
        .flatten()
}

fn show_input(v: Option<Decimal>) -> String {
    v.map(|v| format::round(v, 2).to_string())
        .unwrap_or_default()
}

/// A what-if figure as the grid writes it: money in `c`, percentages and ratios with two decimals,
/// counts whole.
pub(super) fn show_out(v: Option<Decimal>, unit: Unit, c: Currency) -> String {
    match (v, unit) {
        (None, _) | (_, Unit::Flag) => format::NONE.to_string(),
        (Some(v), Unit::Money) => c.format(v),
        (Some(v), Unit::Percent) => format!("{}%", format::round(v, 2)),
        (Some(v), Unit::Ratio) => format::round(v, 2).to_string(),
        (Some(v), Unit::Count) => format::round(v, 0).to_string(),
    }
}

/// One row: its memos re-evaluate only when this row's edits change (its own target's or, for a SKU,
/// its group's), or, for a product group, its sums (keys of `Grid::watch`).
pub(super) fn row_view(r: GridRow, g: Grid, cur: Signal<Currency>) -> impl IntoView {
    let kind = r.kind;
    let (t, inherits) = (r.target.clone(), r.inherits().map(str::to_string));
    // The edits that apply to this row and where each comes from (`Scenario::edits_for`), read again
    // when the row's own edits or its group's change.
    let keys: Vec<String> = std::iter::once(t.clone())
        .chain(inherits.as_deref().map(Scenario::group_target))
        .collect();
    let follow = Follow::new(g.watch);
    let edits = Memo::new(move |_| {
        follow.track(&keys);
        g.cur
            .with_untracked(|s| s.edits_for(&t, inherits.as_deref()))
    });
    let base = r.base.clone();
    let inputs = Memo::new(move |_| edits.with(|e| e.apply(&base)));
    let outputs = Memo::new(move |_| inputs.with(UnitResult::of));
    let base_out = StoredValue::new(UnitResult::of(&r.base));
    let group = r.group.clone().unwrap_or_default();
    // A product group's sums (the scenario's and the baseline's, `Grid::totals`) follow its `sum_key`.
    let sums = (kind == Kind::Group).then(|| Follow::new(g.watch));
    let inputs_cells = NAMES
        .iter()
        .map(|name| {
            let name: &'static str = name;
            let value = move || {
                if kind == Kind::Group {
                    edits.with(|e| e.own.get(name).copied())
                } else {
                    inputs.with(|i| i.get(name).ok().flatten())
                }
            };
            let own = move || edits.with(|e| e.source(name) == Some(EditSource::Own));
            let via = move || edits.with(|e| e.source(name) == Some(EditSource::Group));
            // The cell holds its text only (no element inside): 2 nodes a cell, 40 fewer a row.
            view! {
                <td
                    data-input=name
                    tabindex="-1"
                    class:edited=own
                    class:inherited=via
                    aria-describedby=move || (own() || via()).then_some("wi-edited-note")
                    data-value=move || value().map(|v| v.normalize().to_string()).unwrap_or_default()
                >
                    {move || show_input(value())}
                </td>
            }
        })
        .collect_view();
    // The outputs of the registry (docs/metrics.md §7), each read through its accessor; a product
    // group's are its SKUs' period sums (`PeriodSum::get`, by the same key).
    let outputs_cells = UNIT_OUTPUTS
        .iter()
        .map(|m| {
            // A group row's key in `Grid::watch` and its name.
            let key = sums.map(|_| ([sum_key(&group)], group.clone()));
            let key2 = key.clone();
            let value = move || match (sums, &key) {
                (Some(follow), Some((k, name))) => {
                    follow.track(k);
                    g.totals.group(name, false, m.key)
                }
                _ => outputs.with(|o| m.amount(o)),
            };
            let base_value = move || match (sums, &key2, kind) {
                (Some(follow), Some((k, name)), _) => {
                    follow.track(k);
                    g.totals.group(name, true, m.key)
                }
                (_, _, Kind::Sku) => base_out.with_value(|o| m.amount(o)),
                _ => None,
            };
            let value2 = value.clone();
            view! {
                <td data-metric=m.key class="out" data-delta=move || format::signed_delta(edits::change(value2(), base_value()))>
                    {move || show_out(value(), m.unit, cur.get())}
                </td>
            }
        })
        .collect_view();
    let has_edits = move || edits.with(|e| !e.own.is_empty());
    let t = r.target.clone();
    let picked_t = t.clone();
    let name_title = match kind {
        Kind::Group => r.label.clone(),
        _ => format!("{} — click to show it in the product card", r.label),
    };
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
            class:picked=move || kind != Kind::Group && g.product.with(|p| p.as_deref() == Some(picked_t.as_str()))
        >
            <th scope="row" class="row-name" title=name_title>
                <span>{r.label.clone()}</span>
                <button
                    type="button"
                    class="link reset"
                    data-action="reset-row"
                    tabindex="-1"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_has_its_own_label() {
        let names: Vec<&str> = INPUT_LABELS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, UnitInputs::NAMES);
        assert_eq!(input_label("vat_pct"), "VAT %");
    }
}
