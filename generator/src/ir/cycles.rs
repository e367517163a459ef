//! Cycle breaking, as its own pass over the finished type space.
//!
//! A type that contains itself by value has infinite size. `Vec` and maps
//! already put their items on the heap, and `Option` does not, so an edge
//! "A holds B by value" exists for fields, union variants and aliases, through
//! `Option` and tuples but not through `Vec`/maps. Edges that leave a
//! strongly connected component never need a `Box`; inside one, the edges
//! that close a cycle get one, found in one depth-first pass.

use super::types::*;

/// Turns aliases that are part of any cycle into newtypes (a type alias
/// may never refer to itself, not even through `Vec`), then boxes by-value
/// edges until no by-value cycle is left.
pub fn break_cycles(space: &mut TypeSpace) {
    let edges: Vec<Vec<TypeId>> = space.entries.iter().map(|entry| all_targets(&entry.kind)).collect();
    let component = strongly_connected_components(&edges);
    let mut size = vec![0usize; space.entries.len()];
    for c in &component {
        size[*c] += 1;
    }
    for (index, entry) in space.entries.iter_mut().enumerate() {
        let cyclic = size[component[index]] > 1 || edges[index].contains(&TypeId(index));
        if let (true, TypeKind::Alias(target)) = (cyclic, &entry.kind) {
            entry.kind = TypeKind::Newtype(target.clone());
        }
    }
    box_by_value_cycles(space);
}

/// Marks the flattened fields that must be written through a `serde_json::Value`.
///
/// serde writes a `#[serde(flatten)]` field with a serializer that wraps the
/// struct's own (`FlatMapSerializer<..>`), and a union's variant, a `Box`, an
/// `Option`, an alias or a newtype with the serializer it was given. A
/// flattened field whose type leads back to its struct along such edges
/// nests serializer types without end: rustc stops at its recursion limit
/// when it builds the crate, though `cargo check` and clippy, which
/// instantiate nothing, pass. A `Value` has one serializer type, which ends
/// the nesting; a field elsewhere (in `Vec`s, maps, other fields) starts over
/// with the format's own serializer and needs nothing.
pub fn mark_flatten_cycles(space: &mut TypeSpace) {
    let edges: Vec<Vec<TypeId>> = space.entries.iter().map(|entry| same_serializer_targets(&entry.kind)).collect();
    let component = strongly_connected_components(&edges);
    for (index, entry) in space.entries.iter_mut().enumerate() {
        let TypeKind::Struct(s) = &mut entry.kind else { continue };
        for field in s.fields.iter_mut().filter(|field| field.flatten) {
            let mut targets = Vec::new();
            same_serializer_walk(&field.ty, &mut targets);
            field.serialize_through_value = targets.iter().any(|target| component[target.0] == component[index]);
        }
    }
}

/// The types that a value of `kind` hands its own serializer to, or one wrapping it.
fn same_serializer_targets(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().filter(|f| f.flatten).for_each(|f| same_serializer_walk(&f.ty, &mut out))
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| same_serializer_walk(&v.ty, &mut out)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => same_serializer_walk(ty, &mut out),
        TypeKind::Enum(_) | TypeKind::Pending | TypeKind::Replaced => {}
    }
    out
}

fn same_serializer_walk(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => same_serializer_walk(inner, out),
        _ => {}
    }
}

