//! Property: whatever markdown-ish text a spec holds, the doc comment apigen
//! emits for it has no code block that rustdoc would compile and run.
//!
//! The check reads the doc as rustdoc does: the attributes' strings joined by
//! lines, their common indentation removed, parsed by the pulldown-cmark
//! release rustdoc links with rustdoc's options; every code block must then be
//! fenced with the info string `text` (rustdoc runs a block whose info string
//! is empty or made only of attributes such as `rust`, `ignore`, `no_run`).
//!
//! To search longer: `PROPTEST_CASES=100000 cargo test -p apigen --release --test doc_comments`.

use apigen::emit::docs::doc_attrs;
use proptest::prelude::*;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
use quote::quote;

/// The doc text rustdoc reads from the attributes apigen emits for `spec_text`.
fn rustdoc_view(spec_text: &str) -> String {
    let attrs = doc_attrs(Some(spec_text));
    let item: syn::ItemStruct = syn::parse2(quote! { #attrs struct S; }).expect("doc attributes parse");
    let lines: Vec<String> = item
        .attrs
        .iter()
        .map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }),
                ..
            }) => s.value(),
            _ => panic!("an attribute that is not a doc string"),
        })
        .collect();
    for line in &lines {
        assert!(!line.contains(['\n', '\r', '\t']), "a doc line holds a line break or tab: {line:?}");
    }
    // Rustdoc's unindent: the smallest indentation of non-blank lines goes.
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines.iter().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n")
}

fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Panics unless every code block is fenced with the info string `text`, and no raw HTML is left.
fn assert_inert(spec_text: &str) {
    let doc = rustdoc_view(spec_text);
    for event in Parser::new_ext(&doc, rustdoc_options()) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                assert_eq!(
                    &*info, "text",
                    "a code block rustdoc would treat by its info string\nspec text: {spec_text:?}\ndoc:\n{doc}"
                )
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                panic!("an indented code block, which rustdoc runs\nspec text: {spec_text:?}\ndoc:\n{doc}")
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                panic!("raw HTML {html:?}\nspec text: {spec_text:?}\ndoc:\n{doc}")
            }
            _ => {}
        }
    }
}

/// Text made of the markdown that opens, closes and nests blocks.
fn markdownish_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("```"),
        Just("````"),
        Just("~~~"),
        Just("~~~~~"),
        Just("```rust"),
        Just("```text"),
        Just("``` ignore"),
        Just("~~~should_panic,edition2021"),
        Just("```no_run"),
        Just("`"),
        Just("\t"),
        Just(" "),
        Just("   "),
        Just("    "),
        Just("- "),
        Just("* "),
        Just("1. "),
        Just("2) "),
        Just("> "),
        Just(">"),
        Just("<div>"),
        Just("</div>"),
        Just("<b>"),
        Just("<pre>"),
        Just("<!-- "),
        Just(" -->"),
        Just("\n"),
        Just("\n\n"),
        Just("\r"),
        Just("\r\n"),
        Just("["),
        Just("]"),
        Just("]("),
        Just(")"),
        Just("<"),
        Just("[x]: /u\n"),
        Just("[^1]"),
        Just("[^1]: "),
        Just("https://example.com/a_b"),
        Just("\\"),
        Just("# "),
        Just("---"),
        Just("| a |"),
        Just("word"),
        Just("std::fs::write(\"pwned\", \"\").unwrap();"),
    ];
    prop::collection::vec(pieces, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn doc_comments_hold_no_runnable_code(text in markdownish_text()) {
        assert_inert(&text);
    }
}

/// The cases the sanitizer this one replaced missed, each of which ran the payload.
#[test]
fn known_bypasses_are_inert() {
    let payload = "std::fs::write(\"pwned\", \"\").unwrap();";
    for text in [
        format!("- item\n\n  ```\n  {payload}\n  ```\n\nend"),
        format!("Text.\n\n\t{payload}\n\nend"),
        format!("A paragraph\n   ```\n   {payload}\n   ```\nend"),
        format!("a\r```\r{payload}\r```"),
        format!("```rust,no_run\n{payload}"),
        format!("<div>\n\n```\n{payload}\n```\n</div>"),
    ] {
        assert_inert(&text);
    }
}
