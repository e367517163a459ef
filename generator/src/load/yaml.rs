//! YAML text to a JSON value, one parser event at a time.
//!
//! serde_yaml's `Deserializer` first collects the whole document's events
//! (its `Loader` keeps every event, anchors and scalars in a `Vec`, about 30
//! bytes of heap per input byte: 152 MB for a 5 MB spec) and only then builds
//! the value. This builds the value straight from the events of the libyaml
//! parser serde_yaml runs (`load::libyaml`), with serde_yaml's rules for
//! scalars, tags, anchors and limits, so only the value itself is held.
//!
//! It only ever decides success: on anything serde_yaml refuses (a syntax
//! error, a duplicate key, a tag, a limit...) it gives up, and the caller asks
//! serde_yaml, whose messages and positions stay the ones reported. Where
//! unsure it gives up too: it may be stricter than serde_yaml, never looser.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use super::libyaml::{Event, Parser, Scalar};
use super::parse::key_text;

/// The fast path gave up: the document is invalid, too big, or uses what
/// only serde_yaml reports on.
#[derive(Debug)]
pub(super) struct GaveUp;

/// The core schema's tags as libyaml resolves `!!bool` and its kin.
const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
const INT_TAG: &str = "tag:yaml.org,2002:int";
const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
const NULL_TAG: &str = "tag:yaml.org,2002:null";

/// serde_yaml refuses a document whose alias uses (counting those inside
/// expanded anchors) exceed this many per event.
const JUMPS_PER_EVENT: usize = 100;

/// Parses one YAML document into a value of at most `max_values` values
/// (keys included, aliases counted expanded) nested at most `max_depth`
/// collections deep, the bounds serde_yaml and `JsonValueSeed` apply.
pub(super) fn parse(text: &str, max_values: usize, max_depth: usize) -> Result<Value, GaveUp> {
    let mut parser = Parser::new(text).map_err(|_| GaveUp)?;
    let mut builder = Builder::new(max_values, max_depth);
    let mut documents = 0;
    loop {
        match parser.next().map_err(|_| GaveUp)? {
            Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(GaveUp);
                }
            }
            Event::Alias(anchor) => builder.alias(&anchor)?,
            Event::Scalar(Scalar { anchor, tag, value, plain }) => {
                builder.scalar(anchor, tag.as_deref(), value, plain)?
            }
            Event::SequenceStart { anchor, tag } => {
                builder.open(anchor, tag.as_deref(), Collection::Sequence(Vec::new()))?
            }
            Event::MappingStart { anchor, tag } => {
                builder.open(anchor, tag.as_deref(), Collection::Mapping(Map::new(), None))?
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
        }
    }
    builder.finish()
}

/// An anchored value, with what each of its aliases costs.
struct Anchored {
    value: Value,
    /// Values it expands to, itself included.
    values: usize,
    /// Alias uses inside it, expanded.
    jumps: usize,
    /// How many collections deep it nests (0 for a scalar).
    depth: usize,
}

enum Collection {
    Sequence(Vec<Value>),
    /// The entries so far, and the key waiting for its value.
    Mapping(Map<String, Value>, Option<String>),
}

/// A collection being built.
struct Frame {
    collection: Collection,
    anchor: Option<String>,
    /// The counters before this collection, to size its anchor.
    values_before: usize,
    jumps_before: usize,
    /// The depth of its deepest child collection.
    inner_depth: usize,
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<String, Anchored>,
    root: Option<Value>,
    values: usize,
    max_values: usize,
    max_depth: usize,
    /// Alias uses, expanded; serde_yaml bounds them by its event count.
    jumps: usize,
    /// Node events (scalars, aliases, collection starts and ends), as serde_yaml keeps them.
    events: usize,
}

impl Builder {
    fn new(max_values: usize, max_depth: usize) -> Self {
        Builder {
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            values: 0,
            max_values,
            max_depth,
            jumps: 0,
            events: 0,
        }
    }

