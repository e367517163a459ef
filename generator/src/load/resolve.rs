//! References anywhere: every `$ref` that the later stages read is rewritten
//! to `#/components/<section>/<Name>` of the document itself, before
//! normalization and `openapiv3` see it.
//!
//! A `$ref` may point anywhere a JSON pointer reaches (below a component,
//! into `paths`, into `$defs`), and into other local files (`pet.yaml`,
//! `common.yaml#/components/schemas/Error`, relative to the referring file).
//! Such a target is copied ("hoisted") into a component of the document, named
//! after its pointer (`#/components/schemas/Tag/allOf/0` -> `TagAllOf0`), once
//! per target, and the `$ref` names that component: the IR only ever meets
//! component references. A component that is only a `$ref` to another file
//! takes the target's content under its own name. Path item `$ref`s are
//! replaced by the path item, since components have no place for them in 3.0.
//!
//! The network is never used: `http(s)` references are refused. Reading other
//! files is bounded (count and size), chains of `$ref`s are followed up to a
//! bound and cycles among them are errors, and hoisting is memoized per
//! target, so any input ends.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use heck::ToUpperCamelCase;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::normalize::METHODS;
use super::parse::parse_document;
use crate::error::{child_pointer, pointer_token, Diagnostic, Diagnostics, Error, Location};

/// How many other files one document may read through its `$ref`s.
pub const MAX_FILES: usize = 256;
/// How large one referenced file may be.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// How many `$ref`s a chain may pass through before it counts as endless.
const MAX_CHAIN: usize = 64;

/// The kinds of objects that `$ref`s stand for and that the IR reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    PathItem,
}

impl Kind {
    /// The `components` section holding this kind.
    fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::PathItem => "pathItems",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Schema => "a schema",
            Kind::Parameter => "a parameter",
            Kind::Response => "a response",
            Kind::RequestBody => "a request body",
            Kind::Header => "a header",
            Kind::PathItem => "a path item",
        }
    }

    fn of_section(section: &str) -> Option<Kind> {
        SECTIONS.into_iter().find(|kind| kind.section() == section)
    }
}

const SECTIONS: [Kind; 6] =
    [Kind::Schema, Kind::Parameter, Kind::Response, Kind::RequestBody, Kind::Header, Kind::PathItem];
const SCHEMA_LIST_KEYS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_KEYS: [&str; 4] = ["items", "additionalProperties", "not", "contains"];
const SCHEMA_MAP_KEYS: [&str; 3] = ["properties", "patternProperties", "$defs"];

/// Where hoisted components came from, to report problems found in them
/// later at their place in the source.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// The other files the references read, in the order they were first named.
    pub files: Vec<PathBuf>,
    /// (pointer of the component in the document, the file it came from when
    /// not the document itself, pointer of the original).
    entries: Vec<(String, Option<String>, String)>,
}

impl Origins {
    /// Moves a problem found in a hoisted component to where it was written.
    pub fn relocate(&self, diagnostic: &mut Diagnostic) {
        let Location::Pointer(pointer) = &diagnostic.location else { return };
        for (hoisted, file, original) in &self.entries {
            let Some(rest) = pointer.strip_prefix(hoisted.as_str()) else { continue };
            if !(rest.is_empty() || rest.starts_with('/')) {
                continue;
            }
            let at = Location::Pointer(format!("{original}{rest}"));
            diagnostic.location = match file {
                Some(file) => Location::InFile { file: file.clone(), location: Box::new(at) },
                None => at,
            };
            return;
        }
    }

    pub fn relocate_all(&self, diagnostics: &mut Diagnostics) {
        for diagnostic in diagnostics.items.iter_mut().chain(diagnostics.warnings.iter_mut()) {
            self.relocate(diagnostic);
        }
    }
}

/// One document read by the resolver, as it was written.
struct Source {
    /// The name used in messages; `None` for the document itself.
    label: Option<String>,
    /// The directory its relative references start from, if known.
    dir: Option<PathBuf>,
    /// Shared with the walks that read it while they call the resolver.
    value: Rc<Value>,
}

/// A change a walk finds for the value it walks, at a JSON pointer in it
/// (`#/...`). Walks only read and list their changes, applied after them, so
/// that targets are read from the document as written without a copy of it.
enum Edit {
    /// The `$ref` of the object there becomes this one.
    Reference(String),
    /// The value there becomes this one (a path item's target, an inlined component).
    Replace(Value),
}

/// [`Edit`]s by the pointer they apply at.
type Edits = Vec<(String, Edit)>;

/// Hoisted components to add to the document: (section, name, content).
type HoistedComponents = Vec<(Kind, String, Value)>;

/// A place a `$ref` points at: a source and a JSON pointer in it (`""` is the whole file).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Target {
    source: usize,
    pointer: String,
}

