//! The Voximplant Management API protocol.
//!
//! Requests: `POST {base}/platform_api/{Method}` with the parameters in an
//! `application/x-www-form-urlencoded` body, never in the URL, so passwords stay out of proxy
//! logs. Answers: a JSON object with `result`, or `{"error":{code,msg,field_name}}` (with HTTP
//! 200 in practice), sometimes with an `errors` array listing every problem.

use serde_json::{Map, Value};

use crate::auth::VoximplantAuth;
use crate::base_url::BaseUrl;
use crate::endpoint::{ApiKind, Endpoint, MethodInfo, ResponseBody, VoximplantApi};
use crate::error::{excerpt, ApiError, ApiErrorEntry, ApiErrorKind, Error};
use crate::http::{HttpRequest, HttpResponse, FORM};
use crate::wire::FormWriter;

/// The sans-IO Voximplant client: base URL, credentials and the token cache.
#[derive(Debug)]
pub struct VoximplantClient {
    base: BaseUrl,
    auth: VoximplantAuth,
    user_agent: String,
}

impl VoximplantClient {
    /// `base_url` defaults to the public API host.
    pub fn new(auth: VoximplantAuth, base_url: Option<&str>) -> Result<Self, Error> {
        let base = BaseUrl::parse(base_url.unwrap_or(crate::api::voximplant::DEFAULT_BASE_URL))?;
        Self::with_base(auth, base)
    }

    /// A client with a base URL already parsed (by [`crate::settings::resolve_voximplant`]).
    /// A fixed token is checked by the rule of every token ([`crate::secret::secret_text`]).
    pub fn with_base(auth: VoximplantAuth, base: BaseUrl) -> Result<Self, Error> {
        let auth = match auth {
            VoximplantAuth::Token(token) => VoximplantAuth::Token(crate::secret::secret_text(
                "the token",
                &crate::secret::Source::Argument("token"),
                token.expose().as_bytes(),
            )?),
            other => other,
        };
        Ok(Self {
            base,
            auth,
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

    /// How requests are authorised.
    pub fn auth(&self) -> &VoximplantAuth {
        &self.auth
    }

    /// The same, to replace or refresh it.
    pub fn auth_mut(&mut self) -> &mut VoximplantAuth {
        &mut self.auth
    }

    /// Validates a typed request and builds the exact HTTP request. `now` is Unix seconds, used
    /// to sign or reuse the token.
    pub fn prepare<E: Endpoint<Api = VoximplantApi>>(
        &mut self,
        request: &E,
        now: u64,
    ) -> Result<HttpRequest, Error> {
        let w = request.to_wire()?;
        self.build(E::INFO, w, now)
    }

    /// Builds the request of a method from parameters already in wire form.
    pub fn build(
        &mut self,
        info: &'static MethodInfo,
        params: FormWriter,
        now: u64,
    ) -> Result<HttpRequest, Error> {
        let mut w = params;
        let mut headers = vec![
            ("content-type".to_owned(), FORM.to_owned()),
            ("accept".to_owned(), "application/json".to_owned()),
            ("user-agent".to_owned(), self.user_agent.clone()),
        ];
        let mut secret_params: Vec<&'static str> = info.secret_params().collect();
        match &mut self.auth {
            VoximplantAuth::ServiceAccount(account) => {
                let token = account.token(now)?;
                headers.insert(
                    0,
                    (
                        "authorization".to_owned(),
                        format!("Bearer {}", token.expose()),
                    ),
                );
            }
            VoximplantAuth::HostSigned(signer) => {
                let token = signer.token().ok_or_else(|| {
                    Error::Auth(
                        "no token yet: a call asks the host to sign one before its first request"
                            .to_owned(),
                    )
                })?;
                headers.insert(
                    0,
                    (
                        "authorization".to_owned(),
                        format!("Bearer {}", token.expose()),
                    ),
                );
            }
            VoximplantAuth::Provider(provided) => {
                let token = provided.token().ok_or_else(|| {
                    Error::Auth(
                        "no token yet: a call asks the token provider before its first request"
                            .to_owned(),
                    )
                })?;
                headers.insert(
                    0,
                    (
                        "authorization".to_owned(),
                        format!("Bearer {}", token.expose()),
                    ),
                );
            }
            VoximplantAuth::Token(token) => {
                headers.insert(
                    0,
                    (
                        "authorization".to_owned(),
                        format!("Bearer {}", token.expose()),
                    ),
                );
            }
            VoximplantAuth::ApiKey {
                account_id,
                api_key,
            } => {
                w.int("account_id", *account_id);
                w.str("api_key", api_key.expose());
                secret_params.push("api_key");
            }
        }
        Ok(HttpRequest {
            method: info.http_method,
            url: self.base.join(info.path),
            headers,
            body: w.urlencoded().into_bytes(),
            secret_params,
        })
    }
}

/// Reads an answer: the typed result, or the API error it carries, or why it is unreadable.
pub fn parse<R: ResponseBody>(response: &HttpResponse) -> Result<R, Error> {
    let body = &response.body;
    match R::from_body(body, ApiKind::Voximplant) {
        Ok(typed) => {
            if let Some(error) = typed.extra().get("error") {
                return Err(api_error(error, typed.extra().get("errors"), response.status).into());
            }
            if !response.is_success() {
                return Err(status_error(response));
            }
            if !typed.has_result() {
                return Err(Error::decode(
                    "the answer has neither `result` nor `error`",
                    body,
                ));
            }
            Ok(typed)
        }
        Err(e) => {
            // An error envelope whose other fields do not fit the expected type, or a gateway.
            if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
                if let Some(error) = map.get("error") {
                    return Err(api_error(error, map.get("errors"), response.status).into());
                }
            }
            if !response.is_success() {
                return Err(status_error(response));
            }
            Err(Error::decode(e, body))
        }
    }
}

fn status_error(response: &HttpResponse) -> Error {
    Error::HttpStatus {
        status: response.status,
        excerpt: excerpt(&response.body),
    }
}

fn entry(v: &Value) -> ApiErrorEntry {
    let empty = Map::new();
    let obj = v.as_object().unwrap_or(&empty);
    let code = match obj.get("code") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    };
    let msg = match (obj.get("msg").or_else(|| obj.get("message")), v) {
        (Some(Value::String(s)), _) => s.clone(),
        (_, Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let field_name = obj
        .get("field_name")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    ApiErrorEntry {
        code,
        msg,
        field_name,
    }
}

fn api_error(error: &Value, errors: Option<&Value>, http_status: u16) -> ApiError {
    let first = entry(error);
    let mut all: Vec<ApiErrorEntry> = errors
        .and_then(Value::as_array)
        .map(|items| items.iter().map(entry).collect())
        .unwrap_or_default();
    if all.is_empty() {
        all.push(first.clone());
    }
    ApiError {
        kind: ApiErrorKind::of_voximplant(first.code),
        code: first.code,
        msg: first.msg,
        field_name: first.field_name,
        errors: all,
        http_status,
    }
}
