//! Layout: the emitted module as a tree of files, between emit and format, so
//! that a large API reads as files of a tag each instead of one file of 130k lines.
//!
//! Every inline module at the top (`types`, `forms`, `params`, `responses`,
//! `runtime`, `webhooks`) becomes a file of its own. A module whose items
//! belong to several parts becomes a directory: `types/mod.rs` keeps the
//! items of no part (helpers) and declares a child module a part,
//! `types/chat.rs`, whose items it re-exports (`pub use chat::*`), so
//! `types::Foo` stays where it was. The client's methods and the impls of a
//! tag's calls go to `client/<part>.rs`. A part is a tag feature's: a type
//! goes where the one feature that uses it is (`TypeEntry::features`), an
//! operation's items where its one feature is; what several features use, or
//! none, goes to [`COMMON_PART`](crate::ir::names::COMMON_PART). Items moved a module down have their
//! relative paths (`super::types::Foo`, also in doc links) made one `super::` longer.
//!
//! Items are told apart by their first tokens only, without parsing them
//! (the formatter parses each item once, later): the plan names the items
//! of each part, as the IR named them.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::str::FromStr;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

use crate::ir::names::part_modules;
use crate::ir::Model;

/// How the generated module is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// One file, for build scripts that `include!` it (`include!` cannot pull in `mod x;` files).
    #[default]
    OneFile,
    /// A tree of files: the root, a file a top-level module, a part a tag (see [`crate::layout`]).
    Tree,
}

/// One file of a tree: its path relative to the root's directory (the root is `mod.rs`) and its tokens.
pub struct FileTokens {
    pub path: PathBuf,
    pub tokens: TokenStream,
}

/// The root file of a tree, relative to its directory.
pub const ROOT: &str = "mod.rs";

/// The part of each named item, from the IR's record of which features use what.
pub struct Plan {
    /// The module of each part: one a tag feature (indexed as [`Model::features`]), then the common part.
    parts: Vec<String>,
    /// Types (and multipart forms, which are types too) by name.
    types: HashMap<String, usize>,
    /// Client methods, call markers and response types by name.
    operations: HashMap<String, usize>,
}

impl Plan {
    pub fn new(model: &Model) -> Plan {
        let parts = part_modules(&model.features);
        let common = model.features.len();
        let types = model
            .types
            .entries
            .iter()
            .map(|entry| (entry.name.clone(), if let [one] = entry.features.as_slice() { *one } else { common }))
            .collect();
        let mut operations = HashMap::new();
        for operation in &model.operations {
            let part = match operation.features.as_slice() {
                [one] => model.features.iter().position(|feature| feature == one).unwrap_or(common),
                _ => common,
            };
            let names =
                [Some(&operation.method_name), operation.stream_method_name.as_ref(), operation.marker.as_ref()];
            let responses = [&operation.success_type_name, &operation.error_type_name];
            for name in names.into_iter().flatten().chain(responses) {
                operations.insert(name.clone(), part);
            }
        }
        Plan { parts, types, operations }
    }

    /// The part of an item of `module` (`None` at the root) named `name`, or whose impl header is `header`.
    fn part_of(&self, module: Option<&str>, item: &ItemHead) -> Option<usize> {
        let map = match module {
            Some("types" | "forms") => &self.types,
            Some("params" | "responses") => &self.operations,
            Some(_) => return None,
            None => return self.part_of_root_impl(item),
        };
        match item {
            ItemHead::Named(name) => map.get(name).copied(),
            // An impl goes with the type it is for.
            ItemHead::Impl(self_type) => self_type.iter().find_map(|ident| map.get(&ident.to_string()).copied()),
            ItemHead::Other => None,
        }
    }

    /// An impl at the root goes with the call marker (`params::M`) or else the type (`types::T`) it names.
    fn part_of_root_impl(&self, item: &ItemHead) -> Option<usize> {
        let ItemHead::Impl(self_type) = item else { return None };
        let qualified = |module: &'static str| {
            self_type.windows(2).filter(move |pair| pair[0] == module).map(|pair| pair[1].to_string())
        };
        let marker = qualified("params").find_map(|name| self.operations.get(&name).copied());
        marker.or_else(|| qualified("types").find_map(|name| self.types.get(&name).copied()))
    }
}

