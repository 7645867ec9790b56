//! Editing numbers in a grid (the what-if grid, docs/architecture.md): what a typed or pasted cell means,
//! bulk edits of a selection (`+5%`, `-2`, `set 12`, `×1.1`), pasting a block copied from a spreadsheet,
//! fill-down, and the change against a baseline. The page only wires keys and clipboard events to these;
//! every rule about values lives here, tested without a browser.
//!
//! Cells are addressed by (row, column) in the grid's order; a [`CellChange`] sets a cell (`Some`) or
//! resets it to its baseline (`None`).

use crate::money::parse_money;
use rust_decimal::Decimal;

/// A typed or pasted cell that is not a number; shown as `“text” is not a number`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a number")]
pub struct NotANumber(pub String);

/// A typed or pasted cell: `$1,234.50`, `12%` (percent points: 12), `0.30`, `(5)`; blank is `None`
/// (clears the edit).
///
/// # Errors
/// [`NotANumber`] with the trimmed text.
pub fn parse_cell(text: &str) -> Result<Option<Decimal>, NotANumber> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t);
    parse_money(t)
        .map(|m| m.map(|m| m.amount))
        .map_err(|_| NotANumber(text.trim().to_string()))
}

/// A percentage the page shows (percent points, `12.5`) for a rate the engine keeps as a ratio (`0.125`).
pub fn percent_of_ratio(ratio: Decimal) -> Decimal {
    ratio.saturating_mul(Decimal::ONE_HUNDRED)
}

/// The ratio (`0.125`) of a percentage typed in percent points (`12.5`).
pub fn ratio_of_percent(points: Decimal) -> Decimal {
    points / Decimal::ONE_HUNDRED
}

/// `now − base` (a figure against its baseline); `None` when either is missing or it overflows.
pub fn change(now: Option<Decimal>, base: Option<Decimal>) -> Option<Decimal> {
    now?.checked_sub(base?)
}

/// One cell to set (`Some`) or reset to its baseline (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellChange {
    /// Row in the grid.
    pub row: usize,
    /// Column in the grid.
    pub col: usize,
    /// The new value; `None` resets it.
    pub value: Option<Decimal>,
}

/// A rectangle of cells: rows `top..=bottom`, columns `left..=right`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellRange {
    /// First row.
    pub top: usize,
    /// Last row.
    pub bottom: usize,
    /// First column.
    pub left: usize,
    /// Last column.
    pub right: usize,
}

impl CellRange {
    /// The range between two corners (the cursor and the selection's anchor), in any order.
    pub fn between(a: (usize, usize), b: (usize, usize)) -> CellRange {
        CellRange {
            top: a.0.min(b.0),
            bottom: a.0.max(b.0),
            left: a.1.min(b.1),
            right: a.1.max(b.1),
        }
    }

    /// Every (row, column), row by row.
    pub fn cells(self) -> impl Iterator<Item = (usize, usize)> {
        (self.top..=self.bottom).flat_map(move |r| (self.left..=self.right).map(move |c| (r, c)))
    }
}

/// A bulk edit of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// `set 12`, `=12` or `12`: every cell becomes 12.
    Set(Decimal),
    /// `+2`, `-2`: adds to each value.
    Add(Decimal),
    /// `+5%`, `-10%`: adds that percentage of each value.
    AddPct(Decimal),
    /// `×1.1`, `x1.1`, `*1.1`: multiplies each value.
    Mul(Decimal),
}

