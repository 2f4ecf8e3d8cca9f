//! Dates and durations (Sprig's date.go) with Go's reference-time layouts
//! (`2006-01-02T15:04:05Z07:00`). chartr renders in UTC: Go's `Local` zone is UTC here (as in
//! a container without a TZ), named zones other than UTC are read as UTC too.

use super::{err, text, to_i64, want, Func};
use minijinja::value::{Object, ObjectRepr, ValueKind};
use minijinja::{Error, State, Value};
use std::sync::Arc;

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("now", now),
    ("date", date),
    ("dateInZone", date_in_zone),
    ("date_in_zone", date_in_zone),
    ("htmlDate", html_date),
    ("htmlDateInZone", html_date_in_zone),
    ("unixEpoch", unix_epoch),
    ("toDate", to_date),
    ("mustToDate", must_to_date),
    ("duration", duration),
    ("durationRound", duration_round),
    ("dateModify", date_modify),
    ("date_modify", date_modify),
    ("mustDateModify", must_date_modify),
    ("must_date_modify", must_date_modify),
    ("ago", ago),
];

/// A Go `time.Time` in UTC: seconds and nanoseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoTime {
    pub secs: i64,
    pub nanos: u32,
}

impl GoTime {
    fn now() -> GoTime {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        GoTime {
            secs: d.as_secs() as i64,
            nanos: d.subsec_nanos(),
        }
    }
}

impl Object for GoTime {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, _key: &Value) -> Option<Value> {
        None
    }

    fn call_method(
        self: &Arc<Self>,
        _state: &State<'_, '_>,
        method: &str,
        args: &[Value],
    ) -> Result<Value, Error> {
        match method {
            "Unix" => Ok(Value::from(self.secs)),
            "UnixNano" => Ok(Value::from(
                self.secs as i128 * 1_000_000_000 + self.nanos as i128,
            )),
            "Year" => Ok(Value::from(civil(self.secs).0)),
            "Format" => Ok(Value::from(format_time(
                self,
                &args.first().map(text).unwrap_or_default(),
            ))),
            "UTC" | "Local" => Ok(Value::from_object(**self)),
            _ => Err(Error::from(minijinja::ErrorKind::UnknownMethod)),
        }
    }

    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_time(
            self,
            "2006-01-02 15:04:05.999999999 -0700 MST",
        ))
    }
}

