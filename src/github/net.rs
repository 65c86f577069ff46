//! How the client reaches GitHub: proxies and trusted roots.
//!
//! Runners behind a corporate proxy set `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (either case); GitHub
//! Enterprise Server often has a certificate from an internal CA, installed in the operating system's store or
//! named by `SSL_CERT_FILE` / `SSL_CERT_DIR`. Both are honoured with maintained crates: hyper-util's proxy
//! matcher (curl's rules for `NO_PROXY`) and its HTTP `CONNECT` tunnel, rustls-native-certs for the operating
//! system's roots and the two variables, and the bundled Mozilla roots (webpki-roots) so that a `FROM scratch`
//! image with no store at all still reaches github.com.
//!
//! HTTPS destinations go through the proxy in a `CONNECT` tunnel (TLS is end to end, with the proxy's
//! `user:password` sent as `Proxy-Authorization` on the `CONNECT`); plain-HTTP destinations (test servers)
//! are sent to the proxy in absolute form.

use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpStream;
use tower_service::Service;

/// Proxy and trust-store settings, usually read from the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkSettings {
    /// Proxy for HTTPS destinations (`HTTPS_PROXY`).
    pub https_proxy: Option<String>,
    /// Proxy for HTTP destinations (`HTTP_PROXY`).
    pub http_proxy: Option<String>,
    /// Proxy for both when the specific one is not set (`ALL_PROXY`).
    pub all_proxy: Option<String>,
    /// Hosts reached directly (`NO_PROXY`: comma-separated names, `.suffix`es, IPs, CIDRs, or `*`).
    pub no_proxy: Option<String>,
    /// A PEM file of extra trusted roots (`SSL_CERT_FILE`).
    pub cert_file: Option<PathBuf>,
    /// A directory of PEM files of extra trusted roots (`SSL_CERT_DIR`).
    pub cert_dir: Option<PathBuf>,
}

impl NetworkSettings {
    /// The settings of the current process (either case of each variable).
    pub fn from_process_env() -> Self {
        let get = |name: &str| {
            [name.to_ascii_lowercase(), name.to_string()]
                .iter()
                .find_map(|n| std::env::var(n).ok())
                .filter(|v| !v.trim().is_empty())
        };
        NetworkSettings {
            https_proxy: get("HTTPS_PROXY"),
            http_proxy: get("HTTP_PROXY"),
            all_proxy: get("ALL_PROXY"),
            no_proxy: get("NO_PROXY"),
            cert_file: std::env::var_os("SSL_CERT_FILE").map(PathBuf::from),
            cert_dir: std::env::var_os("SSL_CERT_DIR").map(PathBuf::from),
        }
    }

    /// The proxy matcher for these settings.
    pub(crate) fn matcher(&self) -> Matcher {
        let value = |v: &Option<String>| v.clone().unwrap_or_default();
        Matcher::builder()
            .https(value(&self.https_proxy))
            .http(value(&self.http_proxy))
            .all(value(&self.all_proxy))
            .no(value(&self.no_proxy))
            .build()
    }

    /// The TLS configuration: the bundled roots, the operating system's roots, and the extra roots of
    /// `SSL_CERT_FILE` / `SSL_CERT_DIR`. Unreadable extra roots are logged, not fatal (the bundled ones remain).
    pub(crate) fn tls_config(&self) -> Result<rustls::ClientConfig, super::GithubError> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let native = rustls_native_certs::load_native_certs();
        let (added, _) = roots.add_parsable_certificates(native.certs);
        tracing::debug!(added, "operating system roots");
        if self.cert_file.is_some() || self.cert_dir.is_some() {
            let extra = rustls_native_certs::load_certs_from_paths(
                self.cert_file.as_deref(),
                self.cert_dir.as_deref(),
            );
            for error in &extra.errors {
                tracing::warn!("extra trusted roots not read: {error}");
            }
            let (added, ignored) = roots.add_parsable_certificates(extra.certs);
            tracing::debug!(added, ignored, "roots from SSL_CERT_FILE / SSL_CERT_DIR");
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| super::GithubError::Setup(format!("TLS setup failed: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth())
    }
}

/// The connector below TLS: straight to the destination, through a `CONNECT` tunnel (HTTPS via a proxy), or to
/// the proxy itself (plain HTTP via a proxy, sent in absolute form).
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    http: HttpConnector,
    proxies: Arc<Matcher>,
}

impl ProxyConnector {
    pub(crate) fn new(settings: &NetworkSettings) -> Self {
        let mut http = HttpConnector::new();
        // The TLS layer above hands https:// destinations down to this connector.
        http.enforce_http(false);
        ProxyConnector {
            http,
            proxies: Arc::new(settings.matcher()),
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Service<http::Uri> for ProxyConnector {
    type Response = ProxiedStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxiedStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let mut http = self.http.clone();
        match self.proxies.intercept(&dst) {
            None => Box::pin(async move {
                let io = http.call(dst).await?;
                Ok(ProxiedStream { io, proxied: false })
            }),
            Some(proxy) if dst.scheme_str() == Some("https") => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), http);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                Box::pin(async move {
                    let io = tunnel.call(dst).await?;
                    Ok(ProxiedStream { io, proxied: false })
                })
            }
            Some(proxy) => {
                let at = proxy.uri().clone();
                Box::pin(async move {
                    let io = http.call(at).await?;
                    Ok(ProxiedStream { io, proxied: true })
                })
            }
        }
    }
}

/// A TCP stream that tells hyper whether it leads to a plain-HTTP proxy (hyper then sends absolute-form
/// request targets, which is what such a proxy needs).
pub(crate) struct ProxiedStream {
    io: TokioIo<TcpStream>,
    proxied: bool,
}

impl Connection for ProxiedStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl Read for ProxiedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for ProxiedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_follow_curls_rules() {
        let settings = NetworkSettings {
            https_proxy: Some("http://user:secret@proxy.corp:3128".into()),
            no_proxy: Some("localhost, .internal.corp, 10.0.0.0/8".into()),
            ..NetworkSettings::default()
        };
        let m = settings.matcher();
        let via = m
            .intercept(&http::Uri::from_static("https://api.github.com/repos"))
            .map(|p| p.uri().to_string());
        assert_eq!(via.as_deref(), Some("http://proxy.corp:3128/"));
        let auth = m
            .intercept(&http::Uri::from_static("https://api.github.com/"))
            .and_then(|p| p.basic_auth().cloned());
        assert!(auth.is_some(), "credentials go to the CONNECT");
        for direct in [
            "https://ghe.internal.corp/api/v3",
            "https://localhost:8443/",
            "https://10.1.2.3/",
            // No HTTP_PROXY given: plain http goes direct.
            "http://api.github.com/",
        ] {
            assert!(m.intercept(&direct.parse().unwrap()).is_none(), "{direct}");
        }
        assert!(
            NetworkSettings::default()
                .matcher()
                .intercept(&http::Uri::from_static("https://api.github.com/"))
                .is_none()
        );
    }

    #[test]
    fn extra_roots_are_added_and_a_missing_file_is_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let missing = NetworkSettings {
            cert_file: Some(dir.path().join("nope.pem")),
            ..NetworkSettings::default()
        };
        assert!(missing.tls_config().is_ok());
    }
}
