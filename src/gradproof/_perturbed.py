"""The cost ``J`` at many perturbed copies of a network, in one batched forward pass.

``gradient_check`` needs ``J`` with one entry of one parameter moved, for every entry.
For a parameter of layer ``l`` the layers below ``l`` do not change, so ``A[l-1]`` and
``Z[l]`` are computed once. Moving ``W[l][i, j]`` by ``delta`` adds ``delta * A[l-1][j, :]``
to row ``i`` of ``Z[l]``; moving ``b[l][i]`` adds ``delta`` to that row. The ``C`` copies'
``Z[l]`` are laid side by side as the columns of one ``(n_l, C * m)`` array, copy ``c``
in columns ``c * m`` to ``c * m + m - 1``. Every activation and loss acts column by
column, so the network's own forward pass (``Network._forward_from``) runs layers
``l + 1, ..., L`` on all copies at once, and the per-entry losses are summed per copy.

For every parameter, one copy is also compared with ``Network.cost_unchecked`` evaluated
on actually perturbed parameters, so that a change to the network's cost that this module
does not follow raises instead of giving a silent wrong verdict.
"""

import numpy as np

# Activations with a kink at 0, where a difference quotient can straddle two slopes.
KINKED_ACTIVATIONS = ("relu", "leaky_relu")

# At most this many entries per batched array (16 MiB of float64); larger sets are chunked.
BATCH_ENTRIES = 2**21

# Relative agreement required between the batched cost and Network.cost_unchecked, at a
# copy whose entry is moved by SPOT_CHECK_STEP times max(1, |x|).
CONSISTENCY_TOLERANCE = 1e-10
SPOT_CHECK_STEP = 1e-3


def batched_estimates(network, X, Y, step, method):
    """Return ``{name: (numerical, one_sided, skipped)}`` for every parameter of ``network``.

    ``method`` is ``"central"`` (with one-sided differences at kinks) or ``"complex"``.
    ``one_sided`` and ``skipped`` are boolean arrays with the parameter's shape.
    """
    costs = PerturbedCosts(network, X, Y)
    estimates = {}
    for name, parameter in network.parameters():
        if method == "complex":
            estimates[name] = costs.complex_step(name, parameter, step)
        else:
            estimates[name] = costs.central(name, parameter, step)
    return estimates


