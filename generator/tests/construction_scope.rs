//! Constructors, setters and conversions are for values someone builds: a
//! client builds what it sends, a server what it answers.

use apigen::Options;

const SPEC: &str = r#"
openapi: 3.1.0
info: {title: Scope, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
components:
  schemas:
    NewThing:
      type: object
      required: [name]
      properties: {name: {type: string}, size: {type: integer}}
    Thing:
      type: object
      required: [id]
      properties: {id: {type: string}, size: {type: integer}}
    Unreached:
      type: object
      required: [id]
      properties: {id: {type: string}}
    ThingOrCount:
      description: Unreached, so built, but `Thing` has no `From<&str>` for it to go through.
      anyOf:
        - $ref: '#/components/schemas/Thing'
        - type: integer
"#;

fn generate(options: &Options) -> String {
    apigen::generate("scope.yaml", SPEC.as_bytes(), options).unwrap().code
}

#[test]
fn a_client_gets_constructors_for_what_it_sends_only() {
    let code = generate(&Options::new());
    assert!(code.contains("impl NewThing {"), "{code}");
    assert!(!code.contains("impl Thing {"), "a response-only type got a constructor:\n{code}");
    // A type no operation reaches may be used either way.
    assert!(code.contains("impl Unreached {"), "{code}");
    assert!(code.contains("impl From<Thing> for ThingOrCount"), "{code}");
    assert!(!code.contains("impl From<&str> for ThingOrCount"), "{code}");
}

#[test]
fn a_server_and_a_types_only_module_build_every_type() {
    for options in [Options::new().server(true), Options::new().client(false)] {
        let code = generate(&options);
        assert!(code.contains("impl NewThing {") && code.contains("impl Thing {"), "{code}");
        assert!(code.contains("impl From<&str> for ThingOrCount"), "{code}");
    }
}