/// (year, month, day, hour, minute, second, weekday 0=Sunday, day of year 1-based).
pub(crate) fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400) as u32;
    // Howard Hinnant's civil_from_days.
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z.rem_euclid(146097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    let weekday = (days + 4).rem_euclid(7) as u32;
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let cum = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let yday = cum[(m - 1) as usize] + d + u32::from(leap && m > 2);
    (y, m, d, rem / 3600, rem / 60 % 60, rem % 60, weekday, yday)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The layout elements of Go's time package, longest first where they share a prefix.
const CHUNKS: &[&str] = &[
    "January",
    "Jan",
    "Monday",
    "Mon",
    "MST",
    "2006",
    "01",
    "02",
    "06",
    "__2",
    "_2",
    "002",
    "15",
    "03",
    "04",
    "05",
    "PM",
    "pm",
    "Z07:00:00",
    "Z070000",
    "Z07:00",
    "Z0700",
    "Z07",
    "-07:00:00",
    "-070000",
    "-07:00",
    "-0700",
    "-07",
    "1",
    "2",
    "3",
    "4",
    "5",
];

fn frac_chunk(layout: &str) -> Option<(usize, bool, bool)> {
    // ".000" / ",000" (fixed) or ".999" / ",999" (trimmed), not followed by a digit.
    let b = layout.as_bytes();
    if b.len() < 2 || !(b[0] == b'.' || b[0] == b',') || !(b[1] == b'0' || b[1] == b'9') {
        return None;
    }
    let d = b[1];
    let mut n = 1;
    while n < b.len() && b[n] == d {
        n += 1;
    }
    if n < b.len() && b[n].is_ascii_digit() {
        return None;
    }
    Some((n, d == b'0', b[0] == b','))
}

/// Go's `Time.Format` for a UTC time.
pub fn format_time(t: &GoTime, layout: &str) -> String {
    let (y, mo, d, h, mi, s, wd, yd) = civil(t.secs);
    let mut out = String::new();
    let mut rest = layout;
    'outer: while !rest.is_empty() {
        if let Some((n, fixed, comma)) = frac_chunk(rest) {
            let digits = n - 1;
            let ns = format!("{:09}", t.nanos);
            let mut frac = ns[..digits.min(9)].to_string();
            if !fixed {
                frac = frac.trim_end_matches('0').to_string();
            }
            if !frac.is_empty() {
                out.push(if comma { ',' } else { '.' });
                out.push_str(&frac);
            }
            rest = &rest[n..];
            continue;
        }
        for c in CHUNKS {
            if let Some(after) = rest.strip_prefix(c) {
                let piece = match *c {
                    "January" => MONTHS[(mo - 1) as usize].to_string(),
                    "Jan" => MONTHS[(mo - 1) as usize][..3].to_string(),
                    "Monday" => DAYS[wd as usize].to_string(),
                    "Mon" => DAYS[wd as usize][..3].to_string(),
                    "MST" => "UTC".to_string(),
                    "2006" => format!("{y:04}"),
                    "06" => format!("{:02}", y.rem_euclid(100)),
                    "01" => format!("{mo:02}"),
                    "1" => mo.to_string(),
                    "02" => format!("{d:02}"),
                    "2" => d.to_string(),
                    "_2" => format!("{d:>2}"),
                    "__2" => format!("{yd:>3}"),
                    "002" => format!("{yd:03}"),
                    "15" => format!("{h:02}"),
                    "03" => format!("{:02}", if h % 12 == 0 { 12 } else { h % 12 }),
                    "3" => (if h % 12 == 0 { 12 } else { h % 12 }).to_string(),
                    "04" => format!("{mi:02}"),
                    "4" => mi.to_string(),
                    "05" => format!("{s:02}"),
                    "5" => s.to_string(),
                    "PM" => (if h >= 12 { "PM" } else { "AM" }).to_string(),
                    "pm" => (if h >= 12 { "pm" } else { "am" }).to_string(),
                    "Z07:00:00" | "Z070000" | "Z07:00" | "Z0700" | "Z07" => "Z".to_string(),
                    "-07:00:00" => "+00:00:00".to_string(),
                    "-070000" => "+000000".to_string(),
                    "-07:00" => "+00:00".to_string(),
                    "-0700" => "+0000".to_string(),
                    "-07" => "+00".to_string(),
                    _ => c.to_string(),
                };
                out.push_str(&piece);
                rest = after;
                continue 'outer;
            }
        }
        let ch = rest.chars().next().unwrap_or(' ');
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}

/// Go's `time.Parse` for the numeric layout elements, months' names and UTC offsets.
pub fn parse_time(layout: &str, value: &str) -> Result<GoTime, String> {
    let bad = || format!("parsing time {:?} as {:?}: cannot parse", value, layout);
    let (mut y, mut mo, mut d, mut h, mut mi, mut s, mut ns) =
        (1i64, 1u32, 1u32, 0u32, 0u32, 0u32, 0u32);
    let mut pm: Option<bool> = None;
    let mut offset: i64 = 0;
    let mut rest = layout;
    let mut v = value;
    let num = |v: &mut &str, min: usize, max: usize| -> Option<i64> {
        let n = v.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if n < min {
            return None;
        }
        let (a, b) = v.split_at(n);
        *v = b;
        a.parse().ok()
    };
    'outer: while !rest.is_empty() {
        if let Some((n, _, _)) = frac_chunk(rest) {
            if v.starts_with('.') || v.starts_with(',') {
                let digits: String = v[1..].chars().take_while(|c| c.is_ascii_digit()).collect();
                v = &v[1 + digits.len()..];
                let padded = format!("{:0<9}", &digits[..digits.len().min(9)]);
                ns = padded.parse().unwrap_or(0);
            }
            rest = &rest[n..];
            continue;
        }
        for c in CHUNKS {
            if let Some(after) = rest.strip_prefix(c) {
                match *c {
                    "2006" => y = num(&mut v, 4, 4).ok_or_else(bad)?,
                    "06" => {
                        // Go: 69-99 are 19xx, 00-68 are 20xx.
                        let yy = num(&mut v, 2, 2).ok_or_else(bad)?;
                        y = if yy >= 69 { 1900 + yy } else { 2000 + yy };
                    }
                    "01" => mo = num(&mut v, 2, 2).ok_or_else(bad)? as u32,
                    "1" => mo = num(&mut v, 1, 2).ok_or_else(bad)? as u32,
                    "02" => d = num(&mut v, 2, 2).ok_or_else(bad)? as u32,
                    "2" | "_2" => {
                        v = v.trim_start_matches(' ');
                        d = num(&mut v, 1, 2).ok_or_else(bad)? as u32
                    }
                    "15" => h = num(&mut v, 1, 2).ok_or_else(bad)? as u32,
                    "03" => h = num(&mut v, 2, 2).ok_or_else(bad)? as u32,
                    "3" => h = num(&mut v, 1, 2).ok_or_else(bad)? as u32,
                    "04" => mi = num(&mut v, 2, 2).ok_or_else(bad)? as u32,
                    "4" => mi = num(&mut v, 1, 2).ok_or_else(bad)? as u32,
                    "05" => s = num(&mut v, 2, 2).ok_or_else(bad)? as u32,
                    "5" => s = num(&mut v, 1, 2).ok_or_else(bad)? as u32,
                    "PM" | "pm" => {
                        let p = v.get(..2).ok_or_else(bad)?.to_ascii_uppercase();
                        pm = Some(p == "PM");
                        v = &v[2..];
                    }
                    "January" | "Jan" => {
                        let i = MONTHS
                            .iter()
                            .position(|m| {
                                let m = if *c == "Jan" { &m[..3] } else { m };
                                v.starts_with(m)
                            })
                            .ok_or_else(bad)?;
                        let len = if *c == "Jan" { 3 } else { MONTHS[i].len() };
                        v = &v[len..];
                        mo = i as u32 + 1;
                    }
                    "Monday" | "Mon" => {
                        let i = DAYS
                            .iter()
                            .position(|m| {
                                let m = if *c == "Mon" { &m[..3] } else { m };
                                v.starts_with(m)
                            })
                            .ok_or_else(bad)?;
                        v = &v[if *c == "Mon" { 3 } else { DAYS[i].len() }..];
                    }
                    "MST" => {
                        let n = v.bytes().take_while(u8::is_ascii_uppercase).count();
                        v = &v[n..];
                    }
                    z if z.starts_with('Z') || z.starts_with('-') => {
                        if z.starts_with('Z') && v.starts_with('Z') {
                            v = &v[1..];
                        } else {
                            let sign = match v.as_bytes().first() {
                                Some(b'+') => 1,
                                Some(b'-') => -1,
                                _ => return Err(bad()),
                            };
                            v = &v[1..];
                            let hh = num(&mut v, 2, 2).ok_or_else(bad)?;
                            if v.starts_with(':') {
                                v = &v[1..];
                            }
                            let mm = if z.len() > 3 {
                                num(&mut v, 2, 2).unwrap_or(0)
                            } else {
                                0
                            };
                            offset = sign * (hh * 3600 + mm * 60);
                        }
                    }
                    _ => {}
                }
                rest = after;
                continue 'outer;
            }
        }
        let ch = rest.chars().next().unwrap_or(' ');
        if !v.starts_with(ch) {
            return Err(bad());
        }
        rest = &rest[ch.len_utf8()..];
        v = &v[ch.len_utf8()..];
    }
    if !v.is_empty() {
        return Err(format!("parsing time {:?}: extra text: {:?}", value, v));
    }
    if let Some(p) = pm {
        if p && h < 12 {
            h += 12;
        } else if !p && h == 12 {
            h = 0;
        }
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 59 {
        return Err(format!("parsing time {:?}: value out of range", value));
    }
    let days = days_from_civil(y, mo, d);
    Ok(GoTime {
        secs: days * 86400 + (h * 3600 + mi * 60 + s) as i64 - offset,
        nanos: ns,
    })
}

/// The time a `date` argument stands for: a time, or Unix seconds as an integer; anything
/// else is now (as in Sprig).
fn time_arg(v: &Value) -> GoTime {
    if let Some(t) = v.downcast_object_ref::<GoTime>() {
        return *t;
    }
    if v.kind() == ValueKind::Number && v.is_integer() {
        return GoTime {
            secs: to_i64(v),
            nanos: 0,
        };
    }
    GoTime::now()
}

fn now(a: &[Value]) -> Result<Value, Error> {
    want("now", a, 0, 0)?;
    Ok(Value::from_object(GoTime::now()))
}

fn date(a: &[Value]) -> Result<Value, Error> {
    want("date", a, 2, 2)?;
    Ok(Value::from(format_time(&time_arg(&a[1]), &text(&a[0]))))
}

fn date_in_zone(a: &[Value]) -> Result<Value, Error> {
    want("dateInZone", a, 3, 3)?;
    Ok(Value::from(format_time(&time_arg(&a[1]), &text(&a[0]))))
}

fn html_date(a: &[Value]) -> Result<Value, Error> {
    want("htmlDate", a, 1, 1)?;
    Ok(Value::from(format_time(&time_arg(&a[0]), "2006-01-02")))
}

fn html_date_in_zone(a: &[Value]) -> Result<Value, Error> {
    want("htmlDateInZone", a, 2, 2)?;
    Ok(Value::from(format_time(&time_arg(&a[0]), "2006-01-02")))
}

fn unix_epoch(a: &[Value]) -> Result<Value, Error> {
    want("unixEpoch", a, 1, 1)?;
    Ok(Value::from(time_arg(&a[0]).secs.to_string()))
}

fn to_date(a: &[Value]) -> Result<Value, Error> {
    want("toDate", a, 2, 2)?;
    Ok(Value::from_object(
        parse_time(&text(&a[0]), &text(&a[1])).unwrap_or(GoTime {
            secs: -62135596800,
            nanos: 0,
        }),
    ))
}

fn must_to_date(a: &[Value]) -> Result<Value, Error> {
    want("mustToDate", a, 2, 2)?;
    parse_time(&text(&a[0]), &text(&a[1]))
        .map(Value::from_object)
        .map_err(|e| err("mustToDate", e))
}

/// Go's `time.Duration.String()` of `nanos`.
pub fn go_duration(nanos: i128) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let neg = nanos < 0;
    let u = nanos.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if u < 1_000_000_000 {
        let (unit, div) = if u < 1_000 {
            ("ns", 1u128)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        let whole = u / div;
        let frac = u % div;
        let frac_s = if frac == 0 {
            String::new()
        } else {
            let width = div.to_string().len() - 1;
            format!(".{:0width$}", frac, width = width)
                .trim_end_matches('0')
                .to_string()
        };
        return format!("{sign}{whole}{frac_s}{unit}");
    }
    let secs_total = u / 1_000_000_000;
    let frac = u % 1_000_000_000;
    let h = secs_total / 3600;
    let m = secs_total / 60 % 60;
    let s = secs_total % 60;
    let frac_s = if frac == 0 {
        String::new()
    } else {
        format!(".{:09}", frac).trim_end_matches('0').to_string()
    };
    let mut out = sign.to_string();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    out.push_str(&format!("{s}{frac_s}s"));
    out
}

/// `duration SECONDS`: seconds (an integer or a numeric string) as a Go duration. Sprig
/// takes int64 and strings only: a float64 (any number from YAML) is 0s. Go's `int`
/// literals are 0s too, but Jinja's integers are int64 here.
fn duration(a: &[Value]) -> Result<Value, Error> {
    want("duration", a, 1, 1)?;
    let secs = match a[0].as_str() {
        Some(s) => s.parse::<i64>().unwrap_or(0),
        None if a[0].is_integer() => to_i64(&a[0]),
        None => 0,
    };
    Ok(Value::from(go_duration(secs as i128 * 1_000_000_000)))
}

/// Go's `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(s: &str) -> Result<i128, String> {
    let bad = || format!("time: invalid duration {:?}", s);
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        if n == 0 {
            return Err(bad());
        }
        let num: f64 = rest[..n].parse().map_err(|_| bad())?;
        rest = &rest[n..];
        let u = rest
            .bytes()
            .take_while(|b| !(b.is_ascii_digit() || *b == b'.'))
            .count();
        let unit = &rest[..u];
        rest = &rest[u..];
        let mult = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {:?}", s)),
            _ => return Err(format!("time: unknown unit {:?} in duration {:?}", unit, s)),
        };
        total += num * mult;
    }
    let t = total.round() as i128;
    Ok(if neg { -t } else { t })
}

