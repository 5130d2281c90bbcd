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
    let tag = ["Accounts and audit"];
    let admin_tag = ["Administration"];
    let code =
        json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}});
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    vec![
        (
            "/api/v1/auth/login".into(),
            json!({"post": {"tags": tag, "summary": "Log in: starts a session (cookie) and returns the CSRF token",
            "operationId": "login", "security": [],
            "requestBody": json_body(json!({"type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"}, "password": {"type": "string", "format": "password"}}})),
            "responses": {"200": {"description": "Logged in; `Set-Cookie` carries the session."}, "401": error("401"),
                          "429": {"description": "Too many failed logins; see Retry-After."}}}}),
        ),
        (
            "/api/v1/auth/logout".into(),
            json!({"post": {"tags": tag, "summary": "Log out", "operationId": "logout",
            "responses": {"204": {"description": "The session is over."}}}}),
        ),
        (
            "/api/v1/auth/me".into(),
            json!({"get": {"tags": tag, "summary": "Who is logged in (and the session's CSRF token)",
            "operationId": "me", "responses": {"200": {"description": "The user or token."}, "401": error("401")}}}),
        ),
        (
            "/api/v1/auth/password".into(),
            json!({"post": {"tags": tag, "summary": "Change one's own password (ends other sessions)",
            "operationId": "change_password",
            "requestBody": json_body(json!({"type": "object", "required": ["current_password", "new_password"],
                "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string", "minLength": 10}}})),
            "responses": {"204": {"description": "Changed."}, "401": error("401"), "422": error("422")}}}),
        ),
        (
            "/api/v1/tokens".into(),
            json!({
            "get": {"tags": tag, "summary": "An operator's API tokens (without their secrets)", "operationId": "list_tokens",
                    "parameters": [{"name": "operator", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "Tokens, newest first."}, "401": error("401"), "403": error("403")}},
            "post": {"tags": tag, "summary": "Create an API token (shown once)", "operationId": "create_token",
                     "requestBody": json_body(json!({"$ref": "#/components/schemas/NewToken"})),
                     "responses": {"201": {"description": "The token, with its secret."}, "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/tokens/{id}".into(),
            json!({"delete": {"tags": tag, "summary": "Revoke an API token (takes effect at once)",
            "operationId": "revoke_token", "parameters": [id],
            "responses": {"204": {"description": "Revoked."}, "401": error("401"), "403": error("403"), "404": error("404")}}}),
        ),
        (
            "/api/v1/users".into(),
            json!({
            "get": {"tags": admin_tag, "summary": "All accounts", "operationId": "list_users",
                    "responses": {"200": {"description": "Accounts."}, "401": error("401"), "403": error("403")}},
            "post": {"tags": admin_tag, "summary": "Create an account (the password is generated and shown once unless given)",
                     "operationId": "create_user", "requestBody": json_body(json!({"$ref": "#/components/schemas/NewUser"})),
                     "responses": {"201": {"description": "Created."}, "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/users/{id}".into(),
            json!({"patch": {"tags": admin_tag, "summary": "Change an account: role, operator, scope, disabled, password reset",
            "operationId": "update_user", "parameters": [id],
            "requestBody": json_body(json!({"$ref": "#/components/schemas/UserChange"})),
            "responses": {"200": {"description": "Changed."}, "401": error("401"), "403": error("403"), "404": error("404"), "422": error("422")}}}),
        ),
        (
            "/api/v1/operators".into(),
            json!({"post": {"tags": admin_tag, "summary": "Register an operator", "operationId": "create_operator",
            "requestBody": json_body(json!({"$ref": "#/components/schemas/OperatorInput"})),
            "responses": {"201": {"description": "Registered."}, "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/operators/{code}".into(),
            json!({"patch": {"tags": admin_tag, "summary": "Change an operator (JSON Merge Patch)",
            "operationId": "update_operator", "parameters": [code.clone()], "requestBody": json_body(json!({"type": "object"})),
            "responses": {"200": {"description": "Changed."}, "401": error("401"), "403": error("403"), "404": error("404"), "422": error("422")}}}),
        ),
        (
            "/api/v1/wards/{code}/publication".into(),
            json!({
            "get": {"tags": ["Reference data"], "summary": "What the ward shows the public", "operationId": "get_publication",
                    "parameters": [code.clone()], "responses": {"200": {"description": "Publication settings."}, "404": error("404")}},
            "put": {"tags": admin_tag, "summary": "Set what the ward shows the public", "operationId": "set_publication",
                    "parameters": [code], "requestBody": json_body(json!({"$ref": "#/components/schemas/Publication"})),
                    "responses": {"200": {"description": "Set."}, "401": error("401"), "403": error("403"), "404": error("404")}}}),
        ),
        (
            "/api/v1/history".into(),
            json!({"get": {"tags": tag, "summary": "The audit trail across assets (JSON, or CSV with format=csv)",
            "operationId": "audit_history",
            "parameters": [
                {"name": "asset", "in": "query", "schema": {"type": "integer"}},
                {"name": "operator", "in": "query", "schema": {"type": "string"}, "description": "Owner operator code."},
                {"name": "user", "in": "query", "schema": {"type": "string"}, "description": "Username of the person who made the change."},
                {"name": "action", "in": "query", "schema": {"type": "string", "enum": ["create", "update", "decommission", "tenancy"]}},
                {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "after", "in": "query", "schema": {"type": "integer"}, "description": "Cursor: entries with a larger id."},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 1000}},
                {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}],
            "responses": {"200": {"description": "Entries the caller may read, oldest first."}, "400": error("400"), "401": error("401")}}}),
        ),
        (
            "/api/v1/history/verify".into(),
            json!({"get": {"tags": admin_tag, "summary": "Check the history's hash chain",
            "operationId": "verify_history",
            "responses": {"200": {"description": "Whether the chain is intact, the head hash, and the first broken entry."},
                          "401": error("401"), "403": error("403")}}}),
        ),
    ]
}
