//! The little ASN.1 DER and PEM that Sprig's key and certificate functions need, written as
//! Go's encoding/asn1 and encoding/pem (Go 1.25, which builds Helm v4.1.4) write and read it.

use base64::Engine as _;

/// Universal tags used here.
pub(super) const INTEGER: u8 = 0x02;
pub(super) const BIT_STRING: u8 = 0x03;
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const NULL: u8 = 0x05;
pub(super) const OID: u8 = 0x06;
pub(super) const UTF8_STRING: u8 = 0x0c;
pub(super) const PRINTABLE_STRING: u8 = 0x13;
pub(super) const UTC_TIME: u8 = 0x17;
pub(super) const GENERALIZED_TIME: u8 = 0x18;
pub(super) const SEQUENCE: u8 = 0x30;
pub(super) const SET: u8 = 0x31;
pub(super) const BOOLEAN: u8 = 0x01;

/// One TLV: `tag`, DER length, `content`.
pub(super) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A SEQUENCE of already encoded parts.
pub(super) fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

/// A non-negative INTEGER from its big-endian magnitude (leading zeros dropped, a zero
/// byte added when the top bit is set, as DER wants).
pub(super) fn uint(magnitude: &[u8]) -> Vec<u8> {
    let mut m: Vec<u8> = magnitude.iter().copied().skip_while(|b| *b == 0).collect();
    if m.is_empty() || m[0] & 0x80 != 0 {
        m.insert(0, 0);
    }
    tlv(INTEGER, &m)
}

/// A BIT STRING of whole bytes.
pub(super) fn bits(bytes: &[u8]) -> Vec<u8> {
    let mut c = vec![0u8];
    c.extend_from_slice(bytes);
    tlv(BIT_STRING, &c)
}

/// An OBJECT IDENTIFIER from its encoded body.
pub(super) fn oid(body: &[u8]) -> Vec<u8> {
    tlv(OID, body)
}

/// `[n] EXPLICIT` around an encoded value.
pub(super) fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, inner)
}

/// Go's `time.Time` as x509 writes it: UTCTime for 1950–2049, else GeneralizedTime.
pub(super) fn time(unix: i64) -> Vec<u8> {
    let (y, mo, d, h, mi, s) = civil(unix);
    if (1950..2050).contains(&y) {
        let body = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100);
        tlv(UTC_TIME, body.as_bytes())
    } else {
        let body = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
        tlv(GENERALIZED_TIME, body.as_bytes())
    }
}

/// Seconds since the Unix epoch as (year, month, day, hour, minute, second) in UTC.
fn civil(unix: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Howard Hinnant's days_from_civil, inverted.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (secs / 3600) as u32,
        (secs % 3600 / 60) as u32,
        (secs % 60) as u32,
    )
}

/// A string as Go's encoding/asn1 marshals an untagged Go string: PrintableString when every
/// character is in its set, else UTF8String.
pub(super) fn go_string(s: &str) -> Vec<u8> {
    let printable = s.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(b, b'\''..=b')' | b'+'..=b'/' | b' ' | b':' | b'=' | b'?')
    });
    tlv(
        if printable {
            PRINTABLE_STRING
        } else {
            UTF8_STRING
        },
        s.as_bytes(),
    )
}

/// A TLV read from DER: its tag, its content, and the whole encoding.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
}

/// Reads the TLV at the start of `input`; returns it and what follows.
pub(super) fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *input.first()?;
    if tag & 0x1f == 0x1f {
        return None; // multi-byte tags: never in what these functions read
    }
    let first = *input.get(1)?;
    let (len, start) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for b in input.get(2..2 + n)? {
            len = (len << 8) | usize::from(*b);
        }
        (len, 2 + n)
    };
    let end = start.checked_add(len)?;
    let content = input.get(start..end)?;
    Some((Tlv { tag, content }, &input[end..]))
}

/// The elements inside a constructed value, each checked to be well formed.
pub(super) fn children(content: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (t, r) = read(rest)?;
        out.push(t);
        rest = r;
    }
    Some(out)
}

/// Reads exactly one TLV of `tag` filling `input`.
pub(super) fn read_only(input: &[u8], tag: u8) -> Option<Tlv<'_>> {
    match read(input)? {
        (t, []) if t.tag == tag => Some(t),
        _ => None,
    }
}

/// A PEM block as Go's `pem.Encode` writes it: 64-column base64, `\n` line ends.
pub(super) fn pem_encode(typ: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {typ}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {typ}-----\n"));
    out
}

