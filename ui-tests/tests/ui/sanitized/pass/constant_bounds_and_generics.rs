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
    let page = Page { items: vec![Item { title: "a".into() }], page_size: 10 };
    assert!(page.validate().is_ok());
}
