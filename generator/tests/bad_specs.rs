//! `apigen generate` on wrong specs: a non-zero exit, one located message a
//! problem, and nothing written. The messages are kept in
//! `tests/bad_specs/<case>.stderr` for review (`EXPECTORATE=overwrite` updates them).

use std::path::{Path, PathBuf};
use std::process::Command;

const PREVIOUS_OUTPUT: &str = "// a previous run's output, which a failing run must leave alone\n";

/// One run of `apigen generate SPEC -o out.rs` in a fresh directory holding the spec.
struct Run {
    dir: tempfile::TempDir,
    success: bool,
    stderr: String,
}

impl Run {
    /// Runs on `contents`, saved as `name` in the run's directory, so messages name `name` as is.
    fn on(name: &str, contents: &[u8]) -> Run {
        Run::run_in(tempfile::tempdir().expect("a temporary directory"), name, contents)
    }

    fn run_in(dir: tempfile::TempDir, name: &str, contents: &[u8]) -> Run {
        std::fs::write(dir.path().join(name), contents).expect("the spec is written");
        std::fs::write(dir.path().join("out.rs"), PREVIOUS_OUTPUT).expect("the previous output is written");
        let output = Command::new(env!("CARGO_BIN_EXE_apigen"))
            .current_dir(dir.path())
            .args(["generate", name, "-o", "out.rs"])
            .output()
            .expect("apigen runs");
        Run { dir, success: output.status.success(), stderr: String::from_utf8_lossy(&output.stderr).into_owned() }
    }

    fn on_fixture(name: &str) -> Run {
        Run::on(name, &std::fs::read(fixture_dir().join(name)).expect("the fixture exists"))
    }

    /// Runs on a fixture whose references name the files of the fixture directory `dir`, copied beside it.
    fn on_fixture_tree(name: &str, dir: &str) -> Run {
        let temporary = tempfile::tempdir().expect("a temporary directory");
        std::fs::create_dir(temporary.path().join(dir)).expect("the directory is created");
        for entry in std::fs::read_dir(fixture_dir().join(dir)).expect("the fixture directory exists") {
            let path = entry.expect("an entry").path();
            std::fs::copy(&path, temporary.path().join(dir).join(path.file_name().expect("a file name")))
                .expect("the file is copied");
        }
        Run::run_in(temporary, name, &std::fs::read(fixture_dir().join(name)).expect("the fixture exists"))
    }

    fn output(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("out.rs")).expect("out.rs is readable")
    }

    /// The run failed, left the previous output byte for byte, and left no temporary file behind.
    fn assert_failed_writing_nothing(&self) {
        assert!(!self.success, "apigen succeeded:\n{}", self.stderr);
        assert_eq!(self.output(), PREVIOUS_OUTPUT, "the previous output changed");
        let mut files: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("the directory is readable")
            .map(|entry| entry.expect("an entry"))
            // Directories are the fixture's other files.
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files.len(), 2, "files left behind: {files:?}");
    }

    /// Asserts one problem: its line names the file and the place, then the cause.
    fn assert_single_error(&self, file_and_place: &str, cause: &str) {
        self.assert_failed_writing_nothing();
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "expected one message, got:\n{}", self.stderr);
        let prefix = format!("error: {file_and_place}: ");
        assert!(lines[0].starts_with(&prefix), "expected `{prefix}...`, got:\n{}", self.stderr);
        assert!(lines[0].contains(cause), "expected the cause `{cause}`, got:\n{}", self.stderr);
    }
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_specs")
}

/// Runs a fixture, checks its single message, and compares stderr with its snapshot.
fn assert_fixture_fails(name: &str, file_and_place: &str, cause: &str) {
    let run = Run::on_fixture(name);
    run.assert_single_error(file_and_place, cause);
    expectorate::assert_contents(fixture_dir().join(format!("{name}.stderr")), &run.stderr);
}

#[test]
fn not_yaml() {
    assert_fixture_fails("not_yaml.yaml", "not_yaml.yaml:3:1", "invalid YAML: did not find expected ',' or '}'");
}

#[test]
fn not_json() {
    assert_fixture_fails("not_json.json", "not_json.json:3:25", "invalid JSON: key must be a string");
}