fn all_targets(kind: &TypeKind) -> Vec<TypeId> {
    fn walk(ty: &TypeRef, out: &mut Vec<TypeId>) {
        match ty {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::Option(inner) | TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                walk(inner, out)
            }
            TypeRef::Tuple(items) => items.iter().for_each(|item| walk(item, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for ty in type_refs(kind) {
        walk(ty, &mut out);
    }
    out
}

/// Boxes by-value edges until no cycle is left, in one pass.
///
/// A depth-first search over the reversed edges, started from each
/// component's first type (in declaration order), meets every cycle at a
/// back edge; boxing exactly the back edges leaves no cycle. Walking the
/// edges backwards boxes the edge leaving the first type of a cycle (`A -> B
/// -> A` boxes A's field), so a cycle of two types gets one `Box`, not two.
/// Recomputing the components after each `Box` instead cost a strongly
/// connected component search per boxed edge: seconds on a megabyte of
/// mutually referencing schemas.
fn box_by_value_cycles(space: &mut TypeSpace) {
    let edges: Vec<Vec<TypeId>> = space.entries.iter().map(|entry| by_value_targets(&entry.kind)).collect();
    let component = strongly_connected_components(&edges);
    // holders[target]: the (holder, position of the edge among the holder's by-value edges) inside target's component.
    let mut holders: Vec<Vec<(usize, usize)>> = vec![Vec::new(); edges.len()];
    for (holder, targets) in edges.iter().enumerate() {
        for (position, target) in targets.iter().enumerate() {
            if component[target.0] == component[holder] {
                holders[target.0].push((holder, position));
            }
        }
    }
    let mut boxed: Vec<Vec<bool>> = edges.iter().map(|targets| vec![false; targets.len()]).collect();
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Unvisited,
        OnPath,
        Done,
    }
    let mut state = vec![State::Unvisited; edges.len()];
    for root in 0..edges.len() {
        if state[root] != State::Unvisited {
            continue;
        }
        state[root] = State::OnPath;
        // (type, position of the next holder to look at)
        let mut path = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let Some(&(holder, position)) = holders[node].get(*next) else {
                state[node] = State::Done;
                path.pop();
                continue;
            };
            *next += 1;
            match state[holder] {
                State::OnPath => boxed[holder][position] = true,
                State::Unvisited => {
                    state[holder] = State::OnPath;
                    path.push((holder, 0));
                }
                State::Done => {}
            }
        }
    }
    for (entry, boxed) in space.entries.iter_mut().zip(&boxed) {
        if boxed.contains(&true) {
            let mut position = 0;
            for ty in type_refs_mut(&mut entry.kind) {
                box_marked_edges(ty, &mut position, boxed);
            }
        }
    }
}

/// Boxes the by-value edges marked in `boxed`, counting positions in [`collect_by_value`]'s order.
fn box_marked_edges(ty: &mut TypeRef, position: &mut usize, boxed: &[bool]) {
    match ty {
        TypeRef::Named(_) => {
            if boxed[*position] {
                *ty = TypeRef::Boxed(Box::new(ty.clone()));
            }
            *position += 1;
        }
        TypeRef::Option(inner) => box_marked_edges(inner, position, boxed),
        TypeRef::Tuple(items) => items.iter_mut().for_each(|item| box_marked_edges(item, position, boxed)),
        _ => {}
    }
}

fn type_refs_mut(kind: &mut TypeKind) -> Vec<&mut TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        TypeKind::Enum(_) | TypeKind::Pending | TypeKind::Replaced => Vec::new(),
    }
}

fn type_refs(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        TypeKind::Enum(_) | TypeKind::Pending | TypeKind::Replaced => Vec::new(),
    }
}

fn by_value_targets(kind: &TypeKind) -> Vec<TypeId> {
    let mut targets = Vec::new();
    for ty in type_refs(kind) {
        collect_by_value(ty, &mut targets);
    }
    targets
}

fn collect_by_value(ty: &TypeRef, targets: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => targets.push(*id),
        TypeRef::Option(inner) => collect_by_value(inner, targets),
        TypeRef::Tuple(items) => items.iter().for_each(|item| collect_by_value(item, targets)),
        _ => {}
    }
}

