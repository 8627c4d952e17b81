use std::collections::{BTreeMap, HashMap};

use palisade::{validate::Invalid, Sanitized};

fn no_admin(value: &str) -> Result<(), Invalid> {
    if value == "admin" {
        return Err(Invalid::new("reserved", "this name is reserved"));
    }
    Ok(())
}

fn drop_digits(value: &mut String) {
    value.retain(|c| !c.is_ascii_digit());
}

#[derive(Sanitized)]
struct Address {
    #[validate(length(min = 1, max = 100))]
    street: String,
}

#[derive(Sanitized)]
struct Everything {
    #[clean(trim, lowercase, nfc, nfkc, strip_control, strip_invisible, collapse_whitespace)]
    #[validate(email, length(max = 254))]
    email: String,
    #[clean(uppercase, strip_control(keep_newlines), custom = drop_digits)]
    #[validate(length(min = 1, max = 64, chars), custom = no_admin, non_control_character)]
    name: String,
    #[clean(escape_html)]
    #[validate(length(max = 1024, bytes), contains = "a", does_not_contain = "<")]
    plain: String,
    #[clean(html)]
    #[validate(length(min = 1, max = 20_000))]
    rich: String,
    #[validate(url, length(max = 2048))]
    homepage: Option<String>,
    #[validate(url(schemes = ["https", "mailto"]), length(max = 2048))]
    contact: String,
    #[validate(ip, length(max = 45))]
    ip_any: String,
    #[validate(ip(v4), length(max = 15))]
    ip4: String,
    #[validate(ip(v6), length(max = 45))]
    ip6: String,
    #[validate(regex = "^[a-z]+$", length(max = 10))]
    slug: String,
    #[validate(regex(pattern = "^[0-9]+$"), length(equal = 5))]
    zip: String,
    #[validate(one_of = ["free", "pro"], length(max = 4))]
    plan: String,
    #[validate(one_of = [1, 2, 3])]
    level: u8,
    #[validate(range(min = 0, max = 150))]
    age: u8,
    #[validate(range(exclusive_min = 0.0, exclusive_max = 1.0))]
    ratio: f32,
    #[validate(required, range(min = -5))]
    offset: Option<i64>,
    #[validate(length(max = 128))]
    password: palisade::SecretString,
    #[validate(must_match = password, length(max = 128))]
    password_again: palisade::SecretString,
    #[validate(credit_card, length(max = 19))]
    card: String,
    #[validate(dive)]
    address: Address,
    #[validate(dive, length(max = 3))]
    more_addresses: Vec<Address>,
    #[validate(length(max = 3), each(length(max = 3), each(length(max = 8))))]
    grid: Vec<Vec<String>>,
    #[validate(length(max = 3), keys(length(max = 8)), each(length(max = 8)))]
    labels: HashMap<String, String>,
    #[validate(length(max = 3), each(dive))]
    by_id: BTreeMap<u32, Address>,
    #[validate(each(length(max = 8)))]
    pair: [String; 2],
    #[validate(skip(reason = "any boolean is acceptable"))]
    newsletter: bool,
}

fn main() {}
