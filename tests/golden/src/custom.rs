//! A user's own type, used by the `customized` module in place of the spec's `Metadata`.

use std::collections::BTreeMap;

/// Labels, as the spec's `Metadata` schema describes them.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Metadata(pub BTreeMap<String, String>);
