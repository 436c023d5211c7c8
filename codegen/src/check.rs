//! Semantic checks of a parsed spec.
//!
//! serde already rejects unknown keys and types it cannot read; this module rejects what is
//! well-formed TOML but wrong as a spec: a group naming a parameter that does not exist, a regex
//! that does not compile, a rule on a type it cannot apply to, a lookup that names no list
//! method. Every problem is reported with the file, method and parameter it concerns, and all
//! problems are reported at once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use rust_decimal::Decimal;

use crate::model::{
    ApiFile, GroupRule, Method, Paging, Param, ParamType, Protocol, Response, Safety,
};
use crate::types::FieldType;

/// One problem in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub file: String,
    /// `method AddUser, parameter user_name`, `struct User, field created`, or empty.
    pub place: String,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.place, self.message)
        }
    }
}

impl std::error::Error for SpecError {}

const GROUPS: &[&str] = &["users", "skills", "queues", "applications"];

/// Names generated code uses unqualified; a spec type must not shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "String",
    "Vec",
    "Result",
    "Ok",
    "Err",
    "Box",
    "Default",
    "Page",
    "Decimal",
    "Date",
    "OffsetDateTime",
    "PrimitiveDateTime",
    "IdList",
    "Secret",
];

struct Checker<'a> {
    file: &'a str,
    errors: Vec<SpecError>,
}

impl Checker<'_> {
    fn err(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: self.file.to_owned(),
            place: place.into(),
            message: message.into(),
        });
    }
}

