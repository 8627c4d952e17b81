use palisade::Sanitized;

#[derive(Sanitized)]
struct Email(#[clean(trim)] #[validate(email, length(max = 254))] String);

#[derive(Sanitized)]
struct Point(#[validate(range(min = 0))] i32, #[validate(range(min = 0))] i32);

#[derive(Sanitized)]
struct Unit;

#[derive(Sanitized)]
enum Contact {
    Email(#[validate(dive)] Email),
    Phone {
        #[validate(regex = r"^\+[0-9]{6,15}$", length(max = 16))]
        number: String,
    },
    None,
}

#[derive(Sanitized)]
enum Never {}

fn main() {}
