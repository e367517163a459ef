//! [`UnknownFields`]: the members of a JSON object that its schema does not
//! declare, kept as the JSON text received.
//!
//! Parsing such a member into a `serde_json::Value` costs what parsing that
//! part of the document into `Value` costs (every string and map allocated),
//! for values most callers never read. Captured through serde_json's
//! `RawValue` protocol ([`Captured`]) instead, a member costs one copy of its
//! name and text into its object's box of members (inline there while they
//! are a few short ones, with their ends: one allocation per object that has
//! any, none for one that has none): about what skipping it costs. It is
//! parsed when asked for, and written back verbatim.

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::de::{Captured, Text, RAW_VALUE_TOKEN};

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
pub struct UnknownFields(
    /// Boxed, so that a struct pays a pointer for the field: structs are
    /// moved whole as they are read, and most objects have no undeclared
    /// members (`None`, nothing allocated). Unboxed (48 bytes), the bench's
    /// 200-choice completion, whose choice holds five, decoded at 0.90 of
    /// async-openai's speed; boxed, at 1.00 (README, Decoding speed).
    Option<Box<Members>>,
);

/// The members of an [`UnknownFields`].
#[derive(Clone, Default)]
struct Members {
    /// Each member's name (unescaped, so that it can be lent as a `&str`)
    /// followed by its value's JSON text, member after member.
    text: MemberText,
    /// Where each member's name and value end in `text`; a member starts
    /// where the one before it ends. Names are unique: a name given twice
    /// keeps its last value, as in a `Value`. (Lengths written into `text`
    /// instead save an allocation too but cost more to read back, once an
    /// object to look for repeated names: 0.79 of async-openai's speed on the
    /// bench's undeclared fields, against 0.89-0.94 with a vector of ends.)
    ends: Ends,
}

/// What an [`UnknownFields`] without members reads from.
static NO_MEMBERS: Members = Members { text: MemberText::EMPTY, ends: Ends::NONE };

/// How many bytes of names and values [`MemberText::Inline`] holds.
const INLINE_TEXT: usize = 80;

/// The names and values of [`Members`]: inline while they are a few short
/// ones (an object's undeclared members mostly are), so that the box of the
/// members is the object's one allocation, else a `String`. (arrayvec's
/// `ArrayString` would hold the inline form, but not spill, and would be a
/// dependency of every crate that vendors the runtime; compact_str and
/// smartstring spill past 24 bytes, fewer than two short members.)
#[derive(Clone)]
enum MemberText {
    /// The first `len` bytes are the text.
    Inline { len: u8, bytes: [u8; INLINE_TEXT] },
    /// Any text.
    Spilled(String),
}

impl Default for MemberText {
    fn default() -> Self {
        MemberText::EMPTY
    }
}

impl MemberText {
    const EMPTY: MemberText = MemberText::Inline { len: 0, bytes: [0; INLINE_TEXT] };

    fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// The text's bytes, which need no check to compare names.
    fn as_bytes(&self) -> &[u8] {
        match self {
            MemberText::Inline { len, bytes } => &bytes[..usize::from(*len)],
            MemberText::Spilled(text) => text.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Only whole `str`s are ever pushed, so the bytes are UTF-8.
            MemberText::Inline { .. } => std::str::from_utf8(self.as_bytes()).expect("inline text holds whole strs"),
            MemberText::Spilled(text) => text,
        }
    }

    fn push_str(&mut self, piece: &str) {
        if let MemberText::Inline { len, bytes } = self {
            let (start, end) = (usize::from(*len), usize::from(*len).saturating_add(piece.len()));
            if let (Some(slot), Ok(end)) = (bytes.get_mut(start..end), u8::try_from(end)) {
                slot.copy_from_slice(piece.as_bytes());
                *len = end;
                return;
            }
        }
        self.spilled(piece.len()).push_str(piece);
    }

    /// The text as a `String` with room for `additional` more bytes, moved
    /// there if it was inline.
    fn spilled(&mut self, additional: usize) -> &mut String {
        if let MemberText::Inline { .. } = self {
            let mut text = String::with_capacity(self.len().saturating_add(additional).max(2 * INLINE_TEXT));
            text.push_str(self.as_str());
            *self = MemberText::Spilled(text);
        }
        match self {
            MemberText::Spilled(text) => text,
            // A `String` since just above.
            MemberText::Inline { .. } => unreachable!("the text was just spilled into a String"),
        }
    }
}

/// How many members' ends [`Ends::Inline`] holds.
const INLINE_ENDS: usize = 3;

