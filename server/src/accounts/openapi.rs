//! The accounts' part of the OpenAPI description.

use serde_json::{Value, json};

fn error(code: &str) -> Value {
    json!({"$ref": format!("#/components/responses/Error{code}")})
}

fn json_body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// Path items to merge into the description.
pub fn paths() -> Vec<(String, Value)> {
    let admin_tag = ["Administration"];
    let code =
        json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}});
    vec![(
        "/api/v1/wards/{code}/publication".into(),
        json!({
            "get": {"tags": ["Reference data"], "summary": "What the ward shows the public", "operationId": "get_publication",
                    "parameters": [code.clone()], "responses": {"200": {"description": "Publication settings.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Publication"}}}}, "404": error("404")}},
            "put": {"tags": admin_tag, "summary": "Set what the ward shows the public", "operationId": "set_publication",
                    "parameters": [code], "requestBody": json_body(json!({"$ref": "#/components/schemas/Publication"})),
                    "responses": {"200": {"description": "Set.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Publication"}}}}, "401": error("401"), "403": error("403"), "404": error("404")}}}),
    )]
}