#[test]
fn empty_file() {
    assert_fixture_fails("empty.yaml", "empty.yaml", "the document is empty");
}

#[test]
fn binary_garbage() {
    let garbage: Vec<u8> = (0..=255u8).rev().cycle().take(4096).collect();
    Run::on("garbage.bin", &garbage)
        .assert_single_error("garbage.bin", "not a text document (invalid UTF-8 at byte 0)");
    Run::on("nul.yaml", b"openapi: 3.0.3\n\0\0\0")
        .assert_single_error("nul.yaml", "not a text document (contains NUL bytes)");
}

#[test]
fn a_list_instead_of_a_mapping() {
    assert_fixture_fails(
        "list.yaml",
        "list.yaml#",
        "expected an OpenAPI document (a mapping) at the top level, found a list",
    );
}

#[test]
fn swagger_2() {
    assert_fixture_fails("swagger_2.yaml", "swagger_2.yaml#/swagger", "Swagger 2.0 documents are not supported");
}

#[test]
fn unknown_openapi_version() {
    assert_fixture_fails(
        "unknown_version.yaml",
        "unknown_version.yaml#/openapi",
        "unsupported OpenAPI version \"4.0.0\"",
    );
}

#[test]
fn unresolved_ref() {
    assert_fixture_fails(
        "unresolved_ref.yaml",
        "unresolved_ref.yaml#/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        "unresolved $ref `#/components/schemas/Missing`",
    );
}

#[test]
fn cycle_made_only_of_aliases() {
    assert_fixture_fails(
        "alias_cycle.yaml",
        "alias_cycle.yaml#/components/schemas/A",
        "`$ref` cycle made only of aliases (A -> B -> C -> A)",
    );
}

#[test]
fn missing_external_file() {
    assert_fixture_fails(
        "missing_external_file.yaml",
        "missing_external_file.yaml#/components/schemas/Pet/properties/owner/$ref",
        "cannot read `people.yaml`: No such file or directory",
    );
}

/// A file that a referenced file names, relative to itself, is missing: the message names the referring file.
#[test]
fn missing_file_referenced_by_a_referenced_file() {
    let run = Run::on_fixture_tree("missing_nested_file.yaml", "missing_nested_file");
    run.assert_single_error(
        "missing_nested_file/pet.yaml#/properties/owner/$ref",
        "cannot read `missing_nested_file/../people/person.yaml`",
    );
    expectorate::assert_contents(fixture_dir().join("missing_nested_file.yaml.stderr"), &run.stderr);
}

#[test]
fn network_ref() {
    assert_fixture_fails(
        "network_ref.yaml",
        "network_ref.yaml#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref",
        "$ref `https://example.com/schemas/pet.yaml#/Pet` points at the network; apigen never downloads documents",
    );
}

#[test]
fn pointer_to_nothing() {
    assert_fixture_fails(
        "pointer_to_nothing.yaml",
        "pointer_to_nothing.yaml#/components/schemas/Owner/properties/pet_name/$ref",
        "unresolved $ref `#/components/schemas/Pet/properties/name`: there is nothing at `#/components/schemas/Pet/properties/name` (`#/components/schemas/Pet/properties` has no `name`)",
    );
}

/// Parameters that name each other, through a pointer into an operation, never reach a parameter.
#[test]
fn parameter_ref_cycle() {
    assert_fixture_fails(
        "parameter_ref_cycle.yaml",
        "parameter_ref_cycle.yaml#/paths/~1pets/get/parameters/0",
        "`$ref` cycle among components.parameters",
    );
}

#[test]
fn unknown_type() {
    assert_fixture_fails(
        "unknown_type.yaml",
        "unknown_type.yaml#/components/schemas/Model/properties/name/type",
        "unknown type `strnig`",
    );
}

#[test]
fn duplicate_operation_id() {
    assert_fixture_fails(
        "duplicate_operation_id.yaml",
        "duplicate_operation_id.yaml#/paths/~1v2~1models/get",
        "duplicate operationId `listModels` (first used at #/paths/~1models/get)",
    );
}

