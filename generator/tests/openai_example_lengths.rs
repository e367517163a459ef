//! Issue 15's six programs (`openai_examples/`, built and run against Prism by
//! `openai_full_prism.rs`) are no longer than the same programs written
//! against async-openai 0.43, a hand-written SDK.
//!
//! Length is counted as the issue counted it: lines of code after rustfmt's
//! default style, leaving out blank lines and comment lines (the programs'
//! `//!` headers say what they are for; async-openai's programs had none).
//! The programs are kept in that style, so the file is what is counted.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// (program, its non-blank lines against async-openai 0.43, from issue 15).
const ASYNC_OPENAI_LINES: [(&str, usize); 6] = [
    ("chat_completion", 22),
    ("chat_completion_stream", 31),
    ("chat_tool_call", 42),
    ("embeddings", 18),
    ("list_files", 22),
    ("upload_file", 17),
];

/// `source` in rustfmt's default style: the repository's rustfmt.toml
/// (max_width 120) is not read, as async-openai's programs were counted without it.
fn rustfmt_default(source: &str) -> String {
    let defaults = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rustfmt-defaults");
    std::fs::create_dir_all(&defaults).unwrap();
    std::fs::write(defaults.join("rustfmt.toml"), "").unwrap();
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--config-path"])
        .arg(&defaults)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rustfmt runs (rustup component add rustfmt)");
    child.stdin.take().unwrap().write_all(source.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "rustfmt failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Lines that are neither blank nor only a comment.
fn code_lines(source: &str) -> usize {
    source.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with("//")).count()
}

#[test]
fn each_program_is_no_longer_than_with_async_openai() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openai_examples");
    let mut table = String::from("| program | apigen | async-openai |\n| --- | --- | --- |\n");
    let mut longer = Vec::new();
    for (name, theirs) in ASYNC_OPENAI_LINES {
        let source = std::fs::read_to_string(examples.join(format!("{name}.rs"))).unwrap();
        let formatted = rustfmt_default(&source);
        assert!(formatted == source, "{name}.rs is not in rustfmt's default style; it reads:\n{formatted}");
        let ours = code_lines(&formatted);
        table.push_str(&format!("| {name} | {ours} | {theirs} |\n"));
        if ours > theirs {
            longer.push(name);
        }
    }
    eprintln!("{table}");
    assert!(longer.is_empty(), "longer than with async-openai: {longer:?}\n{table}");
}

#[test]
fn comment_and_blank_lines_do_not_count() {
    assert_eq!(code_lines("//! A header.\n\nfn main() {\n    // Why.\n    let a = 1; // trailing\n}\n"), 3);
}
