//! `roster call`: any method of the spec by name, for what the everyday commands do not cover.
//!
//! `--param NAME=VALUE` values are typed by the core ([`roster::core::param_text`]) from the
//! method's parameter kinds in the spec, so `count=5` is sent as a number, `user_id=1;2` as a
//! list and `with_skills=true` as a boolean, while `with_skills=yes` is refused naming the
//! parameter; the core then validates them exactly as it validates typed calls. Dry runs and
//! `--curl` build the request with the client's own `prepare_call`, for Voiso as for
//! Voximplant.

use roster::core::dynamic::find_method;
use roster::core::param_text;
use roster::core::{ApiKind, HttpRequest, MethodInfo, Rule};
use roster::Error;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::context::Context;
use crate::fail::CliError;
use crate::output::{print_json, print_list, print_text, text, Cell, Format, Record};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  roster call GetUsers --param application_id=1 --param with_skills=true
  roster call BindSkill --param skill_id=3 --param user_id='10;11'
  roster call AddUser --json '{\"user_name\":\"ana\",\"user_display_name\":\"Ana\",\"user_password\":\"...\",\"application_id\":1}' --dry-run --curl
  roster call ListUsers --param name=Ana        # a Voiso method, found by its name")]
pub struct CallArgs {
    /// The method: its wire name (GetUsers) or snake_case name (get_users).
    #[arg(required_unless_present = "list")]
    pub method: Option<String>,
    /// A parameter as NAME=VALUE (repeatable), typed by the spec: a number, `true`/`false`
    /// (also `1`/`0`), an exact decimal, a date; a list is `a;b` or the same NAME repeated;
    /// `all` selects every id where the method allows it.
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Parameters as a JSON object; its keys override --param.
    #[arg(long, value_name = "OBJECT")]
    pub json: Option<String>,
    /// The API the method belongs to; by default the one that has a method of that name.
    #[arg(long, value_enum)]
    pub api: Option<Api>,
    /// Print the HTTP request instead of sending it (token and secret parameters redacted).
    #[arg(long)]
    pub dry_run: bool,
    /// Print the request as a curl command instead of sending it (implies --dry-run).
    #[arg(long)]
    pub curl: bool,
    /// List every method: name, API, group, roles and whether a retry is safe.
    #[arg(long, conflicts_with_all = ["method", "params", "json", "dry_run", "curl"])]
    pub list: bool,
    /// The format of --list.
    #[arg(long, short, value_enum, default_value_t)]
    pub output: Format,
}

/// The two APIs, as `--api` spells them.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    Voximplant,
    Voiso,
}

impl From<Api> for ApiKind {
    fn from(api: Api) -> Self {
        match api {
            Api::Voximplant => Self::Voximplant,
            Api::Voiso => Self::Voiso,
        }
    }
}

pub async fn run(ctx: &Context, args: CallArgs) -> Result<(), CliError> {
    if args.list {
        return print_list(&method_rows(), args.output);
    }
    let name = args.method.as_deref().unwrap_or_default();
    let info = resolve(name, args.api)?;
    let failed = |e: Error| CliError::call_to(info.api, info.name, with_known_params(info, e));
    let params = params(info, &args.params, args.json.as_deref())?;
    if args.dry_run || args.curl {
        let request = prepare(ctx, info, params)?;
        let shown = request.redacted();
        return if args.curl {
            print_text(&shown.to_curl())
        } else {
            print_text(shown.to_string().trim_end())
        };
    }
    let result = match info.api {
        ApiKind::Voximplant => ctx.voximplant()?.call(info.name, params).await,
        ApiKind::Voiso => ctx.voiso()?.call(info.name, params).await,
    };
    print_json(&result.map_err(failed)?)
}

/// Finds the method in the API given, or else in Voximplant's and then Voiso's: their method
/// names do not overlap, so the name alone says which API is meant.
fn resolve(name: &str, api: Option<Api>) -> Result<&'static MethodInfo, CliError> {
    if let Some(api) = api {
        return Ok(find_method(api.into(), name)?);
    }
    find_method(ApiKind::Voximplant, name)
        .or_else(|vox_error| find_method(ApiKind::Voiso, name).map_err(|_| vox_error))
        .map_err(CliError::from)
}

/// The JSON parameters of a call: the `--param` pairs typed by the core, then `--json` on
/// top. Names the JSON brings are checked by the call itself, as any call by name.
pub fn params(info: &MethodInfo, pairs: &[String], json: Option<&str>) -> Result<Value, CliError> {
    let mut split = Vec::with_capacity(pairs.len());
    for pair in pairs {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            CliError::Usage(format!(
                "--param {:?} has no `=`; write it as NAME=VALUE",
                pair.chars().take(60).collect::<String>()
            ))
        })?;
        split.push((name.trim(), value));
    }
    let mut map = param_text::from_pairs(info, split)
        .map_err(|e| CliError::call_to(info.api, info.name, with_known_params(info, e)))?;
    if let Some(json) = json {
        map.extend(json_object(json)?);
    }
    Ok(Value::Object(map))
}

