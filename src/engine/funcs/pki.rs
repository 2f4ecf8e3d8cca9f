//! Sprig's private keys and certificates (Sprig v3.3.0 crypto.go, as Helm v4.1.4 pins it):
//! `genPrivateKey`, `genCA`, `genSelfSignedCert`, `genSignedCert` (each also `...WithKey`,
//! taking a PEM key) and `buildCustomCert`.
//!
//! Certificates are built as Sprig's templates ask Go 1.25's crypto/x509 to build them:
//! a random 128-bit serial, the subject's CN only, valid from now for `days` days, key usage
//! (critical) digital signature and key encipherment (CAs: also certificate signing), extended
//! key usage server and client auth, basic constraints (critical, `CA:TRUE` for CAs), a
//! subject key id for CAs (the first 20 bytes of the SHA-256 of the public key, Go 1.25's
//! rule), the CA's key id as authority key id, and DNS names then IPs as alternate names (critical
//! when the subject is empty);
//! extensions in Go's order. Keys and certificates are PEM as Go's encoding/pem writes them,
//! under the headers Sprig uses (`RSA PRIVATE KEY`, `EC PRIVATE KEY`, `PRIVATE KEY`).
//! Randomness (keys, serials, ECDSA nonces' extra entropy) comes from the OS's CSPRNG.

use super::der::{self, Tlv};
use super::{err, is_nil, items, read_map, text, to_i64, want, Func};
use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::{Error, Value};
use sha2::Digest as _;
use std::sync::Arc;

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("genPrivateKey", gen_private_key),
    ("genCA", gen_ca),
    ("genCAWithKey", gen_ca_with_key),
    ("genSelfSignedCert", gen_self_signed_cert),
    ("genSelfSignedCertWithKey", gen_self_signed_cert_with_key),
    ("genSignedCert", gen_signed_cert),
    ("genSignedCertWithKey", gen_signed_cert_with_key),
    ("buildCustomCert", build_custom_cert),
];

// Object identifiers (encoded bodies).
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_SHA256_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_CN: &[u8] = &[0x55, 0x04, 0x03];
const OID_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
const OID_EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
const OID_SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1d, 0x0e];
const OID_AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];
const OID_SAN: &[u8] = &[0x55, 0x1d, 0x11];
const OID_SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
const OID_CLIENT_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];

/// Sprig's `certificate` struct: `.Cert` and `.Key`, PEM strings.
#[derive(Debug, Clone)]
pub(crate) struct Certificate {
    pub cert: String,
    pub key: String,
}

impl Object for Certificate {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "Cert" => Some(Value::from(self.cert.as_str())),
            "Key" => Some(Value::from(self.key.as_str())),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["Cert", "Key"])
    }
}

/// A private key Sprig can hold.
enum Key {
    Rsa(Box<rsa::PrivateKey>),
    Ec(p256::SecretKey),
    Ed(ed25519_dalek::SigningKey),
    /// Go parses DSA keys but x509 cannot sign with them.
    Dsa,
}

fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| e.to_string())?;
    Ok(b)
}

impl Key {
    fn generate_rsa(bits: usize) -> Result<Key, String> {
        rsa::PrivateKey::new(&mut getrandom::SysRng, bits)
            .map(|k| Key::Rsa(Box::new(k)))
            .map_err(|e| e.to_string())
    }

    fn generate_ec() -> Result<Key, String> {
        loop {
            let b: [u8; 32] = random_bytes()?;
            if let Ok(k) = p256::SecretKey::from_slice(&b) {
                return Ok(Key::Ec(k));
            }
        }
    }

    fn generate_ed() -> Result<Key, String> {
        Ok(Key::Ed(ed25519_dalek::SigningKey::from_bytes(
            &random_bytes()?,
        )))
    }

