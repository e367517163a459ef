//! Long lists inside one item (the variants of an enum of 100,000 values, the
//! arms of the `match`es over them, the fields of a struct of thousands of
//! properties, the methods of a client of thousands of operations) are
//! printed a chunk of elements at a time: the syntax tree of such an item
//! alone took 180 MB (37 times a 5 MB spec).
//!
//! prettyplease prints each variant of an enum, field of a struct, arm of a
//! `match` and item of an `impl` on lines of its own, whatever its neighbours
//! are, so the item is printed once per chunk with the list cut down to that
//! chunk, and the chunks' lines are put together between the item's own first
//! and last lines. A marker attribute before the chunk's first element (and
//! before the next chunk's first, which follows it) shows where its lines
//! start and end; spec text cannot print as that line (doc text prints as
//! `///` lines, strings as escaped literals).

use proc_macro2::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};
use quote::quote;
use syn::Item;

use super::{call_site_error, push_line, unparse_nested};

/// Elements printed at once.
const CHUNK: usize = 256;

/// A list of at least this many token trees (about four a variant, six an
/// arm) is printed in chunks.
const LONG_LIST: usize = 4 * 1024;

/// The line a marker attribute prints as.
const MARKER_LINE: &str = "#[apigen_chunk]";

/// If the item made of `trees` has a long list, prints it as prettyplease
/// prints it whole `depth` modules deep and returns `true`; returns `false`
/// (the trees as they were, nothing printed) when it has none, or when it
/// does not print in chunks (it is not a whole item yet, say): then the
/// caller prints it whole.
pub(super) fn print_long_list(trees: &mut [TokenTree], depth: usize, out: &mut String) -> bool {
    let Some((path, separated)) = longest_list(trees) else { return false };
    let mut list = Vec::new();
    with_group(trees, &path, &mut |children| list = std::mem::take(children));
    let printed_before = out.len();
    let printed = print_chunks(trees, &path, &list, separated, depth, out).is_some();
    if !printed {
        out.truncate(printed_before);
        with_group(trees, &path, &mut |children| *children = std::mem::take(&mut list));
    }
    printed
}

/// Prints the item of `trees`, whose list at `path` is cut out as `list`,
/// a chunk of the list's elements at a time; `None` if a chunk does not print.
fn print_chunks(
    trees: &[TokenTree],
    path: &[usize],
    list: &[TokenTree],
    separated: Separated,
    depth: usize,
    out: &mut String,
) -> Option<()> {
    let starts = match separated {
        Separated::Commas => element_starts(list),
        Separated::Items => item_starts(list),
    };
    // Element `i` is `list[starts[i]..starts[i + 1]]`.
    let elements = starts.len() - 1;
    for first in (0..elements).step_by(CHUNK) {
        let end = (first + CHUNK).min(elements);
        let mut chunk = marker();
        chunk.extend(list[starts[first]..starts[end]].iter().cloned());
        if end < elements {
            chunk.extend(marker());
            chunk.extend(list[starts[end]..starts[end + 1]].iter().cloned());
        }
        let mut item = trees.to_vec();
        with_group(&mut item, path, &mut |children| *children = std::mem::take(&mut chunk));
        let place = Place { first: first == 0, last: end == elements };
        print_chunk(item.into_iter().collect(), depth, place, out).ok()?;
    }
    Some(())
}

/// The attribute that marks where a chunk's lines start and end.
fn marker() -> Vec<TokenTree> {
    quote! { #[apigen_chunk] }.into_iter().collect()
}

/// Which of its item's chunks a chunk is: the first prints the item's own
/// first lines, the last its own last lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    first: bool,
    last: bool,
}

