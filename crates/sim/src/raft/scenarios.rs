//! The named Raft scenarios shipped with faultlab (`crates/sim/scenarios/raft/`),
//! compiled in so the page, the CLI and the tests share them. Each file carries its
//! own `title`, `description`, `watch` and `expect` metadata; `expect` is either
//! `"no violations"` or `"violation: <invariant>[, <invariant>…]"`, which the tests
//! assert.

/// Every scenario: `(name, JSON text)`.
pub fn all() -> Vec<(&'static str, &'static str)> {
    vec![]
}
