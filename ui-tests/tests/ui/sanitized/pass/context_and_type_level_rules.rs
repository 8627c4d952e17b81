use palisade::{validate::Invalid, Sanitized};

struct Reserved(Vec<String>);

fn not_reserved(name: &str, reserved: &Reserved) -> Result<(), Invalid> {
    if reserved.0.iter().any(|r| r == name) {
        return Err(Invalid::new("reserved", "this name is reserved"));
    }
    Ok(())
}

fn ordered(window: &Window) -> Result<(), Invalid> {
    if window.from > window.to {
        return Err(Invalid::new("order", "`from` must come before `to`"));
    }
    Ok(())
}

#[derive(Sanitized)]
#[validate(context = Reserved, custom = ordered)]
struct Window {
    #[validate(range(max = 100))]
    from: u32,
    #[validate(range(max = 100))]
    to: u32,
    #[validate(length(max = 32), custom(function = not_reserved, with_context))]
    name: String,
    #[validate(dive)]
    inner: Option<Box<Inner>>,
}

#[derive(Sanitized)]
#[validate(context = Reserved)]
struct Inner {
    #[validate(length(max = 32), custom(function = not_reserved, with_context))]
    name: String,
}

fn main() {
    let window = Window { from: 1, to: 2, name: "x".into(), inner: None };
    let _ = window.validate_with(&Reserved(vec!["root".into()]));
}
