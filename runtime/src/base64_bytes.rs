//! Bytes that travel as base64 text (`contentEncoding: base64`, 3.0's
//! `format: byte`): one type in the runtime, which the models of every API
//! name, instead of a copy in each generated crate.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes that travel as a base64 string. Written in the standard
/// alphabet with padding; read in the standard or URL-safe alphabet,
/// padded or not, as servers differ.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64Bytes(pub Vec<u8>);

impl From<Vec<u8>> for Base64Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Base64Bytes(bytes)
    }
}

impl std::ops::Deref for Base64Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Base64Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let config = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        let text = String::deserialize(deserializer)?;
        GeneralPurpose::new(&alphabet::STANDARD, config)
            .decode(text.as_bytes())
            .or_else(|_| GeneralPurpose::new(&alphabet::URL_SAFE, config).decode(text.as_bytes()))
            .map(Base64Bytes)
            .map_err(|error| {
                let about = super::de::Fingerprint::of(&serde_json::Value::from(text.as_str()));
                super::de::after_value(format!("not base64: {error}"), about)
            })
    }
}