/// Prints a chunk of a list: `item` is the item with only the chunk's
/// elements in its list, the first one marked and, unless the chunk is the
/// last, the next chunk's first element after them, marked too.
pub(super) fn print_chunk(item: TokenStream, depth: usize, place: Place, out: &mut String) -> syn::Result<()> {
    let text = unparse_nested(syn::parse2::<Item>(item)?, depth);
    let lines: Vec<&str> = text.lines().collect();
    let markers: Vec<usize> = (0..lines.len()).filter(|&at| lines[at].trim() == MARKER_LINE).collect();
    let (start, stop) = match (markers.as_slice(), place.last) {
        ([start, stop], false) => (*start, *stop),
        ([start], true) => (*start, lines.len()),
        _ => return Err(call_site_error("a chunk of a list prints without its markers")),
    };
    let own_first_lines = if place.first { &lines[..start] } else { &[][..] };
    for line in own_first_lines.iter().chain(&lines[start + 1..stop]) {
        push_line(out, line);
    }
    Ok(())
}

/// An item with a list of many elements (an enum's variants, the arms of a
/// `match`, an `impl`'s methods), which the emitter builds a chunk of
/// elements at a time as the formatter prints it, so that neither the whole
/// list's tokens nor its text are alive at once. The list must be one whose
/// elements prettyplease prints each on lines of its own (as above).
pub struct List<'a> {
    /// The item with the given elements as its list.
    item: Box<dyn Fn(TokenStream) -> TokenStream + 'a>,
    /// The list's elements, each with its separator (a variant's or an arm's comma).
    elements: Box<dyn Iterator<Item = TokenStream> + 'a>,
}

impl<'a> List<'a> {
    pub fn new(
        item: impl Fn(TokenStream) -> TokenStream + 'a,
        elements: impl IntoIterator<Item = TokenStream> + 'a,
    ) -> Self {
        List { item: Box::new(item), elements: Box::new(elements.into_iter()) }
    }

    /// The same list in the item that `change` makes of this one's (the user's attributes, a `cfg`).
    pub fn map_item(self, change: impl Fn(TokenStream) -> TokenStream + 'a) -> Self {
        let item = self.item;
        List { item: Box::new(move |list| change(item(list))), elements: self.elements }
    }

    /// The item with its whole list.
    pub fn whole(self) -> TokenStream {
        (self.item)(self.elements.collect())
    }

    /// The item with none of its list: its first tokens tell what it is.
    pub fn shell(&self) -> TokenStream {
        (self.item)(TokenStream::new())
    }

    /// The list's elements, drawn one at a time.
    pub fn elements(self) -> impl Iterator<Item = TokenStream> + 'a {
        self.elements
    }
}

/// `list`'s item, a chunk of its elements at a time, each chunk's elements
/// drawn from the emitter only when the chunk before it has been taken: the
/// item with the chunk ([`print_chunk`]), or, when the list is one chunk or
/// less, with the whole list and no place.
pub(super) fn chunks(list: List<'_>) -> impl Iterator<Item = (TokenStream, Option<Place>)> + '_ {
    let List { item, elements } = list;
    let mut elements = elements.peekable();
    let mut first = true;
    std::iter::from_fn(move || {
        if !first && elements.peek().is_none() {
            return None;
        }
        let chunk: Vec<TokenStream> = elements.by_ref().take(CHUNK).collect();
        // The next chunk's first element stays in `elements`; the chunk prints a copy of it.
        let next = elements.peek().cloned();
        let place = Place { first, last: next.is_none() };
        first = false;
        if place.first && place.last {
            return Some((item(chunk.into_iter().collect()), None));
        }
        let mut tokens: TokenStream = marker().into_iter().collect();
        tokens.extend(chunk);
        if let Some(next) = next {
            tokens.extend(marker());
            tokens.extend(next);
        }
        Some((item(tokens), Some(place)))
    })
}

/// How the elements of a list are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separated {
    /// By commas: variants, fields, `match` arms.
    Commas,
    /// As items are: the methods of an `impl` (a client's thousands of operations).
    Items,
}

