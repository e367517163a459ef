//! Schemas to the type model.
//!
//! Component schemas are registered first, so they keep their own names and
//! `$ref`s (recursive ones included) resolve to a [`TypeId`] before the schema
//! behind it is converted. Inline schemas that need a Rust type get a name
//! made from the place they appear in; they are memoized by JSON pointer, so a
//! property reached twice (through an `allOf`, say) yields one type.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, Discriminator, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::compact::Compact;
use super::customize::Customizations;
use super::names::{
    field_name, short_variant_names, type_name, variant_name, NameSet, Namespace, ADDITIONAL_PROPERTIES_FIELD,
    UNTAGGED_VARIANT_TYPE,
};
use super::types::*;
use crate::error::{child_pointer, Diagnostics};
use crate::load::{EXAMPLES_KEY, NULL_MARKER, PREFIX_ITEMS_KEY};

const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// How many schemas deep one object may merge through `allOf`. The document
/// depth limit does not bound this: each `$ref` starts again at the top.
const MAX_ALL_OF_DEPTH: usize = 64;

/// How many fields all structs made by merging `allOf` parts may have
/// together. Each merge copies the properties of the schemas it reaches, so
/// 42 KB of objects each merging one schema of 2,000 properties made 600k
/// fields (11.6 s, 990 MB). Real specs have far fewer fields in all their
/// structs together (the full OpenAI spec: 8,163).
const MAX_MERGED_FIELDS: usize = 250_000;

/// How generated enums treat values the spec does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeOptions {
    /// Give every string enum a variant that keeps unknown values.
    pub open_enums: bool,
    /// Give structs that responses reach a map of the properties their
    /// schema does not declare (see [`super::unknown_fields`]).
    pub keep_unknown_fields: bool,
}

impl Default for TypeOptions {
    fn default() -> Self {
        TypeOptions { open_enums: true, keep_unknown_fields: true }
    }
}

/// The properties of an object, merged over `allOf` parts.
#[derive(Default)]
struct ObjectShape<'a> {
    properties: IndexMap<String, PropertySource<'a>>,
    required: BTreeSet<String>,
    additional: Option<(&'a AdditionalProperties, String, String)>,
    /// Some part says `additionalProperties: false`.
    closed: bool,
    /// `allOf` parts that are not objects (unions, mostly), kept as flattened fields.
    flattened: Vec<(String, TypeRef)>,
    /// Pointers of the schemas merged so far. Merging one again adds nothing,
    /// and skipping it keeps diamonds (`allOf: [$ref B, $ref C]`, both
    /// merging D) linear instead of exponential in their depth.
    merged: HashSet<String>,
    /// Only the properties are wanted (to find a union's tag): building the
    /// flattened unions here would start over on the union being built when a
    /// branch merges it back in (`A: oneOf [allOf [$ref A]]`) and never end.
    properties_only: bool,
}

struct PropertySource<'a> {
    schema: &'a ReferenceOr<Box<Schema>>,
    pointer: String,
    /// The Rust name of the type that declares the property, for naming inline types.
    owner: String,
}

pub struct SchemaConverter<'a> {
    components: &'a IndexMap<String, ReferenceOr<Schema>>,
    options: TypeOptions,
    customizations: &'a Customizations,
    pub space: TypeSpace,
    names: Namespace,
    component_ids: HashMap<String, TypeId>,
    /// Nullable component structs, enums and unions: references to them are `Option`.
    nullable_components: HashSet<TypeId>,
    /// Nullable components spelled as aliases: the alias itself is an `Option`.
    nullable_aliases: HashSet<TypeId>,
    inline_memo: HashMap<String, TypeRef>,
    /// [`Self::branch_shape`]'s shapes by the branch schema's pointer.
    branch_shapes: HashMap<String, Rc<ObjectShape<'a>>>,
    /// Fields of the structs merged from more than one schema so far (see [`MAX_MERGED_FIELDS`]).
    merged_fields: usize,
    pub diagnostics: Diagnostics,
}

impl<'a> SchemaConverter<'a> {
    /// A converter for a document's component schemas. `renamed` gives the Rust name of the components
    /// not named after themselves (see [`super::fastapi`]); `customizations` renames (over both)
    /// and replaces them (checked against them by [`Customizations::check_schemas`]).
    pub fn new(
        components: &'a IndexMap<String, ReferenceOr<Schema>>,
        renamed: &HashMap<String, String>,
        options: TypeOptions,
        customizations: &'a Customizations,
    ) -> Self {
        let mut converter = SchemaConverter {
            components,
            options,
            customizations,
            space: TypeSpace::default(),
            names: Namespace::types(&[UNTAGGED_VARIANT_TYPE]),
            component_ids: HashMap::new(),
            nullable_components: HashSet::new(),
            nullable_aliases: HashSet::new(),
            inline_memo: HashMap::new(),
            branch_shapes: HashMap::new(),
            merged_fields: 0,
            diagnostics: Diagnostics::default(),
        };
        for (name, schema) in components {
            let pointer = child_pointer("#/components/schemas", name);
            let wanted = customizations.type_name(name, renamed.get(name));
            let id = converter.reserve(&wanted, &pointer);
            converter.component_ids.insert(name.clone(), id);
            if let ReferenceOr::Item(schema) = schema {
                if schema.schema_data.nullable && needs_named_type(schema) {
                    converter.nullable_components.insert(id);
                } else if schema.schema_data.nullable {
                    converter.nullable_aliases.insert(id);
                }
            }
        }
        converter
    }

