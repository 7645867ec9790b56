//! What the page's grids share (the figure tables of `src/table.rs` and the what-if grid of
//! `src/views/whatif/`): rows virtualised when long, the keys that move between cells, a rectangular
//! selection painted on the rendered cells, and copying it as TSV. What an edit *means* (typed cells,
//! paste, fill-down, bulk edits) is the engine's (`margin_engine::edits`).

use leptos::{ev, prelude::*};
use margin_engine::edits::CellRange;
use rust_decimal::Decimal;
use wasm_bindgen::JsCast;

/// Rows from which a grid renders only those in view: with 2,000 SKUs every row in the DOM made the first
/// render take seconds and an edit far longer (style recalculation over 60,000 cells).
pub const VIRTUAL_FROM: usize = 200;
/// The height of a row in pixels (style.css `.data-table td` keeps rows to it).
pub const ROW_PX: f64 = 31.0;
/// The height of the sticky header row (style.css `.data-table thead th`).
pub const HEAD_PX: f64 = 34.0;
/// Rows rendered above and below the visible ones (by default).
pub const OVERSCAN: usize = 10;

/// The element an event happened on.
pub fn event_element(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?.dyn_into::<web_sys::Element>().ok()
}

/// The rows to render, `[first, end)` of `n`, when the box is scrolled to `scroll_top` and is
/// `view_height` pixels high: all of them below [`VIRTUAL_FROM`], else the visible ones and `overscan`
/// on each side ([`OVERSCAN`] unless the grid says otherwise).
pub fn visible_rows(
    n: usize,
    scroll_top: f64,
    view_height: f64,
    overscan: usize,
) -> (usize, usize) {
    if n < VIRTUAL_FROM {
        return (0, n);
    }
    let first = ((scroll_top / ROW_PX) as usize).saturating_sub(overscan);
    let shown = (view_height / ROW_PX) as usize + 2 * overscan;
    (first.min(n), (first + shown).min(n))
}

/// A scrolling box of rows of which only those in view are rendered.
#[derive(Clone, Copy)]
pub struct Virtual {
    /// The box's scroll position and height, in pixels.
    pub scroll_top: RwSignal<f64>,
    pub view_height: RwSignal<f64>,
    /// The rows rendered, `[first, end)`.
    pub window: Memo<(usize, usize)>,
}

impl Virtual {
    /// Over `len` rows (a reactive count).
    pub fn new(len: impl Fn() -> usize + Send + Sync + 'static) -> Virtual {
        Virtual::with_overscan(len, OVERSCAN)
    }

    /// Over `len` rows, with `overscan` rows rendered on each side of those in view (fewer rows to lay out
    /// and paint on every change, more blank rows when scrolled fast).
    pub fn with_overscan(
        len: impl Fn() -> usize + Send + Sync + 'static,
        overscan: usize,
    ) -> Virtual {
        let scroll_top = RwSignal::new(0.0_f64);
        let view_height = RwSignal::new(700.0_f64);
        let window =
            Memo::new(move |_| visible_rows(len(), scroll_top.get(), view_height.get(), overscan));
        Virtual {
            scroll_top,
            view_height,
            window,
        }
    }

    /// The box's `on:scroll`.
    pub fn on_scroll(self, ev: &ev::Event) {
        if let Some(el) = event_element(ev) {
            self.scroll_top.set(f64::from(el.scroll_top()));
            self.view_height.set(f64::from(el.client_height()));
        }
    }

    /// Scrolls `wrap` so that row `r` is in view below the sticky header.
    pub fn scroll_to_row(self, wrap: &web_sys::HtmlElement, r: usize) {
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
}

/// An empty row as high as `rows` rows, standing for the rows not rendered.
pub fn spacer(rows: usize) -> Option<impl IntoView + use<>> {
    (rows > 0).then(|| {
        let h = format!("{}px", rows as f64 * ROW_PX);
        view! { <tr class="spacer" aria-hidden="true"><td style:height=h></td></tr> }
    })
}

/// A key that moves between cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Up,
    Down,
    Left,
    Right,
    /// The row's first cell.
    Home,
    /// The row's last cell.
    End,
}

impl Nav {
    /// The move a key stands for (`KeyboardEvent.key`).
    pub fn of_key(key: &str) -> Option<Nav> {
        Some(match key {
            "ArrowUp" => Nav::Up,
            "ArrowDown" => Nav::Down,
            "ArrowLeft" => Nav::Left,
            "ArrowRight" => Nav::Right,
            "Home" => Nav::Home,
            "End" => Nav::End,
            _ => return None,
        })
    }

    /// (rows, columns) to move in a grid of `cols` columns.
    pub fn delta(self, cols: usize) -> (isize, isize) {
        let cols = cols as isize;
        match self {
            Nav::Up => (-1, 0),
            Nav::Down => (1, 0),
            Nav::Left => (0, -1),
            Nav::Right => (0, 1),
            Nav::Home => (0, -cols),
            Nav::End => (0, cols),
        }
    }
}

