use std::borrow::Cow;
use std::collections::{BinaryHeap, LinkedList};
use std::ffi::OsString;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use palisade::{validate::Invalid, Sanitized};

const MAX_NAME: usize = 32;

/// Bounds that reach the attribute through a `macro_rules!` fragment arrive in an invisible
/// group; they are constants all the same.
macro_rules! named {
    ($name:ident, $max:expr) => {
        #[derive(Sanitized)]
        struct $name {
            #[validate(length(min = 1, max = $max))]
            name: String,
        }
    };
}
named!(Label, MAX_NAME);

#[derive(Sanitized)]
struct Files {
    #[validate(length(max = 4096, bytes))]
    path: PathBuf,
    #[validate(length(max = 255))]
    os_name: OsString,
    #[validate(length(max = 1024))]
    blob: Box<[u8]>,
    #[validate(length(max = 64), email)]
    owner: Arc<str>,
    #[validate(length(max = 8), each(length(max = 16)))]
    tags: Rc<Vec<String>>,
    #[validate(length(max = 32))]
    title: Cow<'static, str>,
    #[validate(length(max = 8), each(length(max = 16)))]
    history: LinkedList<String>,
    #[validate(length(max = 8), each(range(max = 100)))]
    scores: BinaryHeap<u32>,
    #[validate(length(max = 8), each(dive))]
    labels: Box<[Label]>,
}

struct Reserved(Vec<String>);

fn not_reserved(name: &str, reserved: &Reserved) -> Result<(), Invalid> {
    if reserved.0.iter().any(|r| r == name) {
        return Err(Invalid::new("reserved", "this name is reserved"));
    }
    Ok(())
}

/// A type with a context dives into types that need none.
#[derive(Sanitized)]
#[validate(context = Reserved)]
struct Folder {
    #[validate(length(max = 32), custom(function = not_reserved, with_context))]
    name: String,
    #[validate(dive)]
    label: Label,
    #[validate(length(max = 4), each(dive))]
    files: Vec<Files>,
}

#[allow(deprecated)]
fn main() {
    let folder = Folder {
        name: "docs".into(),
        label: Label { name: "a".into() },
        files: Vec::new(),
    };
    let _ = folder.validate_with(&Reserved(vec!["root".into()]));
}
