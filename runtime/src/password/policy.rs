//! The policy of `#[validate(password)]`: length, no common password in disguise, not like the
//! account. NIST SP 800-63B § 5.1.1.2 asks for a length floor, a check against common and
//! compromised values, and no composition rules; that is what this is.

use std::collections::HashSet;
use std::sync::LazyLock;

use zeroize::{Zeroize, Zeroizing};

use super::{MAX_CHARS, MIN_CHARS, words};
use crate::validate::Invalid;

const TOO_SHORT: Invalid =
    Invalid::new("password_too_short", "must be at least 12 characters long");
const TOO_LONG: Invalid = Invalid::new("password_too_long", "must be at most 128 characters long");
const COMMON: Invalid = Invalid::new(
    "password_common",
    "is a common password or too easy to guess: a few unrelated words make a strong one",
);
const LIKE_ACCOUNT: Invalid = Invalid::new(
    "password_like_account",
    "must not be the account's name or email address",
);

/// The policy, on the exposed text: the first rule that fails.
pub(super) fn policy(password: &str, account: Option<&str>) -> Result<(), Invalid> {
    // Counted only as far as it matters, so that the work stays bounded by the limit.
    let chars = password.chars().take(MAX_CHARS + 1).count();
    if chars > MAX_CHARS {
        return Err(TOO_LONG);
    }
    if chars < MIN_CHARS {
        return Err(TOO_SHORT);
    }
    let forms = forms(password);
    let account = account.map(account_words).unwrap_or_default();
    if forms
        .iter()
        .any(|form| !form.is_empty() && account.whole.contains(form))
    {
        return Err(LIKE_ACCOUNT);
    }
    if forms.iter().any(|form| is_weak(form, &[])) {
        return Err(COMMON);
    }
    if !account.pieces.is_empty() && forms.iter().any(|form| is_weak(form, &account.pieces)) {
        return Err(LIKE_ACCOUNT);
    }
    Ok(())
}

/// The most pieces (common words, walks, repetitions, digit groups) a weak password is made of.
const MAX_WEAK_PIECES: usize = 3;

/// The longest password the matcher looks at; the policy gives it at most [`MAX_CHARS`].
const MAX_MATCHED_CHARS: usize = 256;

static BASE_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| words::BASE_WORDS.iter().copied().collect());

static LONGEST_WORD: LazyLock<usize> = LazyLock::new(|| {
    words::BASE_WORDS
        .iter()
        .map(|word| word.len())
        .max()
        .unwrap_or(0)
});

/// Each sequence of [`words::SEQUENCES`] and its reverse.
static SEQUENCES: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
    words::SEQUENCES
        .iter()
        .flat_map(|sequence| {
            let forward: Vec<char> = sequence.chars().collect();
            let backward = forward.iter().rev().copied().collect();
            [forward, backward]
        })
        .collect()
});

/// Whether `password` is a common password, a keyboard walk, a sequence or a repetition, in
/// any case, with leet substitutions, and with digits or symbols at either end.
#[cfg(test)]
fn is_common(password: &str) -> bool {
    forms(password).iter().any(|form| is_weak(form, &[]))
}

/// The forms a password is compared in: lowercased with white space collapsed, also without
/// separators (`pass word`, `pass-word`); each as it is, with digits and symbols stripped from
/// its ends, and with leet substitutions undone (`1` read as `i` and as `l`). They are copies of
/// the password, wiped when dropped.
fn forms(password: &str) -> Zeroizing<Vec<String>> {
    let lower = Zeroizing::new(password.to_lowercase());
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let joined: String = collapsed
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.'))
        .collect();
    let mut forms = Zeroizing::new(Vec::new());
    for base in [collapsed, joined] {
        let stripped = strip_ends(&base).to_owned();
        // `@dmin2024`, `$ecret!`: symbols that stand for letters, read before stripping.
        let symbols = Zeroizing::new(unleet(&base, Leet::Symbols));
        let symbols_first = Zeroizing::new(strip_ends(&symbols).to_owned());
        let variants = [
            unleet(&base, Leet::OneAsI),
            unleet(&base, Leet::OneAsL),
            unleet(&stripped, Leet::OneAsI),
            unleet(&stripped, Leet::OneAsL),
            unleet(&symbols_first, Leet::OneAsI),
            unleet(&symbols_first, Leet::OneAsL),
            base,
            stripped,
        ];
        for mut form in variants {
            if forms.contains(&form) {
                form.zeroize();
            } else {
                forms.push(form);
            }
        }
    }
    forms
}

