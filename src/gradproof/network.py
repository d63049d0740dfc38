"""A fully connected network, its forward pass, cost and backward pass.

Notation follows the book. Examples are columns: ``X`` has shape ``(n_0, m)`` and ``Y``
has shape ``(n_L, m)``. Layer ``l`` (for ``l = 1, ..., L``) has weights ``W[l]`` of shape
``(n_l, n_{l-1})`` and biases ``b[l]`` of shape ``(n_l, 1)``, and computes

    Z[l] = W[l] @ A[l-1] + b[l],    A[l] = g_l(Z[l]),    with A[0] = X.

Every per-layer sequence is indexed by the book's layer number, so ``W[0]``, ``b[0]`` and
``Z[0]`` are ``None`` and ``A[0]`` is ``X``. The cost ``J`` is the mean loss over the
``m`` examples plus, if ``weight_decay`` is ``lambda > 0``, the L2 penalty
``(lambda / (2 m)) * sum_l ||W[l]||_F**2``. Every gradient is the true derivative of
``J``: ``dW[l] = dJ/dW[l]``, ``dZ[l] = dJ/dZ[l]`` and so on.
"""

from dataclasses import dataclass

import numpy as np

from ._loss_base import scaled_squares, sum_terms
from ._validation import as_array, as_float_matrix, check_non_negative_number, check_same_shape
from .activations import get_activation
from .losses import get_loss

ROUTES = ("combined", "chain")

DEFAULT_LOSS_FOR_OUTPUT = {
    "sigmoid": "binary_cross_entropy",
    "softmax": "categorical_cross_entropy",
    "identity": "mean_squared_error",
    "exponential": "poisson",
}


@dataclass(frozen=True)
class ForwardCache:
    """The values of a forward pass, indexed by layer: ``A[0] = X``, ``Z[0] = None``."""

    A: tuple
    Z: tuple


@dataclass(frozen=True)
class Gradients:
    """The gradients of ``J`` returned by ``Network.backward``, indexed by layer.

    ``dW[l]``, ``db[l]`` and ``dZ[l]`` have the shapes of ``W[l]``, ``b[l]`` and ``Z[l]``
    for ``l = 1, ..., L`` and are ``None`` at index 0. ``dA[l]`` has the shape of ``A[l]``
    for ``l = 0, ..., L``, where ``dA[0] = dJ/dX``. On the combined route ``dA[L]`` is
    ``None``: that route computes ``dZ[L]`` from the logits and never forms ``dJ/dA_L``.
    """

    dW: tuple
    db: tuple
    dZ: tuple
    dA: tuple
    route: str


