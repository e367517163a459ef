//! Rust names for schema names, property names and enum values.
//!
//! Every function here is total: any input string, however odd, gives a
//! valid identifier, and [`NameSet`] makes names unique in a deterministic way.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers (strict and reserved keywords of Rust 2021).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct",
    "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Type names the generated code itself uses unqualified; a schema with one
/// of these names would shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &["Option", "Result", "Vec", "String", "Box", "BTreeMap", "Some", "None", "Ok", "Err", "Serialize", "Deserialize", "Base64Bytes"];

/// Keeps the characters an identifier may hold; the others become separators.
/// (`is_alphanumeric` would keep `²` and `Ⓐ`, which no identifier may contain.)
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c != '_' && unicode_ident::is_xid_continue(c) { c } else { ' ' }).collect()
}

/// Whether `name` cannot start an identifier as it is: a digit, or a mark such as U+0301.
fn needs_leading_letter(name: &str) -> bool {
    name.chars().next().is_some_and(|c| !unicode_ident::is_xid_start(c))
}

/// A PascalCase type name: `ColumnSchema-Output` -> `ColumnSchemaOutput`.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Type".to_string();
    }
    if needs_leading_letter(&name) {
        name = format!("Type{name}");
    }
    if KEYWORDS.contains(&name.as_str()) || RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// A snake_case field or method name: `foo-bar` -> `foo_bar`, `type` -> `type_`.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "field".to_string();
    }
    if needs_leading_letter(&name) {
        name = format!("_{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// An enum variant name for a wire value: `1024x1024` -> `V1024x1024`, `""` -> `Empty`.
pub fn variant_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_string();
    }
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = symbol_name(raw);
    }
    if needs_leading_letter(&name) {
        name = format!("V{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push_str("Value");
    }
    name
}

/// A name for a value made only of symbols, such as `+` or `-`.
fn symbol_name(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '+' => "Plus",
            '-' => "Minus",
            '*' => "Star",
            '/' => "Slash",
            '.' => "Dot",
            '=' => "Equals",
            '<' => "Less",
            '>' => "Greater",
            '!' => "Bang",
            '?' => "Question",
            '@' => "At",
            '#' => "Hash",
            '$' => "Dollar",
            '%' => "Percent",
            '&' => "And",
            '_' => "Underscore",
            ' ' => "Space",
            _ => "Symbol",
        })
        .collect()
}

/// Hands out unique names: the first asker keeps a name, later ones get `2`, `3`, ...
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    used: HashSet<String>,
}

impl NameSet {
    pub fn claim(&mut self, wanted: &str, separator: &str) -> String {
        if self.used.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        (2..)
            .map(|n| format!("{wanted}{separator}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            // The range is unbounded and the set finite, so a free name always exists.
            .unwrap_or_default()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("ColumnSchema-Output"), "ColumnSchemaOutput");
        assert_eq!(type_name("snake_name"), "SnakeName");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(type_name("1st"), "Type1st");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("@@"), "Type");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("foo-bar"), "foo_bar");
        assert_eq!(field_name("@context"), "context");
        assert_eq!(field_name("1st"), "_1st");
        assert_eq!(field_name("Foo"), "foo");
        assert_eq!(field_name("self"), "self_");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("1024x1024"), "V1024x1024");
        assert_eq!(variant_name("a b"), "AB");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name("gpt-4o-mini"), "Gpt4oMini");
    }

    #[test]
    fn characters_no_identifier_may_hold_are_dropped() {
        assert_eq!(type_name("x²"), "X");
        assert_eq!(field_name("Ⓐ½"), "field");
        for odd in ["\u{301}a", "\u{301}", "١٢", "a\u{200d}b", "Ⅻ", "🦀", "_", "__x"] {
            for name in [type_name(odd), field_name(odd), variant_name(odd)] {
                assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{odd:?} gave {name:?}");
            }
        }
        assert_eq!(variant_name("²"), "Symbol");
        assert_eq!(type_name("Größe"), "Größe");
    }

    #[test]
    fn collisions_get_numbered() {
        let mut names = NameSet::default();
        assert_eq!(names.claim("A", ""), "A");
        assert_eq!(names.claim("A", ""), "A2");
        assert_eq!(names.claim("A", ""), "A3");
    }
}
