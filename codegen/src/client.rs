//! Generates the grouped, typed methods of the native Rust client (`bindings/rust`).
//!
//! For each API the client type (`Voximplant`, `Voiso`) gets one accessor per group
//! (`users()`, `skills()`, ...) returning a borrowed view whose async methods each send one
//! typed request through the client's single `send`. Nothing here knows HTTP.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{ApiFile, Method, Paging};
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
    let groups = api.methods_by_group();
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
            let fdoc = crate::rust::doc(&method_doc(api, m));
            // `self` by value (the view is `Copy`): the future then borrows only the client,
            // not the temporary view, so `vox.users().add_user(r)` can be stored, joined or
            // collected, not just awaited on the spot.
            let pages = (m.paging != Paging::None).then(|| {
                let iter = format_ident!("{}", crate::names::pager_name(&m.name));
                let idoc = format!(
                    " Every record [`{}`](crate::{}::{}::{}) lists, fetched page by page as they are consumed; see [`Pages`](crate::Pages).",
                    m.name, api.api.name, m.group, m.name
                );
                quote! {
                    #[doc = #idoc]
                    pub fn #iter(self, request: crate::#module::#group::#req) -> crate::Pages<crate::#module::#group::#req> {
                        self.client.pages(request)
                    }
                }
            });
            quote! {
                #fdoc
                pub async fn #f(self, request: crate::#module::#group::#req) -> Result<crate::#module::#group::#resp, crate::Error> {
                    self.client.send(request).await
                }
                #pages
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

/// The spec's doc of a method, then who may call it and whether it is safe to repeat: what a
/// caller wants to know at the call site.
fn method_doc(api: &ApiFile, m: &Method) -> String {
    let mut text = m.doc.trim().to_owned();
    let link = format!("crate::{}::{}::{}", api.api.name, m.group, m.name);
    text.push_str(&format!("\n\nSends [`{}`]({link}).", m.name));
    text.push(' ');
    text.push_str(&m.roles_and_safety());
    text
}