    /// Converts every component schema.
    pub fn convert_components(&mut self) {
        for (name, schema) in self.components {
            // new() gave every component an id.
            let id = self.component_ids[name];
            let pointer = self.space.get(id).pointer.clone();
            if self.customizations.replacements.contains_key(name) {
                self.space.entries[id.0].kind = TypeKind::Replaced;
                continue;
            }
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer);
                    self.space.entries[id.0].kind = TypeKind::Alias(target);
                }
                ReferenceOr::Item(schema) => {
                    let name = self.space.get(id).name.clone();
                    self.build(schema, &pointer, &name, Some(id));
                }
            }
        }
        self.check_alias_cycles();
    }

    fn reserve(&mut self, wanted: &str, pointer: &str) -> TypeId {
        let name = self.names.claim(wanted);
        self.space.entries.push(TypeEntry {
            name,
            pointer: pointer.to_string(),
            docs: Docs::default(),
            kind: TypeKind::Pending,
            examples: Vec::new(),
            features: Vec::new(),
            received: false,
            sent: false,
        });
        TypeId(self.space.entries.len() - 1)
    }

    /// The type of a schema or reference found at `pointer`; `hint` names it if it needs a name.
    pub fn type_of<S: AsSchema>(&mut self, schema: &'a ReferenceOr<S>, pointer: &str, hint: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, &pointer_of_ref(pointer)),
            ReferenceOr::Item(schema) => {
                if let Some(memo) = self.inline_memo.get(pointer) {
                    return memo.clone();
                }
                let ty = self.build(schema.as_schema(), pointer, hint, None);
                let ty = if schema.as_schema().schema_data.nullable { ty.optional() } else { ty };
                self.inline_memo.insert(pointer.to_string(), ty.clone());
                ty
            }
        }
    }

    /// Whether a type already admits `null`: an `Option`, or an alias to one.
    fn is_optional(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Option(_) => true,
            TypeRef::Named(id) => self.nullable_aliases.contains(id),
            _ => false,
        }
    }

    /// The type a `$ref` names, nullable if the target is.
    fn reference(&mut self, reference: &str, pointer: &str) -> TypeRef {
        if let Some(replacement) = self.replacement(reference) {
            return replacement;
        }
        match self.component_id(reference, pointer) {
            Some(id) if self.nullable_components.contains(&id) => TypeRef::Named(id).optional(),
            Some(id) => TypeRef::Named(id),
            None => TypeRef::Any,
        }
    }

    /// The user's type for a reference to a component they replaced, `Option` if the schema is nullable.
    fn replacement(&self, reference: &str) -> Option<TypeRef> {
        let name = reference.strip_prefix(SCHEMA_REF_PREFIX)?.replace("~1", "/").replace("~0", "~");
        let rust = TypeRef::External(self.customizations.replacements.get(&name)?.clone());
        let nullable =
            self.components.get(&name).and_then(ReferenceOr::as_item).is_some_and(|s| s.schema_data.nullable);
        Some(if nullable { rust.optional() } else { rust })
    }

    /// The user's type for a string or number format, if they mapped it.
    fn mapped_format(&self, format: Option<&str>) -> Option<TypeRef> {
        self.customizations.formats.get(format?).map(|rust| TypeRef::External(rust.clone()))
    }

    fn component_id(&mut self, reference: &str, pointer: &str) -> Option<TypeId> {
        if let Some(name) = reference.strip_prefix(SCHEMA_REF_PREFIX) {
            let name = name.replace("~1", "/").replace("~0", "~");
            if let Some(id) = self.component_ids.get(&name) {
                return Some(*id);
            }
            self.diagnostics.error(
                pointer,
                format!("unresolved $ref `{reference}`: there is no schema `{name}` in components.schemas"),
            );
        } else {
            self.diagnostics.error(
                pointer,
                format!("unsupported $ref `{reference}`: schemas must be referenced as `#/components/schemas/Name`"),
            );
        }
        None
    }

    /// The component schema behind a reference, with its pointer and Rust name.
    fn component_schema(&mut self, reference: &str, pointer: &str) -> Option<(&'a Schema, String, String)> {
        let mut reference = reference.to_string();
        for _ in 0..=self.components.len() {
            let id = self.component_id(&reference, pointer)?;
            let entry = self.space.get(id);
            let (pointer, name) = (entry.pointer.clone(), entry.name.clone());
            let schema_name = reference.strip_prefix(SCHEMA_REF_PREFIX)?.replace("~1", "/").replace("~0", "~");
            match self.components.get(&schema_name)? {
                ReferenceOr::Item(schema) => return Some((schema, pointer, name)),
                ReferenceOr::Reference { reference: next } => reference = next.clone(),
            }
        }
        None // An alias cycle; reported by check_alias_cycles.
    }

    /// Converts a schema into a type. `fixed` is the id reserved for a
    /// component; an inline schema gets a new entry only if it needs a name.
    fn build(&mut self, schema: &'a Schema, pointer: &str, hint: &str, fixed: Option<TypeId>) -> TypeRef {
        if !needs_named_type(schema) {
            let ty = self.structural(schema, pointer, hint);
            return match fixed {
                Some(id) => {
                    let ty = if schema.schema_data.nullable { ty.optional() } else { ty };
                    self.finish(id, schema, TypeKind::Alias(ty));
                    TypeRef::Named(id)
                }
                // A tuple spelled inline soon passes clippy's `type_complexity`
                // (one of maps, inside an `Option`); named, it is one word.
                None if matches!(ty, TypeRef::Tuple(_)) => {
                    let id = self.reserve(&type_name(hint), pointer);
                    self.finish(id, schema, TypeKind::Alias(ty));
                    TypeRef::Named(id)
                }
                None => ty,
            };
        }
        let id = match fixed {
            Some(id) => id,
            None => {
                let id = self.reserve(&type_name(hint), pointer);
                // Known before it is built: a schema that reaches itself again (a property
                // merging its own parent through `allOf`) refers to it instead of building it forever.
                let early =
                    if schema.schema_data.nullable { TypeRef::Named(id).optional() } else { TypeRef::Named(id) };
                self.inline_memo.insert(pointer.to_string(), early);
                id
            }
        };
        let name = self.space.get(id).name.clone();
        let kind = match &schema.schema_kind {
            SchemaKind::OneOf { one_of } => {
                self.union(one_of, schema.schema_data.discriminator.as_ref(), &pointer_child(pointer, "oneOf"), &name)
            }
            SchemaKind::AnyOf { any_of } => {
                self.union(any_of, schema.schema_data.discriminator.as_ref(), &pointer_child(pointer, "anyOf"), &name)
            }
            _ => match string_enum_values(schema) {
                Some(values) => TypeKind::Enum(self.string_enum(values, false)),
                None => self.object(schema, pointer, &name),
            },
        };
        self.finish(id, schema, kind);
        TypeRef::Named(id)
    }

    fn finish(&mut self, id: TypeId, schema: &Schema, mut kind: TypeKind) {
        kind.compact();
        let entry = &mut self.space.entries[id.0];
        entry.kind = kind;
        entry.docs = docs_of(&schema.schema_data);
        entry.examples = examples_of(&schema.schema_data);
    }

    /// A field's or a variant's type, named (an alias after `hint`) when
    /// spelled out it passes clippy's `type_complexity` (maps of nullable
    /// maps); an `Option` around it stays outside the alias. Aliases are not
    /// linted, so a type is named only where it is spelled in a field.
    fn spelled_simply(&mut self, ty: TypeRef, pointer: &str, hint: &str) -> TypeRef {
        if ty.clippy_complexity(1) <= CLIPPY_TYPE_COMPLEXITY_THRESHOLD {
            return ty;
        }
        // Past the threshold, neither the type nor what an `Option` holds is a named type already.
        let (optional, inner) = match ty {
            TypeRef::Option(inner) => (true, *inner),
            other => (false, other),
        };
        let id = self.reserve(&type_name(hint), pointer);
        self.space.entries[id.0].kind = TypeKind::Alias(inner);
        let named = TypeRef::Named(id);
        if optional {
            named.optional()
        } else {
            named
        }
    }

    /// Types that need no declaration of their own.
    fn structural(&mut self, schema: &'a Schema, pointer: &str, hint: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Bytes,
                VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => TypeRef::Base64,
                format => self.mapped_format(string_format_name(format)).unwrap_or(TypeRef::String),
            },
            SchemaKind::Type(Type::Integer(integer)) => TypeRef::Integer(integer_type(format_name(&integer.format))),
            SchemaKind::Type(Type::Number(number)) => {
                let format = format_name(&number.format);
                self.mapped_format(format.as_deref()).unwrap_or(TypeRef::Float(float_type(format)))
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Object(object)) => {
                self.map_type(object.additional_properties.as_ref(), pointer, hint)
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(tuple) = self.tuple(&schema.schema_data, pointer, hint) {
                    return tuple;
                }
                match &array.items {
                    Some(items) => TypeRef::Array(Box::new(self.type_of(
                        items,
                        &pointer_child(pointer, "items"),
                        &format!("{hint}Item"),
                    ))),
                    None => TypeRef::Array(Box::new(TypeRef::Any)),
                }
            }
            SchemaKind::AllOf { all_of } => self.all_of_single(all_of, pointer, hint),
            SchemaKind::Any(any) => self.structural_any(any, &schema.schema_data, pointer, hint),
            SchemaKind::Not { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => TypeRef::Any,
        }
    }

    /// A schema without a known `type` keyword: infer from the other keywords.
    fn structural_any(&mut self, any: &'a AnySchema, data: &SchemaData, pointer: &str, hint: &str) -> TypeRef {
        match any.typ.as_deref() {
            Some("string") if any.format.as_deref() == Some("binary") => TypeRef::Bytes,
            Some("string") if any.format.as_deref() == Some("byte") => TypeRef::Base64,
            Some("string") => self.mapped_format(any.format.as_deref()).unwrap_or(TypeRef::String),
            Some("integer") => TypeRef::Integer(integer_type(any.format.as_deref())),
            Some("number") => {
                self.mapped_format(any.format.as_deref()).unwrap_or(TypeRef::Float(float_type(any.format.as_deref())))
            }
            Some("boolean") => TypeRef::Boolean,
            Some("object") => self.map_type(any.additional_properties.as_ref(), pointer, hint),
            _ if any.items.is_some()
                || any.typ.as_deref() == Some("array")
                || data.extensions.contains_key(PREFIX_ITEMS_KEY) =>
            {
                if let Some(tuple) = self.tuple(data, pointer, hint) {
                    return tuple;
                }
                match &any.items {
                    Some(items) => TypeRef::Array(Box::new(self.type_of(
                        items,
                        &pointer_child(pointer, "items"),
                        &format!("{hint}Item"),
                    ))),
                    None => TypeRef::Array(Box::new(TypeRef::Any)),
                }
            }
            _ if any.additional_properties.is_some() => {
                self.map_type(any.additional_properties.as_ref(), pointer, hint)
            }
            _ => TypeRef::Any,
        }
    }

    fn map_type(&mut self, additional: Option<&'a AdditionalProperties>, pointer: &str, hint: &str) -> TypeRef {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                self.type_of(schema, &pointer_child(pointer, "additionalProperties"), &format!("{hint}Value"))
            }
            _ => TypeRef::Any,
        };
        TypeRef::Map(Box::new(value))
    }

    /// `prefixItems` (kept by the loader as an extension) as a tuple.
    fn tuple(&mut self, data: &SchemaData, pointer: &str, hint: &str) -> Option<TypeRef> {
        let Value::Array(items) = data.extensions.get(PREFIX_ITEMS_KEY)? else { return None };
        let items_ptr = pointer_child(pointer, "prefixItems");
        let mut types = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let item_ptr = format!("{items_ptr}/{index}");
            let ty = match serde_json::from_value::<ReferenceOr<Schema>>(item.clone()) {
                // Tuple items are parsed here, outside openapiv3's tree, so they are leaked
                // into 'a; there are a handful per document and they live as long as the run.
                Ok(schema) => self.type_of(Box::leak(Box::new(schema)), &item_ptr, &format!("{hint}{index}")),
                Err(error) => {
                    self.diagnostics.error(&item_ptr, format!("invalid tuple item schema: {error}"));
                    TypeRef::Any
                }
            };
            types.push(ty);
        }
        Some(TypeRef::Tuple(types))
    }

    /// `allOf` that does not make a struct: one meaningful part, typically `allOf: [$ref]` plus a description.
    /// A part such as `{nullable: true}` (OpenAI's `allOf: [$ref, {nullable: true}]`) makes it optional.
    fn all_of_single(&mut self, parts: &'a [ReferenceOr<Schema>], pointer: &str, hint: &str) -> TypeRef {
        let all_of_ptr = pointer_child(pointer, "allOf");
        let meaningful: Vec<(usize, &'a ReferenceOr<Schema>)> =
            parts.iter().enumerate().filter(|(_, p)| !adds_no_shape(p)).collect();
        let ty = match meaningful.as_slice() {
            [(index, part)] => self.type_of(*part, &format!("{all_of_ptr}/{index}"), hint),
            _ => TypeRef::Any,
        };
        let nullable_part = parts
            .iter()
            .any(|p| adds_no_shape(p) && matches!(p, ReferenceOr::Item(schema) if schema.schema_data.nullable));
        if nullable_part {
            ty.optional()
        } else {
            ty
        }
    }

    fn object(&mut self, schema: &'a Schema, pointer: &str, name: &str) -> TypeKind {
        let empty = TypeKind::Struct(Struct { fields: Vec::new(), additional: None, closed: false });
        if self.merged_fields > MAX_MERGED_FIELDS {
            // Already reported; the run fails, so stop copying properties.
            return empty;
        }
        let mut shape = ObjectShape::default();
        let mut visiting = HashSet::new();
        self.gather(schema, pointer, name, &mut shape, &mut visiting);
        if shape.merged.len() > 1 {
            self.merged_fields += shape.properties.len();
            if self.merged_fields > MAX_MERGED_FIELDS {
                self.diagnostics.error(pointer, format!("`allOf` merging makes more than {MAX_MERGED_FIELDS} fields in all, counting this schema's; apigen merges at most that many"));
                return empty;
            }
        }
        // The map of unknown properties may be added later (see `unknown_fields`), so its name is always kept free.
        let mut field_names = NameSet::taking([ADDITIONAL_PROPERTIES_FIELD]);
        let mut fields = Vec::new();
        for (wire_name, source) in &shape.properties {
            let property_hint = format!("{}{}", source.owner, type_name(wire_name));
            let ty = self.type_of(source.schema, &source.pointer, &property_hint);
            let (nullable, docs) = match source.schema {
                ReferenceOr::Item(property) => (property.schema_data.nullable, docs_of(&property.schema_data)),
                ReferenceOr::Reference { .. } => (self.is_optional(&ty), Docs::default()),
            };
            let required = shape.required.contains(wire_name);
            let ty = if (required && !nullable) || self.is_optional(&ty) { ty } else { ty.optional() };
            let ty = self.spelled_simply(ty, &source.pointer, &property_hint);
            fields.push(Field {
                rust_name: field_names.claim(&field_name(wire_name), "_"),
                wire_name: wire_name.clone(),
                ty,
                required,
                nullable,
                docs,
                flatten: false,
                serialize_through_value: false,
            });
        }
        for (hint, ty) in shape.flattened {
            fields.push(Field {
                rust_name: field_names.claim(&field_name(&hint), "_"),
                wire_name: hint,
                ty,
                required: true,
                nullable: false,
                docs: Docs::default(),
                flatten: true,
                serialize_through_value: false,
            });
        }
        let additional = match shape.additional {
            Some((AdditionalProperties::Any(true), _, _)) => Some(TypeRef::Any),
            Some((AdditionalProperties::Schema(value), pointer, owner)) => {
                Some(self.type_of(value, &pointer_child(&pointer, "additionalProperties"), &format!("{owner}Value")))
            }
            _ => None,
        };
        TypeKind::Struct(Struct { fields, additional, closed: shape.closed })
    }

    /// Collects properties from a schema and, through `allOf`, from the schemas it merges.
    fn gather(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        owner: &str,
        shape: &mut ObjectShape<'a>,
        visiting: &mut HashSet<String>,
    ) {
        if shape.merged.contains(pointer) {
            return;
        }
        if !visiting.insert(pointer.to_string()) {
            // An `allOf` that reaches itself again (`A: allOf [B]`, `B: allOf [A]`) is
            // legal JSON Schema: what it adds is being merged already, so the cycle ends here.
            return;
        }
        if visiting.len() > MAX_ALL_OF_DEPTH {
            self.diagnostics.error(
                pointer,
                format!("`allOf` merges schemas more than {MAX_ALL_OF_DEPTH} levels deep through `$ref`s"),
            );
            return;
        }
        let (properties, required, additional) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                (Some(&object.properties), &object.required, object.additional_properties.as_ref())
            }
            SchemaKind::Any(any) => (Some(&any.properties), &any.required, any.additional_properties.as_ref()),
            _ => (None, &Vec::new() as &Vec<String>, None),
        };
        if let Some(properties) = properties {
            let properties_ptr = pointer_child(pointer, "properties");
            for (name, property) in properties {
                shape.properties.entry(name.clone()).or_insert(PropertySource {
                    schema: property,
                    pointer: child_pointer(&properties_ptr, name),
                    owner: owner.to_string(),
                });
            }
        }
        shape.required.extend(required.iter().cloned());
        match additional {
            Some(AdditionalProperties::Any(false)) => shape.closed = true,
            Some(additional) => shape.additional = Some((additional, pointer.to_string(), owner.to_string())),
            None => {}
        }
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => {
                let all_of_ptr = pointer_child(pointer, "allOf");
                for (index, part) in all_of.iter().enumerate() {
                    let part_ptr = format!("{all_of_ptr}/{index}");
                    match part {
                        ReferenceOr::Reference { reference } => {
                            if let Some((target, target_ptr, target_name)) = self.component_schema(reference, &part_ptr)
                            {
                                self.gather(target, &target_ptr, &target_name, shape, visiting);
                            }
                        }
                        ReferenceOr::Item(part_schema) => self.gather(part_schema, &part_ptr, owner, shape, visiting),
                    }
                }
            }
            SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches }
                if !shape.properties_only && !branches.iter().all(is_constraint_only) =>
            {
                let hint = format!("{owner}Variant");
                let ty = self.build(schema, pointer, &hint, None);
                shape.flattened.push(("variant".to_string(), ty));
            }
            _ => {}
        }
        visiting.remove(pointer);
        shape.merged.insert(pointer.to_string());
    }

    fn string_enum(&mut self, values: Vec<String>, force_open: bool) -> StringEnum {
        let mut names = NameSet::default();
        let mut seen = HashSet::new();
        let mut variants = Vec::new();
        for value in values {
            if seen.insert(value.clone()) {
                variants.push(EnumVariant { rust_name: names.claim(&variant_name(&value), ""), wire_value: value });
            }
        }
        // A single value is a `const`: the spec allows no other (see [`StringEnum::constant`]).
        let constant = variants.len() == 1 && !force_open;
        let other_variant = (force_open || (self.options.open_enums && !constant)).then(|| {
            ["Other", "Unknown", "UnknownValue"]
                .into_iter()
                .find(|n| !names.contains(n))
                .map(str::to_string)
                .unwrap_or_else(|| names.claim("Other", ""))
        });
        StringEnum { variants, other_variant }
    }

    fn union(
        &mut self,
        branches: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        pointer: &str,
        name: &str,
    ) -> TypeKind {
        let branches: Vec<(usize, &'a ReferenceOr<Schema>)> =
            branches.iter().enumerate().filter(|(_, b)| !is_constraint_only(b)).collect();
        if let Some(kind) = self.string_union(&branches) {
            return kind;
        }
        let tagging = match discriminator {
            Some(discriminator) => self.declared_tags(&branches, discriminator, pointer),
            None => self.inferred_tags(&branches, pointer),
        };
        let tag_values: Vec<Vec<String>> = (0..branches.len())
            .map(|position| tagging.as_ref().and_then(|(_, values)| values.get(position).cloned()).unwrap_or_default())
            .collect();
        let wanted: Vec<String> = branches
            .iter()
            .zip(&tag_values)
            .map(|((_, branch), tag_values)| match (branch, tag_values.first()) {
                (ReferenceOr::Reference { reference }, _) => reference_type_name(reference),
                (ReferenceOr::Item(schema), _) if descriptive_title(schema).is_some() => {
                    type_name(descriptive_title(schema).unwrap_or_default())
                }
                (ReferenceOr::Item(_), Some(tag)) => variant_name(tag),
                (ReferenceOr::Item(schema), None) => structural_variant_name(schema),
            })
            .collect();
        let mut variant_names = NameSet::default();
        let mut variants = Vec::new();
        for (((index, branch), tag_values), wanted) in
            branches.iter().zip(tag_values).zip(short_variant_names(name, &wanted))
        {
            let branch_ptr = format!("{pointer}/{index}");
            let rust_name = variant_names.claim(&wanted, "");
            let hint = format!("{name}{rust_name}");
            let ty = self.type_of(*branch, &branch_ptr, &hint);
            let ty = self.spelled_simply(ty, &branch_ptr, &hint);
            let tag_in_struct = match &tagging {
                Some((tag, _)) => self.branch_has_property(branch, &branch_ptr, tag),
                None => false,
            };
            variants.push(UnionVariant {
                rust_name,
                ty,
                tag_values,
                tag_in_struct,
                properties_of: None,
                json_kind: "",
            });
        }
        TypeKind::Union(Union { tag: tagging.map(|(tag, _)| tag), variants })
    }

    /// `anyOf: [string, string enum]` is OpenAI's open enum; a union of string enums is one enum.
    fn string_union(&mut self, branches: &[(usize, &'a ReferenceOr<Schema>)]) -> Option<TypeKind> {
        let mut values = Vec::new();
        let mut has_plain_string = false;
        for (_, branch) in branches {
            let schema = self.resolve_schema(branch)?;
            match string_enum_values(schema) {
                Some(branch_values) => values.extend(branch_values),
                None if matches!(schema.schema_kind, SchemaKind::Type(Type::String(_))) => has_plain_string = true,
                None => return None,
            }
        }
        if values.is_empty() {
            return None;
        }
        Some(TypeKind::Enum(self.string_enum(values, has_plain_string)))
    }

    fn resolve_schema(&mut self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => {
                let reference = reference.clone();
                // Unresolvable references are reported where the branch is converted.
                let mut diagnostics = std::mem::take(&mut self.diagnostics);
                let resolved = self.component_schema(&reference, "#").map(|(schema, _, _)| schema);
                std::mem::swap(&mut diagnostics, &mut self.diagnostics);
                resolved
            }
        }
    }

    /// The properties of a branch, merged over `allOf`.
    /// The merged properties of a union's branch, gathered once a schema:
    /// unions ask for each branch's shape once a candidate tag, and many
    /// unions may share a branch.
    fn branch_shape(&mut self, branch: &'a ReferenceOr<Schema>, pointer: &str) -> Option<Rc<ObjectShape<'a>>> {
        let (schema, pointer, owner) = match branch {
            ReferenceOr::Reference { reference } => self.component_schema(reference, pointer)?,
            ReferenceOr::Item(schema) => (schema, pointer.to_string(), String::new()),
        };
        // Shapes here are only inspected for their tag property; flattened unions are not needed.
        if let SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } = schema.schema_kind {
            return None;
        }
        if let Some(shape) = self.branch_shapes.get(&pointer) {
            return Some(Rc::clone(shape));
        }
        let mut shape = ObjectShape { properties_only: true, ..ObjectShape::default() };
        let mut diagnostics = std::mem::take(&mut self.diagnostics);
        let mut visiting = HashSet::new();
        self.gather(schema, &pointer, &owner, &mut shape, &mut visiting);
        // Problems in the branch are reported when the branch itself is converted.
        std::mem::swap(&mut diagnostics, &mut self.diagnostics);
        let shape = Rc::new(shape);
        self.branch_shapes.insert(pointer, Rc::clone(&shape));
        Some(shape)
    }

    fn branch_has_property(&mut self, branch: &'a ReferenceOr<Schema>, pointer: &str, property: &str) -> bool {
        self.branch_shape(branch, pointer).is_some_and(|shape| shape.properties.contains_key(property))
    }

    /// What a branch says about its tag property.
    fn tag_property(&mut self, branch: &'a ReferenceOr<Schema>, pointer: &str, property: &str) -> TagProperty {
        let Some(shape) = self.branch_shape(branch, pointer) else { return TagProperty::Unusable };
        let Some(source) = shape.properties.get(property) else { return TagProperty::Unlisted };
        let schema = match source.schema {
            ReferenceOr::Item(schema) => schema.as_ref(),
            ReferenceOr::Reference { reference } => {
                let reference = reference.clone();
                match self.component_schema(&reference, pointer) {
                    Some((schema, _, _)) => schema,
                    None => return TagProperty::Unusable,
                }
            }
        };
        match string_enum_values(schema) {
            Some(values) if shape.required.contains(property) => TagProperty::Values(values),
            // An optional tag may be missing from a payload, so it cannot select the branch.
            Some(_) => TagProperty::Unusable,
            None => TagProperty::Unlisted,
        }
    }

    /// Tag values from a `discriminator`: its mapping, else the branch's own
    /// required const/enum, else (as the spec says) the schema name. `None`
    /// when the tag cannot tell the branches apart (a branch without a usable
    /// value, or two branches sharing one, as in OpenAI's `InputItem`): such
    /// a union is read untagged.
    fn declared_tags(
        &mut self,
        branches: &[(usize, &'a ReferenceOr<Schema>)],
        discriminator: &Discriminator,
        pointer: &str,
    ) -> Option<(String, Vec<Vec<String>>)> {
        let property = discriminator.property_name.clone();
        let mut all = Vec::new();
        let mut seen = HashSet::new();
        for (index, branch) in branches {
            let mapped: Vec<String> = match branch {
                ReferenceOr::Reference { reference } => discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        *target == reference || target.rsplit('/').next() == reference.rsplit('/').next()
                    })
                    .map(|(value, _)| value.clone())
                    .collect(),
                ReferenceOr::Item(_) => Vec::new(),
            };
            let values = if mapped.is_empty() {
                match (self.tag_property(branch, &format!("{pointer}/{index}"), &property), branch) {
                    (TagProperty::Values(values), _) => values,
                    (TagProperty::Unlisted, ReferenceOr::Reference { reference }) => {
                        reference.rsplit('/').next().map(|n| vec![n.to_string()]).unwrap_or_default()
                    }
                    _ => return None,
                }
            } else {
                mapped
            };
            if values.is_empty() || !values.iter().all(|v| seen.insert(v.clone())) {
                return None;
            }
            all.push(values);
        }
        Some((property, all))
    }

    /// A discriminator the spec does not declare: a property that every branch
    /// requires, each with its own disjoint set of string values.
    fn inferred_tags(
        &mut self,
        branches: &[(usize, &'a ReferenceOr<Schema>)],
        pointer: &str,
    ) -> Option<(String, Vec<Vec<String>>)> {
        let (first_index, first) = branches.first()?;
        let candidates: Vec<String> =
            self.branch_shape(first, &format!("{pointer}/{first_index}"))?.required.iter().cloned().collect();
        'candidates: for property in candidates {
            let mut seen = HashSet::new();
            let mut all = Vec::new();
            for (index, branch) in branches {
                let TagProperty::Values(values) = self.tag_property(branch, &format!("{pointer}/{index}"), &property)
                else {
                    continue 'candidates;
                };
                if values.is_empty() || !values.iter().all(|v| seen.insert(v.clone())) {
                    continue 'candidates;
                }
                all.push(values);
            }
            if branches.len() > 1 {
                return Some((property, all));
            }
        }
        None
    }

    /// `Alias` entries whose chain comes back to itself (`A: $ref B`, `B: $ref A`).
    fn check_alias_cycles(&mut self) {
        for start in 0..self.space.entries.len() {
            let mut current = TypeId(start);
            let mut seen = HashSet::new();
            let mut chain = Vec::new();
            while let Some(next) = alias_target(&self.space.get(current).kind) {
                if !seen.insert(current) {
                    // Every member of the cycle finds it; the first one in the document reports it.
                    if current == TypeId(start) && seen.iter().all(|member| member.0 >= start) {
                        let pointer = self.space.get(current).pointer.clone();
                        chain.push(self.space.get(current).name.clone());
                        self.diagnostics.error(
                            &pointer,
                            format!(
                                "`$ref` cycle made only of aliases ({}); no type can be made of it",
                                chain.join(" -> ")
                            ),
                        );
                    }
                    break;
                }
                chain.push(self.space.get(current).name.clone());
                current = next;
            }
        }
    }
}

/// What a union branch declares for a tag property.
enum TagProperty {
    /// A required string enum or const: the values that select the branch.
    Values(Vec<String>),
    /// The branch does not constrain the property's value.
    Unlisted,
    /// The property cannot select the branch: optional, or the branch is no object.
    Unusable,
}

/// The named type an alias stands for directly (through `Option` too).
fn alias_target(kind: &TypeKind) -> Option<TypeId> {
    match kind {
        TypeKind::Alias(TypeRef::Named(id)) => Some(*id),
        TypeKind::Alias(TypeRef::Option(inner)) => match inner.as_ref() {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        },
        _ => None,
    }
}

/// Lets [`SchemaConverter::type_of`] take both `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>`.
pub trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

pub fn pointer_child(pointer: &str, key: &str) -> String {
    child_pointer(pointer, key)
}

/// A `$ref` is reported at the pointer of the `$ref` keyword itself.
fn pointer_of_ref(pointer: &str) -> String {
    child_pointer(pointer, "$ref")
}

/// Objects with properties, string enums and unions get a declaration; the rest are spelled inline.
fn needs_named_type(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Type(Type::String(_)) => string_enum_values(schema).is_some(),
        SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches } => {
            !branches.iter().all(is_constraint_only)
        }
        SchemaKind::AllOf { all_of } => {
            all_of.iter().filter(|p| !adds_no_shape(p)).count() > 1 || all_of.iter().any(is_object_part)
        }
        SchemaKind::Any(any) => !any.properties.is_empty() || string_enum_values(schema).is_some(),
        _ => false,
    }
}

