//! The spec as it is written in `spec/*.toml`, read with serde.
//!
//! Every struct denies unknown keys: a misspelt rule must fail the build rather than vanish.

use serde::Deserialize;

/// One API file (`voximplant.toml`, `voiso.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiFile {
    pub api: Api,
    #[serde(default, rename = "struct")]
    pub structs: Vec<Struct>,
    #[serde(default, rename = "method")]
    pub methods: Vec<Method>,
}

impl ApiFile {
    /// The methods by group name, groups sorted, methods in spec order.
    pub fn methods_by_group(&self) -> std::collections::BTreeMap<&str, Vec<&Method>> {
        let mut groups: std::collections::BTreeMap<&str, Vec<&Method>> = Default::default();
        for m in &self.methods {
            groups.entry(m.group.as_str()).or_default().push(m);
        }
        groups
    }

    /// The enums of this API's parameters by generated name. Enums are shared per API by name;
    /// the checker made sure equal names have equal values.
    pub fn enums(&self) -> std::collections::BTreeMap<String, &Param> {
        let mut enums = std::collections::BTreeMap::new();
        for m in &self.methods {
            for p in &m.params {
                if matches!(p.ty, ParamType::Enum | ParamType::EnumList) {
                    enums.entry(crate::check::enum_name(m, p)).or_insert(p);
                }
            }
        }
        enums
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    pub name: String,
    pub title: String,
    pub protocol: Protocol,
    pub default_base_url: String,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// How requests are put on the wire and answers are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Form POST to `/platform_api/{Method}`, JSON envelope with `result` / `error`.
    Voximplant,
    /// GET with query filters and a bearer key, bare JSON answers.
    Voiso,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Struct {
    pub name: String,
    #[serde(default)]
    pub doc: String,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub doc: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    pub name: String,
    pub group: String,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub roles: Vec<String>,
    pub safety: Safety,
    #[serde(default)]
    pub paging: Paging,
    #[serde(default)]
    pub http: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub natural_key: Option<NaturalKey>,
    /// The item field a pager keys on, so it can page safely while records come and go.
    #[serde(default)]
    pub page_key: Option<PageKey>,
    pub response: Response,
    #[serde(default)]
    pub groups: Vec<Group>,
    #[serde(default)]
    pub params: Vec<Param>,
}

impl Method {
    /// Who may call the method and whether repeating it is safe, for generated docs.
    pub fn roles_and_safety(&self) -> String {
        let mut text = String::new();
        if !self.roles.is_empty() {
            text.push_str(&format!("Allowed roles: {}. ", self.roles.join(", ")));
        }
        text.push_str(match self.safety {
            Safety::Read => "A read: safe to retry.",
            Safety::Idempotent => "A write that is safe to repeat after an ambiguous failure.",
            Safety::Once => {
                "A write that must not be repeated: never resend it after an ambiguous failure."
            }
        });
        text
    }
}

/// Whether repeating a call is harmless; drives the retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Safety {
    Read,
    Idempotent,
    Once,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paging {
    #[default]
    None,
    CountOffset,
    LimitOffset,
}

/// The ascending, unique integer field a paged list is ordered by.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageKey {
    /// An `int` field of the list's item.
    pub field: String,
    /// The enum parameter that chooses the order, set to `field` by the pager; without it the
    /// server is taken to order by `field` already.
    #[serde(default)]
    pub order_param: Option<String>,
}

/// How to learn whether a lost `once` write happened.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NaturalKey {
    pub param: String,
    pub lookup: String,
    pub filter: String,
    pub field: String,
    #[serde(default, rename = "match")]
    pub matching: KeyMatch,
    #[serde(default)]
    pub scope: Vec<String>,
    pub returns: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyMatch {
    #[default]
    Exact,
    FirstLabel,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Response {
    Command {
        #[serde(default)]
        fields: Vec<Field>,
    },
    List {
        item: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub rule: GroupRule,
    pub params: Vec<String>,
    #[serde(default)]
    pub when: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRule {
    ExactlyOne,
    AtMostOne,
    AtLeastOne,
    Requires,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ParamType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<toml::Value>,
    #[serde(default)]
    pub doc: String,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub values: Vec<String>,
    #[serde(default)]
    pub enum_name: Option<String>,
    #[serde(default)]
    pub all: bool,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub min_len: Option<u32>,
    #[serde(default)]
    pub max_len: Option<u32>,
    #[serde(default)]
    pub min: Option<toml::Value>,
    #[serde(default)]
    pub max: Option<toml::Value>,
    #[serde(default)]
    pub min_abs: Option<String>,
    #[serde(default)]
    pub password: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamType {
    Int,
    String,
    Bool,
    Decimal,
    Date,
    Datetime,
    Enum,
    IntList,
    StringList,
    EnumList,
}

impl ParamType {
    pub fn is_list(self) -> bool {
        matches!(self, Self::IntList | Self::StringList | Self::EnumList)
    }
}