/// Where each element of a comma-separated list starts, and its end: after
/// each comma outside groups and angle brackets (`HashMap<String, u8>`).
fn element_starts(list: &[TokenTree]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut angles = 0usize;
    let mut previous_joint: Option<char> = None;
    for (index, tree) in list.iter().enumerate() {
        let TokenTree::Punct(punct) = tree else {
            previous_joint = None;
            continue;
        };
        match punct.as_char() {
            '<' => angles += 1,
            // `->` and `=>` close no angle bracket.
            '>' if !matches!(previous_joint, Some('-' | '=')) => angles = angles.saturating_sub(1),
            ',' if angles == 0 => starts.push(index + 1),
            _ => {}
        }
        previous_joint = (punct.spacing() == Spacing::Joint).then(|| punct.as_char());
    }
    if starts.last() != Some(&list.len()) {
        starts.push(list.len());
    }
    starts
}

/// Where each item of an `impl`'s body starts, and its end: after each `;`
/// and each brace group not followed by `;` (`const A: S = S {};`), outside
/// groups. An item cut wrong does not parse, and the caller prints the `impl` whole.
fn item_starts(list: &[TokenTree]) -> Vec<usize> {
    let mut starts = vec![0];
    for (index, tree) in list.iter().enumerate() {
        let ends_item = match tree {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(list.get(index + 1), Some(TokenTree::Punct(next)) if next.as_char() == ';')
            }
            _ => false,
        };
        if ends_item {
            starts.push(index + 1);
        }
    }
    if starts.last() != Some(&list.len()) {
        starts.push(list.len());
    }
    starts
}

/// The path (index of a group at each level, from the item's own trees down)
/// to the longest list of the item, if it has one. Only the last group of
/// each level is searched: the body of an enum, a struct or an impl, the
/// body of the impl's last function, the `match` that ends it. That is where
/// generated code has its long lists, and the search costs a few groups an
/// item instead of a walk over all of them.
fn longest_list(trees: &mut [TokenTree]) -> Option<(Vec<usize>, Separated)> {
    let mut longest: Option<Longest> = None;
    let mut path = Vec::new();
    descend_last_groups(trees, &mut path, &mut longest);
    longest.map(|(_, path, separated)| (path, separated))
}

/// A list's length, path and separators.
type Longest = (usize, Vec<usize>, Separated);

/// Records in `longest` the longest list down the last groups of `trees`.
fn descend_last_groups(trees: &mut [TokenTree], path: &mut Vec<usize>, longest: &mut Option<Longest>) {
    let Some(last) = trees.len().checked_sub(1) else { return };
    let TokenTree::Group(group) = &trees[last] else { return };
    let place = if group.delimiter() == Delimiter::Brace { list_place(trees, last) } else { None };
    path.push(last);
    with_children(&mut trees[last], &mut |children| {
        let length = children.len();
        if let Some(separated) = place.filter(|_| length >= LONG_LIST) {
            if !matches!(longest, Some((most, _, _)) if *most >= length) {
                *longest = Some((length, path.clone(), separated));
            }
        }
        descend_last_groups(children, path, longest);
    });
    path.pop();
}

/// How far back from a brace group its `match` is looked for: generated
/// scrutinees are a few tokens long.
const SCRUTINEE_TREES: usize = 16;

/// Whether the brace group at `index` of `trees` holds elements that
/// prettyplease prints each on lines of its own, and how they are separated:
/// it follows `enum Name`, `struct Name`, `impl Name` or `match <scrutinee>`.
fn list_place(trees: &[TokenTree], index: usize) -> Option<Separated> {
    let is_word = |tree: &TokenTree, word: &str| matches!(tree, TokenTree::Ident(ident) if ident == word);
    let before = &trees[..index];
    if let [.., keyword, TokenTree::Ident(_)] = before {
        if is_word(keyword, "enum") || is_word(keyword, "struct") {
            return Some(Separated::Commas);
        }
        if is_word(keyword, "impl") {
            return Some(Separated::Items);
        }
    }
    // Back to the `match`, through the scrutinee, which holds no statement, element or block.
    before
        .iter()
        .rev()
        .take(SCRUTINEE_TREES)
        .take_while(|tree| match tree {
            TokenTree::Punct(punct) => punct.as_char() != ';' && punct.as_char() != ',',
            TokenTree::Group(group) => group.delimiter() != Delimiter::Brace,
            _ => true,
        })
        .any(|tree| is_word(tree, "match"))
        .then_some(Separated::Commas)
}

