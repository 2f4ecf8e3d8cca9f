//! Values as Go holds them while Helm coalesces: maps are shared references (Go maps), so a map
//! reached from two places is one map, and a change through one path shows through the other.
//! Helm's coalescing relies on that (globals are shallow-copied into subcharts, imported tables
//! are shared with the values they came from), so chartr models it with `Rc<RefCell<..>>` maps
//! and ports the algorithms statement by statement. Every node also carries where it came from.

use super::{Origin, Src};
use crate::{yaml, Map, Value};
use indexmap::IndexMap;
use std::cell::RefCell;
use std::rc::Rc;

/// A Go `map[string]interface{}`: shared by reference.
pub(crate) type MapRef = Rc<RefCell<NodeMap>>;

/// A map's entries in insertion order (printing sorts them).
pub(crate) type NodeMap = IndexMap<String, Node, foldhash::fast::RandomState>;

/// A Go `interface{}` value.
#[derive(Debug, Clone)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Node>),
    Map(MapRef),
}

/// A value and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub v: V,
    pub o: Option<Src>,
}

pub(crate) fn new_map() -> MapRef {
    Rc::new(RefCell::new(NodeMap::default()))
}

impl Node {
    pub fn new(v: V, o: Option<Src>) -> Node {
        Node { v, o }
    }

    pub fn null() -> Node {
        Node {
            v: V::Null,
            o: None,
        }
    }

