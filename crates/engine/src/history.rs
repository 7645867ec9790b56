//! Undo and redo (the what-if grid's Ctrl+Z / Ctrl+Y, docs/architecture.md): a list of earlier states
//! and a list of undone ones, generic over what is kept (the page keeps whole [`crate::workspace::Scenario`]s).
//!
//! An edit records the state from before it and forgets everything undone; undoing hands back the
//! last recorded state and keeps the current one for redo. At most `cap` earlier states are kept (the
//! oldest go first), so a long session does not hold every version of a 2,000-row scenario.

/// How many earlier states [`History::default`] keeps.
pub const DEFAULT_CAP: usize = 200;

/// Earlier and undone states of something edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History<T> {
    undo: Vec<T>,
    redo: Vec<T>,
    cap: usize,
}

impl<T> Default for History<T> {
    /// Empty, keeping [`DEFAULT_CAP`] states.
    fn default() -> Self {
        History::new(DEFAULT_CAP)
    }
}

impl<T> History<T> {
    /// Empty, keeping at most `cap` earlier states (at least one).
    pub fn new(cap: usize) -> History<T> {
        History {
            undo: Vec::new(),
            redo: Vec::new(),
            cap: cap.max(1),
        }
    }

    /// An edit was made: `before` is the state it changed. Forgets what was undone.
    pub fn record(&mut self, before: T) {
        self.undo.push(before);
        if self.undo.len() > self.cap {
            let extra = self.undo.len() - self.cap;
            self.undo.drain(..extra);
        }
        self.redo.clear();
    }

    /// The state to go back to, if any; `current` gives the state it replaces (from the one going
    /// back, e.g. the current version of the scenario of that name), which redo will bring back.
    pub fn undo(&mut self, current: impl FnOnce(&T) -> T) -> Option<T> {
        let back = self.undo.pop()?;
        self.redo.push(current(&back));
        Some(back)
    }

    /// The undone state to go forward to, if any; `current` as for [`History::undo`].
    pub fn redo(&mut self, current: impl FnOnce(&T) -> T) -> Option<T> {
        let forward = self.redo.pop()?;
        self.undo.push(current(&forward));
        Some(forward)
    }

    /// Whether there is anything to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is anything to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Edits a number and records it, as the page does.
    fn edit(h: &mut History<i32>, now: &mut i32, to: i32) {
        h.record(*now);
        *now = to;
    }

    #[test]
    fn undo_and_redo_walk_back_and_forth() {
        let mut h = History::new(10);
        let mut now = 0;
        edit(&mut h, &mut now, 1);
        edit(&mut h, &mut now, 2);
        // 2 → 1 → 0, then nothing left.
        now = h.undo(|_| now).unwrap();
        assert_eq!(now, 1);
        now = h.undo(|_| now).unwrap();
        assert_eq!(now, 0);
        assert_eq!(h.undo(|_| now), None);
        assert!(h.can_redo() && !h.can_undo());
        // 0 → 1 → 2, then nothing left.
        now = h.redo(|_| now).unwrap();
        now = h.redo(|_| now).unwrap();
        assert_eq!(now, 2);
        assert_eq!(h.redo(|_| now), None);
    }

    #[test]
    fn an_edit_after_undo_forgets_the_undone() {
        let mut h = History::new(10);
        let mut now = 0;
        edit(&mut h, &mut now, 1);
        now = h.undo(|_| now).unwrap();
        edit(&mut h, &mut now, 5);
        assert!(!h.can_redo());
        assert_eq!(h.undo(|_| now), Some(0));
    }

    #[test]
    fn the_cap_drops_the_oldest() {
        // Cap 2: after 0 → 1 → 2 → 3 the states kept are 1 and 2; 0 is gone.
        let mut h = History::new(2);
        let mut now = 0;
        for to in 1..=3 {
            edit(&mut h, &mut now, to);
        }
        now = h.undo(|_| now).unwrap();
        assert_eq!(now, 2);
        now = h.undo(|_| now).unwrap();
        assert_eq!(now, 1);
        assert_eq!(h.undo(|_| now), None);
        assert_eq!(History::<i32>::new(0).cap, 1);
        assert_eq!(History::<i32>::default().cap, DEFAULT_CAP);
    }

    #[test]
    fn current_is_read_from_the_state_going_back() {
        // The page keeps the current version of the scenario *named* as the one undone.
        let mut h: History<(&str, i32)> = History::new(5);
        h.record(("A", 1));
        let back = h.undo(|b| (b.0, 9)).unwrap();
        assert_eq!(back, ("A", 1));
        assert_eq!(h.redo(|f| (f.0, 1)), Some(("A", 9)));
    }
}
