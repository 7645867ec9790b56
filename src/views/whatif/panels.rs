//! The what-if workbench around the grid: the scenario bar, the shared-link banner, bulk edits, typed-in
//! products, the solvers, the projected period P&L and the price × commission heat map.

use super::rows::{GridRow, Kind, show_out};
use super::{
    ALL, DEFAULT_TARGET, Follow, Grid, NAMES, P_COMPARE, P_SCENARIO, P_SHARE, baseline_skus,
};
use crate::browser;
use crate::charts::{HeatCell, HeatMap};
use crate::format;
use crate::views::currency;
use leptos::ev;
use leptos::prelude::*;
use margin_engine::edits::{CellChange, parse_cell};
use margin_engine::metric;
use margin_engine::money::Currency;
use margin_engine::registry::{Figure, Unit};
use margin_engine::whatif::{self, Infeasibility, LiveTotals, PeriodSum, Solved, UnitInputs};
use margin_engine::workspace::Scenario;
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;

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

#[component]
pub(super) fn SharedBanner(g: Grid) -> impl IntoView {
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
                {move || g.name.get()}
                "” (its inputs only; no order data travels in a link). "
                <button type="button" class="button" data-action="save-shared" on:click=save>"Save to my scenarios"</button>
                " "
                <button type="button" class="button secondary" on:click=dismiss>"Dismiss"</button>
            </p>
        </Show>
    }
}

#[component]
pub(super) fn ScenarioBar(g: Grid) -> impl IntoView {
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
            Err(e) => g.msg.set(e.to_string()),
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
                        let now = g.name.get();
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
                <input type="text" data-testid="scenario-name" prop:value=move || g.name.get() on:change=rename />
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
pub(super) fn EditBar(g: Grid) -> impl IntoView {
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
            <button type="button" class="button secondary" data-action="reset-all" on:click=move |_| g.commit(Scenario::reset_all_skus)>"Reset all SKUs"</button>
        </div>
    }
}

#[component]
pub(super) fn AddProduct(g: Grid) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let add = move || {
        let n = name.get_untracked().trim().to_string();
        if n.is_empty() {
            return;
        }
        let target = Scenario::custom_target(&n);
        if g.cur.with_untracked(|s| s.edits.contains_key(&target)) {
            g.msg.set(format!("“{n}” is already in the grid."));
            return;
        }
        g.commit(|s| {
            s.add_custom(&n);
        });
        name.set(String::new());
        // The new product is the one the card, the solvers and the heat map show.
        g.pick.set(Some(target.clone()));
        if let Some(r) = g
            .rows
            .with_untracked(|rows| rows.iter().position(|r| r.target == target))
        {
            g.sel.put((r, 0), false);
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

/// The picked product's row index, row and inputs under the current scenario.
pub(super) type Active = Memo<Option<(usize, GridRow, UnitInputs)>>;

/// The picked product (`Grid::product`, not the cursor's row): its row, that row's index and its
/// inputs under the current scenario (read again when its edits or its group's change: `Grid::watch`).
pub(super) fn active(g: Grid) -> Active {
    let follow = Follow::new(g.watch);
    Memo::new(move |_| {
        let target = g.product.get()?;
        g.rows.with(|rows| {
            let r = rows.iter().position(|x| x.target == target)?;
            let row = rows.get(r).filter(|x| x.kind != Kind::Group)?.clone();
            let keys: Vec<String> = std::iter::once(row.target.clone())
                .chain(row.inherits().map(Scenario::group_target))
                .collect();
            follow.track(&keys);
            let inputs = g
                .cur
                .with_untracked(|s| s.inputs_for(&row.target, row.inherits(), &row.base));
            Some((r, row, inputs))
        })
    })
}

#[component]
pub(super) fn Solvers(g: Grid, act: Active) -> impl IntoView {
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
                Some(Solved::Infeasible {
                    reason: Infeasibility::AboveTargetAtEveryCommission { .. },
                }) => "any (even 100%) keeps CM2 % above the target".to_string(),
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
            g.set_cells(vec![CellChange {
                row: r,
                col: c,
                value: Some(v),
            }]);
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
        <section class="card wi-solvers" aria-labelledby="solvers-h" data-product=move || g.product.get()>
            <h3 id="solvers-h">
                "Solvers — "
                {move || act.with(|a| a.as_ref().map(|(_, r, _)| r.label.clone()).unwrap_or_else(|| "add a product or load your exports".to_string()))}
            </h3>
            <ul class="plain">
                {line(0, "break_even_price", "Break-even price (CM2 = 0)", "price")}
                {line(1, "target_price", "Price for the target CM2 %", "price")}
                {line(2, "max_commission_pct", "Highest commission for the target CM2 %", "commission_pct")}
            </ul>
        </section>
    }
}

/// A line of the projected period P&L: its hook (`data-metric`), label and unit (from the registry's
/// figure of the same name) and how it is read from a period sum.
#[derive(Clone, Copy)]
struct CompareLine {
    key: &'static str,
    label: &'static str,
    unit: Unit,
    read: fn(&PeriodSum) -> Option<Decimal>,
}

/// The projected period P&L's lines (docs/metrics.md §7): units ordered, then registry figures summed
/// over the period.
fn compare_lines() -> [CompareLine; 7] {
    let fig = |m: &'static Figure, read| CompareLine {
        key: m.key,
        label: m.label,
        unit: m.unit,
        read,
    };
    [
        CompareLine {
            key: "units",
            label: "Units",
            unit: Unit::Count,
            read: |s| Some(s.units),
        },
        fig(metric!(FIGURES, "net_revenue"), |s| {
            Some(s.totals.net_revenue)
        }),
        fig(metric!(FIGURES, "gross_profit"), |s| {
            Some(s.totals.gross_profit)
        }),
        fig(metric!(FIGURES, "cm1"), |s| Some(s.totals.cm1)),
        fig(metric!(FIGURES, "cm2"), |s| Some(s.totals.cm2)),
        fig(metric!(FIGURES, "cm2_pct"), |s| s.margin_pct(s.totals.cm2)),
        fig(metric!(FIGURES, "net_profit"), |s| {
            Some(s.totals.net_profit)
        }),
    ]
}

