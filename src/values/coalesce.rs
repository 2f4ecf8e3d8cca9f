//! Helm v4's pkg/chart/common/util/coalesce.go, ported statement by statement over shared maps
//! (see [`super::tree`]): a chart's defaults under the values given, subcharts' sections
//! coalesced with their own defaults, globals copied down (the parent's win), nulls deleting
//! keys where a default exists.

use super::tree::{deep_copy_map, new_map, shallow_copy_map, MapRef, Node, V};
use super::TypeMismatch;
use crate::chart::Chart;
use crate::Value;

type Result<T, E = TypeMismatch> = std::result::Result<T, E>;

pub(crate) const GLOBAL_KEY: &str = "global";

/// A `dependencies:` entry while Helm processes it (names become aliases, `enabled` flips).
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub name: String,
    pub version: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub alias: String,
    pub import_values: Vec<Value>,
    pub enabled: bool,
}

/// A chart while its values are worked out: Helm's `*chart.Chart` fields that matter here.
#[derive(Debug, Clone)]
pub(crate) struct CChart {
    pub name: String,
    pub version: String,
    /// `c.Values` (replaced by import-values processing).
    pub values: MapRef,
    /// `c.Metadata.Dependencies`; `None` is Go's nil slice.
    pub reqs: Option<Vec<Req>>,
    /// `c.Dependencies()`.
    pub deps: Vec<CChart>,
    /// The loaded chart, without its subcharts (they are in `deps`).
    pub chart: Chart,
}

/// `CoalesceValues(chrt, vals)`.
pub(crate) fn coalesce_values(c: &CChart, vals: &MapRef) -> Result<MapRef> {
    let copy = deep_copy_map(vals);
    coalesce(c, copy, false)
}

/// [`coalesce_values`] on values no one else holds: when no map in them is shared either, the
/// deep copy Helm makes would be the same tree, so they are used as they are.
pub(crate) fn coalesce_owned_values(c: &CChart, vals: MapRef) -> Result<MapRef> {
    let dest = if super::tree::unshared(&vals) {
        vals
    } else {
        deep_copy_map(&vals)
    };
    coalesce(c, dest, false)
}

/// `MergeValues(chrt, vals)`: like coalescing, but nulls are kept.
pub(crate) fn merge_values(c: &CChart, vals: &MapRef) -> Result<MapRef> {
    let copy = deep_copy_map(vals);
    coalesce(c, copy, true)
}

fn coalesce(c: &CChart, dest: MapRef, merge: bool) -> Result<MapRef> {
    coalesce_chart_values(c, &dest, merge);
    coalesce_deps(c, dest, merge)
}

fn coalesce_deps(c: &CChart, dest: MapRef, merge: bool) -> Result<MapRef> {
    for sub in &c.deps {
        let existing = dest.borrow().get(&sub.name).cloned();
        let dvmap = match existing {
            None => {
                let m = new_map();
                dest.borrow_mut()
                    .insert(sub.name.clone(), Node::map(m.clone(), None));
                m
            }
            Some(Node { v: V::Map(m), .. }) => m,
            Some(other) => {
                return Err(TypeMismatch {
                    subchart: sub.name.clone(),
                    found: other.go_percent_t(),
                })
            }
        };
        coalesce_globals(&dvmap, &dest);
        let out = coalesce(sub, dvmap, merge)?;
        let o = dest.borrow().get(&sub.name).and_then(|n| n.o.clone());
        dest.borrow_mut()
            .insert(sub.name.clone(), Node::map(out, o));
    }
    Ok(dest)
}

