//! Issue 15's first program: a chat completion request with a system and a
//! user message and a temperature, built with the generated constructors.
//! `openai_full.rs` builds it against the whole OpenAI crate and runs it.

use openai_full::types::{
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage, CreateChatCompletionRequest,
};

fn main() -> Result<(), serde_json::Error> {
    let request = CreateChatCompletionRequest::new(
        [
            ChatCompletionRequestSystemMessage::from("You are a helpful assistant.").into(),
            ChatCompletionRequestUserMessage::from("Who won the world series in 2020?").into(),
        ],
        "gpt-4o",
    )
    .temperature(0.2);
    println!("{}", serde_json::to_string(&request)?);
    Ok(())
}
