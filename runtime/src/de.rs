//! The readers that generated models call from their `Deserialize` impls:
//! written once here rather than once a type (or once a module) in the
//! generated code, which is smaller and compiles faster for it.
//!
//! - [`Object`] and [`object`]: a struct that keeps unknown properties, read
//!   in one pass (serde's `#[serde(flatten)]` buffers every property first).
//! - [`open_enum`]: an open string enum, matching known values without allocating.
//! - [`constant`]: a `const` property, which reads its one value only.
//! - [`read_untagged`]: an untagged union, trying the variants that fit best first.
//! - [`unknown_tag`]: the error of a tagged union that does not know its tag.
//!
//! Only generated code is meant to call them; they are public so that it can.

use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Unexpected, Visitor};

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
pub enum Key {
    /// The index of the declaring field.
    Known(usize),
    /// A property no field declares.
    Other(String),
}

/// Reads a property name, allocating only for one no field declares.
pub struct KeySeed(pub fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a property name")
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<Key, E> {
        Ok((self.0)(name).map_or_else(|| Key::Other(name.to_string()), Key::Known))
    }

    fn visit_string<E: Error>(self, name: String) -> Result<Key, E> {
        Ok((self.0)(&name).map_or(Key::Other(name), Key::Known))
    }
}

/// Reads the value of a declared property into its slot; a second one is
/// an error, as with serde's derive.
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

/// The error for a tagged union whose tag is missing or not one it knows.
pub fn unknown_tag<E: Error>(tag: &str, found: Option<&str>, expected: &str) -> E {
    match found {
        Some(value) => E::custom(format_args!("unknown `{tag}` value `{value}`; expected one of {expected}")),
        None => E::custom(format_args!("missing tag field `{tag}`; expected one of {expected}")),
    }
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
pub fn read_untagged<T, E: Error>(
    union: &str,
    value: &serde_json::Value,
    variants: &[UntaggedVariant<T>],
) -> Result<T, E> {
    let value_kind = match value {
        serde_json::Value::Object(_) => "object",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Null => "null",
    };
    let mut order: Vec<((usize, bool), &UntaggedVariant<T>)> = variants
        .iter()
        .filter(|(_, kind, _, _)| kind.is_empty() || *kind == value_kind)
        .map(|variant| (known_count(value.as_object(), variant.2), variant))
        .collect();
    order.sort_by_key(|((count, _), _)| std::cmp::Reverse(*count));
    let most_known = order.first().map_or(0, |((count, _), _)| *count);
    let order = order.into_iter().filter(|((count, knows_any), _)| most_known == 0 || *count > 0 || !knows_any);
    let mut closest = None;
    for (_, (variant, _, _, read)) in order {
        match read(value) {
            Ok(read) => return Ok(read),
            Err(error) => {
                closest.get_or_insert((variant, error));
            }
        }
    }
    match closest {
        Some((variant, error)) => {
            Err(E::custom(format_args!("no variant of `{union}` matches; as `{variant}`: {error}")))
        }
        None => Err(E::custom(format_args!("no variant of `{union}` reads a JSON {value_kind}"))),
    }
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
