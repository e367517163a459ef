//! Decoding the same OpenAI documents into apigen's generated types, into
//! async-openai's and into `serde_json::Value` (README, Decoding speed):
//!
//! ```text
//! cd benches/decode && cargo bench --bench decode
//! ```
//!
//! Every document is decoded once into each before measuring, so a document
//! one of them cannot read fails the run instead of timing an error; apigen's
//! types must also keep the undeclared fields.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[cfg(openai_spec)]
mod documents {
    use serde_json::{json, Value};

    /// A chat completion with `choices` choices of a 60-word answer each.
    pub fn chat_completion(choices: usize) -> String {
        let choices: Vec<Value> = (0..choices)
            .map(|index| {
                json!({
                    "index": index,
                    "message": {"role": "assistant", "content": answer(index), "refusal": null, "annotations": []},
                    "logprobs": null,
                    "finish_reason": "stop",
                })
            })
            .collect();
        json!({
            "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
            "object": "chat.completion",
            "created": 1741570283,
            "model": "gpt-4o-2024-08-06",
            "choices": choices,
            "usage": {
                "prompt_tokens": 1117, "completion_tokens": 46, "total_tokens": 1163,
                "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                    "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
            },
            "service_tier": "default",
            "system_fingerprint": "fp_fc9f1d7035",
        })
        .to_string()
    }

    fn answer(index: usize) -> String {
        format!("Answer {index}: ") + &"the quick brown fox jumps over the lazy dog ".repeat(6)
    }

    /// A list of `count` files; `undeclared` adds two properties the schema does not declare to each.
    pub fn files(count: usize, undeclared: bool) -> String {
        let data: Vec<Value> = (0..count)
            .map(|index| {
                let mut file = json!({
                    "id": format!("file-{index:024}"),
                    "object": "file",
                    "bytes": 120000 + index,
                    "created_at": 1677610602 + index,
                    "expires_at": null,
                    "filename": format!("training_data_{index}.jsonl"),
                    "purpose": if index % 2 == 0 { "fine-tune" } else { "assistants" },
                    "status": "processed",
                });
                if undeclared {
                    file["region"] = json!("eu-west-1");
                    file["labels"] = json!({"team": "search", "tier": index % 3});
                }
                file
            })
            .collect();
        json!({
            "object": "list",
            "data": data,
            "first_id": format!("file-{:024}", 0),
            "last_id": format!("file-{:024}", count.saturating_sub(1)),
            "has_more": false,
        })
        .to_string()
    }

    /// `count` streamed chat completion chunks of a token each (the last one finishes).
    pub fn chunks(count: usize) -> Vec<String> {
        (0..count)
            .map(|index| {
                let last = index + 1 == count;
                json!({
                    "id": "chatcmpl-123",
                    "object": "chat.completion.chunk",
                    "created": 1694268190,
                    "model": "gpt-4o-mini",
                    "system_fingerprint": "fp_44709d6fcb",
                    "service_tier": "default",
                    "choices": [{
                        "index": 0,
                        "delta": if index == 0 { json!({"role": "assistant", "content": ""}) } else { json!({"content": " token"}) },
                        "logprobs": null,
                        "finish_reason": if last { json!("stop") } else { Value::Null },
                    }],
                })
                .to_string()
            })
            .collect()
    }

    /// A Responses API response with `items` output items: messages, function calls and reasoning in turn.
    pub fn response(items: usize) -> String {
        let output: Vec<Value> = (0..items)
            .map(|index| match index % 3 {
                0 => json!({
                    "type": "message",
                    "id": format!("msg_{index:040}"),
                    "status": "completed",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": answer(index), "annotations": [], "logprobs": []}],
                }),
                1 => json!({
                    "type": "function_call",
                    "id": format!("fc_{index:040}"),
                    "call_id": format!("call_{index:024}"),
                    "name": "get_weather",
                    "arguments": "{\"location\":\"Paris, France\",\"unit\":\"celsius\"}",
                    "status": "completed",
                }),
                _ => json!({
                    "type": "reasoning",
                    "id": format!("rs_{index:040}"),
                    "summary": [{"type": "summary_text", "text": answer(index)}],
                }),
            })
            .collect();
        json!({
            "id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
            "object": "response",
            "created_at": 1741476542,
            "status": "completed",
            "error": null,
            "incomplete_details": null,
            "instructions": null,
            "max_output_tokens": null,
            "model": "gpt-4.1-2025-04-14",
            "output": output,
            "parallel_tool_calls": true,
            "previous_response_id": null,
            "reasoning": {"effort": null, "summary": null},
            "store": true,
            "temperature": 1.0,
            "text": {"format": {"type": "text"}},
            "tool_choice": "auto",
            "tools": [],
            "top_p": 1.0,
            "truncation": "disabled",
            "usage": {
                "input_tokens": 36, "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                "output_tokens": 87, "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": 123
            },
            "user": null,
            "metadata": {},
        })
        .to_string()
    }
}

