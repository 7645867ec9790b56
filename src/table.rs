//! The page's figure tables (issue 5, item 7): sticky header, sort, search, column chooser, rows
//! virtualised when long, keyboard navigation (arrows between cells, Enter to edit, Escape to cancel),
//! copy as TSV, export as CSV and XLSX. A view hands the table its columns and rows; sort, search and
//! hidden columns live in the URL hash (`<table>.sort`, `<table>.q`, `<table>.hide`).
//!
//! Rows are keyed by ID and their cells read the current figures, so a recomputation updates the
//! cells in place: an input being edited keeps its focus.

use crate::browser;
use crate::format::{self, NONE};
use crate::grid::{Nav, Virtual, spacer};
use crate::protocol::RowsSlice;
use crate::state::State;
use leptos::{ev, prelude::*};
use margin_engine::export::{Cell, Sheet};
use margin_engine::money::{Currency, parse_money};
use margin_engine::registry::{Metric, MetricValue, Unit};
use margin_engine::sort_dyn::SortDyn;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;
use wasm_bindgen::JsCast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Money,
    /// Percent points.
    Pct,
    Count,
    /// A plain ratio (ROAS, efficiency): two decimals.
    Ratio,
    /// Seconds, shown as h:mm (a LIVE session's length).
    Duration,
}

impl Kind {
    /// How a registry figure of `unit` is shown (docs/metrics.md): a flag as text.
    pub fn of(unit: Unit) -> Kind {
        match unit {
            Unit::Money => Kind::Money,
            Unit::Percent => Kind::Pct,
            Unit::Ratio => Kind::Ratio,
            Unit::Count => Kind::Count,
            Unit::Flag => Kind::Text,
        }
    }
}

/// Which `data-*` attribute carries a row's ID (the test hooks: `data-sku`, `data-creator`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    Sku,
    Group,
    Creator,
    Channel,
    /// `data-row`: any other table's row (a LIVE session, a video, a piece of content).
    Row,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The docs/metrics.md name: `data-metric` (or `data-input` when editable) of its cells.
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// Hidden until the user picks it in the column chooser.
    pub hidden: bool,
    /// An input (unit cost, fulfilment) rather than a figure.
    pub editable: bool,
    /// The header's tooltip: a registry figure's one-line definition ([`Metric::plain_definition`]).
    pub title: Option<String>,
}

impl Column {
    pub const fn new(key: &'static str, label: &'static str, kind: Kind) -> Column {
        Column {
            key,
            label,
            kind,
            hidden: false,
            editable: false,
            title: None,
        }
    }
    /// The header's tooltip.
    pub fn titled(mut self, title: impl Into<String>) -> Column {
        self.title = Some(title.into());
        self
    }
    pub const fn hidden(mut self) -> Column {
        self.hidden = true;
        self
    }
    pub const fn editable(mut self) -> Column {
        self.editable = true;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Text(String),
    Num(Option<Decimal>),
}

impl Value {
    /// A registry figure's value: amounts and counts as numbers, a flag as "Yes" or "No".
    pub fn of(v: MetricValue) -> Value {
        match v {
            MetricValue::Amount(a) => Value::Num(a),
            MetricValue::Count(_) => Value::Num(v.amount()),
            MetricValue::Flag(b) => Value::Text(if b { "Yes" } else { "No" }.to_string()),
        }
    }

    /// The value as the page writes it in a column of `kind` (money in `c`).
    pub fn text(&self, kind: Kind, c: Currency) -> String {
        match (self, kind) {
            (Value::Text(s), _) => s.clone(),
            (Value::Num(None), _) => NONE.to_string(),
            (Value::Num(Some(d)), Kind::Money) => c.format(*d),
            (Value::Num(Some(d)), Kind::Pct) => format::pct_points(Some(*d)),
            (Value::Num(Some(d)), Kind::Count) => format::whole(*d),
            (Value::Num(Some(d)), Kind::Ratio | Kind::Text) => format::ratio(Some(*d)),
            (Value::Num(Some(d)), Kind::Duration) => format::hours_minutes(*d),
        }
    }