/// A cell of the projected period P&L: `line` of the baseline's sum or of the scenario's.
fn sum_cell(
    sum: impl Fn(bool, &CompareLine) -> String + 'static,
    base: bool,
    line: CompareLine,
) -> impl Fn() -> String + 'static {
    move || sum(base, &line)
}

#[component]
pub(super) fn Compare(g: Grid) -> impl IntoView {
    let state = g.state;
    let other_name = Memo::new(move |_| state.route.with(|r| r.param(P_COMPARE).to_string()));
    let other = Memo::new(move |_| {
        let n = other_name.get();
        state
            .scenarios
            .with(|l| l.iter().find(|s| s.name == n && !n.is_empty()).cloned())
    });
    // Summed as the scenario's own totals are (`LiveTotals`), so equal scenarios show equal figures.
    let other_agg = Memo::new(move |_| {
        g.rows.track();
        other.with(|o| {
            o.as_ref()
                .map(|s| LiveTotals::new(baseline_skus(g.rows), s).all().clone())
        })
    });
    let c = currency(state);
    let lines = compare_lines();
    let cell =
        move |s: &PeriodSum, line: &CompareLine| show_out((line.read)(s), line.unit, c.get());
    // The sums of all SKUs, the baseline's or the scenario's (`Totals::all` says when they change; joined
    // for as long as the view lives).
    let all = g.watch.join(ALL);
    let sum = move |base: bool, line: &CompareLine| {
        all.track();
        g.totals.all(base, |a| cell(a, line))
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
                        <th scope="col">{move || g.name.get()}</th>
                        <Show when=move || other.with(Option::is_some)>
                            <th scope="col">{move || other_name.get()}</th>
                        </Show>
                    </tr>
                </thead>
                <tbody>
                    {lines
                        .into_iter()
                        .map(|line| {
                            view! {
                                <tr data-metric=line.key>
                                    <th scope="row">{line.label}</th>
                                    <td data-compare="baseline">{sum_cell(sum.clone(), true, line)}</td>
                                    <td data-compare="current">{sum_cell(sum.clone(), false, line)}</td>
                                    <Show when=move || other.with(Option::is_some)>
                                        <td data-compare="other">{move || other_agg.with(|a| a.as_ref().map(|a| cell(a, &line)).unwrap_or_default())}</td>
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
pub(super) fn Sensitivity(g: Grid, act: Active) -> impl IntoView {
    let target = Memo::new(move |_| g.cur.with(|s| s.target_cm2_pct).unwrap_or(DEFAULT_TARGET));
    let c = currency(g.state);
    move || {
        let (_, row, inputs) = act.get()?;
        let whatif::Sensitivity {
            prices,
            commissions,
            cm2_pct: grid,
        } = whatif::Sensitivity::around(&inputs)?;
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

    #[test]
    fn names_are_unique() {
        let list = vec![Scenario::new("A"), Scenario::new("A 2")];
        assert_eq!(unique_name("A", &list), "A 3");
        assert_eq!(unique_name("B", &list), "B");
    }
}
