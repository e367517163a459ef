//! The type model: every Rust type the models module will contain.
//!
//! Like typify's `TypeSpace`, types live in one arena and refer to each other
//! by [`TypeId`], so recursive schemas are plain graph edges until the cycle
//! pass ([`super::cycles`]) decides where a `Box` goes.

use serde_json::Value;

/// Index of a named type in [`TypeSpace::entries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerType {
    I32,
    I64,
    U32,
    U64,
}

impl IntegerType {
    /// Whether `value` is one of the type's values (a spec's `default` may not be).
    pub fn holds(self, value: i128) -> bool {
        match self {
            IntegerType::I32 => i32::try_from(value).is_ok(),
            IntegerType::I64 => i64::try_from(value).is_ok(),
            IntegerType::U32 => u32::try_from(value).is_ok(),
            IntegerType::U64 => u64::try_from(value).is_ok(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatType {
    F32,
    F64,
}

/// A use of a type: a named type or a structural one.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Named(TypeId),
    String,
    Boolean,
    Integer(IntegerType),
    Float(FloatType),
    /// `format: binary`: raw bytes.
    Bytes,
    /// Bytes written as a base64 string (`contentEncoding: base64`, 3.0's `format: byte`).
    Base64,
    /// Any JSON value (`{}`).
    Any,
    Array(Box<TypeRef>),
    /// A JSON object with arbitrary keys.
    Map(Box<TypeRef>),
    Tuple(Vec<TypeRef>),
    Option(Box<TypeRef>),
    /// Set by the cycle pass only.
    Boxed(Box<TypeRef>),
    /// A Rust type of the user's, written as given: a replaced schema or a
    /// mapped format (see [`super::customize`]). Checked to parse as a type.
    External(String),
}

/// Clippy's `type_complexity` threshold: a score above it is linted.
pub const CLIPPY_TYPE_COMPLEXITY_THRESHOLD: u64 = 250;

impl TypeRef {
    pub fn optional(self) -> TypeRef {
        match self {
            TypeRef::Option(_) => self,
            other => TypeRef::Option(Box::new(other)),
        }
    }

    pub fn is_option(&self) -> bool {
        matches!(self, TypeRef::Option(_))
    }

    /// The types this one is made of directly: an array's items, a tuple's, ...
    pub fn parts_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                vec![inner.as_mut()]
            }
            TypeRef::Tuple(items) => items.iter_mut().collect(),
            TypeRef::Named(_)
            | TypeRef::String
            | TypeRef::Boolean
            | TypeRef::Integer(_)
            | TypeRef::Float(_)
            | TypeRef::Bytes
            | TypeRef::Base64
            | TypeRef::Any
            | TypeRef::External(_) => Vec::new(),
        }
    }

    /// Clippy's `type_complexity` score of this type as Rust spells it, `nest`
    /// deep (1 at the top): each named type, slice or tuple counts ten times
    /// its depth. A named type counts as boxed, since the cycle pass may box it
    /// later; bytes are a `Vec<u8>`.
    pub fn clippy_complexity(&self, nest: u64) -> u64 {
        let own = 10 * nest;
        match self {
            TypeRef::Named(_) | TypeRef::Bytes | TypeRef::Base64 => own + 10 * (nest + 1),
            TypeRef::String
            | TypeRef::Boolean
            | TypeRef::Integer(_)
            | TypeRef::Float(_)
            | TypeRef::Any
            | TypeRef::External(_) => own,
            // A map is a `BTreeMap<String, _>`.
            TypeRef::Map(inner) => own + 10 * (nest + 1) + inner.clippy_complexity(nest + 1),
            TypeRef::Array(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                own + inner.clippy_complexity(nest + 1)
            }
            TypeRef::Tuple(items) => own + items.iter().map(|item| item.clippy_complexity(nest + 1)).sum::<u64>(),
        }
    }

    /// Whether `wanted` is this type or a part of it (not looking into named types).
    pub fn contains(&self, wanted: &TypeRef) -> bool {
        self == wanted
            || match self {
                TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                    inner.contains(wanted)
                }
                TypeRef::Tuple(items) => items.iter().any(|item| item.contains(wanted)),
                _ => false,
            }
    }
}

