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
//!
//! The emitter's pieces are placed as they come ([`split_pieces`]), each
//! item kept as the text of its tokens in its file, so that the whole
//! module's tokens (ten times its text) are never alive at once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::str::FromStr;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

use crate::error::Error;
use crate::format::{tokens_of, List, Piece, TokensText};
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

/// One file of a tree: its path relative to the root's directory (the root is `mod.rs`) and its items.
pub type FileText = (PathBuf, Vec<TokensText>);

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

/// Cuts the module that `pieces` make into files (see [`crate::layout`]),
/// the root first, as the pieces come: each item is kept as text in the file
/// it goes to, so that the whole module's tokens are never alive at once.
/// `file` names the spec, for the (internal) error case.
pub fn split_pieces<'a>(
    file: &str,
    pieces: impl IntoIterator<Item = Piece<'a>>,
    plan: &Plan,
) -> Result<Vec<FileText>, Error> {
    let mut tree = Tree { plan, root: Vec::new(), files: Vec::new(), client_parts: BTreeMap::new() };
    let mut module: Option<Module> = None;
    // The pieces of a module inside a top-level one, until it closes: it is one item of that one.
    let mut nested: Vec<Piece> = Vec::new();
    let mut nested_open = 0usize;
    let unbalanced = |message: &str| Error::Emit { file: file.to_string(), message: message.to_string() };
    for piece in pieces {
        if nested_open > 0 {
            match &piece {
                Piece::Open { .. } => nested_open += 1,
                Piece::Close => nested_open -= 1,
                _ => {}
            }
            nested.push(piece);
            if let (0, Some(module)) = (nested_open, module.as_mut()) {
                module.push_items(plan, tokens_of(std::mem::take(&mut nested)));
            }
            continue;
        }
        match (piece, module.as_mut()) {
            (Piece::Open { header, inner }, None) => module = Some(tree.open(header, inner)),
            (piece @ Piece::Open { .. }, Some(_)) => {
                nested_open = 1;
                nested.push(piece);
            }
            (Piece::Items(tokens), None) => tree.push_items(tokens),
            (Piece::Items(tokens), Some(module)) => module.push_items(plan, tokens),
            (Piece::List(list), None) => tree.push_list(list),
            (Piece::List(list), Some(module)) => module.push_list(plan, list),
            (Piece::Close, Some(_)) => {
                let closed = module.take();
                tree.files.extend(closed.into_iter().flat_map(|module| module.files(plan)));
            }
            (Piece::Close, None) => return Err(unbalanced("a module closes that was not opened")),
        }
    }
    if module.is_some() {
        return Err(unbalanced("a module is opened and never closed"));
    }
    Ok(tree.files())
}

/// The files of a tree so far.
struct Tree<'p> {
    plan: &'p Plan,
    root: Vec<TokensText>,
    /// The files of the top-level modules closed so far.
    files: Vec<FileText>,
    /// The items of `client/<part>.rs`, a part each.
    client_parts: BTreeMap<usize, Vec<TokensText>>,
}