    /// The cell of an export: exact numbers (money rounded to the minor unit, percentages to one
    /// decimal, as shown), text as text.
    fn cell(&self, kind: Kind, c: Currency) -> Cell {
        match (self, kind) {
            (Value::Text(s), _) => Cell::Text(s.clone()),
            (Value::Num(None), _) => Cell::Empty,
            (Value::Num(Some(d)), Kind::Money) => Cell::Money(*d, c),
            (Value::Num(Some(d)), Kind::Pct) => Cell::Number(format::round(*d, 1)),
            (Value::Num(Some(d)), Kind::Ratio) => Cell::Number(format::round(*d, 2)),
            (Value::Num(Some(d)), Kind::Duration) => Cell::Text(format::hours_minutes(*d)),
            (Value::Num(Some(d)), _) => Cell::Number(*d),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub id: String,
    /// One per column, in column order.
    pub values: Vec<Value>,
    /// Highlighted (a SKU without a unit cost).
    pub warn: bool,
}

/// A column and how its value is read from a row's source `T` (a SKU, a creator, a channel…): a
/// column carries its own accessor, never a position (issue 13). A table is a list of fields; its
/// headers ([`columns`]) and each row's values ([`row`]) are read from the same list, so a value
/// cannot land under another column's header.
pub struct Field<T> {
    pub column: Column,
    get: Arc<dyn Fn(&T) -> Value + Send + Sync>,
}

impl<T> Clone for Field<T> {
    fn clone(&self) -> Self {
        Field {
            column: self.column.clone(),
            get: Arc::clone(&self.get),
        }
    }
}

impl<T: 'static> Field<T> {
    /// A column read by `get`.
    pub fn new(column: Column, get: impl Fn(&T) -> Value + Send + Sync + 'static) -> Field<T> {
        Field {
            column,
            get: Arc::new(get),
        }
    }

    /// A text column (a name, a list of content types).
    pub fn text(
        key: &'static str,
        label: &'static str,
        get: impl Fn(&T) -> String + Send + Sync + 'static,
    ) -> Field<T> {
        Field::new(Column::new(key, label, Kind::Text), move |t| {
            Value::Text(get(t))
        })
    }

    /// An editable money input (`data-input=key`): unit cost, fulfilment per unit; `title` says what
    /// it is in a seller's words (the header's tooltip).
    pub fn input(
        key: &'static str,
        label: &'static str,
        title: &'static str,
        get: impl Fn(&T) -> Option<Decimal> + Send + Sync + 'static,
    ) -> Field<T> {
        let column = Column::new(key, label, Kind::Money)
            .editable()
            .titled(title);
        Field::new(column, move |t| Value::Num(get(t)))
    }

    /// A registry figure (docs/metrics.md): key, label and kind from the registry, the value through its
    /// accessor. Take it with [`metric!`](margin_engine::metric), so an unknown key does not compile:
    /// `Field::metric(metric!(FIGURES, "cm2"))`.
    pub fn metric(m: &'static Metric<T>) -> Field<T> {
        let column = Column::new(m.key, m.label, Kind::of(m.unit)).titled(m.plain_definition());
        Field::new(column, move |t| Value::of(m.value(t)))
    }

    /// Hidden until picked in the column chooser.
    pub fn hidden(mut self) -> Field<T> {
        self.column = self.column.hidden();
        self
    }

    /// The same column read from a part of a bigger source: a SKU's figures, a channel's.
    pub fn on<U: 'static>(self, part: fn(&U) -> &T) -> Field<U> {
        let get = self.get;
        Field {
            column: self.column,
            get: Arc::new(move |u| get(part(u))),
        }
    }

    /// This column's value in `source`.
    pub fn value(&self, source: &T) -> Value {
        (self.get)(source)
    }
}

/// The columns of a table of `fields`, in their order.
pub fn columns<T>(fields: &[Field<T>]) -> Vec<Column> {
    fields.iter().map(|f| f.column.clone()).collect()
}

/// A row of a table of `fields`: one value per field, read from `source`.
pub fn row<T: 'static>(fields: &[Field<T>], id: String, source: &T, warn: bool) -> Row {
    Row {
        id,
        values: fields.iter().map(|f| f.value(source)).collect(),
        warn,
    }
}

