//! Each schema example deserializes into its generated type and serializes back to an equivalent value.
//! Written by tests/golden.rs from the specs' examples; do not edit by hand.

mod support;
use support::round_trip;

#[test]
#[rustfmt::skip]
fn composition_named() {
    round_trip::<golden::composition::types::Named>(r#"[{"name":"n"}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_timestamped() {
    round_trip::<golden::composition::types::Timestamped>(r#"[{"created_at":1700000000}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_merged() {
    round_trip::<golden::composition::types::Merged>(r#"[{"name":"merged","created_at":1700000000,"id":"m_1"},{"name":"merged","created_at":1700000000,"updated_at":1700000500,"id":"m_2","labels":["x","y"]}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_named_alias() {
    round_trip::<golden::composition::types::NamedAlias>(r#"[{"name":"alias"}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_named_alias_alias() {
    round_trip::<golden::composition::types::NamedAliasAlias>(r#"[{"name":"alias2"}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_required_with_defaults() {
    round_trip::<golden::composition::types::RequiredWithDefaults>(r#"[{"object":"list","limit":5,"strict":false,"ratio":1.5,"order":"asc","note":"n"}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_ref_with_nullable_part() {
    round_trip::<golden::composition::types::RefWithNullablePart>(r#"[{"choice":null},{"choice":{"name":"a"},"described":{"name":"b"}}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_open_object() {
    round_trip::<golden::composition::types::OpenObject>(r#"[{"id":"a"},{"id":"b","extra":1,"nested":{"deep":[1,"two",null,true]}}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_closed_object() {
    round_trip::<golden::composition::types::ClosedObject>(r#"[{"id":"closed"}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_string_map() {
    round_trip::<golden::composition::types::StringMap>(r#"[{},{"k1":"v1","k2":"v2"}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_any_map() {
    round_trip::<golden::composition::types::AnyMap>(r#"[{"a":1,"b":["x"],"c":null}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_ref_map() {
    round_trip::<golden::composition::types::RefMap>(r#"[{"first":{"name":"one"},"second":{"name":"two"}}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_counters() {
    round_trip::<golden::composition::types::Counters>(r#"[{"total":3},{"total":3,"label":"counts","apples":1,"pears":2}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_any_value_holder() {
    round_trip::<golden::composition::types::AnyValueHolder>(r#"[{"value":1},{"value":null},{"value":{"nested":[1,2.5,"three",false,null,{}]},"metadata":"text"},{"value":[1,"a"],"metadata":[{"k":"v"}]}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_with_defaults() {
    round_trip::<golden::composition::types::WithDefaults>(r#"[{"mode":"slow","retries":5,"verbose":true,"tags":["a"],"ratio":0.75},{},{"retries":0}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_numbers() {
    round_trip::<golden::composition::types::Numbers>(r#"[{"i32":-2147483648,"i64":9007199254740993,"plain_int":-5,"unsigned":4000000000,"huge":-9223372036854775808,"f32":1.5,"f64":0.1,"plain_number":-2.5},{"i32":2147483647,"i64":-9223372036854775808,"plain_int":0,"unsigned":0,"huge":9223372036854775807,"f32":-0.25,"f64":1e-300,"plain_number":3.75,"small_unsigned":255}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_upload() {
    round_trip::<golden::composition::types::Upload>(r#"[{"filename":"a.txt"}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_pair() {
    round_trip::<golden::composition::types::Pair>(r#"[["a",1]]"#);
}

#[test]
#[rustfmt::skip]
fn composition_strict_pair() {
    round_trip::<golden::composition::types::StrictPair>(r#"[["b",{"name":"n"}]]"#);
}

#[test]
#[rustfmt::skip]
fn composition_tuple_holder() {
    round_trip::<golden::composition::types::TupleHolder>(r#"[{"pair":["x",2],"pairs":[["y",3],["z",-4]]}]"#);
}

#[test]
#[rustfmt::skip]
fn composition_documented() {
    round_trip::<golden::composition::types::Documented>(r#"[{"field":"docs"}]"#);
}

#[test]
#[rustfmt::skip]
fn content_vocabulary_attachment() {
    round_trip::<golden::content_vocabulary::types::Attachment>(r#"[{"data":"iVBORw0KGgo=","legacy":"AP8=","preview":null,"chunks":["aGVsbG8=",""],"url_safe":"_-8"},{"data":""}]"#);
}

#[test]
#[rustfmt::skip]
fn content_vocabulary_stored() {
    round_trip::<golden::content_vocabulary::types::Stored>(r#"[{"name":"a.bin","size":3}]"#);
}

#[test]
#[rustfmt::skip]
fn decode_record() {
    round_trip::<golden::decode::types::Record>(r#"[{"id":"r_1","note":null,"object":"record","limit":5,"status":"active","created-at":1700000000,"type":"plain","child":{"name":"c","depth":2},"flavour":"new"}]"#);
}

#[test]
#[rustfmt::skip]
fn discriminator_fallback_note() {
    round_trip::<golden::discriminator_fallback::types::Note>(r#"[{"text":"no tag at all"},{"type":"note","text":"tagged"}]"#);
}

#[test]
#[rustfmt::skip]
fn discriminator_fallback_entry() {
    round_trip::<golden::discriminator_fallback::types::Entry>(r#"[{"text":"plain"},{"type":"reference","id":"r1"},{"type":"note","user":"ada"}]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_image_size() {
    round_trip::<golden::enums_and_names::types::ImageSize>(r#"["1024x1024","a b","","A","a","foo-bar","+","Other"]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_priority() {
    round_trip::<golden::enums_and_names::types::Priority>(r#"[-1,0,10]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_object_kind() {
    round_trip::<golden::enums_and_names::types::ObjectKind>(r#"["chat.completion"]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_snake_name() {
    round_trip::<golden::enums_and_names::types::SnakeName>(r#"[{"a":"lower"}]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_snake_name2() {
    round_trip::<golden::enums_and_names::types::SnakeName2>(r#"[{"b":1}]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_column_schema_input() {
    round_trip::<golden::enums_and_names::types::ColumnSchemaInput>(r#"[{"name":"col","nullable":true}]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_column_schema_output() {
    round_trip::<golden::enums_and_names::types::ColumnSchemaOutput>(r#"[{"name":"col","id":5}]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_option_type() {
    round_trip::<golden::enums_and_names::types::OptionType>(r#"[{"label":"Yes","value":"y"}]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_result_type() {
    round_trip::<golden::enums_and_names::types::ResultType>(r#"[{"ok":true,"chosen":{"label":"No"},"maybe":null}]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_awkward_properties() {
    round_trip::<golden::enums_and_names::types::AwkwardProperties>(r#"[{"type":"t","self":"s"},{"type":"t","self":"s","ref":"r","async":true,"1st":1,"foo-bar":"fb","@context":"https://schema.org","Foo":"upper","foo":2,"crate":"c","super":"sup"}]"#);
}

#[test]
#[rustfmt::skip]
fn enums_and_names_list_response() {
    round_trip::<golden::enums_and_names::types::ListResponse>(r#"[{"object":"list","data":[]},{"object":"list","data":[{"id":"img_1","size":"1024x1024","priority":2,"status":"in_progress","meta":{"created_by":"me"}},{"id":"img_2","size":""}]}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_30_address() {
    round_trip::<golden::nullable_30::types::Address>(r#"[{"street":"1 Main St","city":"Springfield"}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_30_person() {
    round_trip::<golden::nullable_30::types::Person>(r#"[{"id":10,"name":"Ada","nickname":null,"age":36,"score":null,"active":true,"aliases":null,"home":{"street":"1 Main St","city":"Springfield"},"work":null,"billing":{"street":"9 Bank Rd","city":"Capital City"}}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_30_person_all_set() {
    round_trip::<golden::nullable_30::types::PersonAllSet>(r#"[{"id":11,"name":"Grace","nickname":"amazing","age":85,"score":99.5,"active":false,"aliases":["Grace Hopper","Admiral"],"home":{"street":"2 Navy Way","city":"Arlington"},"work":{"street":"3 Harvard Yard","city":"Cambridge"},"previous":{"street":"4 Old Rd","city":"New York"},"note":"compiler pioneer"}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_31_address() {
    round_trip::<golden::nullable_31::types::Address>(r#"[{"street":"1 Main St","city":"Springfield"},{"street":"2 High St","city":"Shelbyville","postcode":"AB1 2CD"}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_31_nullable_string() {
    round_trip::<Option<golden::nullable_31::types::NullableString>>(r#"["hello",null]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_31_nullable_fields() {
    round_trip::<golden::nullable_31::types::NullableFields>(r#"[{"any_of_string":"text","one_of_number":2.5,"type_array_string":"value","type_array_integer":42,"any_of_ref":{"street":"1 Main St","city":"Springfield"}},{"any_of_string":null,"one_of_number":null,"type_array_string":null,"type_array_integer":null,"any_of_ref":null},{"any_of_string":"","one_of_number":-0.5,"type_array_string":null,"type_array_integer":0,"any_of_ref":null}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_31_optional_nullable_fields() {
    round_trip::<golden::nullable_31::types::OptionalNullableFields>(r#"[{"id":1},{"id":2,"nickname":"bob","maybe_string":"hi","maybe_integer":7,"maybe_number":1.25,"maybe_address":{"street":"2 High St","city":"Shelbyville","postcode":"AB1 2CD"},"tags":["a","b"]}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_31_explicit_null_optional() {
    round_trip::<golden::nullable_31::types::ExplicitNullOptional>(r#"[{"name":null},{"count":null,"name":"set"},{}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_enums_switch() {
    round_trip::<Option<golden::nullable_enums::types::Switch>>(r#"["on",null]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_enums_switch_by_any_of() {
    round_trip::<Option<golden::nullable_enums::types::SwitchByAnyOf>>(r#"["off",null]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_enums_panel() {
    round_trip::<golden::nullable_enums::types::Panel>(r#"[{"main":null,"untyped":null,"main_inline":null,"by_any_of":null,"spare":"on","history":["on",null,"off"],"inline_history":[null,"up"],"by_room":{"hall":null,"kitchen":"off"}},{"main":"off","untyped":"test","main_inline":"down","by_any_of":"on"}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_enums_switch_list() {
    round_trip::<golden::nullable_enums::types::SwitchList>(r#"[["on",null]]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_refs_job() {
    round_trip::<golden::nullable_refs::types::Job>(r#"[{"id":"j1"},{"id":"j2","labels":{"team":"core"}}]"#);
}

#[test]
#[rustfmt::skip]
fn nullable_refs_run() {
    round_trip::<golden::nullable_refs::types::Run>(r#"[{"id":"r1","choice":"auto"},{"id":"r2","choice":null},{"id":"r3","choice":{"name":"lookup"}}]"#);
}

#[test]
#[rustfmt::skip]
fn openapi30_pet_status() {
    round_trip::<golden::openapi30::types::PetStatus>(r#"["pending"]"#);
}

#[test]
#[rustfmt::skip]
fn openapi30_new_pet() {
    round_trip::<golden::openapi30::types::NewPet>(r#"[{"name":"Rex","tag":null}]"#);
}

#[test]
#[rustfmt::skip]
fn openapi30_pet() {
    round_trip::<golden::openapi30::types::Pet>(r#"[{"id":1,"name":"Rex","tag":"dog","status":"available","weight":12.5}]"#);
}

#[test]
#[rustfmt::skip]
fn openapi30_pet_list() {
    round_trip::<golden::openapi30::types::PetList>(r#"[[{"id":1,"name":"Rex"},{"id":2,"name":"Tom","tag":null,"status":"sold"}]]"#);
}

#[test]
#[rustfmt::skip]
fn openapi30_error() {
    round_trip::<golden::openapi30::types::Error>(r#"[{"code":404,"message":"Pet not found"}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_thing() {
    round_trip::<golden::operations::types::Thing>(r#"[{"id":"th_1","name":"Widget","tags":["blue"],"created_at":"2024-01-02T03:04:05Z"},{"id":"th_2","name":"Gadget","tags":[],"created_at":"2024-06-30T23:59:59Z","description":null}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_thing_create() {
    round_trip::<golden::operations::types::ThingCreate>(r#"[{"name":"Widget"},{"name":"Gadget","tags":["a","b"],"description":"shiny"}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_thing_list() {
    round_trip::<golden::operations::types::ThingList>(r#"[{"items":[],"has_more":false},{"items":[{"id":"th_1","name":"Widget","tags":["blue"],"created_at":"2024-01-02T03:04:05Z"}],"has_more":true,"next_cursor":"abc"}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_created_receipt() {
    round_trip::<golden::operations::types::CreatedReceipt>(r#"[{"id":"th_3","location":"https://api.example.com/v1/things/th_3"}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_thing_event() {
    round_trip::<golden::operations::types::ThingEvent>(r#"[{"event":"updated","thing_id":"th_1","sequence":17}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_file_object() {
    round_trip::<golden::operations::types::FileObject>(r#"[{"id":"file_1","bytes":1024,"filename":"data.jsonl","purpose":"batch"}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_error() {
    round_trip::<golden::operations::types::Error>(r#"[{"code":"not_found","message":"No such thing."},{"code":"conflict","message":"Version mismatch.","details":{"expected":"v2"}}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_validation_error() {
    round_trip::<golden::operations::types::ValidationError>(r#"[{"loc":["body","tags",0],"msg":"field required","type":"value_error.missing"}]"#);
}

#[test]
#[rustfmt::skip]
fn operations_http_validation_error() {
    round_trip::<golden::operations::types::HttpValidationError>(r#"[{"detail":[{"loc":["query","limit"],"msg":"ensure this value is less than or equal to 100","type":"value_error.number.not_le"}]},{}]"#);
}

#[test]
#[rustfmt::skip]
fn recursive_tree_node() {
    round_trip::<golden::recursive::types::TreeNode>(r#"[{"name":"leaf","children":[]},{"name":"root","children":[{"name":"a","children":[{"name":"a1","children":[]}]},{"name":"b","children":[],"parent":{"name":"root","children":[]}}]}]"#);
}

#[test]
#[rustfmt::skip]
fn recursive_node() {
    round_trip::<golden::recursive::types::Node>(r#"[{"value":1,"next":{"value":2,"next":{"value":3,"next":null}}}]"#);
}

#[test]
#[rustfmt::skip]
fn recursive_employee() {
    round_trip::<golden::recursive::types::Employee>(r#"[{"name":"Alice","department":{"title":"Engineering","members":[]}},{"name":"Bob","department":{"title":"Sales","members":[{"name":"Carol","department":{"title":"Sales","members":[]}}],"head":{"name":"Dave","department":{"title":"Board","members":[]}}}}]"#);
}

#[test]
#[rustfmt::skip]
fn recursive_department() {
    round_trip::<golden::recursive::types::Department>(r#"[{"title":"Research","members":[{"name":"Eve","department":{"title":"Research","members":[]}}]}]"#);
}

#[test]
#[rustfmt::skip]
fn recursive_fs_entry() {
    round_trip::<golden::recursive::types::FsEntry>(r#"[{"name":"file.txt","size":12},{"name":"/","children":{"etc":{"name":"etc","children":{"hosts":{"name":"hosts","size":100}}},"tmp":{"name":"tmp","children":{}}}}]"#);
}

#[test]
#[rustfmt::skip]
fn recursive_nested_map() {
    round_trip::<golden::recursive::types::NestedMap>(r#"[{},{"a":{"b":{},"c":{"d":{}}}}]"#);
}

#[test]
#[rustfmt::skip]
fn recursive_registry() {
    round_trip::<golden::recursive::types::Registry>(r#"[{"entries":{"x":{"version":1},"y":{"version":2,"nested":{"entries":{"z":{"version":3}}}}}}]"#);
}

#[test]
#[rustfmt::skip]
fn recursive_registry_entry() {
    round_trip::<golden::recursive::types::RegistryEntry>(r#"[{"version":1}]"#);
}

#[test]
#[rustfmt::skip]
fn references_pet() {
    round_trip::<golden::references::types::Pet>(r#"[{"id":1,"name":"Rex","tags":["good"]}]"#);
}

#[test]
#[rustfmt::skip]
fn references_page_defs_cursor() {
    round_trip::<golden::references::types::PageDefsCursor>(r#"["c_123"]"#);
}

#[test]
#[rustfmt::skip]
fn shape_rules_choice() {
    round_trip::<golden::shape_rules::types::Choice>(r#"["text"]"#);
}

#[test]
#[rustfmt::skip]
fn shape_rules_choice_variant() {
    round_trip::<golden::shape_rules::types::ChoiceVariant>(r#"["text"]"#);
}

#[test]
#[rustfmt::skip]
fn unions_cat() {
    round_trip::<golden::unions::types::Cat>(r#"[{"type":"cat","name":"Tom","indoor":true}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_dog() {
    round_trip::<golden::unions::types::Dog>(r#"[{"type":"dog","name":"Rex","good_boy":true}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_bird() {
    round_trip::<golden::unions::types::Bird>(r#"[{"type":"bird","wingspan":0.75}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_pet() {
    round_trip::<golden::unions::types::Pet>(r#"[{"type":"cat","name":"Tom"},{"type":"dog","name":"Rex","good_boy":false},{"type":"bird","wingspan":1.5}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_circle() {
    round_trip::<golden::unions::types::Circle>(r#"[{"kind":"circle","radius":2.5}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_square() {
    round_trip::<golden::unions::types::Square>(r#"[{"kind":"square","side":4.5}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_shape() {
    round_trip::<golden::unions::types::Shape>(r#"[{"kind":"circle","radius":0.5},{"kind":"square","side":3.25}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_string_or_integer() {
    round_trip::<golden::unions::types::StringOrInteger>(r#"["abc",42,"42"]"#);
}

#[test]
#[rustfmt::skip]
fn unions_string_or_string_array() {
    round_trip::<golden::unions::types::StringOrStringArray>(r#"["stop",["a","b"],[]]"#);
}

#[test]
#[rustfmt::skip]
fn unions_user_ref() {
    round_trip::<golden::unions::types::UserRef>(r#"[{"id":7,"name":"seven"}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_email_ref() {
    round_trip::<golden::unions::types::EmailRef>(r#"[{"email":"a@example.com"}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_recipient() {
    round_trip::<golden::unions::types::Recipient>(r#"[{"id":1},{"id":2,"name":"two"},{"email":"b@example.com","verified":false}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_annotation() {
    round_trip::<golden::unions::types::Annotation>(r#"[{"text":"a caption"},{"width":3,"height":4},{}]"#);
}

#[test]
#[rustfmt::skip]
fn unions_model_id() {
    round_trip::<golden::unions::types::ModelId>(r#"["gpt-4o","gpt-4o-mini","my-fine-tuned-model"]"#);
}

#[test]
#[rustfmt::skip]
fn unions_order() {
    round_trip::<golden::unions::types::Order>(r#"[{"pet":{"type":"dog","name":"Rex","good_boy":true},"shape":{"kind":"circle","radius":1.5},"model":"gpt-4o-mini"},{"pet":{"type":"bird","wingspan":0.25},"shape":{"kind":"square","side":2.5},"model":"custom-model","quantity":3,"stop":["END","STOP"],"recipient":{"email":"c@example.com"},"pets":[{"type":"cat","name":"Felix","indoor":false},{"type":"dog","name":"Fido","good_boy":false}]}]"#);
}

#[test]
#[rustfmt::skip]
fn unknown_fields_job() {
    round_trip::<golden::unknown_fields::types::Job>(r#"[{"id":"job_1","limits":{"seconds":60,"burst":true},"tool_resources":{"files":["a","b"]}}]"#);
}

#[test]
#[rustfmt::skip]
fn unknown_fields_job_event() {
    round_trip::<golden::unknown_fields::types::JobEvent>(r#"[{"kind":"started","job_id":"job_1","region":"eu"},{"kind":"finished","job_id":"job_1","progress":{"percent":100},"cost":3}]"#);
}
