//! The user's customisations of the output, in the style of typify and
//! prost-build: extra derives and attributes, types replaced by the user's
//! own, string formats mapped to Rust types, renamed types and operations.
//!
//! They come from the user, not the spec, so a string that is not Rust
//! (`#[derive(Hash`) or a name the spec does not have is a configuration
//! error, found before anything is generated ([`Customizations::check`]).

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema};

use super::names::{field_name, type_name, Namespace, UNTAGGED_VARIANT_TYPE};
use super::types::{TypeKind, TypeSpace};
use crate::error::{child_pointer, Diagnostic, Error, Location};

/// What the user changes about the generated code. Names of types are the
/// schema's name in `components.schemas` or the Rust name apigen gives it.
#[derive(Debug, Clone, Default)]
pub struct Customizations {
    /// Derives for every declared type (`Hash`, `Eq`).
    pub derives: Vec<String>,
    /// Derives for one type: (type, derive).
    pub type_derives: Vec<(String, String)>,
    /// Attributes on one type: (type, `#[...]`).
    pub type_attributes: Vec<(String, String)>,
    /// Attributes on one field: (`Type.field`, `#[...]`), the field by its wire or Rust name.
    pub field_attributes: Vec<(String, String)>,
    /// Schemas not generated, used as the user's Rust type: (schema, type).
    pub replacements: BTreeMap<String, String>,
    /// String (or number) formats read as a Rust type: (format, type).
    pub formats: BTreeMap<String, String>,
    /// Types named by the user: (schema, Rust name).
    pub type_renames: BTreeMap<String, String>,
    /// Client methods named by the user: (operationId, method name).
    pub operation_renames: BTreeMap<String, String>,
}

/// The extras of one declared type, by its Rust name, for the emitter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeExtras {
    /// Paths of traits to derive beyond the generator's own.
    pub derives: Vec<String>,
    /// Outer attributes (`#[...]`) of the type.
    pub attributes: Vec<String>,
    /// Outer attributes of fields, by the field's Rust name.
    pub field_attributes: Vec<(String, String)>,
}

impl Customizations {
    /// Whether there is nothing to customise.
    pub fn is_empty(&self) -> bool {
        self.derives.is_empty()
            && self.type_derives.is_empty()
            && self.type_attributes.is_empty()
            && self.field_attributes.is_empty()
            && self.replacements.is_empty()
            && self.formats.is_empty()
            && self.type_renames.is_empty()
            && self.operation_renames.is_empty()
    }

    /// Refuses strings that are not the Rust they stand for, and names the
    /// generated code cannot take, each error naming the string.
    pub fn check(&self) -> Result<(), Error> {
        let derives = self.derives.iter().chain(self.type_derives.iter().map(|(_, derive)| derive));
        for derive in derives {
            parse::<syn::Path>(derive, "a derive (a trait path such as `Hash` or `schemars::JsonSchema`)")?;
        }
        for (_, attribute) in self.type_attributes.iter().chain(&self.field_attributes) {
            parse_attributes(attribute)?;
        }
        for (target, _) in &self.field_attributes {
            if !target.contains('.') {
                return Err(Error::Config(format!("field attribute target `{target}`: expected `Type.field`")));
            }
        }
        for rust_type in self.replacements.values().chain(self.formats.values()) {
            // `_` and `impl Trait` parse as types too, but cannot be a field's.
            let what = "a type path (such as `chrono::DateTime<chrono::Utc>`)";
            if !matches!(parse::<syn::Type>(rust_type, what)?, syn::Type::Path(_)) {
                return Err(Error::Config(format!("`{rust_type}` is not {what}")));
            }
        }
        for (schema, name) in &self.type_renames {
            // The naming authority would give a name of its own to one it does not accept.
            if type_name(name) != *name || Namespace::types(&[UNTAGGED_VARIANT_TYPE]).claim(name) != *name {
                return Err(Error::Config(format!(
                    "cannot rename schema `{schema}` to `{name}`: not a type name the generated code can use (such as `{}`)",
                    type_name(name)
                )));
            }
        }
        for (operation, name) in &self.operation_renames {
            if field_name(name) != *name {
                return Err(Error::Config(format!(
                    "cannot rename operation `{operation}` to `{name}`: not a method name (such as `{}`)",
                    field_name(name)
                )));
            }
        }
        Ok(())
    }