/// Each template that would leave the server's URL or break a parameter is refused, at its own place.
#[test]
fn malformed_path_templates() {
    let run = Run::on_fixture("bad_paths.yaml");
    run.assert_failed_writing_nothing();
    let places: Vec<&str> = run.stderr.lines().map(|line| line.split(": ").nth(1).unwrap_or(line)).collect();
    assert_eq!(
        places,
        [
            "bad_paths.yaml#/paths/@127.0.0.1:38472~1steal",
            "bad_paths.yaml#/paths/~1a~1{id",
            "bad_paths.yaml#/paths/~1b~1{}~1c",
            "bad_paths.yaml#/paths/~1..~1admin~1{x}",
        ],
        "{}",
        run.stderr
    );
    expectorate::assert_contents(fixture_dir().join("bad_paths.yaml.stderr"), &run.stderr);
}

const NESTING: usize = 100_000;
const TOO_DEEP: &str = "the document nests more than 128 levels deep";

#[test]
fn deep_yaml_flow_nesting() {
    let spec = format!("openapi: 3.0.3\nx: {}{{}}{}\n", "{items: ".repeat(NESTING), "}".repeat(NESTING));
    // The 129th `{items: ` on line 2, after `x: `.
    Run::on("deep.yaml", spec.as_bytes()).assert_single_error(&format!("deep.yaml:2:{}", 4 + 8 * 128), TOO_DEEP);
    let arrays = format!("openapi: 3.0.3\nx: {}{}\n", "[".repeat(NESTING), "]".repeat(NESTING));
    Run::on("arrays.yaml", arrays.as_bytes()).assert_single_error("arrays.yaml:2:132", TOO_DEEP);
}

#[test]
fn deep_yaml_block_nesting() {
    let spec: String = (0..1000).map(|level| format!("{}items:\n", "  ".repeat(level))).collect();
    let run = Run::on("block.yaml", spec.as_bytes());
    run.assert_failed_writing_nothing();
    assert!(run.stderr.starts_with("error: block.yaml:") && run.stderr.contains(TOO_DEEP), "{}", run.stderr);
}

#[test]
fn deep_json_nesting() {
    let spec = format!("{{\"openapi\": \"3.0.3\", \"x\": {}{}}}", "[".repeat(NESTING), "]".repeat(NESTING));
    // The 128th `[`, the 129th level counting the top mapping.
    Run::on("deep.json", spec.as_bytes()).assert_single_error("deep.json:1:153", TOO_DEEP);
}

/// Within the limit, a deep schema goes through every stage (serde, the IR, syn) without overflowing.
#[test]
fn deep_schema_within_the_limit_generates() {
    let levels = 120;
    let schema =
        format!("{}{{\"type\": \"string\"}}{}", "{\"type\": \"array\", \"items\": ".repeat(levels), "}".repeat(levels));
    let spec = format!("{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}");
    let run = Run::on("deep_ok.json", spec.as_bytes());
    assert!(run.success, "{}", run.stderr);
    let code: String = run.output().split_whitespace().collect();
    assert!(code.contains(&format!("pubtypeDeep={}String", "Vec<".repeat(levels))), "{}", run.output());
}

#[test]
fn long_all_of_chain_through_refs() {
    let length = 2000;
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
    for index in 0..length {
        spec.push_str(&format!("    A{index}: {{allOf: [{{$ref: '#/components/schemas/A{}'}}, {{type: object, properties: {{x: {{type: string}}}}}}]}}\n", index + 1));
    }
    spec.push_str(&format!("    A{length}: {{type: object, properties: {{x: {{type: string}}}}}}\n"));
    let run = Run::on("chain.yaml", spec.as_bytes());
    run.assert_failed_writing_nothing();
    assert!(run.stderr.contains("`allOf` merges schemas more than 64 levels deep through `$ref`s"), "{}", run.stderr);
}

#[test]
fn several_problems_of_the_document_are_reported_together() {
    let run = Run::on_fixture("several_document_problems.yaml");
    run.assert_failed_writing_nothing();
    assert_eq!(run.stderr.lines().count(), 4, "{}", run.stderr);
    expectorate::assert_contents(fixture_dir().join("several_document_problems.yaml.stderr"), &run.stderr);
}

