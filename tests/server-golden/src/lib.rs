//! Every server golden file as a module: one that does not compile fails the build.
//! Written by tests/server.rs; do not edit by hand.

#[rustfmt::skip]
pub mod headers;
#[rustfmt::skip]
pub mod names;
#[rustfmt::skip]
pub mod operations;
#[rustfmt::skip]
pub mod parameters;
