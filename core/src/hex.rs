//! Lower-case hex: the signature encoding of the Stripe, GitHub and Slack schemes, and the form
//! of stored API key hashes and audit record hashes and seals.

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Encodes bytes as lower-case hex.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = vec![0u8; bytes.len() * 2];
    encode_into(bytes, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the lower-case hex digits of `bytes` into `out` (two per byte, as far as `out` reaches).
pub(crate) fn encode_into(bytes: &[u8], out: &mut [u8]) {
    let digit = |nibble: u8| DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0');
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        for (slot, nibble) in pair.iter_mut().zip([b >> 4, b & 0x0f]) {
            *slot = digit(nibble);
        }
    }
}

/// Decodes exactly `N` bytes of hex (either case); `None` for any other length or a non-hex digit.
pub(crate) fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let [hi, lo] = pair else { return None };
        *slot = (nibble(*hi)? << 4) | nibble(*lo)?;
    }
    Some(out)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let bytes: [u8; 4] = [0x00, 0x7f, 0xab, 0xff];
        assert_eq!(encode(&bytes), "007fabff");
        assert_eq!(decode::<4>("007fabff"), Some(bytes));
        assert_eq!(decode::<4>("007FABFF"), Some(bytes));
        assert_eq!(decode::<4>("007fabf"), None);
        assert_eq!(decode::<4>("007fabfg"), None);
        assert_eq!(decode::<4>("007fabff00"), None);
        assert_eq!(decode::<2>("éé"), None);
    }
}