/// Cuts the tokens of a generated module into files (see [`crate::layout`]); the root comes first.
pub fn split(tokens: TokenStream, plan: &Plan) -> Vec<FileTokens> {
    let mut root = TokenStream::new();
    let mut files = Vec::new();
    let mut client_parts: BTreeMap<usize, TokenStream> = BTreeMap::new();
    for item in cut_items(tokens) {
        let head = ItemHead::of(&item);
        if let Some((header, body)) = inline_module(&item) {
            let name = header.last().map(TokenTree::to_string).unwrap_or_default();
            let declaration: TokenStream = header.iter().cloned().collect();
            root.extend(quote! { #declaration; });
            files.extend(module_files(&name, body, plan));
        } else if matches!(&head, ItemHead::Impl(self_type) if self_type.len() == 1 && self_type[0] == "Client") {
            // `impl Client { .. }`: each method goes with its operation.
            let (header, body) = braced(item);
            let mut by_part: BTreeMap<Option<usize>, TokenStream> = BTreeMap::new();
            for method in cut_items(body) {
                let part = match ItemHead::of(&method) {
                    ItemHead::Named(name) => plan.operations.get(&name).copied(),
                    _ => None,
                };
                by_part.entry(part).or_default().extend(method);
            }
            for (part, methods) in by_part {
                let block = quote! { #header { #methods } };
                match part {
                    Some(part) => client_parts.entry(part).or_default().extend(block),
                    None => root.extend(block),
                }
            }
        } else {
            match plan.part_of(None, &head) {
                Some(part) => client_parts.entry(part).or_default().extend(item),
                None => root.extend(item),
            }
        }
    }
    if !client_parts.is_empty() {
        let modules = client_parts.keys().map(|part| Ident::new(&plan.parts[*part], Span::call_site()));
        root.extend(quote! {
            /// The client's operations, a file a tag.
            mod client {
                #(mod #modules;)*
            }
        });
        for (part, items) in client_parts {
            let path = PathBuf::from("client").join(format!("{}.rs", plan.parts[part]));
            files.push(FileTokens { path, tokens: part_file(items, 2) });
        }
    }
    files.insert(0, FileTokens { path: PathBuf::from(ROOT), tokens: root });
    files
}

/// The file of a top-level module, or its directory of parts when its items belong to several.
fn module_files(name: &str, body: TokenStream, plan: &Plan) -> Vec<FileTokens> {
    let (inner_attributes, items) = inner_attributes(body);
    let items: Vec<(Option<usize>, Vec<TokenTree>)> =
        cut_items(items).into_iter().map(|item| (plan.part_of(Some(name), &ItemHead::of(&item)), item)).collect();
    let mut parts: BTreeMap<usize, TokenStream> = BTreeMap::new();
    for (part, item) in &items {
        if let Some(part) = part {
            parts.entry(*part).or_default().extend(item.iter().cloned());
        }
    }
    if parts.len() < 2 {
        let mut tokens = inner_attributes;
        tokens.extend(items.into_iter().flat_map(|(_, item)| item));
        return vec![FileTokens { path: PathBuf::from(format!("{name}.rs")), tokens }];
    }
    let mut own = inner_attributes;
    for part in parts.keys() {
        let module = Ident::new(&plan.parts[*part], Span::call_site());
        // A part whose items are all left out by cargo features re-exports nothing.
        own.extend(quote! {
            mod #module;
            #[allow(unused_imports)]
            pub use #module::*;
        });
    }
    own.extend(items.into_iter().filter(|(part, _)| part.is_none()).flat_map(|(_, item)| item));
    let directory = PathBuf::from(name);
    let mut files = vec![FileTokens { path: directory.join("mod.rs"), tokens: own }];
    for (part, items) in parts {
        files
            .push(FileTokens { path: directory.join(format!("{}.rs", plan.parts[part])), tokens: part_file(items, 1) });
    }
    files
}

/// A part's items, `levels` modules below where they were emitted, seeing that module's names.
fn part_file(items: TokenStream, levels: usize) -> TokenStream {
    let mut up = quote! { super };
    for _ in 1..levels {
        up = quote! { #up::super };
    }
    let items = deepen(items, levels);
    quote! {
        // Some parts use none of the names (when cargo features leave their items out).
        #[allow(unused_imports)]
        use #up::*;
        #items
    }
}

/// How an item starts, which is all the plan needs to place it.
enum ItemHead {
    /// A struct, enum, type, fn, const, ...: its name.
    Named(String),
    /// An impl: the identifiers of the type it is for (after `for`, if it implements a trait).
    Impl(Vec<Ident>),
    Other,
}

impl ItemHead {
    fn of(item: &[TokenTree]) -> ItemHead {
        let Some((index, keyword)) = keyword(item) else { return ItemHead::Other };
        if keyword != "impl" {
            return match item.get(index + 1) {
                Some(TokenTree::Ident(name)) => ItemHead::Named(name.to_string()),
                _ => ItemHead::Other,
            };
        }
        let header = &item[index + 1..];
        let header =
            header.split(|tree| matches!(tree, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)).next();
        let header = header.unwrap_or_default();
        // `for` not followed by `<` (a higher-ranked bound) separates the trait from the type.
        let trait_for = (0..header.len()).rev().find(|&i| {
            matches!(&header[i], TokenTree::Ident(ident) if ident == "for")
                && !matches!(header.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '<')
        });
        let self_type = &header[trait_for.map_or(0, |i| i + 1)..];
        ItemHead::Impl(
            self_type
                .iter()
                .filter_map(|tree| match tree {
                    TokenTree::Ident(ident) => Some(ident.clone()),
                    _ => None,
                })
                .collect(),
        )
    }
}

/// The item keyword (`struct`, `fn`, `impl`, ...) and its index, past attributes, visibility and qualifiers.
fn keyword(item: &[TokenTree]) -> Option<(usize, String)> {
    let is_punct = |index: usize, c: char| matches!(item.get(index), Some(TokenTree::Punct(p)) if p.as_char() == c);
    let is_group = |index: usize, delimiter: Delimiter| matches!(item.get(index), Some(TokenTree::Group(g)) if g.delimiter() == delimiter);
    let mut index = 0;
    loop {
        if is_punct(index, '#') && is_group(index + 1, Delimiter::Bracket) {
            index += 2;
            continue;
        }
        let TokenTree::Ident(ident) = item.get(index)? else { return None };
        let word = ident.to_string();
        let next_is_fn = matches!(item.get(index + 1), Some(TokenTree::Ident(next)) if next == "fn" || next == "unsafe" || next == "async" || next == "extern");
        match word.as_str() {
            "pub" => index += if is_group(index + 1, Delimiter::Parenthesis) { 2 } else { 1 },
            "unsafe" | "async" | "default" => index += 1,
            "extern" if matches!(item.get(index + 1), Some(TokenTree::Literal(_))) => index += 2,
            "const" if next_is_fn => index += 1,
            _ => return Some((index, word)),
        }
    }
}

/// Cuts a run of items into items: each ends at the first `;` or `{..}` that
/// can end it, which its first tokens tell (`use`, `type`, `const` and
/// `static` end at a `;` only, as their braces may be part of them).
fn cut_items(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut items = Vec::new();
    let mut pending: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        let ends = match &tree {
            TokenTree::Punct(punct) if punct.as_char() == ';' => Some(true),
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => Some(false),
            _ => None,
        };
        pending.push(tree);
        let Some(is_semicolon) = ends else { continue };
        let complete = match keyword(&pending) {
            Some((_, keyword)) if matches!(keyword.as_str(), "use" | "type" | "const" | "static") => is_semicolon,
            Some(_) => true,
            // Not an item the emitters make: wait for a whole one.
            None => syn::parse2::<syn::Item>(pending.iter().cloned().collect()).is_ok(),
        };
        if complete {
            items.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        // Left for the formatter, which says what is wrong with it.
        items.push(pending);
    }
    items
}

/// `#[attrs] pub mod name { body }`: the tokens before the braces, and the body.
fn inline_module(item: &[TokenTree]) -> Option<(&[TokenTree], TokenStream)> {
    let (index, keyword) = keyword(item)?;
    let TokenTree::Group(body) = item.last()? else { return None };
    (keyword == "mod" && body.delimiter() == Delimiter::Brace && item.len() == index + 3)
        .then(|| (&item[..item.len() - 1], body.stream()))
}

/// An item ending in braces: the tokens before them and what they hold.
fn braced(mut item: Vec<TokenTree>) -> (TokenStream, TokenStream) {
    let body = match item.pop() {
        Some(TokenTree::Group(group)) => group.stream(),
        // `ItemHead::Impl` items end at their braces (see `cut_items`).
        other => other.into_iter().collect(),
    };
    (item.into_iter().collect(), body)
}

/// The inner attributes (`#![..]`) that open a module's body, and its items.
fn inner_attributes(body: TokenStream) -> (TokenStream, TokenStream) {
    let mut trees: Vec<TokenTree> = body.into_iter().collect();
    let is_punct = |tree: Option<&TokenTree>, c: char| matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == c);
    let mut end = 0;
    while is_punct(trees.get(end), '#')
        && is_punct(trees.get(end + 1), '!')
        && matches!(trees.get(end + 2), Some(TokenTree::Group(_)))
    {
        end += 3;
    }
    let items = trees.split_off(end);
    (trees.into_iter().collect(), items.into_iter().collect())
}

/// Relative paths of items moved `levels` modules down: `super::x` gets
/// `levels` more `super::`, in code and in doc links (`](super::x)`), and
/// `pub(super)` becomes `pub(in super::super)`.
fn deepen(tokens: TokenStream, levels: usize) -> TokenStream {
    let mut out: Vec<TokenTree> = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) if ident == "super" && !after_path_separator(&out) => {
                for _ in 0..levels {
                    out.push(TokenTree::Ident(Ident::new("super", ident.span())));
                    out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                    out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
                }
                out.push(TokenTree::Ident(ident));
            }
            TokenTree::Group(group) => {
                let after_pub = matches!(out.last(), Some(TokenTree::Ident(ident)) if ident == "pub");
                let mut stream = deepen_doc(group.stream(), levels);
                let starts_with_super =
                    matches!(stream.clone().into_iter().next(), Some(TokenTree::Ident(first)) if first == "super");
                if after_pub && group.delimiter() == Delimiter::Parenthesis && starts_with_super {
                    stream = quote! { in #stream };
                }
                let mut deeper = Group::new(group.delimiter(), deepen(stream, levels));
                deeper.set_span(group.span());
                out.push(TokenTree::Group(deeper));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

fn after_path_separator(out: &[TokenTree]) -> bool {
    matches!(out, [.., TokenTree::Punct(a), TokenTree::Punct(b)] if a.as_char() == ':' && b.as_char() == ':')
}

/// `doc = "..."`: links to `super::` paths in the text, deepened. Other tokens are returned as they are.
fn deepen_doc(tokens: TokenStream, levels: usize) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let is_doc = matches!(trees.as_slice(), [TokenTree::Ident(doc), TokenTree::Punct(eq), TokenTree::Literal(_)] if doc == "doc" && eq.as_char() == '=');
    if !is_doc {
        return trees.into_iter().collect();
    }
    let Some(TokenTree::Literal(text)) = trees.last() else { return trees.into_iter().collect() };
    let deeper = format!("]({}super::", "super::".repeat(levels));
    let rewritten = text.to_string().replace("](super::", &deeper);
    match Literal::from_str(&rewritten) {
        Ok(literal) => trees[..2].iter().cloned().chain([TokenTree::Literal(literal)]).collect(),
        // The text was a literal and only gained ASCII inside it; it lexes again.
        Err(_) => trees.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_cut_where_they_end() {
        let tokens: TokenStream = syn::parse_quote! {
            use serde::{Deserialize, Serialize};
            #[derive(Debug)]
            pub struct A { pub x: i64 }
            pub struct B(pub i64);
            pub static T: P = P { names: &[] };
            impl<'de> Deserialize<'de> for A { fn f() {} }
            pub mod m { pub struct C; }
            pub const fn g() -> u8 { 1 }
        };
        let heads: Vec<String> = cut_items(tokens)
            .iter()
            .map(|item| match ItemHead::of(item) {
                ItemHead::Named(name) => name,
                ItemHead::Impl(idents) => {
                    format!("impl {}", idents.iter().map(Ident::to_string).collect::<Vec<_>>().join(" "))
                }
                ItemHead::Other => "other".into(),
            })
            .collect();
        assert_eq!(heads, ["serde", "A", "B", "T", "impl A", "m", "g"]);
    }

    #[test]
    fn moved_items_reach_up_one_more_module() {
        let tokens: TokenStream = syn::parse_quote! {
            #[doc = " What [`Client::f`](super::Client::f) answers."]
            pub(super) struct A { pub file: super::FilePart, pub b: super::types::B, pub c: crate::C }
        };
        let expected: TokenStream = syn::parse_quote! {
            #[doc = " What [`Client::f`](super::super::Client::f) answers."]
            pub(in super::super) struct A { pub file: super::super::FilePart, pub b: super::super::types::B, pub c: crate::C }
        };
        assert_eq!(deepen(tokens, 1).to_string(), expected.to_string());
    }
}
