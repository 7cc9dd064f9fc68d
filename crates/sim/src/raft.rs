//! Raft over the music queue (being built).
