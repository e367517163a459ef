//! Bytes to a JSON value, from YAML or JSON text.
//!
//! Both formats go through one value type so that a spec gives the same
//! output whichever form it is published in.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::nesting::too_deep_flow_bracket;
use super::yaml;
use crate::error::{Error, Location};

/// How deep a document may nest. serde_json and serde_yaml both stop at 128
/// levels on their own (with the message "recursion limit exceeded"); this
/// names that limit in messages and in the YAML pre-scan, and every later
/// stage relies on it: they recurse at most this deep over the document.
pub const MAX_DEPTH: usize = 128;

fn too_deep(file: &str, location: Location) -> Error {
    Error::spec(
        file,
        location,
        format!("the document nests more than {MAX_DEPTH} levels deep; apigen reads at most {MAX_DEPTH} levels"),
    )
}

/// How many values (keys included) a document may expand to: one per two
/// bytes of input, and at least [`MIN_VALUE_BUDGET`]. Real specs are far
/// sparser (the full OpenAI spec: 110k values in 3.4 MB), so only YAML
/// aliases reach it: serde_yaml's own repetition limit counts alias uses, not
/// their expanded size, and a 21 KB document of aliases used thousands of
/// times expanded to gigabytes. Through aliases, a value can be half a
/// generated field (16 KB aliasing a schema of 990 properties 500 times:
/// 500k fields, 8.7 s and 800 MB); at this budget a 1 MB input makes at most
/// about as many fields as 2 MB of plain text would.
fn value_budget(input_bytes: usize) -> usize {
    MIN_VALUE_BUDGET.max(input_bytes / 2)
}

const MIN_VALUE_BUDGET: usize = 250_000;

/// Both parsers' message when a document nests deeper than they allow.
const RECURSION_LIMIT_MESSAGE: &str = "recursion limit exceeded";

/// Parses a YAML or JSON document into a JSON value.
pub fn parse_document(file: &str, bytes: &[u8]) -> Result<Value, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::spec(
            file,
            Location::Document,
            format!("not a text document (invalid UTF-8 at byte {}); expected YAML or JSON", e.valid_up_to()),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::spec(file, Location::Document, "the document is empty; expected an OpenAPI document"));
    }
    if text.contains('\0') {
        return Err(Error::spec(
            file,
            Location::Document,
            "not a text document (contains NUL bytes); expected YAML or JSON",
        ));
    }
    if text.trim_start().starts_with('{') {
        // JSON is YAML too, but serde_json's messages and positions are the precise ones for JSON.
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let budget = ValueBudget::new(bytes.len());
        let value = JsonValueSeed { budget: &budget }
            .deserialize(&mut deserializer)
            .and_then(|v| deserializer.end().map(|()| v));
        value.map_err(|e| {
            let location = Location::LineColumn { line: e.line(), column: e.column() };
            let message = strip_position(&e.to_string()).to_string();
            if message == RECURSION_LIMIT_MESSAGE {
                too_deep(file, location)
            } else {
                Error::spec(file, location, format!("invalid JSON: {message}"))
            }
        })
    } else {
        if let Some(offset) = too_deep_flow_bracket(text, MAX_DEPTH) {
            return Err(too_deep(file, line_column(text, offset)));
        }
        let budget = ValueBudget::new(bytes.len());
        if let Ok(value) = yaml::parse(text, budget.limit, MAX_DEPTH) {
            return Ok(value);
        }
        // serde_yaml, the reference for YAML semantics, says why and where. It
        // holds the whole document's events, but only on this failing path.
        serde_yaml_value(text, &budget).map_err(|e| {
            let location = e
                .location()
                .map(|l| Location::LineColumn { line: l.line(), column: l.column() })
                .unwrap_or(Location::Document);
            let message = strip_position(&e.to_string()).to_string();
            if message == RECURSION_LIMIT_MESSAGE {
                too_deep(file, location)
            } else if budget.is_exceeded() {
                // Valid YAML, only too big once expanded; serde_yaml's message starts with the path of the value.
                Error::spec(file, location, message)
            } else {
                Error::spec(file, location, format!("invalid YAML: {message}"))
            }
        })
    }
}

/// The document's value as serde_yaml reads it, paid from `budget`.
pub(super) fn serde_yaml_value(text: &str, budget: &ValueBudget) -> Result<Value, serde_yaml::Error> {
    JsonValueSeed { budget }.deserialize(serde_yaml::Deserializer::from_str(text))
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> Location {
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    Location::LineColumn { line: before.matches('\n').count() + 1, column: before[line_start..].chars().count() + 1 }
}

/// Drops the " at line X column Y" suffix the parsers add, since the location is reported separately.
fn strip_position(message: &str) -> &str {
    match message.find(" at line ") {
        Some(index) => &message[..index],
        None => message,
    }
}

/// Builds a `serde_json::Value` from any self-describing format.
///
/// `serde_json::Value`'s own `Deserialize` rejects integers outside i64/u64, and
/// serde_yaml hands those over as i128 (OpenAI's spec has `minimum:
/// -9223372036854776000`). JSON numbers are doubles, so such an integer becomes
/// the f64 a JSON parser would read for the same text: the YAML and JSON forms
/// of one spec then load to the same value.
///
/// Every value it builds, expanded YAML aliases included, is paid from `budget`.
#[derive(Clone, Copy)]
struct JsonValueSeed<'b> {
    budget: &'b ValueBudget,
}