#[test]
fn several_problems_of_the_model_are_reported_together() {
    let run = Run::on_fixture("several_model_problems.yaml");
    run.assert_failed_writing_nothing();
    assert_eq!(run.stderr.lines().count(), 4, "{}", run.stderr);
    expectorate::assert_contents(fixture_dir().join("several_model_problems.yaml.stderr"), &run.stderr);
}

#[test]
fn reported_problems_stop_at_the_limit() {
    let mut spec = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n");
    for index in 0..60 {
        spec.push_str(&format!("    S{index}: {{type: strnig}}\n"));
    }
    let run = Run::on("many.yaml", spec.as_bytes());
    run.assert_failed_writing_nothing();
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), apigen::error::MAX_REPORTED + 1, "{}", run.stderr);
    assert_eq!(lines[0], "error: many.yaml#/components/schemas/S0/type: unknown type `strnig`; expected one of string, number, integer, boolean, array, object, null");
    assert_eq!(lines[apigen::error::MAX_REPORTED], "error: many.yaml: ... and 10 more problems");
}

#[test]
fn undeclared_path_parameter_is_a_warning_and_a_string() {
    let run = Run::on_fixture("undeclared_path_parameter.yaml");
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: undeclared_path_parameter.yaml#/paths/~1v0~1models~1{vendor}~1{full_name}/get: \
         path template parameter `{vendor}` in `/v0/models/{vendor}/{full_name}` is not declared; it is generated as a required string\n"
    );
    assert!(run.output().starts_with("// @generated by apigen"), "{}", run.output());
    // The client method takes it, and fills it into the path.
    let output = run.output();
    let fills_path = output.find(".path(\"vendor\", &vendor)").expect("the method fills in `vendor`");
    let method = &output[output[..fills_path].rfind("pub fn ").unwrap_or(0)..fills_path];
    let (vendor, full_name) = (method.find("vendor: &str"), method.find("full_name: &str"));
    assert!(vendor.is_some() && vendor < full_name, "`vendor` is a string argument before `full_name`: {method}");

    // The operation gets the parameter, as a required string in path order.
    let spec = std::fs::read(fixture_dir().join("undeclared_path_parameter.yaml")).expect("the fixture exists");
    let document = apigen::load::load("undeclared_path_parameter.yaml", &spec).expect("the spec loads");
    let model = apigen::ir::build(&document, &Default::default()).expect("the model builds");
    let parameters: Vec<(&str, &apigen::ir::TypeRef, bool)> =
        model.operations[0].parameters.iter().map(|p| (p.wire_name.as_str(), &p.ty, p.required)).collect();
    assert_eq!(
        parameters,
        [("vendor", &apigen::ir::TypeRef::String, true), ("full_name", &apigen::ir::TypeRef::String, true)]
    );
}

/// A run that fails after reading (here: writing into a path that is a directory) leaves no temporary file.
#[test]
fn failed_write_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let spec = fixture_dir().join("undeclared_path_parameter.yaml");
    std::fs::create_dir(dir.path().join("out.rs")).expect("a directory in the way");
    let output = Command::new(env!("CARGO_BIN_EXE_apigen"))
        .current_dir(dir.path())
        .arg("generate")
        .arg(&spec)
        .args(["-o", "out.rs"])
        .output()
        .expect("apigen runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.lines().any(|line| line.starts_with("error: out.rs: ")), "{stderr}");
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .expect("readable")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["out.rs"], "a temporary file was left behind");
}

/// A security requirement naming an undeclared scheme can never be met: it
/// is left out with a warning at its place, once for the document's.
#[test]
fn unknown_security_scheme_is_a_warning() {
    let run = Run::on_fixture("unknown_security_scheme.yaml");
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: unknown_security_scheme.yaml#/components/securitySchemes/digest/scheme: \
         HTTP authentication scheme `digest` is not implemented; its credential is sent as the whole `Authorization` header value\n\
         warning: unknown_security_scheme.yaml#/security/0/missing: \
         security scheme `missing` is not declared in components.securitySchemes; this security alternative is left out\n\
         warning: unknown_security_scheme.yaml#/paths/~1things/get/security/0/typo: \
         security scheme `typo` is not declared in components.securitySchemes; this security alternative is left out\n"
    );
    let output = run.output();
    assert!(
        output.contains(".security(&[&[(&security_schemes::KEY, &[])]])"),
        "the other alternative stays:\n{output}"
    );
    assert!(output.contains("pub fn with_digest(self, key: impl Into<String>)"), "{output}");
}