    /// Refuses replacements and renames of schemas the document does not
    /// have, and renames that would take the name of another type.
    pub fn check_schemas(&self, components: &IndexMap<String, ReferenceOr<Schema>>) -> Result<(), Error> {
        let unknown = self.replacements.keys().chain(self.type_renames.keys()).find(|s| !components.contains_key(*s));
        if let Some(schema) = unknown {
            return Err(Error::Config(format!("no schema `{schema}` in components.schemas to replace or rename")));
        }
        let mut owners: HashMap<String, &str> = HashMap::new();
        for schema in components.keys() {
            let name = self.type_renames.get(schema).cloned().unwrap_or_else(|| type_name(schema));
            if let Some(other) = owners.insert(name.clone(), schema) {
                if self.type_renames.contains_key(schema) || self.type_renames.contains_key(other) {
                    return Err(Error::Config(format!(
                        "schemas `{other}` and `{schema}` would both be named `{name}`"
                    )));
                }
            }
        }
        Ok(())
    }

    /// The Rust name of a component schema: the user's rename, else `generated` (a name the IR chose
    /// from elsewhere, such as a FastAPI body's operation), else the authority's.
    pub fn type_name(&self, schema: &str, generated: Option<&String>) -> String {
        self.type_renames.get(schema).or(generated).cloned().unwrap_or_else(|| type_name(schema))
    }

    /// The extras of each declared type by its Rust name, and a warning for
    /// each type or field named that the model does not have.
    pub fn type_extras(&self, space: &TypeSpace) -> (HashMap<String, TypeExtras>, Vec<Diagnostic>) {
        let mut extras: HashMap<String, TypeExtras> = HashMap::new();
        let mut warnings = Vec::new();
        let declared = space.entries.iter().filter(|e| !matches!(e.kind, TypeKind::Alias(_) | TypeKind::Pending));
        for entry in declared.clone() {
            if !self.derives.is_empty() {
                extras.entry(entry.name.clone()).or_default().derives.extend(self.derives.iter().cloned());
            }
        }
        let find = |name: &str| {
            let pointer = child_pointer("#/components/schemas", name);
            declared.clone().find(|e| e.pointer == pointer).or_else(|| declared.clone().find(|e| e.name == name))
        };
        let mut unknown = |what: &str, name: &str| {
            warnings.push(Diagnostic {
                location: Location::Document,
                message: format!("{what} `{name}`: no generated type or field has that name; ignored"),
            })
        };
        for (name, derive) in &self.type_derives {
            match find(name) {
                Some(entry) => extras.entry(entry.name.clone()).or_default().derives.push(derive.clone()),
                None => unknown("derive for", name),
            }
        }
        for (name, attribute) in &self.type_attributes {
            match find(name) {
                Some(entry) => extras.entry(entry.name.clone()).or_default().attributes.push(attribute.clone()),
                None => unknown("attribute for", name),
            }
        }
        for (target, attribute) in &self.field_attributes {
            // check() made sure there is a dot.
            let (name, field) = target.rsplit_once('.').unwrap_or((target, ""));
            let fields = find(name).and_then(|entry| match &entry.kind {
                TypeKind::Struct(s) => Some((entry, s)),
                _ => None,
            });
            let found = fields.and_then(|(entry, s)| {
                let field = s.fields.iter().find(|f| f.wire_name == field || f.rust_name == field)?;
                Some((entry, field))
            });
            match found {
                Some((entry, field)) => extras
                    .entry(entry.name.clone())
                    .or_default()
                    .field_attributes
                    .push((field.rust_name.clone(), attribute.clone())),
                None => unknown("attribute for field", target),
            }
        }
        for extra in extras.values_mut() {
            // A trait derived twice does not compile; the first mention wins.
            let mut seen = std::collections::HashSet::new();
            extra.derives.retain(|derive| seen.insert(derive.clone()));
        }
        (extras, warnings)
    }
}

