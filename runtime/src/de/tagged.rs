//! Tagged unions ([`Tagged`]): the object is read once into a [`Content`]
//! (strings borrowed from the input), the tag found among its members picks
//! the variant, and the variant reads the members from it, as serde's
//! internally tagged enums do. Capturing the object's text, scanning it for
//! the tag and reading the variant from the text read it two or three times,
//! once more for each union nested in a variant. Reading the variant on the
//! deserializer itself, where the tag comes first, compiled each variant's
//! reader once for every deserializer that reads a union (serde_json's, the
//! path-tracking one around it, `Value`'s, this `Content`'s): 76% more LLVM
//! IR for OpenAI's `responses` crate; from the `Content`, each is compiled
//! once for all of them.

use std::borrow::Cow;
use std::marker::PhantomData;
use std::slice;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{DeserializeSeed, Deserializer, Error, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::{after_value, Fingerprint, Text};

/// A union whose variants an object's member, the tag, names.
pub trait Tagged<'de>: Sized {
    /// The name of the tag member.
    const TAG: &'static str;
    /// The tag values it knows, for errors: "`a`, `b`".
    const EXPECTED: &'static str;

    /// Reads the variant that [`Variant::tag`] names, or fails with [`Variant::unknown`].
    fn read_variant<E: Error>(variant: Variant<'de, E>) -> Result<Self, E>;
}

/// Reads the tagged union `T`. A missing tag (or a `null` one, or a value
/// that is no object) and a tag it does not know are errors naming the tag
/// and the values it knows.
pub fn tagged<'de, T: Tagged<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    // Only the buffering depends on the deserializer; the rest is compiled once an error type.
    read_tagged(Content::deserialize(deserializer)?)
}

fn read_tagged<'de, T: Tagged<'de>, E: Error>(object: Content<'de>) -> Result<T, E> {
    let missing = |object: &Content| noted(unknown_tag(T::TAG, None, T::EXPECTED), object);
    let Content::Map(members) = object else { return Err(missing(&object)) };
    let tag = match members.iter().find(|(name, _)| name == T::TAG) {
        Some((_, Content::Str(tag))) => tag.clone(),
        Some((_, Content::Null)) | None => return Err(missing(&Content::Map(members))),
        Some((_, other)) => {
            let error = E::invalid_type(other.unexpected(), &"a string");
            return Err(noted(error, &Content::Map(members)));
        }
    };
    let object = Content::Map(members);
    T::read_variant(Variant { tag, object, tag_name: T::TAG, expected: T::EXPECTED, error: PhantomData })
}

/// An error of the union's, made once its whole object was read: noted (see
/// [`after_value`]) with the object's fingerprint, so that a decoding
/// failure's path names the union, not the value around it, where serde_json
/// places the error (after that value's end, when the union was its last).
#[cold]
fn noted<E: Error>(error: E, object: &Content) -> E {
    after_value(error.to_string(), Fingerprint::of(&object.to_value()))
}

/// An object whose tag has been found: the variant named by the tag reads it.
pub struct Variant<'de, E> {
    tag: Cow<'de, str>,
    /// The object, kept whole until the variant has read it, for its errors.
    object: Content<'de>,
    tag_name: &'static str,
    expected: &'static str,
    error: PhantomData<E>,
}

impl<'de, E: Error> Variant<'de, E> {
    /// The tag's value.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Reads the object as `V`, which declares the tag among its properties.
    pub fn read<V: Deserialize<'de>>(self) -> Result<V, E> {
        self.read_members(true)
    }

    /// Reads the object as `V` without its tag (which a struct that does
    /// not declare it would keep as an unknown property).
    pub fn read_without_tag<V: Deserialize<'de>>(self) -> Result<V, E> {
        self.read_members(false)
    }

    fn read_members<V: Deserialize<'de>>(self, with_tag: bool) -> Result<V, E> {
        let Content::Map(members) = &self.object else { return Err(self.unknown()) };
        let members = Members {
            members: members.iter(),
            tag_name: self.tag_name,
            with_tag,
            tag_seen: false,
            value: None,
            error: PhantomData,
        };
        V::deserialize(MapAccessDeserializer::new(members)).map_err(|error| noted(error, &self.object))
    }

    /// The error that no variant has this tag.
    pub fn unknown(&self) -> E {
        noted(unknown_tag(self.tag_name, Some(&self.tag), self.expected), &self.object)
    }
}

