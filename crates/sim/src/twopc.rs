//! Two-Phase Commit over the picture store (being built).
