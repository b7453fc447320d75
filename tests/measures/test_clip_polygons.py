"""The one polygon clipping step of both partition engines (``workbench.measures.clip_polygons``), against shapely."""
from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.measures.partition.result import SNAP, vertex_side


def _regular(n, K, r=1.0, phase=0.0):
    """A regular n-gon (counter-clockwise) padded to K slots with vertex 0."""
    t = phase + 2 * math.pi * torch.arange(n, dtype=torch.float64) / n
    V = torch.stack([r * torch.cos(t), r * torch.sin(t)], 1)
    return torch.cat([V, V[:1].expand(K - n, 2)]) if K > n else V


def _poly(V, n):
    return shapely.Polygon(V[:n].numpy())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(3, 8), st.floats(-0.9, 0.9), st.floats(0, 2 * math.pi),
                          st.floats(0, 2 * math.pi)), min_size=1, max_size=5))
def test_pieces_are_the_two_halves_of_every_polygon(rows):
    K = 9
    V = torch.stack([_regular(n, K, phase=ph) for n, _, ph, _ in rows])
    nv = torch.tensor([n for n, *_ in rows])
    g = torch.tensor([[math.cos(a), math.sin(a)] for *_, a in rows], dtype=torch.float64)
    z = torch.tensor([c for _, c, _, _ in rows], dtype=torch.float64)
    s, tol, pos, neg = vertex_side(V, g, z)
    keep = pos & neg
    if not keep.any():
        return
    s = torch.where(s.abs() <= tol.unsqueeze(1), torch.zeros_like(s), s)[keep]
    L = torch.arange(K).repeat(len(rows), 1)[keep]
    (pV, pn, pL), (nV, nn_, nL) = wb.measures.clip_polygons(V[keep], nv[keep], s, L, labels=77)
    for r, (Vr, n, gr, zr) in enumerate(zip(V[keep], nv[keep], g[keep], z[keep])):
        whole = _poly(Vr, int(n))
        a, b = _poly(pV[r], int(pn[r])), _poly(nV[r], int(nn_[r]))
        assert a.is_valid and b.is_valid and a.area > 0 and b.area > 0
        assert a.area + b.area == pytest.approx(whole.area, rel=1e-12)
        assert a.intersection(b).area == pytest.approx(0.0, abs=1e-12)
        # the positive piece lies on the side g.u + z >= 0, the negative on the other side
        assert float((pV[r, : int(pn[r])] @ gr + zr).min()) >= -1e-12
        assert float((nV[r, : int(nn_[r])] @ gr + zr).max()) <= 1e-12
        # exactly one new edge per piece, along the line, labelled 77; unused slots: vertex 0, label -1
        for Vp, cnt, Lp in ((pV[r], pn[r], pL[r]), (nV[r], nn_[r], nL[r])):
            c = int(cnt)
            assert int((Lp[:c] == 77).sum()) == 1 and (Lp[c:] == -1).all()
            assert torch.equal(Vp[c:], Vp[:1].expand(Vp.shape[0] - c, 2))


def test_labels_per_row_and_a_vertex_on_the_line(device):
    V = torch.stack([_regular(4, 5, phase=math.pi / 4), _regular(4, 5)]).to(device)  # a square, a diamond
    nv = torch.tensor([4, 4], device=device)
    g = torch.tensor([[1.0, 0.0], [1.0, 0.0]], dtype=torch.float64, device=device)
    s, tol, pos, neg = vertex_side(V, g, torch.zeros(2, dtype=torch.float64, device=device))
    assert (pos & neg).all() and (tol == SNAP * s.abs().amax(1)).all()
    s = torch.where(s.abs() <= tol.unsqueeze(1), torch.zeros_like(s), s)
    L = torch.zeros((2, 5), dtype=torch.long, device=device)
    out = wb.measures.clip_polygons(V, nv, s, L, labels=torch.tensor([5, 6], device=device))
    assert out[0][0].device.type == device.type
    (pV, pn, pL), (nV, nn_, nL) = [tuple(t.cpu() for t in piece) for piece in out]
    # the square is cut through two edges (4 vertices a side); the diamond through two vertices (3 a side)
    assert pn.tolist() == [4, 3] and nn_.tolist() == [4, 3]
    assert (pL == 5).sum(1).tolist()[0] == 1 and (pL[1] == 6).sum() == 1
    assert np.isclose(_poly(pV[1], 3).area, 1.0) and np.isclose(_poly(nV[0], 4).area, 1.0)