/// The members of a tagged object as a variant reads them: the tag among
/// them only if the variant declares it; a second tag is an error.
struct Members<'a, 'de, E> {
    members: slice::Iter<'a, (Cow<'de, str>, Content<'de>)>,
    tag_name: &'static str,
    with_tag: bool,
    tag_seen: bool,
    /// The value of the member whose name was read last.
    value: Option<&'a Content<'de>>,
    error: PhantomData<E>,
}

impl<'de, E: Error> MapAccess<'de> for Members<'_, 'de, E> {
    type Error = E;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, E> {
        for (name, value) in self.members.by_ref() {
            if name == self.tag_name {
                // Serde's internally tagged enums reject a second tag too.
                if std::mem::replace(&mut self.tag_seen, true) {
                    return Err(E::duplicate_field(self.tag_name));
                }
                if !self.with_tag {
                    continue;
                }
            }
            self.value = Some(value);
            return seed.deserialize(Str(name, PhantomData)).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, E> {
        // Readers ask for a value after its name only; serde's own maps make this a panic.
        let value = self.value.take().ok_or_else(|| E::custom("a value was asked for before its name"))?;
        seed.deserialize(ContentDeserializer(value, PhantomData))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

/// A string (a member's name or value) as a deserializer, lent where it was read borrowed.
struct Str<'a, 'de, E>(&'a Cow<'de, str>, PhantomData<E>);

impl<'de, E: Error> IntoDeserializer<'de, E> for Str<'_, 'de, E> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de, E: Error> Deserializer<'de> for Str<'_, 'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
            Cow::Owned(text) => visitor.visit_str(text),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A value kept to be read again, as serde's internally tagged enums keep
/// the members before their tag (serde's `Content` is not public): strings
/// lent by the deserializer stay borrowed, so that only maps and sequences
/// allocate. (A `serde_json::Value` also allocates each string and orders
/// each map; kept as their text, the members would be read twice.)
enum Content<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'de, str>),
    Seq(Vec<Content<'de>>),
    Map(Vec<(Cow<'de, str>, Content<'de>)>),
}

impl Content<'_> {
    /// What the value is, for an error that it is not what was expected.
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Content::Null => Unexpected::Unit,
            Content::Bool(value) => Unexpected::Bool(*value),
            Content::U64(value) => Unexpected::Unsigned(*value),
            Content::I64(value) => Unexpected::Signed(*value),
            Content::F64(value) => Unexpected::Float(*value),
            Content::Str(value) => Unexpected::Str(value),
            Content::Seq(_) => Unexpected::Seq,
            Content::Map(_) => Unexpected::Map,
        }
    }
}

impl<'de> Deserialize<'de> for Content<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ContentVisitor)
    }
}

/// Visits any value as [`Content`].
struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content<'de>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<Content<'de>, E> {
        Ok(Content::Bool(value))
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<Content<'de>, E> {
        Ok(Content::I64(value))
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<Content<'de>, E> {
        Ok(Content::U64(value))
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<Content<'de>, E> {
        Ok(Content::F64(value))
    }

    fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Borrowed(value)))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Owned(value)))
    }

    fn visit_unit<E: Error>(self) -> Result<Content<'de>, E> {
        Ok(Content::Null)
    }

    fn visit_none<E: Error>(self) -> Result<Content<'de>, E> {
        Ok(Content::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Content<'de>, D::Error> {
        Content::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Content<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Content::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Content<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(name) = map.next_key_seed(Text)? {
            members.push((name, map.next_value()?));
        }
        Ok(Content::Map(members))
    }
}

impl Content<'_> {
    /// The value as a `Value`, for its fingerprint.
    fn to_value(&self) -> Value {
        match self {
            Content::Null => Value::Null,
            Content::Bool(value) => Value::Bool(*value),
            Content::U64(value) => Value::from(*value),
            Content::I64(value) => Value::from(*value),
            Content::F64(value) => Value::from(*value),
            Content::Str(value) => Value::from(value.as_ref()),
            Content::Seq(items) => items.iter().map(Content::to_value).collect(),
            Content::Map(members) => members.iter().map(|(name, value)| (name.to_string(), value.to_value())).collect(),
        }
    }
}

