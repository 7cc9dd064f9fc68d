//! A per-participant high-water mark: the largest value of some server field seen so
//! far, which the monotonicity checkers compare each new reading against.
//!
//! It owns the bookkeeping only (readings, and forgetting a node when its volatile
//! state legitimately starts over); what the field is, and what a fall means, is the
//! checker's business.

use super::Participant;

/// The largest reading seen per participant (`None`: not seen since the last
/// [`Watermarks::forget`]).
#[derive(Clone, Debug, Default)]
pub struct Watermarks {
    high: Vec<Option<u64>>,
}

impl Watermarks {
    /// Record `value` for `who`; returns the previous high-water mark when `value`
    /// is below it (the mark is then lowered to `value`, so one fall is reported once).
    pub fn read(&mut self, who: Participant, value: u64) -> Option<u64> {
        if self.high.len() <= who.0 {
            self.high.resize(who.0 + 1, None);
        }
        let slot = &mut self.high[who.0];
        let before = *slot;
        *slot = Some(value);
        match before {
            Some(high) if value < high => Some(high),
            Some(high) => {
                *slot = Some(high.max(value));
                None
            }
            None => None,
        }
    }

    /// Start over for every participant of node `node` (a new incarnation).
    pub fn forget(&mut self, node: usize) {
        for who in [node * 2, node * 2 + 1] {
            if let Some(slot) = self.high.get_mut(who) {
                *slot = None;
            }
        }
    }
}