fn duration_round(a: &[Value]) -> Result<Value, Error> {
    want("durationRound", a, 1, 1)?;
    let v = &a[0];
    let nanos: i128 = if let Some(s) = v.as_str() {
        parse_duration(s).unwrap_or(0)
    } else if let Some(t) = v.downcast_object_ref::<GoTime>() {
        let n = GoTime::now();
        (n.secs as i128 - t.secs as i128) * 1_000_000_000
    } else {
        to_i64(v) as i128
    };
    let u = nanos.unsigned_abs();
    let (sec, minute, hour, day, month, year) = (
        1_000_000_000u128,
        60_000_000_000u128,
        3_600_000_000_000u128,
        86_400_000_000_000u128,
        2_592_000_000_000_000u128,
        31_536_000_000_000_000u128,
    );
    let out = if u > year {
        format!("{}y", u / year)
    } else if u > month {
        format!("{}mo", u / month)
    } else if u > day {
        format!("{}d", u / day)
    } else if u > hour {
        format!("{}h", u / hour)
    } else if u > minute {
        format!("{}m", u / minute)
    } else if u > sec {
        format!("{}s", u / sec)
    } else {
        "0s".to_string()
    };
    Ok(Value::from(out))
}

fn modify(name: &str, a: &[Value]) -> Result<GoTime, String> {
    let d = parse_duration(&text(&a[0]))?;
    let t = time_arg(&a[1]);
    let total = t.secs as i128 * 1_000_000_000 + t.nanos as i128 + d;
    let _ = name;
    Ok(GoTime {
        secs: total.div_euclid(1_000_000_000) as i64,
        nanos: total.rem_euclid(1_000_000_000) as u32,
    })
}

