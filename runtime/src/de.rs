//! The readers that generated models call from their `Deserialize` impls:
//! written once here rather than once a type (or once a module) in the
//! generated code, which is smaller and compiles faster for it.
//!
//! - [`Object`] and [`object`]: a struct that keeps unknown properties, read
//!   in one pass (serde's `#[serde(flatten)]` buffers every property first),
//!   the unknown ones' text captured by [`UnknownMembers`].
//! - [`open_enum`]: an open string enum, matching known values without allocating.
//! - [`constant`]: a `const` property, which reads its one value only.
//! - [`read_untagged`]: an untagged union, trying the variants that fit best first.
//! - [`tagged`]: a tagged union ([`Tagged`]), the variant its tag names read
//!   in the same pass over the object ([`Variant`]).
//! - [`Captured`]: a value's JSON text, which unknown properties keep.
//! - [`after_value`]: the error of a reader that fails once its whole value
//!   is read (a union's), noted so that a decoding failure's path names it.
//!
//! - [`through_value`], the one writer: a flattened field whose type leads
//!   back to its struct, written through a `Value`.
//!
//! Only generated code is meant to call them; they are public so that it can.

use std::borrow::Cow;
use std::cell::Cell;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::Deserialize;
use serde_json::Value;

pub use super::unknown_fields::UnknownMembers;
pub use tagged::{tagged, Tagged, Variant};

mod tagged;

/// A struct read from an object's properties in one pass.
pub trait Object<'de>: Sized {
    /// What an error says was expected: `struct Name`.
    const EXPECTING: &'static str;

    /// Reads the struct from the properties of an object.
    fn read<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads the struct `T` from an object.
pub fn object<'de, T: Object<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Visits an object as the struct `T`.
struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// A property name: the index of the field that declares it, or the name
/// itself when no field does.
pub enum Key<'de> {
    /// The index of the declaring field.
    Known(usize),
    /// A property no field declares, borrowed from the input where the deserializer can.
    Other(Cow<'de, str>),
}

/// Reads a property name through `F`, which gives the index of the field
/// that declares it; allocates only for one no field declares that the
/// deserializer cannot lend (serde_json lends those without escapes). Each
/// struct's own `F`, as serde's derive has its own field visitor, lets the
/// match on the name be inlined into the read.
pub struct KeySeed<F>(pub F);

// Inlined into each struct's reader, as serde's derive has its field identifier read: called once a property.
impl<'de, F: Fn(&str) -> Option<usize>> DeserializeSeed<'de> for KeySeed<F> {
    type Value = Key<'de>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, F: Fn(&str) -> Option<usize>> Visitor<'de> for KeySeed<F> {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a property name")
    }

    #[inline]
    fn visit_borrowed_str<E: Error>(self, name: &'de str) -> Result<Key<'de>, E> {
        Ok((self.0)(name).map_or(Key::Other(Cow::Borrowed(name)), Key::Known))
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<Key<'de>, E> {
        Ok((self.0)(name).map_or_else(|| Key::Other(Cow::Owned(name.to_string())), Key::Known))
    }

    fn visit_string<E: Error>(self, name: String) -> Result<Key<'de>, E> {
        Ok((self.0)(&name).map_or(Key::Other(Cow::Owned(name)), Key::Known))
    }
}

/// Reads the value of a declared property into its slot; a second one is
/// an error, as with serde's derive.
// Inlined as the derive writes it, in each struct's reader: called once a property.
#[inline]
pub fn field<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a required property, or the error that it is missing.
pub fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// Reads an open enum through its conversions from strings, which match a
/// known value on the borrowed string and keep any other as received. The
/// enum's values are spelled once, in `From<&str>`, not again in a reader.
pub fn open_enum<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str> + From<String>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_str(OpenEnum(PhantomData))
}

/// Visits a string as the open enum `T`.
struct OpenEnum<T>(PhantomData<T>);

