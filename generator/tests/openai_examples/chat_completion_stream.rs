//! Issue 15's second program: the chat completion of `chat_completion.rs`,
//! streamed, printing each delta as it comes.

use futures_util::StreamExt;
use openai_full::types::{
    ChatCompletionRequestSystemMessage, ChatCompletionRequestUserMessage,
    CreateChatCompletionRequest,
};
use openai_full::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let request = CreateChatCompletionRequest::new(
        [
            ChatCompletionRequestSystemMessage::from("You are a helpful assistant.").into(),
            ChatCompletionRequestUserMessage::from("Write a haiku about Rust.").into(),
        ],
        "gpt-4o",
    )
    .temperature(0.2);
    let mut stream = client.create_chat_completion_stream(&request).await?;
    while let Some(chunk) = stream.next().await {
        for choice in chunk?.choices {
            if let Some(content) = choice.delta.content {
                print!("{content}");
            }
        }
    }
    println!();
    Ok(())
}