    /// The key as Sprig's `pemBlockForKey` writes it.
    fn to_pem(&self) -> Result<String, String> {
        use rsa::pkcs1::EncodeRsaPrivateKey as _;
        match self {
            Key::Rsa(k) => {
                let der = k.to_pkcs1_der().map_err(|e| e.to_string())?;
                Ok(der::pem_encode("RSA PRIVATE KEY", der.as_bytes()))
            }
            Key::Ec(k) => {
                let der = k.to_sec1_der().map_err(|e| e.to_string())?;
                Ok(der::pem_encode("EC PRIVATE KEY", &der))
            }
            Key::Ed(k) => {
                // Go's MarshalPKCS8PrivateKey: version 0, the OID alone, the seed.
                let inner = der::tlv(der::OCTET_STRING, k.as_bytes());
                let body = der::seq(&[
                    der::uint(&[0]),
                    der::seq(&[der::oid(OID_ED25519)]),
                    der::tlv(der::OCTET_STRING, &inner),
                ]);
                Ok(der::pem_encode("PRIVATE KEY", &body))
            }
            Key::Dsa => {
                Err("x509: unknown key type while marshaling PKCS#8: *dsa.PrivateKey".into())
            }
        }
    }

    /// The DER SubjectPublicKeyInfo.
    fn spki(&self) -> Result<Vec<u8>, String> {
        use rsa::pkcs1::EncodeRsaPublicKey as _;
        match self {
            Key::Rsa(k) => {
                let pk = k
                    .to_public_key()
                    .to_pkcs1_der()
                    .map_err(|e| e.to_string())?;
                Ok(der::seq(&[
                    der::seq(&[der::oid(OID_RSA), der::tlv(der::NULL, &[])]),
                    der::bits(pk.as_bytes()),
                ]))
            }
            Key::Ec(k) => {
                use p256::elliptic_curve::sec1::ToSec1Point as _;
                let point = k.public_key().to_sec1_point(false);
                Ok(der::seq(&[
                    der::seq(&[der::oid(OID_EC), der::oid(OID_P256)]),
                    der::bits(point.as_bytes()),
                ]))
            }
            Key::Ed(k) => Ok(der::seq(&[
                der::seq(&[der::oid(OID_ED25519)]),
                der::bits(k.verifying_key().as_bytes()),
            ])),
            Key::Dsa => Err("unsupported".into()),
        }
    }

