//! The APIs in `specs/`, generated at build time by `build.rs` through
//! apigen's library API: the build-script way of using apigen, tested here.
//! `generated/` holds the same modules committed, for the crate way.

/// The Nebius Token Factory API (`specs/nebius.yaml`).
pub mod nebius {
    include!(concat!(env!("OUT_DIR"), "/nebius.rs"));
}

/// The OpenAI Uploads API (`specs/openai.yaml`).
pub mod openai {
    include!(concat!(env!("OUT_DIR"), "/openai.rs"));
}
