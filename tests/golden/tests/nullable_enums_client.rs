//! Whole response bodies that are nullable enums (tests/fixtures/nullable_enums.yaml)
//! read `null` as `None`, named or inline, and their values as variants.

use axum::routing::get;
use axum::{Json, Router};
use golden::nullable_enums::{types, Client};
use serde_json::{json, Value};

async fn serve(switch: Value, mode: Value) -> Client {
    let app = Router::new()
        .route("/switch", get(move || async move { Json(switch) }))
        .route("/mode", get(move || async move { Json(mode) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Client::new(format!("http://{address}"))
}

#[tokio::test]
async fn null_bodies_read_as_none() {
    let client = serve(Value::Null, Value::Null).await;
    assert_eq!(client.get_switch().await.unwrap(), None);
    assert_eq!(client.get_mode().await.unwrap(), None);
}

#[tokio::test]
async fn values_read_as_variants() {
    let client = serve(json!("off"), json!("slow")).await;
    assert_eq!(client.get_switch().await.unwrap(), Some(types::Switch::Off));
    assert_eq!(client.get_mode().await.unwrap(), Some(types::GetModeResponse::Slow));
}
