//! Hash maps with a fast, fixed-seed hash, for the lookup maps of the
//! reader, the engine and the report.
//!
//! aHash is several times faster than std's SipHash on the short keys
//! these maps hold (names, keys of rows), and fixed seeds keep every run
//! the same. Nothing in rollrec produces output by walking such a map.

use std::collections::HashMap;
use std::hash::Hash;

/// The hasher: aHash with fixed keys.
pub type FastState = ahash::RandomState;

/// A `HashMap` with [`FastState`].
pub type FastMap<K, V> = HashMap<K, V, FastState>;

fn state() -> FastState {
    FastState::with_seeds(0x726f_6c6c, 0x7265_6321, 0x0d1c_e5a1, 0x5eed_0001)
}

/// An empty [`FastMap`].
pub fn fast_map<K, V>() -> FastMap<K, V> {
    HashMap::with_hasher(state())
}

/// The hash of one value, the same in every run.
pub fn hash_one<T: Hash>(value: T) -> u64 {
    state().hash_one(value)
}