fn parse<T: syn::parse::Parse>(text: &str, what: &str) -> Result<T, Error> {
    syn::parse_str::<T>(text).map_err(|error| Error::Config(format!("`{text}` is not {what}: {error}")))
}

/// Outer attributes, one or more: `#[serde(default)]`.
pub fn parse_attributes(text: &str) -> Result<Vec<syn::Attribute>, Error> {
    use syn::parse::Parser;
    let attributes = syn::Attribute::parse_outer
        .parse_str(text)
        .map_err(|error| Error::Config(format!("`{text}` is not an attribute such as `#[serde(default)]`: {error}")))?;
    if attributes.is_empty() {
        return Err(Error::Config(format!("`{text}` is not an attribute such as `#[serde(default)]`")));
    }
    Ok(attributes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_error(customizations: Customizations) -> String {
        match customizations.check() {
            Err(Error::Config(message)) => message,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn strings_that_are_not_rust_are_refused_by_name() {
        let derive = Customizations { derives: vec!["Hash(".into()], ..Default::default() };
        assert!(config_error(derive).contains("`Hash(`"));
        let attribute =
            Customizations { type_attributes: vec![("Pet".into(), "#[serde(default".into())], ..Default::default() };
        assert!(config_error(attribute).contains("`#[serde(default`"));
        let bare = Customizations { type_attributes: vec![("Pet".into(), "serde".into())], ..Default::default() };
        assert!(config_error(bare).contains("`serde`"));
        let format = Customizations {
            formats: [("date-time".to_string(), "chrono::DateTime<".to_string())].into(),
            ..Default::default()
        };
        assert!(config_error(format).contains("`chrono::DateTime<`"));
        for not_a_path in ["_", "impl Serialize", "&str"] {
            let replacement =
                Customizations { replacements: [("Pet".into(), not_a_path.into())].into(), ..Default::default() };
            assert!(config_error(replacement).contains(&format!("`{not_a_path}`")), "{not_a_path}");
        }
        let field =
            Customizations { field_attributes: vec![("Pet".into(), "#[doc = \"x\"]".into())], ..Default::default() };
        assert!(config_error(field).contains("`Pet`"));
    }

    #[test]
    fn renames_the_naming_authority_would_change_are_refused() {
        for name in ["not_camel", "Option", "UntaggedVariant", "Two Words", "struct"] {
            let rename = Customizations { type_renames: [("Pet".into(), name.into())].into(), ..Default::default() };
            assert!(config_error(rename).contains(&format!("`{name}`")), "{name}");
        }
        let method =
            Customizations { operation_renames: [("getPet".into(), "GetPet".into())].into(), ..Default::default() };
        assert!(config_error(method).contains("`GetPet`"));
        let fine = Customizations {
            type_renames: [("Pet".into(), "Animal".into())].into(),
            operation_renames: [("getPet".into(), "fetch_pet".into())].into(),
            ..Default::default()
        };
        fine.check().unwrap();
    }

    #[test]
    fn a_rename_onto_another_schema_names_both() {
        let components: IndexMap<String, ReferenceOr<Schema>> =
            serde_yaml::from_str("Pet: {type: object}\nanimal: {type: string}\nOwner: {type: object}").unwrap();
        let clash = Customizations { type_renames: [("Pet".into(), "Animal".into())].into(), ..Default::default() };
        let Err(Error::Config(message)) = clash.check_schemas(&components) else { panic!("a clash is an error") };
        assert!(message.contains("`Pet`") && message.contains("`animal`") && message.contains("`Animal`"), "{message}");
        let unknown = Customizations { replacements: [("Cat".into(), "Cat".into())].into(), ..Default::default() };
        let Err(Error::Config(message)) = unknown.check_schemas(&components) else { panic!("unknown is an error") };
        assert!(message.contains("`Cat`"), "{message}");
        let swap = Customizations {
            type_renames: [("Pet".into(), "Owner".into()), ("Owner".into(), "Pet".into())].into(),
            ..Default::default()
        };
        swap.check_schemas(&components).unwrap();
    }
}
