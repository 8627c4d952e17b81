use palisade::{validate::Invalid, Sanitized};

/// Aliases hide what a type holds: the derive cannot see that these grow.
type Name = String;
type Notes = Vec<String>;

fn any_json(_: &serde_json::Value) -> Result<(), Invalid> {
    Ok(())
}

#[derive(Sanitized)]
struct Profile {
    #[validate(custom(function = any_json))]
    extra: serde_json::Value,
    #[validate(required)]
    nickname: Option<Name>,
    #[validate(length(max = 10))]
    notes: Notes,
    #[validate(length(max = 10))]
    scores: Vec<serde_json::Value>,
}

fn main() {}