#[derive(Clone, Copy)]
enum Leet {
    /// `@`, `$` and `!` only.
    Symbols,
    /// Every substitution, `1` read as `i`.
    OneAsI,
    /// Every substitution, `1` read as `l`.
    OneAsL,
}

fn unleet(text: &str, leet: Leet) -> String {
    text.chars()
        .map(|c| match (c, leet) {
            ('@', _) | ('4', Leet::OneAsI | Leet::OneAsL) => 'a',
            ('$', _) | ('5', Leet::OneAsI | Leet::OneAsL) => 's',
            ('!', _) | ('1', Leet::OneAsI) => 'i',
            ('1', Leet::OneAsL) => 'l',
            ('0', Leet::OneAsI | Leet::OneAsL) => 'o',
            ('3', Leet::OneAsI | Leet::OneAsL) => 'e',
            ('7', Leet::OneAsI | Leet::OneAsL) => 't',
            _ => c,
        })
        .collect()
}

/// Not a letter: a digit, a symbol, punctuation or white space.
fn is_filler(c: char) -> bool {
    c.is_ascii_digit() || !c.is_alphanumeric()
}

/// `text` without what people add to a word at either end: a group of digits and a group of
/// symbols, in either order (`2024!`, `!!1`, `123`).
fn strip_ends(text: &str) -> &str {
    let is_digit = |c: char| c.is_ascii_digit();
    let is_symbol = |c: char| !c.is_alphanumeric();
    let mut rest = text;
    for _ in 0..2 {
        match rest.chars().next() {
            Some(c) if is_digit(c) => rest = rest.trim_start_matches(is_digit),
            Some(c) if is_symbol(c) => rest = rest.trim_start_matches(is_symbol),
            _ => break,
        }
    }
    for _ in 0..2 {
        match rest.chars().next_back() {
            Some(c) if is_digit(c) => rest = rest.trim_end_matches(is_digit),
            Some(c) if is_symbol(c) => rest = rest.trim_end_matches(is_symbol),
            _ => break,
        }
    }
    rest
}

/// Whether one form of a password is weak: empty, a repetition of a unit (`aaaa`,
/// `abcabcabc`, `passwordpassword`), a keyboard walk or sequence (`qwertyuiop`, `ab`), or
/// made of at most [`MAX_WEAK_PIECES`] pieces, each a common word (or one of `extra`), a walk
/// or sequence of three or more, a short repetition or a group of digits; symbols and white
/// space between them are free.
fn is_weak(form: &str, extra: &[String]) -> bool {
    let chars: Zeroizing<Vec<char>> = Zeroizing::new(form.chars().collect());
    let n = chars.len();
    if n == 0 {
        return true;
    }
    if n > MAX_MATCHED_CHARS {
        return false;
    }
    let repeats =
        (1..n).any(|unit| n.is_multiple_of(unit) && (unit..n).all(|i| chars[i] == chars[i - unit]));
    let walk_end: Vec<usize> = (0..n).map(|i| walk_end(&chars, i)).collect();
    if repeats || walk_end[0] == n {
        return true;
    }
    let offsets: Vec<usize> = form
        .char_indices()
        .map(|(offset, _)| offset)
        .chain([form.len()])
        .collect();
    let digits_end = class_end(&chars, |c| c.is_ascii_digit());
    let symbols_end = class_end(&chars, |c| !c.is_alphanumeric());
    let letters_end = class_end(&chars, |c| !is_filler(c));
    // `period_end[p - 1][i]`: how far a text from `i` repeats with period `p`.
    let period_end: Vec<Vec<usize>> = (1..=4).map(|p| period_end(&chars, p)).collect();
    let longest_word = (*LONGEST_WORD).max(extra.iter().map(String::len).max().unwrap_or(0));
    let piece_cost = |i: usize, j: usize| -> Option<usize> {
        let len = j - i;
        if j <= symbols_end[i] {
            return Some(0);
        }
        if j <= digits_end[i] {
            return Some(1);
        }
        if len >= 3 && j <= walk_end[i] {
            return Some(1);
        }
        if (1..=4).any(|p| len >= (2 * p).max(3) && j <= period_end[p - 1][i]) {
            return Some(1);
        }
        let text = &form[offsets[i]..offsets[j]];
        let word = j <= letters_end[i]
            && text.len() <= longest_word
            && (BASE_WORDS.contains(text) || extra.iter().any(|word| word == text));
        word.then_some(1)
    };
    // The fewest pieces that make up the first `j` characters.
    let mut fewest = vec![usize::MAX; n + 1];
    fewest[0] = 0;
    for j in 1..=n {
        for i in 0..j {
            if fewest[i] > MAX_WEAK_PIECES {
                continue;
            }
            if let Some(cost) = piece_cost(i, j) {
                fewest[j] = fewest[j].min(fewest[i] + cost);
            }
        }
    }
    fewest[n] <= MAX_WEAK_PIECES
}