impl<'de, T: for<'a> From<&'a str> + From<String>> Visitor<'de> for OpenEnum<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// Reads the string `value` and nothing else: a constant's `Deserialize`.
pub fn constant<'de, D: Deserializer<'de>>(deserializer: D, value: &'static str) -> Result<(), D::Error> {
    deserializer.deserialize_str(Constant(value))
}

/// Visits the one string a constant has.
struct Constant(&'static str);

impl Visitor<'_> for Constant {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "`{}`", self.0)
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<(), E> {
        if value == self.0 {
            Ok(())
        } else {
            Err(E::invalid_value(Unexpected::Str(value), &self))
        }
    }
}

/// The name under which serde_json's deserializers (of text and of `Value`)
/// hand a value's text to a `RawValue`. serde_json's own `RawValue` fails on
/// other deserializers, with no way to fall back, so [`Captured`] speaks the
/// protocol itself; a unit test checks that serde_json still answers it.
pub(crate) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A JSON value kept to be read later: its text where the deserializer is
/// serde_json's (of text, borrowed where it can, or of a `Value`), a `Value`
/// from any other self-describing deserializer.
pub enum Captured<'de> {
    /// The value's JSON text, as received.
    Text(Cow<'de, str>),
    /// The value another deserializer gave.
    Value(Value),
}

impl<'de> Captured<'de> {
    /// Captures the next value of `deserializer`: through serde_json's
    /// `RawValue` protocol a copy of its text (none when borrowed), no parse.
    pub fn capture<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, CaptureVisitor)
    }

    /// The value as JSON text.
    pub fn into_text(self) -> String {
        match self {
            Captured::Text(text) => text.into_owned(),
            Captured::Value(value) => value.to_string(),
        }
    }
}

/// A string, borrowed from the input where the deserializer can.
pub(crate) struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E: Error>(self, text: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text))
    }
}

/// Visits a value as [`Captured`]: serde_json answers the `RawValue`
/// protocol with a map of one member, the token and the text; other
/// deserializers give the value itself, read into a `Value`.
struct CaptureVisitor;

impl<'de> Visitor<'de> for CaptureVisitor {
    type Value = Captured<'de>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Captured<'de>, A::Error> {
        let Some(first) = map.next_key_seed(Text)? else {
            return Ok(Captured::Value(Value::Object(serde_json::Map::new())));
        };
        if first == RAW_VALUE_TOKEN {
            return map.next_value_seed(Text).map(Captured::Text);
        }
        // A deserializer that reads a newtype as its content gives the object itself.
        let mut object = serde_json::Map::new();
        object.insert(first.into_owned(), map.next_value()?);
        while let Some((name, value)) = map.next_entry()? {
            object.insert(name, value);
        }
        Ok(Captured::Value(Value::Object(object)))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Captured<'de>, D::Error> {
        Value::deserialize(deserializer).map(Captured::Value)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Captured<'de>, D::Error> {
        Value::deserialize(deserializer).map(Captured::Value)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Captured<'de>, A::Error> {
        Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(Captured::Value)
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<Captured<'de>, E> {
        Ok(Captured::Value(Value::Bool(value)))
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<Captured<'de>, E> {
        Ok(Captured::Value(value.into()))
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<Captured<'de>, E> {
        Ok(Captured::Value(value.into()))
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<Captured<'de>, E> {
        Ok(Captured::Value(value.into()))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Captured<'de>, E> {
        Ok(Captured::Value(value.into()))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<Captured<'de>, E> {
        Ok(Captured::Value(value.into()))
    }

    fn visit_unit<E: Error>(self) -> Result<Captured<'de>, E> {
        Ok(Captured::Value(Value::Null))
    }

    fn visit_none<E: Error>(self) -> Result<Captured<'de>, E> {
        self.visit_unit()
    }
}

/// Which value an error made once the value was read is about, for the
/// path of a decoding failure (see [`after_value`]): a hash of the value's
/// compact JSON text.
#[doc(hidden)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fingerprint(pub u64);