/// The ends of an [`UnknownFields`]' members: inline while there are a few
/// and they lie within 64 KiB of text (an object's undeclared members
/// mostly do, and then the box of the members is its one allocation), else
/// a vector. 24 bytes either way, a vector's size, since the inline form
/// fits beside the niche of the vector's capacity. (smallvec's inline array
/// would hold `usize` ends, so fewer members in more bytes on every struct,
/// and would be a dependency of every crate that vendors the runtime.)
#[derive(Clone)]
enum Ends {
    /// The first `count` slots are the ends.
    Inline { count: u8, ends: [(u16, u16); INLINE_ENDS] },
    /// Any number of ends, anywhere.
    Spilled(Vec<(usize, usize)>),
}

impl Default for Ends {
    fn default() -> Self {
        Ends::NONE
    }
}

impl Ends {
    const NONE: Ends = Ends::Inline { count: 0, ends: [(0, 0); INLINE_ENDS] };

    fn len(&self) -> usize {
        match self {
            Ends::Inline { count, .. } => usize::from(*count),
            Ends::Spilled(ends) => ends.len(),
        }
    }

    /// The ends of the member at `index`, which is below [`len`](Self::len).
    fn get(&self, index: usize) -> (usize, usize) {
        match self {
            Ends::Inline { ends, .. } => (usize::from(ends[index].0), usize::from(ends[index].1)),
            Ends::Spilled(ends) => ends[index],
        }
    }

    fn push(&mut self, name_end: usize, end: usize) {
        if let Ends::Inline { count, ends } = self {
            let slot = usize::from(*count);
            if let (true, Ok(name_end), Ok(end)) = (slot < INLINE_ENDS, u16::try_from(name_end), u16::try_from(end)) {
                ends[slot] = (name_end, end);
                *count += 1;
                return;
            }
        }
        self.spilled().push((name_end, end));
    }

    /// The ends as a vector, moved there if they were inline: changing
    /// members in place (code does, decoding does not) may push them past
    /// 64 KiB, and is rare enough that the allocation does not count.
    fn spilled(&mut self) -> &mut Vec<(usize, usize)> {
        if let Ends::Inline { count, ends } = *self {
            let widened = ends[..usize::from(count)].iter().map(|&(name_end, end)| (name_end.into(), end.into()));
            *self = Ends::Spilled(widened.collect());
        }
        match self {
            Ends::Spilled(ends) => ends,
            // A vector since just above.
            Ends::Inline { .. } => unreachable!("the ends were just spilled into a vector"),
        }
    }
}

