//! Issue 15's sixth program: uploading a file (the Files API, multipart).

use openai_full::forms::CreateFileRequest;
use openai_full::types::CreateFileRequestPurpose;
use openai_full::{Client, FilePart};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let path = std::env::args().nth(1).ok_or("usage: upload_file PATH")?;
    let request = CreateFileRequest {
        file: FilePart::path(path),
        purpose: CreateFileRequestPurpose::FineTune,
        expires_after: None,
    };
    let file = client.create_file(request).await?;
    println!("uploaded {} as {}", file.filename, file.id);
    Ok(())
}