impl Fingerprint {
    /// The fingerprint of `value`'s compact JSON text.
    pub fn of(value: &Value) -> Self {
        Fingerprint(text_hash(&value.to_string()))
    }
}

thread_local! {
    /// A hash of the message of the last error [`after_value`] made on this
    /// thread, and which value it was about.
    static AFTER_VALUE: Cell<Option<(u64, Fingerprint)>> = const { Cell::new(None) };
}

/// A hash of a text (the same on every run: `DefaultHasher::new` has fixed keys).
pub fn text_hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The error of a reader that fails once it has read its whole value (a
/// union's, base64 bytes'): serde_json gives it the position where the
/// reader of the value around it stopped, past this value's end, or the
/// position that ends the message (should a variant's error end in one). The runtime notes its message and which value it is
/// about, so that the path of a decoding failure names this value (see the
/// client's `json_path`); the note costs nothing until a reader fails.
#[doc(hidden)]
pub fn after_value<E: Error>(message: String, about: Fingerprint) -> E {
    AFTER_VALUE.with(|last| last.set(Some((text_hash(&message), about))));
    E::custom(message)
}

/// serde_json's message without the position it appends.
#[doc(hidden)]
pub fn message_without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&position).map_or(text.clone(), str::to_string)
}

/// Forgets the error [`after_value`] made last: a new document is being read.
#[doc(hidden)]
pub fn forget_after_value() {
    AFTER_VALUE.with(|last| last.set(None));
}

/// Which value the last error [`after_value`] made is about, if its message is `message`.
#[doc(hidden)]
pub fn raised_after_value(message: &str) -> Option<Fingerprint> {
    AFTER_VALUE.with(Cell::get).filter(|(hash, _)| *hash == text_hash(message)).map(|(_, about)| about)
}

/// The object properties a type knows itself (sorted) and the tables of the
/// types it reads through, which untagged unions compare objects against.
pub struct Properties {
    /// The property names the type declares, sorted.
    pub names: &'static [&'static str],
    /// The tables of the types it reads through (flattened parts, variants).
    pub parts: &'static [&'static Properties],
}

/// One variant of an untagged union: its name, the kind of JSON value it
/// reads (empty: several), the table of the object properties it knows, and
/// how to read it.
pub type UntaggedVariant<T> =
    (&'static str, &'static str, Option<&'static Properties>, fn(&serde_json::Value) -> Result<T, serde_json::Error>);

/// How many of an object's properties a table knows, through its parts (each
/// read once: unions may hold themselves), and whether it knows any property at all.
fn known_count(
    object: Option<&serde_json::Map<String, serde_json::Value>>,
    known: Option<&'static Properties>,
) -> (usize, bool) {
    let mut tables: Vec<&Properties> = known.into_iter().collect();
    let mut seen: std::collections::BTreeSet<*const Properties> =
        tables.iter().map(|table| *table as *const _).collect();
    let mut next = 0;
    while let Some(table) = tables.get(next).copied() {
        next += 1;
        tables.extend(table.parts.iter().copied().filter(|part| seen.insert(*part as *const _)));
    }
    let knows = |key: &String| tables.iter().any(|table| table.names.binary_search(&key.as_str()).is_ok());
    let count = object.map_or(0, |object| object.keys().filter(|key| knows(key)).count());
    (count, tables.iter().any(|table| !table.names.is_empty()))
}

/// Reads an untagged union: the variants that read the value's kind are
/// tried in turn and the first that reads it wins. For an object, those that
/// know more of its properties go first (equals keep their order), since a
/// variant that knows fewer would also read it, into less; and once some
/// variant knows one of its properties, a struct that knows none is not
/// tried: it would read the object by dropping all of them.
///
/// Only the calls of the variants' readers depend on `T`: the order and the
/// error are worked out by functions compiled once, not once a union.
pub fn read_untagged<T, E: Error>(
    union: &str,
    value: &serde_json::Value,
    variants: &[UntaggedVariant<T>],
) -> Result<T, E> {
    let order = untagged_order(value, variants.len(), &|index| (variants[index].1, variants[index].2));
    let mut closest = None;
    for index in order {
        let (variant, _, _, read) = &variants[index];
        match read(value) {
            Ok(read) => return Ok(read),
            Err(error) => {
                closest.get_or_insert((*variant, error));
            }
        }
    }
    Err(after_value(untagged_error(union, value, closest), Fingerprint::of(value)))
}

/// The kind of a JSON value, as [`UntaggedVariant`]s name the kind they read.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Object(_) => "object",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Null => "null",
    }
}

