//! Sprig's passwords and ciphers (Sprig v3.3.0 crypto.go, as Helm v4.1.4 pins it): `bcrypt`,
//! `htpasswd`, `derivePassword` (the Master Password algorithm) and `encryptAES`/`decryptAES`
//! (AES-256-CBC, the password zero-padded or cut to 32 bytes as the key, PKCS#7 padding, a
//! random IV in front, standard base64) — and the two small ones beside them in Sprig,
//! `getHostByName` (Helm's `helm template` answers "" without `--enable-dns`, which chartr
//! does not have) and `hello`.

use super::{err, text, to_i64, want, Func};
use aes::cipher::{BlockCipherDecrypt as _, BlockCipherEncrypt as _, KeyInit as _};
use base64::Engine as _;
use hmac::Mac as _;
use minijinja::{Error, Value};

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("bcrypt", bcrypt_fn),
    ("htpasswd", htpasswd),
    ("derivePassword", derive_password),
    ("encryptAES", encrypt_aes),
    ("decryptAES", decrypt_aes),
    ("getHostByName", get_host_by_name),
    ("hello", hello),
];

/// Go's bcrypt.DefaultCost.
const BCRYPT_COST: u32 = 10;

/// Sprig's `bcrypt`: `$2a$10$...`, or its message when golang.org/x/crypto refuses.
fn bcrypt_hash(password: &str) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
            .into();
    }
    match bcrypt::hash_with_result(password, BCRYPT_COST) {
        Ok(h) => h.format_for_version(bcrypt::Version::TwoA),
        Err(e) => format!("failed to encrypt string with bcrypt: {e}"),
    }
}

fn bcrypt_fn(a: &[Value]) -> Result<Value, Error> {
    want("bcrypt", a, 1, 1)?;
    Ok(Value::from(bcrypt_hash(&text(&a[0]))))
}

/// `htpasswd USER PASSWORD`: `user:$2a$10$...`.
fn htpasswd(a: &[Value]) -> Result<Value, Error> {
    want("htpasswd", a, 2, 2)?;
    let user = text(&a[0]);
    if user.contains(':') {
        return Ok(Value::from(format!("invalid username: {user}")));
    }
    Ok(Value::from(format!("{user}:{}", bcrypt_hash(&text(&a[1])))))
}

const MASTER_PASSWORD_SEED: &[u8] = b"com.lyndir.masterpassword";

fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_characters(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// `derivePassword COUNTER TYPE PASSWORD USER SITE`: Master Password's site password
/// (scrypt N=32768 r=8 p=2 over the user, HMAC-SHA256 over the site and counter).
fn derive_password(a: &[Value]) -> Result<Value, Error> {
    want("derivePassword", a, 5, 5)?;
    let counter = to_i64(&a[0]) as u32;
    let kind = text(&a[1]);
    let (password, user, site) = (text(&a[2]), text(&a[3]), text(&a[4]));
    let Some(templates) = password_templates(&kind) else {
        return Ok(Value::from(format!("cannot find password template {kind}")));
    };
    let mut salt = MASTER_PASSWORD_SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = scrypt::Params::new(15, 8, 2).map_err(|e| err("derivePassword", e))?;
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return Ok(Value::from(format!("failed to derive password: {e}")));
    }
    let mut msg = MASTER_PASSWORD_SEED.to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).map_err(|e| err("derivePassword", e))?;
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()].as_bytes();
    let out: String = template
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let chars = template_characters(*c);
            char::from(chars[usize::from(seed[i + 1]) % chars.len()])
        })
        .collect();
    Ok(Value::from(out))
}

/// Sprig's AES key: the password's bytes in a zeroed 32-byte buffer.
fn aes_key(password: &str) -> aes::Aes256 {
    let mut key = [0u8; 32];
    let p = password.as_bytes();
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    aes::Aes256::new(&key.into())
}

/// `encryptAES PASSWORD PLAINTEXT`: base64 of IV ‖ AES-256-CBC(PKCS#7(plaintext)); "" stays "".
fn encrypt_aes(a: &[Value]) -> Result<Value, Error> {
    want("encryptAES", a, 2, 2)?;
    let plain = text(&a[1]);
    if plain.is_empty() {
        return Ok(Value::from(""));
    }
    let cipher = aes_key(&text(&a[0]));
    let mut content = plain.into_bytes();
    let pad = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(pad as u8, pad));
    let mut iv = [0u8; 16];
    getrandom::fill(&mut iv).map_err(|e| err("encryptAES", e))?;
    let mut out = iv.to_vec();
    let mut prev = iv;
    for chunk in content.chunks(16) {
        let mut block = [0u8; 16];
        for (i, b) in chunk.iter().enumerate() {
            block[i] = b ^ prev[i];
        }
        let mut blk = block.into();
        cipher.encrypt_block(&mut blk);
        prev = blk.into();
        out.extend_from_slice(&prev);
    }
    Ok(Value::from(
        base64::engine::general_purpose::STANDARD.encode(out),
    ))
}

