//! Lower-case hex, and random ids drawn from the operating system's generator.

/// `bytes` in lower-case hex.
pub(crate) fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// `N` bytes from the operating system's random source, in hex.
///
/// # Panics
///
/// If the operating system's random source fails, which on the supported platforms it does
/// not once it has been seeded at boot.
pub(crate) fn random<const N: usize>() -> String {
    let mut bytes = [0_u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    encode(&bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_every_nibble() {
        assert_eq!(super::encode(&[0x00, 0x9f, 0xa0, 0xff]), "009fa0ff");
        assert_eq!(super::random::<32>().len(), 64);
    }
}
