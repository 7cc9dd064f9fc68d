//! The music queue model, request parsing, and the linearizability checker on
//! hand-written histories.

use faultlab_sim::raft::invariants::linearizability::{HistoryOp, Verdict, check};
use faultlab_sim::raft::{MusicQueue, Op, OpResult, Raft, Rejection, Track};
use faultlab_sim::{RequestId, ScenarioProtocol};
use serde_json::json;

fn add(id: &str) -> Op {
    Op::Add(Track::new(id, &format!("Song {id}"), "Artist", 120))
}

fn ids(q: &[Track]) -> Vec<&str> {
    q.iter().map(|t| &*t.id).collect()
}

#[test]
fn queue_add_remove_vote_play_history_metadata() {
    let mut m = MusicQueue::new();
    assert_eq!(m.apply(&add("1")), Ok(OpResult::Done));
    assert_eq!(m.apply(&add("2")), Ok(OpResult::Done));
    assert_eq!(m.apply(&add("3")), Ok(OpResult::Done));
    assert_eq!(m.apply(&add("2")), Err(Rejection::DuplicateId("2".into())));
    assert_eq!(
        m.apply(&Op::Vote {
            id: "3".into(),
            up: true
        }),
        Ok(OpResult::Done)
    );
    assert_eq!(ids(&m.queue), ["3", "1", "2"], "votes descending");
    assert_eq!(
        m.apply(&Op::Vote {
            id: "1".into(),
            up: false
        }),
        Ok(OpResult::Done)
    );
    assert_eq!(ids(&m.queue), ["3", "2", "1"]);
    assert_eq!(
        m.apply(&Op::Vote {
            id: "1".into(),
            up: true
        }),
        Ok(OpResult::Done)
    );
    assert_eq!(
        ids(&m.queue),
        ["3", "2", "1"],
        "the sort is stable: 2 and 1 tie at 0 and keep their order"
    );
    let Ok(OpResult::Played(Some(t))) = m.apply(&Op::Play) else {
        panic!("plays the head")
    };
    assert_eq!(&*t.id, "3");
    assert_eq!(ids(&m.history), ["3"]);
    assert_eq!(
        m.apply(&Op::Metadata { id: "3".into() }),
        Err(Rejection::UnknownId("3".into())),
        "metadata searches the queue only"
    );
    assert!(
        matches!(m.apply(&Op::Metadata { id: "2".into() }), Ok(OpResult::Track(t)) if &*t.id == "2")
    );
    assert_eq!(
        m.apply(&Op::Remove { id: "9".into() }),
        Err(Rejection::UnknownId("9".into()))
    );
    assert_eq!(m.apply(&Op::Remove { id: "2".into() }), Ok(OpResult::Done));
    assert_eq!(
        m.apply(&Op::Play),
        Ok(OpResult::Played(
            Some(Track::new("1", "Song 1", "Artist", 120)).map(|mut t| {
                t.votes = 0;
                t
            })
        ))
    );
    assert_eq!(m.apply(&Op::Play), Ok(OpResult::Played(None)));
    assert_eq!(
        m.apply(&Op::History)
            .map(|r| matches!(r, OpResult::History(h) if h.len() == 2)),
        Ok(true)
    );
}

#[test]
fn rejections_change_nothing() {
    let mut m = MusicQueue::new();
    m.apply(&add("1")).expect("adds");
    let before = m.clone();
    for op in [
        Op::Add(Track::new("", "t", "a", 10)),
        Op::Add(Track::new("2", " ", "a", 10)),
        Op::Add(Track::new("2", "t", "a", 0)),
        Op::Add(Track::new("2", "t", "a", -5)),
        add("1"),
        Op::Remove { id: "7".into() },
        Op::Vote {
            id: "7".into(),
            up: true,
        },
    ] {
        assert!(m.apply(&op).is_err(), "{op:?}");
        assert_eq!(m, before);
    }
    assert_eq!(
        Rejection::NonPositiveDuration.to_string(),
        "duration: must be a positive integer"
    );
}

#[test]
fn client_objects_parse_with_field_errors() {
    let parse = |v: serde_json::Value| Raft::parse_request(v.as_object().expect("object"));
    assert_eq!(
        parse(json!({"op": "add", "id": "8", "title": "T", "artist": "A", "duration": 180}))
            .expect("ok"),
        Op::Add(Track::new("8", "T", "A", 180))
    );
    assert_eq!(
        parse(json!({"op": "add", "id": 8, "title": "T", "duration": 180}))
            .expect("numeric id")
            .name(),
        "add"
    );
    assert_eq!(
        parse(json!({"op": "add", "id": "8", "title": "T", "duration": "x"}))
            .expect_err("bad")
            .field,
        "duration"
    );
    assert_eq!(
        parse(json!({"op": "add", "id": "8", "duration": 3}))
            .expect_err("bad")
            .field,
        "title"
    );
    assert_eq!(
        parse(json!({"op": "vote", "id": "8", "up": "yes"}))
            .expect_err("bad")
            .field,
        "up"
    );
    assert_eq!(
        parse(json!({"op": "queue", "id": "8"}))
            .expect_err("bad")
            .field,
        "id"
    );
    assert_eq!(parse(json!({"op": "dance"})).expect_err("bad").field, "op");
    for op in ["queue", "play", "history"] {
        let o = parse(json!({"op": op})).expect("ok");
        assert_eq!(Raft::request_json(&o).get("op"), Some(&json!(op)));
    }
}