/// An inline `allOf` part that declares properties of its own.
fn is_object_part(part: &ReferenceOr<Schema>) -> bool {
    match part {
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
            SchemaKind::Any(any) => !any.properties.is_empty(),
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => !is_constraint_only(part),
            _ => false,
        },
        ReferenceOr::Reference { .. } => false,
    }
}

/// The values of a string enum (or `const`), if the schema is one.
fn string_enum_values(schema: &Schema) -> Option<Vec<String>> {
    let values: Vec<String> = match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => string.enumeration.iter().flatten().cloned().collect(),
        SchemaKind::Any(any) if matches!(any.typ.as_deref(), None | Some("string")) && !any.enumeration.is_empty() => {
            let strings: Vec<String> = any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
            if strings.len() + any.enumeration.iter().filter(|v| v.is_null()).count() != any.enumeration.len() {
                return None;
            }
            strings
        }
        _ => return None,
    };
    (!values.is_empty()).then_some(values)
}

/// A schema that only constrains (`{required: [a]}`, `{description: ..}`) and adds no shape.
fn is_constraint_only(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Any(any) => {
                any.typ.is_none()
                    && any.properties.is_empty()
                    && any.items.is_none()
                    && any.enumeration.is_empty()
                    && any.additional_properties.is_none()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && any.all_of.is_empty()
                    && !any.required.is_empty()
                    && !schema.schema_data.extensions.contains_key(NULL_MARKER)
                    && !schema.schema_data.extensions.contains_key(PREFIX_ITEMS_KEY)
            }
            _ => false,
        },
    }
}

