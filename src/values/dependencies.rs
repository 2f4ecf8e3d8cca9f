//! Helm v4's pkg/chart/v2/util/dependencies.go: which subcharts are enabled (`condition`,
//! `tags`), aliases, and `import-values` lifting a child's values into its parent.

use super::coalesce::{self, merge_values, table, CChart, Req};
use super::tree::{deep_copy_map, new_map, MapRef, Node, V};
use super::TypeMismatch;
use crate::chart::Chart;
use crate::semver;
use crate::Value;

type Result<T, E = TypeMismatch> = std::result::Result<T, E>;

/// Builds the working tree from a loaded chart (subcharts in load order).
pub(crate) fn from_chart(mut chart: Chart) -> CChart {
    let deps = std::mem::take(&mut chart.dependencies)
        .into_iter()
        .map(from_chart)
        .collect();
    let source = chart.file_label("values.yaml");
    let values =
        super::tree::map_from_yaml(chart.values.clone(), &chart.values_lines, &source.into());
    let reqs = if chart.metadata.dependencies_declared {
        Some(
            chart
                .metadata
                .dependencies
                .iter()
                .map(|d| Req {
                    name: d.name.clone(),
                    version: d.version.clone(),
                    condition: d.condition.clone().unwrap_or_default(),
                    tags: d.tags.clone(),
                    alias: d.alias.clone().unwrap_or_default(),
                    import_values: d.import_values.clone(),
                    enabled: false,
                })
                .collect(),
        )
    } else {
        None
    };
    CChart {
        name: chart.metadata.name.clone(),
        version: chart.metadata.version.clone(),
        values,
        reqs,
        deps,
        chart,
    }
}

/// Puts the processed tree back into a `Chart`: disabled subcharts gone, aliases applied.
pub(crate) fn into_chart(c: CChart) -> Chart {
    let mut chart = c.chart;
    if chart.metadata.name != c.name {
        chart.metadata.name = c.name.clone();
        chart
            .metadata_raw
            .insert("name".into(), Value::String(c.name.clone()));
    }
    let reqs = c.reqs.unwrap_or_default();
    chart.metadata.dependencies.retain(|d| {
        let n = d
            .alias
            .as_deref()
            .filter(|a| !a.is_empty())
            .unwrap_or(&d.name);
        reqs.iter().any(|r| r.name == n)
    });
    chart.metadata.dependencies_declared = !chart.metadata.dependencies.is_empty();
    chart.dependencies = c.deps.into_iter().map(into_chart).collect();
    chart
}

/// `ProcessDependencies(c, v)` (v4 merges, keeping nulls, while importing values).
pub(crate) fn process(c: &mut CChart, v: &MapRef) -> Result<()> {
    process_enabled(c, v, "")?;
    process_import_values_deep(c)
}

fn alias_dependency(charts: &[CChart], dep: &Req) -> Option<CChart> {
    for c in charts {
        if c.name != dep.name || !semver::is_compatible_range(&dep.version, &c.version) {
            continue;
        }
        let mut out = c.clone();
        if !dep.alias.is_empty() {
            out.name = dep.alias.clone();
        }
        return Some(out);
    }
    None
}

fn process_enabled(c: &mut CChart, v: &MapRef, path: &str) -> Result<()> {
    let Some(mut reqs) = c.reqs.take() else {
        return Ok(());
    };
    let mut chart_deps: Vec<CChart> = Vec::new();
    for existing in &c.deps {
        let declared = reqs.iter().any(|r| {
            existing.name == r.name && semver::is_compatible_range(&r.version, &existing.version)
        });
        if !declared {
            chart_deps.push(existing.clone());
        }
    }
    for req in reqs.iter_mut() {
        if let Some(d) = alias_dependency(&c.deps, req) {
            chart_deps.push(d);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.deps = chart_deps;
    for r in reqs.iter_mut() {
        r.enabled = true;
    }
    c.reqs = Some(reqs.clone());
    let cvals = coalesce::coalesce_values(c, v)?;
    process_tags(&mut reqs, &cvals);
    process_conditions(&mut reqs, &cvals, path);
    let rm: Vec<String> = reqs
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    let mut cd: Vec<CChart> = std::mem::take(&mut c.deps)
        .into_iter()
        .filter(|d| !rm.contains(&d.name))
        .collect();
    let cd_meta: Vec<Req> = reqs.into_iter().filter(|r| !rm.contains(&r.name)).collect();
    for t in cd.iter_mut() {
        let subpath = format!("{path}{}.", t.name);
        process_enabled(t, &cvals, &subpath)?;
    }
    c.reqs = if cd_meta.is_empty() {
        None
    } else {
        Some(cd_meta)
    };
    c.deps = cd;
    Ok(())
}

fn process_tags(reqs: &mut [Req], cvals: &MapRef) {
    let Some(vt) = table(cvals, "tags") else {
        return;
    };
    let vt = vt.borrow();
    for r in reqs.iter_mut() {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            if let Some(Node { v: V::Bool(b), .. }) = vt.get(k) {
                if *b {
                    has_true = true;
                } else {
                    has_false = true;
                }
            }
        }
        r.enabled = has_true || !has_false;
    }
}

fn process_conditions(reqs: &mut [Req], cvals: &MapRef, path: &str) {
    for r in reqs.iter_mut() {
        for cond in r.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            if let Ok(Node { v: V::Bool(b), .. }) =
                coalesce::path_value(cvals, &format!("{path}{cond}"))
            {
                r.enabled = b;
                break;
            }
        }
    }
}

fn process_import_values_deep(c: &mut CChart) -> Result<()> {
    for d in c.deps.iter_mut() {
        process_import_values_deep(d)?;
    }
    process_import_values(c)
}

/// Go's `fmt.Sprintf("%v", x)` for an import-values field.
fn go_v(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "<nil>".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if n.is_f64() => crate::gojson::format_float_v(f),
            _ => n.to_string(),
        },
        Some(other) => other.to_string(),
    }
}

fn path_to_map(path: &str, data: MapRef) -> MapRef {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let m = new_map();
        m.borrow_mut()
            .insert(part.to_string(), Node::map(cur, None));
        cur = m;
    }
    cur
}

fn process_import_values(c: &mut CChart) -> Result<()> {
    let Some(reqs) = c.reqs.clone() else {
        return Ok(());
    };
    let cvals = merge_values(c, &new_map())?;
    let b = new_map();
    for r in &reqs {
        for riv in &r.import_values {
            match riv {
                Value::Object(iv) => {
                    let child = go_v(iv.get("child"));
                    let parent = go_v(iv.get("parent"));
                    let Some(vv) = table(&cvals, &format!("{}.{child}", r.name)) else {
                        continue;
                    };
                    coalesce::coalesce_tables(&b, &path_to_map(&parent, vv), true);
                }
                Value::String(iv) => {
                    let Some(vm) = table(&cvals, &format!("{}.exports.{iv}", r.name)) else {
                        continue;
                    };
                    coalesce::coalesce_tables(&b, &vm, true);
                }
                _ => {}
            }
        }
    }
    let cvals = deep_copy_map(&cvals);
    coalesce::coalesce_tables(&cvals, &b, true);
    c.values = cvals;
    Ok(())
}
