//! libyaml's parser, one event at a time, behind a safe interface.
//!
//! unsafe-libyaml is the libyaml port serde_yaml parses with, so the events,
//! and which texts parse at all, are exactly serde_yaml's; but serde_yaml
//! keeps its wrapper private, behind a `Loader` that holds every event of the
//! document. libyaml-safer, the safe port, panics on some inputs (`">\n  >"`).

use std::ffi::{c_char, CStr};
use std::marker::PhantomData;
use std::mem::MaybeUninit;

use unsafe_libyaml as unsafe_sys;

/// The events `load::yaml` builds a value from (no document directives, no
/// marks: serde_yaml reports every problem).
#[derive(Debug)]
pub(super) enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias(String),
    Scalar(Scalar),
    SequenceStart { anchor: Option<String>, tag: Option<String> },
    SequenceEnd,
    MappingStart { anchor: Option<String>, tag: Option<String> },
    MappingEnd,
}

#[derive(Debug)]
pub(super) struct Scalar {
    pub anchor: Option<String>,
    pub tag: Option<String>,
    pub value: String,
    /// Plain (unquoted, not a block scalar): only those resolve to numbers, booleans and null.
    pub plain: bool,
}

/// The input is not YAML, or not one the fast path reads (not UTF-8).
#[derive(Debug)]
pub(super) struct Invalid;

pub(super) struct Parser<'input> {
    /// Boxed, because libyaml's string reader points back at the parser:
    /// it must not move once initialized.
    sys: Box<MaybeUninit<unsafe_sys::yaml_parser_t>>,
    /// The parser reads the text in place.
    input: PhantomData<&'input str>,
}

impl<'input> Parser<'input> {
    pub(super) fn new(input: &'input str) -> Result<Self, Invalid> {
        let mut sys = Box::new(MaybeUninit::<unsafe_sys::yaml_parser_t>::uninit());
        let parser = sys.as_mut_ptr();
        // SAFETY: `parser` points at boxed memory that stays put until `drop`
        // deletes it; initialization fails only when allocation does, and then
        // leaves nothing to delete. The input outlives the parser ('input).
        unsafe {
            if unsafe_sys::yaml_parser_initialize(parser).fail {
                return Err(Invalid);
            }
            unsafe_sys::yaml_parser_set_encoding(parser, unsafe_sys::YAML_UTF8_ENCODING);
            unsafe_sys::yaml_parser_set_input_string(parser, input.as_ptr(), input.len() as u64);
        }
        Ok(Parser { sys, input: PhantomData })
    }

    /// The next event. After `StreamEnd` or an error there is none to ask for
    /// (libyaml's rule: `parse` stops at either).
    pub(super) fn next(&mut self) -> Result<Event, Invalid> {
        let parser = self.sys.as_mut_ptr();
        let mut event = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized in `new`; an event filled by a
        // successful `yaml_parser_parse` is read once and deleted once.
        unsafe {
            if unsafe_sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                return Err(Invalid);
            }
            let event = event.as_mut_ptr();
            let converted = convert(&*event);
            unsafe_sys::yaml_event_delete(event);
            converted
        }
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in `new` (which returns no parser when it fails), deleted once.
        unsafe { unsafe_sys::yaml_parser_delete(self.sys.as_mut_ptr()) }
    }
}

/// # Safety
/// `event` was filled by a successful `yaml_parser_parse` and not yet deleted.
unsafe fn convert(event: &unsafe_sys::yaml_event_t) -> Result<Event, Invalid> {
    // SAFETY (each union field read): the field is the one `type_` names.
    Ok(match event.type_ {
        unsafe_sys::YAML_STREAM_START_EVENT => Event::StreamStart,
        unsafe_sys::YAML_STREAM_END_EVENT => Event::StreamEnd,
        unsafe_sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
        unsafe_sys::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
        unsafe_sys::YAML_ALIAS_EVENT => Event::Alias(text(event.data.alias.anchor)?.ok_or(Invalid)?),
        unsafe_sys::YAML_SCALAR_EVENT => {
            let scalar = event.data.scalar;
            let value = std::slice::from_raw_parts(scalar.value, scalar.length as usize);
            Event::Scalar(Scalar {
                anchor: text(scalar.anchor)?,
                tag: text(scalar.tag)?,
                value: String::from_utf8(value.to_vec()).map_err(|_| Invalid)?,
                plain: scalar.style == unsafe_sys::YAML_PLAIN_SCALAR_STYLE,
            })
        }
        unsafe_sys::YAML_SEQUENCE_START_EVENT => Event::SequenceStart {
            anchor: text(event.data.sequence_start.anchor)?,
            tag: text(event.data.sequence_start.tag)?,
        },
        unsafe_sys::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
        unsafe_sys::YAML_MAPPING_START_EVENT => Event::MappingStart {
            anchor: text(event.data.mapping_start.anchor)?,
            tag: text(event.data.mapping_start.tag)?,
        },
        unsafe_sys::YAML_MAPPING_END_EVENT => Event::MappingEnd,
        _ => return Err(Invalid),
    })
}

/// # Safety
/// `pointer` is null or a NUL-terminated string libyaml owns.
unsafe fn text(pointer: *const u8) -> Result<Option<String>, Invalid> {
    if pointer.is_null() {
        return Ok(None);
    }
    let bytes = CStr::from_ptr(pointer.cast::<c_char>()).to_bytes();
    std::str::from_utf8(bytes).map(|text| Some(text.to_owned())).map_err(|_| Invalid)
}