/// Documentation gathered from a schema.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub default: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub rust_name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `true` when the spec allows `null` for this field.
    pub nullable: bool,
    pub docs: Docs,
    /// `#[serde(flatten)]`: a merged part of an `allOf` that is not an object.
    pub flatten: bool,
    /// A flattened field written through a `serde_json::Value`: its type
    /// leads back to its struct (see [`super::cycles::mark_flatten_cycles`]).
    pub serialize_through_value: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// The value type of `additionalProperties`, kept in a flattened map.
    pub additional: Option<TypeRef>,
    /// `additionalProperties: false`: the object has no other properties.
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    pub wire_value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that keeps values the spec does not list, if
    /// the enum is open.
    pub other_variant: Option<String>,
}

impl StringEnum {
    /// The one value of a `const` or an enum of one value, which is closed:
    /// such a property (a union's tag, most often) has nothing else to say.
    pub fn constant(&self) -> Option<&str> {
        match (self.variants.as_slice(), &self.other_variant) {
            ([only], None) => Some(&only.wire_value),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant (tagged unions only).
    pub tag_values: Vec<String>,
    /// Whether the variant's own struct has the tag property, so serializing
    /// it writes the tag; if not, the tag is added on serialization.
    pub tag_in_struct: bool,
    /// The named type whose object properties the variant knows (untagged
    /// unions only; see [`super::unions::known_properties`]): decoding tries
    /// first the variants that know most of a value's properties.
    pub properties_of: Option<TypeId>,
    /// The kind of JSON value the variant reads (`object`, `array`, `string`,
    /// `number`, `boolean`), or empty when it may read several (untagged
    /// unions only): a variant of another kind is not tried.
    pub json_kind: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The discriminating property, for a tagged union.
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
}

impl TypeKind {
    /// The types this declaration is made of.
    pub fn parts(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.additional).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
            TypeKind::Enum(_) | TypeKind::Pending | TypeKind::Replaced => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    Alias(TypeRef),
    /// A single-field tuple struct, for aliases that refer to themselves
    /// (`type A = BTreeMap<String, A>` is not valid Rust).
    Newtype(TypeRef),
    /// Reserved while the schema is being converted (recursion).
    Pending,
    /// A component schema the user replaced by a type of their own: not
    /// declared, and references to it are [`TypeRef::External`].
    Replaced,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeEntry {
    pub name: String,
    /// Where the schema is: `#/components/schemas/Foo` or an inline place.
    pub pointer: String,
    pub docs: Docs,
    pub kind: TypeKind,
    /// `example` / `examples` of the schema, for round-trip tests.
    pub examples: Vec<Value>,
    /// The cargo features that compile this type, those of the operations
    /// that use it directly or through other types, as indices into
    /// [`super::Model::features`], increasing.
    pub features: Vec<usize>,
    /// Reached from a response body or event: the API sends values of it.
    pub received: bool,
    /// Reached from a parameter or request body: the client sends values of it.
    pub sent: bool,
}

/// All named types of one document.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    pub entries: Vec<TypeEntry>,
}

impl TypeSpace {
    pub fn get(&self, id: TypeId) -> &TypeEntry {
        // TypeIds are made by the converter as it pushes entries, and pruning
        // renumbers every id when it removes entries.
        &self.entries[id.0]
    }

    /// Follows aliases to the type that defines the shape.
    pub fn resolve<'a>(&'a self, ty: &'a TypeRef) -> &'a TypeRef {
        let mut current = ty;
        // Alias chains are acyclic (alias cycles are rejected while building);
        // the bound only guards against a bug turning into a hang.
        for _ in 0..self.entries.len() + 1 {
            match current {
                TypeRef::Named(id) => match &self.get(*id).kind {
                    TypeKind::Alias(target) => current = target,
                    _ => return current,
                },
                _ => return current,
            }
        }
        current
    }

    pub fn find(&self, name: &str) -> Option<TypeId> {
        self.entries.iter().position(|e| e.name == name).map(TypeId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complexity_scores_as_clippy_does_on_the_spelled_type() {
        let optional = |ty: TypeRef| TypeRef::Option(Box::new(ty));
        let map = |ty: TypeRef| TypeRef::Map(Box::new(ty));
        // Option<BTreeMap<String, Option<BTreeMap<String, Option<u64>>>>>: 10 + 20 + 30 + 30 + 40 + 50 + 50 + 60.
        let grid = optional(map(optional(map(optional(TypeRef::Integer(IntegerType::U64))))));
        assert_eq!(grid.clippy_complexity(1), 290);
        assert!(grid.clippy_complexity(1) > CLIPPY_TYPE_COMPLEXITY_THRESHOLD);
        // Vec<String> as a field's Option would spell it: 20 + 30.
        assert_eq!(TypeRef::Array(Box::new(TypeRef::String)).clippy_complexity(2), 50);
    }
}