/// A target waiting to be copied into a component.
struct Hoist {
    kind: Kind,
    name: String,
    target: Target,
}

/// Rewrites the references of `document` (read from a file in `dir`, when
/// known) as the module documentation says, reporting problems into `diagnostics`.
/// `file` is the document's name, the file's when it has one: a `$ref` from
/// another file back into it then reads the document itself.
pub fn resolve_references(
    document: &mut Value,
    file: &str,
    dir: Option<&Path>,
    diagnostics: &mut Diagnostics,
) -> Origins {
    let own_path = dir.zip(Path::new(file).file_name()).and_then(|(dir, name)| dir.join(name).canonicalize().ok());
    let mut resolver = Resolver {
        sources: vec![Source {
            label: None,
            dir: dir.map(Path::to_path_buf),
            value: Rc::new(std::mem::take(document)),
        }],
        files: own_path.into_iter().map(|path| (path, Some(0))).collect(),
        file_bytes: 0,
        hoisted: HashMap::new(),
        taken: HashMap::new(),
        inlined: HashMap::new(),
        queue: VecDeque::new(),
        origins: Origins::default(),
        diagnostics,
    };
    let (edits, hoisted) = resolver.run();
    let Resolver { mut sources, origins, .. } = resolver;
    // The walks that shared the document have ended, so this takes it back
    // without a copy; copying it would be right too, only slower.
    *document = Rc::try_unwrap(sources.swap_remove(0).value).unwrap_or_else(|shared| (*shared).clone());
    drop(sources);
    apply(document, edits, "#");
    if let Value::Object(root) = document {
        for (kind, name, copy) in hoisted {
            let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(components) = components {
                if let Value::Object(entries) =
                    components.entry(kind.section()).or_insert_with(|| Value::Object(Map::new()))
                {
                    entries.insert(name, copy);
                }
            }
        }
    }
    origins
}

/// Makes the `edits` a walk of `value` found, whose pointers start with `base`,
/// the pointer `value` was walked at.
fn apply(value: &mut Value, edits: Edits, base: &str) {
    for (pointer, edit) in edits {
        let Some(place) = pointer.strip_prefix(base).and_then(|relative| value.pointer_mut(relative)) else { continue };
        match edit {
            Edit::Reference(reference) => {
                if let Value::Object(map) = place {
                    map.insert("$ref".into(), Value::String(reference));
                }
            }
            Edit::Replace(replacement) => *place = replacement,
        }
    }
}

struct Resolver<'d> {
    sources: Vec<Source>,
    /// Canonical path -> index in `sources`; `None` when reading it failed (reported once).
    files: HashMap<PathBuf, Option<usize>>,
    file_bytes: u64,
    /// Each target hoisted so far, per kind, with the component name it got.
    hoisted: HashMap<(Kind, Target), String>,
    /// The component names in use, per kind.
    taken: HashMap<Kind, HashSet<String>>,
    /// Components that are only a `$ref` to something to hoist: they take its content.
    /// `None` when following the `$ref` failed (already reported).
    inlined: HashMap<(Kind, String), Option<Target>>,
    queue: VecDeque<Hoist>,
    origins: Origins,
    diagnostics: &'d mut Diagnostics,
}

