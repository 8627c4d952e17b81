//! The public attack and conformance corpora carried in `testkit/corpora/` (each folder with its
//! `SOURCE.md`: upstream repository, commit, path and licence).
//!
//! Each line of a payload file is one payload, read as bytes with every `\r` removed (some
//! files have CRLF line ends, which must not turn into payload bytes) and decoded as lossy
//! UTF-8: `sqli/FUZZDB_MSSQL_Enumeration.txt` is Latin-1, and its odd bytes become U+FFFD,
//! which is still hostile enough text and cannot hide markup. Empty lines are not payloads, and
//! neither `LICENSE` files nor `SOURCE.md` are payload files.

use std::path::{Path, PathBuf};

/// The folder of the corpora, `testkit/corpora/` inside the repository, as an absolute path so
/// that it is found wherever the test runs from.
pub const CORPORA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora");

/// The whole text of one corpus file, such as `"email/test/tests.xml"`.
///
/// ```
/// let suite = palisade_testkit::corpus::text("secure-headers/ci/headers_add.json");
/// assert!(suite.contains("Strict-Transport-Security"));
/// ```
///
/// # Panics
///
/// When the file cannot be read or is not UTF-8: a test must not pass on a missing corpus.
pub fn text(path: &str) -> String {
    let file = Path::new(CORPORA).join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// One payload and where it came from, so that a failure names `folder/file:line`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// `folder/file:line`, such as `sqli/Generic_Fuzz.txt:3`.
    pub origin: String,
    /// The line's text.
    pub text: String,
}

/// Every payload of every file in `CORPORA/folder`, files in name order, lines in file order.
///
/// ```
/// let payloads = palisade_testkit::corpus::payloads("sqli");
/// assert!(payloads.iter().all(|p| p.origin.starts_with("sqli/") && !p.text.contains('\r')));
/// ```
///
/// # Panics
///
/// When the folder cannot be read or holds no payload file: a test must not pass vacuously on
/// a missing corpus.
pub fn payloads(folder: &str) -> Vec<Payload> {
    let dir = Path::new(CORPORA).join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file() && !is_about_the_corpus(path))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no payload files in {}", dir.display());
    files.iter().flat_map(|file| read(folder, file)).collect()
}

/// The payloads of one file of the corpora, such as `sqli/Auth_Bypass.txt`.
///
/// ```
/// let payloads = palisade_testkit::corpus::file_payloads("sqli/Auth_Bypass.txt");
/// assert!(payloads.len() > 10 && payloads[0].origin == "sqli/Auth_Bypass.txt:1");
/// ```
///
/// # Panics
///
/// When the file cannot be read.
pub fn file_payloads(path: &str) -> Vec<Payload> {
    let (folder, _) = path.rsplit_once('/').unwrap_or(("", path));
    read(folder, &Path::new(CORPORA).join(path))
}

/// Each non-empty line of `file`, without `\r`, as lossy UTF-8.
fn read(folder: &str, file: &Path) -> Vec<Payload> {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let name = file.file_name().expect("file name").to_string_lossy();
    let mut payloads = Vec::new();
    for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line: Vec<u8> = line.iter().copied().filter(|&b| b != b'\r').collect();
        if line.is_empty() {
            continue;
        }
        payloads.push(Payload {
            origin: format!("{folder}/{name}:{}", index + 1),
            text: String::from_utf8_lossy(&line).into_owned(),
        });
    }
    payloads
}

/// The licence and the provenance note of a folder are not payloads.
fn is_about_the_corpus(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with("LICENSE") || name == "SOURCE.md")
}

#[cfg(test)]
mod tests {
    use super::payloads;

    #[test]
    fn lines_are_payloads_without_carriage_returns_or_licences() {
        let sqli = payloads("sqli");
        // `Generic_Fuzz.txt` has CRLF line ends, and the Latin-1 file has bytes that are not
        // UTF-8: neither may leak a `\r` into a payload nor stop the reading.
        assert!(
            sqli.iter()
                .any(|p| p.origin.starts_with("sqli/Generic_Fuzz.txt:"))
        );
        assert!(sqli.iter().any(|p| p.text.contains('\u{FFFD}')));
        assert!(
            sqli.iter()
                .all(|p| !p.text.is_empty() && !p.text.contains(['\r', '\n']))
        );
        assert!(
            sqli.iter()
                .all(|p| !p.origin.contains("LICENSE") && !p.origin.contains("SOURCE"))
        );
        assert_eq!(sqli[0].origin, "sqli/Auth_Bypass.txt:1");
    }

    #[test]
    #[should_panic(expected = "cannot read")]
    fn a_missing_folder_is_an_error_not_an_empty_corpus() {
        payloads("no-such-corpus");
    }
}
