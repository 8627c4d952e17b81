//! What a field's type is, as far as its syntax shows: what parse, check and expand ask of
//! `Vec<String>` or `Option<HashMap<K, V>>`.

use syn::{GenericArgument, PathArguments, Type};

/// What a field's type holds, as far as its syntax shows; aliases and types of other crates
/// are not seen through.
pub enum Kind<'a> {
    /// Text: needs `length(max)`, counted in characters or bytes.
    Text,
    /// A byte buffer: needs `length(max)`, counted in bytes.
    Bytes,
    /// A growable collection of `T`: needs `length(max)`, and its elements need bounds.
    Sequence(&'a Type),
    /// A fixed-size array of `T`: its elements need bounds.
    Array(&'a Type),
    /// A map: needs `length(max)`, and its keys and values need bounds.
    Map(&'a Type, &'a Type),
    /// `Option<T>`: rules apply to the `T`.
    Optional(&'a Type),
    /// A tuple: its elements take no rules of their own.
    Tuple(Vec<&'a Type>),
    /// Anything else: a number, a nested type, a type the macro cannot see into.
    Other,
}

impl Kind<'_> {
    /// Whether a value of this kind can grow without limit unless `length(max)` bounds it.
    pub fn grows(&self) -> bool {
        matches!(
            self,
            Kind::Text | Kind::Bytes | Kind::Sequence(_) | Kind::Map(..)
        )
    }
}

pub fn kind_of(ty: &Type) -> Kind<'_> {
    match ty {
        Type::Group(group) => kind_of(&group.elem),
        Type::Paren(paren) => kind_of(&paren.elem),
        Type::Reference(reference) => kind_of(&reference.elem),
        Type::Slice(slice) if is_ident(&slice.elem, "u8") => Kind::Bytes,
        Type::Slice(slice) => Kind::Sequence(&slice.elem),
        Type::Array(array) => Kind::Array(&array.elem),
        Type::Tuple(tuple) if tuple.elems.is_empty() => Kind::Other,
        Type::Tuple(tuple) => Kind::Tuple(tuple.elems.iter().collect()),
        Type::Path(path) if path.qself.is_none() => {
            if ["str", "OsStr", "Path"]
                .iter()
                .any(|name| path.path.is_ident(name))
            {
                return Kind::Text;
            }
            let Some(last) = path.path.segments.last() else {
                return Kind::Other;
            };
            let args = type_args(&last.arguments);
            match (last.ident.to_string().as_str(), args.as_slice()) {
                ("String" | "OsString" | "PathBuf" | "SecretString", []) => Kind::Text,
                ("Bytes" | "BytesMut", []) => Kind::Bytes,
                ("Vec", [element]) if is_ident(element, "u8") => Kind::Bytes,
                ("Cow" | "Box" | "Arc" | "Rc", [inner]) => kind_of(inner),
                (
                    "Vec" | "VecDeque" | "LinkedList" | "BinaryHeap" | "HashSet" | "BTreeSet",
                    [element, ..],
                ) => Kind::Sequence(element),
                ("HashMap" | "BTreeMap", [key, value, ..]) => Kind::Map(key, value),
                ("Option", [inner]) => Kind::Optional(inner),
                _ => Kind::Other,
            }
        }
        _ => Kind::Other,
    }
}

/// The type inside any `Option`s.
pub fn unoptional(ty: &Type) -> &Type {
    match kind_of(ty) {
        Kind::Optional(inner) => unoptional(inner),
        _ => ty,
    }
}

fn type_args(arguments: &PathArguments) -> Vec<&Type> {
    match arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn is_ident(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident(name))
}