impl<'a, 'de, E: Error> IntoDeserializer<'de, E> for &'a Content<'de> {
    type Deserializer = ContentDeserializer<'a, 'de, E>;

    fn into_deserializer(self) -> ContentDeserializer<'a, 'de, E> {
        ContentDeserializer(self, PhantomData)
    }
}

/// [`Content`] read again, by reference: the union's object stays whole
/// for the fingerprint of an error. Strings read borrowed stay lent; the
/// others (with escapes) are copied by their reader.
struct ContentDeserializer<'a, 'de, E>(&'a Content<'de>, PhantomData<E>);

impl<'de, E: Error> Deserializer<'de> for ContentDeserializer<'_, 'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Content::Null => visitor.visit_unit(),
            Content::Bool(value) => visitor.visit_bool(*value),
            Content::U64(value) => visitor.visit_u64(*value),
            Content::I64(value) => visitor.visit_i64(*value),
            Content::F64(value) => visitor.visit_f64(*value),
            Content::Str(value) => Str(value, PhantomData).deserialize_any(visitor),
            Content::Seq(items) => {
                let mut seq = SeqDeserializer::new(items.iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end().map(|()| value)
            }
            Content::Map(members) => {
                let mut map = MapDeserializer::new(members.iter().map(|(name, value)| (Str(name, PhantomData), value)));
                let value = visitor.visit_map(&mut map)?;
                map.end().map(|()| value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Content::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.0 {
            Content::Str(Cow::Borrowed(value)) => visitor.visit_enum(BorrowedStrDeserializer::new(value)),
            Content::Str(Cow::Owned(value)) => visitor.visit_enum(value.as_str().into_deserializer()),
            // An enum with data is an object of one member, the variant's name and its data.
            Content::Map(members) if members.len() == 1 => visitor.visit_enum(MapAccessDeserializer::new(
                MapDeserializer::new(members.iter().map(|(name, value)| (Str(name, PhantomData), value))),
            )),
            other => Err(E::invalid_type(other.unexpected(), &"a string or an object of one member")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier
    }
}

/// The error for a tagged union whose tag is missing or not one it knows.
fn unknown_tag<E: Error>(tag: &str, found: Option<&str>, expected: &str) -> E {
    match found {
        Some(value) => E::custom(format_args!("unknown `{tag}` value `{value}`; expected one of {expected}")),
        None => E::custom(format_args!("missing tag field `{tag}`; expected one of {expected}")),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::{json, Value};

    use super::{tagged, Tagged, Variant};

    /// A variant whose struct declares the tag.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Started {
        kind: String,
        job: String,
    }

    /// A variant whose struct does not declare the tag: it keeps the other members.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Finished {
        job: String,
        #[serde(flatten)]
        other: BTreeMap<String, Value>,
    }

    /// A variant of every kind of field, to read from members kept before the tag.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Measured {
        count: u8,
        delta: i32,
        ratio: f64,
        done: bool,
        note: Option<String>,
        tags: Vec<String>,
        unit: Unit,
        shape: Shape,
        nested: Started,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Unit {
        Seconds,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Shape {
        Circle(f64),
    }

    #[derive(Debug, PartialEq)]
    enum Event {
        Started(Started),
        Finished(Finished),
        Measured(Measured),
    }

    impl<'de> Tagged<'de> for Event {
        const TAG: &'static str = "kind";
        const EXPECTED: &'static str = "`started`, `finished`, `done`, `measured`";

        fn read_variant<E: serde::de::Error>(variant: Variant<'de, E>) -> Result<Self, E> {
            match variant.tag() {
                "started" => variant.read().map(Self::Started),
                "finished" | "done" => variant.read_without_tag().map(Self::Finished),
                "measured" => variant.read_without_tag().map(Self::Measured),
                _ => Err(variant.unknown()),
            }
        }
    }

    impl<'de> Deserialize<'de> for Event {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            tagged(deserializer)
        }
    }

    /// Reads `text` borrowed, through a reader (nothing borrowed) and from a `Value`, which agree.
    fn read(text: &str) -> Result<Event, String> {
        let from_str = serde_json::from_str::<Event>(text).map_err(|error| error.to_string());
        let from_reader = serde_json::from_reader::<_, Event>(text.as_bytes()).map_err(|error| error.to_string());
        let value: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
        let from_value = serde_json::from_value::<Event>(value).map_err(|error| error.to_string());
        let from_str = from_str.map_err(|error| without_position(&error));
        assert_eq!(from_str, from_reader.map_err(|error| without_position(&error)), "{text}");
        assert_eq!(from_str, from_value, "{text}");
        from_str
    }

    /// An error's message without the line and column that errors of text name.
    fn without_position(error: &str) -> String {
        error.split(" at line").next().unwrap_or_default().to_owned()
    }

    fn started() -> Event {
        Event::Started(Started { kind: "started".into(), job: "j".into() })
    }

    #[test]
    fn the_tag_first_picks_the_variant_that_reads_the_rest() {
        assert_eq!(read(r#"{"kind": "started", "job": "j"}"#), Ok(started()));
        let finished = read(r#"{"kind": "done", "job": "j", "took": 3}"#).unwrap();
        assert_eq!(finished, Event::Finished(Finished { job: "j".into(), other: [("took".into(), json!(3))].into() }));
    }

    #[test]
    fn members_before_the_tag_are_read_by_the_variant_in_order() {
        assert_eq!(read(r#"{"job": "j", "kind": "started"}"#), Ok(started()));
        // Escaped, after a nested object with a member of the tag's name.
        let text = r#"{"job": "j", "region": {"kind": "x"}, "kind": "fin\u0069shed", "took": [1]}"#;
        let Ok(Event::Finished(finished)) = read(text) else { panic!("not `finished`: {text}") };
        assert_eq!(finished.other, [("region".into(), json!({"kind": "x"})), ("took".into(), json!([1]))].into());
    }

    #[test]
    fn members_of_every_kind_before_the_tag_are_read_again() {
        let text = r#"{"count": 7, "delta": -2, "ratio": 0.5, "done": true, "note": null, "tags": ["a", "b\u0063"],
            "unit": "seconds", "shape": {"circle": 1.5}, "nested": {"job": "j", "kind": "k"}, "kind": "measured"}"#;
        let measured = Measured {
            count: 7,
            delta: -2,
            ratio: 0.5,
            done: true,
            note: None,
            tags: vec!["a".into(), "bc".into()],
            unit: Unit::Seconds,
            shape: Shape::Circle(1.5),
            nested: Started { kind: "k".into(), job: "j".into() },
        };
        assert_eq!(read(text), Ok(Event::Measured(measured)));
        let error = read(r#"{"count": 300, "kind": "measured"}"#).unwrap_err();
        assert!(error.starts_with("invalid value: integer `300`, expected u8"), "{error}");
    }

    #[test]
    fn a_missing_or_unknown_tag_is_an_error_naming_the_values_known() {
        let missing = "missing tag field `kind`; expected one of `started`, `finished`, `done`, `measured`";
        for text in [r#"{"job": "j"}"#, r#"{"job": "j", "kind": null}"#, "{}", "[1]", "5", r#""started""#, "null"] {
            assert_eq!(read(text).unwrap_err(), missing, "{text}");
        }
        let unknown = read(r#"{"kind": "paused", "job": "j"}"#).unwrap_err();
        assert!(
            unknown.starts_with(
                "unknown `kind` value `paused`; expected one of `started`, `finished`, `done`, `measured`"
            ),
            "{unknown}"
        );
        let number = read(r#"{"kind": 1, "job": "j"}"#).unwrap_err();
        assert!(number.starts_with("invalid type: integer `1`, expected a string"), "{number}");
    }

    #[test]
    fn a_tag_given_twice_is_an_error() {
        for text in [
            r#"{"kind": "started", "job": "j", "kind": "started"}"#,
            r#"{"job": "j", "kind": "finished", "kind": "finished"}"#,
        ] {
            // Not from a `Value`, whose object keeps one member of a name.
            for error in [
                serde_json::from_str::<Event>(text).unwrap_err(),
                serde_json::from_reader::<_, Event>(text.as_bytes()).unwrap_err(),
            ] {
                assert!(error.to_string().starts_with("duplicate field `kind`"), "{text}: {error}");
            }
        }
    }

    #[test]
    fn errors_in_a_variant_are_the_variants() {
        let error = read(r#"{"kind": "started"}"#).unwrap_err();
        assert!(error.starts_with("missing field `job`"), "{error}");
        let error = read(r#"{"job": 5, "kind": "started"}"#).unwrap_err();
        assert!(error.starts_with("invalid type: integer `5`, expected a string"), "{error}");
    }
}
