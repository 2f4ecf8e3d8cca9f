//! No input keeps the YAML reader busy: inputs that hung the old reader (bare CRs) or make a
//! naive scanner quadratic, each read at two sizes. Reading four times the input must cost less
//! than ten times the CPU time (linear is four, quadratic sixteen). The two readings are
//! compared with each other, in CPU time of this process (the only test in this binary, so no
//! other test's work is counted), not with a clock budget: a slow or loaded machine cannot
//! fail it, a reader that is not linear does.

use std::time::Duration;

/// CPU time used by this process so far.
#[cfg(unix)]
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu_time() -> Duration {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// The least CPU time of three readings of `text`.
fn cost(text: &str) -> Duration {
    (0..3)
        .map(|_| {
            let started = cpu_time();
            let _ = chartr::yaml::parse(text, "t");
            cpu_time().saturating_sub(started)
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn no_input_keeps_the_reader_busy() {
    type Input = fn(usize) -> String;
    let inputs: [(&str, Input, usize); 5] = [
        (
            "long key",
            |n| format!("{{{}: 1}}\n", "k".repeat(n)),
            100_000,
        ),
        (
            "bare CRs",
            |n| {
                (0..n)
                    .map(|i| format!("k{i}: [1,\r2, {{a: b}}]\n"))
                    .collect()
            },
            2_000,
        ),
        (
            "deep flow lists",
            |n| format!("a: {}{}\n", "[".repeat(n), "]".repeat(n)),
            2_000,
        ),
        (
            "aliases",
            |n| {
                let uses: String = (0..n).map(|i| format!("b{i}: *a\n")).collect();
                format!("a: &a [x]\n{uses}")
            },
            2_000,
        ),
        (
            "nested maps",
            |n| {
                (0..n)
                    .map(|i| format!("s{i}:\n  g:\n    k: v{i}\n    l: [1, 2]\n"))
                    .collect()
            },
            2_000,
        ),
    ];
    for (what, input, n) in inputs {
        let (small, big) = (cost(&input(n)), cost(&input(4 * n)));
        assert!(
            big < small * 10,
            "{what}: {n} units took {small:?} of CPU, {} took {big:?}",
            4 * n
        );
    }
}