fn date_modify(a: &[Value]) -> Result<Value, Error> {
    want("dateModify", a, 2, 2)?;
    Ok(match modify("dateModify", a) {
        Ok(t) => Value::from_object(t),
        Err(_) => a[1].clone(),
    })
}

fn must_date_modify(a: &[Value]) -> Result<Value, Error> {
    want("mustDateModify", a, 2, 2)?;
    modify("mustDateModify", a)
        .map(Value::from_object)
        .map_err(|e| err("mustDateModify", e))
}

fn ago(a: &[Value]) -> Result<Value, Error> {
    want("ago", a, 1, 1)?;
    let t = time_arg(&a[0]);
    let n = GoTime::now();
    let secs = n.secs as i128 - t.secs as i128;
    Ok(Value::from(go_duration(secs * 1_000_000_000)))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn formats_fixed_times() {
        let t = GoTime {
            secs: 1_700_000_000,
            nanos: 123_000_000,
        };
        assert_eq!(
            format_time(&t, "2006-01-02T15:04:05Z07:00"),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            format_time(&t, "Mon Jan _2 3:04:05.000 PM MST 2006"),
            "Tue Nov 14 10:13:20.123 PM UTC 2023"
        );
        assert_eq!(
            format_time(&t, "January 2, 06 .999 -0700 002"),
            "November 14, 23 .123 +0000 318"
        );
        assert_eq!(
            r(
                r#"{{ date("2006-01-02", 0) }}|{{ 86400 | date("Jan 2 2006") }}|{{ htmlDate(0) }}|{{ dateInZone("15:04", 3600, "UTC") }}|{{ unixEpoch(toDate("2006-01-02", "2024-02-29")) }}"#
            ),
            "1970-01-01|Jan 2 1970|1970-01-01|01:00|1709164800"
        );
    }

    #[test]
    fn parses_times() {
        let t = parse_time("2006-01-02T15:04:05Z07:00", "2024-03-01T10:20:30+02:00").unwrap();
        assert_eq!(
            format_time(&t, "2006-01-02 15:04:05"),
            "2024-03-01 08:20:30"
        );
        assert!(parse_time("2006-01-02", "2024-13-01").is_err());
        assert!(parse_time("2006-01-02", "x").is_err());
        assert!(e(r#"{{ mustToDate("2006", "x") }}"#).contains("mustToDate"));
    }

    #[test]
    fn durations() {
        assert_eq!(
            r(
                r#"{{ duration(95) }}|{{ duration("3600") }}|{{ duration(0) }}|{{ duration(95.0) }}|{{ durationRound("2h10m") }}|{{ date("15:04", dateModify("-1.5h", 7200)) }}"#
            ),
            "1m35s|1h0m0s|0s|0s|2h|00:30"
        );
        assert_eq!(go_duration(1_500), "1.5µs");
        assert_eq!(parse_duration("1h30m").unwrap(), 5_400_000_000_000);
        assert!(parse_duration("5").is_err());
    }

    #[test]
    fn now_is_a_time() {
        let out = r(r#"{{ now() | date("2006") }}"#);
        assert!(out.parse::<i32>().unwrap() >= 2024);
    }
}