/// Go's `pem.Decode`: the first well-formed PEM block in `data` (text before it, headers
/// and blocks that do not parse are skipped), as (type, bytes).
pub(super) fn pem_decode(data: &str) -> Option<(String, Vec<u8>)> {
    const BEGIN: &str = "-----BEGIN ";
    let mut rest = data;
    loop {
        let at = if rest.starts_with(BEGIN) {
            0
        } else {
            rest.find("\n-----BEGIN ")? + 1
        };
        let after = &rest[at + BEGIN.len()..];
        // whatever happens, the next attempt starts after this BEGIN
        let next_rest = after;
        let (type_line, mut body) = get_line(after);
        let Some(typ) = type_line.strip_suffix("-----") else {
            rest = next_rest;
            continue;
        };
        let mut has_headers = false;
        loop {
            if body.is_empty() {
                return None;
            }
            let (line, next) = get_line(body);
            if !line.contains(':') {
                break;
            }
            has_headers = true;
            body = next;
        }
        let end_marker = format!("\n-----END {typ}-----");
        let (end_index, trailer_start) = if !has_headers && body.starts_with(&end_marker[1..]) {
            (0, end_marker.len() - 1)
        } else {
            match body.find(&end_marker) {
                Some(i) => (i, i + end_marker.len()),
                None => {
                    rest = next_rest;
                    continue;
                }
            }
        };
        let (rest_of_end_line, _) = get_line(&body[trailer_start..]);
        if !rest_of_end_line.is_empty() {
            rest = next_rest;
            continue;
        }
        let b64: String = body[..end_index]
            .chars()
            .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n'))
            .collect();
        match base64::engine::general_purpose::STANDARD.decode(b64) {
            Ok(bytes) => return Some((typ.to_string(), bytes)),
            Err(_) => {
                rest = next_rest;
                continue;
            }
        }
    }
}

/// Go's pem `getLine`: the line without its end and trailing spaces, tabs and `\r`.
fn get_line(data: &str) -> (&str, &str) {
    let (line, rest) = match data.find('\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, ""),
    };
    (line.trim_end_matches([' ', '\t', '\r']), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_integers_are_der() {
        assert_eq!(tlv(OCTET_STRING, &[1, 2]), vec![4, 2, 1, 2]);
        assert_eq!(tlv(OCTET_STRING, &[0; 200])[..3], [4, 0x81, 200]);
        assert_eq!(tlv(OCTET_STRING, &[0; 300])[..4], [4, 0x82, 1, 44]);
        assert_eq!(uint(&[0, 0, 5]), vec![2, 1, 5]);
        assert_eq!(uint(&[0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(uint(&[]), vec![2, 1, 0]);
    }

    #[test]
    fn times_switch_to_generalized_in_2050() {
        assert_eq!(time(0), tlv(UTC_TIME, b"700101000000Z"));
        assert_eq!(time(1_700_000_000), tlv(UTC_TIME, b"231114221320Z"));
        assert_eq!(
            time(2_524_608_000),
            tlv(GENERALIZED_TIME, b"20500101000000Z")
        );
        assert_eq!(time(951_782_400), tlv(UTC_TIME, b"000229000000Z"));
    }

    #[test]
    fn strings_are_printable_unless_they_cannot_be() {
        assert_eq!(go_string("my-ca")[0], PRINTABLE_STRING);
        assert_eq!(go_string("*.example")[0], UTF8_STRING);
        assert_eq!(go_string("a&b")[0], UTF8_STRING);
        assert_eq!(go_string("a_b")[0], UTF8_STRING);
        assert_eq!(go_string("é")[0], UTF8_STRING);
    }

    #[test]
    fn reads_what_it_writes() {
        let v = seq(&[uint(&[1]), tlv(OCTET_STRING, &[0; 300])]);
        let t = read_only(&v, SEQUENCE).unwrap();
        let kids = children(t.content).unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[1].content.len(), 300);
        assert!(read(&[0x30, 0x05, 1]).is_none());
        assert!(read(&[0x30]).is_none());
    }

    #[test]
    fn pem_round_trips_and_skips_what_go_skips() {
        let der: Vec<u8> = (0..100).collect();
        let pem = pem_encode("THING", &der);
        assert!(pem.lines().all(|l| l.len() <= 64));
        assert_eq!(pem_decode(&pem), Some(("THING".to_string(), der.clone())));
        let noisy = format!("junk before\n-----BEGIN BAD\n{pem}trailing");
        assert_eq!(pem_decode(&noisy), Some(("THING".to_string(), der)));
        assert_eq!(pem_decode("no pem here"), None);
        assert_eq!(
            pem_decode("-----BEGIN X-----\n!!!\n-----END X-----\n"),
            None
        );
        let with_headers = "-----BEGIN X-----\nProc-Type: 4\n\nAQI=\n-----END X-----\n";
        assert_eq!(
            pem_decode(with_headers),
            Some(("X".to_string(), vec![1, 2]))
        );
        assert_eq!(
            pem_decode("-----BEGIN X-----\n-----END X-----\n"),
            Some(("X".to_string(), vec![]))
        );
    }
}
