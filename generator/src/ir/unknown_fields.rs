//! Keeping the properties a response carries beyond those its schema declares.
//!
//! An object schema without `additionalProperties` allows any other property
//! (JSON Schema's default), and APIs use that freedom: OpenAI's runs carry a
//! `tool_resources` their schema does not list. A struct that responses reach
//! gets the flattened `additional_properties` map an explicit
//! `additionalProperties: true` would give it, so such fields can be read
//! before the spec catches up, and a value received and sent back (OpenAI's
//! output items become the next request's input) is sent as received.
//! Structs that only requests reach are left without it: callers build those
//! with struct literals, which the field would lengthen for nothing.

use super::types::*;

pub fn keep_unknown_fields(space: &mut TypeSpace) {
    for entry in &mut space.entries {
        if !entry.received {
            continue;
        }
        let TypeKind::Struct(s) = &mut entry.kind else { continue };
        // A flattened union reads every remaining property too, so a map beside it would hold them twice.
        let has_flattened_part = s.fields.iter().any(|field| field.flatten);
        if s.additional.is_none() && !s.closed && !has_flattened_part {
            s.additional = Some(TypeRef::Any);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{build, ModelOptions, TypeKind, TypeOptions};

    /// The names of the structs with a map of additional properties.
    fn structs_with_map(keep_unknown_fields: bool) -> Vec<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/unknown_fields.yaml");
        let document = crate::load::load(path, &std::fs::read(path).unwrap()).unwrap();
        let options = ModelOptions {
            types: TypeOptions { keep_unknown_fields, ..TypeOptions::default() },
            ..ModelOptions::default()
        };
        let model = build(&document, &options).unwrap();
        let with_map =
            model.types.entries.iter().filter(|e| matches!(&e.kind, TypeKind::Struct(s) if s.additional.is_some()));
        with_map.map(|entry| entry.name.clone()).collect()
    }

    #[test]
    fn only_open_structs_that_responses_reach_get_a_map() {
        assert_eq!(structs_with_map(true), ["Limits", "Job", "Started", "Finished"]);
    }

    #[test]
    fn the_option_turns_it_off() {
        assert!(structs_with_map(false).is_empty());
    }
}
