//! Issue 15's third program: a chat completion offering one function tool,
//! reading the tool calls of the answer.

use openai_full::types::{
    ChatCompletionMessageToolCallsItem, ChatCompletionRequestUserMessage, ChatCompletionTool,
    CreateChatCompletionRequest, FunctionObject,
};
use openai_full::Client;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let weather = FunctionObject::new("get_current_weather")
        .description("Get the current weather in a given location")
        .parameters(json!({
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "The city and state, e.g. San Francisco, CA"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        }));
    let request = CreateChatCompletionRequest::new(
        [
            ChatCompletionRequestUserMessage::from("What's the weather like in Boston today?")
                .into(),
        ],
        "gpt-4o",
    )
    .tools([ChatCompletionTool::new(weather).into()]);
    let response = client.create_chat_completion(&request).await?;
    for choice in response.choices {
        for call in choice.message.tool_calls.unwrap_or_default() {
            if let ChatCompletionMessageToolCallsItem::Call(call) = call {
                println!("{}({})", call.function.name, call.function.arguments);
            }
        }
    }
    Ok(())
}
