//! The workspace root package: it owns the end-to-end tests (`tests/`) and
//! the workspace benchmarks (`benches/`), and runs the README's Rust
//! examples as doc tests so the README cannot drift from the code. Library
//! users depend on the `rollrec` crate, not on this one.
//!
//! ---
#![doc = include_str!("../README.md")]