/// Decodes `text` once into `T`, failing the run with the reason when it does not.
#[cfg(openai_spec)]
fn check<T: serde::de::DeserializeOwned>(label: &str, text: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|error| {
        panic!("the {label} document does not decode into {}: {error}", std::any::type_name::<T>())
    })
}

/// Benchmarks decoding one document into apigen's type `A`, async-openai's `O` and `Value`.
#[cfg(openai_spec)]
fn document<A: serde::de::DeserializeOwned, O: serde::de::DeserializeOwned>(
    c: &mut Criterion,
    label: &str,
    text: &str,
) {
    check::<A>(label, text);
    check::<O>(label, text);
    let mut group = c.benchmark_group(label);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_with_input(BenchmarkId::new("apigen", label), text, |b, text| {
        b.iter(|| serde_json::from_str::<A>(text).unwrap())
    });
    group.bench_with_input(BenchmarkId::new("async-openai", label), text, |b, text| {
        b.iter(|| serde_json::from_str::<O>(text).unwrap())
    });
    group.bench_with_input(BenchmarkId::new("value", label), text, |b, text| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(text).unwrap())
    });
    group.finish();
}

/// Benchmarks decoding many small documents one by one.
#[cfg(openai_spec)]
fn stream<A: serde::de::DeserializeOwned, O: serde::de::DeserializeOwned>(
    c: &mut Criterion,
    label: &str,
    texts: &[String],
) {
    let each = |b: &mut criterion::Bencher, read: &dyn Fn(&str)| b.iter(|| texts.iter().for_each(|text| read(text)));
    for text in texts {
        check::<A>(label, text);
        check::<O>(label, text);
    }
    let mut group = c.benchmark_group(label);
    group.throughput(Throughput::Bytes(texts.iter().map(|text| text.len() as u64).sum()));
    group.bench_function(BenchmarkId::new("apigen", label), |b| {
        each(b, &|text| drop(serde_json::from_str::<A>(text).unwrap()))
    });
    group.bench_function(BenchmarkId::new("async-openai", label), |b| {
        each(b, &|text| drop(serde_json::from_str::<O>(text).unwrap()))
    });
    group.bench_function(BenchmarkId::new("value", label), |b| {
        each(b, &|text| drop(serde_json::from_str::<serde_json::Value>(text).unwrap()))
    });
    group.finish();
}

#[cfg(openai_spec)]
fn decode(c: &mut Criterion) {
    use apigen_decode_bench::openai::types as apigen;
    use async_openai::types::{chat, files, responses};

    document::<apigen::CreateChatCompletionResponse, chat::CreateChatCompletionResponse>(
        c,
        "chat_completion_200_choices",
        &documents::chat_completion(200),
    );
    document::<apigen::ListFilesResponse, files::ListFilesResponse>(c, "files_10000", &documents::files(10_000, false));
    let undeclared = documents::files(10_000, true);
    let kept = check::<apigen::ListFilesResponse>("files_10000_undeclared", &undeclared);
    assert!(kept.data.iter().all(|file| file.additional_properties.len() == 2), "apigen dropped undeclared fields");
    document::<apigen::ListFilesResponse, files::ListFilesResponse>(c, "files_10000_undeclared", &undeclared);
    stream::<apigen::CreateChatCompletionStreamResponse, chat::CreateChatCompletionStreamResponse>(
        c,
        "chat_chunks_10000",
        &documents::chunks(10_000),
    );
    document::<apigen::Response, responses::Response>(c, "response_3000_items", &documents::response(3_000));
}

#[cfg(not(openai_spec))]
fn decode(_: &mut Criterion) {
    println!("skipped: the OpenAI spec is not in ../shared beside the repository");
}

criterion_group!(benches, decode);
criterion_main!(benches);
