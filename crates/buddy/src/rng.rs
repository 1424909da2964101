//! The deterministic randomness behind a hatch: an FNV-1a seed and the Mulberry32 stream.
//!
//! Both are frozen by `spec/buddy.md`: changing either one re-rolls every user's companion.

/// The salt appended to the user id before hashing. Changing it re-rolls every companion.
pub const SALT: &str = "friend-2026-401";

const FNV_OFFSET_BASIS: u32 = 0x811C_9DC5;
const FNV_PRIME: u32 = 0x0100_0193;

/// FNV-1a, 32-bit, over the given bytes.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(FNV_OFFSET_BASIS, |hash, &byte| (hash ^ u32::from(byte)).wrapping_mul(FNV_PRIME))
}

/// The 32-bit seed of a user's companion: FNV-1a of the UTF-8 bytes of `user_id` immediately followed by
/// [`SALT`], with no separator.
pub fn seed_for(user_id: &str) -> u32 {
    let joined = format!("{user_id}{SALT}");
    fnv1a32(joined.as_bytes())
}

/// The Mulberry32 generator as written in the product seed.
///
/// Unlike the widely circulated JavaScript version (which multiplies by `s | 1`), the seed multiplies by
/// `1 + s`; that is the formula every hatch depends on, so it is kept exactly.
#[derive(Debug, Clone)]
pub struct Mulberry32 {
    state: u32,
}

impl Mulberry32 {
    pub fn new(seed: u32) -> Self {
        Self { state: seed }
    }

    /// The next draw, uniform in `[0, 1)` with 32 bits of resolution.
    pub fn next_f64(&mut self) -> f64 {
        f64::from(self.next_u32()) / 4_294_967_296.0
    }

    /// The next raw 32-bit output; `next_f64` is this divided by 2^32.
    pub fn next_u32(&mut self) -> u32 {
        self.state = self.state.wrapping_add(0x6D2B_79F5);
        let s = self.state;
        let mut t = (s ^ (s >> 15)).wrapping_mul(1u32.wrapping_add(s));
        t = (t ^ (t >> 7)).wrapping_mul(61u32.wrapping_add(t)) ^ t;
        t ^ (t >> 14)
    }

    /// An index in `0..n` from one draw: `floor(draw * n)`.
    pub fn pick(&mut self, n: usize) -> usize {
        // A draw is below 1 and n is small, so the product is exact and below n; `min` only documents that.
        ((self.next_f64() * n as f64) as usize).min(n.saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values below were computed by an independent Python implementation of the seed's formula
    // (explicit `& 0xFFFFFFFF` masking after every add and multiply), not by this code.
    const REFERENCE: [(u32, [u32; 5]); 5] = [
        (0, [2393348507, 1090972092, 1678145398, 3491578627, 2608652302]),
        (1, [1068485178, 2226191834, 2968332355, 3295876393, 1274358978]),
        (42, [1690125181, 4135600237, 3762846800, 3298123354, 3681105780]),
        (0xDEAD_BEEF, [1155480989, 1622658755, 3332263538, 688918703, 2538158294]),
        (0xFFFF_FFFF, [4146487330, 3046670122, 2811871964, 1134506917, 2146212852]),
    ];

    #[test]
    fn mulberry32_matches_the_independent_reference() {
        for (seed, expected) in REFERENCE {
            let mut rng = Mulberry32::new(seed);
            let got: Vec<u32> = (0..5).map(|_| rng.next_u32()).collect();
            assert_eq!(got, expected, "seed {seed:#x}");
        }
    }

    #[test]
    fn float_draws_are_the_raw_output_over_two_to_the_32() {
        let mut rng = Mulberry32::new(0);
        // Python printed 0.5572448733728379, 0.2540117343887687 for seed 0.
        assert_eq!(rng.next_f64(), 0.5572448733728379);
        assert_eq!(rng.next_f64(), 0.2540117343887687);
    }

    #[test]
    fn fnv1a32_matches_reference_vectors() {
        // "", "a" and "foobar" are the published FNV-1a test vectors; the rest came from the Python script.
        assert_eq!(fnv1a32(b""), 0x811C_9DC5);
        assert_eq!(fnv1a32(b"a"), 0xE40C_292C);
        assert_eq!(fnv1a32(b"foobar"), 0xBF9C_F968);
        assert_eq!(fnv1a32("héllo".as_bytes()), 0x4AA4_8540);
    }

    #[test]
    fn seed_joins_user_id_and_salt_without_separator() {
        assert_eq!(seed_for("user-0"), 0xA11E_7DDE);
        assert_eq!(seed_for("alice@example.com"), 0x4263_2845);
    }

    #[test]
    fn pick_stays_in_range_at_the_top_of_the_interval() {
        // Seed 0xFFFFFFFF's first draw is 0.965…, the largest in the reference set.
        let mut rng = Mulberry32::new(0xFFFF_FFFF);
        assert_eq!(rng.pick(3), 2);
    }
}