fn is_camel(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_snake(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Checks one API file; `file` is the name used in messages.
pub fn check(file: &str, spec: &ApiFile) -> Result<(), Vec<SpecError>> {
    let mut c = Checker {
        file,
        errors: Vec::new(),
    };
    if !is_snake(&spec.api.name) {
        c.err(
            "[api]",
            format!("name {:?} must be snake_case", spec.api.name),
        );
    }
    let base = &spec.api.default_base_url;
    if !(base.starts_with("https://") || base.starts_with("http://")) {
        c.err(
            "[api]",
            format!("default_base_url {base:?} must start with http:// or https://"),
        );
    }

    let mut structs = BTreeMap::new();
    for s in &spec.structs {
        let place = format!("struct {}", s.name);
        if !is_camel(&s.name) {
            c.err(&place, "struct names must be CamelCase");
        }
        if RESERVED_TYPE_NAMES.contains(&s.name.as_str()) {
            c.err(
                &place,
                "this name is reserved: generated code uses the prelude type of that name",
            );
        }
        if structs.insert(s.name.as_str(), s).is_some() {
            c.err(&place, "defined twice");
        }
    }
    for s in &spec.structs {
        let mut seen = BTreeSet::new();
        for f in &s.fields {
            let place = format!("struct {}, field {}", s.name, f.name);
            check_field(&mut c, &place, &f.name, &f.ty, &structs);
            if !seen.insert(f.name.as_str()) {
                c.err(&place, "defined twice");
            }
        }
    }

    let methods: BTreeMap<&str, &Method> =
        spec.methods.iter().map(|m| (m.name.as_str(), m)).collect();
    let mut seen_methods = BTreeSet::new();
    let mut enums: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for m in &spec.methods {
        let place = format!("method {}", m.name);
        if !is_camel(&m.name) {
            c.err(&place, "method names must be CamelCase");
        }
        if !seen_methods.insert(m.name.as_str()) {
            c.err(&place, "defined twice");
        }
        if !GROUPS.contains(&m.group.as_str()) {
            c.err(
                &place,
                format!("group {:?} is not one of {GROUPS:?}", m.group),
            );
        }
        for role in &m.roles {
            if !spec.api.roles.contains(role) {
                c.err(
                    &place,
                    format!("role {role:?} is not listed in [api] roles"),
                );
            }
        }
        if spec.api.protocol == Protocol::Voiso && m.path.is_none() {
            c.err(&place, "voiso methods need an explicit path");
        }
        if let Some(path) = &m.path {
            if !path.starts_with('/') {
                c.err(&place, format!("path {path:?} must start with /"));
            }
        }
        if let Some(http) = &m.http {
            if http != "GET" && http != "POST" {
                c.err(&place, format!("http {http:?} must be GET or POST"));
            }
        }

        let params: BTreeMap<&str, &Param> =
            m.params.iter().map(|p| (p.name.as_str(), p)).collect();
        let mut seen = BTreeSet::new();
        for p in &m.params {
            let pplace = format!("method {}, parameter {}", m.name, p.name);
            if !seen.insert(p.name.as_str()) {
                c.err(&pplace, "defined twice");
            }
            check_param(&mut c, &pplace, p);
            if matches!(p.ty, ParamType::Enum | ParamType::EnumList) {
                let name = enum_name(m, p);
                let entry = enums
                    .entry(name.clone())
                    .or_insert_with(|| (pplace.clone(), p.values.clone()));
                if entry.1 != p.values {
                    let first = entry.0.clone();
                    c.err(
                        &pplace,
                        format!("enum {name} has other values than at {first}"),
                    );
                }
            }
        }
        for g in &m.groups {
            let gplace = format!("method {}, group {:?} {:?}", m.name, g.rule, g.params);
            let min = if g.rule == GroupRule::Requires { 1 } else { 2 };
            if g.params.len() < min {
                c.err(&gplace, format!("needs at least {min} parameters"));
            }
            for name in g.params.iter().chain(&g.when) {
                match params.get(name.as_str()) {
                    None => c.err(
                        &gplace,
                        format!("names parameter {name:?}, which the method does not have"),
                    ),
                    Some(p) if p.required => c.err(
                        &gplace,
                        format!("parameter {name:?} is required, so it cannot be part of a group"),
                    ),
                    Some(_) => {}
                }
            }
            match (g.rule, &g.when) {
                (GroupRule::Requires, None) => c.err(&gplace, "rule requires needs `when`"),
                (GroupRule::Requires, Some(_)) | (_, None) => {}
                (_, Some(_)) => c.err(&gplace, "only rule requires takes `when`"),
            }
        }

        let item = match &m.response {
            Response::Command { fields } => {
                for f in fields {
                    let fplace = format!("method {}, response field {}", m.name, f.name);
                    check_field(&mut c, &fplace, &f.name, &f.ty, &structs);
                }
                None
            }
            Response::List { item } => {
                if !structs.contains_key(item.as_str()) {
                    c.err(
                        &place,
                        format!("response item {item:?} is not a defined struct"),
                    );
                }
                Some(item.as_str())
            }
        };
        match m.paging {
            Paging::None => {}
            Paging::CountOffset | Paging::LimitOffset => {
                let (size, _) = paging_params(m.paging);
                for name in [size, "offset"] {
                    if params.get(name).map(|p| p.ty) != Some(ParamType::Int) {
                        c.err(
                            &place,
                            format!("paging {:?} needs an int parameter {name:?}", m.paging),
                        );
                    }
                }
                if item.is_none() {
                    c.err(&place, "a paged method must have a list response");
                }
            }
        }
        if let Some(key) = &m.page_key {
            let kplace = format!("{place}, page_key");
            if m.paging == Paging::None {
                c.err(&kplace, "page_key needs a paged method");
            }
            let field = item
                .and_then(|i| structs.get(i))
                .and_then(|s| s.fields.iter().find(|f| f.name == key.field));
            if field.map(|f| f.ty.as_str()) != Some("int") {
                c.err(
                    &kplace,
                    format!(
                        "field {:?} must be an int field of the list's item",
                        key.field
                    ),
                );
            }
            if let Some(order) = &key.order_param {
                let p = params.get(order.as_str());
                let orders_by_key =
                    p.is_some_and(|p| p.ty == ParamType::Enum && p.values.contains(&key.field));
                if !orders_by_key {
                    c.err(
                        &kplace,
                        format!(
                            "order_param {order:?} must be an enum parameter with the value {:?}",
                            key.field
                        ),
                    );
                }
            }
        }
        match (&m.natural_key, m.safety) {
            (Some(_), Safety::Read | Safety::Idempotent) => c.err(
                &place,
                "natural_key is only meaningful with safety = \"once\"",
            ),
            (Some(key), Safety::Once) => {
                check_natural_key(&mut c, &place, m, key, &methods, &structs)
            }
            (None, _) => {}
        }
    }

    if c.errors.is_empty() {
        Ok(())
    } else {
        Err(c.errors)
    }
}

/// The page-size parameter name and the offset parameter name of a paging style.
pub fn paging_params(paging: Paging) -> (&'static str, &'static str) {
    match paging {
        Paging::LimitOffset => ("limit", "offset"),
        Paging::CountOffset | Paging::None => ("count", "offset"),
    }
}

/// The generated enum's name: `enum_name` if given, else `{Method}{Param}`.
pub fn enum_name(m: &Method, p: &Param) -> String {
    p.enum_name
        .clone()
        .unwrap_or_else(|| format!("{}{}", m.name, crate::names::camel(&p.name)))
}

fn check_field(
    c: &mut Checker<'_>,
    place: &str,
    name: &str,
    ty: &str,
    structs: &BTreeMap<&str, &crate::model::Struct>,
) {
    if !is_snake(name) {
        c.err(place, "field names must be snake_case");
    }
    if name == "extra" {
        c.err(
            place,
            "`extra` is reserved for the fields the spec does not name",
        );
    }
    match FieldType::parse(ty) {
        Err(e) => c.err(place, e),
        Ok(t) => {
            if let FieldType::List(inner) = &t {
                if !matches!(
                    **inner,
                    FieldType::Int
                        | FieldType::String
                        | FieldType::Bool
                        | FieldType::Json
                        | FieldType::Struct(_)
                ) {
                    c.err(
                        place,
                        format!(
                            "type {ty:?}: list items may be int, string, bool, json or a struct"
                        ),
                    );
                }
            }
            if let Some(s) = t.struct_name() {
                if !structs.contains_key(s) {
                    c.err(
                        place,
                        format!("type {ty:?} names struct {s:?}, which is not defined"),
                    );
                }
            }
        }
    }
}

fn check_param(c: &mut Checker<'_>, place: &str, p: &Param) {
    use ParamType::*;
    if !is_snake(&p.name) {
        c.err(place, "parameter names must be snake_case");
    }
    let stringy = matches!(p.ty, String | StringList);
    if p.secret && p.ty != String {
        c.err(place, "only string parameters can be secret");
    }
    if p.password && p.ty != String {
        c.err(place, "password applies to string parameters");
    }
    if p.password && !p.secret {
        c.err(place, "a password parameter must also be secret");
    }
    if matches!(p.ty, Enum | EnumList) {
        if p.values.is_empty() {
            c.err(place, "enum types need `values`");
        }
        if let Some(n) = &p.enum_name {
            if !is_camel(n) {
                c.err(place, format!("enum_name {n:?} must be CamelCase"));
            }
        }
    } else if !p.values.is_empty() || p.enum_name.is_some() {
        c.err(
            place,
            "`values` and `enum_name` apply to enum and enum_list only",
        );
    }
    if p.all && p.ty != IntList {
        c.err(place, "`all` applies to int_list only");
    }
    if let Some(pattern) = &p.pattern {
        if !stringy {
            c.err(place, "`pattern` applies to string and string_list only");
        }
        if !(pattern.starts_with('^') && pattern.ends_with('$')) {
            c.err(
                place,
                format!("pattern {pattern:?} must be anchored with ^…$"),
            );
        }
        if let Err(e) = regex_lite::Regex::new(pattern) {
            c.err(place, format!("pattern {pattern:?} does not compile: {e}"));
        }
    }
    if (p.min_len.is_some() || p.max_len.is_some()) && !stringy {
        c.err(
            place,
            "`min_len`/`max_len` apply to string and string_list only",
        );
    }
    if let (Some(lo), Some(hi)) = (p.min_len, p.max_len) {
        if lo > hi {
            c.err(place, format!("min_len {lo} is above max_len {hi}"));
        }
    }
    for (key, bound) in [("min", &p.min), ("max", &p.max)] {
        let Some(bound) = bound else { continue };
        match p.ty {
            Int | IntList => {
                if bound.as_integer().is_none() {
                    c.err(place, format!("`{key}` of an int must be an integer"));
                }
            }
            Decimal => {
                if bound
                    .as_str()
                    .and_then(|s| s.parse::<self::Decimal>().ok())
                    .is_none()
                {
                    c.err(
                        place,
                        format!("`{key}` of a decimal must be a decimal string like \"0.5\""),
                    );
                }
            }
            _ => c.err(
                place,
                format!("`{key}` applies to int, int_list and decimal only"),
            ),
        }
    }
    if let Some(m) = &p.min_abs {
        if p.ty != Decimal {
            c.err(place, "`min_abs` applies to decimal only");
        } else if m.parse::<self::Decimal>().is_err() {
            c.err(place, format!("min_abs {m:?} is not a decimal"));
        }
    }
    if p.required && p.default.is_some() {
        c.err(place, "a required parameter cannot have a default");
    }
    if let Some(d) = &p.default {
        let fits = match p.ty {
            Int => d.is_integer(),
            Bool => d.is_bool(),
            String | Decimal | Date | Datetime => d.is_str(),
            Enum => d.as_str().is_some_and(|v| p.values.iter().any(|x| x == v)),
            IntList | StringList | EnumList => d.is_str() || d.is_array(),
        };
        if !fits {
            c.err(place, format!("default {d} does not fit type {:?}", p.ty));
        }
    }
}

fn check_natural_key(
    c: &mut Checker<'_>,
    place: &str,
    m: &Method,
    key: &crate::model::NaturalKey,
    methods: &BTreeMap<&str, &Method>,
    structs: &BTreeMap<&str, &crate::model::Struct>,
) {
    let place = format!("{place}, natural_key");
    let own = |n: &str| m.params.iter().any(|p| p.name == n);
    if !own(&key.param) {
        c.err(
            &place,
            format!("param {:?} is not a parameter of the method", key.param),
        );
    }
    let Some(lookup) = methods.get(key.lookup.as_str()) else {
        c.err(
            &place,
            format!("lookup method {:?} is not defined", key.lookup),
        );
        return;
    };
    if lookup.safety != Safety::Read {
        c.err(
            &place,
            format!("lookup method {:?} is not a read", key.lookup),
        );
    }
    let theirs = |n: &str| lookup.params.iter().any(|p| p.name == n);
    if !theirs(&key.filter) {
        c.err(
            &place,
            format!(
                "filter {:?} is not a parameter of {}",
                key.filter, lookup.name
            ),
        );
    }
    for s in &key.scope {
        if !own(s) || !theirs(s) {
            c.err(
                &place,
                format!(
                    "scope parameter {s:?} must exist in both {} and {}",
                    m.name, lookup.name
                ),
            );
        }
    }
    let Response::List { item } = &lookup.response else {
        c.err(
            &place,
            format!("lookup method {} does not return a list", lookup.name),
        );
        return;
    };
    let Some(item) = structs.get(item.as_str()) else {
        return;
    };
    let has_field = |n: &str| item.fields.iter().any(|f| f.name == n);
    if !has_field(&key.field) {
        c.err(
            &place,
            format!("field {:?} is not a field of {}", key.field, item.name),
        );
    }
    let Response::Command { fields } = &m.response else {
        c.err(
            &place,
            "a method with a natural_key must have a command response",
        );
        return;
    };
    for r in &key.returns {
        if !has_field(r) {
            c.err(
                &place,
                format!("returns {r:?}, which is not a field of {}", item.name),
            );
        }
        if !fields.iter().any(|f| &f.name == r) {
            c.err(
                &place,
                format!("returns {r:?}, which is not a response field of {}", m.name),
            );
        }
    }
}
