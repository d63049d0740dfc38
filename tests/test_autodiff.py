"""Every gradient of random networks against autograd, an independent autodiff engine.

The cost is written here a second time in ``autograd.numpy``, from the definitions in
the book and with none of gradproof's code: sigmoid as ``(1 + tanh(z / 2)) / 2``,
softplus as ``logaddexp(0, z)``, log-sum-exp with a max shift. autograd differentiates
it in reverse mode, and every ``dW[l]``, ``db[l]`` and ``dA[0]`` of ``Network.backward``
must agree to about 1e-10. Hypothesis draws the layer sizes, the activation of each
layer, the loss and output pair, the route, the weight decay and the seed; a fixed grid
covers every pair with every hidden activation as well.

autograd rather than JAX: it is pure Python on top of NumPy, installs in seconds with no
compiled wheel, and computes in float64 by default, while JAX computes in float32 unless
``jax_enable_x64`` is set. docs/gradient-checking.md says more.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gradproof as gp

RTOL = 1e-10
HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "exponential", "softmax"]
PAIRS = [
    ("binary_cross_entropy", "sigmoid"),
    ("categorical_cross_entropy", "softmax"),
    ("poisson", "exponential"),
] + [("mean_squared_error", output) for output in HIDDEN]
CANONICAL = {"sigmoid": "binary_cross_entropy", "softmax": "categorical_cross_entropy",
             "exponential": "poisson", "identity": "mean_squared_error"}
LEAKY_SLOPE = 0.01

PROPERTY_SETTINGS = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# ---------------------------------------------------------------- the reference in autograd


def softmax_columns(Z):
    shifted = Z - anp.max(Z, axis=0, keepdims=True)
    E = anp.exp(shifted)
    return E / anp.sum(E, axis=0, keepdims=True)


ACTIVATIONS = {
    "sigmoid": lambda Z: 0.5 * (1.0 + anp.tanh(0.5 * Z)),
    "tanh": anp.tanh,
    "relu": lambda Z: anp.where(Z > 0, Z, 0.0),
    "leaky_relu": lambda Z: anp.where(Z > 0, Z, LEAKY_SLOPE * Z),
    "identity": lambda Z: Z,
    "exponential": anp.exp,
    "softmax": softmax_columns,
}


def log_sum_exp_columns(Z):
    M = anp.max(Z, axis=0, keepdims=True)
    return M + anp.log(anp.sum(anp.exp(Z - M), axis=0, keepdims=True))


def data_losses(loss, output, Z_L, Y):
    """Return the loss of every entry: from the logits for a canonical pair, else from A_L."""
    if CANONICAL.get(output) == loss:
        if loss == "binary_cross_entropy":
            return anp.logaddexp(0.0, Z_L) - Y * Z_L
        if loss == "categorical_cross_entropy":
            return Y * (log_sum_exp_columns(Z_L) - Z_L)
        if loss == "poisson":
            return anp.exp(Z_L) - Y * Z_L
    A_L = ACTIVATIONS[output](Z_L)
    return 0.5 * (A_L - Y) ** 2


def reference_cost(parameters, X, Y, activations, loss, weight_decay):
    """Return J for parameters = [W1, b1, ..., WL, bL] and the input X."""
    m = X.shape[1]
    A = X
    L = len(activations)
    for l in range(L):
        Z = anp.dot(parameters[2 * l], A) + parameters[2 * l + 1]
        if l < L - 1:
            A = ACTIVATIONS[activations[l]](Z)
    J = anp.sum(data_losses(loss, activations[-1], Z, Y)) / m
    penalty = sum(anp.sum(parameters[2 * l] ** 2) for l in range(L))
    return J + weight_decay / (2.0 * m) * penalty


# ---------------------------------------------------------------- problems


def random_labels(loss, n, m, rng):
    if loss == "binary_cross_entropy":
        return rng.random((n, m))
    if loss == "categorical_cross_entropy":
        Y = rng.random((n, m))
        return Y / Y.sum(axis=0, keepdims=True)
    if loss == "poisson":
        return rng.poisson(1.5, size=(n, m)).astype(float)
    return rng.standard_normal((n, m))


def build_problem(sizes, activations, loss, weight_decay, seed):
    rng = np.random.default_rng(seed)
    weights = [0.5 * rng.standard_normal((sizes[l], sizes[l - 1])) / np.sqrt(sizes[l - 1])
               for l in range(1, len(sizes))]
    biases = [0.3 * rng.standard_normal((sizes[l], 1)) for l in range(1, len(sizes))]
    network = gp.Network(weights, biases, activations, loss=loss, weight_decay=weight_decay)
    X = rng.standard_normal((sizes[0], 1 + int(rng.integers(0, 6))))
    Y = random_labels(loss, sizes[-1], X.shape[1], rng)
    return network, X, Y


def assert_matches_autograd(network, X, Y, route):
    activations = [g.name for g in network.g[1:]]
    parameters = [array for _, array in network.parameters()]
    names = [name for name, _ in network.parameters()]
    cost = lambda P, X_: reference_cost(P, X_, Y, activations, network.loss.name, network.weight_decay)  # noqa: E731

    expected = grad(cost, 0)(parameters, X)
    expected_dX = grad(cost, 1)(parameters, X)
    gradients = network.backward(X, Y, route=route)

    for name, reference in zip(names, expected):
        l = int(name[1:])
        actual = (gradients.dW if name[0] == "W" else gradients.db)[l]
        scale = np.max(np.abs(reference))
        np.testing.assert_allclose(actual, reference, rtol=RTOL, atol=RTOL * scale, err_msg=f"d{name}")
    scale = np.max(np.abs(expected_dX))
    np.testing.assert_allclose(gradients.dA[0], expected_dX, rtol=RTOL, atol=RTOL * scale, err_msg="dA0")


# ---------------------------------------------------------------- every pair, a fixed grid


@pytest.mark.parametrize("weight_decay", [0.0, 0.3])
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize(("loss", "output"), PAIRS, ids=[f"{l}-{o}" for l, o in PAIRS])
def test_every_pair_matches_autograd(loss, output, hidden, weight_decay):
    network, X, Y = build_problem([4, 5, 3, 3], [hidden, hidden, output], loss, weight_decay, seed=11)
    routes = ["combined", "chain"] if network.is_canonical_pair else ["chain"]

    for route in routes:
        assert_matches_autograd(network, X, Y, route)


# ---------------------------------------------------------------- random networks


@st.composite
def problems(draw):
    loss, output = draw(st.sampled_from(PAIRS))
    n_hidden_layers = draw(st.integers(0, 3))
    smallest_output = 2 if loss == "categorical_cross_entropy" else 1
    sizes = [draw(st.integers(1, 5))]
    sizes += [draw(st.integers(1, 5)) for _ in range(n_hidden_layers)]
    sizes += [draw(st.integers(smallest_output, 4))]
    activations = [draw(st.sampled_from(HIDDEN)) for _ in range(n_hidden_layers)] + [output]
    weight_decay = draw(st.sampled_from([0.0, 0.0, 0.05, 1.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    network, X, Y = build_problem(sizes, activations, loss, weight_decay, seed)
    route = draw(st.sampled_from(["combined", "chain"])) if network.is_canonical_pair else "chain"
    return network, X, Y, route


@PROPERTY_SETTINGS
@given(problems())
def test_random_network_matches_autograd(problem):
    network, X, Y, route = problem

    assert_matches_autograd(network, X, Y, route)
