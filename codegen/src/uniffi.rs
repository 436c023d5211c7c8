//! Generates the typed surface of the uniffi binding (`bindings/uniffi`), from which
//! uniffi-bindgen writes the Kotlin and Swift APIs.
//!
//! Per API it emits, as uniffi types in one flat namespace:
//! - a record per `[[struct]]` (every field optional, unknown fields kept in `extra` as JSON
//!   texts), converted from the core's typed struct;
//! - an enum per parameter enum;
//! - a record per method holding its parameters (required ones first, optional ones defaulting
//!   to absent), turned into the JSON of a call by name so the core validates it;
//! - a record per command answer, and a `{Item}Page` record per listed item type;
//! - an object per method group (`VoximplantUsers`) with one async method per spec method,
//!   reached from the client (`Voximplant.users()`), and a `{Item}Pager` object for auto-paging.
//!
//! No logic lives in the generated code: each method hands its parameters to the binding's
//! engine, which drives the core's call machine.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::check::enum_name;
use crate::model::{ApiFile, Field, Method, Paging, Param, ParamType, Response};
use crate::names::{camel, snake};
use crate::rust::{doc, field_ident, format_file};
use crate::types::FieldType;
use crate::Spec;

/// The `uniffi_api.rs` included by the `roster-uniffi` crate.
pub fn generate(spec: &Spec) -> String {
    check_unique_names(spec);
    let apis = spec.apis.iter().map(api_items);
    format_file(quote! {
        use std::collections::HashMap;
        use std::sync::Arc;

        // The clients the groups hang off (`Voximplant`, `Voiso`), written by hand: how each API
        // authenticates is not in the spec.
        #[allow(unused_imports)]
        use crate::client::*;
        use crate::engine::Engine;
        use crate::error::RosterError;
        use crate::pages::Pages;
        use crate::values::{put, FromCore, HostText, IdList, Money, NotText, Secret, ToParam};

        #(#apis)*
    })
}

/// uniffi has one namespace for all APIs: two types of one name would clash in Kotlin and
/// Swift. The spec prefixes Voiso's structs; this makes sure it stays that way.
fn check_unique_names(spec: &Spec) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for api in &spec.apis {
        let mut names: Vec<String> = api.structs.iter().map(|s| s.name.clone()).collect();
        names.extend(api.methods.iter().map(|m| m.name.clone()));
        names.extend(api.methods_by_group().keys().map(|g| group_type(api, g)));
        for name in names {
            if let Some(other) = seen.insert(name.clone(), api.api.name.clone()) {
                if other != api.api.name {
                    panic!(
                        "uniffi: the type name {name} is used by both the {other} and the {} API; \
                         rename one in the spec",
                        api.api.name
                    );
                }
            }
        }
    }
}

fn api_items(api: &ApiFile) -> TokenStream {
    let structs = api.structs.iter().map(|s| {
        let module = format_ident!("{}", api.api.name);
        let name = format_ident!("{}", s.name);
        record(
            &name,
            &s.doc,
            &s.fields,
            quote!(roster_core::api::#module::types::#name),
        )
    });

    let enums = api.enums();
    let enums = enums.iter().map(|(name, p)| param_enum(name, p));

    let methods = api.methods.iter().map(|m| method_types(api, m));
    let pagers = listed_items(api)
        .into_iter()
        .map(|item| page_types(api, item));

    let client = format_ident!("{}", camel(&api.api.name));
    let groups = api.methods_by_group();
    let accessors = groups.keys().map(|g| {
        let accessor = format_ident!("{}", g);
        let ty = format_ident!("{}", group_type(api, g));
        let adoc = format!(" The {g} methods.");
        quote! {
            #[doc = #adoc]
            pub fn #accessor(&self) -> Arc<#ty> {
                Arc::new(#ty { engine: self.engine.clone() })
            }
        }
    });
    let group_objects = groups.iter().map(|(g, methods)| group(api, g, methods));

    quote! {
        #(#structs)*
        #(#enums)*
        #(#methods)*
        #(#pagers)*
        #(#group_objects)*

        #[uniffi::export]
        impl #client {
            #(#accessors)*
        }
    }
}

fn group_type(api: &ApiFile, group: &str) -> String {
    format!("{}{}", camel(&api.api.name), camel(group))
}

/// A record of answer fields, with its conversion from the core's type `core`.
fn record(name: &syn::Ident, text: &str, fields: &[Field], core: TokenStream) -> TokenStream {
    let rdoc = doc(text);
    let decls = fields.iter().map(|f| {
        let ident = field_ident(&f.name);
        let ty = field_type(&parse_field(&f.ty));
        let fdoc = doc(&f.doc);
        quote! { #fdoc pub #ident: Option<#ty>, }
    });
    let converts = fields.iter().map(|f| {
        let ident = field_ident(&f.name);
        quote! { #ident: FromCore::from_core(c.#ident), }
    });
    quote! {
        #rdoc
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct #name {
            #(#decls)*
            /// Fields the spec does not name, as the server sent them (name to JSON text).
            pub extra: HashMap<String, String>,
        }

        impl FromCore<#core> for #name {
            fn from_core(c: #core) -> Self {
                Self {
                    #(#converts)*
                    extra: FromCore::from_core(c.extra),
                }
            }
        }
    }
}

