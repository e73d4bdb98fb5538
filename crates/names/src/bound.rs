//! A cheap upper bound of [`similarity`], so that a caller who only needs
//! to know whether two names reach a threshold can skip the full
//! comparison of names that cannot.
//!
//! The bound rests on two facts about [`similarity`]:
//! * the token route scores the weakest of the token pairs it aligns, and
//!   every core token (not a gender marker) of the side with fewer of them
//!   is aligned; so if one of those tokens has no partner that could reach
//!   the threshold, neither can the route;
//! * the route's score is that weakest pair times 0.9 for every core token
//!   left unaligned (0.97 for an initial), so when one side has `k` more
//!   core tokens the weakest pair must reach `f / 0.9^k` (less for
//!   initials);
//! * a token pair's score (the keys' Jaro-Winkler, raised to 0.9 from 0.8
//!   when the consonant outlines agree, lowered by 0.12 when they do not)
//!   reaches `f` only if the keys are equal, or their Jaro-Winkler reaches
//!   `min(f, 0.8)` and the outlines agree, or it reaches `f + 0.12`; the
//!   joined-key route counts only from 0.9, so it needs equal keys or a
//!   Jaro-Winkler of at least 0.8 with agreeing outlines.
//!
//! Jaro-Winkler in turn is bounded by the letters two keys share: at most
//! that many characters can match, and the transposition term is at most
//! one. Initials are never ruled out.

use crate::phonetic::outline;
use crate::{NormalizedName, Token, TokenKind, similarity};

/// Slack for floating-point rounding in the bound.
const EPS: f64 = 1e-9;

/// [`similarity`] of `a` and `b` when it may reach `floor`; `None` when it
/// is certainly below `floor` (then the full comparison is skipped).
///
/// ```
/// use rollrec_names::{normalize, similarity, similarity_at_least};
/// let (a, b) = (normalize("Ramesh Kumar", None), normalize("Sunita Devi", None));
/// assert_eq!(similarity_at_least(&a, &b, 0.8), None);
/// assert!(similarity(&a, &b) < 0.8);
/// let c = normalize("Rmesh Kumar", None);
/// assert_eq!(similarity_at_least(&a, &c, 0.8), Some(similarity(&a, &c)));
/// ```
#[must_use]
pub fn similarity_at_least(a: &NormalizedName, b: &NormalizedName, floor: f64) -> Option<f64> {
    if below(a, b, floor) {
        None
    } else {
        Some(similarity(a, b))
    }
}

/// True when `similarity(a, b) < floor` is certain.
fn below(a: &NormalizedName, b: &NormalizedName, floor: f64) -> bool {
    if floor <= 0.0 {
        return false;
    }
    // The joined route.
    let (ja, jb) = (&a.joined_key, &b.joined_key);
    if !ja.is_empty()
        && !jb.is_empty()
        && (ja == jb || (jw_upper(ja, jb) >= 0.8 - EPS && outline(ja).eq(outline(jb))))
    {
        return false;
    }
    // The token route.
    let core = |n: &NormalizedName| {
        n.tokens
            .iter()
            .filter(|t| t.kind != TokenKind::GenderMarker)
            .count()
    };
    let (na, nb) = (core(a), core(b));
    if na == 0 || nb == 0 {
        // The token route scores 0.
        return true;
    }
    let (small, large) = if na <= nb { (a, b) } else { (b, a) };
    // The most the left-over tokens of the larger side leave of the
    // weakest pair's score: initials first (0.97), then 0.9 each.
    let left = na.abs_diff(nb);
    let initials = large
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Initial)
        .count()
        .min(left);
    let kept = 0.97_f64.powi(initials as i32) * 0.9_f64.powi((left - initials) as i32);
    let pair_floor = floor / kept;
    small
        .tokens
        .iter()
        .filter(|t| t.kind != TokenKind::GenderMarker)
        .any(|t| {
            !large
                .tokens
                .iter()
                .filter(|u| u.kind != TokenKind::GenderMarker)
                .any(|u| may_reach(t, u, pair_floor))
        })
}

/// Whether a token pair's score may reach `f`.
fn may_reach(t: &Token, u: &Token, f: f64) -> bool {
    if t.kind == TokenKind::Initial || u.kind == TokenKind::Initial || t.key == u.key {
        return true;
    }
    let jw = jw_upper(&t.key, &u.key);
    // Outlines that differ cost 0.12; agreeing ones can raise 0.8 to 0.9.
    jw >= f + 0.12 - EPS || (jw >= f.min(0.8) - EPS && outline(&t.key).eq(outline(&u.key)))
}

/// An upper bound of the Jaro-Winkler similarity of two keys, from the
/// letters they share (1 for input it does not handle).
fn jw_upper(x: &str, y: &str) -> f64 {
    let (x, y) = (x.as_bytes(), y.as_bytes());
    if x.is_empty() || y.is_empty() || !x.is_ascii() || !y.is_ascii() {
        return 1.0;
    }
    let mut counts = [0u8; 128];
    for &c in y {
        counts[usize::from(c)] = counts[usize::from(c)].saturating_add(1);
    }
    let mut common = 0usize;
    for &c in x {
        let n = &mut counts[usize::from(c)];
        if *n > 0 {
            *n -= 1;
            common += 1;
        }
    }
    if common == 0 {
        return 0.0;
    }
    let m = common as f64;
    let jaro = (m / x.len() as f64 + m / y.len() as f64 + 1.0) / 3.0;
    if jaro > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        jaro + 0.1 * prefix as f64 * (1.0 - jaro)
    } else {
        jaro
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jaro::jaro_winkler;

    #[test]
    fn jw_upper_bounds_jaro_winkler() {
        let words = [
            "ramesh", "rajesh", "suresh", "sunita", "sumita", "kumar", "kmr", "a", "ab", "ba",
            "devi", "lakshmi", "laxmi", "mohammad", "mohd", "abcdefgh", "hgfedcba", "aaaa",
        ];
        for x in words {
            for y in words {
                assert!(jw_upper(x, y) + EPS >= jaro_winkler(x, y), "{x} {y}");
            }
        }
    }
}
