//! Spec text to doc comments that rustdoc renders without warnings and never
//! runs.
//!
//! Spec descriptions are CommonMark written for a web page, and untrusted:
//! rustdoc compiles and runs every Rust code block of a doc comment as a
//! doctest, and an empty info string, an indented block or `rust,no_run`
//! all mean Rust. So the text is parsed as rustdoc parses it (the same
//! pulldown-cmark release and options) and rewritten where rustdoc would
//! misread it: every code block becomes a fenced block with the info string
//! `text`; `[foo]`, which would be a broken intra-doc link, and footnote and
//! reference syntax are escaped; HTML is escaped (it would be rendered, or
//! warned about); bare URLs become autolinks; lazy and over-indented
//! continuation lines of lists and quotes get their markers (clippy's
//! `doc_lazy_continuation`). A rewrite can change what the rest parses to
//! (escaped HTML shows the markdown it hid), so passes repeat until one
//! finds nothing to rewrite. Last, a gate: text in which the parser still
//! finds another code block is shown whole as one plain block. Every pass is
//! linear in the text.

use std::ops::Range;
use std::sync::LazyLock;

use proc_macro2::TokenStream;
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use quote::quote;
use regex::Regex;

use crate::ir::Docs;

/// The only info string a code block leaves with: rustdoc shows it as plain text.
const INFO: &str = "text";

/// Passes of rewriting at most. Real descriptions need two (the second finds
/// nothing); only contrived nestings of escaped HTML and links need more.
const MAX_PASSES: usize = 8;

/// `#[doc]` attributes for spec text (nothing if there is none).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    match text.map(sanitize).filter(|t| !t.is_empty()) {
        Some(text) => attributes(&text),
        None => TokenStream::new(),
    }
}

/// `#[doc]` attributes for a sentence of ours, which may link items and must
/// bring spec strings in through [`code_span`] only.
pub fn own_doc_attrs(text: &str) -> TokenStream {
    // Our own templates and code spans contain no block syntax; a failure here
    // is a bug in a template, which the golden tests (debug builds) catch.
    debug_assert!(only_text_blocks(text), "own doc text has a code block: {text}");
    attributes(text)
}

