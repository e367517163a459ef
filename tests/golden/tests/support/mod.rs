use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// Deserializes each example into `T`, serializes it back, and compares.
///
/// Equivalence is JSON equality with one documented exception: an optional
/// field given as explicit `null` reads as absent (`Option<T>` is `None`
/// either way) and is not written back, so `{"a": null}` may come back as
/// `{}`. Required fields are never skipped, so a required `null` must survive.
pub fn round_trip<T: DeserializeOwned + Serialize>(examples: &str) {
    let examples: Vec<Value> = serde_json::from_str(examples).unwrap();
    for example in examples {
        let typed: T = serde_json::from_value(example.clone()).unwrap_or_else(|e| {
            panic!("example does not deserialize into {}: {e}\nexample: {example}", std::any::type_name::<T>())
        });
        let back = serde_json::to_value(&typed).unwrap();
        assert!(equivalent(&example, &back), "round trip changed the value\n before: {example}\n after:  {back}");
    }
}

pub fn equivalent(before: &Value, after: &Value) -> bool {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            b.iter().all(|(key, value)| match a.get(key) {
                Some(other) => equivalent(value, other),
                None => value.is_null(),
            }) && a.keys().all(|key| b.contains_key(key))
        }
        (Value::Array(b), Value::Array(a)) => b.len() == a.len() && b.iter().zip(a).all(|(x, y)| equivalent(x, y)),
        (Value::Number(b), Value::Number(a)) => b == a || b.as_f64() == a.as_f64(),
        _ => before == after,
    }
}