/// Runs `change` on the token trees of the group at `path` under `trees`.
fn with_group(trees: &mut [TokenTree], path: &[usize], change: &mut dyn FnMut(&mut Vec<TokenTree>)) {
    let Some((first, rest)) = path.split_first() else { return };
    if let Some(tree) = trees.get_mut(*first) {
        with_children(tree, &mut |children| match rest.is_empty() {
            true => change(children),
            false => with_group(children, rest, change),
        });
    }
}

/// Runs `visit` on the token trees of `tree`, if it is a group, and puts them
/// back. They are moved out, not copied, when the group is not shared.
fn with_children(tree: &mut TokenTree, visit: &mut dyn FnMut(&mut Vec<TokenTree>)) {
    let placeholder = TokenTree::Punct(Punct::new(',', Spacing::Alone));
    let group = match std::mem::replace(tree, placeholder) {
        TokenTree::Group(group) => group,
        other => {
            *tree = other;
            return;
        }
    };
    let (delimiter, span) = (group.delimiter(), group.span());
    let stream = group.stream();
    // The group's own reference goes first, so that the stream's trees move instead of being copied.
    drop(group);
    let mut children: Vec<TokenTree> = stream.into_iter().collect();
    visit(&mut children);
    let mut group = Group::new(delimiter, children.into_iter().collect::<TokenStream>());
    group.set_span(span);
    *tree = TokenTree::Group(group);
}

#[cfg(test)]
mod tests {
    use quote::format_ident;

    use super::*;

