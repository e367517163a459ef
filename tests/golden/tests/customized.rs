//! The customisation hooks at work in code that uses them: derived traits,
//! attributes, the user's own type, chrono and uuid types, renamed items.

use std::collections::{BTreeMap, HashSet};

use golden::custom::Metadata;
use golden::customized::types::{Kind, Pet, UploadPart};

#[test]
fn formats_read_as_chrono_and_uuid_and_the_replacement_as_the_users_type() {
    let pet: Pet = serde_json::from_str(
        r#"{"id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "title": "Rex", "born": "2020-02-29T12:00:00Z",
            "birthday": "2020-02-29", "kind": "dog", "metadata": {"colour": "brown"}, "previous_metadata": null}"#,
    )
    .unwrap();
    assert_eq!(pet.id, uuid::Uuid::parse_str("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap());
    // The field attribute's `alias` read `title` as `name`.
    assert_eq!(pet.name, "Rex");
    assert_eq!(pet.born, "2020-02-29T12:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap());
    assert_eq!(pet.birthday, Some(chrono::NaiveDate::from_ymd_opt(2020, 2, 29).unwrap()));
    assert_eq!(pet.metadata, Some(Metadata(BTreeMap::from([("colour".to_string(), "brown".to_string())]))));
    assert_eq!(pet.previous_metadata, None);
    let written = serde_json::to_value(&pet).unwrap();
    assert_eq!(written["born"], "2020-02-29T12:00:00Z");
    assert_eq!(written["birthday"], "2020-02-29");
    assert!(pet == serde_json::from_value(written).unwrap());
    assert_eq!(pet.kind, Some(Kind::Dog));
}

#[test]
fn derived_traits_are_usable() {
    // `Hash` and `Eq` come from the options: the renamed `UploadPart` goes into a set.
    let parts: HashSet<UploadPart> = [
        UploadPart { data: "a".into(), position: 1 },
        UploadPart { data: "a".into(), position: 1 },
        UploadPart { data: "b".into(), position: 2 },
    ]
    .into_iter()
    .collect();
    assert_eq!(parts.len(), 2);
    fn is_eq<T: Eq>() {}
    is_eq::<Pet>();
}

#[test]
fn the_renamed_operation_is_the_clients_method() {
    let client = golden::customized::Client::new("http://127.0.0.1:9");
    // Only its existence and signature are checked: `fetch_pet` takes a `Uuid`.
    let _call = client.fetch_pet(&uuid::Uuid::nil());
}