/// For each position, where the run of characters of `class` that starts there ends.
fn class_end(chars: &[char], class: impl Fn(char) -> bool) -> Vec<usize> {
    let mut end = vec![0; chars.len()];
    for i in (0..chars.len()).rev() {
        end[i] = if class(chars[i]) {
            end.get(i + 1).copied().unwrap_or(chars.len())
        } else {
            i
        };
    }
    end
}

/// For each position `i`, the end of the longest text from `i` with period `p`
/// (`chars[k] == chars[k - p]` throughout).
fn period_end(chars: &[char], p: usize) -> Vec<usize> {
    let n = chars.len();
    let mut end = vec![0; n];
    // `first_break`: the first `k >= i` with `chars[k + p] != chars[k]`.
    let mut first_break = n.saturating_sub(p);
    for i in (0..n).rev() {
        if i + p < n && chars[i + p] != chars[i] {
            first_break = i;
        }
        end[i] = (first_break.max(i) + p).min(n);
    }
    end
}

/// The end of the longest walk along a keyboard row or a sequence that starts at `i`.
fn walk_end(chars: &[char], i: usize) -> usize {
    let mut longest = i;
    for sequence in SEQUENCES.iter() {
        for (start, _) in sequence.iter().enumerate().filter(|(_, c)| **c == chars[i]) {
            let len = sequence[start..]
                .iter()
                .zip(&chars[i..])
                .take_while(|(a, b)| a == b)
                .count();
            longest = longest.max(i + len);
        }
    }
    longest
}

/// What a password must not be like: the account text in its forms, and its pieces.
#[derive(Default)]
struct AccountWords {
    /// The account text and its local part (before `@`), lowercased, with and without
    /// separators and the digits or symbols at their ends.
    whole: Vec<String>,
    /// Pieces of three or more letters that may make up a password with other weak pieces.
    pieces: Vec<String>,
}

/// The most pieces of an account that a password is compared with.
const MAX_ACCOUNT_PIECES: usize = 16;