class Network:
    """A fully connected network scored by a loss function.

    Parameters
    ----------
    weights : sequence of array_like
        ``[W1, ..., WL]``, where ``W[l]`` has shape ``(n_l, n_{l-1})``.
    biases : sequence of array_like
        ``[b1, ..., bL]``, where ``b[l]`` has shape ``(n_l, 1)``.
    activations : sequence of str
        The activation of each layer: ``"sigmoid"``, ``"tanh"``, ``"relu"``,
        ``"leaky_relu"``, ``"identity"``, ``"exponential"`` or ``"softmax"``.
    loss : str, optional
        ``"binary_cross_entropy"``, ``"categorical_cross_entropy"``,
        ``"mean_squared_error"`` or ``"poisson"``. By default, the loss whose canonical
        activation is the output activation (binary cross-entropy for a sigmoid output).
    weight_decay : float, optional
        The L2 coefficient ``lambda >= 0``; the penalty is
        ``(lambda / (2 m)) * sum_l ||W[l]||_F**2`` and biases are not penalised.

    The arrays are copied and converted to float64, so later changes to the caller's arrays
    do not reach the network.
    """

    def __init__(self, weights, biases, activations, loss=None, weight_decay=0.0):
        weights, biases, activations = list(weights), list(biases), list(activations)
        L = len(weights)
        if L == 0:
            raise ValueError("weights is empty; a network needs at least one layer.")
        if len(biases) != L or len(activations) != L:
            raise ValueError(
                f"got {L} weight arrays, {len(biases)} bias arrays and {len(activations)} "
                "activations; pass one of each per layer."
            )

        W, b = [None], [None]
        for l in range(1, L + 1):
            W_l = as_float_matrix(weights[l - 1], f"W{l}")
            if l > 1 and W_l.shape[1] != W[l - 1].shape[0]:
                raise ValueError(
                    f"W{l} has shape {W_l.shape}, so layer {l} expects {W_l.shape[1]} inputs, "
                    f"but layer {l - 1} has {W[l - 1].shape[0]} units (W{l - 1} has shape "
                    f"{W[l - 1].shape}); W{l} must have shape ({W_l.shape[0]}, {W[l - 1].shape[0]})."
                )
            b_l = as_array(biases[l - 1], f"b{l}")
            if b_l.shape != (W_l.shape[0], 1):
                raise ValueError(
                    f"b{l} has shape {b_l.shape}; layer {l} has {W_l.shape[0]} units, so b{l} "
                    f"must have shape ({W_l.shape[0]}, 1), a column. Reshape it with "
                    f"b{l}.reshape(-1, 1)."
                )
            W.append(W_l)
            b.append(as_float_matrix(b_l, f"b{l}"))

        self.W = tuple(W)
        self.b = tuple(b)
        self.g = (None,) + tuple(get_activation(name) for name in activations)

        output = self.g[L].name
        if loss is None:
            if output not in DEFAULT_LOSS_FOR_OUTPUT:
                raise ValueError(
                    f"the output activation {output!r} has no default loss; pass loss= one of "
                    f"{sorted(set(DEFAULT_LOSS_FOR_OUTPUT.values()))}."
                )
            loss = DEFAULT_LOSS_FOR_OUTPUT[output]
        self.loss = get_loss(loss)
        allowed = self.loss.allowed_activations
        if allowed is not None and output not in allowed:
            raise ValueError(
                f"the output activation is {output!r}, but {self.loss.name} scores "
                f"{self.loss.canonical_activation} outputs, so the last activation must be "
                f"{' or '.join(repr(name) for name in allowed)}."
            )

        self.weight_decay = check_non_negative_number(weight_decay, "weight_decay")

    @classmethod
    def from_sizes(
        cls,
        layer_sizes,
        *,
        hidden_activation="relu",
        output_activation="sigmoid",
        loss=None,
        weight_decay=0.0,
        seed=0,
    ):
        """Build a network with random weights and zero biases.

        ``layer_sizes`` is ``[n_0, n_1, ..., n_L]``, input size first. Weights are drawn
        from a normal distribution with variance ``2 / n_{l-1}`` for layers whose
        activation is ReLU or leaky ReLU (He initialisation) and ``1 / n_{l-1}`` otherwise,
        from ``numpy.random.default_rng(seed)``.
        """
        expected = (
            "expected the input size followed by at least one layer size, all positive "
            "integers, for example [30, 16, 1]"
        )
        try:
            sizes = list(layer_sizes)
        except TypeError:
            raise ValueError(f"layer_sizes is {layer_sizes!r}; {expected}.") from None
        if len(sizes) < 2 or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1
            for n in sizes
        ):
            raise ValueError(f"layer_sizes is {sizes!r}; {expected}.")
        sizes = [int(n) for n in sizes]
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed is {seed!r}; expected a non-negative integer.")

        rng = np.random.default_rng(seed)
        L = len(sizes) - 1
        activations = [hidden_activation] * (L - 1) + [output_activation]
        weights, biases = [], []
        for l in range(1, L + 1):
            gain = 2.0 if activations[l - 1] in ("relu", "leaky_relu") else 1.0
            scale = np.sqrt(gain / sizes[l - 1])
            weights.append(scale * rng.standard_normal((sizes[l], sizes[l - 1])))
            biases.append(np.zeros((sizes[l], 1)))
        return cls(weights, biases, activations, loss=loss, weight_decay=weight_decay)

    @property
    def L(self):
        """The number of layers with parameters, ``L``."""
        return len(self.W) - 1

    @property
    def layer_sizes(self):
        """The sizes ``[n_0, n_1, ..., n_L]``."""
        return [self.W[1].shape[1]] + [W_l.shape[0] for W_l in self.W[1:]]

    @property
    def is_canonical_pair(self):
        """Whether the output activation is the loss's canonical one, so ``dZ_L = (A_L - Y) / m``."""
        return self.g[self.L].name == self.loss.canonical_activation

    def copy(self):
        """Return a network with copies of this network's parameters."""
        return Network(self.W[1:], self.b[1:], self.g[1:], self.loss, self.weight_decay)

    def parameters(self):
        """Return a list of ``(name, array)`` pairs: ``("W1", W[1]), ("b1", b[1]), ...``.

        The arrays are the network's own, not copies, so changing an entry changes the network.
        """
        pairs = []
        for l in range(1, self.L + 1):
            pairs.append((f"W{l}", self.W[l]))
            pairs.append((f"b{l}", self.b[l]))
        return pairs

    def forward(self, X):
        """Run the forward pass and return every ``Z[l]`` and ``A[l]`` in a ``ForwardCache``."""
        X = self._validate_X(X)
        return self._forward_from(0, X, self.W, self.b)

    def predict(self, X):
        """Return the outputs ``A_L`` of shape ``(n_L, m)``."""
        return self.forward(X).A[self.L]

    def cost(self, X, Y):
        """Return the cost ``J``.

        For a canonical pair (sigmoid with binary cross-entropy, softmax with categorical
        cross-entropy, identity with squared error, exponential with Poisson) the loss is
        computed from the logits ``Z_L``, so it stays finite where the outputs saturate.
        """
        X = self._validate_X(X)
        Y = self._validate_Y(Y, X)
        return self.cost_unchecked(self.W, self.b, X, Y)

    def cost_unchecked(self, W, b, X, Y):
        """Return ``J`` for the parameters ``W``, ``b`` on arrays that are already valid.

        ``W`` and ``b`` are sequences indexed like ``self.W`` and ``self.b``, and may be
        complex, for the complex-step derivative. Nothing is validated here.
        """
        cache = self._forward_from(0, X, W, b)
        return self._with_penalty(self._data_cost(cache, Y), W, X.shape[1])

    def cost_from_activation(self, l, A_l, Y):
        """Return ``J`` as a function of the activation ``A[l]``, running layers ``l+1, ..., L``.

        For ``l = L`` the loss is computed from the outputs ``A_L``. The L2 penalty, which
        does not depend on ``A[l]``, is included so that the value is ``J`` itself. The
        book's check cells differentiate this function numerically to confirm ``dA[l]``.
        """
        l = self._validate_layer_index(l, first=0)
        A_l = as_float_matrix(A_l, f"A{l}")
        if A_l.shape[0] != self.layer_sizes[l]:
            raise ValueError(
                f"A{l} has shape {A_l.shape}; layer {l} has {self.layer_sizes[l]} units, so "
                f"A{l} must have shape ({self.layer_sizes[l]}, m)."
            )
        Y = self._validate_Y(Y, A_l)
        m = A_l.shape[1]
        if l == self.L:
            self.loss.validate_outputs(A_l, f"A{l}")
            return self._with_penalty(self.loss.cost_from_outputs_unchecked(A_l, Y), self.W, m)
        cache = self._forward_from(l, A_l, self.W, self.b)
        return self._with_penalty(self._data_cost(cache, Y), self.W, m)

    def cost_from_preactivation(self, l, Z_l, Y):
        """Return ``J`` as a function of the pre-activation ``Z[l]``, for ``l = 1, ..., L``.

        For ``l = L`` and a canonical pair the loss is computed from the logits. The book's
        check cells differentiate this function numerically to confirm ``dZ[l]``.
        """
        l = self._validate_layer_index(l, first=1)
        Z_l = as_float_matrix(Z_l, f"Z{l}")
        if l == self.L and self.is_canonical_pair:
            Y = self._validate_Y(Y, Z_l)
            data_cost = self.loss.cost_from_logits_unchecked(Z_l, Y)
            return self._with_penalty(data_cost, self.W, Z_l.shape[1])
        return self.cost_from_activation(l, self.g[l].forward(Z_l), Y)

    def backward(self, X, Y, route=None):
        """Run the backward pass and return every gradient of ``J`` in a ``Gradients``.

        Parameters
        ----------
        X : array_like of shape (n_0, m)
        Y : array_like of shape (n_L, m)
        route : {"combined", "chain", None}
            How the output layer's ``dZ[L]`` is obtained. ``"combined"`` uses
            ``dZ[L] = (A_L - Y) / m`` (book result ``thm-sigmoid-bce`` and its canonical
            relatives), computed from the logits; it is exact for every finite input and
            exists only for a canonical pair. ``"chain"`` first computes ``dA[L] = dJ/dA_L``
            from the loss and then applies the output activation's backward step (book
            result ``lem-activation``); it raises ``SaturationError`` where an output has
            rounded to 0 or 1. ``None``, the default, picks ``"combined"`` for a canonical
            pair and ``"chain"`` otherwise.

        Below the output layer both routes apply the book's backward recursion
        (``thm-backward-recursion``): ``dW[l] = dZ[l] @ A[l-1].T + (lambda / m) W[l]``,
        ``db[l]`` is ``dZ[l]`` summed over the examples, ``dA[l-1] = W[l].T @ dZ[l]``, and
        ``dZ[l-1]`` is the backward step of ``g_{l-1}``. No other ``1/m`` appears because
        ``dZ[L]`` already carries it.

        A gradient whose true value exceeds the largest float64 (about 1.8e308) raises
        ``FloatingPointError`` naming it; no gradient is ever returned as infinity or NaN.
        """
        route = self._resolve_route(route)
        X = self._validate_X(X)
        Y = self._validate_Y(Y, X)
        return self.backward_unchecked(self.W, self.b, X, Y, route)

    def backward_unchecked(self, W, b, X, Y, route):
        """Run the backward pass for the parameters ``W``, ``b`` on already valid arrays."""
        cache = self._forward_from(0, X, W, b)
        L, m = self.L, X.shape[1]

        dW, db, dZ, dA = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)
        if route == "combined":
            dZ[L] = self.loss.logit_gradient_unchecked(cache.Z[L], Y)
        else:
            dA[L] = self.loss.gradient_unchecked(cache.A[L], Y)
            with np.errstate(all="ignore"):
                dZ[L] = self.g[L].backward(dA[L], cache.Z[L])
            _check_gradient(dZ[L], f"dZ{L}", f"the backward step of {self.g[L].name}")

        for l in range(L, 0, -1):
            with np.errstate(all="ignore"):
                dW[l] = dZ[l] @ cache.A[l - 1].T
                if self.weight_decay:
                    dW[l] = dW[l] + (self.weight_decay / m) * W[l]
                db[l] = np.sum(dZ[l], axis=1, keepdims=True)
                dA[l - 1] = W[l].T @ dZ[l]
            _check_gradient(dW[l], f"dW{l}", f"dZ{l} @ A{l - 1}.T")
            _check_gradient(db[l], f"db{l}", f"the sum of dZ{l} over the examples")
            _check_gradient(dA[l - 1], f"dA{l - 1}", f"W{l}.T @ dZ{l}")
            if l > 1:
                with np.errstate(all="ignore"):
                    dZ[l - 1] = self.g[l - 1].backward(dA[l - 1], cache.Z[l - 1])
                _check_gradient(dZ[l - 1], f"dZ{l - 1}", f"the backward step of {self.g[l - 1].name}")

        return Gradients(tuple(dW), tuple(db), tuple(dZ), tuple(dA), route)

    def _resolve_route(self, route):
        if route is None:
            return "combined" if self.is_canonical_pair else "chain"
        if route not in ROUTES:
            raise ValueError(f"route is {route!r}; choose 'combined', 'chain' or None.")
        if route == "combined" and not self.is_canonical_pair:
            raise ValueError(
                f"route='combined' needs the canonical pair of {self.loss.name}, the "
                f"{self.loss.canonical_activation!r} output, but the output activation is "
                f"{self.g[self.L].name!r}; use route='chain'."
            )
        return route

    def _data_cost(self, cache, Y):
        L = self.L
        if self.is_canonical_pair:
            return self.loss.cost_from_logits_unchecked(cache.Z[L], Y)
        return self.loss.cost_from_outputs_unchecked(cache.A[L], Y)

    def _penalty(self, W, m):
        """Return the L2 penalty ``(lambda / (2 m)) * sum_l ||W[l]||_F**2``, or 0.

        Each squared weight is divided by ``m`` before the sum, so weights of about 1e154
        or more do not overflow when the penalty itself fits in float64.
        """
        if not self.weight_decay:
            return 0.0
        terms = [scaled_squares(W_l, 0.5 * self.weight_decay, m).ravel() for W_l in W[1:]]
        return sum_terms(np.concatenate(terms), "the L2 penalty")

    def _with_penalty(self, data_cost, W, m):
        """Return ``data_cost`` plus the L2 penalty, raising if the sum overflows float64."""
        if not self.weight_decay:
            return data_cost
        return sum_terms(np.array([data_cost, self._penalty(W, m)]), "the cost J with its L2 penalty")

    def _forward_from(self, first, A_first, W, b):
        """Run layers ``first+1, ..., L`` on ``A[first]``; entries below ``first`` are ``None``."""
        A = [None] * (self.L + 1)
        Z = [None] * (self.L + 1)
        A[first] = A_first
        with np.errstate(under="ignore", over="ignore", invalid="ignore"):
            for l in range(first + 1, self.L + 1):
                Z[l] = W[l] @ A[l - 1] + b[l]
                if not np.isfinite(Z[l]).all():
                    raise FloatingPointError(
                        f"Z{l} = W{l} @ A{l - 1} + b{l} is not finite: it overflowed float64, "
                        f"or a parameter was set to NaN or infinity (largest |W{l}| is "
                        f"{np.abs(W[l]).max():.3g}, largest |A{l - 1}| is "
                        f"{np.abs(A[l - 1]).max():.3g}); scale the inputs or weights down."
                    )
                A[l] = self.g[l].forward(Z[l])
        return ForwardCache(tuple(A), tuple(Z))

    def _validate_X(self, X):
        X = as_float_matrix(X, "X")
        n_0 = self.layer_sizes[0]
        if X.shape[0] != n_0:
            hint = " If examples are rows, pass X.T." if X.shape[1] == n_0 else ""
            raise ValueError(
                f"X has shape {X.shape}; the network takes {n_0} inputs, so X must have "
                f"shape ({n_0}, m), one column per example.{hint}"
            )
        return X

    def _validate_Y(self, Y, X):
        """Return ``Y`` as float64 after checking it against the output's shape ``(n_L, m)``."""
        expected_shape = (self.layer_sizes[-1], X.shape[1])
        check_same_shape(as_array(Y, "Y"), "Y", expected_shape, "the output A_L")
        Y = as_float_matrix(Y, "Y")
        self.loss.validate_labels(Y)
        return Y

    def _validate_layer_index(self, l, first):
        if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or not first <= l <= self.L:
            raise ValueError(f"layer index l is {l!r}; expected an integer from {first} to {self.L}.")
        return int(l)


def _check_gradient(gradient, name, formula):
    """Raise ``FloatingPointError`` if ``gradient`` has an entry that is not finite."""
    if np.isfinite(gradient).all():
        return
    raise FloatingPointError(
        f"{name} = {formula} is not finite: it overflowed float64, whose largest value is "
        "about 1.8e308. Scale the inputs or weights down."
    )
