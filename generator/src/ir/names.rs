//! The naming authority: every Rust name the generated code takes from the
//! spec is made here, for schema names, property names and enum values, and
//! per namespace of the generated code ([`Namespace`]): client methods,
//! parameters and `Call` setters, the types of each module, cargo features.
//! Each namespace reserves the names the runtime and the emitters use there.
//!
//! Every function here is total: any input string, however odd, gives a
//! valid identifier, and [`NameSet`] makes names unique in a deterministic way.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be identifiers (strict and reserved keywords of Rust 2021).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Type names the generated code itself uses unqualified; a schema with one
/// of these names would shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "BTreeMap",
    "Some",
    "None",
    "Ok",
    "Err",
    "Serialize",
    "Deserialize",
    "Base64Bytes",
    ARRAY_LENGTH_PARAMETER,
];

/// The length parameter of the `From<[T; N]>` conversions of unions.
pub const ARRAY_LENGTH_PARAMETER: &str = "N";

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
    // Not only a digit: a letter without case (`日本`) would also start the
    // snake_case names of values, and a parameter or local named like a tuple
    // struct in scope does not compile (E0530). An uppercase letter first keeps
    // type names and value names apart.
    if !name.starts_with(char::is_uppercase) {
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
    // Clippy's `just_underscores_and_digits` refuses `_1` as a name (a property `"1"`).
    if name.chars().all(|c| c == '_' || c.is_ascii_digit()) {
        name = format!("field{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// An enum variant name for a wire value: `1024x1024` -> `V1024x1024`, `""` -> `Empty`,
/// `gpt-5.5-2026-04-23` -> `Gpt5_5_2026_04_23` (see `upper_camel_keeping_numbers`).
pub fn variant_name(raw: &str) -> String {
    if raw.is_empty() {
        return "Empty".to_string();
    }
    let mut name = upper_camel_keeping_numbers(&words(raw));
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

/// UpperCamelCase in which numbers that would run together stay apart:
/// heck makes `2026 04 23` into `20260423`, so an `_` goes between two words
/// where one ends and the next starts with a digit. rustc's
/// `non_camel_case_types` accepts an `_` between two characters without case.
fn upper_camel_keeping_numbers(spaced: &str) -> String {
    let mut name = String::new();
    for word in spaced.split_whitespace().map(ToUpperCamelCase::to_upper_camel_case) {
        let ends_in_digit = name.chars().next_back().is_some_and(|c| c.is_ascii_digit());
        if ends_in_digit && word.starts_with(|c: char| c.is_ascii_digit()) {
            name.push('_');
        }
        name.push_str(&word);
    }
    name
}

/// The words of an UpperCamelCase name: `ChatCompletionRequestMessage` ->
/// `Chat`, `Completion`, `Request`, `Message` (digits stay with their word).
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices().skip(1) {
        if c.is_uppercase() {
            words.push(&name[start..index]);
            start = index;
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

/// The names of a union's variants without the words they share with the
/// union's name at the start and the end, where the rest is still a name of
/// its own: in `ChatCompletionRequestMessage`, `ChatCompletionRequestSystemMessage`
/// becomes `System`. A variant keeps its full name when nothing would be left,
/// when the rest is no identifier, or when it would be the same as another
/// variant's name.
pub fn short_variant_names(union: &str, wanted: &[String]) -> Vec<String> {
    let union_words = camel_words(union);
    let short: Vec<Option<String>> = wanted
        .iter()
        .map(|name| {
            let words = camel_words(name);
            let prefix = words.iter().zip(&union_words).take_while(|(a, b)| a == b).count();
            let rest = &words[prefix..];
            let union_rest = &union_words[prefix.min(union_words.len())..];
            let suffix = rest.iter().rev().zip(union_rest.iter().rev()).take_while(|(a, b)| a == b).count();
            let rest = rest[..rest.len() - suffix].concat();
            let usable =
                !rest.is_empty() && rest != *name && !needs_leading_letter(&rest) && !KEYWORDS.contains(&rest.as_str());
            usable.then_some(rest)
        })
        .collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for (name, short) in wanted.iter().zip(&short) {
        *uses.entry(short.as_deref().unwrap_or(name)).or_default() += 1;
        if short.is_some() {
            // A short name must not be another variant's full name either.
            *uses.entry(name).or_default() += 1;
        }
    }
    wanted
        .iter()
        .zip(&short)
        .map(|(name, short)| match short {
            Some(short) if uses.get(short.as_str()) == Some(&1) => short.clone(),
            _ => name.clone(),
        })
        .collect()
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

/// Hands out unique names: the first asker keeps a name, later ones get `2`,
/// `3`, ... A counter per wanted name keeps this linear when thousands of
/// names collide (8,192 enum values that all map to one variant name).
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl NameSet {
    /// A set in which `taken` are already used (by the generated code itself).
    pub fn taking<S: Into<String>>(taken: impl IntoIterator<Item = S>) -> Self {
        NameSet { used: taken.into_iter().map(Into::into).collect(), next_suffix: HashMap::new() }
    }

    pub fn claim(&mut self, wanted: &str, separator: &str) -> String {
        if self.used.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        // `self_` + `_2` would be `self__2`, which is not snake case.
        let separator = if wanted.ends_with(separator) { "" } else { separator };
        let next = self.next_suffix.entry(wanted.to_string()).or_insert(2);
        loop {
            let candidate = format!("{wanted}{separator}{next}");
            *next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

/// The root of the client runtime (the `apigen-runtime` crate), which
/// `apigen crate --vendor-runtime` copies, with its modules inlined.
pub const RUNTIME: &str = include_str!("../../../runtime/src/lib.rs");
/// The runtime's `client` module, behind its `client` feature. The methods of
/// its `Client` and `Call` are read from it, so that one added there is
/// reserved here too (the generated `Client` and `Call` wrap them and reach
/// them through `Deref` or forward them).
pub const RUNTIME_CLIENT: &str = include_str!("../../../runtime/src/client.rs");
/// The runtime's `webhooks` module, which a vendored runtime inlines.
pub const RUNTIME_WEBHOOKS: &str = include_str!("../../../runtime/src/webhooks.rs");
/// The runtime's `server` module, which a vendored runtime inlines when the code has a server.
pub const RUNTIME_SERVER: &str = include_str!("../../../runtime/src/server.rs");
/// The runtime's `progress` module, which a vendored runtime inlines.
pub const RUNTIME_PROGRESS: &str = include_str!("../../../runtime/src/client/progress.rs");
/// The runtime's `json_path` module (where a JSON body failed to decode), which a vendored runtime inlines.
pub const RUNTIME_JSON_PATH: &str = include_str!("../../../runtime/src/client/json_path.rs");
/// The runtime's `unknown_fields` module, which a vendored runtime inlines.
pub const RUNTIME_UNKNOWN_FIELDS: &str = include_str!("../../../runtime/src/unknown_fields.rs");

/// The runtime's `Base64Bytes`, which a vendored runtime inlines when the models use it.
pub const RUNTIME_BASE64: &str = include_str!("../../../runtime/src/base64_bytes.rs");

/// The runtime's `de` module, which a vendored runtime inlines.
pub const RUNTIME_DE: &str = include_str!("../../../runtime/src/de.rs");
/// The `de` module's `tagged` module, which a vendored runtime inlines into it.
pub const RUNTIME_DE_TAGGED: &str = include_str!("../../../runtime/src/de/tagged.rs");

/// Reserved among type names: the `types` module once declared it (its
/// untagged unions' readers, now the runtime's), and names must stay stable.
pub const UNTAGGED_VARIANT_TYPE: &str = "UntaggedVariant";
/// The field of a struct that keeps the properties its schema does not declare.
pub const ADDITIONAL_PROPERTIES_FIELD: &str = "additional_properties";
/// The cargo feature of the runtime, the client and the HTTP dependencies.
pub const CLIENT_FEATURE: &str = "client";
/// The cargo feature that compiles every type of the spec.
pub const ALL_TYPES_FEATURE: &str = "all-types";
/// The cargo feature of the operations without a tag. They get a feature of
/// their own, not `client`'s: every tag feature turns `client` on, so with
/// them on `client` a user who asked for one tag would compile every
/// untagged operation too (31 of OpenAI's 288, with their types).
pub const UNTAGGED_FEATURE: &str = "untagged";

/// Methods of traits that a client or a call has (derived, blanket or
/// `Default`), which an inherent method of the same name would hide, and
/// those that clippy's `should_implement_trait` wants implemented as traits.
const TRAIT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "clone_into",
    "default",
    "fmt",
    "from",
    "to_owned",
    "to_string",
    "into",
    "try_into",
    "borrow",
    "borrow_mut",
    "type_id",
    "eq",
    "ne",
    "hash",
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "cmp",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "from_iter",
    "from_str",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// Methods the client emitter adds to a `Call`: pagination, the optional
/// body's setter, and the way to the runtime's call.
const GENERATED_CALL_METHODS: &[&str] = &["pages", "items", "body", "into_inner"];

/// Associated functions of a generated struct besides its setters (its
/// constructor), and methods of traits it implements that generated code
/// calls with method or path syntax, which an inherent setter would shadow.
const STRUCT_METHODS: &[&str] = &["new", "from", "try_from", "serialize", "deserialize"];

/// Prefixes of method names that clippy's `wrong_self_convention` wants to
/// borrow `self` or take none; a struct's setters take it by value.
const SELF_CONVENTION_PREFIXES: &[&str] = &["as_", "from_", "into_", "is_", "to_"];

/// The names a setter of a `Call` binds besides its parameter: the closure's `request`.
const SETTER_LOCALS: &[&str] = &["request"];

/// The methods of the runtime's `Client` and of its `Call`, read once.
struct RuntimeMethods {
    client: Vec<String>,
    call: Vec<String>,
}

fn runtime_methods() -> &'static RuntimeMethods {
    static METHODS: OnceLock<RuntimeMethods> = OnceLock::new();
    METHODS.get_or_init(|| {
        // The runtime is our own source and compiles as part of this crate's
        // tests; failing to parse it is a bug here, not something input can cause.
        let file: syn::File = syn::parse_str(RUNTIME_CLIENT).expect("the runtime's client.rs parses");
        let methods_of = |type_name: &str| -> Vec<String> {
            let impls = file.items.iter().filter_map(|item| match item {
                syn::Item::Impl(block) => Some(block),
                _ => None,
            });
            impls
                .filter(|block| matches!(&*block.self_ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == type_name)))
                .flat_map(|block| &block.items)
                .filter_map(|item| match item {
                    syn::ImplItem::Fn(function) => Some(function.sig.ident.to_string()),
                    _ => None,
                })
                .collect()
        };
        RuntimeMethods { client: methods_of("Client"), call: methods_of("Call") }
    })
}

/// The part of a split module that holds what several tags or none use (`types/common.rs`).
pub const COMMON_PART: &str = "common";

/// Names a part's module must not take: the modules it sits in or beside
/// (clippy's `module_inception`, `types::known`), and the crates the generated
/// code names, which a part re-exported into their modules would make ambiguous.
const PART_RESERVED: &[&str] = &[
    COMMON_PART,
    "known",
    "types",
    "forms",
    "params",
    "responses",
    "client",
    "runtime",
    "webhooks",
    "security_schemes",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "base64",
    "reqwest",
    "futures_util",
    "bytes",
    "percent_encoding",
    "tokio",
    "http",
    "hmac",
    "sha2",
];

/// The module of each part of a split module (see `crate::layout`): one a tag
/// feature, in the features' order, then [`COMMON_PART`].
pub fn part_modules(features: &[String]) -> Vec<String> {
    let mut names = Namespace::new(PART_RESERVED, "_tag", "_");
    features.iter().map(|feature| names.claim(&field_name(feature))).chain([COMMON_PART.to_string()]).collect()
}

/// One namespace of the generated code: the names the generated code itself
/// uses there are reserved, and a spec name that wants one gets `escape`
/// appended (`new` -> `new_`, `header` -> `header_param`); names taken
/// already are numbered after `separator`.
#[derive(Debug, Clone)]
pub struct Namespace {
    names: NameSet,
    reserved: HashSet<String>,
    escape: &'static str,
    separator: &'static str,
}

impl Namespace {
    fn new<S: AsRef<str>>(
        reserved: impl IntoIterator<Item = S>,
        escape: &'static str,
        separator: &'static str,
    ) -> Self {
        let reserved: HashSet<String> = reserved.into_iter().map(|name| name.as_ref().to_string()).collect();
        Namespace { names: NameSet::taking(reserved.iter().cloned()), reserved, escape, separator }
    }

    /// The methods of the generated `Client`: operations and their `_stream` twins.
    pub fn client_methods() -> Self {
        let runtime = &runtime_methods().client;
        Namespace::new(runtime.iter().map(String::as_str).chain(TRAIT_METHODS.iter().copied()), "_", "_")
    }

    /// The parameters of one operation: method arguments, and for optional
    /// ones the `Call` setters named after them (see [`Namespace::claim_parameter`]).
    pub fn parameters() -> Self {
        Namespace::new(SETTER_LOCALS, "_param", "_")
    }

    /// The chainable setters of one struct (`.temperature(0.2)`), named after
    /// their fields; `associated` are the struct's other associated functions.
    pub fn struct_setters(associated: &[String]) -> Self {
        let reserved = STRUCT_METHODS.iter().chain(TRAIT_METHODS).copied();
        Namespace::new(reserved.chain(associated.iter().map(String::as_str)), "", "_")
    }

    /// A setter's name: the field's, or `with_<field>` when that is taken or
    /// reads to clippy as a conversion (`is_default`, `to`).
    pub fn claim_setter(&mut self, field: &str) -> String {
        let plain =
            !self.reserved.contains(field) && !SELF_CONVENTION_PREFIXES.iter().any(|prefix| field.starts_with(prefix));
        let wanted = if plain { field.to_string() } else { format!("with_{field}") };
        self.names.claim(&wanted, self.separator)
    }

    /// Type names of one module of the generated code (`types`, `params`, `responses`).
    /// [`type_name`] already avoids the names every module uses; `types` adds its helpers'.
    pub fn types(module_helpers: &[&str]) -> Self {
        Namespace::new(module_helpers, "Type", "")
    }

    /// Methods of a generated type that are not operations (the server's
    /// `Server`): `reserved` are its own, trait methods are reserved too.
    pub fn server_methods(reserved: &[&str]) -> Self {
        Namespace::new(reserved.iter().chain(TRAIT_METHODS), "_", "_")
    }

    /// Cargo features: those the manifest declares itself are reserved.
    pub fn features() -> Self {
        Namespace::new([CLIENT_FEATURE, ALL_TYPES_FEATURE, UNTAGGED_FEATURE, "default", "full"], "-api", "-")
    }

    pub fn claim(&mut self, wanted: &str) -> String {
        let wanted =
            if self.reserved.contains(wanted) { format!("{wanted}{}", self.escape) } else { wanted.to_string() };
        self.names.claim(&wanted, self.separator)
    }

    /// A parameter's name; an optional parameter's is also a method of the
    /// operation's `Call`, so it must not be one of the runtime's.
    pub fn claim_parameter(&mut self, wanted: &str, setter: bool) -> String {
        let is_call_method = |name: &str| {
            runtime_methods().call.iter().any(|m| m == name)
                || GENERATED_CALL_METHODS.contains(&name)
                || TRAIT_METHODS.contains(&name)
        };
        if setter && is_call_method(wanted) {
            self.names.claim(&format!("{wanted}{}", self.escape), self.separator)
        } else {
            self.claim(wanted)
        }
    }

    /// The body argument: `body`, or `request_body` when a parameter has that name.
    pub fn claim_body(&mut self) -> String {
        if self.names.contains("body") {
            self.names.claim("request_body", self.separator)
        } else {
            self.claim("body")
        }
    }
}

/// The cargo feature of each tag, made valid where cargo and crates.io
/// agree (ASCII letters, digits, `-`, `_`; `+` and non-ASCII letters are
/// cargo's alone) and unique: `Fine-tuning` -> `fine-tuning`, `用户` -> `u7528-u6237`.
/// Tags that differ only in case or punctuation share a feature.
#[derive(Debug, Clone)]
pub struct TagFeatures {
    by_base: HashMap<String, String>,
    names: Namespace,
}

impl Default for TagFeatures {
    fn default() -> Self {
        TagFeatures { by_base: HashMap::new(), names: Namespace::features() }
    }
}

impl TagFeatures {
    pub fn feature(&mut self, tag: &str) -> String {
        let base = feature_base(tag);
        if let Some(feature) = self.by_base.get(&base) {
            return feature.clone();
        }
        let feature = self.names.claim(&base);
        self.by_base.insert(base, feature.clone());
        feature
    }
}

/// A tag in kebab case, each non-ASCII character written as its code point (`u7528`).
fn feature_base(tag: &str) -> String {
    let mut words = Vec::new();
    for word in tag.to_kebab_case().split('-') {
        let mut ascii = String::new();
        for c in word.chars() {
            if c.is_ascii_alphanumeric() {
                ascii.push(c);
            } else {
                if !ascii.is_empty() {
                    words.push(std::mem::take(&mut ascii));
                }
                words.push(format!("u{:x}", u32::from(c)));
            }
        }
        if !ascii.is_empty() {
            words.push(ascii);
        }
    }
    if words.is_empty() {
        "tag".to_string()
    } else {
        words.join("-")
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
        // The length of the unions' array conversions.
        assert_eq!(type_name("n"), "NType");
        assert_eq!(type_name("1st"), "Type1st");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("@@"), "Type");
    }

    #[test]
    fn type_names_never_spell_a_value_name() {
        // Letters without case start a snake_case name as they are.
        assert_eq!(type_name("日本"), "Type日本");
        assert_eq!(field_name("日本"), "日本");
        for raw in ["日本", "用户-id", "ŸÿŸ", "_x", "1st", "ǅemal", "Größe", "a", "\u{301}a", "١٢"] {
            assert_ne!(type_name(raw), field_name(raw), "{raw:?}");
            assert!(type_name(raw).starts_with(char::is_uppercase), "{raw:?} gave {}", type_name(raw));
        }
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("foo-bar"), "foo_bar");
        assert_eq!(field_name("@context"), "context");
        assert_eq!(field_name("1st"), "_1st");
        assert_eq!(field_name("1"), "field_1");
        assert_eq!(field_name("2-0"), "field_2_0");
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
        assert_eq!(variant_name("gpt-5.5-2026-04-23"), "Gpt5_5_2026_04_23");
        assert_eq!(variant_name("gpt-4o-2024-08-06"), "Gpt4o2024_08_06");
        assert_eq!(variant_name("v1 2"), "V1_2");
        assert_eq!(variant_name("1.5"), "V1_5");
    }

    fn short(union: &str, variants: &[&str]) -> Vec<String> {
        short_variant_names(union, &variants.iter().map(|v| v.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn variants_drop_the_words_they_share_with_the_union() {
        assert_eq!(
            short(
                "ChatCompletionRequestMessage",
                &["ChatCompletionRequestSystemMessage", "ChatCompletionRequestUserMessage", "String"]
            ),
            ["System", "User", "String"]
        );
        assert_eq!(short("InputItem", &["InputMessage", "ItemReference"]), ["Message", "ItemReference"]);
        assert_eq!(short("Tool", &["FunctionTool", "FileSearchTool"]), ["Function", "FileSearch"]);
    }

    #[test]
    fn variants_keep_their_names_where_the_rest_is_no_name_of_its_own() {
        // Nothing left, or a clash with another variant's short or full name.
        assert_eq!(short("Message", &["Message", "UserMessage"]), ["Message", "User"]);
        assert_eq!(short("Event", &["UserEvent", "UserEvent", "Other"]), ["UserEvent", "UserEvent", "Other"]);
        assert_eq!(short("Event", &["UserEvent", "User"]), ["UserEvent", "User"]);
        assert_eq!(short("Event", &["UserEvent", "AdminUser"]), ["User", "AdminUser"]);
        // A keyword, or a rest that cannot start an identifier.
        assert_eq!(short("Message", &["SelfMessage", "TypeMessage"]), ["SelfMessage", "Type"]);
        assert_eq!(short("Shape", &["Shape2d", "Shape3d"]), ["Shape2d", "Shape3d"]);
        assert_eq!(short("Größe", &["GrößeÄußere"]), ["Äußere"]);
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

    #[test]
    fn numbering_skips_names_taken_otherwise() {
        let mut names = NameSet::taking(["A2", "A4"]);
        assert_eq!(names.claim("A", ""), "A");
        assert_eq!(names.claim("A", ""), "A3");
        assert_eq!(names.claim("A", ""), "A5");
        assert_eq!(names.claim("A3", ""), "A32");
    }

    #[test]
    fn numbering_keeps_snake_case() {
        let mut names = NameSet::default();
        assert_eq!(names.claim(&field_name("self"), "_"), "self_");
        assert_eq!(names.claim(&field_name("Self"), "_"), "self_2");
        assert_eq!(names.claim("a", "_"), "a");
        assert_eq!(names.claim("a", "_"), "a_2");
    }

    #[test]
    fn the_runtimes_methods_are_read_from_it() {
        let methods = runtime_methods();
        for method in ["new", "call", "base_url", "with_bearer_token", "with_hook"] {
            assert!(methods.client.iter().any(|m| m == method), "{method}");
        }
        for method in ["header", "send", "map_request", "paginate", "paginate_items", "into_future"] {
            assert!(methods.call.iter().any(|m| m == method), "{method}");
        }
    }

    #[test]
    fn client_methods_avoid_the_runtimes() {
        let mut methods = Namespace::client_methods();
        assert_eq!(methods.claim("list_files"), "list_files");
        assert_eq!(methods.claim("new"), "new_");
        assert_eq!(methods.claim("new_"), "new_2");
        assert_eq!(methods.claim("with_bearer_token"), "with_bearer_token_");
        assert_eq!(methods.claim("clone"), "clone_");
        assert_eq!(methods.claim("x_stream"), "x_stream");
        assert_eq!(methods.claim("x_stream"), "x_stream_2");
    }

    #[test]
    fn setters_avoid_call_methods_and_locals() {
        let mut parameters = Namespace::parameters();
        assert_eq!(parameters.claim_parameter("header", false), "header");
        assert_eq!(parameters.claim_parameter("header", true), "header_param");
        assert_eq!(parameters.claim_parameter("header_param", true), "header_param_2");
        assert_eq!(parameters.claim_parameter("paginate", true), "paginate_param");
        assert_eq!(parameters.claim_parameter("pages", true), "pages_param");
        assert_eq!(parameters.claim_parameter("request", false), "request_param");
        assert_eq!(parameters.claim_parameter("limit", true), "limit");
        assert_eq!(parameters.claim_body(), "body");

        let mut parameters = Namespace::parameters();
        assert_eq!(parameters.claim_parameter("body", false), "body");
        assert_eq!(parameters.claim_parameter("request_body", false), "request_body");
        assert_eq!(parameters.claim_body(), "request_body_2");
    }

    #[test]
    fn setters_avoid_the_structs_functions_and_conversion_names() {
        let mut setters = Namespace::struct_setters(&["default_model".to_string()]);
        assert_eq!(setters.claim_setter("temperature"), "temperature");
        assert_eq!(setters.claim_setter("new"), "with_new");
        assert_eq!(setters.claim_setter("clone"), "with_clone");
        assert_eq!(setters.claim_setter("serialize"), "with_serialize");
        assert_eq!(setters.claim_setter("default_model"), "with_default_model");
        assert_eq!(setters.claim_setter("is_default"), "with_is_default");
        assert_eq!(setters.claim_setter("to"), "to");
        assert_eq!(setters.claim_setter("to_"), "with_to_");
        assert_eq!(setters.claim_setter("with_new"), "with_new_2");
    }

    #[test]
    fn module_types_avoid_the_modules_helpers() {
        let mut types = Namespace::types(&[UNTAGGED_VARIANT_TYPE]);
        assert_eq!(types.claim(&type_name("UntaggedVariant")), "UntaggedVariantType");
        assert_eq!(types.claim(&type_name("Box")), "BoxType");
        assert_eq!(types.claim(&type_name("a_1")), "A1");
        assert_eq!(types.claim(&type_name("a1")), "A12");
    }

    #[test]
    fn tag_features_are_portable_and_unique() {
        let mut features = TagFeatures::default();
        assert_eq!(features.feature("Fine-tuning"), "fine-tuning");
        assert_eq!(features.feature("fine tuning"), "fine-tuning");
        assert_eq!(features.feature("用户"), "u7528-u6237");
        assert_eq!(features.feature("订单"), "u8ba2-u5355");
        assert_eq!(features.feature("Größe"), "gr-uf6-udf-e");
        assert_eq!(features.feature("client"), "client-api");
        assert_eq!(features.feature("Client"), "client-api");
        assert_eq!(features.feature("client-api"), "client-api-2");
        assert_eq!(features.feature("default"), "default-api");
        assert_eq!(features.feature("a.b+c"), "a-b-c");
        assert_eq!(features.feature("1st"), "1st");
        assert_eq!(features.feature("!!!"), "tag");
    }
}