fn account_words(account: &str) -> AccountWords {
    // An email address has at most 254 bytes; a longer account text is compared by its start.
    let lower: String = account
        .trim()
        .chars()
        .take(MAX_MATCHED_CHARS)
        .collect::<String>()
        .to_lowercase();
    if lower.is_empty() {
        return AccountWords::default();
    }
    let local = lower
        .rsplit_once('@')
        .map_or(lower.as_str(), |(local, _)| local);
    let mut words = AccountWords::default();
    for text in [lower.as_str(), local] {
        let joined: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.'))
            .collect();
        for form in [text.to_owned(), strip_ends(text).to_owned(), joined] {
            if !form.is_empty() && !words.whole.contains(&form) {
                words.whole.push(form);
            }
        }
    }
    for piece in local.split(is_filler).take(MAX_ACCOUNT_PIECES) {
        if piece.chars().count() >= 3 && !words.pieces.iter().any(|known| known == piece) {
            words.pieces.push(piece.to_owned());
        }
    }
    let joined: String = local.chars().filter(|c| !is_filler(*c)).collect();
    if joined.chars().count() >= 3 && !words.pieces.contains(&joined) {
        words.pieces.push(joined);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused_in_their_disguises() {
        for password in [
            "Password1234!",
            "qwertyuiop123",
            "111111111111",
            "iloveyou2024!",
            "P@ssw0rd2024!",
            "p455w0rd!!!!",
            "1l0v3y0u2020",
            "!@#$%^&*()_+",
            "1234567890ab",
            "abcabcabcabc",
            "passwordpassword",
            "qwertyasdfgh",
            "1qaz2wsx3edc",
            "zaq12wsxcde3",
            "monkeydragon",
            "dragon2024monkey",
            "Sunshine Football 99",
            "pass word 12345",
            "letmein-letmein",
            "@dministrator1",
            "$ecret$ecret12",
            "aaaaaaaaaaaa",
            "Superman!!!!",
            "zyxwvutsrqpo",
            "9876543210zz",
            "mypassword2000",
            "hahahahahaha",
            "asdfghjkl;'1",
        ] {
            assert!(is_common(password), "{password} passed");
        }
    }

    #[test]
    fn passphrases_and_random_passwords_pass() {
        for password in [
            "correct horse battery staple",
            "correcthorsebatterystaple",
            "Tr0ub4dor&3 is long enough",
            "k9x2m7q4z8w1",
            "83!72#91@4x5",
            "purple kettle on a cold moor",
            "my cat eats olives at noon",
            "xkcd936 was right after all",
            "Zebras jog quietly past 7 vans",
            "mqk4-vp2r-tz8n",
        ] {
            assert!(!is_common(password), "{password} refused");
        }
    }

    #[test]
    fn the_policy_reports_one_code_per_failure() {
        let code = |password: &str, account: Option<&str>| {
            policy(password, account)
                .err()
                .map(|invalid| invalid.code())
        };
        assert_eq!(code("short", None), Some("password_too_short"));
        assert_eq!(code("ünïcödé1234", None), Some("password_too_short"));
        assert_eq!(code(&"a1".repeat(65), None), Some("password_too_long"));
        assert_eq!(code(&"xkcd ".repeat(25), None), Some("password_common"));
        assert_eq!(code("qwertyuiop123", None), Some("password_common"));
        assert_eq!(code("correct horse battery staple", None), None);
        let email = Some("Ada.Lovelace@Example.com");
        assert_eq!(
            code("ada.lovelace@example.com", email),
            Some("password_like_account")
        );
        assert_eq!(code("ADA.LOVELACE", email), Some("password_like_account"));
        assert_eq!(
            code("adalovelace2024!", email),
            Some("password_like_account")
        );
        assert_eq!(
            code("lovelace-password", email),
            Some("password_like_account")
        );
        assert_eq!(code("correct horse battery staple", email), None);
        assert_eq!(code("correct horse battery staple", Some("")), None);
        // Characters count, not bytes: twelve of them pass the length rule.
        assert_eq!(code("ünïcödé kätzé", None), None);
    }

    #[test]
    fn the_lists_are_lowercase_letters_and_walks_are_found_both_ways() {
        for word in words::BASE_WORDS {
            assert!(
                !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase()),
                "{word}"
            );
        }
        let chars: Vec<char> = "poiuytrewq".chars().collect();
        assert_eq!(walk_end(&chars, 0), chars.len());
        assert_eq!(strip_ends("2024!!pass!1"), "pass");
        assert_eq!(strip_ends("!!!!"), "");
        assert_eq!(strip_ends("a1b"), "a1b");
        let chars: Vec<char> = "xabababy".chars().collect();
        assert_eq!(period_end(&chars, 2)[1], 7);
    }
}
