//! Voiso's user management protocol.
//!
//! Requests: `GET {base}{path}?filters` with `Authorization: Bearer <contact-center API key>`.
//! Answers: bare JSON (an array of users); errors are `{"error":"..."}` or
//! `{"errors":{"field":["..."]}}` with a 4xx status.

use serde_json::Value;

use crate::base_url::BaseUrl;
use crate::endpoint::{ApiKind, Endpoint, MethodInfo, ResponseBody, VoisoApi};
use crate::error::{excerpt, ApiError, ApiErrorEntry, ApiErrorKind, Error};
use crate::http::{HttpRequest, HttpResponse};
use crate::secret::Secret;
use crate::wire::FormWriter;

/// The sans-IO Voiso client: base URL (cluster host, optional `/api` prefix) and API key.
#[derive(Debug)]
pub struct VoisoClient {
    base: BaseUrl,
    api_key: Secret<String>,
    user_agent: String,
}

impl VoisoClient {
    /// A client with this key (checked by the rule of every key:
    /// [`crate::secret::secret_text`]); `base_url` defaults to the public cluster.
    pub fn new(api_key: impl Into<Secret<String>>, base_url: Option<&str>) -> Result<Self, Error> {
        let base = BaseUrl::parse(base_url.unwrap_or(crate::api::voiso::DEFAULT_BASE_URL))?;
        Self::with_base(api_key.into(), base)
    }

    /// A client with a base URL already parsed (by [`crate::settings::resolve_voiso`]).
    pub fn with_base(api_key: Secret<String>, base: BaseUrl) -> Result<Self, Error> {
        let api_key = crate::secret::secret_text(
            "the Voiso API key",
            &crate::secret::Source::Argument("api_key"),
            api_key.expose().as_bytes(),
        )?;
        Ok(Self {
            base,
            api_key,
            user_agent: super::user_agent("rust"),
        })
    }

    /// Names the binding in the `User-Agent` header (`python`, `wasm`, ...).
    #[must_use]
    pub fn with_binding(mut self, binding: &str) -> Self {
        self.user_agent = super::user_agent(binding);
        self
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    /// Validates a typed request and builds the exact HTTP request: `GET {base}{path}` with the
    /// parameters as query filters and the API key as a bearer token.
    pub fn prepare<E: Endpoint<Api = VoisoApi>>(&self, request: &E) -> Result<HttpRequest, Error> {
        let w = request.to_wire()?;
        Ok(self.build(E::INFO, w))
    }

    /// Builds the request of a method from parameters already in wire form; nothing is
    /// validated here.
    pub fn build(&self, info: &'static MethodInfo, params: FormWriter) -> HttpRequest {
        let mut url = self.base.join(info.path);
        if !params.pairs().is_empty() {
            url.push('?');
            url.push_str(&params.urlencoded());
        }
        HttpRequest {
            method: info.http_method,
            url,
            headers: vec![
                (
                    "authorization".to_owned(),
                    format!("Bearer {}", self.api_key.expose()),
                ),
                ("accept".to_owned(), "application/json".to_owned()),
                ("user-agent".to_owned(), self.user_agent.clone()),
            ],
            body: Vec::new(),
            secret_params: info.secret_params().collect(),
        }
    }
}

/// Reads an answer: the typed result, the API error, or why it is unreadable.
pub fn parse<R: ResponseBody>(response: &HttpResponse) -> Result<R, Error> {
    let body = &response.body;
    // An object with `error`/`errors` is an error whatever the status; a user object has
    // neither key, so checking the shape first is cheap and unambiguous.
    let starts_object = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if starts_object || !response.is_success() {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
            if map.contains_key("error") || map.contains_key("errors") {
                return Err(api_error(&map, response.status).into());
            }
        }
    }
    if !response.is_success() {
        return Err(Error::HttpStatus {
            status: response.status,
            excerpt: excerpt(body),
        });
    }
    R::from_body(body, ApiKind::Voiso).map_err(|e| Error::decode(e, body))
}

fn api_error(map: &serde_json::Map<String, Value>, status: u16) -> ApiError {
    let mut errors = Vec::new();
    if let Some(Value::Object(fields)) = map.get("errors") {
        for (field, messages) in fields {
            let messages: Vec<String> = match messages {
                Value::Array(items) => items
                    .iter()
                    .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_owned))
                    .collect(),
                Value::String(s) => vec![s.clone()],
                other => vec![other.to_string()],
            };
            for msg in messages {
                errors.push(ApiErrorEntry {
                    code: i64::from(status),
                    msg,
                    field_name: Some(field.clone()),
                });
            }
        }
    }
    let msg = match map.get("error") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) => o
            .get("message")
            .or_else(|| o.get("msg"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => errors
            .first()
            .map(|e| format!("{}: {}", e.field_name.as_deref().unwrap_or(""), e.msg))
            .unwrap_or_default(),
    };
    // Voiso has sent its "Invalid User API Key" with a success status too.
    let status_for_kind =
        if (200..300).contains(&status) && msg.to_ascii_lowercase().contains("api key") {
            401
        } else {
            status
        };
    let field_name = errors.first().and_then(|e| e.field_name.clone());
    if errors.is_empty() {
        errors.push(ApiErrorEntry {
            code: i64::from(status),
            msg: msg.clone(),
            field_name: None,
        });
    }
    ApiError {
        code: i64::from(status),
        msg,
        field_name,
        errors,
        http_status: status,
        kind: ApiErrorKind::of_http_status(status_for_kind),
    }
}