impl Resolver<'_> {
    /// Walks the document, returning the changes it needs and the hoisted
    /// components to add.
    fn run(&mut self) -> (Edits, HoistedComponents) {
        let document = Rc::clone(&self.sources[0].value);
        let mut edits = Vec::new();
        let mut hoisted = Vec::new();
        let Some(root) = document.as_object() else { return (edits, hoisted) };
        self.claim_component_names(root);
        self.plan_inlined_components(root);
        // Webhooks are path items too (3.1), named instead of templated.
        for section in ["paths", "webhooks"] {
            let Some(Value::Object(items)) = root.get(section) else { continue };
            let section_pointer = format!("#/{section}");
            for (name, item) in items {
                self.walk(Kind::PathItem, item, 0, &child_pointer(&section_pointer, name), &mut edits);
            }
        }
        if let Some(Value::Object(components)) = root.get("components") {
            for kind in SECTIONS {
                let Some(Value::Object(entries)) = components.get(kind.section()) else { continue };
                let section_pointer = format!("#/components/{}", kind.section());
                for (name, entry) in entries {
                    let pointer = child_pointer(&section_pointer, name);
                    match self.inlined.get(&(kind, name.clone())).cloned() {
                        Some(Some(target)) => {
                            let copy = self.copy_of(kind, &target);
                            self.record_origin(&pointer, &target);
                            edits.push((pointer, Edit::Replace(copy)));
                        }
                        Some(None) => {}
                        None => self.walk(kind, entry, 0, &pointer, &mut edits),
                    }
                }
            }
        }
        // Hoisted copies may hoist more; each target only once, so this ends.
        while let Some(Hoist { kind, name, target }) = self.queue.pop_front() {
            let copy = self.copy_of(kind, &target);
            let pointer = child_pointer(&format!("#/components/{}", kind.section()), &name);
            self.record_origin(&pointer, &target);
            hoisted.push((kind, name, copy));
        }
        (edits, hoisted)
    }

    fn claim_component_names(&mut self, root: &Map<String, Value>) {
        let Some(Value::Object(components)) = root.get("components") else { return };
        for kind in SECTIONS {
            if let Some(Value::Object(entries)) = components.get(kind.section()) {
                self.taken.entry(kind).or_default().extend(entries.keys().cloned());
            }
        }
    }

    /// Finds the components that are a bare `$ref` to something to hoist
    /// (`Pet: {$ref: pet.yaml}`), so that the target is hoisted under the
    /// component's own name, and other references to it use that name too.
    fn plan_inlined_components(&mut self, root: &Map<String, Value>) {
        let Some(Value::Object(components)) = root.get("components") else { return };
        for kind in SECTIONS {
            let Some(Value::Object(entries)) = components.get(kind.section()) else { continue };
            for (name, entry) in entries {
                let Some(reference) = bare_reference(entry) else { continue };
                let pointer = child_pointer(&format!("#/components/{}", kind.section()), name);
                match self.follow(kind, reference, 0, &pointer) {
                    Some(target) if self.component_name(kind, &target).is_none() => {
                        self.hoisted.entry((kind, target.clone())).or_insert_with(|| name.clone());
                        self.inlined.insert((kind, name.clone()), Some(target));
                    }
                    Some(_) => {}
                    None => {
                        self.inlined.insert((kind, name.clone()), None);
                    }
                }
            }
        }
    }

    /// The target's value, its own references resolved relative to its file.
    fn copy_of(&mut self, kind: Kind, target: &Target) -> Value {
        let source = Rc::clone(&self.sources[target.source].value);
        let Some(original) = source.pointer(&target.pointer) else { return Value::Null };
        let at = format!("#{}", target.pointer);
        let mut edits = Vec::new();
        self.walk(kind, original, target.source, &at, &mut edits);
        let mut copy = original.clone();
        apply(&mut copy, edits, &at);
        copy
    }

    fn record_origin(&mut self, hoisted: &str, target: &Target) {
        let file = self.sources[target.source].label.clone();
        self.origins.entries.push((hoisted.to_string(), file, format!("#{}", target.pointer)));
    }

    /// Walks an object of `kind` read from `source` at `pointer`, listing the
    /// rewrites of the references in it in `edits`.
    fn walk(&mut self, kind: Kind, value: &Value, source: usize, pointer: &str, edits: &mut Edits) {
        let Value::Object(map) = value else { return };
        if let Some(Value::String(reference)) = map.get("$ref") {
            if kind == Kind::PathItem {
                if let Some(target) = self.follow(kind, reference, source, pointer) {
                    let copy = self.copy_of(kind, &target);
                    edits.push((pointer.to_string(), Edit::Replace(copy)));
                }
                return;
            }
            if let Some(target) = self.follow(kind, reference, source, pointer) {
                let rewritten = self.component_reference(kind, target, reference, source, pointer);
                edits.push((pointer.to_string(), Edit::Reference(rewritten)));
            }
            if kind != Kind::Schema {
                return; // Siblings of a `$ref` are ignored outside schemas.
            }
        }
        match kind {
            Kind::Schema => self.walk_schema_children(map, source, pointer, edits),
            Kind::Parameter | Kind::Header => {
                if let Some(schema) = map.get("schema") {
                    self.walk(Kind::Schema, schema, source, &child_pointer(pointer, "schema"), edits);
                }
                self.walk_content(map, source, pointer, edits);
            }
            Kind::RequestBody => self.walk_content(map, source, pointer, edits),
            Kind::Response => {
                self.walk_map(Kind::Header, map.get("headers"), source, &child_pointer(pointer, "headers"), edits);
                self.walk_content(map, source, pointer, edits);
            }
            Kind::PathItem => {
                self.walk_list(
                    Kind::Parameter,
                    map.get("parameters"),
                    source,
                    &child_pointer(pointer, "parameters"),
                    edits,
                );
                // 3.2's `query` and `additionalOperations` are operations too.
                let fixed =
                    METHODS.iter().chain(&["query"]).map(|method| (child_pointer(pointer, method), map.get(*method)));
                let additional_pointer = child_pointer(pointer, "additionalOperations");
                let additional = map.get("additionalOperations").and_then(Value::as_object).into_iter().flatten();
                let additional =
                    additional.map(|(method, operation)| (child_pointer(&additional_pointer, method), Some(operation)));
                for (pointer, operation) in fixed.chain(additional) {
                    if let Some(Value::Object(operation)) = operation {
                        self.walk_operation(operation, source, &pointer, edits);
                    }
                }
            }
        }
    }

    fn walk_operation(&mut self, operation: &Map<String, Value>, source: usize, pointer: &str, edits: &mut Edits) {
        self.walk_list(
            Kind::Parameter,
            operation.get("parameters"),
            source,
            &child_pointer(pointer, "parameters"),
            edits,
        );
        if let Some(body) = operation.get("requestBody") {
            self.walk(Kind::RequestBody, body, source, &child_pointer(pointer, "requestBody"), edits);
        }
        self.walk_map(Kind::Response, operation.get("responses"), source, &child_pointer(pointer, "responses"), edits);
        // A callback is a map of expressions to path items.
        let callbacks_pointer = child_pointer(pointer, "callbacks");
        for (name, callback) in operation.get("callbacks").and_then(Value::as_object).into_iter().flatten() {
            self.walk_map(Kind::PathItem, Some(callback), source, &child_pointer(&callbacks_pointer, name), edits);
        }
    }

    fn walk_schema_children(&mut self, map: &Map<String, Value>, source: usize, pointer: &str, edits: &mut Edits) {
        for key in SCHEMA_LIST_KEYS {
            self.walk_list(Kind::Schema, map.get(key), source, &child_pointer(pointer, key), edits);
        }
        for key in SCHEMA_KEYS {
            if let Some(child) = map.get(key) {
                self.walk(Kind::Schema, child, source, &child_pointer(pointer, key), edits);
            }
        }
        for key in SCHEMA_MAP_KEYS {
            self.walk_map(Kind::Schema, map.get(key), source, &child_pointer(pointer, key), edits);
        }
    }

    /// `content` of a parameter, header, request body or response: schemas and encoding headers.
    fn walk_content(&mut self, map: &Map<String, Value>, source: usize, pointer: &str, edits: &mut Edits) {
        let Some(Value::Object(content)) = map.get("content") else { return };
        let content_pointer = child_pointer(pointer, "content");
        for (media_type, entry) in content {
            let Value::Object(entry) = entry else { continue };
            let pointer = child_pointer(&content_pointer, media_type);
            if let Some(schema) = entry.get("schema") {
                self.walk(Kind::Schema, schema, source, &child_pointer(&pointer, "schema"), edits);
            }
            if let Some(Value::Object(encodings)) = entry.get("encoding") {
                let encoding_pointer = child_pointer(&pointer, "encoding");
                for (property, encoding) in encodings {
                    let pointer = child_pointer(&child_pointer(&encoding_pointer, property), "headers");
                    self.walk_map(Kind::Header, encoding.get("headers"), source, &pointer, edits);
                }
            }
        }
    }

    fn walk_list(&mut self, kind: Kind, list: Option<&Value>, source: usize, pointer: &str, edits: &mut Edits) {
        if let Some(Value::Array(items)) = list {
            for (index, item) in items.iter().enumerate() {
                self.walk(kind, item, source, &format!("{pointer}/{index}"), edits);
            }
        }
    }

    fn walk_map(&mut self, kind: Kind, entries: Option<&Value>, source: usize, pointer: &str, edits: &mut Edits) {
        if let Some(Value::Object(entries)) = entries {
            for (key, item) in entries {
                self.walk(kind, item, source, &child_pointer(pointer, key), edits);
            }
        }
    }

    /// The `$ref` that names `target` as a component of the document, hoisting it if need be.
    fn component_reference(
        &mut self,
        kind: Kind,
        target: Target,
        reference: &str,
        source: usize,
        pointer: &str,
    ) -> String {
        let name = match self.component_name(kind, &target) {
            Some(name) => name,
            None => {
                if let Some(other) = self.foreign_section(kind, &target) {
                    // PagerDuty's responses name request bodies of the same shape.
                    self.diagnostics.warnings.push(self.diagnostic(
                        source,
                        &child_pointer(pointer, "$ref"),
                        format!(
                            "`{reference}` is {} where {} belongs; it is read as {}",
                            other.noun(),
                            kind.noun(),
                            kind.noun()
                        ),
                    ));
                }
                self.hoisted_name(kind, target)
            }
        };
        format!("#/components/{}/{}", kind.section(), pointer_token(&name))
    }

    /// The name of the document's own component of `kind` that `target` is, if it is one.
    fn component_name(&self, kind: Kind, target: &Target) -> Option<String> {
        if target.source != 0 {
            return None;
        }
        match tokens(&target.pointer).as_slice() {
            [components, section, name] if components == "components" && section == kind.section() => {
                Some(name.clone())
            }
            _ => None,
        }
    }

    /// The kind of component `target` is, when it is a component of another kind than `kind`.
    fn foreign_section(&self, kind: Kind, target: &Target) -> Option<Kind> {
        match tokens(&target.pointer).as_slice() {
            [components, section, _] if components == "components" && section != kind.section() => {
                Kind::of_section(section)
            }
            _ => None,
        }
    }

    /// The component name `target` is hoisted under: its pointer's tokens in
    /// UpperCamelCase (`Tag/allOf/0` -> `TagAllOf0`), or its file's name.
    fn hoisted_name(&mut self, kind: Kind, target: Target) -> String {
        if let Some(name) = self.hoisted.get(&(kind, target.clone())) {
            return name.clone();
        }
        let tokens = tokens(&target.pointer);
        let meaningful = match tokens.as_slice() {
            [components, _, rest @ ..] if components == "components" && !rest.is_empty() => rest,
            all => all,
        };
        let mut base: String = meaningful
            .iter()
            .enumerate()
            .filter(|(index, token)| !is_plumbing(meaningful, *index, token))
            .map(|(_, token)| token.to_upper_camel_case())
            .collect();
        if base.is_empty() {
            let label = self.sources[target.source].label.as_deref().unwrap_or("document");
            base = Path::new(label)
                .file_stem()
                .map(|stem| stem.to_string_lossy().to_upper_camel_case())
                .unwrap_or_default();
        }
        if base.is_empty() {
            base = "Hoisted".into();
        }
        let taken = self.taken.entry(kind).or_default();
        let mut name = base.clone();
        let mut counter = 2;
        while taken.contains(&name) {
            name = format!("{base}{counter}");
            counter += 1;
        }
        taken.insert(name.clone());
        self.hoisted.insert((kind, target.clone()), name.clone());
        self.queue.push_back(Hoist { kind, name: name.clone(), target });
        name
    }

    /// Follows `reference`, written in `source` at `pointer`, through bare
    /// `$ref`s to what it finally names, stopping at a component of the
    /// document of the wanted kind (the IR follows those itself).
    fn follow(&mut self, kind: Kind, reference: &str, source: usize, pointer: &str) -> Option<Target> {
        let at = child_pointer(pointer, "$ref");
        let mut target = self.locate(reference, source, &at)?;
        let mut chain = vec![reference.to_string()];
        let mut seen = HashSet::new();
        loop {
            if self.component_name(kind, &target).is_some() {
                return Some(target);
            }
            if !seen.insert(target.clone()) || chain.len() > MAX_CHAIN {
                let message = format!(
                    "`$ref` cycle: {} (a chain of references that never reaches {})",
                    chain.join(" -> "),
                    kind.noun()
                );
                self.diagnostics.push(self.diagnostic(source, &at, message));
                return None;
            }
            let Some(value) = self.value_at(&target) else {
                let message = format!("unresolved $ref `{}`: {}", chain.join("` -> `"), self.why_missing(&target));
                self.diagnostics.push(self.diagnostic(source, &at, message));
                return None;
            };
            let Some(next) = bare_reference(value).map(str::to_string) else { return Some(target) };
            let next_at = format!("#{}/$ref", target.pointer);
            let next_source = target.source;
            chain.push(next.clone());
            target = self.locate(&next, next_source, &next_at)?;
        }
    }

    fn value_at(&self, target: &Target) -> Option<&Value> {
        self.sources[target.source].value.pointer(&target.pointer)
    }

    /// Says which part of a pointer names nothing.
    fn why_missing(&self, target: &Target) -> String {
        let root = &self.sources[target.source].value;
        let mut found = String::new();
        for token in tokens(&target.pointer) {
            let next = format!("{found}/{}", pointer_token(&token));
            if root.pointer(&next).is_none() {
                let file = self.sources[target.source]
                    .label
                    .as_deref()
                    .map(|label| format!(" in `{label}`"))
                    .unwrap_or_default();
                return format!("there is nothing at `#{next}`{file} (`#{found}` has no `{token}`)");
            }
            found = next;
        }
        "there is nothing there".into()
    }

    /// Where `reference`, written in `source`, points; reads the file it names if need be.
    fn locate(&mut self, reference: &str, source: usize, at: &str) -> Option<Target> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let pointer = match percent_decode_str(fragment).decode_utf8() {
            Ok(pointer) if pointer.is_empty() || pointer.starts_with('/') => pointer.into_owned(),
            _ => {
                let message = format!("unsupported $ref `{reference}`: the part after `#` must be a JSON pointer such as `#/components/schemas/Name`");
                self.diagnostics.push(self.diagnostic(source, at, message));
                return None;
            }
        };
        if path.is_empty() {
            return Some(Target { source, pointer });
        }
        if let Some((scheme, _)) = path.split_once(':').filter(|(scheme, _)| is_uri_scheme(scheme)) {
            let message = if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                format!("$ref `{reference}` points at the network; apigen never downloads documents: save it and refer to the local file")
            } else {
                format!("unsupported $ref `{reference}`: only local files and pointers can be referenced")
            };
            self.diagnostics.push(self.diagnostic(source, at, message));
            return None;
        }
        let file = self.read_file(path, source, at)?;
        Some(Target { source: file, pointer })
    }

    /// Reads (once) the file `path` names relative to `source`, returning its index in `sources`.
    fn read_file(&mut self, path: &str, source: usize, at: &str) -> Option<usize> {
        let relative = PathBuf::from(percent_decode_str(path).decode_utf8_lossy().into_owned());
        let Some(dir) = self.sources[source].dir.clone() else {
            let message = format!(
                "cannot read `{path}`: the document was given without its directory; \
                 generate from its path (`Generator::spec`, `apigen generate FILE`) or with `generate_in`"
            );
            self.diagnostics.push(self.diagnostic(source, at, message));
            return None;
        };
        let joined = lexically_normal(&dir.join(&relative));
        let canonical = match joined.canonicalize() {
            Ok(canonical) => canonical,
            Err(error) => {
                self.diagnostics.push(self.diagnostic(
                    source,
                    at,
                    format!("cannot read `{}`: {error}", joined.display()),
                ));
                return None;
            }
        };
        if let Some(known) = self.files.get(&canonical) {
            return *known;
        }
        let index = self.read_new_file(&joined, source, at);
        self.files.insert(canonical, index);
        index
    }

    fn read_new_file(&mut self, path: &Path, source: usize, at: &str) -> Option<usize> {
        let label = path.display().to_string();
        if self.files.len() >= MAX_FILES {
            self.diagnostics.push(self.diagnostic(
                source,
                at,
                format!(
                    "cannot read `{label}`: the document already reads {MAX_FILES} other files, the most apigen reads"
                ),
            ));
            return None;
        }
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_FILE_BYTES || self.file_bytes + size > MAX_FILE_BYTES * 4 {
            let message = format!("cannot read `{label}`: it has {size} bytes; apigen reads files up to {MAX_FILE_BYTES} bytes, and {} in all", MAX_FILE_BYTES * 4);
            self.diagnostics.push(self.diagnostic(source, at, message));
            return None;
        }
        self.file_bytes += size;
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.diagnostics.push(self.diagnostic(source, at, format!("cannot read `{label}`: {error}")));
                return None;
            }
        };
        match parse_document(&label, &bytes) {
            Ok(value) => {
                self.origins.files.push(path.to_path_buf());
                self.sources.push(Source {
                    label: Some(label),
                    dir: path.parent().map(Path::to_path_buf),
                    value: Rc::new(value),
                });
                Some(self.sources.len() - 1)
            }
            Err(Error::Spec { file, diagnostics }) => {
                for diagnostic in diagnostics.items {
                    self.diagnostics.push(Diagnostic {
                        location: Location::InFile { file: file.clone(), location: Box::new(diagnostic.location) },
                        message: diagnostic.message,
                    });
                }
                None
            }
            Err(other) => {
                self.diagnostics.push(self.diagnostic(source, at, format!("cannot read `{label}`: {other}")));
                None
            }
        }
    }

    /// A problem at `pointer` of `source`, naming the file when it is not the document.
    fn diagnostic(&self, source: usize, pointer: &str, message: String) -> Diagnostic {
        let location = Location::Pointer(pointer.to_string());
        match &self.sources[source].label {
            Some(file) => {
                Diagnostic { location: Location::InFile { file: file.clone(), location: Box::new(location) }, message }
            }
            None => Diagnostic { location, message },
        }
    }
}

