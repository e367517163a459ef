//! Where in a JSON body decoding failed, worked out from the body and the
//! error's line and column after the failure, by a scan that knows JSON and
//! not the type. `serde_path_to_error` tracks the path while reading instead,
//! by wrapping the deserializer, which compiles every type's reader a second
//! time for its wrappers (7.6% of the LLVM IR of the whole OpenAI crate);
//! this costs nothing when decoding succeeds and is compiled once.
//!
//! The path names the value that serde_json was reading when it failed, as
//! `serde_path_to_error`'s does: a value opens at its member's colon or where
//! its array element starts, and closes at its last byte. The one difference:
//! a syntax error inside a value that the type keeps as text (an unknown
//! property) is located inside it, not at it.

use std::fmt;

use super::super::de::Fingerprint;

/// One step of a path into a JSON document.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// An object's member.
    Key(String),
    /// An array's element.
    Index(usize),
    /// Where a member's name should be and is not (a missing or broken name),
    /// written `?` as serde_path_to_error writes it.
    Unknown,
}

/// A path into a JSON document, written as `serde_path_to_error` writes its
/// paths: `.` for the document itself, else `choices[0].message.content`.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonPath(pub Vec<PathSegment>);

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for (index, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Index(element) => write!(f, "[{element}]")?,
                PathSegment::Unknown if index == 0 => f.write_str("?")?,
                PathSegment::Unknown => f.write_str(".?")?,
                PathSegment::Key(key) if index == 0 => f.write_str(key)?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
            }
        }
        Ok(())
    }
}

/// A failure to read a JSON body: the path of the value being read and serde_json's error.
#[doc(hidden)]
#[derive(Debug)]
pub struct JsonFailure {
    /// Where the failure was.
    pub path: JsonPath,
    /// What it was.
    pub error: serde_json::Error,
}

/// Reads `T` from a JSON body (trailing text after the value is not read,
/// as before). Only this call is compiled once a type; the path of a failure
/// is worked out by [`failure`], compiled once.
#[doc(hidden)]
pub fn from_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, JsonFailure> {
    super::super::de::forget_after_value();
    T::deserialize(&mut serde_json::Deserializer::from_slice(body)).map_err(|error| failure(body, error))
}

/// The path of `error`, which reading `body` failed with.
#[cold]
fn failure(body: &[u8], error: serde_json::Error) -> JsonFailure {
    JsonFailure { path: error_path(body, &error), error }
}

/// The path of the value that serde_json was reading from `body` when it failed with `error`.
pub(crate) fn error_path(body: &[u8], error: &serde_json::Error) -> JsonPath {
    // Without a position the error came out of the outermost value's reader.
    if error.line() == 0 {
        return JsonPath::default();
    }
    let target = if error.is_eof() {
        Target::End
    } else {
        // serde_json's column counts the bytes of the line up to its position: `after` is the
        // index after the byte it names (the last one read, or the next one), 0 before the first.
        let line_start = if error.line() == 1 {
            0
        } else {
            body.iter()
                .enumerate()
                .filter(|(_, byte)| **byte == b'\n')
                .nth(error.line() - 2)
                .map_or(0, |(at, _)| at + 1)
        };
        let after = (line_start + error.column()).min(body.len());
        let raised = |message: &str| super::super::de::raised_after_value(message);
        // serde_json takes the position of a message that ends in one (a variant's error) from it,
        // which then is a position in the variant's text, not in the body.
        match raised(&error.to_string()) {
            Some(Fingerprint(hash)) => Target::Hashed(hash),
            None => match raised(&super::super::de::message_without_position(error)) {
                Some(Fingerprint(hash)) => Target::Before(after, hash),
                None => Target::At(after),
            },
        }
    };
    let mut scan = Scan { body, at: 0, target, path: Vec::new(), found: None, closed: [None, None] };
    scan.value(0, 0);
    if let Target::Before(_, hash) = target {
        return JsonPath(scan.closed_before(hash));
    }
    JsonPath(scan.found.unwrap_or_default())
}

/// Which value the path leads to.
#[derive(Clone, Copy)]
enum Target {
    /// The innermost value open at the byte before this index.
    At(usize),
    /// The innermost value not closed at the end of the body (serde_json met its end).
    End,
    /// The first value whose compact text has this hash (an untagged union's, when its error
    /// names its variant's position, so that the body's position is not known).
    Hashed(u64),
    /// The value that closed last before the byte before this index, or its
    /// last child where that has the fingerprint (the hash of its compact
    /// text): an error raised once a value was read (a union's) is placed where
    /// the reader of the value around it stopped, after that value's end when
    /// the value was its last (serde_json reads the end of an object or array
    /// before it places an error).
    Before(usize, u64),
}

