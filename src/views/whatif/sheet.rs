//! The what-if grid's handlers: selection, keyboard, the cell editor, clipboard, undo and redo. They
//! only wire events: what a typed or pasted value means, fill-down and bulk edits are
//! `margin_engine::edits`, which edit wins and what counts as one `Scenario::set_cell`, the history
//! `margin_engine::history::History`.

use super::rows::{Kind, cell_value, input_label};
use super::{CUSTOMS, Grid, NAMES, P_SCENARIO, mark_edit_start, measure_after_paint};
use crate::grid::{Nav, event_element, moved, range_tsv};
use leptos::ev;
use leptos::prelude::*;
use margin_engine::edits::{self, Bulk, CellChange, parse_cell};
use margin_engine::workspace::Scenario;
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;

/// Where the keyboard goes when the cell editor closes.
#[derive(Clone, Copy)]
pub(super) enum After {
    /// Nowhere: the focus went elsewhere (a click).
    Stay,
    /// Back to the cell (Escape).
    Refocus,
    /// To the cell `(rows, columns)` away (Enter: down; Tab: right).
    Move(isize, isize),
}

impl Grid {
    /// Changes the current scenario (saving it on its first edit).
    pub(super) fn mutate(self, f: impl FnOnce(&mut Scenario)) {
        if self.shared.with_untracked(Option::is_some) {
            self.shared.update(|s| {
                if let Some(s) = s {
                    f(s)
                }
            });
            self.sync_customs();
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
        self.sync_customs();
    }

    /// The typed-in products' rows follow the scenario at once (the watcher would a moment later):
    /// the grid's own changes look up the row of a product just added.
    pub(super) fn sync_customs(self) {
        let now = self.cur.with_untracked(Scenario::custom_products);
        let shown = self.rows.with_untracked(|rows| {
            rows.iter()
                .take_while(|r| r.kind == Kind::Custom)
                .map(|r| r.label.as_str())
                .eq(now.iter().map(String::as_str))
        });
        if !shown {
            self.watch.notify(CUSTOMS);
        }
    }

    pub(super) fn select(self, name: &str) {
        if self
            .state
            .route
            .with_untracked(|r| r.param(P_SCENARIO) != name)
        {
            self.state.route.update(|r| r.set_param(P_SCENARIO, name));
        }
    }

    /// Puts a scenario back as it was (undo/redo), by name.
    pub(super) fn restore(self, s: Scenario) {
        if self.shared.with_untracked(Option::is_some) {
            self.shared.set(Some(s));
            self.sync_customs();
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
        self.sync_customs();
    }

    /// An undoable edit, timed edit → repaint.
    pub(super) fn commit(self, f: impl FnOnce(&mut Scenario)) {
        mark_edit_start();
        self.commit_marked(f);
    }

    /// [`Grid::commit`] of an edit whose start is marked already.
    fn commit_marked(self, f: impl FnOnce(&mut Scenario)) {
        let before = self.cur.get_untracked();
        self.mutate(f);
        if self.cur.with_untracked(|s| *s != before) {
            self.history.update_value(|h| h.record(before));
            measure_after_paint(self.last_ms);
        }
    }

    pub(super) fn undo_redo(self, undo: bool) {
        // What a step back replaces: the current version of the scenario of that name.
        let current = |s: &Scenario| {
            let now = if self.shared.with_untracked(Option::is_some) {
                self.shared.get_untracked()
            } else {
                self.state
                    .scenarios
                    .with_untracked(|l| l.iter().find(|x| x.name == s.name).cloned())
            };
            now.unwrap_or_else(|| Scenario::new(s.name.clone()))
        };
        let step = self
            .history
            .try_update_value(|h| {
                if undo {
                    h.undo(current)
                } else {
                    h.redo(current)
                }
            })
            .flatten();
        if let Some(s) = step {
            self.restore(s);
        }
    }

    /// Sets (or, with `None`, resets) input cells (`Scenario::set_cell`).
    pub(super) fn set_cells(self, changes: Vec<CellChange>) {
        mark_edit_start();
        self.set_cells_marked(changes);
    }

    /// [`Grid::set_cells`] of an edit whose start is marked already.
    fn set_cells_marked(self, changes: Vec<CellChange>) {
        if changes.is_empty() {
            return;
        }
        // The rows are read in place (not copied: 4,000 of them), brought up to date first: not while the
        // scenario is being changed (they read it when the typed-in products change).
        self.rows.with_untracked(Vec::len);
        self.commit_marked(|s| {
            self.rows.with_untracked(|rows| {
                for ch in changes {
                    let (Some(row), Some(name)) = (rows.get(ch.row), NAMES.get(ch.col)) else {
                        continue;
                    };
                    let _ = s.set_cell(&row.target, row.own_base(), name, ch.value);
                }
            })
        });
    }

    pub(super) fn value_at(self, r: usize, c: usize) -> Option<Decimal> {
        let name = NAMES.get(c)?;
        self.rows.with_untracked(|rows| {
            let row = rows.get(r)?;
            self.cur.with_untracked(|s| cell_value(row, s, name))
        })
    }

    /// The `<tr>` of row `r`, when it is rendered (the grid renders only the rows in view).
    pub(super) fn row_el(self, r: usize) -> Option<web_sys::Element> {
        // The rendered rows are those of the window, in order, after the spacer above them (if any).
        let (a, b) = self.virt.window.get_untracked();
        if !(a..b).contains(&r) {
            return None;
        }
        let tr = self
            .tbody
            .get_untracked()?
            .children()
            .item((r - a + usize::from(a > 0)) as u32)?;
        // Not yet rendered (the window just moved): not there.
        let rendered = self.rows.with_untracked(|rows| {
            rows.get(r).map(|x| x.target.as_str()) == tr.get_attribute("data-row").as_deref()
        });
        rendered.then_some(tr)
    }

    pub(super) fn cell_el(self, r: usize, c: usize) -> Option<web_sys::Element> {
        self.row_el(r)?.children().item(c as u32 + 1)
    }

    pub(super) fn focus_cursor(self) {
        let (r, c) = self.sel.cursor.get_untracked();
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
    pub(super) fn scroll_to_row(self, r: usize) {
        if let Some(wrap) = self.wrap.get_untracked() {
            self.virt.scroll_to_row(&wrap, r);
        }
    }

    pub(super) fn move_to(self, r: usize, c: usize, by: (isize, isize), extend: bool) {
        let n = self.rows.with_untracked(Vec::len);
        let Some(cell) = moved((r, c), by, n, NAMES.len()) else {
            return;
        };
        self.sel.put(cell, extend);
        self.focus_cursor();
    }

    pub(super) fn move_by(self, dr: isize, dc: isize, extend: bool) {
        let (r, c) = self.sel.cursor.get_untracked();
        self.move_to(r, c, (dr, dc), extend);
    }

    /// The row and column of a cell element of the grid.
    pub(super) fn cell_of(self, el: &web_sys::Element) -> Option<(usize, usize)> {
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

    pub(super) fn editing(self) -> bool {
        self.editor.with_value(Option::is_some)
    }

    /// Type to edit: an input over the cursor cell, holding `initial` or the exact value. Cells hold
    /// only their text; the input exists while a cell is edited, over the cell (positioned `editing`).
    pub(super) fn open_editor(self, initial: Option<String>) {
        self.close_editor(true, After::Stay);
        let (r, c) = self.sel.cursor.get_untracked();
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
        let _ = input.set_attribute("aria-label", NAMES.get(c).map_or("", |n| input_label(n)));
        let _ = cell.class_list().add_1("editing");
        let _ = cell.append_child(&input);
        let _ = input.focus();
        self.editor.set_value(Some(input));
    }

    /// Closes the cell editor: commits its text (Enter, Tab, a click elsewhere) or not (Escape), and puts
    /// the keyboard where `after` says. The next cell is focused first, then the editor removed and the
    /// edit applied: focusing while the page's layout is clean forces no style and layout of the grid
    /// (issue 20), which a focus after the edit's changes to the DOM would.
    pub(super) fn close_editor(self, commit: bool, after: After) {
        let Some(input) = self.editor.try_update_value(Option::take).flatten() else {
            return;
        };
        if commit {
            mark_edit_start();
        }
        let text = input.value();
        let (r, c) = self.sel.cursor.get_untracked();
        match after {
            After::Stay => {}
            After::Refocus => self.focus_cursor(),
            After::Move(dr, dc) => self.move_by(dr, dc, false),
        }
        if let Some(cell) = input.parent_element() {
            let _ = cell.class_list().remove_1("editing");
        }
        input.remove();
        if !commit {
            return;
        }
        match parse_cell(&text) {
            Ok(v) if v != self.value_at(r, c) => self.set_cells_marked(vec![CellChange {
                row: r,
                col: c,
                value: v,
            }]),
            Ok(_) => {}
            Err(e) => self.msg.set(e.to_string()),
        }
    }

    pub(super) fn selection_tsv(self) -> String {
        range_tsv(self.sel.range(), |r, c| self.value_at(r, c))
    }

    /// Pastes a block (Excel, Google Sheets: TSV) at the selection's top-left (`edits::paste`).
    pub(super) fn paste(self, text: &str) {
        let range = self.sel.range();
        let n = self.rows.with_untracked(Vec::len);
        let p = edits::paste(text, range, n, NAMES.len());
        if let Some(last) = p.last {
            self.sel.span((range.top, range.left), last);
        }
        self.msg.set(if p.skipped.is_empty() {
            String::new()
        } else {
            let why: Vec<String> = p.skipped.iter().map(ToString::to_string).collect();
            format!("{} pasted cell(s) skipped: {}", why.len(), why.join("; "))
        });
        self.set_cells(p.changes);
    }

    /// Ctrl+D: the selection's top row down its columns (one row: the row above it).
    pub(super) fn fill_down(self) {
        self.set_cells(edits::fill_down(self.sel.range(), |r, c| {
            self.value_at(r, c)
        }));
    }

    pub(super) fn bulk(self, text: &str) {
        let Some(op) = Bulk::parse(text) else {
            self.msg.set(format!(
                "“{text}” is not a bulk edit: try +5%, -2, set 12 or ×1.1"
            ));
            return;
        };
        self.set_cells(op.changes(self.sel.range(), |r, c| self.value_at(r, c)));
    }

    pub(super) fn reset_row(self, target: &str) {
        let target = target.to_string();
        self.commit(|s| {
            s.edits.remove(&target);
        });
    }

    pub(super) fn on_keydown(self, ev: ev::KeyboardEvent) {
        let key = ev.key();
        let (ctrl, shift) = (ev.ctrl_key() || ev.meta_key(), ev.shift_key());
        if self.editing() {
            match key.as_str() {
                "Enter" => self.close_editor(true, After::Move(if shift { -1 } else { 1 }, 0)),
                "Tab" => self.close_editor(true, After::Move(0, if shift { -1 } else { 1 })),
                "Escape" => self.close_editor(false, After::Refocus),
                _ => return,
            }
            ev.prevent_default();
            return;
        }
        let on_cell = event_element(&ev).and_then(|e| self.cell_of(&e)).is_some();
        if !on_cell {
            return;
        }
        if let Some(nav) = Nav::of_key(&key) {
            let (dr, dc) = nav.delta(NAMES.len());
            self.move_by(dr, dc, shift);
            ev.prevent_default();
            return;
        }
        // Tab (not editing) leaves the grid, which is one tab stop (the cursor's cell, see `paint_selection`).
        match (key.as_str(), ctrl) {
            (" ", false) if shift => self.pick_cursor_row(),
            ("Enter" | "F2", false) => self.open_editor(None),
            ("Delete" | "Backspace", false) => self.set_cells(edits::clear(self.sel.range())),
            ("Escape", false) => self.sel.anchor.set(self.sel.cursor.get_untracked()),
            ("z" | "Z", true) => self.undo_redo(!shift),
            ("y" | "Y", true) => self.undo_redo(false),
            ("d" | "D", true) => self.fill_down(),
            ("a" | "A", true) => {
                let n = self.rows.with_untracked(Vec::len);
                self.sel
                    .span((0, 0), (n.saturating_sub(1), NAMES.len() - 1));
            }
            (k, false) if k.chars().count() == 1 && !ev.alt_key() => {
                self.open_editor(Some(k.to_string()))
            }
            _ => return,
        }
        ev.prevent_default();
    }

    pub(super) fn on_mousedown(self, ev: ev::MouseEvent) {
        let Some(el) = event_element(&ev) else { return };
        if el.class_list().contains("cell-editor") {
            return;
        }
        self.close_editor(true, After::Stay);
        if let Some(cell) = self.cell_of(&el) {
            self.sel.put(cell, ev.shift_key());
            if ev.shift_key() {
                ev.prevent_default();
                self.focus_cursor();
            }
        }
    }

    /// Shows the cursor's row in the product card, the solvers and the heat map (not a group's row).
    pub(super) fn pick_cursor_row(self) {
        let r = self.sel.cursor.get_untracked().0;
        let target = self.rows.with_untracked(|rows| {
            rows.get(r)
                .filter(|x| x.kind != Kind::Group)
                .map(|x| x.target.clone())
        });
        if target.is_some() {
            self.pick.set(target);
        }
    }

    /// A cell focused by Tab (or by the mouse) becomes the cursor, so the keyboard starts where focus is.
    pub(super) fn on_focusin(self, ev: ev::FocusEvent) {
        if self.editing() {
            return;
        }
        let Some(cell) = event_element(&ev).and_then(|e| self.cell_of(&e)) else {
            return;
        };
        if cell != self.sel.cursor.get_untracked() {
            self.sel.put(cell, false);
        }
    }

    pub(super) fn on_click(self, ev: ev::MouseEvent) {
        let Some(el) = event_element(&ev) else { return };
        // A click on a product's name (not its Reset button) shows it in the product card.
        if el.closest("[data-action]").ok().flatten().is_none()
            && let Some(th) = el.closest("th.row-name").ok().flatten()
        {
            let target = th
                .closest("tr[data-row]")
                .ok()
                .flatten()
                .and_then(|tr| tr.get_attribute("data-row"));
            let is_product = self.rows.with_untracked(|rows| {
                rows.iter()
                    .any(|r| Some(&r.target) == target.as_ref() && r.kind != Kind::Group)
            });
            if is_product {
                self.pick.set(target);
            }
            return;
        }
        let Some(button) = el.closest("[data-action]").ok().flatten() else {
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

    /// The rows in view follow the box's real height once its rows are laid out (the first is a guess,
    /// until it scrolls).
    pub(super) fn fit_window(self) {
        if let Some(wrap) = self.wrap.get_untracked() {
            let h = wrap.client_height();
            if h > 0 {
                // (Its window is a memo: the same height changes nothing.)
                self.virt.view_height.set(f64::from(h));
            }
        }
    }

    /// Paints the selection on the rendered cells (after the row's name), and makes the cursor's cell the
    /// grid's one tab stop (roving tabindex: Tab lands on it, the other cells are `tabindex=-1`).
    pub(super) fn paint_selection(self) {
        let Some(tbody) = self.tbody.get_untracked() else {
            return;
        };
        let rendered = self.virt.window.get_untracked();
        self.sel.paint(&tbody, rendered, 1, |r| self.row_el(r));
        let (r, c) = self.sel.cursor.get_untracked();
        // The cursor's cell, or (scrolled out of the rendered rows) the first rendered cell, so that Tab
        // always reaches the grid; focusing it moves the cursor there (`on_focusin`).
        let stop = self.cell_el(r, c).or_else(|| {
            tbody
                .query_selector("tr[data-row] td[data-input]")
                .ok()
                .flatten()
        });
        let marked = tbody.get_elements_by_class_name("tab-stop");
        let old: Vec<web_sys::Element> = (0..marked.length())
            .filter_map(|i| marked.item(i))
            .collect();
        for el in old.into_iter().filter(|el| stop.as_ref() != Some(el)) {
            let _ = el.class_list().remove_1("tab-stop");
            let _ = el.set_attribute("tabindex", "-1");
        }
        if let Some(el) = stop {
            let _ = el.class_list().add_1("tab-stop");
            let _ = el.set_attribute("tabindex", "0");
        }
    }
}