/// The reference of an object that is nothing but a `$ref`.
fn bare_reference(value: &Value) -> Option<&str> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get("$ref").and_then(Value::as_str),
        _ => None,
    }
}

/// Tokens that name the OpenAPI structure rather than the thing: `content`,
/// its media type, `schema`, `properties` (`Get/content/application~1json/schema`
/// names `Get`'s body as well as `Get` does).
fn is_plumbing(tokens: &[String], index: usize, token: &str) -> bool {
    matches!(token, "content" | "schema" | "properties") || (index > 0 && tokens[index - 1] == "content")
}

/// The unescaped tokens of a JSON pointer (`/a~1b/c` -> `a/b`, `c`).
fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~")).collect()
}

/// RFC 3986: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`. One letter is a
/// Windows drive (`C:`), not a scheme.
fn is_uri_scheme(scheme: &str) -> bool {
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Drops `.` components, so that messages name `dir/pet.yaml` rather than `dir/./pet.yaml`.
fn lexically_normal(path: &Path) -> PathBuf {
    path.components().filter(|component| *component != Component::CurDir).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolved(mut document: Value) -> (Value, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        resolve_references(&mut document, "t.yaml", None, &mut diagnostics);
        (document, diagnostics)
    }

    #[test]
    fn refs_below_components_are_hoisted_once_with_readable_names() {
        let (document, diagnostics) = resolved(json!({
            "paths": {},
            "components": {
                "schemas": {
                    "Tag": {"allOf": [{"type": "object", "properties": {"id": {"type": "string"}}}]},
                    "TagAllOf0": {"type": "string"},
                    "A": {"properties": {"t": {"$ref": "#/components/schemas/Tag/allOf/0"}, "u": {"$ref": "#/components/schemas/Tag/allOf/0"}}},
                    "B": {"properties": {"kind": {"$ref": "#/components/parameters/kind/schema"}}}
                },
                "parameters": {"kind": {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}}
            }
        }));
        assert!(diagnostics.is_empty() && diagnostics.warnings.is_empty(), "{diagnostics:?}");
        let schemas = &document["components"]["schemas"];
        assert_eq!(schemas["A"]["properties"]["t"], json!({"$ref": "#/components/schemas/TagAllOf02"}));
        assert_eq!(schemas["A"]["properties"]["u"], json!({"$ref": "#/components/schemas/TagAllOf02"}));
        assert_eq!(schemas["TagAllOf02"], json!({"type": "object", "properties": {"id": {"type": "string"}}}));
        assert_eq!(schemas["B"]["properties"]["kind"], json!({"$ref": "#/components/schemas/Kind"}));
        assert_eq!(schemas["Kind"], json!({"type": "string", "enum": ["a", "b"]}));
    }

    #[test]
    fn escaped_pointers_into_paths_and_defs_resolve() {
        let (document, diagnostics) = resolved(json!({
            "paths": {"/a/{id}": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}}}}},
            "components": {"schemas": {
                "FromPath": {"$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema"},
                "Holder": {"$defs": {"In ner": {"type": "integer"}}},
                "FromDefs": {"properties": {"x": {"$ref": "#/components/schemas/Holder/$defs/In%20ner", "description": "kept"}}}
            }}
        }));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let schemas = &document["components"]["schemas"];
        // A component that is only a `$ref` takes the target's content.
        assert_eq!(schemas["FromPath"], json!({"type": "object"}));
        assert_eq!(
            schemas["FromDefs"]["properties"]["x"],
            json!({"$ref": "#/components/schemas/HolderDefsInNer", "description": "kept"})
        );
        assert_eq!(schemas["HolderDefsInNer"], json!({"type": "integer"}));
    }

    #[test]
    fn references_in_query_operations_additional_operations_callbacks_and_webhooks_resolve() {
        let inner = json!({"$ref": "#/components/schemas/Holder/$defs/Inner"});
        let responses = json!({"200": {"description": "ok", "content": {"application/json": {"schema": inner}}}});
        let (document, diagnostics) = resolved(json!({
            "paths": {"/a": {
                "query": {"responses": responses},
                "additionalOperations": {"COPY": {"responses": responses}},
                "get": {"responses": {}, "callbacks": {"done": {"{$request.body#/url}": {"post": {"responses": responses}}}}}
            }},
            "webhooks": {"done": {"post": {"responses": responses}}},
            "components": {"schemas": {"Holder": {"$defs": {"Inner": {"type": "integer"}}}}}
        }));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let hoisted = json!({"$ref": "#/components/schemas/HolderDefsInner"});
        let schema = |operation: &Value| operation["responses"]["200"]["content"]["application/json"]["schema"].clone();
        let item = &document["paths"]["/a"];
        assert_eq!(schema(&item["query"]), hoisted);
        assert_eq!(schema(&document["webhooks"]["done"]["post"]), hoisted);
        assert_eq!(schema(&item["additionalOperations"]["COPY"]), hoisted);
        assert_eq!(schema(&item["get"]["callbacks"]["done"]["{$request.body#/url}"]["post"]), hoisted);
    }

    #[test]
    fn chains_and_cycles_end() {
        let (document, diagnostics) = resolved(json!({
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P/x"}], "responses": {}}}},
            "components": {"parameters": {"P": {"x": {"$ref": "#/components/parameters/P/y"}, "y": {"$ref": "#/components/parameters/P/x"}}}}
        }));
        let messages: Vec<String> = diagnostics.items.iter().map(|d| d.render("t.yaml")).collect();
        assert_eq!(
            messages,
            ["t.yaml#/paths/~1a/get/parameters/0/$ref: `$ref` cycle: #/components/parameters/P/x -> #/components/parameters/P/y -> #/components/parameters/P/x (a chain of references that never reaches a parameter)"]
        );
        assert_eq!(document["paths"]["/a"]["get"]["parameters"][0], json!({"$ref": "#/components/parameters/P/x"}));
    }

    #[test]
    fn a_response_naming_a_request_body_is_read_with_a_warning() {
        let (document, diagnostics) = resolved(json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/requestBodies/Data"}}}}},
            "components": {"requestBodies": {"Data": {"description": "d", "content": {}}}}
        }));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(
            diagnostics.warnings[0].render("t.yaml"),
            "t.yaml#/paths/~1a/get/responses/200/$ref: `#/components/requestBodies/Data` is a request body where a response belongs; it is read as a response"
        );
        assert_eq!(document["paths"]["/a"]["get"]["responses"]["200"], json!({"$ref": "#/components/responses/Data"}));
        assert_eq!(document["components"]["responses"]["Data"], json!({"description": "d", "content": {}}));
    }

    #[test]
    fn network_and_fileless_refs_are_located_errors() {
        let (_, diagnostics) = resolved(json!({
            "paths": {},
            "components": {"schemas": {"A": {"properties": {"x": {"$ref": "https://example.com/a.yaml#/B"}, "y": {"$ref": "b.yaml"}, "z": {"$ref": "#/nowhere/at/all"}}}}}
        }));
        let messages: Vec<String> = diagnostics.items.iter().map(|d| d.render("t.yaml")).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("t.yaml#/components/schemas/A/properties/x/$ref: $ref `https://example.com/a.yaml#/B` points at the network"), "{messages:?}");
        assert!(messages[1].starts_with("t.yaml#/components/schemas/A/properties/y/$ref: cannot read `b.yaml`: the document was given without its directory"), "{messages:?}");
        assert_eq!(messages[2], "t.yaml#/components/schemas/A/properties/z/$ref: unresolved $ref `#/nowhere/at/all`: there is nothing at `#/nowhere` (`#` has no `nowhere`)");
    }

    #[test]
    fn other_files_resolve_relative_to_the_file_that_names_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.yaml"), "B:\n  properties:\n    c: {$ref: '../c.json'}\n    a: {$ref: '../t.yaml#/components/schemas/A'}\n    bad: {$ref: 'bad.yaml'}\n").unwrap();
        std::fs::write(dir.path().join("c.json"), r#"{"properties": {"b": {"$ref": "sub/b.yaml#/B"}}}"#).unwrap();
        std::fs::write(dir.path().join("sub/bad.yaml"), "a: [1,\n").unwrap();
        let mut document = json!({"paths": {}, "components": {"schemas": {"A": {"properties": {"b": {"$ref": "./sub/b.yaml#/B"}, "c": {"$ref": "c.json"}}}}}});
        std::fs::write(dir.path().join("t.yaml"), document.to_string()).unwrap();
        let mut diagnostics = Diagnostics::default();
        let origins = resolve_references(&mut document, "t.yaml", Some(dir.path()), &mut diagnostics);
        let messages: Vec<String> = diagnostics.items.iter().map(|d| d.render("t.yaml")).collect();
        let bad = dir.path().join("sub/bad.yaml").display().to_string();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].starts_with(&format!("{bad}:2:1: invalid YAML")), "{messages:?}");
        let schemas = &document["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"],
            json!({"b": {"$ref": "#/components/schemas/B"}, "c": {"$ref": "#/components/schemas/C"}})
        );
        // The cycle across files closes on the components hoisted once each.
        assert_eq!(schemas["B"]["properties"]["c"], json!({"$ref": "#/components/schemas/C"}));
        // A reference back into the document names its own component.
        assert_eq!(schemas["B"]["properties"]["a"], json!({"$ref": "#/components/schemas/A"}));
        assert_eq!(schemas["C"]["properties"]["b"], json!({"$ref": "#/components/schemas/B"}));
        let files: Vec<String> =
            origins.files.iter().map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
        assert_eq!(files, ["sub/b.yaml", "c.json"]);
    }

    #[test]
    fn origins_move_problems_back_to_where_they_were_written() {
        let mut origins = Origins::default();
        origins.entries.push((
            "#/components/schemas/TagAllOf0".into(),
            None,
            "#/components/schemas/Tag/allOf/0".into(),
        ));
        origins.entries.push(("#/components/schemas/Pet".into(), Some("pet.yaml".into()), "#".into()));
        let mut inside = Diagnostic::at("#/components/schemas/TagAllOf0/type", "bad");
        let mut elsewhere = Diagnostic::at("#/components/schemas/TagAllOf01/type", "bad");
        let mut external = Diagnostic::at("#/components/schemas/Pet/type", "bad");
        for diagnostic in [&mut inside, &mut elsewhere, &mut external] {
            origins.relocate(diagnostic);
        }
        assert_eq!(inside.render("t.yaml"), "t.yaml#/components/schemas/Tag/allOf/0/type: bad");
        assert_eq!(elsewhere.render("t.yaml"), "t.yaml#/components/schemas/TagAllOf01/type: bad");
        assert_eq!(external.render("t.yaml"), "pet.yaml#/type: bad");
    }
}
