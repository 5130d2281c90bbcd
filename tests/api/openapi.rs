//! The API description: valid OpenAPI 3.1 by the reference validator, the same
//! as the committed `web/openapi.json` the web app's types are generated from.

use std::path::PathBuf;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// The document as `hatang openapi` prints it (and `/api/openapi.json` serves it).
fn document_text() -> String {
    serde_json::to_string_pretty(&hatang::app::openapi()).unwrap() + "\n"
}

#[test]
fn the_description_is_valid_openapi_3_1() {
    let validator = std::env::var_os("HATANG_OPENAPI_VALIDATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join(".tools/openapi/bin/openapi-spec-validator"));
    assert!(
        validator.is_file(),
        "{} is missing: `make test-deps` (scripts/install-deps --browser) installs it",
        validator.display()
    );
    let document = hatang::app::openapi();
    assert_eq!(document["openapi"], "3.1.0");
    let dir = std::env::temp_dir().join(format!("hatang-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("openapi.json");
    std::fs::write(&file, document_text()).unwrap();
    let output = std::process::Command::new(&validator)
        .args(["--schema", "3.1", "--validation-errors", "all"])
        .arg(&file)
        .output()
        .expect("the validator runs");
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(output.status.success(), "openapi-spec-validator: {said}");
}

#[test]
fn the_committed_web_openapi_json_is_what_the_code_describes() {
    let committed = std::fs::read_to_string(workspace().join("web/openapi.json")).unwrap();
    assert!(
        committed == document_text(),
        "web/openapi.json differs from the code's description: run `make openapi` and commit it"
    );
}

/// Every success answer with a body is described: each operation's 2xx
/// responses other than 204 (and redirects) carry content, and every media
/// type of that content has a schema.
#[test]
fn every_success_answer_has_a_schema() {
    let document = hatang::app::openapi();
    let mut operations = 0;
    let mut without = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            operations += 1;
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                if !status.starts_with('2') || status == "204" {
                    continue;
                }
                let content = response["content"].as_object();
                let missing: Vec<&String> = content
                    .into_iter()
                    .flatten()
                    .filter(|(_, media)| media.get("schema").is_none())
                    .map(|(name, _)| name)
                    .collect();
                if content.is_none_or(|c| c.is_empty()) {
                    without.push(format!(
                        "{} {path} {status}: no content",
                        method.to_uppercase()
                    ));
                } else if !missing.is_empty() {
                    without.push(format!(
                        "{} {path} {status}: no schema for {missing:?}",
                        method.to_uppercase()
                    ));
                }
            }
        }
    }
    println!(
        "{operations} operations, {} without a success schema",
        without.len()
    );
    assert!(
        without.is_empty(),
        "{} of {operations} operations answer 2xx without a schema:\n  {}",
        without.len(),
        without.join("\n  ")
    );
}
