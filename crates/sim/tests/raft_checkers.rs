//! Raft's checkers, each shown firing on a run or history that breaks it and staying
//! quiet on one that does not.

use std::sync::Arc;

use faultlab_sim::raft::invariants::linearizability::{self, HistoryOp, Verdict};
use faultlab_sim::raft::music_queue::{Op, OpResult, Track};
use faultlab_sim::RequestId;

// ----- linearizability: the memo key -------------------------------------------------

fn op(id: u64, call: u64, ret: u64, op: Op, result: Option<OpResult>) -> HistoryOp {
    HistoryOp {
        id: RequestId(id),
        call,
        ret,
        op,
        result: result.map(Ok),
    }
}

fn add(id: &str) -> Op {
    Op::Add(Track::new(id, &format!("Song {id}"), "Artist", 180))
}

fn played(id: &str, votes: i64) -> Track {
    Track {
        votes,
        ..Track::new(id, &format!("Song {id}"), "Artist", 180)
    }
}

/// add 1; vote 1 up (concurrent with everything after it); play (unknown); add 1;
/// play (unknown); GetHistory → [1:0, 1:1]. It is linearizable: add 1, play (1:0),
/// add 1, vote up, play (1:1), GetHistory. The search also meets add, vote, play,
/// add, play, whose history is [1:1, 1:0] with the same five ops done and an empty
/// queue; a memo key without the history's votes took the two for one state and
/// pruned the branch that explains the answer.
#[test]
fn memo_key_keeps_the_votes_of_played_tracks() {
    let up: Arc<str> = "1".into();
    let history = vec![
        op(1, 0, 1, add("1"), Some(OpResult::Done)),
        op(2, 2, 20, Op::Vote { id: up, up: true }, Some(OpResult::Done)),
        op(3, 3, u64::MAX, Op::Play, None),
        op(4, 5, 6, add("1"), Some(OpResult::Done)),
        op(5, 7, u64::MAX, Op::Play, None),
        op(
            6,
            8,
            9,
            Op::History,
            Some(OpResult::History(vec![played("1", 0), played("1", 1)])),
        ),
    ];
    let (verdict, _, stuck) = linearizability::check(&history, linearizability::STEP_BUDGET);
    assert_eq!(verdict, Verdict::Linearizable, "stuck at {stuck:?}");
}
