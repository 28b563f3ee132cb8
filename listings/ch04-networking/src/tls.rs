//! TLS for the demo: a self-signed certificate made at run time, and a client that trusts exactly
//! that certificate and nothing else.

use std::sync::Arc;

use rustls::crypto::ring;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ClientConfig, RootCertStore, ServerConfig, SupportedProtocolVersion};

use crate::Error;

/// Which TLS versions a client offers. The server in this crate accepts both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsVersion {
    /// TLS 1.2 (RFC 5246): the full handshake takes two round trips.
    V1_2,
    /// TLS 1.3 (RFC 8446): the full handshake takes one round trip.
    V1_3,
}

// ANCHOR: self_signed
/// A certificate and key generated when the program starts, valid for the given names.
///
/// Nothing is read from disk and no private key is committed to the repository. A real service
/// gets its certificate from a CA (Let's Encrypt, an internal CA); the client side is the same
/// idea either way: a root store, holding here exactly one certificate, our own.
pub struct SelfSigned {
    cert: CertificateDer<'static>,
    key: PrivatePkcs8KeyDer<'static>,
}

impl SelfSigned {
    /// Generate a fresh key pair and a self-signed certificate for `names` (e.g. `["localhost"]`).
    pub fn generate(names: &[&str]) -> Result<Self, Error> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let certified = rcgen::generate_simple_self_signed(names)
            .map_err(|e| Error::TlsSetup(format!("generating the certificate: {e}")))?;
        Ok(Self {
            cert: certified.cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()),
        })
    }

    // ANCHOR_END: self_signed

    /// A server configuration presenting this certificate, speaking TLS 1.2 and 1.3.
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, Error> {
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .map_err(|e| Error::TlsSetup(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(
                vec![self.cert.clone()],
                PrivateKeyDer::from(self.key.clone_key()),
            )
            .map_err(|e| Error::TlsSetup(e.to_string()))?;
        Ok(Arc::new(config))
    }

    // ANCHOR: client_config
    /// A client configuration whose only trusted root is this certificate.
    pub fn client_config(&self, version: TlsVersion) -> Result<Arc<ClientConfig>, Error> {
        let mut roots = RootCertStore::empty();
        roots
            .add(self.cert.clone())
            .map_err(|e| Error::TlsSetup(e.to_string()))?;
        let versions: &[&SupportedProtocolVersion] = match version {
            TlsVersion::V1_2 => &[&rustls::version::TLS12],
            TlsVersion::V1_3 => &[&rustls::version::TLS13],
        };
        let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_protocol_versions(versions)
            .map_err(|e| Error::TlsSetup(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }
    // ANCHOR_END: client_config
}