impl Bulk {
    /// Reads a bulk edit; `None` when the text is none of the forms of [`Bulk`].
    pub fn parse(text: &str) -> Option<Bulk> {
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

    /// The new value of a cell holding `v`; only [`Bulk::Set`] fills an empty cell. `None` (no change)
    /// also when the result is beyond `Decimal`'s range.
    pub fn apply(self, v: Option<Decimal>) -> Option<Decimal> {
        match self {
            Bulk::Set(x) => Some(x),
            Bulk::Add(x) => v?.checked_add(x),
            Bulk::AddPct(x) => {
                let v = v?;
                v.checked_add(v.checked_mul(x)?.checked_div(Decimal::ONE_HUNDRED)?)
            }
            Bulk::Mul(x) => v?.checked_mul(x),
        }
    }

    /// The changes of the cells of `range` whose value (`value_at`) it changes to a value.
    pub fn changes(
        self,
        range: CellRange,
        value_at: impl Fn(usize, usize) -> Option<Decimal>,
    ) -> Vec<CellChange> {
        range
            .cells()
            .filter_map(|(row, col)| {
                self.apply(value_at(row, col)).map(|v| CellChange {
                    row,
                    col,
                    value: Some(v),
                })
            })
            .collect()
    }
}

/// Resets every cell of `range` (Delete).
pub fn clear(range: CellRange) -> Vec<CellChange> {
    range
        .cells()
        .map(|(row, col)| CellChange {
            row,
            col,
            value: None,
        })
        .collect()
}

/// Fill-down (Ctrl+D): each column of the selection takes the value of the selection's top row; a
/// selection of one row takes the row above it (the first row copies itself).
pub fn fill_down(
    range: CellRange,
    value_at: impl Fn(usize, usize) -> Option<Decimal>,
) -> Vec<CellChange> {
    let (from, rows) = if range.top == range.bottom {
        (range.top.saturating_sub(1), range.top..=range.bottom)
    } else {
        (range.top, range.top + 1..=range.bottom)
    };
    rows.flat_map(|row| (range.left..=range.right).map(move |col| (row, col)))
        .map(|(row, col)| CellChange {
            row,
            col,
            value: value_at(from, col),
        })
        .collect()
}

/// What a paste does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paste {
    /// The cells set (blank pasted cells are left alone, so never a reset).
    pub changes: Vec<CellChange>,
    /// The pasted cells that are not numbers, in order.
    pub skipped: Vec<NotANumber>,
    /// The last cell pasted into (blank or not): the selection then spans from the range's top-left to
    /// it. `None` when the block lands outside the grid.
    pub last: Option<(usize, usize)>,
}

