//! Generates the grouped, typed methods of the native Rust client (`bindings/rust`).
//!
//! For each API the client type (`Voximplant`, `Voiso`) gets one accessor per group
//! (`users()`, `skills()`, ...) returning a borrowed view whose async methods each send one
//! typed request through the client's single `send`. Nothing here knows HTTP.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{ApiFile, Method};
use crate::names::{camel, snake};
use crate::Spec;

/// The `client.rs` included by the `roster` crate.
pub fn generate(spec: &Spec) -> String {
    let apis = spec.apis.iter().map(api_groups);
    crate::rust::format_file(quote!(#(#apis)*))
}

fn api_groups(api: &ApiFile) -> TokenStream {
    let client = format_ident!("{}", camel(&api.api.name));
    let module = format_ident!("{}", api.api.name);
    let mut groups: BTreeMap<&str, Vec<&Method>> = BTreeMap::new();
    for m in &api.methods {
        groups.entry(m.group.as_str()).or_default().push(m);
    }
    let accessors = groups.keys().map(|g| {
        let accessor = format_ident!("{}", g);
        let view = format_ident!("{}{}", client, camel(g));
        let adoc = format!(" The {g} methods.");
        quote! {
            #[doc = #adoc]
            pub fn #accessor(&self) -> #view<'_> {
                #view { client: self }
            }
        }
    });
    let views = groups.iter().map(|(g, methods)| {
        let view = format_ident!("{}{}", client, camel(g));
        let group = format_ident!("{}", g);
        let vdoc = format!(" The {g} methods of the {}.", api.api.title);
        let fns = methods.iter().map(|m| {
            let f = format_ident!("{}", snake(&m.name));
            let req = format_ident!("{}", m.name);
            let resp = format_ident!("{}Response", m.name);
            let mut text = m.doc.trim().to_owned();
            text.push_str(&format!("\n\nSends [`{}`](crate::{module}::{g}::{}).", m.name, m.name, module = api.api.name, g = g));
            let fdoc = crate::rust::doc(&text);
            quote! {
                #fdoc
                pub async fn #f(&self, request: crate::#module::#group::#req) -> Result<crate::#module::#group::#resp, crate::Error> {
                    self.client.send(request).await
                }
            }
        });
        quote! {
            #[doc = #vdoc]
            #[derive(Clone, Copy, Debug)]
            pub struct #view<'a> {
                client: &'a crate::#client,
            }

            impl #view<'_> {
                #(#fns)*
            }
        }
    });
    quote! {
        impl crate::#client {
            #(#accessors)*
        }
        #(#views)*
    }
}
