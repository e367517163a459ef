//! Issue 15's fifth program: every file, page after page.

use futures_util::TryStreamExt;
use openai_full::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let mut files = client.list_files().items();
    while let Some(file) = files.try_next().await? {
        println!("{} {} ({} bytes)", file.id, file.filename, file.bytes);
    }
    Ok(())
}
