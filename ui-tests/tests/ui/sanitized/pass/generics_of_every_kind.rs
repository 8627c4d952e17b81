//! Lifetimes, const parameters, `where` clauses, contexts and generic enums: the impls carry
//! the type's own generics, plus the bounds the fields need.

use palisade::{validate::Invalid, Sanitized};

struct Limits {
    banned: &'static str,
}

fn allowed(name: &str, limits: &Limits) -> Result<(), Invalid> {
    if name == limits.banned {
        Err(Invalid::new("banned", "is not allowed"))
    } else {
        Ok(())
    }
}

#[derive(Sanitized)]
struct Item {
    #[validate(range(max = 10))]
    count: u8,
}

#[derive(Sanitized)]
#[validate(context = Limits)]
struct Scoped<'a, T, const N: usize>
where
    T: Clone,
{
    #[validate(length(max = N), custom(function = allowed, with_context))]
    name: &'a str,
    #[validate(each(dive))]
    items: [T; N],
}

#[derive(Sanitized)]
enum Either<L, R> {
    Left(#[validate(dive)] L),
    Right {
        #[validate(length(max = 4), each(dive))]
        values: Vec<R>,
    },
}

#[derive(Clone, Sanitized)]
struct Tag {
    #[validate(length(max = 8))]
    label: String,
}

/// A recursive generic type names itself as `Self`.
#[derive(serde::Deserialize, Sanitized)]
struct Tree<T> {
    #[validate(length(max = 4), each(dive))]
    children: Vec<Self>,
    #[validate(dive)]
    value: T,
}

fn main() {
    let limits = Limits { banned: "root" };
    let scoped = Scoped {
        name: "al",
        items: [Tag { label: "a".into() }, Tag { label: "b".into() }],
    };
    assert!(scoped.validate_with(&limits).is_ok());
    let banned = Scoped::<'_, Tag, 1> {
        name: "root",
        items: [Tag { label: "far too long".into() }],
    };
    let errors = banned.validate_with(&limits).unwrap_err();
    let codes: Vec<_> = errors.iter().map(|e| (e.path().to_owned(), e.code())).collect();
    assert_eq!(
        codes,
        [
            ("name".to_owned(), "length"),
            ("name".to_owned(), "banned"),
            ("items[0].label".to_owned(), "length"),
        ]
    );

    let left: Either<Item, Tag> = Either::Left(Item { count: 11 });
    assert!(left.validate().is_err());
    let right: Either<Item, Tag> = Either::Right { values: vec![Tag { label: "x".into() }] };
    assert!(right.validate().is_ok());

    let tree = Tree { children: vec![Tree { children: vec![], value: Item { count: 11 } }], value: Item { count: 1 } };
    assert!(tree.validate().is_err());
}
