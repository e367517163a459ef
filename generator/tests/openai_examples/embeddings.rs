//! Issue 15's fourth program: embeddings for three strings.

use openai_full::types::CreateEmbeddingRequest;
use openai_full::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let input = ["Good food.", "Kind staff.", "Fast service."];
    let request = CreateEmbeddingRequest::new(input, "text-embedding-3-small");
    let response = client.create_embedding(&request).await?;
    for embedding in response.data {
        let dimensions = embedding.embedding.len();
        println!("{}: {dimensions} dimensions", embedding.index);
    }
    Ok(())
}
