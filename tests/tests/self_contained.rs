//! The repository stands on its own: no test, build script, manifest or source file reads a
//! path outside it. `.ci/run` proves the same at run time by hiding the shared folder beside the
//! repository from the test run; this test catches the mistake on any machine, before it
//! reaches CI.
//!
//! Every string literal holding `..` is resolved the two ways a path can be meant — from the
//! file's folder (`include!`, `#[path]`, `include_str!`) and from its package's folder (a test's
//! working directory) — and must name something that exists inside the repository one way or
//! the other. An absolute path into the work area is refused outright.

use std::path::{Component, Path, PathBuf};

/// Folders that hold no code of ours: build output, git's own files, and the copied data.
const SKIPPED: &[&str] = &["target", ".git", "corpora"];

/// Files whose text is code, build settings or scripts that run in CI.
fn is_code(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("rs" | "toml" | "py" | "sh" | "yml" | "yaml" | "json")
    ) || name == "run"
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the repository")
        .to_path_buf()
}

fn code_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIPPED.contains(&name.as_str()) {
                code_files(&path, found);
            }
        } else if is_code(&path) {
            found.push(path);
        }
    }
}

/// The nearest folder at or above `file` with a `Cargo.toml`: where a test of it runs.
fn package_of(file: &Path, root: &Path) -> PathBuf {
    let mut dir = file.parent().unwrap();
    while dir != root && !dir.join("Cargo.toml").exists() {
        dir = dir.parent().unwrap();
    }
    dir.to_path_buf()
}

/// `base/relative` with `.` and `..` folded, without touching the file system.
fn resolve(base: &Path, relative: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::ParentDir => {
                path.pop();
            }
            Component::Normal(part) => path.push(part),
            _ => {}
        }
    }
    path
}

/// The quoted strings of one line that hold a parent-folder step.
fn parent_paths(line: &str) -> Vec<&str> {
    line.split('"')
        .skip(1)
        .step_by(2)
        .filter(|literal| literal.contains("../"))
        .collect()
}

/// What is wrong with one literal found in `file`, if anything.
fn outside(root: &Path, file: &Path, literal: &str) -> Option<String> {
    // A literal may start with text before the path, as in `concat!(dir, "/../x")`: take the
    // path from its first `..` step.
    let from = literal.find("..").unwrap_or(0);
    let relative = literal[from..].trim_start_matches('/');
    let candidates = [
        resolve(file.parent().unwrap(), relative),
        resolve(&package_of(file, root), relative),
    ];
    let inside = candidates
        .iter()
        .any(|candidate| candidate.starts_with(root) && candidate.exists());
    (!inside).then(|| format!("{literal:?} names nothing inside the repository"))
}

#[test]
fn no_file_reads_outside_the_repository() {
    let root = repository();
    let mut files = Vec::new();
    code_files(&root, &mut files);
    assert!(files.len() > 50, "the walk found the code: {}", files.len());
    let this_file = Path::new(file!()).file_name().unwrap();
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap();
        // The CI script may hand the dependency gate the advisory snapshot beside the clone.
        if relative == Path::new(".ci/run") || file.file_name() == Some(this_file) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            let at = format!("{}:{}", relative.display(), index + 1);
            if line.contains("shared/corpora") || line.contains("/work/") {
                problems.push(format!("{at}: names a folder outside the repository"));
            }
            for literal in parent_paths(line) {
                if let Some(problem) = outside(&root, file, literal) {
                    problems.push(format!("{at}: {problem}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_check_sees_a_path_that_leaves_the_repository() {
    let root = repository();
    let file = root.join("tests/tests/auth.rs");
    // Built, not written, so that a search for paths to the folder beside the repository
    // finds no test input.
    let beside = format!("../../{}", "shared/corpora");
    assert!(outside(&root, &file, &beside).is_some());
    assert!(outside(&root, &file, &format!("/{beside}/xss/x.txt")).is_some());
    assert!(outside(&root, &file, "../../README.md").is_none());
    assert!(outside(&root, &file, "../testkit/corpora").is_none());
    assert_eq!(
        parent_paths(r#"concat!(a, "/../x", "y", "../z")"#),
        ["/../x", "../z"]
    );
}

/// The headings of the repository's `DESIGN.md`.
fn design_headings(root: &Path) -> Vec<String> {
    std::fs::read_to_string(root.join("DESIGN.md"))
        .expect("DESIGN.md is in the repository")
        .lines()
        .filter_map(|line| line.strip_prefix('#'))
        .map(|heading| heading.trim_start_matches('#').trim().to_owned())
        .collect()
}

/// The sections one line refers to: `DESIGN.md G1, G9` names `G1` and `G9`, and
/// `DESIGN.md "Secure defaults at run time"` names that heading.
fn design_references(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices("DESIGN.md") {
        let rest = line[at + "DESIGN.md".len()..].trim_start();
        if let Some(quoted) = rest.strip_prefix('"') {
            if let Some((name, _)) = quoted.split_once('"') {
                found.push(name.to_owned());
            }
            continue;
        }
        for word in rest.split([',', ' ', ')', '.', ':']) {
            match word.strip_prefix('G') {
                Some(number)
                    if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    found.push(word.to_owned());
                }
                _ if word.is_empty() => {}
                _ => break,
            }
        }
    }
    found
}

#[test]
fn every_design_reference_names_a_section() {
    let root = repository();
    let headings = design_headings(&root);
    let mut files = Vec::new();
    code_files(&root, &mut files);
    files.push(root.join("README.md"));
    let mut references = 0;
    let mut problems = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            for section in design_references(line) {
                references += 1;
                let resolves = headings.iter().any(|heading| {
                    heading == &section || heading.starts_with(&format!("{section} "))
                });
                if !resolves {
                    let at = file.strip_prefix(&root).unwrap().display();
                    problems.push(format!("{at}:{}: no section {section:?}", index + 1));
                }
            }
        }
    }
    assert!(references > 10, "the references were found: {references}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn design_references_are_read_as_written() {
    assert_eq!(
        design_references("//! (DESIGN.md G1, G9): the gate"),
        ["G1", "G9"]
    );
    assert_eq!(
        design_references(r#"(DESIGN.md "Secure defaults at run time", G6)"#),
        ["Secure defaults at run time"]
    );
    assert!(design_references("see DESIGN.md for more").is_empty());
}