/// `decryptAES PASSWORD CIPHERTEXT`, failing where Sprig's Go code panics, with Go's words.
fn decrypt_aes(a: &[Value]) -> Result<Value, Error> {
    want("decryptAES", a, 2, 2)?;
    let crypt64 = text(&a[1]);
    if crypt64.is_empty() {
        return Ok(Value::from(""));
    }
    let cipher = aes_key(&text(&a[0]));
    let crypt = base64::engine::general_purpose::STANDARD
        .decode(&crypt64)
        .map_err(|e| err("decryptAES", super::encoding::go_base64_error(&e)))?;
    if crypt.len() < 16 {
        // Go's DecodeString buffer holds DecodedLen(len(s)) bytes.
        let cap = crypt64.len() / 4 * 3;
        return Err(err(
            "decryptAES",
            format!("runtime error: slice bounds out of range [:16] with capacity {cap}"),
        ));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err(err("decryptAES", "crypto/cipher: input not full blocks"));
    }
    let mut prev: [u8; 16] = iv.try_into().unwrap_or([0; 16]);
    let mut out = Vec::with_capacity(body.len());
    for chunk in body.chunks(16) {
        let c: [u8; 16] = chunk.try_into().unwrap_or([0; 16]);
        let mut blk = c.into();
        cipher.decrypt_block(&mut blk);
        let plain: [u8; 16] = blk.into();
        out.extend(plain.iter().zip(prev.iter()).map(|(p, v)| p ^ v));
        prev = c;
    }
    let Some(&last) = out.last() else {
        return Err(err("decryptAES", "runtime error: index out of range [-1]"));
    };
    let keep = out.len() as i64 - i64::from(last);
    if keep < 0 {
        return Err(err(
            "decryptAES",
            format!("runtime error: slice bounds out of range [:{keep}]"),
        ));
    }
    out.truncate(keep as usize);
    Ok(Value::from(String::from_utf8_lossy(&out).into_owned()))
}

/// `getHostByName NAME`: "" — what Helm's engine answers when DNS lookups are not enabled.
fn get_host_by_name(a: &[Value]) -> Result<Value, Error> {
    want("getHostByName", a, 1, 1)?;
    Ok(Value::from(""))
}

fn hello(a: &[Value]) -> Result<Value, Error> {
    want("hello", a, 0, 0)?;
    Ok(Value::from("Hello!"))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn htpasswd_is_bcrypt_2a_cost_10() {
        let out = r(r#"{{ htpasswd("admin", "secret") }}"#);
        let hash = out.strip_prefix("admin:").unwrap();
        assert!(hash.starts_with("$2a$10$"), "{out}");
        assert_eq!(hash.len(), 60);
        assert!(bcrypt::verify("secret", hash).unwrap());
        assert_eq!(r(r#"{{ htpasswd("a:b", "x") }}"#), "invalid username: a:b");
        assert!(r(&format!(r#"{{{{ bcrypt("{}") }}}}"#, "x".repeat(73)))
            .contains("password length exceeds 72 bytes"));
    }

    #[test]
    fn aes_round_trips_and_fails_as_go_does() {
        assert_eq!(
            r(r#"{{ encryptAES("k", "hello world") | decryptAES("k") }}"#),
            "hello world"
        );
        assert_eq!(
            r(r#"{{ encryptAES("k", "") }}|{{ decryptAES("k", "") }}"#),
            "|"
        );
        let long = "p".repeat(40);
        assert_eq!(
            r(&format!(
                r#"{{{{ encryptAES("{long}", "0123456789abcdef") | decryptAES("{}") }}}}"#,
                &long[..32]
            )),
            "0123456789abcdef"
        );
        assert!(e(r#"{{ decryptAES("k", "AAAA") }}"#)
            .contains("slice bounds out of range [:16] with capacity 3"));
        assert!(e(r#"{{ decryptAES("k", "AAAAAAAAAAAAAAAAAAAAAA==") }}"#)
            .contains("index out of range [-1]"));
        assert!(e(r#"{{ decryptAES("k", "AAAAAAAAAAAAAAAAAAAAAAAA") }}"#)
            .contains("input not full blocks"));
        assert!(e(r#"{{ decryptAES("k", "!!") }}"#).contains("illegal base64 data"));
    }

    #[test]
    fn awkward_arguments_never_panic() {
        use minijinja::Value;
        let awkward = [
            Value::from(()),
            Value::from(-1),
            Value::from(u32::MAX as i64 + 1),
            Value::from(f64::NAN),
            Value::from("é:"),
            Value::from(vec![Value::from(1)]),
        ];
        for a in &awkward {
            let _ = super::bcrypt_fn(std::slice::from_ref(a));
            let _ = super::htpasswd(&[a.clone(), a.clone()]);
            let _ = super::derive_password(&vec![a.clone(); 5]);
            let _ = super::encrypt_aes(&[a.clone(), a.clone()]);
            let _ = super::decrypt_aes(&[a.clone(), a.clone()]);
        }
    }

    #[test]
    fn small_ones() {
        assert_eq!(
            r(r#"[{{ getHostByName("example.com") }}]|{{ hello() }}"#),
            "[]|Hello!"
        );
        assert_eq!(
            r(r#"{{ derivePassword(1, "nope", "p", "u", "s") }}"#),
            "cannot find password template nope"
        );
    }
}
