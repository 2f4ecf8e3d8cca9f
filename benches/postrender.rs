//! `chartr post-render` on generated streams of 2,500 to 20,000 objects (Deployments with two
//! containers and a pod template, Services, ConfigMaps), with every transform at once: image
//! registry, registry map, label, annotation, namespace, pull secret and a patch.
//! Before timing, it prints the peak heap each size needs (a counting allocator), to show that
//! memory grows linearly with the input. Run: `cargo bench --bench postrender`.

use chartr::manifest::transform::image::Rewrite;
use chartr::manifest::transform::patch::{Body, Patch, Target};
use chartr::manifest::transform::{post_render, Transforms};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        // SAFETY: forwarded to the system allocator with the caller's layout.
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: `p` came from `alloc` above with this layout.
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// A `helm template`-like stream of `n` objects (one in three a Deployment).
fn stream(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let file = format!("app/templates/svc{}.yaml", i / 3);
        match i % 3 {
            0 => write!(
                s,
                "---\n# Source: {file}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc{i}\n  labels:\n    app: svc{i}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: svc{i}\n  template:\n    metadata:\n      labels:\n        app: svc{i}\n    spec:\n      containers:\n        - name: app\n          image: repo/svc{i}:v1.{i}\n          ports:\n            - containerPort: 8080\n        - name: proxy\n          image: quay.io/proxy/envoy:1.{i}\n"
            ),
            1 => write!(
                s,
                "---\n# Source: {file}\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\nspec:\n  selector:\n    app: svc{}\n  ports:\n    - port: 80\n      targetPort: 8080\n",
                i - 1
            ),
            _ => write!(
                s,
                "---\n# Source: {file}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: svc{i}-config\ndata:\n  LOG_LEVEL: info\n  REPLICA: \"{i}\"\n"
            ),
        }
        .expect("write to string");
    }
    s
}

fn transforms() -> Transforms {
    Transforms {
        patches: vec![Patch::new(
            "bench".into(),
            Target::from_value(&json!({"kind": "Deployment", "name": "svc0"})).expect("target"),
            Body::from_value(&json!({"spec": {"replicas": 3}}), "bench").expect("patch"),
        )],
        namespace: Some("prod".into()),
        labels: vec![("team".into(), "data".into())],
        annotations: vec![("owner".into(), "ops".into())],
        images: Rewrite::new(
            Some("mirror.example.com".into()),
            vec![("quay.io".into(), "quay.mirror.example.com".into())],
        ),
        pull_secrets: vec!["regcred".into()],
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    let t = transforms();
    for n in [2_500, 5_000, 10_000, 20_000] {
        let input = stream(n);
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let out = post_render(&input, &t).expect("post-render works");
        let peak = PEAK.load(Ordering::Relaxed) - before;
        println!(
            "{n} objects: input {:.1} MB, output {:.1} MB, peak heap {:.1} MB ({:.1} x input)",
            input.len() as f64 / 1e6,
            out.len() as f64 / 1e6,
            peak as f64 / 1e6,
            peak as f64 / input.len() as f64
        );
    }
    let mut g = c.benchmark_group("post-render");
    g.sample_size(10);
    for n in [2_500, 10_000] {
        let input = stream(n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &input, |b, input| {
            b.iter(|| post_render(input, &t).expect("post-render works"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