fn parse_field(ty: &str) -> FieldType {
    // The checker has parsed every type already; a failure here is the generator's bug.
    FieldType::parse(ty).unwrap_or_else(|e| panic!("unchecked field type: {e}"))
}

fn field_type(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Int => quote!(i64),
        FieldType::String | FieldType::Date | FieldType::Json => quote!(String),
        FieldType::Bool => quote!(bool),
        FieldType::Decimal => quote!(Money),
        FieldType::Datetime => quote!(std::time::SystemTime),
        FieldType::Csv => quote!(Vec<String>),
        FieldType::Struct(s) => {
            let s = format_ident!("{}", s);
            quote!(#s)
        }
        FieldType::List(inner) => {
            let inner = field_type(inner);
            quote!(Vec<#inner>)
        }
    }
}

fn param_enum(name: &str, p: &Param) -> TokenStream {
    let ident = format_ident!("{}", name);
    let variants: Vec<syn::Ident> = p
        .values
        .iter()
        .map(|v| format_ident!("{}", camel(v)))
        .collect();
    let wires = &p.values;
    let vdocs = p.values.iter().map(|v| format!(" `{v}`"));
    let edoc = format!(" The values of `{}`.", p.name);
    quote! {
        #[doc = #edoc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum #ident {
            #(#[doc = #vdocs] #variants,)*
        }

        impl ToParam for #ident {
            fn to_param(self) -> Result<serde_json::Value, NotText> {
                let wire = match self {
                    #(Self::#variants => #wires,)*
                };
                Ok(wire.into())
            }
        }
    }
}

