#!/usr/bin/env python3
"""The README's detection table: for every bug toggle, the share of chaos seeds that
flag it, by invariant, and the explorer's first counterexample (its depth and the
bounds it was found within).

    python3 tools/detection.py [--seeds 0..1000] [--max-states 400000] > target/detection.md

It runs the release CLI (build it first: cargo build --release -p faultlab-cli) and
prints a Markdown table on stdout, progress on stderr. Nothing here decides anything:
every figure is what `faultlab-cli chaos` and `faultlab-cli explore` print.
"""

import argparse
import json
import re
import subprocess
import sys

import os
CLI = os.environ.get("FAULTLAB_CLI", "target/release/faultlab-cli")
SAFETY = {
    "raft": {"election_safety", "leader_append_only", "log_matching", "leader_completeness",
             "state_machine_safety", "linearizability", "commit_index_monotonic",
             "last_applied_monotonic", "applied_within_commit", "term_monotonic",
             "committed_on_majority"},
    "2pc": {"atomicity", "validity", "durability", "isolation", "picture_integrity"},
}


def bugs(protocol):
    out = subprocess.run([CLI, "run", "--protocol", protocol, "--bug", "help"],
                         capture_output=True, text=True).stdout
    found, section = [], False
    for line in out.splitlines():
        if line.startswith(f"{protocol} bug toggles"):
            section = True
            continue
        if section:
            m = re.match(r"\s+(\S+)\s+\[", line)
            if m:
                found.append(m.group(1))
            elif line and not line.startswith(" "):
                section = False
    return found


def chaos(protocol, bug, seeds):
    cmd = [CLI, "chaos", "--protocol", protocol, "--seeds", seeds, "--json"]
    if bug:
        cmd += ["--bug", bug]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def explore(protocol, bug, max_states):
    cmd = [CLI, "explore", "--protocol", protocol, "--first", "--json",
           "--max-states", str(max_states)]
    if protocol == "raft":
        cmd += ["--nodes", "3"]
    else:
        pass  # the explorer picks its own 2PC cluster (1 coordinator + 3 participants)
    if bug:
        cmd += ["--bug", bug]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        return None, " ".join(cmd[1:])
    return json.loads(r.stdout), " ".join(cmd[1:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0..1000")
    ap.add_argument("--max-states", type=int, default=400_000)
    ap.add_argument("--protocols", default="raft,2pc")
    ap.add_argument("--no-explore", action="store_true")
    args = ap.parse_args()
    n = eval(args.seeds.replace("..", "-(") + ")") * -1  # "0..1000" -> 1000
    print(f"| protocol | toggle | chaos: seeds flagged (of {n}) | by invariant | safety? | explorer: first counterexample |")
    print("|---|---|---|---|---|---|")
    for protocol in args.protocols.split(","):
        for bug in [None] + bugs(protocol):
            name = bug or "(textbook)"
            print(f"{protocol} {name} ...", file=sys.stderr)
            c = chaos(protocol, bug, args.seeds)
            by = c["violations_by_invariant"]
            share = f"{c['violations']} ({100.0 * c['violations'] / n:.1f} %)"
            inv = ", ".join(f"{k} {100.0 * v / n:.1f} %" for k, v in
                            sorted(by.items(), key=lambda kv: -kv[1])) or "—"
            safe = "yes" if set(by) & SAFETY[protocol] else ("liveness only" if by else "—")
            ex = "—"
            if not args.no_explore:
                e, cmd = explore(protocol, bug, args.max_states)
                if e is None:
                    ex = "error"
                elif e.get("counterexamples"):
                    first = e["counterexamples"][0]
                    ex = (f"{first['invariant']} at depth {first['depth']} "
                          f"({e['unique_states']:,} states)")
                else:
                    ex = (f"none within {e['unique_states']:,} states"
                          f"{' (complete)' if e.get('complete') else ''}")
            print(f"| {protocol} | `{name}` | {share} | {inv} | {safe} | {ex} |", flush=True)


if __name__ == "__main__":
    main()