    pub fn map(m: MapRef, o: Option<Src>) -> Node {
        Node { v: V::Map(m), o }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.v, V::Null)
    }

    pub fn as_map(&self) -> Option<&MapRef> {
        match &self.v {
            V::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Go's type name, for messages that mirror Go's panics and `%t`.
    pub fn go_type(&self) -> &'static str {
        match self.v {
            V::Null => "nil",
            V::Bool(_) => "bool",
            V::Int(_) => "int64",
            V::Float(_) => "float64",
            V::Str(_) => "string",
            V::List(_) => "[]interface {}",
            V::Map(_) => "map[string]interface {}",
        }
    }

    /// Go's `%t` of the value (what Helm prints in "type mismatch on NAME: %t").
    pub fn go_percent_t(&self) -> String {
        match &self.v {
            V::Bool(b) => b.to_string(),
            V::Null => "%!t(<nil>)".to_string(),
            V::Int(i) => format!("%!t(int64={i})"),
            V::Float(f) => format!("%!t(float64={})", crate::gojson::format_float_v(*f)),
            V::Str(s) => format!("%!t(string={s})"),
            V::List(_) => "[...]".to_string(),
            V::Map(_) => "map[...]".to_string(),
        }
    }

    /// A deep copy (Go's copystructure.Copy): new maps all the way down.
    pub fn deep_copy(&self) -> Node {
        Node {
            v: match &self.v {
                V::Map(m) => V::Map(deep_copy_map(m)),
                V::List(l) => V::List(l.iter().map(Node::deep_copy).collect()),
                other => other.clone(),
            },
            o: self.o.clone(),
        }
    }

    /// Builds a node from a plain value, every node of it with the origin `o`.
    pub fn from_value(v: &Value, o: Option<&Src>) -> Node {
        let v = match v {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => {
                if n.is_f64() {
                    V::Float(n.as_f64().unwrap_or(0.0))
                } else if let Some(i) = n.as_i64() {
                    V::Int(i)
                } else {
                    V::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            Value::String(s) => V::Str(s.clone()),
            Value::Array(a) => V::List(a.iter().map(|x| Node::from_value(x, o)).collect()),
            Value::Object(m) => V::Map(map_from_value(m, o)),
        };
        Node { v, o: o.cloned() }
    }

    /// The plain value (Helm's output view).
    pub fn to_value(&self) -> Value {
        match &self.v {
            V::Null => Value::Null,
            V::Bool(b) => Value::Bool(*b),
            V::Int(i) => Value::Number((*i).into()),
            V::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            V::Str(s) => Value::String(s.clone()),
            V::List(l) => Value::Array(l.iter().map(Node::to_value).collect()),
            V::Map(m) => Value::Object(map_to_value(m)),
        }
    }
}

pub(crate) fn deep_copy_map(m: &MapRef) -> MapRef {
    let copy: NodeMap = m
        .borrow()
        .iter()
        .map(|(k, v)| (k.clone(), v.deep_copy()))
        .collect();
    Rc::new(RefCell::new(copy))
}

/// Go's `copyMap`: a new map holding the same values (nested maps shared).
pub(crate) fn shallow_copy_map(m: &MapRef) -> MapRef {
    Rc::new(RefCell::new(m.borrow().clone()))
}

pub(crate) fn map_from_value(m: &Map, o: Option<&Src>) -> MapRef {
    let out: NodeMap = m
        .iter()
        .map(|(k, v)| (k.clone(), Node::from_value(v, o)))
        .collect();
    Rc::new(RefCell::new(out))
}

/// The plain map, keys in Go's sorted order (as Helm prints maps and walks them in templates).
pub(crate) fn map_to_value(m: &MapRef) -> Map {
    let b = m.borrow();
    let mut entries: Vec<(&String, &Node)> = b.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
        .into_iter()
        .map(|(k, v)| (k.clone(), v.to_value()))
        .collect()
}

/// A map built from a YAML document with its line table: each node's origin is `file:line`.
/// The line table is walked beside the values, so this is linear at any depth.
/// The document is consumed as it is converted (keys and strings moved, not copied).
pub(crate) fn map_from_yaml(m: Map, lines: &yaml::Lines, source: &Rc<str>) -> MapRef {
    map_from_yaml_at(m, Some(yaml::Lines::ROOT), lines, source)
}

fn map_from_yaml_at(m: Map, at: Option<usize>, lines: &yaml::Lines, source: &Rc<str>) -> MapRef {
    let mut out = NodeMap::with_capacity_and_hasher(m.len(), Default::default());
    for (k, v) in m {
        let child = at.and_then(|n| lines.child(n, &k));
        out.insert(k, node_from_yaml(v, child, lines, source));
    }
    Rc::new(RefCell::new(out))
}

fn node_from_yaml(v: Value, at: Option<usize>, lines: &yaml::Lines, source: &Rc<str>) -> Node {
    let o = Some(Src::shared(source, at.and_then(|n| lines.line_at(n))));
    match v {
        Value::Array(a) => {
            let mut index = String::new();
            Node {
                v: V::List(
                    a.into_iter()
                        .enumerate()
                        .map(|(i, x)| {
                            index.clear();
                            let _ = std::fmt::Write::write_fmt(&mut index, format_args!("{i}"));
                            let child = at.and_then(|n| lines.child(n, &index));
                            node_from_yaml(x, child, lines, source)
                        })
                        .collect(),
                ),
                o,
            }
        }
        Value::Object(m) => Node {
            v: V::Map(map_from_yaml_at(m, at, lines, source)),
            o,
        },
        Value::String(s) => Node { v: V::Str(s), o },
        other => {
            let mut n = Node::from_value(&other, None);
            n.o = o;
            n
        }
    }
}

/// True when no map in `m` (nor `m`) is held from anywhere else: a deep copy would be the same.
pub(crate) fn unshared(m: &MapRef) -> bool {
    fn node(n: &Node) -> bool {
        match &n.v {
            V::Map(m) => unshared(m),
            V::List(l) => l.iter().all(node),
            _ => true,
        }
    }
    Rc::strong_count(m) == 1 && m.borrow().values().all(node)
}

/// A map whose every node has the same origin (a flag, a JSON object).
pub(crate) fn map_with_origin(m: &Map, origin: &Src) -> MapRef {
    map_from_value(m, Some(origin))
}

/// The plain values, and their origins to look up by path. The tree is consumed: where a part
/// of it is reached only once (no other reference to its maps), its strings are moved out
/// rather than copied, and what is left (keys and origins) is kept for [`super::Origins`].
pub(crate) fn export(m: MapRef) -> (Map, super::Origins) {
    let values = map_out(&m, true);
    (values, super::Origins::of_tree(m))
}

fn map_out(m: &MapRef, unique: bool) -> Map {
    if !(unique && Rc::strong_count(m) == 1) {
        return map_to_value(m);
    }
    let mut b = m.borrow_mut();
    let mut entries: Vec<(&String, &mut Node)> = b.iter_mut().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
        .into_iter()
        .map(|(k, v)| (k.clone(), node_out(v)))
        .collect()
}

/// The plain value of a node reached once, its strings moved out.
fn node_out(n: &mut Node) -> Value {
    match &mut n.v {
        V::Str(s) => Value::String(std::mem::take(s)),
        V::List(l) => Value::Array(l.iter_mut().map(node_out).collect()),
        V::Map(m) => Value::Object(map_out(m, true)),
        _ => n.to_value(),
    }
}

/// The origin of every path under `m`, by dotted path.
pub(crate) fn origins_by_path(m: &MapRef) -> std::collections::BTreeMap<String, Origin> {
    let mut out = std::collections::BTreeMap::new();
    collect_origins(m, "", &mut out);
    out
}

fn collect_origins(m: &MapRef, prefix: &str, out: &mut std::collections::BTreeMap<String, Origin>) {
    for (k, v) in m.borrow().iter() {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        collect_node(v, path, out);
    }
}

fn collect_node(n: &Node, path: String, out: &mut std::collections::BTreeMap<String, Origin>) {
    match &n.v {
        V::Map(m) => collect_origins(m, &path, out),
        V::List(l) => {
            for (i, x) in l.iter().enumerate() {
                collect_node(x, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
    if let Some(o) = &n.o {
        out.insert(path, o.origin());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_maps_show_changes_through_every_path() {
        let inner = new_map();
        let outer = new_map();
        outer
            .borrow_mut()
            .insert("a".into(), Node::map(inner.clone(), None));
        inner
            .borrow_mut()
            .insert("x".into(), Node::new(V::Int(1), None));
        assert_eq!(
            serde_json::to_string(&map_to_value(&outer)).unwrap(),
            r#"{"a":{"x":1}}"#
        );
        let copy = deep_copy_map(&outer);
        inner.borrow_mut().insert("y".into(), Node::null());
        assert_eq!(
            serde_json::to_string(&map_to_value(&copy)).unwrap(),
            r#"{"a":{"x":1}}"#
        );
    }
}
