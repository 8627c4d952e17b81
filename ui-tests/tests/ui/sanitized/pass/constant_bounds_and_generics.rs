use palisade::Sanitized;

const MAX_TITLE: usize = 200;
const MAX_ITEMS: usize = 50;

#[derive(Sanitized)]
struct Item {
    #[validate(length(min = 1, max = MAX_TITLE))]
    title: String,
}

#[derive(Sanitized)]
struct Page<T: Sanitized<Context = ()>> {
    #[validate(dive, length(max = MAX_ITEMS))]
    items: Vec<T>,
    #[validate(range(min = 1, max = 1000))]
    page_size: u16,
}

fn main() {
    catalog();
    let page = Page { items: vec![Item { title: "a".into() }], page_size: 10 };
    assert!(page.validate().is_ok());
}

/// A generic container needs no bound that names palisade's internals: its `Sanitized` impl
/// exists where the nested values are validated.
#[derive(Sanitized)]
struct Catalog<V> {
    #[validate(length(max = 10), keys(length(max = 8)), each(dive))]
    entries: std::collections::BTreeMap<String, V>,
}

fn catalog() {
    let mut entries = std::collections::BTreeMap::new();
    entries.insert(String::from("a"), Item { title: "b".into() });
    let catalog = Catalog { entries };
    assert!(catalog.validate().is_ok());
}