/// Copies the globals of `src` into `dest` (the subchart's section); `src`'s win.
fn coalesce_globals(dest: &MapRef, src: &MapRef) {
    let dg = match dest.borrow().get(GLOBAL_KEY) {
        None => None,
        Some(Node { v: V::Map(m), .. }) => Some(m.clone()),
        Some(_) => return, // "skipping globals because destination global is not a table"
    };
    let dg_origin = dest.borrow().get(GLOBAL_KEY).and_then(|n| n.o.clone());
    let dg = dg.unwrap_or_else(new_map);
    let sg = match src.borrow().get(GLOBAL_KEY) {
        None => new_map(),
        Some(Node { v: V::Map(m), .. }) => m.clone(),
        Some(_) => return,
    };
    let sg_origin = src.borrow().get(GLOBAL_KEY).and_then(|n| n.o.clone());
    let entries: Vec<(String, Node)> = sg
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        if let V::Map(vm) = &val.v {
            let vv = shallow_copy_map(vm);
            let destv = dg.borrow().get(&key).cloned();
            match destv {
                None => {
                    dg.borrow_mut().insert(key, Node::map(vv, val.o.clone()));
                }
                Some(Node {
                    v: V::Map(destvmap),
                    ..
                }) => {
                    coalesce_tables(&vv, &destvmap, true);
                    dg.borrow_mut().insert(key, Node::map(vv, val.o.clone()));
                }
                Some(_) => {} // "cannot merge map onto non-map"
            }
        } else {
            let is_table = matches!(dg.borrow().get(&key), Some(Node { v: V::Map(_), .. }));
            if !is_table {
                dg.borrow_mut().insert(key, val);
            }
        }
    }
    dest.borrow_mut().insert(
        GLOBAL_KEY.to_string(),
        Node::map(dg, dg_origin.or(sg_origin)),
    );
}

/// `coalesceValues`: the chart's defaults (a deep copy) under `v`.
fn coalesce_chart_values(c: &CChart, v: &MapRef, merge: bool) {
    let vc = deep_copy_map(&c.values);
    let entries: Vec<(String, Node)> = vc
        .borrow()
        .iter()
        .map(|(k, n)| (k.clone(), n.clone()))
        .collect();
    for (key, val) in entries {
        let value = v.borrow().get(&key).cloned();
        match value {
            Some(value) => {
                if value.is_null() && !merge {
                    v.borrow_mut().shift_remove(&key);
                } else if let V::Map(dest) = &value.v {
                    if let V::Map(src) = &val.v {
                        let merge = merge || c.deps.iter().any(|d| d.name == key);
                        coalesce_tables(dest, src, merge);
                    }
                }
            }
            None => {
                v.borrow_mut().insert(key, val);
            }
        }
    }
}

/// `coalesceTablesFullKey` (v4): merges `src` into `dst`, `dst` winning. A null in `dst`
/// deletes the key when `src` had a non-null value there (coalescing, not merging).
pub(crate) fn coalesce_tables(dst: &MapRef, src: &MapRef, merge: bool) {
    if std::rc::Rc::ptr_eq(dst, src) {
        // Go would iterate one map while writing it; nothing changes but nulls.
        return;
    }
    let src_original_non_nil: std::collections::HashSet<String> = src
        .borrow()
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    let dst_nils: Vec<String> = dst
        .borrow()
        .iter()
        .filter(|(_, v)| v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for k in dst_nils {
        let mut s = src.borrow_mut();
        match s.get_mut(&k) {
            Some(n) => n.v = V::Null,
            None => {
                s.insert(k, Node::null());
            }
        }
    }
    let entries: Vec<(String, Node)> = src
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (key, val) in entries {
        let dv = dst.borrow().get(&key).cloned();
        match dv {
            Some(dv) if !merge && dv.is_null() && src_original_non_nil.contains(&key) => {
                dst.borrow_mut().shift_remove(&key);
            }
            None => {
                dst.borrow_mut().insert(key, val);
            }
            Some(dv) => {
                if let V::Map(sm) = &val.v {
                    if let V::Map(dm) = &dv.v {
                        coalesce_tables(dm, sm, merge);
                    }
                }
            }
        }
    }
}

/// `Values.Table(name)`: the map at a dotted path.
pub(crate) fn table(v: &MapRef, name: &str) -> Option<MapRef> {
    let mut t = v.clone();
    for part in name.split('.') {
        let next = match t.borrow().get(part) {
            Some(Node { v: V::Map(m), .. }) => m.clone(),
            _ => return None,
        };
        t = next;
    }
    Some(t)
}

/// `Values.PathValue(path)`: a non-map value at a dotted path. `Err(true)` is "no value",
/// `Err(false)` another error (an empty path).
pub(crate) fn path_value(v: &MapRef, path: &str) -> Result<Node, bool> {
    if path.is_empty() {
        return Err(false);
    }
    let parts: Vec<&str> = path.split('.').collect();
    let (key, parents) = parts.split_last().ok_or(true)?;
    let t = if parents.is_empty() {
        v.clone()
    } else {
        table(v, &parents.join(".")).ok_or(true)?
    };
    let b = t.borrow();
    match b.get(*key) {
        Some(n) if n.as_map().is_none() => Ok(n.clone()),
        _ => Err(true),
    }
}
