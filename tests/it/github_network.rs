//! Proxies as runners behind a corporate proxy set them: plain-HTTP destinations go to the proxy in absolute
//! form, HTTPS destinations through a `CONNECT` tunnel carrying the proxy's credentials, and `NO_PROXY` hosts
//! are reached directly. The action takes the variables from its environment. And a GitHub Enterprise Server
//! whose certificate comes from an internal CA: trusted through `SSL_CERT_FILE` / `SSL_CERT_DIR`, refused
//! without (a real TLS server in front of the mock, `tests/fixtures/github/tls/`).

use crate::{action_support, fake_github, github_support};

use action_support::fake::FakeGithub;
use action_support::*;
use azengage::github::{Client, NetworkSettings, RepoSlug};
use github_support::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

fn client(api: &str, network: NetworkSettings) -> Client {
    let repo = RepoSlug::parse("contoso/webshop").unwrap();
    Client::new(api, Some(TOKEN.to_string()), repo)
        .unwrap()
        .with_network(network)
        .unwrap()
        .with_retry_policy(fast_policy())
}

#[tokio::test]
async fn plain_http_goes_through_the_proxy_in_absolute_form() -> TestResult {
    let proxy = MockServer::start().await;
    fake_github::list_comments(json!([]))
        .expect(1)
        .mount(&proxy)
        .await;
    // `.invalid` never resolves: the answer can only have come through the proxy.
    let c = client(
        "http://api.github.invalid",
        NetworkSettings {
            http_proxy: Some(proxy.uri()),
            ..NetworkSettings::default()
        },
    );
    assert!(c.list_issue_comments(42).await?.is_empty());
    let seen = proxy.received_requests().await.unwrap_or_default();
    assert_eq!(
        seen[0].url.host_str(),
        Some("api.github.invalid"),
        "absolute form"
    );
    Ok(())
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() -> TestResult {
    let server = MockServer::start().await;
    fake_github::list_comments(json!([]))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(
        &server.uri(),
        NetworkSettings {
            // Nothing listens there: used, it would fail.
            http_proxy: Some("http://127.0.0.1:9".into()),
            no_proxy: Some("localhost,127.0.0.1".into()),
            ..NetworkSettings::default()
        },
    );
    assert!(c.list_issue_comments(42).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_the_proxy_credentials() -> TestResult {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let proxy = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.expect("read");
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let _ = socket
            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            .await;
        String::from_utf8_lossy(&head).into_owned()
    });
    let c = client(
        "https://api.github.invalid",
        NetworkSettings {
            https_proxy: Some(format!("http://build:s3cret@127.0.0.1:{port}")),
            ..NetworkSettings::default()
        },
    );
    let refused = c.list_issue_comments(42).await;
    assert!(refused.is_err(), "the proxy refused the tunnel");
    let head = proxy.await?;
    let first = head.lines().next().unwrap_or_default();
    assert_eq!(first, "CONNECT api.github.invalid:443 HTTP/1.1", "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("proxy-authorization: basic ynvpbgq6cznjcmv0"),
        "{head}"
    );
    assert!(
        !head.contains(TOKEN),
        "the GitHub token never goes to the proxy"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_action_uses_the_proxy_from_its_environment() {
    let ws = workspace(true);
    write_event(
        &ws,
        "pull_request_opened.json",
        Some(&ws.base),
        Some(&ws.head),
    );
    let proxy = MockServer::start().await;
    let fake = FakeGithub::new();
    Mock::given(any())
        .respond_with(fake.clone())
        .mount(&proxy)
        .await;
    let proxy_uri = proxy.uri();
    let env = env(
        &ws,
        "pull_request",
        Some("http://api.github.invalid"),
        &[
            ("http_proxy", proxy_uri.as_str()),
            ("NO_PROXY", "example.com"),
        ],
    );
    let ran = run(&ws, env, "2026-11-20").await;
    assert_eq!(ran.result.exit_code, 0, "{}", ran.stderr);
    assert_eq!(fake.comments().len(), 1, "{}", ran.summary);
}

fn tls_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/github/tls")
        .join(name)
}

/// A TLS server with the fixture certificate that forwards each connection to `backend`; its port.
async fn tls_front(backend: std::net::SocketAddr) -> u16 {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(tls_fixture("server.pem"))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls_fixture("server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await
                    && let Ok(mut back) = tokio::net::TcpStream::connect(backend).await
                {
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut back).await;
                }
            });
        }
    });
    port
}

#[tokio::test]
async fn an_internal_ca_is_trusted_through_ssl_cert_file_or_dir_and_refused_without() -> TestResult
{
    let server = MockServer::start().await;
    fake_github::list_comments(json!([])).mount(&server).await;
    let port = tls_front(*server.address()).await;
    let api = format!("https://localhost:{port}");

    let unknown = client(&api, NetworkSettings::default())
        .list_issue_comments(42)
        .await;
    let text = format!(
        "{:?}",
        unknown.err().ok_or("an unknown CA must be refused")?
    );
    assert!(text.to_ascii_lowercase().contains("certificate"), "{text}");

    let by_file = NetworkSettings {
        cert_file: Some(tls_fixture("ca.pem")),
        ..NetworkSettings::default()
    };
    assert!(
        client(&api, by_file)
            .list_issue_comments(42)
            .await?
            .is_empty()
    );

    let dir = tempfile::tempdir()?;
    std::fs::copy(tls_fixture("ca.pem"), dir.path().join("contoso-ca.pem"))?;
    let by_dir = NetworkSettings {
        cert_dir: Some(dir.path().to_path_buf()),
        ..NetworkSettings::default()
    };
    assert!(
        client(&api, by_dir)
            .list_issue_comments(42)
            .await?
            .is_empty()
    );
    Ok(())
}