/// The cell `by` away from `from`, kept inside a grid of `rows` × `cols` (`None` when it is empty).
pub fn moved(
    from: (usize, usize),
    by: (isize, isize),
    rows: usize,
    cols: usize,
) -> Option<(usize, usize)> {
    if rows == 0 || cols == 0 {
        return None;
    }
    let clamp = |x: usize, d: isize, n: usize| x.saturating_add_signed(d).min(n - 1);
    Some((clamp(from.0, by.0, rows), clamp(from.1, by.1, cols)))
}

/// A rectangular selection: the cursor (where the keyboard is) and the corner it was started from.
#[derive(Clone, Copy)]
pub struct Selection {
    pub cursor: RwSignal<(usize, usize)>,
    pub anchor: RwSignal<(usize, usize)>,
}

impl Selection {
    pub fn new() -> Selection {
        Selection {
            cursor: RwSignal::new((0, 0)),
            anchor: RwSignal::new((0, 0)),
        }
    }

    /// The selected cells.
    pub fn range(self) -> CellRange {
        CellRange::between(self.cursor.get_untracked(), self.anchor.get_untracked())
    }

    /// Puts the cursor on `cell`; `extend` keeps the anchor (Shift).
    pub fn put(self, cell: (usize, usize), extend: bool) {
        self.cursor.set(cell);
        if !extend {
            self.anchor.set(cell);
        }
    }

    /// Selects from `from` to `to`.
    pub fn span(self, from: (usize, usize), to: (usize, usize)) {
        self.anchor.set(from);
        self.cursor.set(to);
    }

    /// Paints the selection (class `sel`, `aria-selected`) on the rendered rows `[a, b)` of `tbody`; `row`
    /// finds a rendered row's element, whose cells follow `skip` leading cells (the row's name). No
    /// per-cell reactivity: Ctrl+A on 2,000 rows paints a screenful.
    pub fn paint(
        self,
        tbody: &web_sys::HtmlElement,
        rendered: (usize, usize),
        skip: u32,
        row: impl Fn(usize) -> Option<web_sys::Element>,
    ) {
        let marked = tbody.get_elements_by_class_name("sel");
        let old: Vec<web_sys::Element> = (0..marked.length())
            .filter_map(|i| marked.item(i))
            .collect();
        for el in old {
            let _ = el.class_list().remove_1("sel");
            let _ = el.remove_attribute("aria-selected");
        }
        let r = self.range();
        let (a, b) = rendered;
        for i in r.top.max(a)..=r.bottom.min(b.saturating_sub(1)) {
            let Some(tr) = row(i) else { continue };
            let cells = tr.children();
            for c in r.left..=r.right {
                if let Some(el) = cells.item(c as u32 + skip) {
                    let _ = el.class_list().add_1("sel");
                    let _ = el.set_attribute("aria-selected", "true");
                }
            }
        }
    }
}

/// The cells of `range` as TSV (what Excel and Google Sheets paste): exact values, blank for none.
pub fn range_tsv(range: CellRange, value_at: impl Fn(usize, usize) -> Option<Decimal>) -> String {
    (range.top..=range.bottom)
        .map(|r| {
            (range.left..=range.right)
                .map(|c| {
                    value_at(r, c)
                        .map(|v| v.normalize().to_string())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn long_lists_render_the_rows_in_view() {
        assert_eq!(visible_rows(150, 5000.0, 700.0, OVERSCAN), (0, 150));
        // Scrolled to 3,100 px: row 100 at the top, 10 rows before it; 700 / 31 = 22 rows + 2 × 10.
        assert_eq!(visible_rows(2000, 3100.0, 700.0, OVERSCAN), (90, 132));
        assert_eq!(visible_rows(250, 1e9, 700.0, OVERSCAN), (250, 250));
        // Five rows each side: 90 + 5 = 95 to 95 + 22 + 10 = 127.
        assert_eq!(visible_rows(2000, 3100.0, 700.0, 5), (95, 127));
    }

    #[test]
    fn moves_stay_in_the_grid() {
        assert_eq!(Nav::of_key("ArrowUp").map(|n| n.delta(20)), Some((-1, 0)));
        assert_eq!(Nav::of_key("End").map(|n| n.delta(20)), Some((0, 20)));
        assert_eq!(Nav::of_key("x"), None);
        assert_eq!(moved((0, 0), (-1, -1), 5, 20), Some((0, 0)));
        assert_eq!(moved((4, 3), (1, 20), 5, 20), Some((4, 19)));
        assert_eq!(moved((2, 3), (0, -20), 5, 20), Some((2, 0)));
        assert_eq!(moved((0, 0), (1, 0), 0, 20), None);
    }

    #[test]
    fn selections_copy_as_tsv() {
        let value_at = |r: usize, c: usize| match (r, c) {
            (0, 1) => Some(dec!(0.25)),
            (1, 0) => Some(dec!(2.50)),
            _ => None,
        };
        // The diagonal is blank; 2.50 is written as 2.5.
        let t = range_tsv(CellRange::between((0, 0), (1, 1)), value_at);
        assert_eq!(t, "\t0.25\n2.5\t");
    }
}