/// An `allOf` part that changes nothing about the shape: constraints only,
/// or an empty schema that carries just a description or `nullable`.
fn adds_no_shape(part: &ReferenceOr<Schema>) -> bool {
    is_constraint_only(part)
        || matches!(part, ReferenceOr::Item(schema) if matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == AnySchema { required: any.required.clone(), ..AnySchema::default() })
            && !schema.schema_data.extensions.contains_key(PREFIX_ITEMS_KEY))
}

/// The type name a `$ref` points at: `#/components/schemas/Foo` -> `Foo`.
fn reference_type_name(reference: &str) -> String {
    reference.rsplit('/').next().map(type_name).unwrap_or_default()
}

/// A schema's title, unless it only names a JSON type (OpenAI titles
/// branches `string` and `array`), which says less than the schema does.
fn descriptive_title(schema: &Schema) -> Option<&str> {
    const JSON_TYPES: &[&str] = &["string", "array", "object", "integer", "number", "boolean", "null"];
    let title = schema.schema_data.title.as_deref()?;
    (!JSON_TYPES.contains(&title.trim().to_ascii_lowercase().as_str())).then_some(title)
}

/// A variant name that says what an inline branch without a title or tag
/// holds: `String`, `Strings` (an array of strings), `IntegerArrays`, `Map`,
/// or for an object the one or two properties it requires (else has): `Url`,
/// `NameAndArguments`, `Object` when there are more.
fn structural_variant_name(schema: &Schema) -> String {
    if let Some(items) = array_items(schema) {
        return plural(items.map(item_noun));
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
            object_variant_name(object.properties.keys(), &object.required)
        }
        SchemaKind::Any(any) if !any.properties.is_empty() => object_variant_name(any.properties.keys(), &any.required),
        // `$ref` with siblings, which the loader turns into `allOf: [$ref, {siblings}]`.
        SchemaKind::AllOf { all_of } => match all_of.iter().filter(|part| !adds_no_shape(part)).collect::<Vec<_>>()[..]
        {
            [ReferenceOr::Reference { reference }] => reference_type_name(reference),
            _ => "Object".to_string(),
        },
        _ => scalar_noun(schema).to_string(),
    }
}