fn param_type(m: &Method, p: &Param) -> TokenStream {
    match p.ty {
        ParamType::Int => quote!(i64),
        // Text crosses as its bytes and is checked here, naming the parameter (a Kotlin
        // string can hold a lone surrogate, which has no UTF-8 form): `String` in Kotlin and
        // Swift all the same (`uniffi.toml`).
        ParamType::String if p.secret => quote!(Secret),
        ParamType::String | ParamType::Date | ParamType::Datetime => quote!(HostText),
        ParamType::Bool => quote!(bool),
        ParamType::Decimal => quote!(Money),
        ParamType::IntList => quote!(IdList),
        ParamType::StringList => quote!(Vec<HostText>),
        ParamType::Enum => {
            let e = format_ident!("{}", enum_name(m, p));
            quote!(#e)
        }
        ParamType::EnumList => {
            let e = format_ident!("{}", enum_name(m, p));
            quote!(Vec<#e>)
        }
    }
}

/// The parameter record and, for commands, the answer record of one method.
fn method_types(api: &ApiFile, m: &Method) -> TokenStream {
    let name = format_ident!("{}", m.name);
    let module = format_ident!("{}", api.api.name);
    let group = format_ident!("{}", m.group);
    let pdoc = doc(&format!("The parameters of `{}`.", m.name));

    // Required parameters first, so positional use in Kotlin and Swift reads naturally.
    let mut params: Vec<&Param> = m.params.iter().filter(|p| p.required).collect();
    params.extend(m.params.iter().filter(|p| !p.required));
    let decls = params.iter().map(|p| {
        let ident = field_ident(&p.name);
        let ty = param_type(m, p);
        let mut text = p.doc.trim().to_owned();
        if matches!(p.ty, ParamType::Date) {
            text.push_str(" Format `YYYY-MM-DD`.");
        }
        if matches!(p.ty, ParamType::Datetime) {
            text.push_str(" Format `YYYY-MM-DD HH:MM:SS`, UTC.");
        }
        let fdoc = doc(&text);
        if p.required {
            quote! { #fdoc pub #ident: #ty, }
        } else {
            quote! { #fdoc #[uniffi(default = None)] pub #ident: Option<#ty>, }
        }
    });
    let puts = params.iter().map(|p| {
        let ident = field_ident(&p.name);
        let wire = &p.name;
        if p.required {
            quote! { put(&mut map, #wire, Some(self.#ident))?; }
        } else {
            quote! { put(&mut map, #wire, self.#ident)?; }
        }
    });
    let params_record = quote! {
        #pdoc
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct #name {
            #(#decls)*
        }

        impl #name {
            /// The parameters as the JSON of a call by name; text that is not UTF-8 is the
            /// core's validation error naming its parameter.
            fn into_params(self) -> Result<serde_json::Map<String, serde_json::Value>, RosterError> {
                #[allow(unused_mut)]
                let mut map = serde_json::Map::new();
                #(#puts)*
                Ok(map)
            }
        }
    };
    let answer = match &m.response {
        Response::Command { fields } => {
            let resp = format_ident!("{}Response", m.name);
            let mut all = vec![Field {
                name: "result".into(),
                ty: "int".into(),
                doc: "`1` when the command was carried out.".into(),
            }];
            all.extend(fields.iter().cloned());
            record(
                &resp,
                &format!("The answer to `{}`.", m.name),
                &all,
                quote!(roster_core::api::#module::#group::#resp),
            )
        }
        Response::List { .. } => quote!(),
    };
    quote! { #params_record #answer }
}

/// The item types of the API's list methods, each once.
fn listed_items(api: &ApiFile) -> Vec<&str> {
    let mut items: Vec<&str> = api
        .methods
        .iter()
        .filter_map(|m| match &m.response {
            Response::List { item } => Some(item.as_str()),
            Response::Command { .. } => None,
        })
        .collect();
    items.sort_unstable();
    items.dedup();
    items
}

/// `{Item}Page` (one page's answer) and `{Item}Pager` (auto-paging).
fn page_types(api: &ApiFile, item: &str) -> TokenStream {
    let module = format_ident!("{}", api.api.name);
    let item_ident = format_ident!("{}", item);
    let page = format_ident!("{}Page", item);
    let pager = format_ident!("{}Pager", item);
    let core_item = quote!(roster_core::api::#module::types::#item_ident);
    let page_doc = format!(" One page of {item} records.");
    let pager_doc = format!(
        " Every {item} of a listing, page by page. Safe while records are added and deleted: \
         no record is yielded twice, and none that existed for the whole listing is skipped."
    );
    quote! {
        #[doc = #page_doc]
        #[derive(Debug, Clone, PartialEq, uniffi::Record)]
        pub struct #page {
            pub items: Vec<#item_ident>,
            /// Every record matching the filter, across all pages, when the server says.
            pub total_count: Option<i64>,
            /// The records in this page, as the server counted them.
            pub count: Option<i64>,
            /// Fields of the answer the spec does not name (name to JSON text).
            pub extra: HashMap<String, String>,
        }

        impl FromCore<roster_core::Page<#core_item>> for #page {
            fn from_core(c: roster_core::Page<#core_item>) -> Self {
                Self {
                    items: FromCore::from_core(c.items),
                    total_count: c.total_count,
                    count: c.count,
                    extra: FromCore::from_core(c.extra),
                }
            }
        }

        #[doc = #pager_doc]
        #[derive(uniffi::Object)]
        pub struct #pager(Pages<#core_item>);

        #[uniffi::export]
        impl #pager {
            /// The next records not yielded before (never an empty batch: a page that brings
            /// nothing new is followed by the next one), or null when the listing is complete,
            /// then null again without sending. After an error, calling again asks for the
            /// same page.
            pub async fn next(&self) -> Result<Option<Vec<#item_ident>>, RosterError> {
                Ok(self.0.next().await?.map(FromCore::from_core))
            }
        }
    }
}

/// One group's object and its methods.
fn group(api: &ApiFile, g: &str, methods: &[&Method]) -> TokenStream {
    let ty = format_ident!("{}", group_type(api, g));
    let module = format_ident!("{}", api.api.name);
    let group = format_ident!("{}", g);
    let gdoc = format!(" The {g} methods of the {}.", api.api.title);
    let fns = methods.iter().map(|m| {
        let f = format_ident!("{}", snake(&m.name));
        let req = format_ident!("{}", m.name);
        let core_req = quote!(roster_core::api::#module::#group::#req);
        let mut text = m.doc.trim().to_owned();
        text.push_str("\n\n");
        text.push_str(&m.roles_and_safety());
        let fdoc = doc(&text);
        let answer = match &m.response {
            Response::Command { .. } => {
                let resp = format_ident!("{}Response", m.name);
                quote!(#resp)
            }
            Response::List { item } => {
                let page = format_ident!("{}Page", item);
                quote!(#page)
            }
        };
        let call = quote! {
            #fdoc
            pub async fn #f(&self, params: #req) -> Result<#answer, RosterError> {
                let answer = self.engine.call::<#core_req>(params.into_params()?).await?;
                Ok(FromCore::from_core(answer))
            }
        };
        let pager = match (&m.response, m.paging) {
            (Response::List { item }, Paging::CountOffset | Paging::LimitOffset) => {
                let pages_fn = format_ident!("{}_pager", snake(&m.name));
                let pager = format_ident!("{}Pager", item);
                let pdoc = format!(
                    " Every {item} `{}` lists, fetched page by page as `next()` is called. \
                     The parameters' page size is kept; their offset is where the listing starts.",
                    m.name
                );
                quote! {
                    #[doc = #pdoc]
                    pub fn #pages_fn(&self, params: #req) -> Result<Arc<#pager>, RosterError> {
                        let pages = Pages::new::<#core_req>(self.engine.clone(), params.into_params()?)?;
                        Ok(Arc::new(#pager(pages)))
                    }
                }
            }
            _ => quote!(),
        };
        quote! { #call #pager }
    });
    quote! {
        #[doc = #gdoc]
        #[derive(uniffi::Object)]
        pub struct #ty {
            engine: Arc<Engine>,
        }

        #[uniffi::export]
        impl #ty {
            #(#fns)*
        }
    }
}
