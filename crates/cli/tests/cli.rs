//! The CLI's contract (DESIGN.md §6): `--json` prints one JSON object with the named
//! fields; a malformed scenario exits non-zero with a message naming the field; a
//! failing chaos seed's printed command reproduces its violation.

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
