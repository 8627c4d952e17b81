#![allow(missing_docs)]
use palisade::Sanitized;

#[derive(Sanitized)]
struct Address {
    #[validate(email, length(max = 10000))]
    address: String,
}

const TESTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpora/email/test/tests.xml");

#[test]
fn measure() {
    let xml = std::fs::read_to_string(TESTS).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    for test in doc.descendants().filter(|n| n.has_tag_name("test")) {
        let id = test.attribute("id").unwrap();
        let get = |tag: &str| test.children().find(|c| c.has_tag_name(tag)).and_then(|c| c.text()).unwrap_or("").to_owned();
        let address: String = get("address").chars().map(|c| if ('\u{2400}'..='\u{241f}').contains(&c) { char::from_u32(c as u32 - 0x2400).unwrap() } else { c }).collect();
        let ok = Address { address: address.clone() }.validate().is_ok();
        println!("{id}\t{}\t{}\t{}\t{:?}", get("category"), get("diagnosis"), if ok {"ACCEPT"} else {"reject"}, address);
    }
}
#[test]
fn measure2() {
    for a in ["a@b\r\nBcc: victim@example.com[1.2.3.4]", "a@<script>alert(1)</script>[::1]", "a@ [1.2.3.4]", "a@x\n[1.2.3.4]", "te..st@iana.org", "a@[::1]", "a@[1.2.3.4]x"] {
        println!("M2 {a:?} {}", Address { address: a.into() }.validate().is_ok());
    }
}