/// One attribute a line, so that no attribute holds a line break; blank
/// lines stay empty rather than a lone space.
fn attributes(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// Any string (a server URL, a parameter name) as inline code on one line: line breaks
/// and tabs become spaces, and the backtick fence is longer than any run inside.
pub fn code_span(text: &str) -> String {
    let flat: String = text.chars().map(|c| if matches!(c, '\r' | '\n' | '\t') { ' ' } else { c }).collect();
    let fence = "`".repeat(longest_run(&flat, '`') + 1);
    // CommonMark strips one space from each side, which lets content start or end with a backtick.
    let pad = if flat.starts_with('`') || flat.ends_with('`') || flat.is_empty() { " " } else { "" };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// The doc text for a type or field: description, then default and deprecation notes.
pub fn describe(docs: &Docs) -> Option<String> {
    let mut parts: Vec<String> = docs.description.iter().cloned().collect();
    if let Some(default) = &docs.default {
        parts.push(format!("Defaults to {}.", code_span(&default.to_string())));
    }
    if docs.deprecated {
        parts.push("Deprecated.".to_string());
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Rewrites spec markdown so that rustdoc shows it as the author meant and runs none of it.
pub fn sanitize(text: &str) -> String {
    let normalized = normalize(text);
    let mut text = normalized.clone();
    for _ in 0..MAX_PASSES {
        let edits = Pass::new(&text).edits();
        if edits.is_empty() {
            break;
        }
        // What rustdoc will parse: a rewrite may have indented every line.
        let mut lines: Vec<String> = apply(&text, edits).split('\n').map(str::to_string).collect();
        dedent(&mut lines);
        text = lines.join("\n");
    }
    // The gate that makes doctests impossible whatever the rewrites above
    // missed: text with any other code block is shown as one plain block.
    if only_text_blocks(&text) {
        text
    } else {
        literal_block(&normalized)
    }
}

/// The options rustdoc parses doc comments with (`main_body_opts` in librustdoc).
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Whether every code block of `text` is fenced with the info string `text`.
fn only_text_blocks(text: &str) -> bool {
    Parser::new_ext(text, rustdoc_options()).all(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => &*info == INFO,
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => false,
        _ => true,
    })
}

/// Line breaks as `\n` (CommonMark also breaks lines at a lone CR, which
/// rustdoc's line splitting does not), tabs expanded to CommonMark's tab stops
/// (clippy's `tabs_in_doc_comments`), whitespace-only lines emptied, blank
/// lines at either end dropped, and the common indentation removed.
fn normalize(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> =
        text.split('\n').map(|line| if line.trim().is_empty() { String::new() } else { expand_tabs(line) }).collect();
    // The first line often follows a YAML key or a quote: its indentation says nothing.
    if let Some(first) = lines.first_mut() {
        *first = first.trim_start().to_string();
    }
    dedent(&mut lines[1..]);
    lines.join("\n").trim_start_matches('\n').trim_end().to_string()
}

/// Removes the indentation all non-blank lines share, as rustdoc does with a
/// doc comment's lines: with a line left at column 0, rustdoc removes exactly
/// the one space each attribute starts with, and parses what was checked here.
fn dedent(lines: &mut [String]) {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    for line in lines.iter_mut() {
        if line.trim().is_empty() {
            line.clear();
        } else {
            line.drain(..indent);
        }
    }
}

fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 4 - column % 4;
            out.push_str(&" ".repeat(spaces));
            column += spaces;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

/// The whole text as one plain block: nothing inside a fence is parsed, and a
/// fence longer than any run of backticks inside cannot be closed early.
fn literal_block(text: &str) -> String {
    let fence = "`".repeat((longest_run(text, '`') + 1).max(3));
    format!("{fence}{INFO}\n{text}\n{fence}")
}

fn longest_run(text: &str, wanted: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for c in text.chars() {
        current = if c == wanted { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// A replacement of `range` (an insertion when empty).
struct Edit {
    range: Range<usize>,
    with: String,
}

/// Applies edits in order; one that overlaps an earlier one is left for the next pass.
fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut out = String::with_capacity(text.len() + edits.len() * 4);
    let mut at = 0;
    for edit in edits {
        if edit.range.start < at {
            continue;
        }
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.with);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The containers a line of a paragraph must repeat, as clippy's
/// `doc_lazy_continuation` sees them.
enum Container {
    Quote,
    /// A list item whose content starts this many bytes after its marker's start.
    Item(usize),
}

/// A code block being read.
struct Code {
    /// Where the block starts: its fence, or its first line's text.
    start: usize,
    /// The fence character, for fenced blocks.
    fence: Option<char>,
    /// The block's text, container markers and indentation removed.
    content: String,
    /// Where the last line of text ends (the opening fence's line ends, if there is none).
    content_end: usize,
}

/// A link being read: kept when it points at a URL, else turned into text.
struct Link {
    kept: bool,
    start: usize,
    children_end: usize,
}

/// One parse of the text, collecting the edits it calls for.
struct Pass<'a> {
    text: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    /// Starts of reference definitions, which produce no events.
    definitions: Vec<usize>,
    edits: Vec<Edit>,
    containers: Vec<Container>,
    links: Vec<Link>,
    code: Option<Code>,
    in_footnote_definition: bool,
    /// Where the last text or code span ended: a backslash there is text, not an escape.
    inline_end: usize,
}

impl<'a> Pass<'a> {
    fn new(text: &'a str) -> Self {
        let mut parser = Parser::new_ext(text, rustdoc_options()).into_offset_iter();
        let events: Vec<_> = parser.by_ref().collect();
        let definitions = parser.reference_definitions().iter().map(|(_, definition)| definition.span.start).collect();
        Pass {
            text,
            events,
            definitions,
            edits: Vec::new(),
            containers: Vec::new(),
            links: Vec::new(),
            code: None,
            in_footnote_definition: false,
            inline_end: 0,
        }
    }

    fn edits(mut self) -> Vec<Edit> {
        // Reference definitions would be shown as nothing and make `[label]` a link; clippy
        // warns about them in lists and quotes. Escaped, they are text like the rest.
        for start in std::mem::take(&mut self.definitions) {
            self.escape_at(start, '[');
        }
        let events = std::mem::take(&mut self.events);
        for (index, (event, range)) in events.iter().enumerate() {
            if let Some(link) = self.links.last_mut() {
                if !matches!(event, Event::End(TagEnd::Link)) {
                    link.children_end = link.children_end.max(range.end);
                }
            }
            if self.code.is_some() {
                self.in_code_block(event, range);
                continue;
            }
            match event {
                Event::Start(Tag::CodeBlock(kind)) => self.code_block_start(kind, range),
                Event::Text(text) => {
                    self.escape_brackets(range);
                    if self.links.iter().all(|link| !link.kept) {
                        self.link_bare_urls(text, range);
                    }
                    self.inline_end = range.end;
                }
                Event::Code(_) => self.inline_end = range.end,
                Event::Html(_) | Event::InlineHtml(_) => self.escape_html(range),
                Event::FootnoteReference(_) => {
                    self.escape_at(range.start, '[');
                    self.escape_at(range.end.saturating_sub(1), ']');
                }
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    self.in_footnote_definition = true;
                    self.escape_at(range.start, '[');
                }
                Event::End(TagEnd::FootnoteDefinition) => self.in_footnote_definition = false,
                Event::Start(Tag::BlockQuote(_)) => {
                    // rustdoc's `unportable_markdown` warns about `>` without a space.
                    if self.text[range.start..].starts_with('>') && !self.text[range.start..].starts_with("> ") {
                        self.edits.push(Edit { range: range.start + 1..range.start + 1, with: " ".to_string() });
                    }
                    self.containers.push(Container::Quote);
                }
                Event::Start(Tag::Item) => {
                    let indent = self.item_indent(range, events.get(index + 1));
                    self.containers.push(Container::Item(indent));
                }
                Event::End(TagEnd::BlockQuote | TagEnd::Item) => {
                    self.containers.pop();
                }
                Event::Start(Tag::Link { link_type, dest_url, .. }) => self.link_start(*link_type, dest_url, range),
                Event::End(TagEnd::Link) => self.link_end(range),
                Event::SoftBreak | Event::HardBreak => self.continuation(range, events.get(index + 1)),
                _ => {}
            }
        }
        self.edits
    }

    fn code_block_start(&mut self, kind: &CodeBlockKind, range: &Range<usize>) {
        let opening = &self.text[range.start..];
        let line_end = opening.find('\n').map_or(self.text.len(), |at| range.start + at);
        let fence = match kind {
            CodeBlockKind::Fenced(info) => {
                let fence_at = range.start + (opening.len() - opening.trim_start_matches(' ').len());
                let fence_char = self.text[fence_at..].chars().next().filter(|c| matches!(c, '`' | '~'));
                if let Some(c) = fence_char {
                    if &**info != INFO {
                        let fence_end = fence_at + self.text[fence_at..line_end].len()
                            - self.text[fence_at..line_end].trim_start_matches(c).len();
                        self.edits.push(Edit { range: fence_end..line_end, with: INFO.to_string() });
                    }
                }
                fence_char
            }
            CodeBlockKind::Indented => None,
        };
        self.code = Some(Code {
            start: range.start,
            fence,
            content: String::new(),
            content_end: (line_end + 1).min(self.text.len()),
        });
    }

    fn in_code_block(&mut self, event: &Event, range: &Range<usize>) {
        let Some(code) = self.code.as_mut() else { return };
        match event {
            Event::Text(text) => {
                code.content.push_str(text);
                code.content_end = range.end;
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(code) = self.code.take() {
                    match code.fence {
                        Some(fence) => self.close_fence(&code, fence, range),
                        None => self.fence_indented(&code, range),
                    }
                }
            }
            _ => {}
        }
    }

    /// A fence left open up to the end of the text gets its closing fence, so that
    /// text appended later is not code.
    fn close_fence(&mut self, code: &Code, fence: char, range: &Range<usize>) {
        let closed = self.text.get(code.content_end..range.end).is_some_and(|rest| rest.contains(fence));
        if closed || !self.text[range.end..].trim().is_empty() {
            return;
        }
        let opening = &self.text[code.start..];
        let length = opening.len() - opening.trim_start_matches(fence).len();
        let newline = if self.text.ends_with('\n') { "" } else { "\n" };
        let prefix = continuation_prefix(&self.text[line_start(self.text, code.start)..code.start]);
        let at = self.text.len();
        self.edits.push(Edit { range: at..at, with: format!("{newline}{prefix}{}", fence.to_string().repeat(length)) });
    }

    /// An indented block, rebuilt as a fenced one inside the same containers.
    fn fence_indented(&mut self, code: &Code, range: &Range<usize>) {
        let start = line_start(self.text, code.start);
        // The first line is container markers, four spaces of indentation, then text.
        let Some(markers) = self.text[start..code.start].strip_suffix("    ") else { return };
        let prefix = continuation_prefix(markers);
        let fence = "`".repeat((longest_run(&code.content, '`') + 1).max(3));
        let mut block = format!("{markers}{fence}{INFO}\n");
        for line in code.content.strip_suffix('\n').unwrap_or(&code.content).split('\n') {
            block.push_str(if line.is_empty() { prefix.trim_end() } else { &prefix });
            block.push_str(line);
            block.push('\n');
        }
        block.push_str(&prefix);
        block.push_str(&fence);
        let end = if self.text[..range.end].ends_with('\n') { range.end - 1 } else { range.end };
        self.edits.push(Edit { range: start..end, with: block });
    }

    /// `[` and `]` that are not escaped: rustdoc would read `[foo]` as an intra-doc link.
    fn escape_brackets(&mut self, range: &Range<usize>) {
        for (offset, byte) in self.text[range.clone()].bytes().enumerate() {
            if matches!(byte, b'[' | b']') {
                let at = range.start + offset;
                // An escaped bracket starts a text event right after its backslash.
                let escaped = at == range.start && at > self.inline_end && self.text[..at].ends_with('\\');
                if !escaped {
                    self.edits.push(Edit { range: at..at, with: "\\".to_string() });
                }
            }
        }
    }

    /// Escapes the character at `at` if it is `wanted` (and not escaped already).
    fn escape_at(&mut self, at: usize, wanted: char) {
        if self.text[at..].starts_with(wanted) && !self.text[..at].ends_with('\\') {
            self.edits.push(Edit { range: at..at, with: "\\".to_string() });
        }
    }

    /// Spec HTML is shown, not rendered: rendered, it is markup (and script) from
    /// an untrusted document, and rustdoc warns about tags it finds unbalanced.
    fn escape_html(&mut self, range: &Range<usize>) {
        for (offset, byte) in self.text[range.clone()].bytes().enumerate() {
            if byte == b'<' {
                let at = range.start + offset;
                self.edits.push(Edit { range: at..at + 1, with: "&lt;".to_string() });
            }
        }
    }

    /// Bare URLs as rustdoc's `bare_urls` lint finds them, made autolinks.
    fn link_bare_urls(&mut self, text: &str, range: &Range<usize>) {
        static URL: LazyLock<Regex> = LazyLock::new(|| {
            // The pattern and the literal are ours: they compile.
            Regex::new(r"https?://([-a-zA-Z0-9@:%._\+~#=]{2,256}\.)+[a-zA-Z]{2,63}\b([-a-zA-Z0-9@:%_\+.~#?&/=]*)")
                .expect("URL pattern compiles")
        });
        // Positions map to the source only where the event is the source verbatim.
        if &self.text[range.clone()] != text {
            return;
        }
        for found in URL.find_iter(text) {
            // Sentence punctuation after a URL stays outside the link.
            let url = found.as_str().trim_end_matches(['.', ':', '?']);
            let start = range.start + found.start();
            self.edits.push(Edit { range: start..start, with: "<".to_string() });
            self.edits.push(Edit { range: start + url.len()..start + url.len(), with: ">".to_string() });
        }
    }

    fn link_start(&mut self, link_type: LinkType, destination: &str, range: &Range<usize>) {
        // Rustdoc resolves a destination without a `/` as a Rust path: a broken link.
        let kept = matches!(link_type, LinkType::Autolink | LinkType::Email)
            || destination.contains('/')
            || destination.starts_with("mailto:");
        if !kept {
            self.escape_at(range.start, '[');
        }
        self.links.push(Link { kept, start: range.start, children_end: range.start + 1 });
    }

    /// A link that is not kept loses the brackets around its text; what follows them is text in the next pass.
    fn link_end(&mut self, range: &Range<usize>) {
        let Some(link) = self.links.pop() else { return };
        if link.kept {
            return;
        }
        let from = link.children_end.max(link.start + 1);
        if let Some(offset) = self.text.get(from..range.end).and_then(|rest| rest.find(']')) {
            self.escape_at(from + offset, ']');
        }
    }

    /// The content offset of a list item as clippy measures it: from the item's
    /// start to its first child's (or to the item's end when it is empty).
    fn item_indent(&self, range: &Range<usize>, next: Option<&(Event, Range<usize>)>) -> usize {
        let next_start = match next {
            Some((Event::End(_), next)) => next.end,
            Some((_, next)) if self.text[..next.start].ends_with('\\') => next.start - 1,
            Some((_, next)) => next.start,
            None => range.start,
        };
        next_start.saturating_sub(range.start)
    }

    /// A paragraph line inside lists or quotes gets exactly the markers and
    /// indentation of its containers, as clippy's `doc_lazy_continuation` asks.
    fn continuation(&mut self, range: &Range<usize>, next: Option<&(Event, Range<usize>)>) {
        let Some((next, next_range)) = next else { return };
        if self.containers.is_empty()
            || self.in_footnote_definition
            || matches!(next, Event::End(_))
            || next_range.start < range.end
        {
            return;
        }
        let prefix = &self.text[range.end..next_range.start];
        let quotes = self.containers.iter().filter(|c| matches!(c, Container::Quote)).count();
        let indent: usize =
            self.containers.iter().map(|c| if let Container::Item(indent) = c { *indent } else { 0 }).sum();
        let markers = prefix.matches('>').count();
        let spaces = prefix.matches(' ').count();
        if !(markers < quotes || (markers == 0 && quotes == 0 && spaces != indent)) {
            return;
        }
        let lead = prefix.len() - prefix.trim_start_matches([' ', '>']).len();
        let wanted: String = self
            .containers
            .iter()
            .map(|c| if let Container::Item(indent) = c { " ".repeat(*indent) } else { "> ".to_string() })
            .collect();
        self.edits.push(Edit { range: range.end..range.end + lead, with: wanted });
        // Indented four or more past its place, a line cannot start a block; at
        // its place its first character might (`-`, `#`, `1.`, a fence), so it is escaped.
        if quotes == 0 && lead >= indent + 4 && prefix.len() == lead {
            if let Event::Text(_) = next {
                let line = &self.text[next_range.start..];
                let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let at = next_range.start + digits;
                let marker = self.text[at..]
                    .chars()
                    .next()
                    .filter(|c| c.is_ascii_punctuation() && (digits == 0 || matches!(c, '.' | ')')));
                if marker.is_some() {
                    self.edits.push(Edit { range: at..at, with: "\\".to_string() });
                }
            }
        }
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |newline| newline + 1)
}

/// What continues the containers of a line that starts with `markers`: quote
/// markers stay, list markers become the spaces they take.
fn continuation_prefix(markers: &str) -> String {
    markers.chars().map(|c| if c == '>' { '>' } else { ' ' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payload of the hostile tests: run as a doctest, it writes a file.
    const PAYLOAD: &str = "std::fs::write(\"pwned\", \"\").unwrap();";

    /// Sanitizes, checks that rustdoc would find no code block but plain `text`
    /// ones, and that the payload is still shown (as text, not dropped).
    fn inert(text: &str) -> String {
        let out = sanitize(text);
        assert!(only_text_blocks(&out), "a code block rustdoc would run:\n{out}");
        assert_eq!(sanitize(&out), out, "a second sanitizing changes the text");
        out
    }

    #[test]
    fn escapes_what_rustdoc_misreads() {
        assert_eq!(inert("see [foo] and [link](https://e.com)"), "see \\[foo\\] and [link](https://e.com)");
        assert_eq!(inert("a <b>x</b> and Vec<String>"), "a &lt;b>x&lt;/b> and Vec&lt;String>");
        assert_eq!(inert("go to https://example.com/x."), "go to <https://example.com/x>.");
        assert_eq!(inert("or <https://example.com/y>."), "or <https://example.com/y>.");
        assert_eq!(inert("`Vec<String>` [x]"), "`Vec<String>` \\[x\\]");
        assert_eq!(inert("already \\[x\\] and \\\\[y]"), "already \\[x\\] and \\\\\\[y\\]");
        assert_eq!(inert("[text](not_a_url) [^1]"), "\\[text\\](not_a_url) \\[^1\\]");
        assert_eq!(inert("[r]: https://example.com\n\nsee [r]"), "\\[r\\]: <https://example.com>\n\nsee \\[r\\]");
        assert_eq!(inert(">quoted"), "> quoted");
    }

    #[test]
    fn code_blocks_become_fenced_text() {
        assert_eq!(inert("a\n```python\nprint(1)\n```"), "a\n```text\nprint(1)\n```");
        assert_eq!(inert("a\n~~~\nx\n~~~"), "a\n~~~text\nx\n~~~");
        assert_eq!(inert("a\n  b\n\n      indented\n\n   c"), "a\nb\n\n```text\nindented\n```\n\n c");
        // The fence is longer than any run of backticks inside.
        assert_eq!(inert("a\n\n    ```\n    x\n\nb"), "a\n\n````text\n```\nx\n````\n\nb");
        // A fence left open is closed, so that text appended after it is not code.
        assert_eq!(inert("a\n```rust\nx"), "a\n```text\nx\n```");
        assert_eq!(inert("> a\n>\n>     x\n>\n>     y"), "> a\n>\n> ```text\n> x\n>\n> y\n> ```");
    }

    #[test]
    fn fence_inside_a_list_item_is_text() {
        // (A last line at column 0 keeps the common indentation from being removed.)
        let out = inert(&format!("- item\n\n  ```\n  {PAYLOAD}\n  ```\n\nend"));
        assert_eq!(out, format!("- item\n\n  ```text\n  {PAYLOAD}\n  ```\n\nend"));
        let out = inert(&format!("1. item\n   ```rust,no_run\n   {PAYLOAD}\n\nend"));
        // The item, and the block with it, ends before `end`.
        assert_eq!(out, format!("1. item\n   ```text\n   {PAYLOAD}\n\nend"));
    }

    #[test]
    fn tab_indented_line_after_a_blank_line_is_text() {
        let out = inert(&format!("Text.\n\n\t{PAYLOAD}\n\nend"));
        assert_eq!(out, format!("Text.\n\n```text\n{PAYLOAD}\n```\n\nend"));
        assert!(!out.contains('\t'));
        // Two tabs are eight columns: the list item's two, the code block's four, and two of text.
        let out = inert(&format!("- item\n\n\t\t{PAYLOAD}\n\nend"));
        assert_eq!(out, format!("- item\n\n  ```text\n    {PAYLOAD}\n  ```\n\nend"));
    }

    #[test]
    fn indented_fence_continuing_a_paragraph_is_text() {
        let out = inert(&format!("A paragraph\n   ```\n   {PAYLOAD}\n   ```\nend"));
        assert_eq!(out, format!("A paragraph\n   ```text\n   {PAYLOAD}\n   ```\nend"));
    }

    #[test]
    fn lone_cr_and_crlf_are_line_breaks() {
        assert_eq!(inert(&format!("a\r```\r{PAYLOAD}\r```")), format!("a\n```text\n{PAYLOAD}\n```"));
        assert_eq!(inert(&format!("a\r\n\r\n    {PAYLOAD}\r\rend")), format!("a\n\n```text\n{PAYLOAD}\n```\n\nend"));
    }

    #[test]
    fn code_span_holds_any_string_on_one_line() {
        let url = format!("https://x\n```\n{PAYLOAD}\n```\r```");
        let span = code_span(&url);
        assert_eq!(span, format!("```` https://x ``` {PAYLOAD} ``` ``` ````"));
        assert!(only_text_blocks(&span));
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`"), "`` ` ``");
    }

    #[test]
    fn continuation_lines_get_their_containers_markers() {
        assert_eq!(inert("- a\nlazy"), "- a\n  lazy");
        assert_eq!(inert("- a\n      over"), "- a\n  over");
        assert_eq!(inert("> a\nlazy"), "> a\n> lazy");
        // Moved left, `---` would underline a heading and `1.` start a list.
        assert_eq!(inert("- a\n        ---\n        1. b\n\nc"), "- a\n  \\---\n  1\\. b\n\nc");
    }

    #[test]
    fn lines_all_indented_by_a_rewrite_are_dedented_as_rustdoc_would() {
        // The lazy line, the only one at column 0, is indented into its item.
        assert_eq!(inert("\n  - a\nlazy"), "- a\n  lazy");
    }

    #[test]
    fn contrived_nesting_falls_back_to_one_plain_block() {
        // Each pass unescapes one more level of HTML that hides markdown.
        let nested = "<div>\n".repeat(2) + &"```\n".repeat(20);
        assert!(only_text_blocks(&sanitize(&nested)));
    }

    #[test]
    fn long_runs_of_brackets_take_linear_time() {
        // 300 KB of `[` or `<` took minutes when each looked ahead for its closing character.
        for c in ["[", "<", "[a](", "<b "] {
            let out = sanitize(&c.repeat(300_000 / c.len()));
            assert!(only_text_blocks(&out));
        }
    }
}