    fn spend(&mut self) -> Result<(), GaveUp> {
        self.values = paid(self.values, 1, self.max_values)?;
        Ok(())
    }

    fn scalar(&mut self, anchor: Option<String>, tag: Option<&str>, text: String, plain: bool) -> Result<(), GaveUp> {
        self.events += 1;
        self.spend()?;
        let value = scalar_value(text, tag, plain)?;
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, Anchored { value: value.clone(), values: 1, jumps: 0, depth: 0 });
        }
        self.add(value, 0)
    }

    fn alias(&mut self, anchor: &str) -> Result<(), GaveUp> {
        self.events += 1;
        // An alias of an anchor still open (itself or an ancestor) never ends: serde_yaml errs.
        let anchored = self.anchors.get(anchor).ok_or(GaveUp)?;
        if self.stack.len() + anchored.depth > self.max_depth {
            return Err(GaveUp);
        }
        // Paid before the copy is made, so that a copy is never past the budget.
        let spent = paid(self.values, anchored.values, self.max_values)?;
        let (value, depth) = (anchored.value.clone(), anchored.depth);
        self.jumps = self.jumps.saturating_add(anchored.jumps).saturating_add(1);
        self.values = spent;
        self.add(value, depth)
    }

    fn open(&mut self, anchor: Option<String>, tag: Option<&str>, collection: Collection) -> Result<(), GaveUp> {
        self.events += 1;
        if is_local_tag(tag) || self.stack.len() >= self.max_depth {
            return Err(GaveUp);
        }
        let values_before = self.values;
        self.spend()?;
        if let Some(anchor) = &anchor {
            // From here on the name means this collection, unfinished.
            self.anchors.remove(anchor);
        }
        self.stack.push(Frame { collection, anchor, values_before, jumps_before: self.jumps, inner_depth: 0 });
        Ok(())
    }

    fn close(&mut self) -> Result<(), GaveUp> {
        self.events += 1;
        let frame = self.stack.pop().ok_or(GaveUp)?;
        let value = match frame.collection {
            Collection::Sequence(items) => Value::Array(items),
            Collection::Mapping(entries, None) => Value::Object(entries),
            Collection::Mapping(_, Some(_)) => return Err(GaveUp),
        };
        let depth = frame.inner_depth + 1;
        if let Some(anchor) = frame.anchor {
            let anchored = Anchored {
                value: value.clone(),
                values: self.values - frame.values_before,
                jumps: self.jumps - frame.jumps_before,
                depth,
            };
            self.anchors.insert(anchor, anchored);
        }
        self.add(value, depth)
    }

    /// Puts a finished value (`depth` collections deep) where it belongs.
    fn add(&mut self, value: Value, depth: usize) -> Result<(), GaveUp> {
        let Some(frame) = self.stack.last_mut() else {
            return match self.root.replace(value) {
                None => Ok(()),
                Some(_) => Err(GaveUp),
            };
        };
        frame.inner_depth = frame.inner_depth.max(depth);
        match &mut frame.collection {
            Collection::Sequence(items) => items.push(value),
            Collection::Mapping(_, pending @ None) => *pending = Some(key_text(value).map_err(|_| GaveUp)?),
            Collection::Mapping(entries, pending @ Some(_)) => {
                let key = pending.take().ok_or(GaveUp)?;
                if entries.insert(key, value).is_some() {
                    return Err(GaveUp);
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Value, GaveUp> {
        if !self.stack.is_empty() || self.jumps > self.events.max(1).saturating_mul(JUMPS_PER_EVENT) {
            return Err(GaveUp);
        }
        // A stream without a node is null, as serde_yaml reads it.
        Ok(self.root.unwrap_or(Value::Null))
    }
}

/// `spent + more` values, if that is within `max`.
fn paid(spent: usize, more: usize, max: usize) -> Result<usize, GaveUp> {
    spent.checked_add(more).filter(|&total| total <= max).ok_or(GaveUp)
}

/// serde_yaml reads a node with a local tag (`!name`, `!`) as an enum
/// variant, which a JSON value is not.
fn is_local_tag(tag: Option<&str>) -> bool {
    tag.is_some_and(|tag| tag.starts_with('!'))
}

/// A scalar as serde_yaml gives it to a self-describing visitor: the core
/// schema's tags parse strictly, other tags and quoted or block scalars are
/// strings, and plain scalars are resolved.
fn scalar_value(text: String, tag: Option<&str>, plain: bool) -> Result<Value, GaveUp> {
    match tag {
        Some(tag) if is_local_tag(Some(tag)) => Err(GaveUp),
        Some(BOOL_TAG) => parse_bool(&text).map(Value::Bool).ok_or(GaveUp),
        Some(INT_TAG) => parse_int(&text).ok_or(GaveUp),
        Some(FLOAT_TAG) => parse_f64(&text).and_then(Number::from_f64).map(Value::Number).ok_or(GaveUp),
        Some(NULL_TAG) => is_null(&text).then_some(Value::Null).ok_or(GaveUp),
        Some(_) => Ok(Value::String(text)),
        None if plain => plain_scalar(text),
        None => Ok(Value::String(text)),
    }
}

/// serde_yaml's resolution of an untagged plain scalar (YAML 1.2 core
/// schema, with its extensions: `0x`/`0o`/`0b` integers, `+` signs).
fn plain_scalar(text: String) -> Result<Value, GaveUp> {
    if text.is_empty() || is_null(&text) {
        return Ok(Value::Null);
    }
    if let Some(boolean) = parse_bool(&text) {
        return Ok(Value::Bool(boolean));
    }
    if let Some(int) = parse_int(&text) {
        return Ok(int);
    }
    if !digits_but_not_number(&text) {
        if let Some(float) = parse_f64(&text) {
            // `.inf` and `.nan`: serde_yaml gives them, JSON has no such number.
            return Number::from_f64(float).map(Value::Number).ok_or(GaveUp);
        }
    }
    Ok(Value::String(text))
}

fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// serde_yaml's `visit_int` order: u64, negative i64, u128, negative i128;
/// the 128-bit ones become the f64 a JSON reader makes of them (see `JsonValueSeed`).
fn parse_int(text: &str) -> Option<Value> {
    if let Some(int) = parse_unsigned(text, u64::from_str_radix) {
        return Some(Value::Number(int.into()));
    }
    if let Some(int) = parse_negative(text, i64::from_str_radix) {
        return Some(Value::Number(int.into()));
    }
    if let Some(int) = parse_unsigned(text, u128::from_str_radix) {
        return Some(match u64::try_from(int) {
            Ok(small) => Value::Number(small.into()),
            // Precision loss is intended, as in `JsonValueSeed`.
            Err(_) => Value::Number(Number::from_f64(int as f64)?),
        });
    }
    let int = parse_negative(text, i128::from_str_radix)?;
    Some(match i64::try_from(int) {
        Ok(small) => Value::Number(small.into()),
        Err(_) => Value::Number(Number::from_f64(int as f64)?),
    })
}

type FromStrRadix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

/// The radix prefixes serde_yaml reads.
const RADIXES: [(&str, u32); 3] = [("0x", 16), ("0o", 8), ("0b", 2)];

fn parse_unsigned<T>(text: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in RADIXES {
        if let Some(digits) = unsigned.strip_prefix(prefix) {
            if digits.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(digits, radix) {
                return Some(int);
            }
        }
    }
    if unsigned.starts_with(['+', '-']) || digits_but_not_number(text) {
        return None;
    }
    from_str_radix(unsigned, 10).ok()
}

fn parse_negative<T>(text: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    for (prefix, radix) in RADIXES {
        if let Some(digits) = text.strip_prefix('-').and_then(|rest| rest.strip_prefix(prefix)) {
            if let Ok(int) = from_str_radix(&format!("-{digits}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(text) {
        return None;
    }
    from_str_radix(text, 10).ok()
}

/// serde_yaml's floats: Rust's syntax, finite, plus `.inf`, `-.inf`, `.nan` spellings.
fn parse_f64(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(f64::INFINITY);
    }
    if matches!(text, "-.inf" | "-.Inf" | "-.INF") {
        return Some(f64::NEG_INFINITY);
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    unsigned.parse::<f64>().ok().filter(|float| float.is_finite())
}

/// Leading zeros then digits (`007`) is a string in YAML 1.2.
fn digits_but_not_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|byte| byte.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::*;
    use crate::load::parse::{serde_yaml_value, ValueBudget, MAX_DEPTH};

    /// Both parsers on one text: the same value, or both refuse it.
    fn assert_same(label: &str, text: &str) {
        let budget = ValueBudget::new(text.len());
        let streamed = parse(text, budget.limit, MAX_DEPTH);
        let reference = serde_yaml_value(text, &budget);
        match (streamed, reference) {
            (Ok(streamed), Ok(reference)) => assert!(streamed == reference, "{label}: the values differ"),
            (Err(GaveUp), Err(_)) => {}
            (streamed, reference) => {
                panic!("{label}: streamed {:?}, serde_yaml {:?}", streamed.map(|_| ()), reference.map(|_| ()))
            }
        }
    }

    fn yaml_files(dir: &Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                yaml_files(&path, found);
            } else if path.extension().is_some_and(|extension| extension == "yaml" || extension == "yml") {
                found.push(path);
            }
        }
    }

    /// Every YAML document of the repository (its specs, test fixtures,
    /// hostile and bad specs) and, when `../shared` is there, the corpus and
    /// the full OpenAI spec.
    #[test]
    fn streaming_reads_every_known_document_as_serde_yaml_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["specs", "tests", "generator/tests"] {
            yaml_files(&root.join(dir), &mut files);
        }
        let shared = root.join("../shared/specs");
        if shared.is_dir() {
            yaml_files(&shared, &mut files);
        } else {
            eprintln!("skipped: ../shared/specs not found (the corpus and the full OpenAI spec)");
        }
        assert!(files.len() > 20, "{files:?}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_same(&file.display().to_string(), &text);
        }
    }

    #[test]
    fn scalars_resolve_as_serde_yaml_resolves_them() {
        let scalars = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "yes",
            "no",
            "on",
            "0",
            "-0",
            "+0",
            "00",
            "007",
            "-007",
            "+007",
            "0.5",
            "00.5",
            ".5",
            "5.",
            "1e3",
            "1E3",
            "-1e-3",
            "1e400",
            "-1e400",
            "1_000",
            "0x1F",
            "0X1F",
            "-0x1F",
            "+0x1F",
            "0x-1",
            "0x+1",
            "0o17",
            "-0o17",
            "0b101",
            "-0b101",
            "0b2",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "9223372036854776000",
            "-9223372036854776000",
            "340282366920938463463374607431768211456",
            "0xFFFFFFFFFFFFFFFFFF",
            "-0xFFFFFFFFFFFFFFFFFF",
            ".inf",
            "-.inf",
            "+.inf",
            ".NaN",
            ".nan",
            "inf",
            "nan",
            "infinity",
            "+-1",
            "--1",
            "++1",
            "1.2.3",
            "2024-01-01",
            "12:30",
            "'quoted'",
            "\"007\"",
            "\"true\"",
            "!!str 123",
            "!!int 123",
            "!!int 0x1F",
            "!!int x",
            "!!float 1",
            "!!float .inf",
            "!!bool true",
            "!!bool yes",
            "!!null ~",
            "!!null ''",
            "!!null x",
            "!!binary aGk=",
            "!local x",
            "! x",
            "|\n  block\n",
            ">\n  folded\n",
            "&a 1",
            "<<",
            "é",
            "\"\\u00e9\"",
        ];
        for scalar in scalars {
            assert_same(scalar, &format!("key: {scalar}\n"));
            assert_same(scalar, &format!("- {scalar}\n"));
            assert_same(scalar, &format!("{{{scalar}: x}}\n"));
        }
    }

    #[test]
    fn documents_anchors_and_tags_agree_with_serde_yaml() {
        let documents = [
            "# only a comment\n",
            "---\n",
            "a: 1\n...\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n---\n",
            "%YAML 1.2\n---\na: 1\n",
            "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
            "a: &x {b: 1}\nc: *x\nd: [*x, *x]\n",
            "a: &x 1\nb: &x 2\nc: *x\n",
            "a: *x\nb: &x 1\n",
            "a: &x [1, *x]\n",
            "a: &x [1]\nb: &x [*x, 2]\nc: *x\n",
            "&k key: value\n*k : other\n",
            "a: &m {x: 1}\n*m : 1\n",
            "base: &b {x: 1}\nderived: {<<: *b, y: 2}\n",
            "a: 1\na: 2\n",
            "{1: a, 1.0: b}\n",
            "{1: a, '1': b}\n",
            "{null: a, ~: b}\n",
            "[a, b]: c\n",
            "? |\n  long key\n: v\n",
            "!!map {a: 1}\n",
            "!!seq [1]\n",
            "!local {a: 1}\n",
            "!local [1]\n",
            "a: [1, 2\n",
            "a: 'unterminated\n",
            "a:\tb\n",
            "a: b: c\n",
            "- a\nb: c\n",
            "a: \u{1}\n",
            // libyaml-safer panics on this one.
            ">\n  >",
        ];
        for document in documents {
            assert_same(document, document);
        }
    }

    #[test]
    fn limits_agree_with_serde_yaml() {
        let depth = |levels: usize| format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
        assert_same("128 levels", &depth(128));
        assert_same("129 levels", &depth(129));
        let anchored = format!("a: &deep {}\nb: [[*deep]]\n", depth(126));
        assert_same("alias at the limit", &anchored);
        let anchored = format!("a: &deep {}\nb: [[[*deep]]]\n", depth(126));
        assert_same("alias past the limit", &anchored);
        let mut laughs = String::from("l0: &l0 [1,1,1,1,1,1,1,1,1,1]\n");
        for level in 1..9 {
            laughs.push_str(&format!("l{level}: &l{level} [{}]\n", vec![format!("*l{}", level - 1); 10].join(",")));
        }
        assert_same("nested aliases", &laughs);
        let mut few = String::from("l0: &l0 [1,1,1]\n");
        for level in 1..4 {
            few.push_str(&format!("l{level}: &l{level} [{}]\n", vec![format!("*l{}", level - 1); 3].join(",")));
        }
        assert_same("few nested aliases", &few);
        let repeated =
            format!("items: &items [{}]\nuses: [{}]\n", vec!["1"; 1000].join(","), vec!["*items"; 300].join(","));
        assert_same("aliases over the budget", &repeated);
        let within =
            format!("items: &items [{}]\nuses: [{}]\n", vec!["1"; 1000].join(","), vec!["*items"; 200].join(","));
        assert_same("aliases within the budget", &within);
    }

    proptest! {
        /// Short texts of YAML's punctuation and scalar characters, mostly
        /// invalid: the two parsers agree on every one.
        #[test]
        fn any_short_text_parses_as_serde_yaml_parses_it(text in "([-+.:,?!&*|>'\"#%@ \n\t\\[\\]{}~0-9a-fxobeEtrunl_]|0x|\\.inf|true|null|<<|--- |\n  ){0,24}") {
            assert_same(&format!("{text:?}"), &text);
        }
    }
}
