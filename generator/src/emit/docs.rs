//! Descriptions to doc comments that rustdoc renders without warnings.
//!
//! Spec descriptions are CommonMark written for a web page. Read by rustdoc
//! they go wrong in known ways: fenced and indented code blocks become
//! doctests, `[foo]` becomes a broken intra-doc link, `<b>` and `Vec<String>`
//! become HTML tags, and bare URLs draw a lint. Each is fixed here.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = "..."]` attributes for a description (nothing if there is none).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    match text.map(sanitize).filter(|t| !t.trim().is_empty()) {
        Some(text) => {
            let lines = text.lines().map(|line| format!(" {line}"));
            quote! { #( #[doc = #lines] )* }
        }
        None => TokenStream::new(),
    }
}

/// The doc text for a type or field: description, then default and deprecation notes.
pub fn describe(docs: &Docs) -> Option<String> {
    let mut parts: Vec<String> = docs.description.iter().cloned().collect();
    if let Some(default) = &docs.default {
        parts.push(format!("Defaults to `{}`.", default.to_string().replace('`', "'")));
    }
    if docs.deprecated {
        parts.push("Deprecated.".to_string());
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Rewrites markdown so rustdoc reads it as the author meant.
pub fn sanitize(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let dedented = dedent(&text);
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in dedented.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if !in_fence {
                // Not Rust: rustdoc must not compile it as a doctest.
                out.push(format!("{}```text", &line[..line.len() - trimmed.len()]));
            } else {
                out.push(format!("{}```", &line[..line.len() - trimmed.len()]));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        out.push(escape_line(&cap_indent(line)));
    }
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n").trim_end().to_string()
}

fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default().trim_start().to_string();
    std::iter::once(first).chain(lines.map(|l| l.get(indent..).unwrap_or(l.trim_start()).to_string())).collect::<Vec<_>>().join("\n")
}

/// Four spaces of indentation make an indented code block, which rustdoc
/// would compile; keep at most three.
fn cap_indent(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    if indent >= 4 {
        format!("   {}", line.trim_start())
    } else {
        line.to_string()
    }
}

/// Escapes brackets that are not links, angle brackets, and wraps bare URLs.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                // `[text](url)` is a real link; keep it. Anything else would be an intra-doc link.
                if let Some(close) = find_from(&chars, i + 1, ']') {
                    if chars.get(close + 1) == Some(&'(') {
                        if let Some(end) = find_from(&chars, close + 2, ')') {
                            let text: String = chars[i + 1..close].iter().collect();
                            let url: String = chars[close + 2..end].iter().collect();
                            out.push('[');
                            out.push_str(&escape_line(&text));
                            out.push_str("](");
                            out.push_str(&url);
                            out.push(')');
                            i = end + 1;
                            continue;
                        }
                    }
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => {
                // Already an autolink, `<https://...>`: keep it.
                if let Some(end) = find_from(&chars, i, '>').filter(|_| starts_with_url(&chars[i + 1..])) {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                    continue;
                }
                out.push_str("&lt;");
            }
            '>' => out.push_str("&gt;"),
            'h' if starts_with_url(&chars[i..]) => {
                let end = chars[i..].iter().position(|c| c.is_whitespace() || *c == ')' || *c == '"').map(|p| i + p).unwrap_or(chars.len());
                let mut url: String = chars[i..end].iter().collect();
                let trailing: String = url.chars().rev().take_while(|c| matches!(c, '.' | ',' | ';' | ':')).collect();
                url.truncate(url.len() - trailing.len());
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.extend(trailing.chars().rev());
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn find_from(chars: &[char], start: usize, wanted: char) -> Option<usize> {
    chars.get(start..)?.iter().position(|c| *c == wanted).map(|p| p + start)
}

fn starts_with_url(chars: &[char]) -> bool {
    let head: String = chars.iter().take(8).collect();
    head.starts_with("https://") || head.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_rustdoc_misreads() {
        assert_eq!(sanitize("see [foo] and [link](https://e.com)"), "see \\[foo\\] and [link](https://e.com)");
        assert_eq!(sanitize("a <b>x</b> and Vec<String>"), "a &lt;b&gt;x&lt;/b&gt; and Vec&lt;String&gt;");
        assert_eq!(sanitize("go to https://example.com/x."), "go to <https://example.com/x>.");
        assert_eq!(sanitize("or <https://example.com/y>."), "or <https://example.com/y>.");
        assert_eq!(sanitize("`Vec<String>` [x]"), "`Vec<String>` \\[x\\]");
    }

    #[test]
    fn code_blocks_are_not_doctests() {
        assert_eq!(sanitize("a\n```python\nprint(1)\n```"), "a\n```text\nprint(1)\n```");
        assert_eq!(sanitize("a\n  b\n\n      indented"), "a\nb\n\n   indented");
    }
}
