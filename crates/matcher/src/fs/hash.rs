//! Hash maps with a fast, fixed-seed hash for the engine's internal maps.

use std::collections::HashMap;

/// The hasher: aHash with fixed keys, so a run never depends on a random
/// seed (the engine never depends on map iteration order either).
pub(crate) type FastState = ahash::RandomState;

/// A `HashMap` with [`FastState`].
pub(crate) type FastMap<K, V> = HashMap<K, V, FastState>;

fn state() -> FastState {
    FastState::with_seeds(0x726f_6c6c, 0x7265_6321, 0x0d1c_e5a1, 0x5eed_0001)
}

/// An empty [`FastMap`].
pub(crate) fn map<K, V>() -> FastMap<K, V> {
    HashMap::with_hasher(state())
}

/// The hash of one value, the same in every run.
pub(crate) fn hash_one<T: std::hash::Hash>(value: T) -> u64 {
    state().hash_one(value)
}