    /// An enum, the `match`es over it and a struct, each long enough to be
    /// printed in chunks (17 of them, the last one short).
    fn long_items() -> Vec<TokenStream> {
        let values: Vec<(proc_macro2::Ident, String)> =
            (0..LONG_LIST + 3).map(|i| (format_ident!("Value{i}"), format!("value_{i}"))).collect();
        let variants = values.iter().map(|(variant, wire)| quote! { #[serde(rename = #wire)] #variant, });
        let arms = values.iter().map(|(variant, wire)| quote! { Self::#variant => #wire, });
        let reads = values.iter().map(|(variant, wire)| quote! { #wire => Self::#variant, });
        let fields = (0..LONG_LIST + 3).map(|i| {
            let field = format_ident!("field_{i}");
            quote! { #[doc = " A field whose type has a comma."] pub #field: std::collections::HashMap<String, Vec<u8>>, }
        });
        let methods = (0..LONG_LIST / 8).map(|i| {
            let (method, constant) = (format_ident!("method_{i}"), format_ident!("CONSTANT_{i}"));
            quote! {
                /// A method, its body a block, a `where` clause and a struct literal.
                pub fn #method<T>(&self, value: T) -> Result<Wide, String> where T: Into<String>, { let _ = value.into(); Err(String::new()) }
                pub const #constant: Small = Small {};
            }
        });
        vec![
            quote! { impl Client { #(#methods)* } },
            quote! { #[derive(Debug)] pub enum Big { #(#variants)* #[serde(untagged)] Other(String), } },
            quote! { impl Big { pub fn as_str(&self) -> &str { match self { #(#arms)* Self::Other(value) => value, } } } },
            quote! { impl From<&str> for Big { fn from(value: &str) -> Self { match value { #(#reads)* other => Self::Other(other.to_string()), } } } },
            quote! { pub struct Wide { #(#fields)* } },
        ]
    }

    #[test]
    fn long_lists_print_in_chunks_as_whole() {
        for depth in [0, 1] {
            for item in long_items() {
                let whole = unparse_nested(syn::parse2(item.clone()).unwrap(), depth);
                let mut trees: Vec<TokenTree> = item.into_iter().collect();
                let mut chunked = String::new();
                assert!(print_long_list(&mut trees, depth, &mut chunked), "{whole}");
                assert_eq!(chunked, whole);
            }
        }
    }

    /// An item around the list it is given, and the list's elements.
    type ListItem = (fn(TokenStream) -> TokenStream, Vec<TokenStream>);

    /// An enum, a `match` and an `impl` as lists of `length` elements.
    fn lists(length: usize) -> Vec<ListItem> {
        let variants = (0..length).map(|i| {
            let (variant, wire) = (format_ident!("Value{i}"), format!("value_{i}"));
            quote! { #[serde(rename = #wire)] #variant, }
        });
        let arms = (0..length).map(|i| {
            let (variant, wire) = (format_ident!("Value{i}"), format!("value_{i}"));
            quote! { #wire => Self::#variant, }
        });
        let methods = (0..length).map(|i| {
            let method = format_ident!("method_{i}");
            quote! {
                /// A method.
                pub fn #method(&self, value: u64) -> Result<u64, String> { Ok(value) }
            }
        });
        vec![
            (|variants| quote! { #[derive(Debug)] pub enum Big { #variants } }, variants.collect()),
            (
                |arms| quote! { impl From<&str> for Big { fn from(value: &str) -> Self { match value { #arms other => Self::Other(other.to_string()), } } } },
                arms.collect(),
            ),
            (|methods| quote! { impl Client { #methods } }, methods.collect()),
        ]
    }

    /// A list built a chunk at a time prints as the item with the whole
    /// list, and its elements are drawn a chunk (and the next one) at a time.
    #[test]
    fn lists_built_in_chunks_print_as_whole() {
        for length in [0, 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5] {
            for (item, elements) in lists(length) {
                for depth in [0, 1] {
                    let whole = unparse_nested(syn::parse2(item(elements.iter().cloned().collect())).unwrap(), depth);
                    let drawn = std::cell::Cell::new(0);
                    let counted = elements.iter().cloned().inspect(|_| drawn.set(drawn.get() + 1));
                    let mut chunked = String::new();
                    for (at, (tokens, place)) in chunks(List::new(item, counted)).enumerate() {
                        assert!(drawn.get() <= (at + 1) * CHUNK + 1, "{} drawn for chunk {at}", drawn.get());
                        match place {
                            Some(place) => print_chunk(tokens, depth, place, &mut chunked).unwrap(),
                            None => chunked.push_str(&unparse_nested(syn::parse2(tokens).unwrap(), depth)),
                        }
                    }
                    assert_eq!(chunked, whole);
                }
            }
        }
    }

    #[test]
    fn items_without_a_long_list_or_not_whole_are_left_as_they_were() {
        let short: Vec<TokenTree> = quote! { pub enum Small { A, B } }.into_iter().collect();
        let mut trees = short.clone();
        let mut out = String::new();
        assert!(!print_long_list(&mut trees, 0, &mut out));
        // A long list in what is not a whole item yet (`impl` and its trait are cut off).
        let mut head: Vec<TokenTree> = long_items()[2].clone().into_iter().skip(1).collect();
        let before = TokenStream::from_iter(head.clone()).to_string();
        assert!(!print_long_list(&mut head, 0, &mut out));
        assert_eq!((out.as_str(), TokenStream::from_iter(head).to_string()), ("", before));
        assert_eq!(TokenStream::from_iter(trees).to_string(), TokenStream::from_iter(short).to_string());
    }
}
