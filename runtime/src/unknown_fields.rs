//! [`UnknownFields`]: the members of a JSON object that its schema does not
//! declare, kept as the JSON text received.
//!
//! Parsing such a member into a `serde_json::Value` costs what parsing that
//! part of the document into `Value` costs (every string and map allocated),
//! and a `BTreeMap` of them a 600-byte node per object, for values most
//! callers never read. Captured through serde_json's `RawValue` protocol
//! ([`Captured`]) instead, a member costs its name and one copy of its text;
//! it is parsed when asked for, and written back verbatim.

use std::collections::HashSet;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::de::{Captured, RAW_VALUE_TOKEN};

/// The properties of an object beyond those its schema declares, in the
/// order received, each kept as its JSON text.
///
/// Read one with [`get`](Self::get) (parsed into a [`Value`]) or
/// [`get_raw`](Self::get_raw) (its JSON text, to parse into a type of your
/// own); [`iter`](Self::iter) lists them, [`insert`](Self::insert) sets one,
/// and `Map<String, Value>` converts both ways. Serialized, the members are
/// written back as received. Two are equal when their members' values are
/// equal as JSON, whatever the spacing or order of their text.
#[derive(Clone, Default)]
pub struct UnknownFields {
    /// Names are unique: a name given twice keeps its last value, as in a `Value`.
    members: Vec<(String, JsonText)>,
}

/// The JSON text of a value, as received or as serde_json wrote it: only
/// this module and [`RawMember`] make one, so it is always JSON.
#[derive(Clone)]
pub struct JsonText(String);

impl JsonText {
    fn of(value: &Value) -> Self {
        JsonText(value.to_string())
    }

    fn parse(&self) -> Option<Value> {
        // JSON by construction; only nesting beyond serde_json's 128 levels fails to parse.
        serde_json::from_str(&self.0).ok()
    }
}

impl UnknownFields {
    /// No members.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// Whether a member is named `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get_raw(name).is_some()
    }

    /// The value of the member named `name`, parsed. `None` also for a value
    /// nested deeper than serde_json parses (128 levels), whose text
    /// [`get_raw`](Self::get_raw) still gives.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.find(name).and_then(JsonText::parse)
    }

    /// The JSON text of the member named `name`, as received.
    pub fn get_raw(&self, name: &str) -> Option<&str> {
        self.find(name).map(|text| text.0.as_str())
    }

    /// Sets the member `name` to `value`, giving back the JSON text it replaces.
    pub fn insert(&mut self, name: impl Into<String>, value: &Value) -> Option<String> {
        let (name, text) = (name.into(), JsonText::of(value));
        match self.members.iter_mut().find(|(member, _)| *member == name) {
            Some((_, old)) => Some(std::mem::replace(old, text).0),
            None => {
                self.members.push((name, text));
                None
            }
        }
    }

    /// Removes the member named `name`, giving back its JSON text.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let index = self.members.iter().position(|(member, _)| member == name)?;
        Some(self.members.remove(index).1 .0)
    }

    /// The members, in order: each name with its JSON text.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.members.iter().map(|(name, text)| (name.as_str(), text.0.as_str()))
    }

    /// The members parsed into a JSON object (see [`get`](Self::get) for the one value that does not parse).
    pub fn to_map(&self) -> Map<String, Value> {
        self.members.iter().filter_map(|(name, text)| Some((name.clone(), text.parse()?))).collect()
    }

    fn find(&self, name: &str) -> Option<&JsonText> {
        self.members.iter().find(|(member, _)| member == name).map(|(_, text)| text)
    }
}

/// Members as the generated readers collect them ([`RawMember`]): a name
/// given twice keeps its last value.
impl FromIterator<(String, JsonText)> for UnknownFields {
    fn from_iter<I: IntoIterator<Item = (String, JsonText)>>(members: I) -> Self {
        let mut members: Vec<_> = members.into_iter().collect();
        // Objects have a few unknown members: comparing each pair costs less than hashing them all.
        let repeats = if members.len() <= 16 {
            members.iter().enumerate().any(|(index, (name, _))| members[..index].iter().any(|(seen, _)| seen == name))
        } else {
            let mut names = HashSet::with_capacity(members.len());
            !members.iter().all(|(name, _)| names.insert(name.as_str()))
        };
        if repeats {
            // Rare (servers do not repeat names), so only then the slower pass keeping each name's last.
            let mut seen = HashSet::with_capacity(members.len());
            let mut kept: Vec<_> = members.drain(..).rev().filter(|(name, _)| seen.insert(name.clone())).collect();
            kept.reverse();
            members = kept;
        }
        UnknownFields { members }
    }
}

/// Members built in code: a name given twice keeps its last value.
impl FromIterator<(String, Value)> for UnknownFields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Self {
        members.into_iter().map(|(name, value)| (name, JsonText::of(&value))).collect()
    }
}

impl From<Map<String, Value>> for UnknownFields {
    fn from(map: Map<String, Value>) -> Self {
        map.into_iter().collect()
    }
}

