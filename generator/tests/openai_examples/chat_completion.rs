//! Issue 15's first program: a chat completion with a system and a user
//! message and a temperature. `openai_full_prism.rs` builds it against the
//! whole OpenAI crate and runs it against Prism.

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
            ChatCompletionRequestUserMessage::from("Who won the world series in 2020?").into(),
        ],
        "gpt-4o",
    )
    .temperature(0.2);
    let response = client.create_chat_completion(&request).await?;
    for choice in response.choices {
        println!("{}: {:?}", choice.index, choice.message.content);
    }
    Ok(())
}
