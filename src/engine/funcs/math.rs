//! Arithmetic (Sprig's numeric.go): integer functions return int64 (arguments converted as
//! spf13/cast does, floats truncated), the `...f` family float64.

use super::{err, to_f64, to_i64, want, Func};
use minijinja::{Error, Value};

pub(super) const FUNCS: &[(&str, Func)] = &[
    ("add1", add1),
    ("add", add),
    ("sub", sub),
    ("mul", mul),
    ("div", div),
    ("mod", modulo),
    ("max", max),
    ("biggest", max),
    ("min", min),
    ("floor", floor),
    ("ceil", ceil),
    ("round", round),
    ("add1f", add1f),
    ("addf", addf),
    ("subf", subf),
    ("mulf", mulf),
    ("divf", divf),
    ("maxf", maxf),
    ("minf", minf),
];

fn int(v: i64) -> Result<Value, Error> {
    Ok(Value::from(v))
}

fn add1(a: &[Value]) -> Result<Value, Error> {
    want("add1", a, 1, 1)?;
    int(to_i64(&a[0]).wrapping_add(1))
}

fn add(a: &[Value]) -> Result<Value, Error> {
    int(a.iter().fold(0i64, |s, v| s.wrapping_add(to_i64(v))))
}

fn sub(a: &[Value]) -> Result<Value, Error> {
    want("sub", a, 2, 2)?;
    int(to_i64(&a[0]).wrapping_sub(to_i64(&a[1])))
}

fn mul(a: &[Value]) -> Result<Value, Error> {
    want("mul", a, 1, usize::MAX)?;
    int(a[1..]
        .iter()
        .fold(to_i64(&a[0]), |s, v| s.wrapping_mul(to_i64(v))))
}

fn div(a: &[Value]) -> Result<Value, Error> {
    want("div", a, 2, 2)?;
    let d = to_i64(&a[1]);
    if d == 0 {
        return Err(err("div", "runtime error: integer divide by zero"));
    }
    int(to_i64(&a[0]).wrapping_div(d))
}

fn modulo(a: &[Value]) -> Result<Value, Error> {
    want("mod", a, 2, 2)?;
    let d = to_i64(&a[1]);
    if d == 0 {
        return Err(err("mod", "runtime error: integer divide by zero"));
    }
    int(to_i64(&a[0]).wrapping_rem(d))
}

fn max(a: &[Value]) -> Result<Value, Error> {
    want("max", a, 1, usize::MAX)?;
    int(a.iter().map(to_i64).max().unwrap_or(0))
}

fn min(a: &[Value]) -> Result<Value, Error> {
    want("min", a, 1, usize::MAX)?;
    int(a.iter().map(to_i64).min().unwrap_or(0))
}

fn float(v: f64) -> Result<Value, Error> {
    Ok(Value::from(v))
}

fn floor(a: &[Value]) -> Result<Value, Error> {
    want("floor", a, 1, 1)?;
    float(to_f64(&a[0]).floor())
}

fn ceil(a: &[Value]) -> Result<Value, Error> {
    want("ceil", a, 1, 1)?;
    float(to_f64(&a[0]).ceil())
}

/// Sprig's `round VALUE PLACES [ROUND_ON]`.
fn round(a: &[Value]) -> Result<Value, Error> {
    want("round", a, 2, 3)?;
    let round_on = a.get(2).map(to_f64).unwrap_or(0.5);
    let val = to_f64(&a[0]);
    let pow = 10f64.powf(to_i64(&a[1]) as f64);
    let digit = pow * val;
    let frac = digit.fract();
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    float(r / pow)
}

/// shopspring/decimal's exact arithmetic, approximated: the float result rounded to 15
/// significant digits (so `addf 1.1 2.2` is 3.3, as in Helm).
fn decimal(v: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v;
    }
    format!("{v:.14e}").parse().unwrap_or(v)
}

fn add1f(a: &[Value]) -> Result<Value, Error> {
    want("add1f", a, 1, 1)?;
    float(decimal(to_f64(&a[0]) + 1.0))
}

fn addf(a: &[Value]) -> Result<Value, Error> {
    float(decimal(a.iter().map(to_f64).sum()))
}

fn fold_f(name: &str, a: &[Value], f: fn(f64, f64) -> f64) -> Result<Value, Error> {
    want(name, a, 1, usize::MAX)?;
    float(decimal(
        a[1..].iter().fold(to_f64(&a[0]), |s, v| f(s, to_f64(v))),
    ))
}

fn subf(a: &[Value]) -> Result<Value, Error> {
    fold_f("subf", a, |x, y| x - y)
}

fn mulf(a: &[Value]) -> Result<Value, Error> {
    fold_f("mulf", a, |x, y| x * y)
}

fn divf(a: &[Value]) -> Result<Value, Error> {
    want("divf", a, 1, usize::MAX)?;
    if a[1..].iter().any(|v| to_f64(v) == 0.0) {
        return Err(err("divf", "decimal division by 0"));
    }
    fold_f("divf", a, |x, y| x / y)
}

fn maxf(a: &[Value]) -> Result<Value, Error> {
    want("maxf", a, 1, usize::MAX)?;
    float(a.iter().map(to_f64).fold(f64::NEG_INFINITY, f64::max))
}

fn minf(a: &[Value]) -> Result<Value, Error> {
    want("minf", a, 1, usize::MAX)?;
    float(a.iter().map(to_f64).fold(f64::INFINITY, f64::min))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use serde_json::json;

    #[test]
    fn integer_math() {
        let out = render_ctx(
            "{{ add(1, f, \"3\") }}|{{ add1(f) }}|{{ sub(10, 2.9) }}|{{ mul(2, 3, 4) }}|{{ div(7, 2) }}|{{ div(-7, 2) }}|{{ mod(7, 3) }}|{{ max(1, 5.5, 3) }}|{{ min(4, -1) }}|{{ add(1, 2) | kindOf }}|{{ 5 | add(1) }}",
            json!({"f": 2.5}),
        )
        .unwrap();
        assert_eq!(out, "6|3|8|24|3|-3|1|5|-1|int64|6");
        assert!(e("{{ div(1, 0) }}").contains("divide by zero"));
        assert!(e("{{ mod(1, 0) }}").contains("divide by zero"));
    }

    #[test]
    fn float_math() {
        assert_eq!(r("{{ floor(1.7) }}|{{ ceil(1.2) }}|{{ round(3.14659, 2) }}|{{ round(2.5, 0) }}|{{ addf(1.1, 2.2) }}|{{ subf(5, 1.5) }}|{{ mulf(1.1, 3) }}|{{ divf(10, 4) }}|{{ maxf(1, 2.5) }}|{{ minf(1, 2.5) }}|{{ floor(2) | kindOf }}"), "1|2|3.15|3|3.3|3.5|3.3|2.5|2.5|1|float64");
    }
}