/// How scanning a value ended.
enum Step {
    /// At its last byte, the one before `Scan::at`.
    Closed,
    /// Not closed: the body ends or breaks JSON's syntax in it.
    Broken,
    /// The path is found; scanning stops.
    Found,
}

/// Deeper than serde_json reads (128); the scan stops there.
const DEPTH_LIMIT: usize = 256;

/// A scan of a JSON document for the value at a target.
struct Scan<'b> {
    body: &'b [u8],
    at: usize,
    target: Target,
    /// The path of the value being scanned.
    path: Vec<PathSegment>,
    /// The answer, for targets other than `Target::Before`.
    found: Option<Vec<PathSegment>>,
    /// For `Target::Before`: the values closed last and the one before it, each path with its text's range.
    closed: [Option<(Vec<PathSegment>, usize, usize)>; 2],
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.body.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.at += 1;
        }
    }

    /// Scans the value at `self.at`, which opened at `open`, and checks whether the path leads to it.
    fn value(&mut self, open: usize, depth: usize) -> Step {
        if let Target::Before(before, _) = self.target {
            if open >= before {
                return Step::Found;
            }
        }
        self.skip_whitespace();
        let start = self.at;
        let step = match self.peek() {
            _ if depth > DEPTH_LIMIT => Step::Broken,
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            _ => Step::Broken,
        };
        let end = match step {
            Step::Found => return Step::Found,
            Step::Closed => Some(self.at - 1),
            Step::Broken => None,
        };
        if let (Target::Hashed(hash), Some(end)) = (self.target, end) {
            if self.hash_of(start, end) == Some(hash) {
                self.found = Some(self.path.clone());
                return Step::Found;
            }
        }
        if let (Target::Before(before, _), Some(end)) = (self.target, end) {
            if end < before {
                let [_, last] = std::mem::take(&mut self.closed);
                self.closed = [last, Some((self.path.clone(), start, end))];
            }
        }
        if self.leads_here(open, end) {
            return Step::Found;
        }
        step
    }

    /// For `Target::Before`: the value closed last, or its last child if that has the fingerprint `hash`.
    fn closed_before(mut self, hash: u64) -> Vec<PathSegment> {
        let [child, last] = std::mem::take(&mut self.closed);
        let Some((last, ..)) = last else {
            return Vec::new();
        };
        let fits = |(path, start, end): &(Vec<PathSegment>, usize, usize)| {
            path.len() == last.len() + 1 && path.starts_with(&last) && self.hash_of(*start, *end) == Some(hash)
        };
        match child {
            Some(child) if fits(&child) => child.0,
            _ => last,
        }
    }

    /// Whether the path leads to the value being scanned, which opened at
    /// `open` and closed at `end` (`None`: not closed); it is then found.
    fn leads_here(&mut self, open: usize, end: Option<usize>) -> bool {
        let leads_here = match (self.target, end) {
            (Target::At(after), Some(end)) => open < after && after <= end + 1,
            (Target::At(after), None) => open < after,
            (Target::End, end) => end.is_none(),
            (Target::Before(..) | Target::Hashed(_), _) => false,
        };
        if leads_here {
            self.found = Some(self.path.clone());
        }
        leads_here
    }

    /// An object breaks where a member's name should be (its end, a name
    /// missing or broken, a comma too many): serde_json fails reading the name.
    fn broken_name(&mut self) -> Step {
        self.path.push(PathSegment::Unknown);
        let found = self.leads_here(self.at, None);
        self.path.pop();
        if found {
            Step::Found
        } else {
            Step::Broken
        }
    }

    /// The hash of the compact text of the value at `start..=end`, as the runtime's `Fingerprint` has it.
    fn hash_of(&self, start: usize, end: usize) -> Option<u64> {
        let value = serde_json::from_slice::<serde_json::Value>(&self.body[start..=end]).ok()?;
        Some(super::super::de::text_hash(&value.to_string()))
    }

    fn object(&mut self, depth: usize) -> Step {
        self.at += 1;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Step::Closed;
        }
        loop {
            let name = self.at;
            let Some(key) = self.key() else {
                self.at = name;
                return self.broken_name();
            };
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Step::Broken;
            }
            let colon = self.at;
            self.at += 1;
            self.path.push(PathSegment::Key(key));
            let step = self.value(colon, depth + 1);
            self.path.pop();
            match step {
                Step::Closed => {}
                step => return step,
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.at += 1;
                    self.skip_whitespace();
                }
                Some(b'}') => {
                    self.at += 1;
                    return Step::Closed;
                }
                _ => return self.broken_name(),
            }
        }
    }

    /// A member's name, unescaped as serde_json reads it.
    fn key(&mut self) -> Option<String> {
        let start = self.at;
        if self.peek() != Some(b'"') {
            return None;
        }
        match self.string() {
            Step::Closed => serde_json::from_slice(&self.body[start..self.at]).ok(),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Step {
        let mut separator = self.at;
        self.at += 1;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Step::Closed;
        }
        let mut index = 0;
        loop {
            // An element opens at its first byte, where serde_json starts reading it; for a
            // value of the wrong kind, which serde_json does not consume, that is after the separator.
            if self.peek().is_none() {
                return Step::Broken;
            }
            self.path.push(PathSegment::Index(index));
            let step = self.value(separator, depth + 1);
            self.path.pop();
            match step {
                Step::Closed => index += 1,
                step => return step,
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    separator = self.at;
                    self.at += 1;
                    self.skip_whitespace();
                    if matches!(self.peek(), Some(b']') | None) {
                        return Step::Broken;
                    }
                }
                Some(b']') => {
                    self.at += 1;
                    return Step::Closed;
                }
                _ => return Step::Broken,
            }
        }
    }

    fn string(&mut self) -> Step {
        self.at += 1;
        while let Some(byte) = self.peek() {
            self.at += 1;
            match byte {
                b'"' => return Step::Closed,
                b'\\' => self.at += 1,
                0..0x20 => return Step::Broken,
                _ => {}
            }
        }
        Step::Broken
    }

    fn number(&mut self) -> Step {
        while matches!(self.peek(), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.at += 1;
        }
        // A number that the body's end cuts short (`1.`, `-`) is not closed.
        match self.body[self.at - 1] {
            b'0'..=b'9' => Step::Closed,
            _ => Step::Broken,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Step {
        if self.body[self.at..].starts_with(word) {
            self.at += word.len();
            Step::Closed
        } else {
            Step::Broken
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    type Nested = BTreeMap<String, Vec<Option<BTreeMap<String, u8>>>>;

    /// `from_json`'s path and message against serde_path_to_error's.
    fn both(body: &str) -> (String, String) {
        let tracked = serde_path_to_error::deserialize::<_, Nested>(&mut serde_json::Deserializer::from_str(body))
            .map_err(|error| (error.path().to_string(), error.into_inner().to_string()));
        let located = from_json::<Nested>(body.as_bytes())
            .map_err(|failure| (failure.path.to_string(), failure.error.to_string()));
        assert_eq!(located.as_ref().err(), tracked.as_ref().err(), "{body}");
        located.err().unwrap_or_default()
    }

    #[test]
    fn a_path_names_the_value_being_read() {
        assert_eq!(both(r#"{"a": [null, {"b": 300}]}"#).0, "a[1].b");
        assert_eq!(both(r#"{"a": [null, {"b": "x"}], "c": []}"#).0, "a[1].b");
        assert_eq!(both(r#"{"a": [{}, 1]}"#).0, "a[1]");
        assert_eq!(both("{\"a\": [\n{},\n\n {\"b\": -1}]}").0, "a[1].b");
        // Cut short, or broken where a name should be.
        assert_eq!(both(r#"{"a": [null, {"b": 3"#).0, "a[1].?");
        assert_eq!(both(r#"{"a": [null, "#).0, "a");
        assert_eq!(both(r#"{"a": [null, {"b"#).0, "a[1].?");
        assert_eq!(both(r#"{"a": [null, {"b" 1}]}"#).0, "a[1]");
        assert_eq!(both(r#"{"a": [null,]}"#).0, "a");
        assert_eq!(both(r#"{"a": tru}"#).0, "a");
        assert_eq!(both(r#"[]"#).0, ".");
        // Where every byte would end the body, the path agrees.
        let body = r#"{"key": [{"x": 1, "y": [2]}, null], "other\"": []}"#;
        for end in 0..body.len() {
            both(&body[..end]);
        }
    }

    #[test]
    fn a_path_is_written_as_serde_path_to_error_writes_it() {
        let path = JsonPath(vec![PathSegment::Index(0), PathSegment::Key("a".into()), PathSegment::Unknown]);
        assert_eq!(path.to_string(), "[0].a.?");
        assert_eq!(JsonPath::default().to_string(), ".");
    }
}