impl From<UnknownFields> for Map<String, Value> {
    fn from(fields: UnknownFields) -> Self {
        fields.to_map()
    }
}

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        let same_value =
            |a: &JsonText, b: &JsonText| a.0 == b.0 || matches!((a.parse(), b.parse()), (Some(a), Some(b)) if a == b);
        self.len() == other.len()
            && self.members.iter().all(|(name, text)| other.find(name).is_some_and(|theirs| same_value(text, theirs)))
    }
}

impl Eq for UnknownFields {}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.members.iter().map(|(name, text)| (name, text))).finish()
    }
}

/// The text itself (a `str` would debug quoted and escaped).
impl fmt::Debug for JsonText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An object of the members, their values written as received.
impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (name, text) in &self.members {
            map.serialize_entry(name, text)?;
        }
        map.end()
    }
}

/// The text verbatim, through the protocol serde_json's serializers (of
/// text and of `Value`) answer for its `RawValue`, which is spelled the same.
impl Serialize for JsonText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, &self.0)?;
        raw.end()
    }
}

/// An object, each member's text captured ([`RawMember`]); serde's derive
/// reads a `#[serde(flatten)]` field of this type from the properties no other field takes.
impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = UnknownFields;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UnknownFields, A::Error> {
        let mut members = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            members.push((name, map.next_value_seed(RawMember)?));
        }
        Ok(members.into_iter().collect())
    }
}

/// Reads one member's value as its JSON text ([`Captured`]).
pub struct RawMember;

impl<'de> DeserializeSeed<'de> for RawMember {
    type Value = JsonText;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<JsonText, D::Error> {
        Captured::capture(deserializer).map(|captured| JsonText(captured.into_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Flattened {
        id: u32,
        #[serde(flatten)]
        rest: UnknownFields,
    }

    const TEXT: &str = r#"{"id":1,"labels": {"team" : "search"},"region":"eu"}"#;

    #[test]
    fn members_are_kept_as_received_and_written_back_verbatim() {
        let fields: UnknownFields = serde_json::from_str(r#"{"labels": {"team" : "search"},"tier":[1, 2]}"#).unwrap();
        // Only the raw protocol keeps the spacing: a fallback through `Value` would drop it.
        assert_eq!(fields.get_raw("labels"), Some(r#"{"team" : "search"}"#));
        assert_eq!(fields.get("tier"), Some(json!([1, 2])));
        assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"labels":{"team" : "search"},"tier":[1, 2]}"#);
        let names: Vec<&str> = fields.iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["labels", "tier"]);
    }

    #[test]
    fn values_and_other_deserializers_read_the_members_too() {
        // From a `Value` (the untagged unions' and the server's path) and through serde's flatten buffering.
        let value = json!({"id": 1, "labels": {"team": "search"}, "region": "eu"});
        let read: Flattened = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(read, serde_json::from_str(TEXT).unwrap());
        assert_eq!(read.rest.get("labels"), Some(json!({"team": "search"})));
        assert_eq!(serde_json::to_value(&read).unwrap(), value);
        let borrowed: UnknownFields = Deserialize::deserialize(&value).unwrap();
        assert_eq!(borrowed.len(), 3);
        // The client reads responses through serde_path_to_error, which passes the raw protocol on.
        let tracked: UnknownFields =
            serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(TEXT)).unwrap();
        assert_eq!(tracked.get_raw("labels"), Some(r#"{"team" : "search"}"#));
    }

    #[test]
    fn a_name_given_twice_keeps_its_last_value() {
        let fields: UnknownFields = serde_json::from_str(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(fields.to_map(), json!({"b": 2, "a": 3}).as_object().unwrap().clone());
        let names: Vec<&str> = fields.iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["b", "a"]);
        // Past 16 members, repeats are found by hashing.
        let many: UnknownFields = (0..20).map(|index| (format!("m{}", index % 19), json!(index))).collect();
        assert_eq!((many.len(), many.get("m0"), many.get("m1")), (19, Some(json!(19)), Some(json!(1))));
    }

    #[test]
    fn equality_is_as_json_and_maps_convert_both_ways() {
        let spaced: UnknownFields = serde_json::from_str(r#"{"a": [1, 2], "b": null}"#).unwrap();
        let map = json!({"b": null, "a": [1, 2]}).as_object().unwrap().clone();
        assert_eq!(spaced, UnknownFields::from(map.clone()));
        assert_eq!(Map::from(spaced.clone()), map);
        let mut changed = spaced.clone();
        assert_eq!(changed.insert("a", &json!("x")).as_deref(), Some("[1, 2]"));
        assert_ne!(changed, spaced);
        assert_eq!(changed.remove("b").as_deref(), Some("null"));
        assert!(!changed.contains_key("b"));
        assert_eq!(format!("{changed:?}"), r#"{"a": "x"}"#);
        let built: UnknownFields = [("a".to_string(), json!(1)), ("a".to_string(), json!("x"))].into_iter().collect();
        assert_eq!(built, changed);
    }
}
