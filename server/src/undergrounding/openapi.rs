//! The OpenAPI description of undergrounding, sharing analysis and dig-once.

use serde_json::{Value, json};

fn error(code: &str) -> Value {
    json!({"$ref": format!("#/components/responses/Error{code}")})
}

fn ok(description: &str) -> Value {
    json!({"description": description})
}

fn json_body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

/// A table answer: JSON of `schema`, or the same rows as CSV or XLSX (`format`).
fn table(description: &str, schema: Value) -> Value {
    json!({"200": {"description": description, "content": {
        "application/json": {"schema": schema},
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}}},
        "400": error("400"), "401": error("401")})
}

fn format_param() -> Value {
    json!({"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv", "xlsx"]}})
}

/// Path items to merge into the description.
pub fn paths() -> Vec<(String, Value)> {
    let tag = ["Undergrounding"];
    let sharing = ["Sharing"];
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let read = json!({"200": ok("The figures."), "401": error("401")});
    let write = json!({"200": ok("Done."), "401": error("401"), "403": error("403"), "404": error("404"), "409": error("409"), "422": error("422")});
    vec![
        (
            "/api/v1/undergrounding/areas".into(),
            json!({
            "get": {"tags": tag, "summary": "Streets and zones to put underground", "operationId": "list_undergrounding_areas", "responses": read},
            "post": {"tags": tag, "summary": "Add a street (LineString) or zone (Polygon) from the city's plan", "operationId": "create_undergrounding_area",
                     "requestBody": json_body(json!({"$ref": "#/components/schemas/AreaInput"})),
                     "responses": {"201": ok("Added."), "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/undergrounding/areas/{id}".into(),
            json!({
            "patch": {"tags": tag, "summary": "Change an area (JSON Merge Patch)", "operationId": "update_undergrounding_area",
                      "parameters": [id.clone()], "requestBody": json_body(json!({"type": "object"})),
                      "responses": {"204": ok("Changed."), "401": error("401"), "403": error("403"), "404": error("404"), "422": error("422")}},
            "delete": {"tags": tag, "summary": "Remove an area", "operationId": "delete_undergrounding_area", "parameters": [id.clone()],
                       "responses": {"204": ok("Removed."), "401": error("401"), "403": error("403"), "404": error("404"), "409": error("409")}}}),
        ),
        (
            "/api/v1/undergrounding/flags".into(),
            json!({"get": {"tags": tag,
            "summary": "Overhead km, cable count (density) and debt per street segment, worst first (GeoJSON, CSV or XLSX)",
            "operationId": "undergrounding_flags",
            "parameters": [{"name": "ward", "in": "query", "schema": {"type": "string"}, "description": "Ward or province GSO code."},
                           {"name": "operator", "in": "query", "schema": {"type": "string"}}, format_param()],
            "responses": read}}),
        ),
        (
            "/api/v1/undergrounding/dashboard".into(),
            json!({"get": {"tags": tag,
            "summary": "A ward's figures, worst segments, projects, sharing and trend (public if the ward publishes it)",
            "operationId": "undergrounding_dashboard",
            "parameters": [{"name": "ward", "in": "query", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": ok("The dashboard."), "401": error("401"), "404": error("404")}}}),
        ),
        (
            "/api/v1/undergrounding/projects".into(),
            json!({
            "get": {"tags": tag, "summary": "Undergrounding projects with progress", "operationId": "list_undergrounding_projects", "responses": read},
            "post": {"tags": tag, "summary": "Register a project", "operationId": "create_undergrounding_project",
                     "requestBody": json_body(json!({"$ref": "#/components/schemas/ProjectInput"})),
                     "responses": {"201": ok("Registered."), "401": error("401"), "403": error("403"), "422": error("422")}}}),
        ),
        (
            "/api/v1/undergrounding/projects/{id}".into(),
            json!({"get": {"tags": tag, "summary": "A project with each operator's remaining overhead metres",
            "operationId": "get_undergrounding_project", "parameters": [id.clone()], "responses": {"200": ok("The project."), "401": error("401"), "404": error("404")}}}),
        ),
        (
            "/api/v1/undergrounding/projects/{id}/status".into(),
            json!({"post": {"tags": tag, "summary": "Start, complete or cancel a project",
            "operationId": "set_undergrounding_project_status", "parameters": [id.clone()],
            "requestBody": json_body(json!({"$ref": "#/components/schemas/StatusChange"})), "responses": write.clone()}}),
        ),
        (
            "/api/v1/undergrounding/projects/{id}/progress".into(),
            json!({"post": {"tags": tag, "summary": "Report km of duct built",
            "operationId": "report_undergrounding_progress", "parameters": [id.clone()],
            "requestBody": json_body(json!({"$ref": "#/components/schemas/ProgressReport"})), "responses": write.clone()}}),
        ),
        (
            "/api/v1/undergrounding/projects/{id}/removal".into(),
            json!({"post": {"tags": tag,
            "summary": "An operator confirms, with a photo, that its overhead cable is down (its cables there are decommissioned)",
            "operationId": "confirm_overhead_removal", "parameters": [id.clone()],
            "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
                "photo": {"type": "string", "format": "binary"}, "cables": {"type": "string", "description": "Comma-separated cable ids (default: all in the project)."}}}}}},
            "responses": write.clone()}}),
        ),
        (
            "/api/v1/undergrounding/projects/{id}/removal/{operator}/photo".into(),
            json!({"get": {"tags": tag, "summary": "The removal photo",
            "operationId": "removal_photo", "parameters": [id.clone(), {"name": "operator", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": ok("The photo."), "401": error("401"), "404": error("404")}}}),
        ),
        (
            "/api/v1/undergrounding/projects/{id}/close".into(),
            json!({"post": {"tags": tag,
            "summary": "Close a completed project (refused while overhead cable stands in it)", "operationId": "close_undergrounding_project",
            "parameters": [id.clone()], "responses": write}}),
        ),
        (
            "/api/v1/sharing/ratio".into(),
            json!({"get": {"tags": sharing, "summary": "Towers and poles shared by two or more operators, per ward or operator",
            "operationId": "sharing_ratio",
            "parameters": [{"name": "by", "in": "query", "schema": {"type": "string", "enum": ["ward", "operator"]}},
                           {"name": "province", "in": "query", "schema": {"type": "string"}}, format_param()],
            "responses": table("Per ward or per owner operator, by name.", json!({"type": "object", "required": ["by", "rows"], "additionalProperties": false,
                "properties": {"by": {"type": "string", "enum": ["ward", "operator"]},
                               "rows": {"type": "array", "items": {"$ref": "#/components/schemas/RatioRow"}}}}))}}),
        ),
        (
            "/api/v1/sharing/capacity".into(),
            json!({"get": {"tags": sharing, "summary": "Free slots per tower or free pipes per duct bank",
            "operationId": "sharing_capacity",
            "parameters": [{"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["towers", "ducts"]}},
                           {"name": "ward", "in": "query", "schema": {"type": "string"}},
                           {"name": "free_only", "in": "query", "schema": {"type": "boolean"}}, format_param()],
            "responses": table("Towers (slots) or duct banks (pipes), by id.", json!({"type": "object", "required": ["rows"], "additionalProperties": false,
                "properties": {"rows": {"type": "array", "items": {"type": "object", "additionalProperties": false,
                    "required": ["id", "code", "operator"],
                    "properties": {
                        "id": {"type": "integer"}, "code": {"type": "string"}, "operator": {"type": "string"},
                        "ward_name": {"type": ["string", "null"]},
                        "capacity": {"type": ["integer", "null"], "description": "Slots of a tower, pipes of a duct bank."},
                        "free": {"type": ["integer", "null"]},
                        "tenant_count": {"type": ["integer", "null"]}}}}}}))}}),
        ),
        (
            "/api/v1/sharing/colocation".into(),
            json!({"get": {"tags": sharing,
            "summary": "Towers with free slots within the province's spacing distance of a point", "operationId": "colocation_candidates",
            "parameters": [{"name": "lon", "in": "query", "required": true, "schema": {"type": "number"}},
                           {"name": "lat", "in": "query", "required": true, "schema": {"type": "number"}},
                           {"name": "tower_class", "in": "query", "schema": {"type": "string"}},
                           {"name": "height_m", "in": "query", "schema": {"type": "number"}},
                           {"name": "on", "in": "query", "schema": {"type": "string", "format": "date"}}],
            "responses": read}}),
        ),
        (
            "/api/v1/sharing/path".into(),
            json!({"get": {"tags": sharing,
            "summary": "A route with a free pipe all the way between two manholes, or the duct that blocks it", "operationId": "free_path",
            "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "integer"}},
                           {"name": "to", "in": "query", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": ok("free, blocked (with the blocking duct) or no_route."), "401": error("401"), "404": error("404"), "422": error("422")}}}),
        ),
        (
            "/api/v1/civil-works/{id}".into(),
            json!({"get": {"tags": ["Dig-once"],
            "summary": "A civil work with the operators it concerns and their interest", "operationId": "get_civil_work",
            "parameters": [id.clone()], "responses": {"200": {"description": "The work.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CivilWork"}}}}, "401": error("401"), "404": error("404")}}}),
        ),
        (
            "/api/v1/civil-works/{id}/interest".into(),
            json!({"post": {"tags": ["Dig-once"],
            "summary": "Register the operator's interest in co-building", "operationId": "register_civil_work_interest",
            "parameters": [id], "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Interest"}}}},
            "responses": {"204": ok("Registered."), "401": error("401"), "403": error("403"), "404": error("404")}}}),
        ),
    ]
}
