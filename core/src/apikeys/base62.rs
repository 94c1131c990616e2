//! Base62 with the alphabet `0-9A-Za-z`, fixed width, left-padded with `0` (GitHub's token alphabet).

/// The base62 alphabet, in digit order: `0-9`, then `A-Z`, then `a-z`.
///
/// ```
/// use tenantry::apikeys::base62::ALPHABET;
/// assert_eq!((ALPHABET[0], ALPHABET[10], ALPHABET[36]), (b'0', b'A', b'a'));
/// ```
pub const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// True when every byte of `text` is in the base62 alphabet.
///
/// ```
/// use tenantry::apikeys::base62;
/// assert!(base62::is_base62("09AZaz"));
/// assert!(!base62::is_base62("a_b"));
/// ```
pub fn is_base62(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Encodes `value` in exactly `width` base62 digits, most significant first, left-padded with `0`.
///
/// Digits that do not fit are dropped from the left, so callers pick a width large enough
/// (11 digits hold any `u64`, 6 digits any `u32`).
///
/// ```
/// use tenantry::apikeys::base62;
/// assert_eq!(base62::encode_u64(61, 3), "00z");
/// assert_eq!(base62::encode_u64(62, 3), "010");
/// assert_eq!(base62::encode_u64(u64::MAX, 11), "LygHa16AHYF");
/// ```
pub fn encode_u64(value: u64, width: usize) -> String {
    let mut digits = vec![b'0'; width];
    encode_u64_into(value, &mut digits);
    digits.into_iter().map(char::from).collect()
}

/// Writes `value` as base62 digits filling `out` (most significant first, left-padded with `0`).
pub(crate) fn encode_u64_into(value: u64, out: &mut [u8]) {
    let mut rest = value;
    for slot in out.iter_mut().rev() {
        *slot = digit(rest % 62);
        rest /= 62;
    }
}

/// Encodes `bytes`, read as one big-endian unsigned integer, in exactly `width` base62 digits,
/// left-padded with `0` (digits that do not fit are dropped from the left).
///
/// ```
/// use tenantry::apikeys::base62;
/// assert_eq!(base62::encode_bytes(&[0x01, 0x00], 4), "0048"); // 256 = 4 * 62 + 8
/// assert_eq!(base62::encode_bytes(&[0xff; 8], 11), base62::encode_u64(u64::MAX, 11));
/// ```
pub fn encode_bytes(bytes: &[u8], width: usize) -> String {
    // Big-endian base-2^32 limbs; repeated long division by 62.
    let mut limbs: Vec<u32> = Vec::with_capacity(bytes.len().div_ceil(4));
    let lead = bytes.len() % 4;
    let (head, tail) = bytes.split_at(lead);
    if !head.is_empty() {
        limbs.push(head.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)));
    }
    for chunk in tail.chunks_exact(4) {
        limbs.push(chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)));
    }
    let mut digits = vec![b'0'; width];
    for slot in digits.iter_mut().rev() {
        let mut remainder: u64 = 0;
        for limb in limbs.iter_mut() {
            let acc = (remainder << 32) | u64::from(*limb);
            // acc < 62 * 2^32, so the quotient fits in u32.
            *limb = (acc / 62) as u32;
            remainder = acc % 62;
        }
        *slot = digit(remainder);
    }
    digits.into_iter().map(char::from).collect()
}

fn digit(value: u64) -> u8 {
    // `value` is always < 62 here; `get` keeps the no-indexing rule.
    ALPHABET.get(value as usize).copied().unwrap_or(b'0')
}