impl UnknownFields {
    /// No members.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many members there are.
    pub fn len(&self) -> usize {
        self.members().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a member is named `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.members().position(name).is_some()
    }

    /// The value of the member named `name`, parsed. `None` also for a value
    /// nested deeper than serde_json parses (128 levels), whose text
    /// [`get_raw`](Self::get_raw) still gives.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.get_raw(name).and_then(parse)
    }

    /// The JSON text of the member named `name`, as received.
    pub fn get_raw(&self, name: &str) -> Option<&str> {
        let members = self.members();
        members.position(name).map(|index| members.member(index).1)
    }

    /// Sets the member `name` to `value`, giving back the JSON text it replaces.
    pub fn insert(&mut self, name: impl Into<String>, value: &Value) -> Option<String> {
        self.0.get_or_insert_with(Box::default).insert(&name.into(), &value.to_string())
    }

    /// Removes the member named `name`, giving back its JSON text.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.0.as_mut()?.remove(name)
    }

    /// The members, in order: each name with its JSON text.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        let members = self.members();
        (0..members.len()).map(|index| members.member(index))
    }

    /// The members parsed into a JSON object (see [`get`](Self::get) for the one value that does not parse).
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter().filter_map(|(name, text)| Some((name.to_string(), parse(text)?))).collect()
    }

    fn members(&self) -> &Members {
        self.0.as_deref().unwrap_or(&NO_MEMBERS)
    }
}

impl Members {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn insert(&mut self, name: &str, new: &str) -> Option<String> {
        let Some(index) = self.position(name) else {
            self.append(name, new);
            return None;
        };
        let (name_end, end) = self.ends.get(index);
        let old = self.text.as_str()[name_end..end].to_string();
        self.text.spilled(new.len()).replace_range(name_end..end, new);
        self.ends.spilled()[index].1 = name_end + new.len();
        self.moved(index + 1, old.len(), new.len());
        Some(old)
    }

    fn remove(&mut self, name: &str) -> Option<String> {
        let index = self.position(name)?;
        let (start, (name_end, end)) = (self.start(index), self.ends.get(index));
        let old = self.text.as_str()[name_end..end].to_string();
        self.text.spilled(0).replace_range(start..end, "");
        self.ends.spilled().remove(index);
        self.moved(index, end - start, 0);
        Some(old)
    }

    fn position(&self, name: &str) -> Option<usize> {
        (0..self.len()).find(|&index| self.member(index).0 == name)
    }

    fn start(&self, index: usize) -> usize {
        index.checked_sub(1).map_or(0, |before| self.ends.get(before).1)
    }

    fn member(&self, index: usize) -> (&str, &str) {
        let (text, (name_end, end)) = (self.text.as_str(), self.ends.get(index));
        (&text[self.start(index)..name_end], &text[name_end..end])
    }

    /// The name of the member at `index`, as bytes (no UTF-8 check).
    fn name_bytes(&self, index: usize) -> &[u8] {
        &self.text.as_bytes()[self.start(index)..self.ends.get(index).0]
    }

    /// Moves the members from `index` on where `removed` bytes before them became `added`.
    fn moved(&mut self, index: usize, removed: usize, added: usize) {
        for (name_end, end) in &mut self.ends.spilled()[index..] {
            // Both lie at or past the `removed` bytes, so neither goes below zero.
            (*name_end, *end) = (*name_end - removed + added, *end - removed + added);
        }
    }

    /// Appends a member, its value's JSON text as given.
    fn append(&mut self, name: &str, value: &str) {
        self.text.push_str(name);
        let name_end = self.text.len();
        self.text.push_str(value);
        self.ends.push(name_end, self.text.len());
    }

    /// Whether some name is given twice.
    fn repeats(&self) -> bool {
        if self.len() <= 16 {
            // Objects have a few unknown members: comparing each pair costs less than hashing them all.
            (1..self.len()).any(|index| (0..index).any(|before| self.name_bytes(before) == self.name_bytes(index)))
        } else {
            let mut names = HashSet::with_capacity(self.len());
            !(0..self.len()).all(|index| names.insert(self.name_bytes(index)))
        }
    }
}

fn parse(text: &str) -> Option<Value> {
    // JSON by construction; only nesting beyond serde_json's 128 levels fails to parse.
    serde_json::from_str(text).ok()
}
/// The unknown members of an object as a generated reader collects them,
/// [`UnknownFields`] once [`finish`](Self::finish)ed.
// Boxed from the first member on, as the finished members are: nothing to
// set up for an object without any, nothing to move for one with some.
#[derive(Default)]
pub struct UnknownMembers(Option<Box<Members>>);

impl UnknownMembers {
    /// Reads the value of the member `name` as its JSON text ([`Captured`]).
    pub fn capture<'de, A: MapAccess<'de>>(&mut self, name: &str, map: &mut A) -> Result<(), A::Error> {
        match map.next_value_seed(CapturedValue)? {
            Captured::Text(text) => self.append(name, &text),
            Captured::Value(value) => self.append(name, &value.to_string()),
        }
        Ok(())
    }

    fn append(&mut self, name: &str, value: &str) {
        self.0.get_or_insert_with(Box::default).append(name, value);
    }

    /// The members, a name given twice keeping its last value.
    // Inlined into each reader (as it is not generic, it would not be across crates otherwise):
    // most objects have no unknown members, and then it is one comparison.
    #[inline]
    pub fn finish(self) -> UnknownFields {
        UnknownFields(self.0.map(keep_last))
    }
}

/// The members without those whose name is given again after them.
fn keep_last(members: Box<Members>) -> Box<Members> {
    if !members.repeats() {
        return members;
    }
    // Rare (servers do not repeat names), so only then the slower pass keeping each name's last.
    let mut seen = HashSet::with_capacity(members.len());
    let mut kept: Vec<(&str, &str)> =
        (0..members.len()).rev().map(|index| members.member(index)).filter(|(name, _)| seen.insert(*name)).collect();
    kept.reverse();
    let mut last = Box::<Members>::default();
    for (name, value) in kept {
        last.append(name, value);
    }
    last
}

/// Reads a value as [`Captured`].
struct CapturedValue;

impl<'de> serde::de::DeserializeSeed<'de> for CapturedValue {
    type Value = Captured<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Captured<'de>, D::Error> {
        Captured::capture(deserializer)
    }
}

/// Members built in code: a name given twice keeps its last value.
impl FromIterator<(String, Value)> for UnknownFields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Self {
        let mut collected = UnknownMembers::default();
        for (name, value) in members {
            collected.append(&name, &value.to_string());
        }
        collected.finish()
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
        let same_value = |a: &str, b: &str| a == b || matches!((parse(a), parse(b)), (Some(a), Some(b)) if a == b);
        self.len() == other.len()
            && self.iter().all(|(name, text)| other.get_raw(name).is_some_and(|theirs| same_value(text, theirs)))
    }
}

impl Eq for UnknownFields {}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter().map(|(name, text)| (name, Verbatim(text)))).finish()
    }
}

/// A member's JSON text, debugged and serialized as it is.
struct Verbatim<'a>(&'a str);

/// The text itself (a `str` would debug quoted and escaped).
impl fmt::Debug for Verbatim<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// An object of the members, their values written as received.
impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (name, text) in self.iter() {
            map.serialize_entry(name, &Verbatim(text))?;
        }
        map.end()
    }
}

/// The text verbatim, through the protocol serde_json's serializers (of
/// text and of `Value`) answer for its `RawValue`, which is spelled the same.
impl Serialize for Verbatim<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, self.0)?;
        raw.end()
    }
}

/// An object, each member's text captured ([`UnknownMembers`]); serde's derive
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
        let mut members = UnknownMembers::default();
        while let Some(name) = map.next_key_seed(Text)? {
            members.capture(&name, &mut map)?;
        }
        Ok(members.finish())
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
        // serde_path_to_error (the server's fields, the tests' reference for paths) passes the raw protocol on.
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
    fn members_change_in_place_and_names_are_kept_unescaped() {
        let mut fields: UnknownFields = serde_json::from_str(r#"{"a\"b": 1, "mid": [1], "z": true}"#).unwrap();
        assert_eq!(fields.get_raw("a\"b"), Some("1"));
        assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"a\"b":1,"mid":[1],"z":true}"#);
        // A longer value, then a shorter one, moves the members after it.
        assert_eq!(fields.insert("mid", &json!({"long": "value"})).as_deref(), Some("[1]"));
        let members: Vec<_> = fields.iter().collect();
        assert_eq!(members, [("a\"b", "1"), ("mid", r#"{"long":"value"}"#), ("z", "true")]);
        assert_eq!(fields.insert("mid", &json!(0)).as_deref(), Some(r#"{"long":"value"}"#));
        assert_eq!(fields.remove("a\"b").as_deref(), Some("1"));
        assert_eq!(fields.insert("new", &json!("n")), None);
        assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"mid":0,"z":true,"new":"n"}"#);
        assert_eq!((fields.remove("z").as_deref(), fields.remove("z")), (Some("true"), None));
        assert_eq!(fields.to_map(), json!({"mid": 0, "new": "n"}).as_object().unwrap().clone());
    }

    #[test]
    fn any_name_and_any_length_of_value_reads_back() {
        // Names that look like the lengths the members are stored with, an empty one, a value of 4 digits' length.
        let long = "x".repeat(1234);
        let text = format!(r#"{{"12:ab": 1, "": "{long}", "3:": {{"0:": []}}}}"#);
        let fields: UnknownFields = serde_json::from_str(&text).unwrap();
        let members: Vec<_> = fields.iter().collect();
        assert_eq!(members, [("12:ab", "1"), ("", format!("\"{long}\"").as_str()), ("3:", r#"{"0:": []}"#)]);
        assert_eq!((fields.len(), fields.get("3:")), (3, Some(json!({"0:": []}))));
    }

    #[test]
    fn ends_read_back_inline_and_past_it() {
        // A struct pays a pointer for its members; inline, the ends take no more room than a vector.
        assert_eq!(std::mem::size_of::<UnknownFields>(), std::mem::size_of::<usize>());
        assert_eq!(std::mem::size_of::<Ends>(), std::mem::size_of::<Vec<(usize, usize)>>());
        // Three members' ends fit inline; a fourth, or a value ending past 64 KiB, moves them all to a vector.
        // The text of the first stays inline; the third's spills past 80 bytes.
        let long = "y".repeat(70_000);
        for (text, names) in [
            (r#"{"a": 1, "b": [2], "c": {}}"#.to_string(), vec!["a", "b", "c"]),
            (r#"{"a": 1, "b": [2], "c": {}, "d": null}"#.to_string(), vec!["a", "b", "c", "d"]),
            (format!(r#"{{"a": 1, "long": "{long}", "c": {{}}}}"#), vec!["a", "long", "c"]),
        ] {
            let fields: UnknownFields = serde_json::from_str(&text).unwrap();
            let read: Vec<&str> = fields.iter().map(|(name, _)| name).collect();
            assert_eq!(read, names);
            assert_eq!((fields.get_raw("a"), fields.get_raw("c")), (Some("1"), Some("{}")));
            let mut changed = fields.clone();
            assert_eq!(changed.remove("a").as_deref(), Some("1"));
            assert_eq!(changed.insert("c", &json!([long])).as_deref(), Some("{}"));
            assert_eq!((changed.len(), changed.get("c")), (names.len() - 1, Some(json!([long]))));
            assert_eq!(changed.iter().map(|(name, _)| name).collect::<Vec<_>>(), names[1..]);
        }
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
