//! A wrong spec fails the build with a message naming the file, method and parameter.

use roster_codegen::parse_api;

const HEAD: &str = r#"
[api]
name = "voximplant"
title = "T"
protocol = "voximplant"
default_base_url = "https://api.example.com"
roles = ["Owner"]

[[struct]]
name = "Thing"
fields = [{ name = "thing_id", type = "int" }, { name = "thing_name", type = "string" }]
"#;

fn errors(methods: &str) -> Vec<String> {
    let text = format!("{HEAD}{methods}");
    match parse_api("spec/test.toml", &text) {
        Ok(_) => Vec::new(),
        Err(e) => e.iter().map(ToString::to_string).collect(),
    }
}

fn assert_error(methods: &str, needles: &[&str]) {
    let errs = errors(methods);
    assert!(
        errs.iter().any(|e| needles.iter().all(|n| e.contains(n))),
        "no error containing {needles:?} in {errs:#?}"
    );
}

const OK_METHOD: &str = r#"
[[method]]
name = "GetThings"
group = "users"
roles = ["Owner"]
safety = "read"
paging = "count_offset"
response = { kind = "list", item = "Thing" }
params = [
  { name = "thing_name", type = "string" },
  { name = "count", type = "int" },
  { name = "offset", type = "int" },
]
"#;

#[test]
fn a_valid_spec_passes() {
    assert_eq!(errors(OK_METHOD), Vec::<String>::new());
}

#[test]
fn unknown_param_type() {
    assert_error(
        &OK_METHOD.replace(r#"type = "string""#, r#"type = "strng""#),
        &["spec/test.toml", "strng"],
    );
}

#[test]
fn unknown_key_is_rejected() {
    assert_error(
        &OK_METHOD.replace("safety =", "saftey = \"x\"\nsafety ="),
        &["spec/test.toml", "saftey"],
    );
}

#[test]
fn bad_regex() {
    assert_error(
        &OK_METHOD.replace(
            r#"{ name = "thing_name", type = "string" }"#,
            r#"{ name = "thing_name", type = "string", pattern = "^[a-z$" }"#,
        ),
        &[
            "spec/test.toml",
            "method GetThings, parameter thing_name",
            "does not compile",
        ],
    );
}

#[test]
fn group_naming_a_missing_parameter() {
    assert_error(
        &OK_METHOD.replace(
            "params = [",
            r#"groups = [{ rule = "exactly_one", params = ["thing_name", "thing_id"] }]
params = ["#,
        ),
        &["method GetThings", "\"thing_id\"", "does not have"],
    );
}

#[test]
fn unknown_response_field_type_and_struct() {
    let bad = HEAD.replace(r#"type = "int" }"#, r#"type = "[Nothing]" }"#);
    let errs = match parse_api("spec/test.toml", &format!("{bad}{OK_METHOD}")) {
        Ok(_) => vec![],
        Err(e) => e.iter().map(ToString::to_string).collect(),
    };
    assert!(
        errs.iter()
            .any(|e| e.contains("struct Thing, field thing_id") && e.contains("Nothing")),
        "{errs:#?}"
    );
}

#[test]
fn role_not_declared() {
    assert_error(
        &OK_METHOD.replace(r#"roles = ["Owner"]"#, r#"roles = ["Owner", "Janitor"]"#),
        &["method GetThings", "Janitor"],
    );
}

#[test]
fn rules_on_the_wrong_type() {
    assert_error(
        &OK_METHOD.replace(
            r#"{ name = "count", type = "int" }"#,
            r#"{ name = "count", type = "int", max_len = 3 }"#,
        ),
        &["parameter count", "max_len"],
    );
    assert_error(
        &OK_METHOD.replace(r#"{ name = "thing_name", type = "string" }"#, r#"{ name = "thing_name", type = "string", secret = true, password = false, all = true }"#),
        &["parameter thing_name", "`all`"],
    );
}

#[test]
fn natural_key_must_point_at_a_list_read() {
    let once = r#"
[[method]]
name = "AddThing"
group = "users"
safety = "once"
natural_key = { param = "thing_name", lookup = "Nope", filter = "thing_name", field = "thing_name", returns = ["thing_id"] }
response = { kind = "command", fields = [{ name = "thing_id", type = "int" }] }
params = [{ name = "thing_name", type = "string", required = true }]
"#;
    assert_error(
        &format!("{OK_METHOD}{once}"),
        &["method AddThing, natural_key", "Nope"],
    );
    let fixed = once.replace("\"Nope\"", "\"GetThings\"");
    assert_eq!(errors(&format!("{OK_METHOD}{fixed}")), Vec::<String>::new());
}

#[test]
fn paging_needs_its_parameters() {
    assert_error(
        &OK_METHOD.replace(r#"  { name = "offset", type = "int" },"#, ""),
        &["method GetThings", "offset"],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let bad = OK_METHOD
        .replace(r#"type = "string""#, r#"type = "string", pattern = "(""#)
        .replace(r#"roles = ["Owner"]"#, r#"roles = ["Nobody"]"#);
    assert!(errors(&bad).len() >= 2, "{:#?}", errors(&bad));
}