class PerturbedCosts:
    """Evaluate ``J`` at copies of ``network`` with one entry of one parameter moved."""

    def __init__(self, network, X, Y):
        self.network = network
        self.X = X
        self.Y = Y
        self.cache = network.forward(X)
        self.kinked = [
            l for l in range(1, network.L + 1) if network.g[l].name in KINKED_ACTIVATIONS
        ]
        self.J = self.costs("b1", np.array([0]), np.array([0.0]))[0][0]
        _check_consistent(self.J, network.cost(X, Y), "the unperturbed network")

    def central(self, name, parameter, step):
        """Return central differences in every entry of ``parameter``, one-sided at kinks."""
        x = parameter.ravel()
        entries = np.arange(x.size)
        h = step * np.maximum(1.0, np.abs(x))
        J_plus, crossed_plus = self.costs(name, entries, h)
        J_minus, crossed_minus = self.costs(name, entries, -h)
        self._spot_check(name, parameter)
        numerical = (J_plus - J_minus) / (2.0 * h)

        # Where the kink lies within the step on one side only, use the other side:
        # f'(x) = d (-3 f(x) + 4 f(x + d h) - f(x + 2 d h)) / (2 h) + O(h**2), d = +1 or -1.
        one_sided = crossed_plus ^ crossed_minus
        skipped = crossed_plus & crossed_minus
        if one_sided.any():
            near = entries[one_sided]
            d = np.where(crossed_plus[near], -1.0, 1.0)
            J_near = np.where(d > 0, J_plus[near], J_minus[near])
            J_far, crossed_far = self.costs(name, near, 2.0 * d * h[near])
            numerical[near] = d * (-3.0 * self.J + 4.0 * J_near - J_far) / (2.0 * h[near])
            skipped[near[crossed_far]] = True
            one_sided[near[crossed_far]] = False
        shape = parameter.shape
        return numerical.reshape(shape), one_sided.reshape(shape), skipped.reshape(shape)

    def complex_step(self, name, parameter, step):
        """Return ``Im J(x + i h e_k) / h`` for every entry ``k`` of ``parameter``."""
        entries = np.arange(parameter.size)
        offsets = np.full(parameter.size, 1j * step)
        J, _ = self.costs(name, entries, offsets)
        self._spot_check(name, parameter)
        none = np.zeros(parameter.shape, dtype=bool)
        return (J.imag / step).reshape(parameter.shape), none, none.copy()

    def costs(self, name, entries, offsets):
        """Return ``J`` for each copy and whether a kinked pre-activation crossed 0 in it.

        Copy ``c`` has entry ``entries[c]`` (a flat index) of parameter ``name`` moved by
        ``offsets[c]``, which may be complex.
        """
        l = int(name[1:])
        width = max(self.network.layer_sizes[l:])
        chunk = max(1, BATCH_ENTRIES // (width * self.X.shape[1]))
        parts = [
            self._costs_of_chunk(name[0], l, entries[start:start + chunk], offsets[start:start + chunk])
            for start in range(0, len(entries), chunk)
        ]
        return np.concatenate([J for J, _ in parts]), np.concatenate([c for _, c in parts])

    def _costs_of_chunk(self, kind, l, entries, offsets):
        network, m = self.network, self.X.shape[1]
        C = len(entries)
        A_prev, Z_l = self.cache.A[l - 1], self.cache.Z[l]

        Z = np.empty((Z_l.shape[0], C, m), dtype=np.result_type(offsets, np.float64))
        Z[...] = Z_l[:, None, :]
        copies = np.arange(C)
        if kind == "W":
            rows, columns = np.divmod(entries, A_prev.shape[0])
            Z[rows, copies, :] += offsets[:, None] * A_prev[columns, :]
        else:
            rows = entries
            Z[rows, copies, :] += offsets[:, None]

        # An elementwise g changes only the moved row of each copy, so only that row is
        # evaluated; softmax mixes the rows and is applied to all of them.
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            if network.g[l].is_elementwise:
                A = np.empty_like(Z)
                A[...] = self.cache.A[l][:, None, :]
                A[rows, copies, :] = network.g[l].forward(Z[rows, copies, :])
                A = A.reshape(Z_l.shape[0], C * m)
            else:
                A = network.g[l].forward(Z.reshape(Z_l.shape[0], C * m))
        Z = Z.reshape(Z_l.shape[0], C * m)
        upper = network._forward_from(l, A, network.W, network.b)
        Zs = {l: Z, **{k: upper.Z[k] for k in range(l + 1, network.L + 1)}}
        Y = np.tile(self.Y, (1, C))
        with np.errstate(under="ignore", over="ignore", divide="ignore", invalid="ignore"):
            terms = _data_terms(network, Zs[network.L], upper.A[network.L], Y, m)
            J = np.sum(terms.reshape(terms.shape[0], C, m), axis=(0, 2))
        if not np.isfinite(J).all():
            raise FloatingPointError(
                f"the cost J is not finite for {int((~np.isfinite(J)).sum())} perturbed copies "
                f"of {kind}{l}: either an output rounded to the edge of its range (a "
                "probability of exactly 0 or 1 scored from the outputs) or the cost "
                "overflowed float64. Compute the unperturbed cost with network.cost first; "
                "it raises with the cause."
            )
        J = J + self._penalties(kind, l, entries, offsets)

        crossed = np.zeros(C, dtype=bool)
        for k in self.kinked:
            if k >= l:
                side = Zs[k].real.reshape(Zs[k].shape[0], C, m) > 0
                crossed |= (side != (self.cache.Z[k] > 0)[:, None, :]).any(axis=(0, 2))
        return J, crossed

    def _penalties(self, kind, l, entries, offsets):
        """Return the L2 penalty of each copy; only a moved weight changes it."""
        network, m = self.network, self.X.shape[1]
        base = network._penalty(network.W, m)
        if kind != "W" or not network.weight_decay:
            return base
        w = network.W[l].ravel()[entries]
        # (w + delta)**2 - w**2 = delta * (2 w + delta), with no cancellation. A tiny
        # coefficient or weight may underflow to 0, which is the correctly rounded value.
        with np.errstate(under="ignore"):
            return base + network.weight_decay / (2.0 * m) * offsets * (2.0 * w + offsets)

    def _spot_check(self, name, parameter):
        """Compare one batched cost with ``cost_unchecked`` on actually perturbed parameters.

        The first entry is moved by ``SPOT_CHECK_STEP`` times ``max(1, |x|)``, far more than
        the round-off of either evaluation, so a copy built from the wrong entry or a cost
        that this module computes differently from the network shows up.
        """
        network = self.network
        offset = SPOT_CHECK_STEP * max(1.0, abs(float(parameter.flat[0])))
        batched = self.costs(name, np.array([0]), np.array([offset]))[0][0]
        W, b = list(network.W), list(network.b)
        moved = parameter.copy()
        moved.flat[0] += offset
        (W if name[0] == "W" else b)[int(name[1:])] = moved
        direct = network.cost_unchecked(W, b, self.X, self.Y)
        _check_consistent(batched, direct, f"{name}[0] moved by {offset:.1e}")


def _data_terms(network, Z_L, A_L, Y, m):
    """Return ``loss / m`` of every entry of the copies, from the logits for a canonical pair.

    This is the choice ``Network._data_cost`` makes, entry by entry instead of summed.
    """
    if network.is_canonical_pair:
        return network.loss.logit_terms(Z_L, Y, m)
    return network.loss.output_terms(A_L, Y, m)


def _check_consistent(batched, direct, where):
    """Raise ``RuntimeError`` unless the batched and direct costs agree to round-off."""
    if abs(batched - direct) > CONSISTENCY_TOLERANCE * max(1.0, abs(batched), abs(direct)):
        raise RuntimeError(
            f"at {where}, the batched evaluation of J gives {batched!r} but "
            f"Network.cost_unchecked gives {direct!r}. The network's cost has changed in a "
            "way gradproof._perturbed does not follow; use gradient_check(..., "
            "method='loop') and report this."
        )