/// The indices of the variants [`read_untagged`] tries, in the order it tries
/// them; `variant` gives a variant's kind and table of properties.
fn untagged_order(
    value: &serde_json::Value,
    count: usize,
    variant: &dyn Fn(usize) -> (&'static str, Option<&'static Properties>),
) -> Vec<usize> {
    let value_kind = json_kind(value);
    let mut order: Vec<((usize, bool), usize)> = (0..count)
        .map(|index| (index, variant(index)))
        .filter(|(_, (kind, _))| kind.is_empty() || *kind == value_kind)
        .map(|(index, (_, known))| (known_count(value.as_object(), known), index))
        .collect();
    order.sort_by_key(|((count, _), _)| std::cmp::Reverse(*count));
    let most_known = order.first().map_or(0, |((count, _), _)| *count);
    order
        .into_iter()
        .filter(|((count, knows_any), _)| most_known == 0 || *count > 0 || !knows_any)
        .map(|(_, index)| index)
        .collect()
}

/// Why no variant of an untagged union read `value`: the first error of
/// those tried, or that none reads its kind.
fn untagged_error(union: &str, value: &serde_json::Value, closest: Option<(&str, serde_json::Error)>) -> String {
    match closest {
        Some((variant, error)) => format!("no variant of `{union}` matches; as `{variant}`: {error}"),
        None => format!("no variant of `{union}` reads a JSON {}", json_kind(value)),
    }
}

/// Writes `value` as the `serde_json::Value` it serializes to. serde hands a
/// `#[serde(flatten)]` field a serializer wrapping the struct's own; when the
/// field's type contains the struct again (through a union, say), those
/// wrappers nest without end and rustc cannot build the crate. A `Value` is
/// written with the format's serializer, whatever wraps it, which ends the nesting.
pub fn through_value<T: serde::Serialize, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    serde::Serialize::serialize(&serde_json::to_value(value).map_err(S::Error::custom)?, serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Model;

    impl<'de> serde::Deserialize<'de> for Model {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            constant(deserializer, "model").map(|()| Model)
        }
    }

    #[test]
    fn a_constant_reads_its_value_only() {
        assert_eq!(serde_json::from_str::<Model>("\"model\"").unwrap(), Model);
        let error = serde_json::from_str::<Model>("\"other\"").unwrap_err().to_string();
        assert!(error.contains("invalid value: string \"other\", expected `model`"), "{error}");
    }

    static NAMED: Properties = Properties { names: &["name"], parts: &[] };
    static EMPTY: Properties = Properties { names: &[], parts: &[] };

    #[test]
    fn an_untagged_union_tries_the_variant_that_knows_most_first() {
        let variants: [UntaggedVariant<&str>; 2] =
            [("Empty", "object", Some(&EMPTY), |_| Ok("empty")), ("Named", "object", Some(&NAMED), |_| Ok("named"))];
        let value = serde_json::json!({"name": "x"});
        assert_eq!(read_untagged::<_, serde_json::Error>("U", &value, &variants).unwrap(), "named");
        let error = read_untagged::<_, serde_json::Error>("U", &serde_json::json!(1), &variants).unwrap_err();
        assert_eq!(error.to_string(), "no variant of `U` reads a JSON number");
    }
}