/// What one item of an array is called: a referenced type's name, a title,
/// a scalar's kind, `{item}Array` for a nested array.
fn item_noun(items: &ReferenceOr<Box<Schema>>) -> String {
    let schema = match items {
        ReferenceOr::Reference { reference } => return reference_type_name(reference),
        ReferenceOr::Item(schema) => schema,
    };
    if let Some(title) = descriptive_title(schema) {
        return type_name(title);
    }
    if let Some(items) = array_items(schema) {
        return format!("{}Array", items.map_or("Value".to_string(), item_noun));
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => "Object".to_string(),
        _ => scalar_noun(schema).to_string(),
    }
}

/// The `items` of an array schema (`None` inside when it does not say), or `None` for another schema.
fn array_items(schema: &Schema) -> Option<Option<&ReferenceOr<Box<Schema>>>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => Some(array.items.as_ref()),
        SchemaKind::Any(any) if any.typ.as_deref() == Some("array") || any.items.is_some() => Some(any.items.as_ref()),
        _ => None,
    }
}

/// The kind of a schema that is not an array or an object with properties.
fn scalar_noun(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string))
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary) =>
        {
            "Bytes"
        }
        SchemaKind::Type(Type::String(_)) => "String",
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Object(_)) => "Map",
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("string") => "String",
            Some("integer") => "Integer",
            Some("number") => "Number",
            Some("boolean") => "Boolean",
            Some("object") => "Map",
            _ => "Value",
        },
        _ => "Object",
    }
}

