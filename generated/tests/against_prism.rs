//! Every operation of `specs/` called through the generated clients against
//! Prism, which answers from the spec (its examples in static mode, random
//! schema-valid data in dynamic mode) and marks any request or response that
//! breaks the spec with an `sl-violations` header; a hook collects those,
//! and the tests require that there are none.

#[path = "../../tests/support/prism.rs"]
mod prism;
#[path = "../../tests/support/required.rs"]
mod required;

use std::collections::BTreeSet;
use std::fmt::Debug;

use apigen_generated::{nebius, openai};
use prism::Prism;

/// Records the `sl-violations` header Prism puts on answers to requests (or
/// from responses) that break the spec.
#[derive(Clone, Default)]
pub struct Violations(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl Violations {
    /// The violations recorded so far, as Prism's JSON.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// One hook for both clients: they share the runtime's `Hook`.
impl apigen_runtime::Hook for Violations {
    /// Keeps the header of one answer, if Prism set it.
    fn after(
        &self,
        method: &reqwest::Method,
        url: &reqwest::Url,
        outcome: Result<&reqwest::Response, &reqwest::Error>,
    ) {
        if let Some(header) = outcome.ok().and_then(|r| r.headers().get("sl-violations")) {
            self.0.lock().unwrap().push(format!("{method} {url}: {}", header.to_str().unwrap_or("?")));
        }
    }
}

/// Dynamic mode draws random responses; these seeds make each run repeatable.
const SEEDS: [&str; 3] = ["1", "42", "20261123"];

/// Fails with everything Prism said when a call was not accepted.
/// For either API's calls: their errors are the runtime's.
fn accepted<T, E: Debug>(operation: &str, result: Result<T, apigen_runtime::Error<E>>) -> T {
    result.unwrap_or_else(|error| panic!("{operation}: {error}\n{error:#?}"))
}

/// The method names of every operation in a spec, from the generator itself.
fn operations_of(spec: &str) -> BTreeSet<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(spec);
    let document = apigen::load::load_file(&path).expect("the spec loads");
    let model = apigen::ir::build(&document, &Default::default()).expect("the spec builds");
    model.operations.into_iter().map(|o| o.method_name).collect()
}

async fn run_openai_flow(base_url: &str, violations: &Violations) -> BTreeSet<String> {
    use openai::types::*;
    let client = openai::Client::new(base_url).with_bearer_token("sk-test-key").with_hook(violations.clone());
    let mut called = BTreeSet::new();
    let request = CreateUploadRequest {
        filename: "train.jsonl".into(),
        purpose: CreateUploadRequestPurpose::FineTune,
        bytes: 11,
        mime_type: "text/jsonl".into(),
        expires_after: Some(FileExpirationAfter { anchor: FileExpirationAfterAnchor, seconds: 3600 }),
    };
    let upload = accepted("create_upload", client.create_upload(&request).await);
    called.insert("create_upload".to_string());
    let part =
        openai::forms::AddUploadPartRequest { data: openai::FilePart::bytes(&b"hello world"[..]).file_name("part-0") };
    let part = accepted("add_upload_part", client.add_upload_part(&upload.id, part).await);
    called.insert("add_upload_part".to_string());
    let completed = accepted(
        "complete_upload",
        client.complete_upload(&upload.id, &CompleteUploadRequest { part_ids: vec![part.id], md5: None }).await,
    );
    called.insert("complete_upload".to_string());
    assert!(!completed.id.is_empty());
    accepted("cancel_upload", client.cancel_upload(&upload.id).await);
    called.insert("cancel_upload".to_string());
    called
}

/// The published Nebius spec gives `UploadDatasetInfoResponse.schema` (an
/// array) `examples` that are single items, as pydantic writes them; Prism's
/// static answer built from them is not valid by the spec itself. The client
/// must say so, with the path, instead of returning wrong data.
const NEBIUS_EXAMPLE_DEFECT: &str = "upload_info.dataset.schema";

async fn run_nebius_flow(base_url: &str, violations: &Violations, static_examples: bool) -> BTreeSet<String> {
    let client = nebius::Client::new(base_url).with_bearer_token("nebius-test-key").with_hook(violations.clone());
    let mut called = BTreeSet::new();
    let parts = accepted("list_upload_parts", client.list_upload_parts("upload_123").await);
    accepted(
        "list_upload_parts with ai_project_id",
        client.list_upload_parts("upload_123").ai_project_id("project-1").await,
    );
    called.insert("list_upload_parts".to_string());
    let part_ids = parts.data.into_iter().map(|p| p.id).collect();
    let completed = client.complete_upload("upload_123", &nebius::types::CompleteUploadRequest { part_ids }).await;
    if static_examples {
        match completed {
            Err(nebius::Error::Decode { path, .. }) => assert_eq!(path, NEBIUS_EXAMPLE_DEFECT),
            other => {
                panic!("expected the spec's invalid example to fail decoding at {NEBIUS_EXAMPLE_DEFECT}, got {other:?}")
            }
        }
    } else {
        assert!(!accepted("complete_upload", completed).id.is_empty());
    }
    called.insert("complete_upload".to_string());
    called
}

#[tokio::test]
async fn openai_operations_pass_prism_static() {
    let Some(prism) = Prism::start("specs/openai.yaml", None) else { return };
    let violations = Violations::default();
    let called = run_openai_flow(&prism.base_url, &violations).await;
    assert_eq!(called, operations_of("specs/openai.yaml"), "every operation is called");
    assert_eq!(violations.take(), Vec::<String>::new());
}

#[tokio::test]
async fn openai_operations_pass_prism_dynamic() {
    for seed in SEEDS {
        let Some(prism) = Prism::start("specs/openai.yaml", Some(seed)) else { return };
        let violations = Violations::default();
        run_openai_flow(&prism.base_url, &violations).await;
        assert_eq!(violations.take(), Vec::<String>::new(), "seed {seed}");
    }
}

#[tokio::test]
async fn nebius_operations_pass_prism_static() {
    let Some(prism) = Prism::start("specs/nebius.yaml", None) else { return };
    let violations = Violations::default();
    let called = run_nebius_flow(&prism.base_url, &violations, true).await;
    assert_eq!(called, operations_of("specs/nebius.yaml"), "every operation is called");
    let found = violations.take();
    assert_eq!(found.len(), 1, "only the known example defect: {found:#?}");
    assert!(found[0].contains("\"response\",\"body\",\"upload_info\",\"dataset\",\"schema\""), "{found:#?}");
}

#[tokio::test]
async fn nebius_operations_pass_prism_dynamic() {
    for seed in SEEDS {
        let Some(prism) = Prism::start("specs/nebius.yaml", Some(seed)) else { return };
        let violations = Violations::default();
        run_nebius_flow(&prism.base_url, &violations, false).await;
        assert_eq!(violations.take(), Vec::<String>::new(), "seed {seed}");
    }
}

/// Prism answers 422 to a request that breaks the spec; the client reports it
/// with the status and Prism's explanation kept.
#[tokio::test]
async fn a_request_prism_rejects_is_reported_with_the_evidence() {
    let Some(prism) = Prism::start("specs/nebius.yaml", None) else { return };
    let client = nebius::Client::new(&prism.base_url);
    // No bearer token: the operation requires one.
    let error = client.list_upload_parts("upload_123").await.expect_err("Prism refuses a request without auth");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error:?}");
}