    /// The signature AlgorithmIdentifier Go picks for this signing key.
    fn signature_algorithm(&self) -> Result<Vec<u8>, String> {
        match self {
            Key::Rsa(_) => Ok(der::seq(&[
                der::oid(OID_SHA256_RSA),
                der::tlv(der::NULL, &[]),
            ])),
            Key::Ec(_) => Ok(der::seq(&[der::oid(OID_ECDSA_SHA256)])),
            Key::Ed(_) => Ok(der::seq(&[der::oid(OID_ED25519)])),
            Key::Dsa => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            Key::Rsa(k) => k
                .pkcs1v15_sign::<sha2::Sha256>(msg)
                .map_err(|e| e.to_string()),
            Key::Ec(k) => {
                use p256::ecdsa::signature::Signer as _;
                let sk = p256::ecdsa::SigningKey::from(k);
                let sig: p256::ecdsa::Signature = sk.try_sign(msg).map_err(|e| e.to_string())?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
            Key::Ed(k) => {
                use ed25519_dalek::Signer as _;
                Ok(k.sign(msg).to_bytes().to_vec())
            }
            Key::Dsa => {
                Err("x509: certificate private key does not implement crypto.Signer".into())
            }
        }
    }
}

/// Sprig's `parsePrivateKeyPEM`, with its messages.
fn parse_private_key_pem(pem: &str) -> Result<Key, String> {
    let (typ, body) = der::pem_decode(pem).ok_or("no PEM data in input")?;
    if typ == "PRIVATE KEY" {
        return parse_pkcs8(&body).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
    }
    let Some(kind) = typ.strip_suffix(" PRIVATE KEY") else {
        return Err(format!("no private key data in PEM block of type {typ}"));
    };
    match kind {
        "RSA" => parse_pkcs1(&body).map_err(|e| format!("parsing RSA private key from PEM: {e}")),
        "EC" => parse_sec1(&body).map_err(|e| format!("parsing EC private key from PEM: {e}")),
        "DSA" => parse_dsa(&body).map_err(|e| format!("parsing DSA private key from PEM: {e}")),
        _ => Err(format!("invalid private key type {typ}")),
    }
}

const ASN1_STRUCTURE: &str = "asn1: structure error: tags don't match";

fn parse_pkcs1(body: &[u8]) -> Result<Key, String> {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    if der::read_only(body, der::SEQUENCE).is_none() {
        return Err(ASN1_STRUCTURE.into());
    }
    rsa::PrivateKey::from_pkcs1_der(body)
        .map(|k| Key::Rsa(Box::new(k)))
        .map_err(|_| "x509: invalid RSA private key".to_string())
}

fn parse_sec1(body: &[u8]) -> Result<Key, String> {
    let seq = der::read_only(body, der::SEQUENCE).ok_or(ASN1_STRUCTURE)?;
    let kids = der::children(seq.content).ok_or(ASN1_STRUCTURE)?;
    // version, privateKey, [0] parameters, [1] publicKey
    if let Some(params) = kids.iter().find(|t| t.tag == 0xa0) {
        let curve = der::read_only(params.content, der::OID).ok_or(ASN1_STRUCTURE)?;
        if curve.content != OID_P256 {
            return Err("x509: unknown elliptic curve".into());
        }
    }
    p256::SecretKey::from_sec1_der(body)
        .map(Key::Ec)
        .map_err(|_| "x509: failed to parse EC private key".to_string())
}

fn parse_dsa(body: &[u8]) -> Result<Key, String> {
    let seq = der::read_only(body, der::SEQUENCE).ok_or(ASN1_STRUCTURE)?;
    let kids = der::children(seq.content).ok_or(ASN1_STRUCTURE)?;
    if kids.len() != 6 || kids.iter().any(|t| t.tag != der::INTEGER) {
        return Err(ASN1_STRUCTURE.into());
    }
    Ok(Key::Dsa)
}

/// Go's `x509.ParsePKCS8PrivateKey` for the key types Sprig makes.
fn parse_pkcs8(body: &[u8]) -> Result<Key, String> {
    let parsed = der::read_only(body, der::SEQUENCE)
        .and_then(|s| der::children(s.content))
        .filter(|k| k.len() >= 3 && k[0].tag == der::INTEGER && k[1].tag == der::SEQUENCE);
    let Some(kids) = parsed else {
        if parse_sec1(body).is_ok() {
            return Err(
                "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)"
                    .into(),
            );
        }
        if parse_pkcs1(body).is_ok() {
            return Err(
                "x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)"
                    .into(),
            );
        }
        return Err(ASN1_STRUCTURE.into());
    };
    let alg = der::children(kids[1].content).ok_or(ASN1_STRUCTURE)?;
    let oid = alg
        .first()
        .filter(|t| t.tag == der::OID)
        .ok_or(ASN1_STRUCTURE)?;
    let key: Tlv<'_> = kids[2];
    if key.tag != der::OCTET_STRING {
        return Err(ASN1_STRUCTURE.into());
    }
    match oid.content {
        OID_RSA => parse_pkcs1(key.content)
            .map_err(|e| format!("x509: failed to parse RSA private key embedded in PKCS#8: {e}")),
        OID_EC => {
            let curve_ok = alg
                .get(1)
                .is_some_and(|p| p.tag == der::OID && p.content == OID_P256);
            if !curve_ok {
                return Err("x509: failed to parse EC private key embedded in PKCS#8: x509: unknown elliptic curve".into());
            }
            parse_sec1(key.content).map_err(|e| {
                format!("x509: failed to parse EC private key embedded in PKCS#8: {e}")
            })
        }
        OID_ED25519 => {
            if alg.len() > 1 {
                return Err("x509: invalid Ed25519 private key parameters".into());
            }
            let seed = der::read_only(key.content, der::OCTET_STRING)
                .ok_or("x509: invalid Ed25519 private key: asn1: structure error")?;
            let seed: [u8; 32] = seed.content.try_into().map_err(|_| {
                format!(
                    "x509: invalid Ed25519 private key length: {}",
                    seed.content.len()
                )
            })?;
            Ok(Key::Ed(ed25519_dalek::SigningKey::from_bytes(&seed)))
        }
        other => Err(format!(
            "x509: PKCS#8 wrapping contained private key with unknown algorithm: {}",
            oid_string(other)
        )),
    }
}

/// An encoded OID body in dotted form.
fn oid_string(body: &[u8]) -> String {
    let mut parts: Vec<u64> = Vec::new();
    let mut acc = 0u64;
    for b in body {
        acc = (acc << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let (a, b) = if acc < 80 {
                    (acc / 40, acc % 40)
                } else {
                    (2, acc - 80)
                };
                parts.push(a);
                parts.push(b);
            } else {
                parts.push(acc);
            }
            acc = 0;
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// What a parsed signer certificate gives the certificates it signs.
struct Signer {
    subject: Vec<u8>,
    spki: Vec<u8>,
    key_id: Option<Vec<u8>>,
}

/// Go's `x509.ParseCertificate`, as far as signing needs it.
fn parse_certificate(der_bytes: &[u8]) -> Result<Signer, String> {
    use x509_cert::der::{Decode as _, Encode as _};
    let cert = x509_cert::Certificate::from_der(der_bytes)
        .map_err(|_| "x509: malformed certificate".to_string())?;
    let tbs = cert.tbs_certificate();
    let subject = tbs
        .subject()
        .to_der()
        .map_err(|_| "x509: malformed certificate".to_string())?;
    let spki = tbs
        .subject_public_key_info()
        .to_der()
        .map_err(|_| "x509: malformed certificate".to_string())?;
    let key_id = tbs.extensions().and_then(|exts| {
        exts.iter()
            .find(|e| e.extn_id.as_bytes() == OID_SUBJECT_KEY_ID)
            .and_then(|e| {
                der::read_only(e.extn_value.as_bytes(), der::OCTET_STRING)
                    .map(|t| t.content.to_vec())
            })
    });
    Ok(Signer {
        subject,
        spki,
        key_id: key_id.filter(|k| !k.is_empty()),
    })
}

/// Sprig's `getBaseCertTemplate` plus what x509.CreateCertificate adds, signed.
struct Template {
    cn: String,
    ips: Vec<Vec<u8>>,
    dns: Vec<String>,
    days: i64,
    ca: bool,
}

fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn extension(id: &[u8], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![der::oid(id)];
    if critical {
        parts.push(der::tlv(der::BOOLEAN, &[0xff]));
    }
    parts.push(der::tlv(der::OCTET_STRING, &value));
    der::seq(&parts)
}

/// Go 1.25's subject key id: the first 160 bits of the SHA-256 of the public key bits.
fn key_id(spki: &[u8]) -> Vec<u8> {
    let bits = der::read_only(spki, der::SEQUENCE)
        .and_then(|s| der::children(s.content))
        .and_then(|k| {
            k.get(1)
                .map(|b| b.content.get(1..).unwrap_or_default().to_vec())
        })
        .unwrap_or_default();
    sha2::Sha256::digest(&bits)[..20].to_vec()
}

/// Builds and signs the certificate; `signer` None means self-signed.
fn create_certificate(
    t: &Template,
    key: &Key,
    signer: Option<(&Signer, &Key)>,
) -> Result<Certificate, String> {
    let wrap = |e: String| format!("error creating certificate: {e}");
    let spki = key.spki().map_err(|_| {
        wrap("x509: certificate private key does not implement crypto.Signer".into())
    })?;
    let name = if t.cn.is_empty() {
        der::seq(&[])
    } else {
        der::seq(&[der::tlv(
            der::SET,
            &der::seq(&[der::oid(OID_CN), der::go_string(&t.cn)]),
        )])
    };
    let (issuer, signing_key, authority_key_id) = match signer {
        Some((s, k)) => {
            let signer_spki = k.spki().map_err(|_| {
                wrap("x509: certificate private key does not implement crypto.Signer".into())
            })?;
            if signer_spki != s.spki {
                return Err(wrap(
                    "x509: provided PrivateKey doesn't match parent's PublicKey".into(),
                ));
            }
            let aki = if s.subject != name {
                s.key_id.clone()
            } else {
                None
            };
            (s.subject.clone(), k, aki)
        }
        None => (name.clone(), key, None),
    };
    let sig_alg = signing_key.signature_algorithm().map_err(wrap)?;
    let serial: [u8; 16] = random_bytes().map_err(wrap)?;
    let not_before = now_unix();
    let not_after = not_before.saturating_add(t.days.saturating_mul(86_400));

    let mut key_usage = 0b1010_0000u8; // digitalSignature, keyEncipherment
    if t.ca {
        key_usage |= 0b0000_0100; // keyCertSign
    }
    let unused = key_usage.trailing_zeros() as u8;
    let mut exts = vec![
        extension(
            OID_KEY_USAGE,
            true,
            der::tlv(der::BIT_STRING, &[unused, key_usage]),
        ),
        extension(
            OID_EXT_KEY_USAGE,
            false,
            der::seq(&[der::oid(OID_SERVER_AUTH), der::oid(OID_CLIENT_AUTH)]),
        ),
        extension(
            OID_BASIC_CONSTRAINTS,
            true,
            if t.ca {
                der::seq(&[der::tlv(der::BOOLEAN, &[0xff])])
            } else {
                der::seq(&[])
            },
        ),
    ];
    if t.ca {
        exts.push(extension(
            OID_SUBJECT_KEY_ID,
            false,
            der::tlv(der::OCTET_STRING, &key_id(&spki)),
        ));
    }
    if let Some(aki) = authority_key_id {
        exts.push(extension(
            OID_AUTHORITY_KEY_ID,
            false,
            der::seq(&[der::tlv(0x80, &aki)]),
        ));
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names: Vec<Vec<u8>> = t.dns.iter().map(|d| der::tlv(0x82, d.as_bytes())).collect();
        names.extend(t.ips.iter().map(|ip| der::tlv(0x87, ip)));
        // RFC 5280 (and Go): the alternative names are critical when the subject is empty.
        exts.push(extension(OID_SAN, t.cn.is_empty(), der::seq(&names)));
    }

    let tbs = der::seq(&[
        der::explicit(0, &der::uint(&[2])),
        der::uint(&serial),
        sig_alg.clone(),
        issuer,
        der::seq(&[der::time(not_before), der::time(not_after)]),
        name,
        spki,
        der::explicit(3, &der::seq(&exts)),
    ]);
    let signature = signing_key.sign(&tbs).map_err(wrap)?;
    let cert = der::seq(&[tbs, sig_alg, der::bits(&signature)]);
    Ok(Certificate {
        cert: der::pem_encode("CERTIFICATE", &cert),
        key: key
            .to_pem()
            .map_err(|e| format!("error pem-encoding key: {e}"))?,
    })
}

/// Go's `net.ParseIP` as x509 stores it: 4 bytes for IPv4 (also IPv4-mapped), else 16.
fn parse_ip(s: &str) -> Option<Vec<u8>> {
    if s.contains(':') {
        let ip: std::net::Ipv6Addr = s.parse().ok()?;
        if let Some(v4) = ip.to_ipv4_mapped() {
            return Some(v4.octets().to_vec());
        }
        return Some(ip.octets().to_vec());
    }
    // Go refuses leading zeros as Rust does.
    let ip: std::net::Ipv4Addr = s.parse().ok()?;
    Some(ip.octets().to_vec())
}

fn string_items(name: &str, v: &Value) -> Result<Vec<Result<String, String>>, Error> {
    if is_nil(v) {
        return Ok(Vec::new());
    }
    Ok(items(name, v)?
        .iter()
        .map(|i| match i.as_str() {
            Some(s) => Ok(s.to_string()),
            None => Err(crate::engine::value::go_sprint(i)),
        })
        .collect())
}

fn template(
    name: &str,
    cn: &Value,
    ips: &Value,
    dns: &Value,
    days: &Value,
) -> Result<Template, Error> {
    let mut ip_list = Vec::new();
    for ip in string_items(name, ips)? {
        let ip = ip.map_err(|v| err(name, format!("error parsing ip: {v} is not a string")))?;
        ip_list.push(parse_ip(&ip).ok_or_else(|| err(name, format!("error parsing ip: {ip}")))?);
    }
    let mut dns_list = Vec::new();
    for d in string_items(name, dns)? {
        dns_list.push(d.map_err(|v| {
            err(
                name,
                format!("error processing alternate dns name: {v} is not a string"),
            )
        })?);
    }
    Ok(Template {
        cn: text(cn),
        ips: ip_list,
        dns: dns_list,
        days: to_i64(days),
        ca: false,
    })
}

fn cert_value(c: Certificate) -> Value {
    Value::from_object(c)
}

fn rsa_2048(name: &str) -> Result<Key, Error> {
    Key::generate_rsa(2048).map_err(|e| err(name, format!("error generating rsa key: {e}")))
}

fn pem_key(name: &str, v: &Value) -> Result<Key, Error> {
    parse_private_key_pem(&text(v)).map_err(|e| err(name, format!("parsing private key: {e}")))
}

/// `genPrivateKey TYPE`: "rsa" (4096 bits, also ""), "ecdsa" (P-256), "ed25519".
fn gen_private_key(a: &[Value]) -> Result<Value, Error> {
    want("genPrivateKey", a, 1, 1)?;
    let typ = text(&a[0]);
    let key = match typ.as_str() {
        "" | "rsa" => Key::generate_rsa(4096),
        "ecdsa" => Key::generate_ec(),
        "ed25519" => Key::generate_ed(),
        "dsa" => {
            return Err(err(
                "genPrivateKey",
                "dsa keys are not supported by chartr (x509 cannot sign with them either)",
            ))
        }
        _ => return Ok(Value::from(format!("Unknown type {typ}"))),
    };
    let pem = key
        .and_then(|k| k.to_pem())
        .unwrap_or_else(|e| format!("failed to generate private key: {e}"));
    Ok(Value::from(pem))
}

fn ca_with(name: &str, a: &[Value], key: Key) -> Result<Value, Error> {
    let mut t = template(name, &a[0], &Value::from(()), &Value::from(()), &a[1])?;
    t.ca = true;
    create_certificate(&t, &key, None)
        .map(cert_value)
        .map_err(|e| err(name, e))
}

/// `genCA CN DAYS`: a self-signed CA with a new 2048-bit RSA key.
fn gen_ca(a: &[Value]) -> Result<Value, Error> {
    want("genCA", a, 2, 2)?;
    let key = rsa_2048("genCA")?;
    ca_with("genCA", a, key)
}

/// `genCAWithKey CN DAYS KEY`.
fn gen_ca_with_key(a: &[Value]) -> Result<Value, Error> {
    want("genCAWithKey", a, 3, 3)?;
    let key = pem_key("genCAWithKey", &a[2])?;
    ca_with("genCAWithKey", a, key)
}

fn self_signed_with(name: &str, a: &[Value], key: Key) -> Result<Value, Error> {
    let t = template(name, &a[0], &a[1], &a[2], &a[3])?;
    create_certificate(&t, &key, None)
        .map(cert_value)
        .map_err(|e| err(name, e))
}

/// `genSelfSignedCert CN IPS DNS DAYS`.
fn gen_self_signed_cert(a: &[Value]) -> Result<Value, Error> {
    want("genSelfSignedCert", a, 4, 4)?;
    let t = template("genSelfSignedCert", &a[0], &a[1], &a[2], &a[3])?;
    let key = rsa_2048("genSelfSignedCert")?;
    create_certificate(&t, &key, None)
        .map(cert_value)
        .map_err(|e| err("genSelfSignedCert", e))
}

/// `genSelfSignedCertWithKey CN IPS DNS DAYS KEY`.
fn gen_self_signed_cert_with_key(a: &[Value]) -> Result<Value, Error> {
    want("genSelfSignedCertWithKey", a, 5, 5)?;
    let key = pem_key("genSelfSignedCertWithKey", &a[4])?;
    self_signed_with("genSelfSignedCertWithKey", a, key)
}

/// The CA argument: a certificate object (or any map with `Cert` and `Key`).
fn ca_arg(name: &str, v: &Value) -> Result<(String, String), Error> {
    let got = || {
        err(
            name,
            format!(
                "wrong type for value; expected sprig.certificate; got {}",
                crate::engine::value::type_of(v)
            ),
        )
    };
    if let Some(c) = v.downcast_object_ref::<Certificate>() {
        return Ok((c.cert.clone(), c.key.clone()));
    }
    let m = read_map(name, v).map_err(|_| got())?.ok_or_else(got)?;
    Ok((
        m.get("Cert").map(|c| text(&c)).unwrap_or_default(),
        m.get("Key").map(|c| text(&c)).unwrap_or_default(),
    ))
}

fn signed_with(name: &str, a: &[Value], key: Option<Key>) -> Result<Value, Error> {
    let (ca_cert, ca_key) = ca_arg(name, &a[4])?;
    let (_, cert_der) =
        der::pem_decode(&ca_cert).ok_or_else(|| err(name, "unable to decode certificate"))?;
    let signer = parse_certificate(&cert_der).map_err(|e| {
        err(
            name,
            format!("error parsing certificate: decodedSignerCert.Bytes: {e}"),
        )
    })?;
    let signer_key = parse_private_key_pem(&ca_key)
        .map_err(|e| err(name, format!("error parsing private key: {e}")))?;
    let t = template(name, &a[0], &a[1], &a[2], &a[3])?;
    let key = match key {
        Some(k) => k,
        None => rsa_2048(name)?,
    };
    create_certificate(&t, &key, Some((&signer, &signer_key)))
        .map(cert_value)
        .map_err(|e| err(name, e))
}

/// `genSignedCert CN IPS DNS DAYS CA`.
fn gen_signed_cert(a: &[Value]) -> Result<Value, Error> {
    want("genSignedCert", a, 5, 5)?;
    signed_with("genSignedCert", a, None)
}

/// `genSignedCertWithKey CN IPS DNS DAYS CA KEY`.
fn gen_signed_cert_with_key(a: &[Value]) -> Result<Value, Error> {
    want("genSignedCertWithKey", a, 6, 6)?;
    let key = pem_key("genSignedCertWithKey", &a[5])?;
    signed_with("genSignedCertWithKey", a, Some(key))
}

/// `buildCustomCert CERT_B64 KEY_B64`: a certificate object from base64 PEM, both checked.
fn build_custom_cert(a: &[Value]) -> Result<Value, Error> {
    use base64::Engine as _;
    want("buildCustomCert", a, 2, 2)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let name = "buildCustomCert";
    let cert = b64
        .decode(text(&a[0]))
        .map_err(|_| err(name, "unable to decode base64 certificate"))?;
    let key = b64
        .decode(text(&a[1]))
        .map_err(|_| err(name, "unable to decode base64 private key"))?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let (_, cert_der) =
        der::pem_decode(&cert).ok_or_else(|| err(name, "unable to decode certificate"))?;
    parse_certificate(&cert_der).map_err(|e| {
        err(
            name,
            format!("error parsing certificate: decodedCert.Bytes: {e}"),
        )
    })?;
    parse_private_key_pem(&key)
        .map_err(|e| err(name, format!("error parsing private key: {e}")))?;
    Ok(cert_value(Certificate { cert, key }))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    fn cert_der(pem: &str) -> Vec<u8> {
        der::pem_decode(pem).unwrap().1
    }

    #[test]
    fn ec_and_ed25519_keys_are_pem_as_go_writes_them() {
        let ec = r(r#"{{ genPrivateKey("ecdsa") }}"#);
        assert!(ec.starts_with("-----BEGIN EC PRIVATE KEY-----\n"), "{ec}");
        assert!(ec.ends_with("-----END EC PRIVATE KEY-----\n"));
        assert_eq!(der::pem_decode(&ec).unwrap().1.len(), 121);
        let ed = r(r#"{{ genPrivateKey("ed25519") }}"#);
        let (typ, body) = der::pem_decode(&ed).unwrap();
        assert_eq!(typ, "PRIVATE KEY");
        assert_eq!(body.len(), 48);
        assert!(matches!(parse_private_key_pem(&ed), Ok(Key::Ed(_))));
        assert!(matches!(parse_private_key_pem(&ec), Ok(Key::Ec(_))));
        assert_eq!(r(r#"{{ genPrivateKey("x") }}"#), "Unknown type x");
    }

    #[test]
    fn a_ca_signs_a_certificate_that_names_it() {
        let out = r(concat!(
            r#"{% set ca = genCAWithKey("my-ca", 365, genPrivateKey("ecdsa")) %}"#,
            r#"{% set c = genSignedCertWithKey("svc", list("10.0.0.1", "::1"), list("a.example"), 30, ca, genPrivateKey("ed25519")) %}"#,
            r#"{{ ca.Cert }}|{{ c.Cert }}|{{ c.Key }}"#
        ));
        let parts: Vec<&str> = out.split('|').collect();
        let ca = parse_certificate(&cert_der(parts[0])).unwrap();
        let leaf = cert_der(parts[1]);
        use x509_cert::der::Decode as _;
        let parsed = x509_cert::Certificate::from_der(&leaf).unwrap();
        let tbs = parsed.tbs_certificate();
        use x509_cert::der::Encode as _;
        assert_eq!(tbs.issuer().to_der().unwrap(), ca.subject);
        assert_eq!(tbs.subject().to_string(), "CN=svc");
        let exts: Vec<String> = tbs
            .extensions()
            .unwrap()
            .iter()
            .map(|e| format!("{}{}", e.extn_id, if e.critical { "!" } else { "" }))
            .collect();
        assert_eq!(
            exts,
            [
                "2.5.29.15!",
                "2.5.29.37",
                "2.5.29.19!",
                "2.5.29.35",
                "2.5.29.17"
            ]
        );
        assert!(parts[2].starts_with("-----BEGIN PRIVATE KEY-----"));
    }

    #[test]
    fn bad_keys_and_certificates_are_refused_in_sprigs_words() {
        assert!(e(r#"{{ genCAWithKey("x", 1, "junk") }}"#)
            .contains("error calling genCAWithKey: parsing private key: no PEM data in input"));
        let cert_pem = der::pem_encode("CERTIFICATE", &[1, 2, 3]);
        assert!(e(&format!(
            r#"{{{{ genCAWithKey("x", 1, "{}") }}}}"#,
            cert_pem.replace('\n', "\\n")
        ))
        .contains("no private key data in PEM block of type CERTIFICATE"));
        let foo = der::pem_encode("FOO PRIVATE KEY", &[1]);
        assert!(e(&format!(
            r#"{{{{ genCAWithKey("x", 1, "{}") }}}}"#,
            foo.replace('\n', "\\n")
        ))
        .contains("invalid private key type FOO PRIVATE KEY"));
        assert!(
            e(r#"{{ buildCustomCert("!!", "") }}"#).contains("unable to decode base64 certificate")
        );
        assert!(e(r#"{{ buildCustomCert("", "") }}"#).contains("unable to decode certificate"));
        assert!(e(r#"{{ genSelfSignedCert("x", list("nope"), none, 1) }}"#)
            .contains("error parsing ip: nope"));
        assert!(e(r#"{{ genSelfSignedCert("x", list(1), none, 1) }}"#)
            .contains("error parsing ip: 1 is not a string"));
        assert!(e(r#"{{ genSelfSignedCert("x", none, list(2), 1) }}"#)
            .contains("error processing alternate dns name: 2 is not a string"));
    }

    /// The generating functions on awkward arguments (the shared fuzz test skips them: each
    /// call makes a key).
    #[test]
    fn awkward_arguments_never_panic() {
        use minijinja::Value;
        let awkward = [
            Value::from(()),
            Value::from(-1),
            Value::from(i64::MAX),
            Value::from(f64::NAN),
            Value::from("é"),
            Value::from(vec![Value::from(1)]),
        ];
        for (name, f) in FUNCS {
            let _ = f(&[]);
            for a in &awkward {
                let n = match *name {
                    "genCA" => 2,
                    "genSelfSignedCert" => 4,
                    "genSignedCert" => 5,
                    "genPrivateKey" => {
                        let _ = f(std::slice::from_ref(a));
                        continue;
                    }
                    _ => 6,
                };
                let _ = f(&vec![a.clone(); n]);
            }
        }
        assert_eq!(r(r#"{{ genCA("x", 1e300).Cert | length > 0 }}"#), "true");
    }

    #[test]
    fn ips_are_stored_as_go_stores_them() {
        assert_eq!(parse_ip("10.0.0.1"), Some(vec![10, 0, 0, 1]));
        assert_eq!(parse_ip("::ffff:10.0.0.1"), Some(vec![10, 0, 0, 1]));
        assert_eq!(parse_ip("::1").map(|v| v.len()), Some(16));
        assert_eq!(parse_ip("010.0.0.1"), None);
        assert_eq!(parse_ip("x"), None);
    }

    #[test]
    fn oids_print_dotted() {
        assert_eq!(oid_string(OID_P256), "1.2.840.10045.3.1.7");
        assert_eq!(oid_string(OID_ED25519), "1.3.101.112");
    }
}
