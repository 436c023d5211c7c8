//! The core's modules import one way: spec data at the bottom, typed protocol code above it,
//! the by-name registry above that, the call machine, pager, settings and session on top. This
//! test reads `core/src` and fails on any import cycle between its top-level modules, naming
//! the modules in the cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module -> the top-level modules its code (not its comments or tests) names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    // `crate::Name` reaches a module through lib.rs's re-exports.
    let mut reexports = BTreeMap::new();
    let reexport =
        regex_lite::Regex::new(r"pub use ([a-z_]+)::(?:\{([^}]*)\}|([A-Za-z_]+))").unwrap();
    for c in reexport.captures_iter(&lib) {
        let names = c.get(2).or(c.get(3)).unwrap().as_str();
        for name in names.split([',', ' ', '\n']).filter(|n| !n.is_empty()) {
            let name = name.rsplit("::").next().unwrap();
            reexports.insert(name.to_owned(), c[1].to_owned());
        }
    }
    let module_ref = regex_lite::Regex::new(r"crate::([A-Za-z_]+)").unwrap();
    let grouped = regex_lite::Regex::new(r"use crate::\{([^}]*)\}").unwrap();
    let comment = regex_lite::Regex::new(r"//[^\n]*").unwrap();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_owned();
        if top == "lib" || !rel.ends_with(".rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let text = comment.replace_all(&text, "");
        let code = text.split("#[cfg(test)]").next().unwrap();
        let mut names: Vec<String> = module_ref
            .captures_iter(code)
            .map(|c| c[1].to_owned())
            .collect();
        for c in grouped.captures_iter(code) {
            names.extend(
                c[1].split(',')
                    .map(|p| p.trim().split("::").next().unwrap().to_owned()),
            );
        }
        let entry = graph.entry(top.clone()).or_default();
        for name in names {
            let module = reexports.get(&name).cloned().unwrap_or(name);
            if module != top {
                entry.insert(module);
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    graph
}

/// A cycle through `from`, if any (depth-first search).
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut found = path[i..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in &graph[node] {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

#[test]
fn core_modules_import_one_way() {
    let graph = imports();
    assert!(
        graph.len() > 10,
        "the source scan found too few modules: {graph:?}"
    );
    if let Some(c) = cycle(&graph) {
        panic!("import cycle among core modules: {}", c.join(" -> "));
    }
}

#[test]
fn spec_data_sits_at_the_bottom() {
    let graph = imports();
    for (module, allowed) in [
        ("spec", &["http"][..]),
        ("error", &[]),
        ("secret", &["error"]),
    ] {
        let extra: Vec<_> = graph[module]
            .iter()
            .filter(|d| !allowed.contains(&d.as_str()))
            .collect();
        assert!(extra.is_empty(), "{module} must not import {extra:?}");
    }
}
