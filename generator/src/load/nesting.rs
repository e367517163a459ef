//! A linear pre-scan for YAML flow collections (`[..]`, `{..}`) nested too deep.
//!
//! serde_yaml stops at 128 levels, but only after libyaml has turned the whole
//! document into events, and libyaml's scanner revisits every open flow level
//! at each token: 100,000 nested `{items: ` take minutes before the limit is
//! even checked. This scan finds such nesting first, in one pass.
//!
//! It follows just enough of YAML to tell flow brackets from brackets inside
//! scalars: quoted scalars, comments, block scalars (`|`, `>`) and the places
//! where a node may start. Misreading exotic text only matters if it makes
//! more than the limit of brackets look open at once.

/// The byte offset of the first flow bracket nested deeper than `limit`, if any.
pub fn too_deep_flow_bracket(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut scan = Scan { bytes, at: 0, line_start: 0 };
    let mut depth = 0usize;
    // Whether a node (and so a flow collection or a quoted scalar) may start here.
    let mut node_may_start = true;
    // The column of the block node the current line belongs to: a block scalar's text is indented past it.
    let mut block_node_column = 0usize;
    let mut at_line_start = true;
    while let Some(byte) = scan.peek() {
        if at_line_start {
            at_line_start = false;
            scan.line_start = scan.at;
            let indent = scan.skip_while(|b| b == b' ');
            if depth == 0 {
                block_node_column = indent;
                node_may_start = true;
                if scan.rest().starts_with(b"---") && scan.is_space_or_end(3) {
                    scan.at += 3;
                }
            }
            continue;
        }
        let in_flow = depth > 0;
        match byte {
            b'\n' => {
                scan.at += 1;
                at_line_start = true;
            }
            b' ' | b'\t' | b'\r' => scan.at += 1,
            b'#' if scan.follows_space() => {
                scan.skip_while(|b| b != b'\n');
            }
            b'[' | b'{' if in_flow || node_may_start => {
                depth += 1;
                if depth > limit {
                    return Some(scan.at);
                }
                scan.at += 1;
                node_may_start = true;
            }
            b']' | b'}' if in_flow => {
                depth -= 1;
                scan.at += 1;
                node_may_start = false;
            }
            b',' if in_flow => {
                scan.at += 1;
                node_may_start = true;
            }
            // In flow context `:` may touch its value (`{"a":"b"}`); in block context it needs a space.
            b':' if in_flow || scan.is_space_or_end(1) => {
                scan.at += 1;
                node_may_start = true;
            }
            b'-' | b'?' if !in_flow && node_may_start && scan.is_space_or_end(1) => {
                block_node_column = scan.column();
                scan.at += 1;
            }
            b'"' | b'\'' if node_may_start => {
                scan.skip_quoted(byte);
                node_may_start = false;
            }
            // Anchors and tags come before the node they name.
            b'&' | b'!' if node_may_start => {
                scan.skip_while(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
            }
            b'|' | b'>' if !in_flow && node_may_start => {
                scan.skip_while(|b| b != b'\n');
                scan.skip_block_scalar_text(block_node_column);
            }
            _ => {
                if !in_flow && node_may_start {
                    block_node_column = scan.column();
                }
                scan.at += 1;
                node_may_start = false;
            }
        }
    }
    None
}

struct Scan<'t> {
    bytes: &'t [u8],
    at: usize,
    /// Where the current line starts; only kept up to date for block context, where columns matter.
    line_start: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn rest(&self) -> &[u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    /// Skips bytes while `keep` holds; returns how many were skipped.
    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) -> usize {
        let count = self.rest().iter().take_while(|b| keep(**b)).count();
        self.at += count;
        count
    }

    fn is_space_or_end(&self, offset: usize) -> bool {
        matches!(self.bytes.get(self.at + offset), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
    }

    /// Whether the byte before the cursor is whitespace (or there is none), as a comment's `#` needs.
    fn follows_space(&self) -> bool {
        self.at == 0 || matches!(self.bytes.get(self.at - 1), Some(b' ' | b'\t' | b'\r' | b'\n'))
    }

    fn column(&self) -> usize {
        self.at.saturating_sub(self.line_start)
    }

    /// Skips a quoted scalar, which may span lines: `\"` escapes in double quotes, `''` in single ones.
    fn skip_quoted(&mut self, quote: u8) {
        self.at += 1;
        while let Some(byte) = self.peek() {
            self.at += 1;
            if quote == b'"' && byte == b'\\' {
                self.at += 1;
            } else if byte == quote {
                if quote == b'\'' && self.peek() == Some(b'\'') {
                    self.at += 1;
                } else {
                    return;
                }
            }
        }
    }

    /// Skips the lines of a block scalar: blank ones and those indented past its node.
    fn skip_block_scalar_text(&mut self, node_column: usize) {
        while self.peek() == Some(b'\n') {
            let line = self.bytes.get(self.at + 1..).unwrap_or_default();
            let indent = line.iter().take_while(|b| **b == b' ').count();
            let blank = matches!(line.get(indent), None | Some(b'\n' | b'\r'));
            if !blank && indent <= node_column {
                return;
            }
            self.at += 1;
            self.skip_while(|b| b != b'\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deepest(text: &str) -> usize {
        (0..64).find(|limit| too_deep_flow_bracket(text, *limit).is_none()).unwrap_or(64)
    }

    #[test]
    fn counts_flow_collections() {
        assert_eq!(deepest("a: [[1], {b: [2]}]\n"), 3);
        assert_eq!(deepest("{\"a\":[{\"b\":[]}]}"), 4);
        assert_eq!(deepest("- - [x]\n- {a: [\n    [1]]}\n"), 3);
        assert_eq!(deepest("--- [[x]]\n"), 2);
        assert_eq!(deepest("a: &anchor !tag [[x]]\n"), 2);
    }

    #[test]
    fn ignores_brackets_inside_scalars_and_comments() {
        assert_eq!(deepest("description: see [the docs](https://x) [[\n"), 0);
        assert_eq!(deepest("pattern: '^[a-z[[]+$'\nother: \"[[\\\"[\"\n"), 0);
        assert_eq!(deepest("a: 1 # [[[\nb: {c: don't}\n"), 1);
        assert_eq!(deepest("a: |\n  [[[[\n\n  {{{\nb: [x]\n"), 1);
        assert_eq!(deepest("- key: >-\n    [[[\n  other: [x]\n"), 1);
    }

    #[test]
    fn reports_the_first_bracket_past_the_limit() {
        assert_eq!(too_deep_flow_bracket("a: [[[[]]]]", 3), Some(6));
        assert_eq!(too_deep_flow_bracket("a: [[[]]]", 3), None);
    }
}