/// An array of `noun`s: `Strings`; `AddressList` where `s` would not read as a plural.
fn plural(noun: Option<String>) -> String {
    match noun {
        None => "Array".to_string(),
        Some(noun) if noun.ends_with('s') || noun.ends_with("Map") => format!("{noun}List"),
        Some(noun) => format!("{noun}s"),
    }
}

/// An inline object named after the one or two properties it requires (or
/// has, when it requires none); `Object` when there are more.
fn object_variant_name<'k>(properties: impl Iterator<Item = &'k String>, required: &[String]) -> String {
    let properties: Vec<&String> = properties.collect();
    let naming: Vec<&String> = if required.is_empty() {
        properties
    } else {
        properties.into_iter().filter(|p| required.contains(p)).collect()
    };
    match naming.as_slice() {
        [one] => type_name(one),
        [first, second] => format!("{}And{}", type_name(first), type_name(second)),
        _ => "Object".to_string(),
    }
}

pub fn docs_of(data: &SchemaData) -> Docs {
    Docs {
        title: data.title.clone(),
        description: data.description.clone().filter(|d| !d.trim().is_empty()),
        deprecated: data.deprecated,
        default: data.default.clone(),
    }
}

fn examples_of(data: &SchemaData) -> Vec<Value> {
    let mut examples: Vec<Value> = data.example.iter().cloned().collect();
    if let Some(Value::Array(more)) = data.extensions.get(EXAMPLES_KEY) {
        examples.extend(more.iter().cloned());
    }
    examples
}