fn h(
    id: u64,
    call: u64,
    ret: u64,
    op: Op,
    result: Option<Result<OpResult, Rejection>>,
) -> HistoryOp {
    HistoryOp {
        id: RequestId(id),
        call,
        ret,
        op,
        result,
    }
}

#[allow(clippy::unnecessary_wraps)] // the shape of a recorded result
fn queue_of(ids: &[&str]) -> Option<Result<OpResult, Rejection>> {
    Some(Ok(OpResult::Queue(
        ids.iter()
            .map(|i| Track::new(i, &format!("Song {i}"), "Artist", 120))
            .collect(),
    )))
}

const DONE: Option<Result<OpResult, Rejection>> = Some(Ok(OpResult::Done));

#[test]
fn sequential_history_is_linearizable() {
    let hist = [
        h(0, 0, 1, add("1"), DONE),
        h(1, 2, 3, add("2"), DONE),
        h(2, 4, 5, Op::Queue, queue_of(&["1", "2"])),
    ];
    assert_eq!(check(&hist, 1000).0, Verdict::Linearizable);
}

#[test]
fn stale_read_is_not_linearizable() {
    let hist = [
        h(0, 0, 1, add("1"), DONE),
        h(1, 2, 3, Op::Queue, queue_of(&[])),
    ];
    let (v, _, stuck) = check(&hist, 1000);
    assert_eq!(v, Verdict::NotLinearizable);
    assert_eq!(stuck.map(|o| o.id), Some(RequestId(1)));
}

#[test]
fn concurrent_writes_may_linearize_in_either_order() {
    let hist = [
        h(0, 0, 10, add("1"), DONE),
        h(1, 1, 9, add("2"), DONE),
        h(2, 11, 12, Op::Queue, queue_of(&["2", "1"])),
    ];
    assert_eq!(check(&hist, 1000).0, Verdict::Linearizable);
    // ...but not if they did not overlap.
    let hist = [
        h(0, 0, 1, add("1"), DONE),
        h(1, 2, 3, add("2"), DONE),
        h(2, 11, 12, Op::Queue, queue_of(&["2", "1"])),
    ];
    assert_eq!(check(&hist, 1000).0, Verdict::NotLinearizable);
}

#[test]
fn unknown_outcome_may_or_may_not_take_effect() {
    // A timed-out add that later reads show: it took effect.
    let took = [
        h(0, 0, u64::MAX, add("1"), None),
        h(1, 5, 6, Op::Queue, queue_of(&["1"])),
    ];
    assert_eq!(check(&took, 1000).0, Verdict::Linearizable);
    // ...or that they never show: it did not.
    let never = [
        h(0, 0, u64::MAX, add("1"), None),
        h(1, 5, 6, Op::Queue, queue_of(&[])),
        h(2, 7, 8, Op::Queue, queue_of(&[])),
    ];
    assert_eq!(check(&never, 1000).0, Verdict::Linearizable);
    // But it cannot take effect before it was called.
    let early = [
        h(1, 0, 1, Op::Queue, queue_of(&["1"])),
        h(0, 2, u64::MAX, add("1"), None),
    ];
    assert_eq!(check(&early, 1000).0, Verdict::NotLinearizable);
    // Nor appear and then vanish without a remove.
    let flicker = [
        h(0, 0, u64::MAX, add("1"), None),
        h(1, 5, 6, Op::Queue, queue_of(&["1"])),
        h(2, 7, 8, Op::Queue, queue_of(&[])),
    ];
    assert_eq!(check(&flicker, 1000).0, Verdict::NotLinearizable);
}

#[test]
fn rejection_is_a_model_result() {
    let hist = [
        h(0, 0, 1, add("1"), DONE),
        h(
            1,
            2,
            3,
            add("1"),
            Some(Err(Rejection::DuplicateId("1".into()))),
        ),
    ];
    assert_eq!(check(&hist, 1000).0, Verdict::Linearizable);
    let wrong = [h(
        1,
        0,
        1,
        add("1"),
        Some(Err(Rejection::DuplicateId("1".into()))),
    )];
    assert_eq!(check(&wrong, 1000).0, Verdict::NotLinearizable);
}

#[test]
fn many_unknown_writes_stay_fast() {
    // 30 timed-out adds of distinct ids, interleaved with reads that show none of them.
    let mut hist = Vec::new();
    for i in 0..30u64 {
        hist.push(h(i, i * 10, u64::MAX, add(&format!("x{i}")), None));
        hist.push(h(100 + i, i * 10 + 1, i * 10 + 2, Op::Queue, queue_of(&[])));
    }
    let (v, steps, _) = check(&hist, 1_000_000);
    assert_eq!(v, Verdict::Linearizable);
    assert!(steps < 10_000, "{steps} steps");
}