/// Pastes a block copied from Excel or Google Sheets (tab-separated lines, `\r\n` or `\n`) at the
/// top-left of `range`, in a grid of `rows` × `cols` cells:
/// - one value fills the whole range;
/// - a larger block is laid from the top-left; what falls beyond the last row or column is dropped
///   (the grid never grows);
/// - blank cells are left alone; cells that are not numbers are skipped and listed.
pub fn paste(text: &str, range: CellRange, rows: usize, cols: usize) -> Paste {
    let block: Vec<Vec<&str>> = text
        .trim_end_matches(['\r', '\n'])
        .split('\n')
        .map(|l| l.trim_end_matches('\r').split('\t').collect())
        .collect();
    let mut cells: Vec<(usize, usize, &str)> = Vec::new();
    if let [line] = block.as_slice()
        && let [one] = line.as_slice()
    {
        cells.extend(range.cells().map(|(r, c)| (r, c, *one)));
    } else {
        for (i, line) in block.iter().enumerate() {
            for (j, v) in line.iter().enumerate() {
                let (r, c) = (range.top + i, range.left + j);
                if r < rows && c < cols {
                    cells.push((r, c, *v));
                }
            }
        }
    }
    let mut out = Paste {
        last: cells.last().map(|&(r, c, _)| (r, c)),
        ..Paste::default()
    };
    for &(row, col, v) in cells.iter().filter(|x| !x.2.trim().is_empty()) {
        match parse_cell(v) {
            Ok(value) => out.changes.push(CellChange { row, col, value }),
            Err(e) => out.skipped.push(e),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn set(row: usize, col: usize, v: Decimal) -> CellChange {
        CellChange {
            row,
            col,
            value: Some(v),
        }
    }

    #[test]
    fn cells_read_spreadsheet_text() {
        assert_eq!(parse_cell("$1,234.50"), Ok(Some(dec!(1234.50))));
        assert_eq!(parse_cell(" 12% "), Ok(Some(dec!(12))));
        assert_eq!(parse_cell("(5)"), Ok(Some(dec!(-5))));
        assert_eq!(parse_cell(""), Ok(None));
        assert_eq!(
            parse_cell(" abc ").unwrap_err().to_string(),
            "“abc” is not a number"
        );
    }

    #[test]
    fn percentages_and_ratios() {
        // 0.125 × 100 = 12.5; 12.5 / 100 = 0.125.
        assert_eq!(percent_of_ratio(dec!(0.125)), dec!(12.5));
        assert_eq!(ratio_of_percent(dec!(12.5)), dec!(0.125));
        // 3 − 1.8 = 1.2; nothing against a missing baseline.
        assert_eq!(change(Some(dec!(3)), Some(dec!(1.8))), Some(dec!(1.2)));
        assert_eq!(change(Some(dec!(3)), None), None);
        assert_eq!(change(Some(Decimal::MIN), Some(Decimal::MAX)), None);
    }

    #[test]
    fn bulk_edits() {
        let v = Some(dec!(10));
        for (text, want) in [
            ("+5%", dec!(10.5)),     // 10 + 10 × 5 / 100
            ("-2", dec!(8)),         // 10 − 2
            ("set 12", dec!(12)),    //
            ("=12", dec!(12)),       //
            ("×1.1", dec!(11.0)),    // 10 × 1.1
            ("x1.1", dec!(11.0)),    //
            ("*1.1", dec!(11.0)),    //
            ("-10%", dec!(9)),       // 10 − 10 × 10 / 100
            ("7", dec!(7)),          //
            ("+$1,000", dec!(1010)), // 10 + 1000
        ] {
            let op = Bulk::parse(text).unwrap();
            assert_eq!(op.apply(v), Some(want), "{text}");
        }
        assert_eq!(Bulk::parse("abc"), None);
        assert_eq!(Bulk::parse("set"), None);
        // Only a set fills an empty cell; overflow is no change.
        assert_eq!(Bulk::Add(dec!(1)).apply(None), None);
        assert_eq!(Bulk::Set(dec!(1)).apply(None), Some(dec!(1)));
        assert_eq!(Bulk::Mul(dec!(2)).apply(Some(Decimal::MAX)), None);
        assert_eq!(Bulk::AddPct(dec!(200)).apply(Some(Decimal::MAX)), None);
    }

    #[test]
    fn bulk_changes_only_cells_with_a_value() {
        // Cells (0,0) = 4 and (1,1) = 6; +50% → 6 and 9; (0,1) and (1,0) are empty and stay.
        let value_at = |r: usize, c: usize| match (r, c) {
            (0, 0) => Some(dec!(4)),
            (1, 1) => Some(dec!(6)),
            _ => None,
        };
        let range = CellRange::between((1, 1), (0, 0));
        assert_eq!(
            Bulk::AddPct(dec!(50)).changes(range, value_at),
            vec![set(0, 0, dec!(6)), set(1, 1, dec!(9))]
        );
        assert_eq!(clear(CellRange::between((0, 1), (0, 0))).len(), 2);
    }

    #[test]
    fn ranges_span_their_corners() {
        let r = CellRange::between((3, 1), (2, 4));
        assert_eq!((r.top, r.bottom, r.left, r.right), (2, 3, 1, 4));
        assert_eq!(r.cells().count(), 2 * 4);
        assert_eq!(r.cells().next(), Some((2, 1)));
    }

    #[test]
    fn fill_down_copies_the_top_row_or_the_row_above() {
        // Row r holds r + 1 in every column.
        let value_at = |r: usize, _c: usize| Some(Decimal::from(r + 1));
        // Rows 2–4 of column 0: rows 3 and 4 take row 2's 3.
        let many = fill_down(CellRange::between((2, 0), (4, 0)), value_at);
        assert_eq!(many, vec![set(3, 0, dec!(3)), set(4, 0, dec!(3))]);
        // One row (5), columns 1–2: row 4's 5 in both.
        let one = fill_down(CellRange::between((5, 1), (5, 2)), value_at);
        assert_eq!(one, vec![set(5, 1, dec!(5)), set(5, 2, dec!(5))]);
        // The first row copies itself.
        assert_eq!(
            fill_down(CellRange::between((0, 0), (0, 0)), value_at),
            vec![set(0, 0, dec!(1))]
        );
    }

    #[test]
    fn one_pasted_value_fills_the_selection() {
        let p = paste("12%\r\n", CellRange::between((0, 0), (1, 1)), 10, 20);
        assert_eq!(
            p.changes,
            vec![
                set(0, 0, dec!(12)),
                set(0, 1, dec!(12)),
                set(1, 0, dec!(12)),
                set(1, 1, dec!(12))
            ]
        );
        assert_eq!(p.last, Some((1, 1)));
        assert!(p.skipped.is_empty());
    }

    #[test]
    fn a_block_is_laid_from_the_top_left_and_clipped_to_the_grid() {
        // A 3 × 3 block at (1, 18) of a 3-row, 20-column grid: rows 1–2 and columns 18–19 fit.
        let text = "1\t2\t3\r\n4\t\tx\r\n7\t8\t9\r\n";
        let p = paste(text, CellRange::between((1, 18), (2, 19)), 3, 20);
        // Row 1: 1, 2 (3 is beyond column 19); row 2: 4, blank left alone; row 3 is beyond the grid.
        assert_eq!(
            p.changes,
            vec![
                set(1, 18, dec!(1)),
                set(1, 19, dec!(2)),
                set(2, 18, dec!(4))
            ]
        );
        assert_eq!(p.last, Some((2, 19)));
        assert!(p.skipped.is_empty(), "x fell beyond the last column");
        let bad = paste("1\tx\n", CellRange::between((0, 0), (0, 0)), 1, 20);
        assert_eq!(bad.changes, vec![set(0, 0, dec!(1))]);
        assert_eq!(bad.skipped, vec![NotANumber("x".to_string())]);
        // Outside the grid: nothing.
        let none = paste("1\t2\n", CellRange::between((5, 0), (5, 0)), 3, 20);
        assert_eq!(none, Paste::default());
    }
}
