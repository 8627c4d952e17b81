//! Nested `Sanitized` types with `dive` (or a reasoned `skip`) compile, through options,
//! boxes, collections and maps; a type parameter is not probed.

use std::collections::HashMap;

use palisade::Sanitized;

#[derive(serde::Deserialize, Sanitized)]
struct Address {
    #[clean(trim)]
    #[validate(length(min = 1, max = 100))]
    street: String,
}

#[derive(serde::Deserialize, Sanitized)]
struct Order {
    #[validate(required, dive)]
    shipping: Option<Address>,
    #[validate(length(max = 3), dive)]
    stops: Vec<Address>,
    #[validate(length(max = 3), each(dive))]
    more_stops: Vec<Address>,
    #[validate(length(max = 3), keys(length(max = 20)), dive)]
    by_name: HashMap<String, Address>,
    #[validate(dive)]
    to: Box<Address>,
    #[validate(skip(reason = "the billing address is checked by the payment provider"))]
    billing: Address,
}

#[derive(serde::Deserialize, Sanitized)]
struct Page<T: palisade::validate::Bounded> {
    #[validate(skip(reason = "any item"))]
    item: T,
}

fn main() {
    let mut order = Order {
        shipping: Some(Address { street: "  a  ".into() }),
        stops: Vec::new(),
        more_stops: Vec::new(),
        by_name: HashMap::new(),
        to: Box::new(Address { street: "b".into() }),
        billing: Address { street: "c".into() },
    };
    order.sanitize_and_validate().unwrap();
    assert_eq!(order.shipping.unwrap().street, "a");
    let _ = std::mem::size_of::<Page<u8>>();
}
