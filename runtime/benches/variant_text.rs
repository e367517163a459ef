//! How fast a tagged union reads its variant from the captured text
//! (`de::Captured::read`, serde_json's `&str` reader) against serde_json's
//! byte reader, the one bodies are read with: reading variants with the
//! byte reader too would compile each variant's reader once instead of
//! twice, but checks the strings of an already checked text for UTF-8 again.
//! Rounds alternate the two; the median ratio of their times is printed.
//!
//! `cargo bench -p apigen-runtime --bench variant_text`

use std::borrow::Cow;
use std::time::Instant;

use apigen_runtime::de::Captured;

/// An output message of OpenAI's Responses, as its generated struct reads it.
#[derive(serde::Deserialize)]
#[allow(dead_code)] // Read, not looked at.
struct Message {
    id: String,
    role: String,
    status: String,
    content: Vec<Part>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)] // Read, not looked at.
struct Part {
    r#type: String,
    text: String,
    annotations: Vec<serde_json::Value>,
}

const TEXT: &str = r#"{"type": "message", "id": "msg_67ccd3acc8d48190a77525dc6de64b4104becf6a8e3f2ac8", "role": "assistant",
    "status": "completed", "content": [{"type": "output_text", "annotations": [],
    "text": "Under a silver moon, a gentle unicorn named Lumina dreamed of rainbow bridges and whispered lullabies."}]}"#;

fn main() {
    let (rounds, reads) = (9, 200_000);
    let captured = Captured::Text(Cow::Borrowed(TEXT));
    let mut ratios = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        for _ in 0..reads {
            let read: Message = std::hint::black_box(&captured).read::<_, serde_json::Error>().unwrap();
            std::hint::black_box(read);
        }
        let from_text = started.elapsed().as_secs_f64();
        let started = Instant::now();
        for _ in 0..reads {
            let read: Message = serde_json::from_slice(std::hint::black_box(TEXT).as_bytes()).unwrap();
            std::hint::black_box(read);
        }
        let from_bytes = started.elapsed().as_secs_f64();
        ratios.push(from_bytes / from_text);
        println!(
            "Captured::read {:.0} ns, byte reader {:.0} ns",
            from_text * 1e9 / reads as f64,
            from_bytes * 1e9 / reads as f64
        );
    }
    ratios.sort_by(f64::total_cmp);
    let (low, median, high) = (ratios[0], ratios[rounds / 2], ratios[rounds - 1]);
    println!("byte reader time / Captured::read time, median of {rounds} rounds: {median:.2} ({low:.2}-{high:.2})");
}
