//! `roster call`: any method of the spec by name, for what the everyday commands do not cover.
//!
//! `--param NAME=VALUE` values are typed by the method's parameter kinds from the spec
//! ([`roster::core::api::METHODS`]), so `count=5` is sent as a number and `user_id=1;2` as a
//! list; the core then validates them exactly as it validates typed calls.

use roster::core::dynamic::find_method;
use roster::core::endpoint::ParamKind;
use roster::core::{ApiKind, HttpRequest, MethodInfo, VoisoClient};
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
    /// A parameter as NAME=VALUE (repeatable). A list is `a;b` or the same NAME repeated;
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
    print_json(&result.map_err(|e| CliError::call(info.name, e))?)
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

/// The JSON parameters of a call: the `--param` pairs typed by the spec, then `--json` on top.
pub fn params(info: &MethodInfo, pairs: &[String], json: Option<&str>) -> Result<Value, CliError> {
    let mut map = Map::new();
    for pair in pairs {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            CliError::Usage(format!(
                "--param {pair:?} has no `=`; write it as NAME=VALUE"
            ))
        })?;
        add_param(info, &mut map, key.trim(), value)?;
    }
    collapse_all(&mut map);
    if let Some(json) = json {
        map.extend(json_object(json)?);
    }
    for key in map.keys() {
        known_param(info, key)?;
    }
    Ok(Value::Object(map))
}

/// Adds one `NAME=VALUE`; a list parameter collects every value given for it.
fn add_param(
    info: &MethodInfo,
    map: &mut Map<String, Value>,
    key: &str,
    value: &str,
) -> Result<(), CliError> {
    let kind = known_param(info, key)?.kind;
    if is_list(kind) {
        let items = map.entry(key).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = items {
            if kind == ParamKind::IntList && value.trim().eq_ignore_ascii_case("all") {
                // `all` stands alone; the core refuses it with other ids, naming the parameter.
                items.push(Value::String("all".to_owned()));
            } else {
                items.extend(value.split(';').map(|item| typed(kind, item)));
            }
        }
        return Ok(());
    }
    if map.insert(key.to_owned(), typed(kind, value)).is_some() {
        return Err(CliError::Usage(format!(
            "--param {key} is given twice, but {} takes one value for it",
            info.name
        )));
    }
    Ok(())
}

/// A lone `all` is sent as the string the core reads as "every id".
fn collapse_all(map: &mut Map<String, Value>) {
    for value in map.values_mut() {
        if let Value::Array(items) = value {
            if items.len() == 1 && items[0] == Value::String("all".to_owned()) {
                *value = items.remove(0);
            }
        }
    }
}

fn is_list(kind: ParamKind) -> bool {
    matches!(
        kind,
        ParamKind::IntList | ParamKind::StringList | ParamKind::EnumList
    )
}

/// A command-line text as the JSON the spec's kind expects. Text that does not fit the kind is
/// passed on as a string, so the core's validation names the parameter and the rule.
fn typed(kind: ParamKind, text: &str) -> Value {
    let trimmed = text.trim();
    match kind {
        ParamKind::Int | ParamKind::IntList => trimmed
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        ParamKind::Bool => match trimmed.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Value::Bool(true),
            "false" | "0" | "no" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        // Decimals stay text so no digit is lost through a float.
        _ => Value::String(text.to_owned()),
    }
}

fn known_param(
    info: &MethodInfo,
    key: &str,
) -> Result<&'static roster::core::endpoint::ParamInfo, CliError> {
    info.param(key).ok_or_else(|| {
        let known: Vec<&str> = info.params.iter().map(|p| p.name).collect();
        CliError::Usage(format!(
            "{} has no parameter `{key}` — its parameters are: {}",
            info.name,
            known.join(", ")
        ))
    })
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
        ApiKind::Voiso => voiso_core(ctx)?.prepare_json(info.name, params),
    };
    request.map_err(|e| CliError::call(info.name, e))
}

/// The core's Voiso protocol client for a dry run: the Rust `Voiso` client has no
/// `prepare_call` (only the typed `prepare`), and a dry run sends nothing anyway.
fn voiso_core(ctx: &Context) -> Result<VoisoClient, CliError> {
    let (key, url) = match ctx.sandbox() {
        Some(emulator) => (
            emulator.voiso_api_key().to_owned(),
            Some(emulator.base_url().to_owned()),
        ),
        None => {
            // Fails with the same one-line hint as a real call when the key is missing.
            ctx.voiso()?;
            let key = ctx.args.voiso_key.as_ref().map(|k| k.expose().clone());
            (key.unwrap_or_default(), ctx.args.voiso_base_url.clone())
        }
    };
    VoisoClient::new(key, url.as_deref()).map_err(|e| CliError::call("Voiso client", e))
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

    #[test]
    fn values_take_the_kind_of_their_parameter() {
        let p = params(
            method("GetUsers"),
            &pairs(&["application_id=7", "with_skills=true", "user_name=007"]),
            None,
        )
        .unwrap();
        assert_eq!(
            p,
            json!({"application_id": 7, "with_skills": true, "user_name": "007"})
        );
    }

    #[test]
    fn lists_come_from_semicolons_and_repeats() {
        let p = params(
            method("BindSkill"),
            &pairs(&["skill_id=1;2", "skill_id=3", "user_name=ana"]),
            None,
        )
        .unwrap();
        assert_eq!(p["skill_id"], json!([1, 2, 3]));
        assert_eq!(p["user_name"], json!(["ana"]));
    }

    #[test]
    fn decimals_stay_exact_text() {
        let p = params(
            method("TransferMoneyToUser"),
            &pairs(&["amount=0.10", "user_id=all"]),
            None,
        )
        .unwrap();
        assert_eq!(p["amount"], json!("0.10"));
        assert_eq!(p["user_id"], json!("all"));
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
    fn unknown_parameter_is_named_with_the_known_ones() {
        let error = params(method("GetSkills"), &pairs(&["cuont=5"]), None).unwrap_err();
        let line = error.to_string();
        assert!(line.contains("`cuont`"), "{line}");
        assert!(line.contains("skill_name"), "{line}");
    }

    #[test]
    fn voiso_methods_are_found_by_name() {
        assert_eq!(method("ListUsers").api, ApiKind::Voiso);
        assert_eq!(method("get_users").name, "GetUsers");
        assert!(resolve("GetUsers", Some(Api::Voiso)).is_err());
    }
}