/// An edit of an editable cell: row ID, column key, the new value (`None`: cleared).
pub type Edit = (String, &'static str, Option<Decimal>);

/// How a cell sorts: figures before cells without one, then by figure or lowercased text.
type SortKey = (u8, Option<Decimal>, String);

fn sort_key(v: &Value) -> SortKey {
    match v {
        Value::Num(Some(d)) => (0, Some(*d), String::new()),
        Value::Text(s) => (0, None, s.to_lowercase()),
        Value::Num(None) => (1, None, String::new()),
    }
}

/// Whether `text` holds `word` at the start of one of its words (`of` is found in "Pack of 3", not in
/// "Offer"; `3` in "Pack of 3" and "3-pack", not in "SKU-1234").
fn has_word_start(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The rows to show, in order: those matching the search, sorted by `sort` (`key:asc|desc`; figures
/// that cannot be computed last either way), ties kept in the view's order.
///
/// A search matches a row's ID and its text cells (for a SKU: seller SKU, product name and variation).
/// Rows holding the whole query as typed ("pack of 3") are shown when there are any; otherwise a row
/// must hold every word of the query, each at the start of a word, so "of" or "3" alone does not match
/// every row.
pub fn arrange(columns: &[Column], rows: &[Row], query: &str, sort: &str) -> Vec<usize> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let texts: Vec<Vec<String>> = if words.is_empty() {
        Vec::new()
    } else {
        rows.iter()
            .map(|r| {
                std::iter::once(r.id.to_lowercase())
                    .chain(r.values.iter().filter_map(|v| match v {
                        Value::Text(s) => Some(s.to_lowercase()),
                        Value::Num(_) => None,
                    }))
                    .collect()
            })
            .collect()
    };
    let mut out: Vec<usize> = if words.is_empty() {
        (0..rows.len()).collect()
    } else {
        let phrase = words.join(" ");
        let by_phrase: Vec<usize> = (0..rows.len())
            .filter(|&i| texts[i].iter().any(|t| t.contains(&phrase)))
            .collect();
        if !by_phrase.is_empty() {
            by_phrase
        } else {
            (0..rows.len())
                .filter(|&i| {
                    words
                        .iter()
                        .all(|w| texts[i].iter().any(|t| has_word_start(t, w)))
                })
                .collect()
        }
    };
    let (key, dir) = sort.split_once(':').unwrap_or((sort, "desc"));
    if let Some(col) = columns.iter().position(|c| c.key == key) {
        let desc = dir != "asc";
        // Each row's key once (a text key is lowercased: once per row, not once per comparison —
        // the worker sorts 100,000 videos this way).
        let mut keyed: Vec<(Option<SortKey>, usize)> = out
            .iter()
            .map(|&i| (rows[i].values.get(col).map(sort_key), i))
            .collect();
        keyed.sort_by_dyn(|(ka, _), (kb, _)| match (ka, kb) {
            (Some(ka), Some(kb)) if ka.0 != kb.0 => ka.0.cmp(&kb.0),
            (Some(ka), Some(kb)) if desc => kb.cmp(ka),
            (ka, kb) => ka.cmp(kb),
        });
        out = keyed.into_iter().map(|(_, i)| i).collect();
    }
    out
}

/// A report amount or ratio (a rounded decimal string) as a cell, or an empty cell for `null`.
pub fn amount(s: Option<&str>) -> Value {
    Value::Num(s.and_then(|s| s.parse().ok()))
}

/// A count as a cell.
pub fn count(n: u64) -> Value {
    Value::Num(Some(Decimal::from(n)))
}

/// A row of figures (`row`, `None`: every tile empty) as tiles, each `data-metric` its column's key: the
/// Ads and Cash views' summaries.
pub fn tiles(
    columns: &[Column],
    row: Option<&Row>,
    c: Currency,
    label: &'static str,
) -> impl IntoView + use<> {
    let cells: Vec<(Column, String)> = columns
        .iter()
        .zip(row.map(|r| r.values.as_slice()).unwrap_or_default())
        .map(|(col, v)| (col.clone(), v.text(col.kind, c)))
        .collect();
    view! {
        <div class="tiles" role="group" aria-label=label>
            {cells
                .into_iter()
                .map(|(col, value)| view! {
                    <div class="tile">
                        <span class="tile-label" title=col.title>{col.label}</span>
                        <span class="tile-value" data-metric=col.key>{value}</span>
                    </div>
                })
                .collect_view()}
        </div>
    }
}

/// A table the worker keeps whole, sending the page the first rows of a search in a sort
/// ([`crate::protocol::RowsSlice`]): a table of 100,000 videos never crosses to the main thread.
pub struct Kept {
    pub name: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// The view's sort when the URL has none (the slice sent with the figures is in it).
    pub default_sort: &'static str,
}

impl Kept {
    /// A table of `items` (ID, source — owned or borrowed —, highlighted) read by `fields`.
    pub fn new<T: 'static, B: std::borrow::Borrow<T>>(
        name: &'static str,
        default_sort: &'static str,
        fields: &[Field<T>],
        items: impl IntoIterator<Item = (String, B, bool)>,
    ) -> Kept {
        Kept {
            name,
            columns: columns(fields),
            rows: items
                .into_iter()
                .map(|(id, t, warn)| row(fields, id, t.borrow(), warn))
                .collect(),
            default_sort,
        }
    }

    /// The first rows of the table in its default sort.
    pub fn first(&self) -> crate::protocol::RowsSlice {
        crate::protocol::RowsSlice::of(&self.columns, &self.rows, "", self.default_sort)
    }

    /// Every row matching `query` in `sort`, with the `shown` columns (keys), as an export sheet.
    pub fn sheet(&self, query: &str, sort: &str, shown: &[&str], c: Currency) -> Sheet {
        let rows: Vec<&Row> = arrange(&self.columns, &self.rows, query, sort)
            .into_iter()
            .map(|i| &self.rows[i])
            .collect();
        let cols: Vec<&Column> = self
            .columns
            .iter()
            .filter(|col| shown.contains(&col.key))
            .collect();
        sheet(self.name, &cols, &rows, &self.columns, c)
    }
}

/// The table as an export sheet: the visible columns of the shown rows.
pub fn sheet(name: &str, columns: &[&Column], rows: &[&Row], all: &[Column], c: Currency) -> Sheet {
    let idx: Vec<usize> = columns
        .iter()
        .filter_map(|col| all.iter().position(|a| a.key == col.key))
        .collect();
    let mut headers = vec!["ID".to_string()];
    headers.extend(columns.iter().map(|col| match col.kind {
        Kind::Money => format!("{} ({})", col.label, c.code()),
        Kind::Pct => format!("{} (%)", col.label),
        _ => col.label.to_string(),
    }));
    Sheet {
        name: name.to_string(),
        headers,
        rows: rows
            .iter()
            .map(|r| {
                let mut cells = vec![Cell::Text(r.id.clone())];
                cells.extend(
                    idx.iter().zip(columns).map(|(&i, col)| {
                        r.values.get(i).map_or(Cell::Empty, |v| v.cell(col.kind, c))
                    }),
                );
                cells
            })
            .collect(),
    }
}

#[component]
pub fn DataTable(
    /// Names the table's hash parameters and export files, e.g. `skus`.
    name: &'static str,
    /// Read by screen readers.
    caption: String,
    hook: Hook,
    columns: Vec<Column>,
    rows: Signal<Vec<Row>>,
    currency: Signal<Currency>,
    /// The sort when the hash has none.
    default_sort: &'static str,
    #[prop(optional)] on_edit: Option<Callback<Edit>>,
    /// A table the worker keeps (`Kept`): `rows` are its first rows for a search and a sort. While
    /// they are not those of the table's own search and sort, the table asks the worker for them;
    /// exports ask the worker for every matching row.
    #[prop(optional)]
    kept: Option<Memo<RowsSlice>>,
) -> impl IntoView {
    let state = expect_context::<State>();
    let columns = StoredValue::new(columns);
    let p = |suffix: &str| format!("{name}.{suffix}");
    let (q_key, sort_key_name, hide_key) = (p("q"), p("sort"), p("hide"));
    let query = {
        let k = q_key.clone();
        Memo::new(move |_| state.route.with(|r| r.param(&k).to_string()))
    };
    let sort = {
        let k = sort_key_name.clone();
        Memo::new(move |_| {
            state.route.with(|r| match r.param(&k) {
                "" => default_sort.to_string(),
                s => s.to_string(),
            })
        })
    };
    let hidden = {
        let k = hide_key.clone();
        Memo::new(move |_| {
            state.route.with(|r| match r.params.get(&k) {
                Some(h) => h.split(',').map(str::to_string).collect::<Vec<_>>(),
                None => columns.with_value(|cs| {
                    cs.iter()
                        .filter(|c| c.hidden)
                        .map(|c| c.key.to_string())
                        .collect()
                }),
            })
        })
    };
    let visible = Memo::new(move |_| {
        hidden.with(|h| {
            columns.with_value(|cs| {
                cs.iter()
                    .enumerate()
                    .filter(|(_, c)| !h.iter().any(|k| k == c.key))
                    .map(|(i, _)| i)
                    .collect::<Vec<usize>>()
            })
        })
    });
    let by_id: Memo<HashMap<String, Row>> =
        Memo::new(move |_| rows.with(|rs| rs.iter().map(|r| (r.id.clone(), r.clone())).collect()));
    let order: Memo<Vec<String>> = Memo::new(move |_| {
        rows.with(|rs| {
            columns.with_value(|cs| {
                arrange(cs, rs, &query.get(), &sort.get())
                    .into_iter()
                    .map(|i| rs[i].id.clone())
                    .collect()
            })
        })
    });

    // A kept table whose rows are not all here: asks the worker for the rows of this search and sort
    // (once per shown figures; the answer replaces `kept`).
    let partial = move || kept.is_some_and(|k| k.with(|s| !s.complete()));
    if let Some(k) = kept {
        let asked = StoredValue::new(None::<(u32, String, String)>);
        Effect::new(move |_| {
            let (q, s) = (query.get(), sort.get());
            if k.with(|x| x.complete() || (x.query == q && x.sort == s)) {
                return;
            }
            let key = (state.shown_seq(), q, s);
            if asked.with_value(|a| a.as_ref() == Some(&key)) {
                return;
            }
            state.fetch_slice(name, &key.1, &key.2);
            asked.set_value(Some(key));
        });
    }

    // Virtualisation: the rows in view, from the scroll position and the container's height.
    let virt = Virtual::new(move || order.with(Vec::len));
    let window = virt.window;

    let set_param = move |key: String, value: String| {
        state.route.update(|r| r.set_param(&key, &value));
    };
    let header = {
        let sort_key_name = sort_key_name.clone();
        move || {
            let (key, dir) = sort
                .get()
                .split_once(':')
                .map(|(k, d)| (k.to_string(), d.to_string()))
                .unwrap_or_default();
            visible
                .get()
                .into_iter()
                .filter_map(|i| columns.with_value(|cs| cs.get(i).cloned()))
                .map(|col| {
                    let sorted = key == col.key;
                    let next = if sorted && dir != "asc" { "asc" } else { "desc" };
                    let aria = match (sorted, dir.as_str()) {
                        (false, _) => "none",
                        (true, "asc") => "ascending",
                        (true, _) => "descending",
                    };
                    let skn = sort_key_name.clone();
                    let value = format!("{}:{next}", col.key);
                    let class = if col.kind == Kind::Text { "" } else { "num" };
                    let title = col.title.clone();
                    view! {
                        <th scope="col" class=class aria-sort=aria title=title data-col=col.key>
                            <button type="button" class="sort" on:click=move |_| set_param(skn.clone(), value.clone())>
                                {col.label}
                                <span class="sort-mark" aria-hidden="true">{match aria { "ascending" => "▲", "descending" => "▼", _ => "" }}</span>
                            </button>
                        </th>
                    }
                })
                .collect_view()
        }
    };

    let shown_rows = move || -> Vec<Row> {
        order.with(|o| by_id.with(|m| o.iter().filter_map(|id| m.get(id).cloned()).collect()))
    };
    let export_sheet = move || {
        let rows = shown_rows();
        let rows: Vec<&Row> = rows.iter().collect();
        let vis = visible.get_untracked();
        columns.with_value(|cs| {
            let cols: Vec<&Column> = vis.iter().filter_map(|&i| cs.get(i)).collect();
            sheet(name, &cols, &rows, cs, currency.get_untracked())
        })
    };
    let on_copy = move |_| {
        browser::copy_text(&export_sheet().to_tsv());
    };
    // A partial kept table is written by the worker, from every matching row it keeps.
    let download = move |format: &str| {
        let file = format!("margin-lab-{name}.{format}");
        if partial() {
            let shown = visible.get_untracked();
            let keys: Vec<&str> = columns.with_value(|cs| {
                shown
                    .iter()
                    .filter_map(|&i| cs.get(i).map(|c| c.key))
                    .collect()
            });
            let (q, s) = (query.get_untracked(), sort.get_untracked());
            state.download_kept(name, (&q, &s, &keys), &file, format);
        } else {
            state.download_table(&export_sheet(), &file, format);
        }
    };
    let on_csv = move |_| download("csv");
    let on_xlsx = move |_| download("xlsx");

    let chooser = {
        let hide_key = hide_key.clone();
        move || {
            columns.with_value(|cs| {
                cs.iter()
                    .filter(|c| c.kind != Kind::Text || c.editable)
                    .map(|col| {
                        let key = col.key;
                        let hk = hide_key.clone();
                        let checked = move || !hidden.with(|h| h.iter().any(|k| k == key));
                        let toggle = move |_| {
                            let mut h = hidden.get_untracked();
                            if h.iter().any(|k| k == key) {
                                h.retain(|k| k != key);
                            } else {
                                h.push(key.to_string());
                            }
                            // An explicit empty list ("-") keeps every column, default-hidden ones too.
                            let value = if h.is_empty() { "-".to_string() } else { h.join(",") };
                            set_param(hk.clone(), value);
                        };
                        view! {
                            <label class="col-choice"><input type="checkbox" prop:checked=checked on:change=toggle />{col.label}</label>
                        }
                    })
                    .collect_view()
            })
        }
    };
    let count = move || {
        let (shown, all) = (order.with(Vec::len), rows.with(Vec::len));
        if let Some(k) = kept.filter(|_| partial()) {
            let (matched, total) = k.with(|s| (s.matched, s.total));
            let n = |n: usize| format::count(n as i64);
            return if matched > shown {
                format!(
                    "the first {} of {} matching rows ({} in all; sort or search to see others, Export has them all)",
                    n(shown),
                    n(matched),
                    n(total)
                )
            } else {
                format!("{} of {} rows", n(matched), n(total))
            };
        }
        if shown == all {
            format!("{} rows", format::count(all as i64))
        } else {
            format!(
                "{} of {} rows",
                format::count(shown as i64),
                format::count(all as i64)
            )
        }
    };
    let search_id = format!("{name}-search");

    view! {
        <div class="table-tools">
            <label for=search_id.clone() class="visually-hidden">{format!("Search {caption}")}</label>
            <input
                id=search_id
                type="search"
                class="search"
                placeholder="Search…"
                data-testid=format!("{name}-search")
                prop:value=move || query.get()
                on:input=move |ev| set_param(q_key.clone(), event_target_value(&ev))
            />
            <span class="row-count" aria-live="polite" data-testid=format!("{name}-count")>{count}</span>
            <details class="columns">
                <summary>"Columns"</summary>
                <div class="col-list">{chooser}</div>
            </details>
            <button type="button" class="button secondary small-button" on:click=on_copy>"Copy as TSV"</button>
            <button type="button" class="button secondary small-button" data-testid=format!("{name}-csv") on:click=on_csv>"Export CSV"</button>
            <button type="button" class="button secondary small-button" data-testid=format!("{name}-xlsx") on:click=on_xlsx>"Export XLSX"</button>
        </div>
        <div class="table-wrap" on:scroll=move |ev| virt.on_scroll(&ev)>
            <table class="data-table" data-table=name on:keydown=on_key>
                <caption class="visually-hidden">{caption.clone()}</caption>
                <thead>
                    <tr>{header}</tr>
                </thead>
                <tbody>
                    {move || spacer(window.get().0)}
                    <For
                        each=move || {
                            let (a, b) = window.get();
                            order.with(|o| o.get(a..b).map(<[String]>::to_vec).unwrap_or_default())
                        }
                        key=|id| id.clone()
                        let:id
                    >
                        <TableRow id=id hook=hook columns=columns visible=visible by_id=by_id currency=currency on_edit=on_edit />
                    </For>
                    {move || spacer(order.with(Vec::len).saturating_sub(window.get().1))}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn TableRow(
    id: String,
    hook: Hook,
    columns: StoredValue<Vec<Column>>,
    visible: Memo<Vec<usize>>,
    by_id: Memo<HashMap<String, Row>>,
    currency: Signal<Currency>,
    on_edit: Option<Callback<Edit>>,
) -> impl IntoView {
    // The first column names the row: the first text value.
    let label = by_id.with_untracked(|m| {
        m.get(&id)
            .and_then(|r| {
                r.values.iter().find_map(|v| match v {
                    Value::Text(s) => Some(s.clone()),
                    Value::Num(_) => None,
                })
            })
            .unwrap_or_else(|| id.clone())
    });
    let warn = {
        let id = id.clone();
        Memo::new(move |_| by_id.with(|m| m.get(&id).is_some_and(|r| r.warn)))
    };
    let cells = {
        let id = id.clone();
        let label = label.clone();
        move || {
            visible
                .get()
                .into_iter()
                .skip(1)
                .filter_map(|i| columns.with_value(|cs| cs.get(i).cloned()).map(|c| (i, c)))
                .map(|(i, col)| {
                    let id = id.clone();
                    if col.editable {
                        return view! { <EditCell id=id index=i col=col label=label.clone() by_id=by_id currency=currency on_edit=on_edit /> }.into_any();
                    }
                    let class = if col.kind == Kind::Text { "text" } else { "num" };
                    let text = move || {
                        by_id.with(|m| {
                            m.get(&id)
                                .and_then(|r| r.values.get(i))
                                .map(|v| v.text(col.kind, currency.get()))
                                .unwrap_or_default()
                        })
                    };
                    // A text cell says its whole text when hovered (a view may cut long ones short).
                    if col.kind == Kind::Text {
                        let title = text.clone();
                        return view! { <td class=class data-metric=col.key tabindex="-1" title=title>{text}</td> }.into_any();
                    }
                    view! { <td class=class data-metric=col.key tabindex="-1">{text}</td> }.into_any()
                })
                .collect_view()
        }
    };
    let attr = |h: Hook| (hook == h).then(|| id.clone());
    view! {
        <tr
            data-sku=attr(Hook::Sku)
            data-group=attr(Hook::Group)
            data-creator=attr(Hook::Creator)
            data-channel=attr(Hook::Channel)
            data-row=attr(Hook::Row)
            class:warn=move || warn.get()
        >
            <th scope="row" class="row-name" tabindex="-1" title=label.clone()>{label.clone()}</th>
            {cells}
        </tr>
    }
}

#[component]
fn EditCell(
    id: String,
    index: usize,
    col: Column,
    label: String,
    by_id: Memo<HashMap<String, Row>>,
    currency: Signal<Currency>,
    on_edit: Option<Callback<Edit>>,
) -> impl IntoView {
    let invalid = RwSignal::new(false);
    let key = col.key;
    let current = {
        let id = id.clone();
        move || {
            by_id.with(|m| match m.get(&id).and_then(|r| r.values.get(index)) {
                Some(Value::Num(Some(d))) => format::editable_amount(*d, currency.get()),
                _ => String::new(),
            })
        }
    };
    let value = Memo::new({
        let current = current.clone();
        move |_| current()
    });
    let on_change = move |ev: ev::Event| {
        let text = event_target_value(&ev);
        match parse_money(&text) {
            Ok(v) if v.as_ref().is_none_or(|m| !m.amount.is_sign_negative()) => {
                invalid.set(false);
                if let Some(cb) = on_edit {
                    cb.run((id.clone(), key, v.map(|m| m.amount)));
                }
            }
            _ => invalid.set(true),
        }
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        match ev.key().as_str() {
            // Cancel: back to the saved value, focus back on the cell.
            "Escape" => {
                input.set_value(&value.get_untracked());
                invalid.set(false);
                focus_parent_cell(&input);
                ev.stop_propagation();
            }
            // Commit (the browser fires `change`), then back to the cell for arrow keys.
            "Enter" => {
                let _ = input.blur();
                focus_parent_cell(&input);
                ev.stop_propagation();
            }
            _ => ev.stop_propagation(),
        }
    };
    view! {
        <td class="num edit" tabindex="-1">
            <input
                class="cost"
                data-input=key
                inputmode="decimal"
                placeholder="—"
                aria-label=format!("{} of {label}", col.label)
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                prop:value=move || value.get()
                on:change=on_change
                on:keydown=on_key
            />
        </td>
    }
}

fn focus_parent_cell(input: &web_sys::HtmlInputElement) {
    if let Some(td) = input
        .parent_element()
        .and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = td.focus();
    }
}

/// Arrow keys move between cells, Enter starts editing a cell with an input (or focuses it), Home/End
/// go to the row's ends.
fn on_key(ev: ev::KeyboardEvent) {
    let Some(cell) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .filter(|e| matches!(e.tag_name().as_str(), "TD" | "TH"))
    else {
        return;
    };
    let Some(row) = cell.parent_element() else {
        return;
    };
    let index = (0..row.children().length())
        .find(|&i| row.children().item(i).is_some_and(|c| c == cell))
        .unwrap_or(0);
    let sibling_row = |down: bool| {
        let mut r = if down {
            row.next_element_sibling()
        } else {
            row.previous_element_sibling()
        };
        while let Some(x) = &r {
            if !x.class_list().contains("spacer") {
                break;
            }
            r = if down {
                x.next_element_sibling()
            } else {
                x.previous_element_sibling()
            };
        }
        r
    };
    let key = ev.key();
    let target = match Nav::of_key(&key) {
        Some(Nav::Right) => cell.next_element_sibling(),
        Some(Nav::Left) => cell.previous_element_sibling(),
        Some(Nav::Down) => sibling_row(true).and_then(|r| r.children().item(index)),
        Some(Nav::Up) => sibling_row(false).and_then(|r| r.children().item(index)),
        Some(Nav::Home) => row.first_element_child(),
        Some(Nav::End) => row.last_element_child(),
        None if key == "Enter" => {
            if let Some(input) = cell
                .query_selector("input")
                .ok()
                .flatten()
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                ev.prevent_default();
                let _ = input.focus();
                input.select();
            }
            return;
        }
        None => return,
    };
    if let Some(t) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        ev.prevent_default();
        let _ = t.focus();
        t.scroll_into_view_with_bool(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use margin_engine::metric;
    use margin_engine::metrics::Figures;
    use rust_decimal_macros::dec;

    /// A row source for the tests: a name and a figure.
    struct Item {
        name: &'static str,
        cm2: Option<Decimal>,
    }

    fn fields() -> Vec<Field<Item>> {
        vec![
            Field::text("product", "Product", |i: &Item| i.name.to_string()),
            Field::new(Column::new("cm2", "CM2", Kind::Money), |i: &Item| {
                Value::Num(i.cm2)
            }),
        ]
    }

    /// A kept table of 1,500 videos: `v{i}` titled "video {i}" with (7·i mod 1,500) views — every
    /// count from 0 to 1,499 once.
    fn videos() -> Kept {
        let f = vec![
            Field::text("title", "Title", |i: &usize| format!("video {i}")),
            Field::new(Column::new("views", "Views", Kind::Count), |i: &usize| {
                Value::Num(Some(Decimal::from(i * 7 % 1500)))
            }),
        ];
        Kept::new(
            "videos",
            "views:desc",
            &f,
            (0..1500).map(|i| (format!("v{i}"), i, false)),
        )
    }

    #[test]
    fn a_long_table_crosses_as_its_first_rows() {
        let t = videos();
        let first = t.first();
        assert_eq!(
            (first.rows.len(), first.total, first.matched),
            (500, 1500, 1500)
        );
        assert!(!first.complete());
        // 1,499 views: 7·i ≡ 1,499 (mod 1,500) ⇔ i ≡ −643 ≡ 857 (7 · 643 = 4,501 ≡ 1).
        assert_eq!(first.rows[0].id, "v857");
        // The 500th: 1,499 − 499 = 1,000 views.
        assert_eq!(first.rows[499].values[1], Value::Num(Some(dec!(1000))));
        // "video 12", "video 120"–"129", "video 1200"–"1299": 1 + 10 + 100 rows.
        let some = RowsSlice::of(&t.columns, &t.rows, "video 12", "views:asc");
        assert_eq!(
            (some.rows.len(), some.matched, some.total),
            (111, 111, 1500)
        );
        assert!(!some.complete(), "the page does not hold the other rows");
        // The fewest views among them: i = 1,200 + k has 900 + 7k (mod 1,500), which wraps to 2 at
        // k = 86; video 12 has 84, videos 120–129 840–903. So video 1,286 comes first.
        assert_eq!(some.rows[0].id, "v1286");
        assert_eq!(some.rows[0].values[1], Value::Num(Some(dec!(2))));
        // Every matching row is exported, not only the first 500.
        let sheet = t.sheet("", "views:desc", &["title"], Currency::USD);
        assert_eq!(sheet.rows.len(), 1500);
        // The row ID first, as the page's own exports (`sheet`).
        assert_eq!(sheet.headers, vec!["ID".to_string(), "Title".to_string()]);
        // A short table crosses whole: the page sorts and searches it.
        let short = RowsSlice::of(&t.columns, &t.rows[..20], "", "views:desc");
        assert!(short.complete());
        assert_eq!(short.rows[0].id, "v0");
    }

    fn rows(items: &[(&str, Item)]) -> Vec<Row> {
        let f = fields();
        items
            .iter()
            .map(|(id, i)| row(&f, id.to_string(), i, false))
            .collect()
    }

    #[test]
    fn search_and_sort() {
        let cols = columns(&fields());
        let it = |name, cm2| Item { name, cm2 };
        let rows = rows(&[
            ("a", it("Glow Serum 30ml", Some(dec!(5)))),
            ("b", it("Night Cream", None)),
            ("c", it("Glow Mask", Some(dec!(-2)))),
            ("d", it("Day Cream", Some(dec!(12)))),
        ]);
        // Highest first; the figure that cannot be computed last.
        assert_eq!(arrange(&cols, &rows, "", "cm2:desc"), [3, 0, 2, 1]);
        assert_eq!(arrange(&cols, &rows, "", "cm2:asc"), [2, 0, 3, 1]);
        // Every word must match (any case); IDs count.
        assert_eq!(arrange(&cols, &rows, "glow", "cm2:desc"), [0, 2]);
        assert_eq!(arrange(&cols, &rows, "GLOW mask", ""), [2]);
        assert_eq!(arrange(&cols, &rows, "d", "product:asc"), [3]);
        // Text sorts case-insensitively; an unknown key keeps the given order.
        assert_eq!(arrange(&cols, &rows, "", "product:asc"), [3, 2, 0, 1]);
        assert_eq!(arrange(&cols, &rows, "", "nope:asc"), [0, 1, 2, 3]);
    }

    #[test]
    fn a_search_matches_the_variation_as_typed() {
        let cols = columns(&fields());
        let it = |name, cm2| Item { name, cm2 };
        let rows = rows(&[
            (
                "1729301",
                it("SER-30 · Glow Serum 30ml — Pack of 3", Some(dec!(5))),
            ),
            (
                "1729302",
                it("SER-30-1 · Glow Serum 30ml — Pack of 1", Some(dec!(4))),
            ),
            (
                "1729303",
                it("CRM-50 · Night Cream 50ml — Pack of 3", Some(dec!(3))),
            ),
            ("1729304", it("MSK-3 · Sheet Mask — Single", Some(dec!(2)))),
        ]);
        // The phrase as typed: only the packs of 3 (every row's ID has a 3, every name an "of" or none).
        assert_eq!(arrange(&cols, &rows, "pack of 3", "cm2:desc"), [0, 2]);
        assert_eq!(arrange(&cols, &rows, "Pack  of 3", "cm2:desc"), [0, 2]);
        // No row holds the phrase: every word at a word start ("3" is the start of "30ml" and of "3").
        assert_eq!(arrange(&cols, &rows, "serum 3", "cm2:desc"), [0, 1]);
        assert_eq!(arrange(&cols, &rows, "cream 3", "cm2:desc"), [2]);
        // A seller SKU typed in part.
        assert_eq!(arrange(&cols, &rows, "ser-30", "cm2:desc"), [0, 1]);
        assert_eq!(arrange(&cols, &rows, "msk", "cm2:desc"), [3]);
    }

    #[test]
    fn a_registry_field_carries_its_key_label_kind_and_accessor() {
        let f = Figures {
            gmv: dec!(100),
            refunds: dec!(10),
            orders: 4,
            ..Figures::default()
        };
        // Read from a part of a bigger source, as the SKU and channel tables do.
        type Named = (String, Figures);
        let fields: Vec<Field<Named>> = vec![
            Field::text("channel", "Channel", |(n, _): &Named| n.clone()),
            Field::metric(metric!(FIGURES, "net_sales")).on(|(_, x): &Named| x),
            Field::metric(metric!(FIGURES, "orders"))
                .hidden()
                .on(|(_, x): &Named| x),
            Field::metric(metric!(FIGURES, "cm2_pct")).on(|(_, x): &Named| x),
        ];
        let cols = columns(&fields);
        assert_eq!(
            cols,
            [
                Column::new("channel", "Channel", Kind::Text),
                Column::new("net_sales", "Net sales", Kind::Money)
                    .titled("GMV − Cancelled − Refunds"),
                Column::new("orders", "Orders", Kind::Count)
                    .hidden()
                    .titled("distinct Order IDs with at least one sold or returned line"),
                Column::new("cm2_pct", "CM2 %", Kind::Pct).titled("CM2 / Net revenue"),
            ]
        );
        let r = row(&fields, "Video".into(), &("Video".into(), f), false);
        // Net sales 100 − 10 = 90; 4 orders; no VAT and no cost, so net revenue = CM2 = 90 and
        // CM2 % = 90 / 90 = 100 %.
        assert_eq!(
            r.values,
            [
                Value::Text("Video".into()),
                Value::Num(Some(dec!(90))),
                Value::Num(Some(dec!(4))),
                Value::Num(Some(dec!(100))),
            ]
        );
        assert_eq!(r.values[2].text(Kind::Count, Currency::USD), "4");
        assert_eq!(r.values[3].text(Kind::Pct, Currency::USD), "100.0%");
        assert_eq!(Value::Num(None).text(Kind::Pct, Currency::USD), NONE);
    }

    #[test]
    fn exports_show_what_the_table_shows() {
        type Line = (&'static str, Decimal, Decimal);
        let fields: Vec<Field<Line>> = vec![
            Field::text("product", "Product", |r: &Line| r.0.to_string()),
            Field::new(Column::new("cm2", "CM2", Kind::Money), |r: &Line| {
                Value::Num(Some(r.1))
            }),
            Field::new(Column::new("cm2_pct", "CM2 %", Kind::Pct), |r: &Line| {
                Value::Num(Some(r.2))
            }),
        ];
        let cols = columns(&fields);
        let r = row(
            &fields,
            "1729".into(),
            &("=cmd", dec!(1.005), dec!(44.75)),
            false,
        );
        let visible: Vec<&Column> = cols.iter().collect();
        let s = sheet("skus", &visible, &[&r], &cols, Currency::GBP);
        assert_eq!(s.headers, ["ID", "Product", "CM2 (GBP)", "CM2 % (%)"]);
        // Money is rounded by the writer; 44.75 % rounds half away from zero to 44.8, as shown.
        assert_eq!(
            s.rows[0],
            [
                Cell::Text("1729".into()),
                Cell::Text("=cmd".into()),
                Cell::Money(dec!(1.005), Currency::GBP),
                Cell::Number(dec!(44.8)),
            ]
        );
    }
}
