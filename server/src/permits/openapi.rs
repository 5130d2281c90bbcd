//! The OpenAPI description of the permit workflow and what it reads: rules,
//! the working-day calendar, civil works, restricted zones, notifications.

use serde_json::{Value, json};

use super::state::PermitAction;

fn error(code: &str) -> Value {
    json!({"$ref": format!("#/components/responses/Error{code}")})
}

fn json_body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

fn ok(description: &str) -> Value {
    json!({"description": description})
}

/// A success answer with a JSON body of `schema`.
fn ok_json(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// Path items to merge into the description.
pub fn paths() -> Vec<(String, Value)> {
    let tag = ["Permits"];
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let actions: Vec<&str> = PermitAction::ALL.iter().map(|a| a.as_str()).collect();
    vec![
        (
            "/api/v1/permits".into(),
            json!({
            "get": {"tags": tag, "summary": "The caller's applications, most urgent first (reviewers: their wards; operators: their own)",
                    "operationId": "list_permits",
                    "parameters": [
                        {"name": "state", "in": "query", "schema": {"type": "string"}, "description": "States, comma-separated."},
                        {"name": "ward", "in": "query", "schema": {"type": "string"}},
                        {"name": "operator", "in": "query", "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "geojson"]}}],
                    "responses": {"200": ok("Applications with their clocks and the actions the caller may take."), "401": error("401")}},
            "post": {"tags": tag, "summary": "Start an application (a draft)", "operationId": "create_permit",
                     "requestBody": json_body(json!({"$ref": "#/components/schemas/ApplicationInput"})),
                     "responses": {"201": ok("The draft."), "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/permits/stats".into(),
            json!({"get": {"tags": tag, "summary": "Public statistics per ward: pending, granted, refused, median processing time",
            "operationId": "permit_stats", "security": [],
            "parameters": [{"name": "province", "in": "query", "schema": {"type": "string"}}, {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}}],
            "responses": {"200": ok("Statistics.")}}}),
        ),
        (
            "/api/v1/permits/{id}".into(),
            json!({
            "get": {"tags": tag, "summary": "An application with its clock, pre-checks, timeline and attachments", "operationId": "get_permit",
                    "parameters": [id.clone()], "responses": {"200": ok("The application."), "401": error("401"), "403": error("403"), "404": error("404")}},
            "patch": {"tags": tag, "summary": "Change the file (draft, or when the ward asked for more or for changes); JSON Merge Patch",
                      "operationId": "update_permit", "parameters": [id.clone()], "requestBody": json_body(json!({"type": "object"})),
                      "responses": {"200": ok("Changed."), "403": error("403"), "409": error("409"), "422": error("422")}}}),
        ),
        (
            "/api/v1/permits/{id}/actions/{action}".into(),
            json!({"post": {"tags": tag,
            "summary": "Move the application: submit, begin_check, request_supplement (once), resubmit, accept, grant, refuse, request_modification, extend (once, ≤ 10 working days), withdraw, lapse, report_start, report_completion",
            "operationId": "act_on_permit",
            "parameters": [id.clone(), {"name": "action", "in": "path", "required": true, "schema": {"type": "string", "enum": actions}},
                           {"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActionInput"}}}},
            "responses": {"200": ok("Moved; the application as it now stands."), "401": error("401"), "403": error("403"),
                          "404": error("404"), "409": error("409"), "422": error("422")}}}),
        ),
        (
            "/api/v1/permits/{id}/checks".into(),
            json!({"post": {"tags": tag, "summary": "Run the pre-checks again", "operationId": "rerun_permit_checks",
            "parameters": [id.clone()], "responses": {"200": ok("The findings."), "401": error("401"), "403": error("403")}}}),
        ),
        (
            "/api/v1/permits/{id}/attachments".into(),
            json!({
            "get": {"tags": tag, "summary": "Attachments (without content)", "operationId": "list_permit_attachments", "parameters": [id.clone()],
                    "responses": {"200": ok_json("Attachments.", json!({"type": "array", "items": schema("AttachmentMeta")})), "401": error("401"), "403": error("403")}},
            "post": {"tags": tag, "summary": "Attach a PDF, PNG, JPEG or TIFF (type read from the content; at most 20 MiB)",
                     "operationId": "upload_permit_attachment", "parameters": [id.clone()],
                     "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                     "responses": {"201": ok_json("Stored, with its SHA-256.", schema("AttachmentMeta")), "401": error("401"), "403": error("403"), "409": error("409"), "413": error("413"), "422": error("422")}}}),
        ),
        (
            "/api/v1/permits/{id}/attachments/{attachment_id}".into(),
            json!({"get": {"tags": tag, "summary": "Download an attachment",
            "operationId": "download_permit_attachment",
            "parameters": [id.clone(), {"name": "attachment_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The file, as a download, with the type it was stored with.", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                "image/tiff": {"schema": {"type": "string", "format": "binary"}}}}, "401": error("401"), "403": error("403"), "404": error("404")}}}),
        ),
        (
            "/api/v1/rules".into(),
            json!({
            "get": {"tags": ["Rules and calendar"], "summary": "Rules with their province, validity and citation", "operationId": "list_rules",
                    "responses": {"200": ok_json("Rules.", json!({"type": "array", "items": schema("Rule")})), "401": error("401")}},
            "post": {"tags": ["Rules and calendar"], "summary": "Add a rule", "operationId": "create_rule",
                     "requestBody": json_body(json!({"$ref": "#/components/schemas/RuleInput"})),
                     "responses": {"201": ok_json("Added.", schema("Rule")), "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/rules/{id}".into(),
            json!({"patch": {"tags": ["Rules and calendar"], "summary": "Change a rule (JSON Merge Patch)", "operationId": "update_rule",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "requestBody": json_body(json!({"type": "object"})),
            "responses": {"200": ok_json("Changed.", schema("Rule")), "401": error("401"), "403": error("403"), "404": error("404"), "422": error("422")}}}),
        ),
        (
            "/api/v1/civil-works".into(),
            json!({
            "get": {"tags": ["Dig-once"], "summary": "Planned civil works by others, and no-dig periods", "operationId": "list_civil_works",
                    "responses": {"200": {"description": "A FeatureCollection.", "content": {"application/geo+json": {"schema": schema("CivilWorkCollection")}}}, "401": error("401")}},
            "post": {"tags": ["Dig-once"], "summary": "Publish a planned civil work", "operationId": "create_civil_work",
                     "requestBody": json_body(json!({"$ref": "#/components/schemas/CivilWorkInput"})),
                     "responses": {"201": ok_json("Published; the operators it concerns are notified.", schema("CivilWorkSaved")), "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/civil-works/{id}".into(),
            json!({"delete": {"tags": ["Dig-once"], "summary": "Remove a civil work", "operationId": "delete_civil_work",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"204": ok("Removed."), "401": error("401"), "403": error("403"), "404": error("404")}}}),
        ),
        (
            "/api/v1/restricted-zones".into(),
            json!({
            "get": {"tags": ["Permits"], "summary": "Restricted zones", "operationId": "list_restricted_zones",
                    "responses": {"200": {"description": "A FeatureCollection.", "content": {"application/geo+json": {"schema": schema("RestrictedZoneCollection")}}}, "401": error("401")}},
            "post": {"tags": ["Permits"], "summary": "Add a restricted zone", "operationId": "create_restricted_zone",
                     "requestBody": json_body(json!({"$ref": "#/components/schemas/ZoneInput"})),
                     "responses": {"201": ok_json("Added: its id.", schema("Created")), "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/restricted-zones/{id}".into(),
            json!({"delete": {"tags": ["Permits"], "summary": "Remove a restricted zone", "operationId": "delete_restricted_zone",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"204": ok("Removed."), "401": error("401"), "403": error("403"), "404": error("404")}}}),
        ),
    ]
}
