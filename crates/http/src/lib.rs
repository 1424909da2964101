//! The one way Claurst builds an HTTP client.
//!
//! Every client (model APIs, `web_fetch`, MCP over HTTP) trusts the same roots: Mozilla's, bundled in the
//! binary, verified by rustls with the ring provider. Start-up never reads the system certificate store
//! (slow on some machines, and a second source of truth), and no C crypto library is built.

use std::sync::{Arc, OnceLock};

/// A client builder with Claurst's TLS settings; callers add their timeouts and headers.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().tls_backend_preconfigured(tls_config().as_ref().clone())
}

/// The TLS configuration shared by every client, built once.
fn tls_config() -> &'static Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            // The ring provider supports every safe default version; failing here is a build mistake.
            .unwrap_or_else(|error| panic!("rustls rejects its own defaults: {error}"))
            .with_root_certificates(roots)
            .with_no_client_auth();
        // HTTP/2 where the server offers it, as reqwest's own rustls set-up does.
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Arc::new(config)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_client_with_bundled_roots() {
        assert!(!tls_config().alpn_protocols.is_empty());
        client_builder().build().expect("a client with the bundled roots");
    }
}
