"""Co-occurrence counts, association strength and seeded communities on a hand-made toy network."""

import pandas as pd
import pytest

from analysis.vigie.networks import (
    association_strength,
    build_network,
    coauthor_items,
    compute_communities,
    compute_network_summary,
    compute_node_table,
    cooccurrence_edges,
    keyword_items,
    node_occurrences,
)


def toy_items():
    # works: {A,B}, {A,B,C}, {C,D}  → c_AB = 2, c_AC = c_BC = c_CD = 1; w_A = w_B = w_C = 2, w_D = 1
    return pd.DataFrame({"work_id": ["1", "1", "2", "2", "2", "3", "3"], "item": list("ABABCCD"),
                         "label": list("ABABCCD")})


def test_counts_and_association_strength():
    items = toy_items()
    e = cooccurrence_edges(items)
    assert list(map(tuple, e[["source", "target", "count"]].to_numpy())) == [
        ("A", "B", 2), ("A", "C", 1), ("B", "C", 1), ("C", "D", 1)]
    occ = node_occurrences(items)
    assert occ.to_dict() == {"A": 2, "B": 2, "C": 2, "D": 1}
    s = association_strength(e, occ)
    assert s["strength"].tolist() == pytest.approx([2 / 4, 1 / 4, 1 / 4, 1 / 2])


def test_top_nodes_and_communities():
    # two triangles {a,b,c} and {x,y,z} joined by one bridge c–x: two communities
    works = [("1", "abc"), ("2", "abc"), ("3", "xyz"), ("4", "xyz"), ("5", "cx")]
    items = pd.DataFrame([(w, ch, ch) for w, s in works for ch in s], columns=["work_id", "item", "label"])
    g = build_network(items)
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 7
    com = compute_communities(g, seed=1)
    groups = sorted(sorted(c["node"]) for _, c in com.groupby("community"))
    assert groups == [["a", "b", "c"], ["x", "y", "z"]]
    assert com["community"].tolist() == [1, 1, 1, 2, 2, 2]  # ties in size → the group with the smallest node first
    summ = compute_network_summary(g, com)
    assert summ["communities"] == 2 and summ["components"] == 1 and summ["modularity"] > 0.3
    solo = pd.concat([items, pd.DataFrame([("6", "q", "q")] * 1 + [("7", "q", "q"), ("8", "q", "q"), ("9", "q", "q")],
                                          columns=items.columns)])
    assert "q" in build_network(solo, top_n=1).nodes()  # q: 4 works, all alone
    assert sorted(build_network(solo, top_n=2, linked_only=True).nodes()) == ["c", "x"]
    top = build_network(items, top_n=2)
    assert sorted(top.nodes()) == ["c", "x"]  # 3 works each, the others 2
    assert top["c"]["x"]["count"] == 1 and top["c"]["x"]["strength"] == pytest.approx(1 / 9)
    nodes = compute_node_table(g, com)
    assert nodes["node"].tolist()[:2] == ["c", "x"]


def test_items_from_bank_tables():
    au = pd.DataFrame({"work_id": ["1", "1", "1"], "author": ["Roy, M.", "Roy, M.", "Roy, M."],
                       "author_full": ["Roy, Marie", "Roy, Marc", "Roy, Marie"], "author_id": [None, None, None]})
    ci = coauthor_items(au)
    assert len(ci) == 2  # same initials, two people; Marie listed twice on the same work counts once
    kw = pd.DataFrame({"work_id": ["1", "2", "2"], "keyword": ["Coopérative", "coopérative", "Food"],
                       "keyword_key": ["cooperative", "cooperative", "food"], "kind": ["author", "author", "index"]})
    ki = keyword_items(kw, kind="author")
    assert ki["item"].tolist() == ["cooperative", "cooperative"]
    assert set(ki["label"]) == {"coopérative"}