impl Tree<'_> {
    /// Items at the root: modules, the client's methods, and what goes with them.
    fn push_items(&mut self, tokens: TokenStream) {
        for item in cut_items(tokens) {
            let head = ItemHead::of(&item);
            if let Some((header, body)) = inline_module(&item) {
                let (inner, items) = inner_attributes(body);
                let mut module = self.open(header.iter().cloned().collect(), inner);
                module.push_items(self.plan, items);
                self.files.extend(module.files(self.plan));
            } else if is_client_impl(&head) {
                let (header, body) = braced(item);
                self.push_client_methods(header, cut_items(body));
            } else {
                let part = self.plan.part_of(None, &head);
                let tokens: TokenStream = item.into_iter().collect();
                let tokens = if part.is_some() { deepen(tokens, 2) } else { tokens };
                self.push_root_item(part, std::iter::once(TokensText::items(tokens)));
            }
        }
    }

    /// A list's item at the root: the client's methods, or one item.
    fn push_list(&mut self, list: List) {
        let shell: Vec<TokenTree> = list.shell().into_iter().collect();
        let head = ItemHead::of(&shell);
        if is_client_impl(&head) {
            let (header, _) = braced(shell);
            self.push_client_methods(header, list.elements().flat_map(cut_items));
        } else {
            let part = self.plan.part_of(None, &head);
            let chunks =
                TokensText::chunks(list, move |tokens| if part.is_some() { deepen(tokens, 2) } else { tokens });
            self.push_root_item(part, chunks);
        }
    }

    /// An item at the root (or its chunks), in the client's file of its part
    /// if it has one (deepened for it already).
    fn push_root_item(&mut self, part: Option<usize>, item: impl Iterator<Item = TokensText>) {
        match part {
            Some(part) => self.client_parts.entry(part).or_default().extend(item),
            None => self.root.extend(item),
        }
    }

    /// `impl Client { .. }`: each method goes with its operation.
    fn push_client_methods(&mut self, header: TokenStream, methods: impl IntoIterator<Item = Vec<TokenTree>>) {
        let mut by_part: BTreeMap<Option<usize>, Vec<TokensText>> = BTreeMap::new();
        for method in methods {
            let part = match ItemHead::of(&method) {
                ItemHead::Named(name) => self.plan.operations.get(&name).copied(),
                _ => None,
            };
            let tokens: TokenStream = method.into_iter().collect();
            let tokens = if part.is_some() { deepen(tokens, 2) } else { tokens };
            by_part.entry(part).or_default().push(TokensText::items(tokens));
        }
        for (part, methods) in by_part {
            match part {
                Some(part) => self
                    .client_parts
                    .entry(part)
                    .or_default()
                    .push(TokensText::braced(deepen(header.clone(), 2), methods)),
                None => self.root.push(TokensText::braced(header.clone(), methods)),
            }
        }
    }

    /// A top-level module opens (`header` is `#[attrs] pub mod name`): the root declares it.
    fn open(&mut self, header: TokenStream, inner: TokenStream) -> Module {
        let name = header.clone().into_iter().last().map(|name| name.to_string()).unwrap_or_default();
        self.root.push(TokensText::items(quote! { #header; }));
        Module { name, inner, items: Vec::new() }
    }

    /// The files, the root first.
    fn files(mut self) -> Vec<FileText> {
        if !self.client_parts.is_empty() {
            let modules = self.client_parts.keys().map(|part| Ident::new(&self.plan.parts[*part], Span::call_site()));
            self.root.push(TokensText::items(quote! {
                /// The client's operations, a file a tag.
                mod client {
                    #(mod #modules;)*
                }
            }));
        }
        let mut files = vec![(PathBuf::from(ROOT), self.root)];
        files.append(&mut self.files);
        for (part, items) in self.client_parts {
            let path = PathBuf::from("client").join(format!("{}.rs", self.plan.parts[part]));
            files.push((path, std::iter::once(part_prelude(2)).chain(items).collect()));
        }
        files
    }
}

fn is_client_impl(head: &ItemHead) -> bool {
    matches!(head, ItemHead::Impl(self_type) if self_type.len() == 1 && self_type[0] == "Client")
}

/// A top-level module being cut: its items, each with its part, as they were emitted.
struct Module {
    name: String,
    inner: TokenStream,
    items: Vec<(Option<usize>, TokensText)>,
}

impl Module {
    fn push_items(&mut self, plan: &Plan, tokens: TokenStream) {
        for item in cut_items(tokens) {
            let part = plan.part_of(Some(&self.name), &ItemHead::of(&item));
            self.items.push((part, TokensText::items(item.into_iter().collect())));
        }
    }

    fn push_list(&mut self, plan: &Plan, list: List) {
        let shell: Vec<TokenTree> = list.shell().into_iter().collect();
        let part = plan.part_of(Some(&self.name), &ItemHead::of(&shell));
        self.items.extend(TokensText::chunks(list, |tokens| tokens).map(|chunk| (part, chunk)));
    }

    /// The module's file, or its directory of parts when its items belong to several
    /// (which only the last item may tell, so the items wait as text).
    fn files(self, plan: &Plan) -> Vec<FileText> {
        let Module { name, inner, items } = self;
        let inner = (!inner.is_empty()).then(|| TokensText::items(inner));
        let parts: BTreeSet<usize> = items.iter().filter_map(|(part, _)| *part).collect();
        if parts.len() < 2 {
            let text = inner.into_iter().chain(items.into_iter().map(|(_, item)| item)).collect();
            return vec![(PathBuf::from(format!("{name}.rs")), text)];
        }
        let mut own: Vec<TokensText> = inner.into_iter().collect();
        own.extend(parts.iter().map(|part| {
            let module = Ident::new(&plan.parts[*part], Span::call_site());
            // A part whose items are all left out by cargo features re-exports nothing.
            TokensText::items(quote! {
                mod #module;
                #[allow(unused_imports)]
                pub use #module::*;
            })
        }));
        let mut part_items: BTreeMap<usize, Vec<TokensText>> =
            parts.into_iter().map(|part| (part, vec![part_prelude(1)])).collect();
        for (part, item) in items {
            match part.and_then(|part| part_items.get_mut(&part)) {
                Some(file) => file.push(item.map(|tokens| deepen(tokens, 1))),
                None => own.push(item),
            }
        }
        let directory = PathBuf::from(name);
        let mut files = vec![(directory.join("mod.rs"), own)];
        files.extend(
            part_items.into_iter().map(|(part, items)| (directory.join(format!("{}.rs", plan.parts[part])), items)),
        );
        files
    }
}

/// What opens a part's file, `levels` modules below where its items were emitted: it sees that module's names.
fn part_prelude(levels: usize) -> TokensText {
    let mut up = quote! { super };
    for _ in 1..levels {
        up = quote! { #up::super };
    }
    TokensText::items(quote! {
        // Some parts use none of the names (when cargo features leave their items out).
        #[allow(unused_imports)]
        use #up::*;
    })
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
    use crate::format::print_files;

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

    /// Items that come as a module's pieces, as lists a chunk at a time,
    /// and as a nested module's pieces, go to the files they go to when the
    /// whole module comes as one piece.
    #[test]
    fn pieces_go_where_the_whole_module_goes() {
        let plan = Plan {
            parts: vec!["a".into(), "b".into(), "common".into()],
            types: HashMap::from([("A".into(), 0), ("B".into(), 1)]),
            operations: HashMap::from([("get_a".into(), 0), ("get_b".into(), 1)]),
        };
        let variants = |names: TokenStream| quote! { pub enum B { #names } };
        let names = || {
            (0..600u32).map(|n| {
                let name = quote::format_ident!("V{n}");
                quote! { #name, }
            })
        };
        let methods = |methods: TokenStream| quote! { impl Client { #methods } };
        let method = |name: &str| {
            let name = Ident::new(name, Span::call_site());
            quote! { pub fn #name(&self) -> super::types::A { todo!() } }
        };
        let pieces = || {
            vec![
                Piece::Open { header: quote! { pub mod types }, inner: TokenStream::new() },
                Piece::Items(
                    quote! { #[doc = " [`B`](super::types::B)"] pub struct A(pub super::Id); impl A { pub(super) fn f() {} } },
                ),
                Piece::List(List::new(variants, names())),
                Piece::Open { header: quote! { pub mod known }, inner: TokenStream::new() },
                Piece::Items(quote! { pub const K: u8 = 1; }),
                Piece::Close,
                Piece::Close,
                Piece::Items(quote! { pub struct Id; pub mod params { pub struct get_a; pub struct get_b; } }),
                Piece::List(List::new(methods, ["get_a", "get_b", "new"].map(method))),
            ]
        };
        let print =
            |pieces: Vec<Piece>| print_files("t.yaml", "", split_pieces("t.yaml", pieces, &plan).unwrap()).unwrap();
        let streamed = print(pieces());
        let paths: Vec<&str> = streamed.iter().map(|(path, _)| path.to_str().unwrap()).collect();
        assert_eq!(
            paths,
            [
                "mod.rs",
                "types/mod.rs",
                "types/a.rs",
                "types/b.rs",
                "params/mod.rs",
                "params/a.rs",
                "params/b.rs",
                "client/a.rs",
                "client/b.rs"
            ]
        );
        assert_eq!(streamed, print(vec![Piece::Items(tokens_of(pieces()))]));
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
