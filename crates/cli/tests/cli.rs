//! The CLI's contract (DESIGN.md §6): `--json` prints one JSON object with the named
//! fields; a malformed scenario exits non-zero with a message naming the field; a
//! failing chaos seed's printed command, and its scenario, reproduce its violation;
//! an explorer counterexample's scenario reproduces its violation, and both carry a
//! page link that encodes the scenario.

use std::process::Command;

use serde_json::Value;

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_faultlab-cli"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (code, out, err) = cli(args);
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).expect("one JSON object on stdout")
}

#[test]
fn run_json_has_the_contract_fields() {
    let v = json(&[
        "run",
        "--protocol",
        "demo",
        "--seed",
        "3",
        "--until-ms",
        "2000",
        "--json",
    ]);
    for key in [
        "protocol",
        "mode",
        "seed",
        "events",
        "end_ms",
        "violations",
        "nodes",
        "clients",
        "log",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["seed"], 3);
    assert_eq!(v["end_ms"], 2000);
    let node = &v["nodes"][0];
    assert_eq!(node["id"], "1");
    assert_eq!(node["up"], true);
    let line = &v["log"][5];
    assert!(line["node"].is_string() && line["at_ms"].is_u64() && line["line"].is_string());
}

#[test]
fn malformed_scenario_exits_non_zero_naming_the_field() {
    let dir = std::env::temp_dir().join(format!("faultlab-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bad.json");
    std::fs::write(&path, r#"{"format":"faultlab-scenario/1","protocol":"demo","steps":[{"at_ms":5,"latency_ms":[9,2]}]}"#).expect("write");
    let (code, out, err) = cli(&[
        "run",
        "--scenario",
        path.to_str().expect("utf-8 path"),
        "--json",
    ]);
    assert_ne!(code, 0);
    assert!(out.is_empty());
    assert!(
        err.contains("steps[0].latency_ms: hi (2) is below lo (9)"),
        "stderr: {err}"
    );
    let (code, _, err) = cli(&["run", "--scenario", "/nonexistent/x.json"]);
    assert_ne!(code, 0);
    assert!(err.contains("/nonexistent/x.json"));
}

#[test]
fn chaos_reports_and_its_commands_reproduce() {
    let v = json(&[
        "chaos",
        "--protocol",
        "demo",
        "--seeds",
        "0..40",
        "--until-ms",
        "10000",
        "--json",
    ]);
    for key in [
        "protocol",
        "mode",
        "runs",
        "events",
        "violations",
        "panics",
        "violations_by_invariant",
        "first_failing_seed",
        "elapsed_ms",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["runs"], 40);
    assert_eq!(v["panics"], 0);
    let first = &v["failing"][0];
    let command = first["command"].as_str().expect("a reproducing command");
    let args: Vec<&str> = command
        .split_whitespace()
        .skip(1)
        .chain(["--json"])
        .collect();
    let run = json(&args);
    let found: Vec<&str> = run["violations"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|x| x["invariant"].as_str())
        .collect();
    let expected: Vec<&str> = first["invariants"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        found, expected,
        "the printed command reproduces the same violations"
    );
}

#[test]
fn unknown_protocol_and_bad_flags_are_errors() {
    let (code, _, err) = cli(&["run", "--protocol", "paxos"]);
    assert_ne!(code, 0);
    assert!(err.contains("unknown protocol \"paxos\""));
    let (code, _, err) = cli(&["chaos", "--protocol", "demo", "--seeds", "9..1"]);
    assert_ne!(code, 0);
    assert!(err.contains("--seeds"));
}

/// Decode the `#s=` part of a page link (unpadded base64url) into JSON.
fn link_value(url: &str) -> Value {
    let data = url.split_once("#s=").expect("a #s= link").1;
    let mut bytes = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in data.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {c}"),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push(u8::try_from((acc >> bits) & 0xff).expect("a byte"));
        }
    }
    serde_json::from_slice(&bytes).expect("the link carries JSON")
}

/// `run --scenario` on `scenario` (written to a temp file named `name`): the
/// invariants it reports violated.
fn run_scenario(scenario: &Value, name: &str) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("faultlab-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, scenario.to_string()).expect("write");
    let run = json(&[
        "run",
        "--scenario",
        path.to_str().expect("utf-8 path"),
        "--json",
    ]);
    run["violations"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|x| x["invariant"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn failing_chaos_seeds_carry_a_scenario_that_reproduces_them() {
    let v = json(&[
        "chaos",
        "--protocol",
        "2pc",
        "--mode",
        "as-submitted",
        "--seeds",
        "0..4",
        "--until-ms",
        "20000",
        "--base-url",
        "http://example.test/",
        "--json",
    ]);
    let failing = v["failing"].as_array().expect("failing seeds");
    assert!(!failing.is_empty(), "as-submitted 2PC fails under chaos");
    for (i, f) in failing.iter().enumerate() {
        if i >= 3 {
            assert!(f.get("scenario").is_none(), "only the first few carry one");
            continue;
        }
        let scenario = &f["scenario"];
        assert_eq!(scenario["format"], "faultlab-scenario/1");
        assert_eq!(scenario["mode"], "as-submitted");
        assert_eq!(scenario["seed"], f["seed"]);
        assert_eq!(scenario["until_ms"], 20000);
        let steps = scenario["steps"].as_array().expect("steps");
        assert!(
            steps.iter().any(|s| s.get("heal").is_some()),
            "faults, then a heal"
        );
        assert!(steps.iter().any(|s| s.get("client").is_some()), "load");
        let found = run_scenario(scenario, &format!("chaos-{i}.json"));
        let expected: Vec<String> = f["invariants"]
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect();
        assert_eq!(found, expected, "seed {}", f["seed"]);
        let url = f["url"].as_str().expect("a page link");
        assert!(url.starts_with("http://example.test/#s="), "{url}");
        let mut linked = link_value(url);
        assert_eq!(
            linked["_finish"], true,
            "the page runs the end-of-run checks"
        );
        assert!(linked["_event"].is_u64(), "and shows the first violation");
        let o = linked.as_object_mut().expect("an object");
        o.remove("_finish");
        o.remove("_event");
        assert_eq!(&linked, scenario);
    }
}

#[test]
fn explorer_counterexamples_replay_and_link_to_their_scenario() {
    let v = json(&[
        "explore",
        "--protocol",
        "2pc",
        "--mode",
        "as-submitted",
        "--nodes",
        "3",
        "--json",
    ]);
    let cxs = v["counterexamples"].as_array().expect("counterexamples");
    assert!(!cxs.is_empty(), "as-submitted 2PC has a bug");
    for (i, c) in cxs.iter().enumerate() {
        let invariant = c["invariant"].as_str().expect("a name");
        assert!(c["gap_ms"].as_u64().is_some_and(|g| g > 0), "a timed run");
        let found = run_scenario(&c["scenario"], &format!("cx-{i}.json"));
        assert!(
            found.iter().any(|f| f == invariant),
            "{invariant}: {found:?}"
        );
        assert_eq!(
            link_value(c["url"].as_str().expect("a link")),
            c["scenario"]
        );
    }
}