/// Tarjan's algorithm, iterative so that long chains of types cannot overflow the stack.
/// Returns the component number of each node.
fn strongly_connected_components(edges: &[Vec<TypeId>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNVISITED; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        // (node, position of the next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == UNVISITED {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = edges[node].get(*edge).map(|t| t.0) {
                *edge += 1;
                if index[target] == UNVISITED {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, kind: TypeKind) -> TypeEntry {
        TypeEntry {
            name: name.into(),
            pointer: String::new(),
            docs: Docs::default(),
            kind,
            examples: Vec::new(),
            features: Vec::new(),
            received: false,
            sent: false,
        }
    }

    fn field(ty: TypeRef) -> Field {
        Field {
            rust_name: "f".into(),
            wire_name: "f".into(),
            ty,
            required: true,
            nullable: false,
            docs: Docs::default(),
            flatten: false,
            serialize_through_value: false,
        }
    }

    #[test]
    fn flattened_fields_leading_back_to_their_struct_are_written_through_a_value() {
        let flattened = |ty: TypeRef| Field { flatten: true, ..field(ty) };
        let named = |id: usize| TypeRef::Named(TypeId(id));
        let union = |targets: Vec<TypeRef>| {
            let variants = targets.into_iter().map(|ty| UnionVariant {
                rust_name: "V".into(),
                ty,
                tag_values: Vec::new(),
                tag_in_struct: false,
                properties_of: None,
                json_kind: "",
            });
            TypeKind::Union(Union { tag: None, variants: variants.collect() })
        };
        let object = |fields: Vec<Field>| TypeKind::Struct(Struct { fields, additional: None, closed: false });
        let mut space = TypeSpace {
            entries: vec![
                // Holder flattens Choice, one of whose variants flattens Choice again.
                entry("Holder", object(vec![flattened(named(1))])),
                entry("Choice", union(vec![TypeRef::String, named(2)])),
                entry("Branch", object(vec![flattened(TypeRef::Boxed(Box::new(named(1))))])),
                // A field that is not flattened starts over with the format's serializer.
                entry("Plain", object(vec![flattened(named(4))])),
                entry("PlainChoice", union(vec![TypeRef::Array(Box::new(named(3)))])),
            ],
        };
        mark_flatten_cycles(&mut space);
        let through_value: Vec<bool> = space
            .entries
            .iter()
            .filter_map(|entry| match &entry.kind {
                TypeKind::Struct(s) => Some(s.fields[0].serialize_through_value),
                _ => None,
            })
            .collect();
        assert_eq!(through_value, [false, true, false]);
    }

    #[test]
    fn boxes_direct_recursion_but_not_through_vec() {
        let mut space = TypeSpace {
            entries: vec![entry(
                "Node",
                TypeKind::Struct(Struct {
                    fields: vec![
                        field(TypeRef::Option(Box::new(TypeRef::Named(TypeId(0))))),
                        field(TypeRef::Array(Box::new(TypeRef::Named(TypeId(0))))),
                    ],
                    additional: None,
                    closed: false,
                }),
            )],
        };
        break_cycles(&mut space);
        let TypeKind::Struct(s) = &space.entries[0].kind else { panic!() };
        assert_eq!(s.fields[0].ty, TypeRef::Option(Box::new(TypeRef::Boxed(Box::new(TypeRef::Named(TypeId(0)))))));
        assert_eq!(s.fields[1].ty, TypeRef::Array(Box::new(TypeRef::Named(TypeId(0)))));
    }

    #[test]
    fn boxes_mutual_recursion_only_inside_the_cycle() {
        let mut space = TypeSpace {
            entries: vec![
                entry(
                    "A",
                    TypeKind::Struct(Struct {
                        fields: vec![field(TypeRef::Named(TypeId(1)))],
                        additional: None,
                        closed: false,
                    }),
                ),
                entry(
                    "B",
                    TypeKind::Struct(Struct {
                        fields: vec![field(TypeRef::Named(TypeId(0))), field(TypeRef::Named(TypeId(2)))],
                        additional: None,
                        closed: false,
                    }),
                ),
                entry("C", TypeKind::Alias(TypeRef::String)),
            ],
        };
        break_cycles(&mut space);
        let TypeKind::Struct(a) = &space.entries[0].kind else { panic!() };
        assert!(matches!(a.fields[0].ty, TypeRef::Boxed(_)));
        let TypeKind::Struct(b) = &space.entries[1].kind else { panic!() };
        assert_eq!(b.fields[0].ty, TypeRef::Named(TypeId(0)), "one Box per cycle is enough");
        assert_eq!(b.fields[1].ty, TypeRef::Named(TypeId(2)));
    }

    /// Every type holds every other by value: one pass leaves no by-value cycle.
    #[test]
    fn a_complete_graph_of_types_is_left_without_cycles() {
        let count = 40;
        let mut space = TypeSpace {
            entries: (0..count)
                .map(|index| {
                    let fields = (0..count)
                        .map(|target| field(TypeRef::Option(Box::new(TypeRef::Named(TypeId(target))))))
                        .collect();
                    entry(&format!("T{index}"), TypeKind::Struct(Struct { fields, additional: None, closed: false }))
                })
                .collect(),
        };
        break_cycles(&mut space);
        let edges: Vec<Vec<TypeId>> = space.entries.iter().map(|entry| by_value_targets(&entry.kind)).collect();
        let component = strongly_connected_components(&edges);
        let mut seen = std::collections::HashSet::new();
        assert!(component.iter().all(|c| seen.insert(*c)), "a by-value cycle is left");
        assert!(
            edges.iter().enumerate().all(|(index, targets)| !targets.contains(&TypeId(index))),
            "a type holds itself by value"
        );
        // T0 is first: all its edges close cycles, and it keeps every type that holds it unboxed.
        let TypeKind::Struct(first) = &space.entries[0].kind else { panic!() };
        assert!(first
            .fields
            .iter()
            .all(|f| matches!(&f.ty, TypeRef::Option(inner) if matches!(**inner, TypeRef::Boxed(_)))));
    }

    /// A -> B -> A and B -> C -> B: the first type of each cycle boxes its edge into it.
    #[test]
    fn chained_cycles_box_the_edge_leaving_their_first_type() {
        let named = |index| field(TypeRef::Named(TypeId(index)));
        let strukt = |fields| TypeKind::Struct(Struct { fields, additional: None, closed: false });
        let mut space = TypeSpace {
            entries: vec![
                entry("A", strukt(vec![named(1)])),
                entry("B", strukt(vec![named(0), named(2)])),
                entry("C", strukt(vec![named(1)])),
            ],
        };
        break_cycles(&mut space);
        let boxed: Vec<Vec<bool>> = space
            .entries
            .iter()
            .map(|entry| match &entry.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| matches!(f.ty, TypeRef::Boxed(_))).collect(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(boxed, [vec![true], vec![false, true], vec![false]]);
    }
}