/// A string format as the spec spells it (`date-time`), for the user's format mapping.
fn string_format_name(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary"),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn format_name<T: std::fmt::Debug>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}").to_lowercase()),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name.to_lowercase()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The integer rule: `int32` -> i32, `uint32`/`uint16`/`uint8` -> u32, `uint64`
/// -> u64, anything else (including `int64` and no format) -> i64. Bounds do
/// not change the type: `minimum: 0` stays signed, since APIs add sentinels
/// such as -1 later, and bounds beyond i64 (OpenAI's
/// `-9223372036854776000`, which is i64::MIN as JSON reads it) are dropped.
pub fn integer_type<S: AsRef<str>>(format: Option<S>) -> IntegerType {
    match format.as_ref().map(AsRef::as_ref) {
        Some("int32") | Some("int16") | Some("int8") => IntegerType::I32,
        Some("uint32") | Some("uint16") | Some("uint8") => IntegerType::U32,
        Some("uint64") | Some("uint") => IntegerType::U64,
        _ => IntegerType::I64,
    }
}

/// `float` -> f32, anything else -> f64.
pub fn float_type<S: AsRef<str>>(format: Option<S>) -> FloatType {
    match format.as_ref().map(AsRef::as_ref) {
        Some("float") => FloatType::F32,
        _ => FloatType::F64,
    }
}