/// A multipart part header the spec fixes is sent; one it does not fix (or
/// fixes to what no header can carry) is a warning, where it is, naming how a
/// caller sends it; `Content-Type` is left to `contentType`.
#[test]
fn unfixed_multipart_part_headers_are_a_warning() {
    let run = Run::on_fixture("multipart_part_headers.yaml");
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: multipart_part_headers.yaml#/paths/~1files/post/requestBody/content/multipart~1form-data/encoding/file/headers/X-Rate-Limit-Limit: \
         the spec fixes no value for the part header `X-Rate-Limit-Limit`; a caller can send one with `.part_header(\"file\", \"X-Rate-Limit-Limit\", value)`\n\
         warning: multipart_part_headers.yaml#/paths/~1files/post/requestBody/content/multipart~1form-data/encoding/file/headers/X-Caption: \
         the part header `X-Caption` is not a valid header name and value, so it is not sent\n"
    );
    let output = run.output();
    assert!(
        output.contains(".part_content_type(\"file\", \"image/png\")"),
        "the part's content type is still sent:\n{output}"
    );
    assert!(output.contains(".part_header(\"file\", \"X-Version\", \"2\")"), "the fixed header is sent:\n{output}");
    assert_eq!(output.matches(".part_header(\"file\"").count(), 1, "only the fixed header is sent:\n{output}");
}

/// What of OpenAPI 3.2 cannot be honoured is reported where it is.
#[test]
fn openapi_3_2_problems_are_located() {
    let run = Run::on_fixture("openapi32_problems.yaml");
    run.assert_failed_writing_nothing();
    assert_eq!(run.stderr.lines().count(), 4, "{}", run.stderr);
    expectorate::assert_contents(fixture_dir().join("openapi32_problems.yaml.stderr"), &run.stderr);
}

/// A 3.1 `mutualTLS` scheme is the HTTP client's certificate: a warning says
/// so, and its requirement asks nothing of the request.
#[test]
fn mutual_tls_is_a_warning_and_asks_nothing_of_requests() {
    let run = Run::on_fixture("mutual_tls.yaml");
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: mutual_tls.yaml#/components/securitySchemes/mtls: `mtls` is mutual TLS: give the client certificate \
         to the reqwest client passed to `Client::with_http_client`; requests send nothing for it\n"
    );
    assert!(run.output().contains(".security(&[&[(&security_schemes::KEY, &[])]])"), "{}", run.output());
}

/// What of OpenAPI 3.2 is read without being honoured is a warning at its place.
#[test]
fn openapi_3_2_features_not_honoured_are_warnings() {
    let run = Run::on_fixture("openapi32_warnings.yaml");
    assert!(run.success, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 4, "{}", run.stderr);
    expectorate::assert_contents(fixture_dir().join("openapi32_warnings.yaml.stderr"), &run.stderr);
}

/// A response header's `$ref` that names no `components.headers` entry is an
/// error where the `$ref` is; a header name no response could carry a warning.
#[test]
fn response_header_problems_are_located() {
    assert_fixture_fails(
        "response_headers.yaml",
        "response_headers.yaml#/paths/~1a/get/responses/200/headers/X-Gone/$ref",
        "unresolved $ref `#/components/headers/Missing`",
    );
    let spec = std::fs::read_to_string(fixture_dir().join("response_headers.yaml")).unwrap();
    let run = Run::on(
        "bad_name.yaml",
        spec.replace("X-Gone: {$ref: '#/components/headers/Missing'}", "\"Bad Name\": {schema: {type: string}}")
            .as_bytes(),
    );
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: bad_name.yaml#/paths/~1a/get/responses/200/headers/Bad Name: `Bad Name` is not a valid header name, so the header is left out\n"
    );
}