impl<'de> DeserializeSeed<'de> for JsonValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.budget.spend()?;
        deserializer.deserialize_any(JsonValueVisitor { seed: self })
    }
}

/// The values a document may still expand to; see [`value_budget`].
pub(super) struct ValueBudget {
    pub(super) limit: usize,
    remaining: Cell<usize>,
    exceeded: Cell<bool>,
}

impl ValueBudget {
    pub(super) fn new(input_bytes: usize) -> Self {
        let limit = value_budget(input_bytes);
        ValueBudget { limit, remaining: Cell::new(limit), exceeded: Cell::new(false) }
    }

    fn is_exceeded(&self) -> bool {
        self.exceeded.get()
    }

    fn spend<E: de::Error>(&self) -> Result<(), E> {
        match self.remaining.get().checked_sub(1) {
            Some(remaining) => {
                self.remaining.set(remaining);
                Ok(())
            }
            None => {
                self.exceeded.set(true);
                Err(E::custom(format!(
                    "the document expands to more than {} values through YAML aliases that repeat their anchors' content; apigen reads at most one value per two bytes of input, and at least {MIN_VALUE_BUDGET}",
                    self.limit
                )))
            }
        }
    }
}

struct JsonValueVisitor<'b> {
    seed: JsonValueSeed<'b>,
}

fn float_value<E: de::Error>(number: f64) -> Result<Value, E> {
    Number::from_f64(number)
        .map(Value::Number)
        .ok_or_else(|| E::custom(format!("number {number} is not finite; JSON has no such value")))
}

impl<'de> Visitor<'de> for JsonValueVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        match i64::try_from(v) {
            Ok(small) => Ok(Value::Number(small.into())),
            // Precision loss is intended: it matches what JSON readers do with this literal.
            Err(_) => float_value(v as f64),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        match u64::try_from(v) {
            Ok(small) => Ok(Value::Number(small.into())),
            Err(_) => float_value(v as f64),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        float_value(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self.seed)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(self.seed)? {
            let key = match key_text(key) {
                Ok(key) => key,
                Err(other) => return Err(de::Error::custom(format!("mapping keys must be scalars, found {other}"))),
            };
            let value = map.next_value_seed(self.seed)?;
            if object.insert(key.clone(), value).is_some() {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
        }
        Ok(Value::Object(object))
    }
}

/// A mapping key as JSON text: YAML allows non-string keys (`200:` for a
/// status code); JSON keys are text. A collection is given back.
pub(super) fn key_text(key: Value) -> Result<String, Value> {
    match key {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok("null".to_string()),
        other => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integers_beyond_i64_load_like_their_json_form() {
        let yaml = parse_document("a.yaml", b"min: -9223372036854776000\nmax: 9223372036854776000\n").unwrap();
        let json = parse_document("a.json", br#"{"min": -9223372036854776000, "max": 9223372036854776000}"#).unwrap();
        assert_eq!(yaml, json);
    }

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let value = parse_document("a.yaml", b"responses:\n  200: {description: ok}\n").unwrap();
        assert!(value["responses"]["200"].is_object());
    }

    #[test]
    fn errors_carry_line_and_column() {
        let err = parse_document("bad.yaml", b"a: [1, 2\nb: c\n").unwrap_err().to_string();
        assert!(err.starts_with("bad.yaml:"), "{err}");
        let err = parse_document("bad.json", b"{\"a\": 1,,}").unwrap_err().to_string();
        assert!(err.starts_with("bad.json:1:"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_with_its_place() {
        let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            parse_document("d.json", json.as_bytes()).unwrap_err().to_string(),
            "d.json:1:129: the document nests more than 128 levels deep; apigen reads at most 128 levels"
        );
        let yaml = format!("a:\n  b: {}1{}\n", "{items: ".repeat(100_000), "}".repeat(100_000));
        assert_eq!(
            parse_document("d.yaml", yaml.as_bytes()).unwrap_err().to_string(),
            format!(
                "d.yaml:2:{}: the document nests more than 128 levels deep; apigen reads at most 128 levels",
                6 + 8 * 128
            )
        );
        let block = (0..200).map(|level| format!("{}- x:\n", "  ".repeat(level))).collect::<String>();
        assert!(parse_document("b.yaml", block.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("nests more than 128 levels"));
    }

    #[test]
    fn empty_and_binary_input_are_rejected() {
        assert!(parse_document("e.yaml", b"  \n").unwrap_err().to_string().contains("empty"));
        assert!(parse_document("b.bin", &[0xff, 0xfe, 0x00, 0x12])
            .unwrap_err()
            .to_string()
            .contains("not a text document"));
    }
}
