//! The default transport, on reqwest with rustls (ring): keep-alive pooling, HTTP/2 where the
//! server offers it, the platform's web roots plus an optional extra CA (the local emulator's).

use std::error::Error as _;
use std::time::Duration;

use roster_core::call::Timeouts;
use roster_core::{
    Error, HttpMethod, HttpRequest, HttpResponse, TransportError, TransportErrorKind,
};

use crate::transport::{BoxFuture, Transport};

/// An HTTP transport on a shared `reqwest::Client`.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// `ca_pem` adds a trusted root (PEM), for servers with a private CA such as the emulator.
    /// reqwest applies a connect timeout per client, so `connect_timeout` is set here (the
    /// builders pass their policy's) rather than per attempt.
    pub fn new(ca_pem: Option<&[u8]>, connect_timeout: Duration) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .use_rustls_tls();
        if let Some(pem) = ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::Config(format!("the CA certificate is not valid PEM: {e}")))?;
            if certs.is_empty() {
                return Err(Error::Config("the CA PEM holds no certificate".to_owned()));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .build()
            .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Self { client })
    }

    /// Wraps a client configured elsewhere (proxies, custom DNS, ...).
    pub fn from_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: HttpRequest,
        timeouts: Timeouts,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let method = match request.method {
                HttpMethod::Get => reqwest::Method::GET,
                HttpMethod::Post => reqwest::Method::POST,
            };
            let mut builder = self
                .client
                .request(method, request.url.as_str())
                .timeout(timeouts.total);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if !request.body.is_empty() {
                builder = builder.body(request.body);
            }
            let response = builder.send().await.map_err(classify)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = response.bytes().await.map_err(|e| {
                let kind = if e.is_timeout() {
                    TransportErrorKind::TimedOut
                } else {
                    TransportErrorKind::Interrupted
                };
                TransportError::new(kind, format!("reading the answer failed: {}", describe(&e)))
            })?;
            Ok(HttpResponse {
                status,
                headers,
                body: body.to_vec(),
            })
        })
    }
}

/// Whether the request may have reached the server decides retries, so connection failures
/// (which include DNS, refusals, connect timeouts and TLS handshakes) are told apart.
fn classify(e: reqwest::Error) -> TransportError {
    let kind = if e.is_connect() {
        TransportErrorKind::NotSent
    } else if e.is_timeout() {
        TransportErrorKind::TimedOut
    } else {
        TransportErrorKind::Interrupted
    };
    TransportError::new(kind, describe(&e))
}

/// The error and its causes, without the URL's query (headers and body are never included).
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        let mut shown = url.clone();
        shown.set_query(None);
        text = text.replace(url.as_str(), shown.as_str());
    }
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