/// An unknown parameter's error, with every parameter the method has.
fn with_known_params(info: &MethodInfo, error: Error) -> Error {
    match error {
        Error::Validation(mut v) if v.rule == Rule::UnknownParameter => {
            let known: Vec<&str> = info.params.iter().map(|p| p.name).collect();
            v.message = format!("{}; its parameters are: {}", v.message, known.join(", "));
            Error::Validation(v)
        }
        other => other,
    }
}

fn json_object(text: &str) -> Result<Map<String, Value>, CliError> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(CliError::Usage(
            "--json must be a JSON object, like '{\"count\": 5}'".to_owned(),
        )),
        Err(e) => Err(CliError::Usage(format!("--json is not valid JSON: {e}"))),
    }
}

/// The request a call would send first, built by the same client code as a real call.
fn prepare(ctx: &Context, info: &MethodInfo, params: Value) -> Result<HttpRequest, CliError> {
    let request = match info.api {
        ApiKind::Voximplant => ctx.voximplant()?.prepare_call(info.name, params),
        ApiKind::Voiso => ctx.voiso()?.prepare_call(info.name, params),
    };
    request.map_err(|e| CliError::call_to(info.api, info.name, with_known_params(info, e)))
}

/// One line of `roster call --list`.
#[derive(Serialize)]
struct MethodRow {
    name: &'static str,
    api: &'static str,
    group: &'static str,
    roles: Vec<&'static str>,
    safety: &'static str,
    doc: &'static str,
}

fn method_rows() -> Vec<MethodRow> {
    roster::core::api::METHODS
        .iter()
        .map(|m| MethodRow {
            name: m.name,
            api: m.api.as_str(),
            group: m.group,
            roles: m.roles.to_vec(),
            safety: m.safety.as_str(),
            doc: m.doc,
        })
        .collect()
}

impl Record for MethodRow {
    const HEADERS: &'static [&'static str] = &["method", "api", "group", "roles", "safety"];
    fn cells(&self) -> Vec<Cell> {
        vec![
            text(&Some(self.name)),
            text(&Some(self.api)),
            text(&Some(self.group)),
            Cell::List(self.roles.iter().map(ToString::to_string).collect()),
            text(&Some(self.safety)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn method(name: &str) -> &'static MethodInfo {
        resolve(name, None).unwrap()
    }

    fn pairs(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    // How each kind of text is typed is the core's (core/src/param_text.rs, tested there);
    // these check that `--param` hands every pair to it and adds `--json` on top.

    #[test]
    fn pairs_are_typed_by_the_core() {
        let p = params(
            method("GetUsers"),
            &pairs(&["application_id=7", "with_skills=true", "user_name=a=b"]),
            None,
        )
        .unwrap();
        assert_eq!(
            p,
            json!({"application_id": 7, "with_skills": true, "user_name": "a=b"})
        );
        let p = params(
            method("BindSkill"),
            &pairs(&["skill_id=1;2", "skill_id=3"]),
            None,
        )
        .unwrap();
        assert_eq!(p["skill_id"], json!([1, 2, 3]));
    }

    #[test]
    fn yes_is_not_a_boolean() {
        let error = params(
            method("GetUsers"),
            &pairs(&["application_id=1", "with_skills=yes"]),
            None,
        )
        .unwrap_err();
        assert_eq!(error.exit_code(), 2);
        let line = error.to_string();
        assert!(line.contains("`with_skills` (type)"), "{line}");
    }

    #[test]
    fn json_overrides_params() {
        let p = params(
            method("GetSkills"),
            &pairs(&["count=5"]),
            Some(r#"{"count": 9, "offset": 2}"#),
        )
        .unwrap();
        assert_eq!(p, json!({"count": 9, "offset": 2}));
    }

    #[test]
    fn a_pair_without_equals_or_bad_json_is_usage() {
        let error = params(method("GetSkills"), &pairs(&["count"]), None).unwrap_err();
        assert!(error.to_string().contains("NAME=VALUE"), "{error}");
        let error = params(method("GetSkills"), &[], Some("[1]")).unwrap_err();
        assert!(error.to_string().contains("JSON object"), "{error}");
    }

    #[test]
    fn unknown_parameter_is_named_with_the_known_ones() {
        let error = params(method("GetSkills"), &pairs(&["cuont=5"]), None).unwrap_err();
        let line = error.to_string();
        assert!(line.contains("`cuont`"), "{line}");
        assert!(
            line.contains("its parameters are: ") && line.contains("skill_name"),
            "{line}"
        );
    }

    #[test]
    fn voiso_methods_are_found_by_name() {
        assert_eq!(method("ListUsers").api, ApiKind::Voiso);
        assert_eq!(method("get_users").name, "GetUsers");
        assert!(resolve("GetUsers", Some(Api::Voiso)).is_err());
    }
}
