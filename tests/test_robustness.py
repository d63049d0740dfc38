"""Robustness at the public boundary: extreme values, shapes, bad values and types.

Expected values come from ``decimal`` arithmetic with 60 significant digits, which
neither overflows nor underflows in the range used here, and are rounded to float64
once. Each group also runs a small naive NumPy implementation of the same formula and
asserts that it fails (raises under ``np.errstate(all="raise")``, or returns inf, NaN
or a wrong value), so every test here would catch the naive version.
"""

import decimal
import math
from decimal import Decimal

import numpy as np
import pytest

import gradproof as gp

CONTEXT = decimal.Context(prec=60, Emax=10**6, Emin=-(10**6))
ULP_TOLERANCE = 4
FLOAT64_MAX = Decimal(np.finfo(np.float64).max)
SMALLEST_NORMAL = float(np.finfo(np.float64).tiny)


@pytest.fixture(autouse=True)
def high_precision():
    """Run every Decimal operation of a test with 60 significant digits."""
    with decimal.localcontext(CONTEXT):
        yield


# ---------------------------------------------------------------- high-precision reference


def dec(x):
    """Return the exact value of the float ``x`` as a Decimal."""
    return Decimal(float(x))


def exp(x):
    return CONTEXT.exp(x)


def ln(x):
    return CONTEXT.ln(x)


def ref_sigmoid(z):
    z = dec(z)
    if z >= 0:
        return CONTEXT.divide(1, 1 + exp(-z))
    e = exp(z)
    return CONTEXT.divide(e, 1 + e)


def ref_sigmoid_derivative(z):
    e = exp(-abs(dec(z)))
    return CONTEXT.divide(e, (1 + e) ** 2)


def ref_tanh(z):
    if abs(z) < 1e-20:
        return dec(z) - dec(z) ** 3 / 3
    e = exp(-2 * abs(dec(z)))
    value = CONTEXT.divide(1 - e, 1 + e)
    return value if z >= 0 else -value


def ref_tanh_derivative(z):
    e = exp(-2 * abs(dec(z)))
    return CONTEXT.divide(4 * e, (1 + e) ** 2)


def ref_softplus(t):
    """Return log(1 + exp(t)) without forming exp of a large positive number."""
    t = dec(t) if not isinstance(t, Decimal) else t
    return max(t, Decimal(0)) + ln(1 + exp(-abs(t)))


def ref_bce_from_logit(z, y):
    y = dec(y)
    return y * ref_softplus(-dec(z)) + (1 - y) * ref_softplus(dec(z))


def ref_log_sum_exp(column):
    values = [dec(z) for z in column]
    top = max(values)
    return top + ln(sum(exp(v - top) for v in values))


def ref_softmax(column):
    total = ref_log_sum_exp(column)
    return [exp(dec(z) - total) for z in column]


ACTIVATION_REFERENCES = {
    "sigmoid": (ref_sigmoid, ref_sigmoid_derivative),
    "tanh": (ref_tanh, ref_tanh_derivative),
    "relu": (lambda z: max(dec(z), Decimal(0)), lambda z: Decimal(1 if z > 0 else 0)),
    "leaky_relu": (
        lambda z: dec(z) if z > 0 else dec(0.01) * dec(z),
        lambda z: Decimal(1) if z > 0 else dec(0.01),
    ),
    "identity": (dec, lambda z: Decimal(1)),
    "exponential": (lambda z: exp(dec(z)), lambda z: exp(dec(z))),
}


def ulps_from(actual, exact):
    """Return how many float64 units in the last place separate ``actual`` from ``exact``.

    A difference below the smallest normal float64 (about 2.2e-308) counts as 0: an
    intermediate quantity in the subnormal range, such as dZ = sigmoid(-745.5), carries
    only a few significant bits, so a product formed from it is exact only to that level.
    """
    expected = float(exact)
    difference = abs(float(actual) - expected)
    if difference < SMALLEST_NORMAL:
        return 0.0
    return difference / math.ulp(expected)


def fits_float64(exact):
    return abs(exact) <= FLOAT64_MAX


# ---------------------------------------------------------------- naive implementations


def naive_sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))


def naive_sigmoid_derivative(Z):
    S = naive_sigmoid(Z)
    return S * (1.0 - S)


def naive_tanh_derivative(Z):
    return 1.0 - np.tanh(Z) ** 2


def naive_leaky_relu(Z):
    return np.where(Z > 0, Z, 0.01 * Z)


def naive_softmax(Z):
    E = np.exp(Z)
    return E / E.sum(axis=0, keepdims=True)


def naive_log_sum_exp(Z):
    return np.log(np.exp(Z).sum(axis=0, keepdims=True))


def naive_bce(A, Y):
    return float(-np.mean(np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A), axis=0)))


def naive_cce(A, Y):
    return float(-np.mean(np.sum(Y * np.log(A), axis=0)))


def naive_mse(A, Y):
    return float(np.mean(np.sum(0.5 * (A - Y) ** 2, axis=0)))


def naive_poisson(A, Y):
    return float(np.mean(np.sum(A - Y * np.log(A), axis=0)))


def naive_fails(function, *arguments):
    """Return whether ``function`` raises under errstate(raise) or returns inf or NaN."""
    try:
        with np.errstate(all="raise"):
            result = function(*arguments)
    except FloatingPointError:
        return True
    return not np.isfinite(result).all()


def single_layer(activation, logits=(0.0,), loss=None):
    """Return a one-layer network whose logits for the input X = [[1]] are ``logits``.

    W is the column of logits and b is 0, so Z = W exactly and dW = dZ.
    """
    W = np.array(logits, dtype=np.float64).reshape(-1, 1)
    return gp.Network([W], [np.zeros_like(W)], [activation], loss=loss)


ONE = [[1.0]]


# ---------------------------------------------------------------- extreme values: activations

EXTREME_LOGITS = [-5000.0, -1000.0, -745.5, -40.0, -20.0, 20.0, 40.0, 709.0, 1000.0, 5000.0]

ELEMENTWISE = [
    ("sigmoid", gp.sigmoid, gp.sigmoid_derivative),
    ("tanh", gp.tanh, gp.tanh_derivative),
    ("relu", gp.relu, gp.relu_derivative),
    ("leaky_relu", gp.leaky_relu, gp.leaky_relu_derivative),
    ("identity", gp.identity, gp.identity_derivative),
    ("exponential", gp.exponential, gp.exponential),
]


@pytest.mark.parametrize("z", EXTREME_LOGITS + [-1e308, 1e308, -1e-320])
@pytest.mark.parametrize(("name", "forward", "derivative"), ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_activation_extreme_within_ulps(name, forward, derivative, z):
    if name == "exponential" and z > 709.78:
        with pytest.raises(FloatingPointError, match="overflows float64"):
            forward(np.array([[z]]))
        return
    if abs(z) > 1e6 and name in ("sigmoid", "tanh", "exponential"):
        # Decimal exp of ±1e308 is outside CONTEXT's exponent range; the exact values are known.
        expected = {"sigmoid": (z > 0, 0.0), "tanh": (math.copysign(1.0, z), 0.0)}
        expected["exponential"] = (0.0, 0.0)
        value_exact, slope_exact = (Decimal(float(v)) for v in expected[name])
    else:
        value_exact = ACTIVATION_REFERENCES[name][0](z)
        slope_exact = ACTIVATION_REFERENCES[name][1](z)

    with np.errstate(all="raise"):
        value = forward(np.array([[z]]))[0, 0]
        slope = derivative(np.array([[z]]))[0, 0]

    assert ulps_from(value, value_exact) <= ULP_TOLERANCE
    assert ulps_from(slope, slope_exact) <= ULP_TOLERANCE


@pytest.mark.parametrize("z", [-1000.0, -745.5])
def test_naive_sigmoid_overflows(z):
    assert naive_fails(naive_sigmoid, np.array([[z]]))


@pytest.mark.parametrize("z", [20.0, 40.0])
def test_naive_sigmoid_derivative_wrong(z):
    naive = naive_sigmoid_derivative(np.array([[z]]))[0, 0]

    assert ulps_from(naive, ref_sigmoid_derivative(z)) > 1000


@pytest.mark.parametrize("z", [20.0, -20.0])
def test_naive_tanh_derivative_wrong(z):
    naive = naive_tanh_derivative(np.array([[z]]))[0, 0]

    assert ulps_from(naive, ref_tanh_derivative(z)) > 1000


def test_naive_leaky_relu_underflow_raises():
    assert naive_fails(naive_leaky_relu, np.array([[-1e-320]]))


@pytest.mark.parametrize("z", [709.79, 1000.0])
def test_exponential_overflow_raises(z):
    with pytest.raises(FloatingPointError, match=r"below 709\.78"):
        gp.exponential(np.array([[z]]))


def test_naive_exponential_returns_inf():
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(1000.0))


COLUMNS = [
    [1000.0, -1000.0, 0.0],
    [-3000.0, -3001.0, -2999.5],
    [5000.0, 4990.0, -5000.0],
    [1.7e308, -1.7e308, 0.0],
]


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: f"max{max(c):g}")
def test_softmax_extreme_within_ulps(column):
    exact = ref_softmax(column) if max(map(abs, column)) < 1e6 else [Decimal(1), Decimal(0), Decimal(0)]

    with np.errstate(all="raise"):
        S = gp.softmax(np.array(column).reshape(-1, 1))

    for k in range(len(column)):
        assert ulps_from(S[k, 0], exact[k]) <= ULP_TOLERANCE, f"class {k}"


@pytest.mark.parametrize("column", COLUMNS[:3], ids=lambda c: f"max{max(c):g}")
def test_log_sum_exp_extreme_within_ulps(column):
    with np.errstate(all="raise"):
        value = gp.log_sum_exp(np.array(column).reshape(-1, 1))[0, 0]

    assert ulps_from(value, ref_log_sum_exp(column)) <= ULP_TOLERANCE


@pytest.mark.parametrize("column", COLUMNS[:3], ids=lambda c: f"max{max(c):g}")
def test_naive_softmax_overflows(column):
    assert naive_fails(naive_softmax, np.array(column).reshape(-1, 1))


@pytest.mark.parametrize("column", COLUMNS[:3], ids=lambda c: f"max{max(c):g}")
def test_naive_log_sum_exp_fails(column):
    assert naive_fails(naive_log_sum_exp, np.array(column).reshape(-1, 1))


# ---------------------------------------------------------------- extreme values: canonical pairs


def sigmoid_cases():
    return [(z, y) for z in EXTREME_LOGITS for y in (0.0, 1.0, 0.25)]


@pytest.mark.parametrize(("z", "y"), sigmoid_cases())
def test_sigmoid_bce_network_within_ulps(z, y):
    network = single_layer("sigmoid", [z])
    cost_exact = ref_bce_from_logit(z, y)
    dZ_exact = ref_sigmoid(z) - dec(y)

    with np.errstate(all="raise"):
        cost = network.cost(ONE, [[y]])
        gradients = network.backward(ONE, [[y]])

    assert ulps_from(cost, cost_exact) <= ULP_TOLERANCE
    assert ulps_from(gradients.dZ[1][0, 0], dZ_exact) <= ULP_TOLERANCE
    assert ulps_from(gradients.dW[1][0, 0], dZ_exact) <= ULP_TOLERANCE
    assert ulps_from(gradients.db[1][0, 0], dZ_exact) <= ULP_TOLERANCE


@pytest.mark.parametrize(("z", "y"), [(40.0, 0.0), (1000.0, 0.0), (-1000.0, 1.0), (-745.5, 1.0)])
def test_naive_bce_of_sigmoid_fails(z, y):
    A = gp.sigmoid(np.array([[z]]))

    assert naive_fails(naive_bce, A, np.array([[y]]))


@pytest.mark.parametrize(("z", "y"), sigmoid_cases())
def test_sigmoid_bce_chain_route_finite_or_saturation(z, y):
    """The chain route divides by the rounded output, so it may raise, but never returns inf or NaN."""
    network = single_layer("sigmoid", [z])

    try:
        with np.errstate(all="raise"):
            gradients = network.backward(ONE, [[y]], route="chain")
    except gp.SaturationError as error:
        assert "route='combined'" in str(error)
        return

    assert np.isfinite(gradients.dZ[1]).all()
    assert np.isfinite(gradients.dW[1]).all()


def test_chain_route_saturation_at_1000():
    with pytest.raises(gp.SaturationError, match=r"rounded to the edge of its range"):
        single_layer("sigmoid", [1000.0]).backward(ONE, [[0.0]], route="chain")


SOFTMAX_CASES = [
    ([1000.0, -1000.0, 0.0], [0.0, 1.0, 0.0]),
    ([1000.0, -1000.0, 0.0], [1.0, 0.0, 0.0]),
    ([-3000.0, -3001.0, -2999.5], [0.0, 0.5, 0.5]),
    ([5000.0, 4990.0, -5000.0], [0.0, 0.0, 1.0]),
    ([40.0, 0.0, -40.0], [1.0, 0.0, 0.0]),
]


@pytest.mark.parametrize(("column", "labels"), SOFTMAX_CASES)
def test_softmax_cce_network_within_ulps(column, labels):
    network = single_layer("softmax", column)
    X = np.array(ONE)
    lse = ref_log_sum_exp(column)
    cost_exact = sum(dec(y) * (lse - dec(z)) for z, y in zip(column, labels))
    S_exact = ref_softmax(column)

    with np.errstate(all="raise"):
        cost = network.cost(X, [[y] for y in labels])
        dZ = network.backward(X, [[y] for y in labels]).dZ[1]

    assert ulps_from(cost, cost_exact) <= ULP_TOLERANCE
    for k in range(3):
        assert ulps_from(dZ[k, 0], S_exact[k] - dec(labels[k])) <= ULP_TOLERANCE, f"class {k}"


@pytest.mark.parametrize(("column", "labels"), SOFTMAX_CASES[:4])
def test_naive_cce_fails(column, labels):
    Z = np.array(column).reshape(-1, 1)
    Y = np.array(labels).reshape(-1, 1)

    assert naive_fails(lambda: naive_cce(naive_softmax(Z), Y))


def test_cce_column_spanning_float64_range():
    """z = (1.7e308, -1.7e308) with soft labels: z_max - z_min overflows, the loss does not."""
    Z = np.array([[1.7e308], [-1.7e308]])
    Y = np.array([[0.9], [0.1]])
    exact = dec(0.1) * (dec(1.7e308) - dec(-1.7e308))

    with np.errstate(all="raise"):
        cost = gp.CATEGORICAL_CROSS_ENTROPY.cost_from_logits(Z, Y)

    assert ulps_from(cost, exact) <= ULP_TOLERANCE


def test_cce_zero_label_far_below_max():
    """A class with label 0 contributes 0, not 0 * inf = NaN."""
    with np.errstate(all="raise"):
        cost = gp.CATEGORICAL_CROSS_ENTROPY.cost_from_logits([[1.7e308], [-1.7e308]], [[1.0], [0.0]])

    assert cost == 0.0


@pytest.mark.parametrize("z", [-5000.0, -1000.0, -40.0, 0.5, 40.0, 700.0, 709.7])
@pytest.mark.parametrize("y", [0.0, 1.0, 3.0])
def test_exponential_poisson_network_within_ulps(z, y):
    network = single_layer("exponential", [z])
    cost_exact = exp(dec(z)) - dec(y) * dec(z)
    dZ_exact = exp(dec(z)) - dec(y)

    with np.errstate(all="raise"):
        cost = network.cost(ONE, [[y]])
        dZ = gp.POISSON.logit_gradient([[z]], [[y]])[0, 0]

    assert ulps_from(cost, cost_exact) <= ULP_TOLERANCE
    assert ulps_from(dZ, dZ_exact) <= ULP_TOLERANCE


@pytest.mark.parametrize("z", [-1000.0, 0.5, 700.0, 709.7])
def test_exponential_poisson_backward_or_overflow(z):
    """dJ/dX = W dZ = z (exp(z) - 1) exceeds float64 near z = 709.7, so backward raises there."""
    network = single_layer("exponential", [z])
    dZ_exact = exp(dec(z)) - 1
    dX_exact = dZ_exact * dec(z)

    if not fits_float64(dX_exact):
        with pytest.raises(FloatingPointError, match="^dA0 = W1.T @ dZ1 is not finite"):
            network.backward(ONE, [[1.0]])
        return
    with np.errstate(all="raise"):
        gradients = network.backward(ONE, [[1.0]])

    assert ulps_from(gradients.dW[1][0, 0], dZ_exact) <= ULP_TOLERANCE
    assert ulps_from(gradients.dA[0][0, 0], dX_exact) <= ULP_TOLERANCE


def test_naive_poisson_of_exp_fails():
    A = np.exp(np.array([[-1000.0]]))

    assert naive_fails(naive_poisson, A, np.array([[1.0]]))


@pytest.mark.parametrize("z", [709.79, 1000.0])
def test_poisson_network_overflow_raises(z):
    with pytest.raises(FloatingPointError, match=r"exp\(Z\) overflows float64"):
        single_layer("exponential", [z]).cost(ONE, [[1.0]])


def test_poisson_chain_route_saturation():
    with pytest.raises(gp.SaturationError):
        single_layer("exponential", [-1000.0]).backward(ONE, [[1.0]], route="chain")


@pytest.mark.parametrize(("z", "y"), [(1.5e154, 0.0), (-1.2e154, 1e153), (1e300, -1e300), (3.0, 1e-300)])
def test_identity_mse_network_within_ulps(z, y):
    network = single_layer("identity", [z])
    difference = dec(z) - dec(y)
    cost_exact = difference**2 / 2

    with np.errstate(all="raise"):
        dZ = gp.MEAN_SQUARED_ERROR.logit_gradient([[z]], [[y]])[0, 0]
        if fits_float64(cost_exact):
            cost = network.cost(ONE, [[y]])

    assert ulps_from(dZ, difference) <= ULP_TOLERANCE
    if fits_float64(cost_exact):
        assert ulps_from(cost, cost_exact) <= ULP_TOLERANCE


def test_mse_cost_beyond_float64_raises():
    with pytest.raises(FloatingPointError, match="largest float64"):
        single_layer("identity", [1e300]).cost(ONE, [[-1e300]])


def test_naive_mse_overflows_below_max():
    """0.5 * (1.5e154)**2 is 1.125e308, below the largest float64, yet the square overflows."""
    assert naive_fails(naive_mse, np.array([[1.5e154]]), np.array([[0.0]]))


def test_mse_gradient_difference_overflow():
    """(A - Y) / m with A - Y beyond float64 but the quotient inside it (m = 2)."""
    A = np.array([[1.7e308, 0.0]])
    Y = np.array([[-1.7e308, 0.0]])

    with np.errstate(all="raise"):
        dA = gp.MEAN_SQUARED_ERROR.gradient(A, Y)

    assert ulps_from(dA[0, 0], (dec(1.7e308) * 2) / 2) <= ULP_TOLERANCE


# ---------------------------------------------------------------- extreme values: hidden layers

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "exponential"]
HIDDEN_INPUTS = [-5000.0, -1000.0, -40.0, 40.0, 700.0, 5000.0, 1e300]


def reference_hidden_gradients(activation, x):
    """Return exact dW2 and dW1 for X = x, W1 = W2 = 1, b = 0, identity output, label 0, MSE."""
    g, g_prime = ACTIVATION_REFERENCES[activation]
    A1 = g(x)
    dZ2 = A1
    return {"dW2": dZ2 * A1, "dW1": dZ2 * g_prime(x) * dec(x)}


@pytest.mark.parametrize("route", ["combined", "chain"])
@pytest.mark.parametrize("x", HIDDEN_INPUTS)
@pytest.mark.parametrize("activation", HIDDEN)
def test_hidden_activation_extreme_gradients(activation, x, route):
    network = gp.Network([[[1.0]], [[1.0]]], [[[0.0]], [[0.0]]], [activation, "identity"])
    if activation == "exponential" and x > 709.78:
        with pytest.raises(FloatingPointError, match="709.78"):
            network.backward([[x]], [[0.0]], route=route)
        return
    exact = reference_hidden_gradients(activation, x)
    if not all(fits_float64(value) for value in exact.values()):
        with pytest.raises(FloatingPointError, match="overflowed float64"):
            network.backward([[x]], [[0.0]], route=route)
        return

    with np.errstate(all="raise"):
        gradients = network.backward([[x]], [[0.0]], route=route)

    assert ulps_from(gradients.dW[2][0, 0], exact["dW2"]) <= ULP_TOLERANCE
    assert ulps_from(gradients.dW[1][0, 0], exact["dW1"]) <= ULP_TOLERANCE


@pytest.mark.parametrize("x", [-1000.0, 1000.0])
def test_softmax_hidden_layer_finite(x):
    network = gp.Network(
        [[[1.0], [-1.0]], [[1.0, 2.0]]], [[[0.0], [0.0]], [[0.0]]], ["softmax", "sigmoid"]
    )

    with np.errstate(all="raise"):
        gradients = network.backward([[x]], [[1.0]])

    # Softmax of (x, -x) is one-hot, so its Jacobian and every gradient below it are 0.
    assert np.all(gradients.dW[1] == 0.0)


def test_weight_decay_large_weights_within_ulps():
    network = gp.Network([[[1e160]]], [[[0.0]]], ["identity"], weight_decay=1e-30)
    exact = dec(1e-30) * dec(1e160) ** 2 / 2 + (dec(1e160) * dec(1e-160)) ** 2 / 2

    with np.errstate(all="raise"):
        cost = network.cost([[1e-160]], [[0.0]])

    assert ulps_from(cost, exact) <= ULP_TOLERANCE


# ---------------------------------------------------------------- shapes

NETWORKS = {
    "sigmoid": lambda: gp.Network.from_sizes([2, 3, 1], output_activation="sigmoid"),
    "softmax": lambda: gp.Network.from_sizes([2, 3, 4], output_activation="softmax"),
    "identity": lambda: gp.Network.from_sizes([2, 3, 4], output_activation="identity"),
    "exponential": lambda: gp.Network.from_sizes([2, 3, 1], output_activation="exponential"),
}


def labels_for(output, shape):
    """Return valid labels of ``shape`` for the network's output: one-hot columns for softmax."""
    Y = np.zeros(shape)
    if output == "softmax":
        Y[0, :] = 1.0
    return Y


@pytest.mark.parametrize("output", list(NETWORKS))
def test_transposed_labels_raise_naming_shapes(output):
    network = NETWORKS[output]()
    n_L, m = network.layer_sizes[-1], 5
    X = np.zeros((2, m))
    Y = labels_for(output, (n_L, m)).T

    with pytest.raises(ValueError) as excinfo:
        network.cost(X, Y)

    assert str(Y.shape) in str(excinfo.value)
    assert str((n_L, m)) in str(excinfo.value)


@pytest.mark.parametrize("bad_shape", [(5,), (5, 1)])
def test_flat_or_column_labels_raise(bad_shape):
    network = NETWORKS["sigmoid"]()

    with pytest.raises(ValueError) as excinfo:
        network.backward(np.zeros((2, 5)), np.zeros(bad_shape))

    assert str(bad_shape) in str(excinfo.value)
    assert "(1, 5)" in str(excinfo.value)


@pytest.mark.parametrize("loss", list(gp.LOSSES))
def test_loss_transposed_labels_raise(loss):
    Z = np.full((1, 4), 0.5)

    with pytest.raises(ValueError) as excinfo:
        gp.get_loss(loss).cost_from_logits(Z, np.ones((4, 1)) * (loss != "categorical_cross_entropy"))

    assert "(4, 1)" in str(excinfo.value)
    assert "(1, 4)" in str(excinfo.value)


def test_naive_mse_broadcasts_silently():
    A = np.array([[0.1, 0.2, 0.3, 0.4]])
    Y = A.reshape(4, 1)

    naive = naive_mse(A, Y)

    # The true cost of A against the same values is 0; broadcasting to (4, 4) gives more.
    assert naive > 0.0


def test_inconsistent_bias_names_layer():
    with pytest.raises(ValueError, match=r"b2 has shape \(1, 3\).*\(3, 1\)"):
        gp.Network([np.ones((4, 2)), np.ones((3, 4))], [np.zeros((4, 1)), np.zeros((1, 3))], ["relu", "identity"])


def test_inconsistent_weights_name_layer():
    with pytest.raises(ValueError, match=r"W2 has shape \(3, 5\).*layer 1 has 4 units"):
        gp.Network([np.ones((4, 2)), np.ones((3, 5))], [np.zeros((4, 1)), np.zeros((3, 1))], ["relu", "identity"])


PAIRS = [
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "categorical_cross_entropy"),
    ("identity", "mean_squared_error"),
    ("exponential", "poisson"),
    ("tanh", "mean_squared_error"),
    ("sigmoid", "mean_squared_error"),
    ("softmax", "mean_squared_error"),
    ("relu", "mean_squared_error"),
    ("leaky_relu", "mean_squared_error"),
]


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "exponential", "softmax"])
@pytest.mark.parametrize(("output", "loss"), PAIRS)
def test_gradient_shapes_match_parameters(hidden, output, loss):
    network = gp.Network.from_sizes([3, 4, 5, 2], hidden_activation=hidden, output_activation=output, loss=loss)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 6))
    Y = labels_for(output, (2, 6))
    routes = ["combined", "chain"] if network.is_canonical_pair else ["chain"]

    for route in routes:
        gradients = network.backward(X, Y, route=route)
        for l in range(1, network.L + 1):
            assert gradients.dW[l].shape == network.W[l].shape, f"dW{l} {route}"
            assert gradients.db[l].shape == network.b[l].shape, f"db{l} {route}"
            assert gradients.dZ[l].shape == (network.layer_sizes[l], 6), f"dZ{l} {route}"


# ---------------------------------------------------------------- values


@pytest.mark.parametrize("name", ["X", "Y"])
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_network_non_finite_batch_names_array(name, bad):
    X, Y = np.zeros((2, 3)), np.zeros((1, 3))
    {"X": X, "Y": Y}[name][0, 1] = bad

    with pytest.raises(ValueError, match=f"^{name} contains 1 entry not finite"):
        NETWORKS["sigmoid"]().cost(X, Y)


@pytest.mark.parametrize("name", ["W1", "b1"])
def test_non_finite_parameter_names_array(name):
    W, b = np.ones((1, 1)), np.zeros((1, 1))
    {"W1": W, "b1": b}[name][0, 0] = math.nan

    with pytest.raises(ValueError, match=f"^{name} contains 1 entry not finite"):
        gp.Network([W], [b], ["sigmoid"])


@pytest.mark.parametrize(("function", "name"), [(gp.binary_cross_entropy, "A"), (gp.binary_cross_entropy_from_logits, "Z")])
def test_loss_non_finite_names_array(function, name):
    with pytest.raises(ValueError, match=f"^{name} contains 1 entry not finite"):
        function([[0.5, math.nan]], [[1.0, 0.0]])


@pytest.mark.parametrize("function", [gp.sigmoid, gp.softmax, gp.tanh_derivative])
def test_activation_non_finite_names_array(function):
    with pytest.raises(ValueError, match="^Z contains 1 entry not finite"):
        function(np.array([[0.5], [math.nan]]))


def test_naive_mean_propagates_nan():
    assert math.isnan(naive_bce(np.array([[0.5, math.nan]]), np.array([[1.0, 0.0]])))


def test_cce_labels_not_summing_to_one_raise():
    network = NETWORKS["softmax"]()
    Y = np.zeros((4, 3))
    Y[0, :] = 1.0
    Y[1, 2] = 1.0

    with pytest.raises(ValueError, match="column 2, which sums to 2.0"):
        network.backward(np.zeros((2, 3)), Y)


@pytest.mark.parametrize("label", [-0.5, 1.5])
def test_bce_label_outside_unit_interval_raises(label):
    with pytest.raises(ValueError, match=r"outside \[0, 1\]"):
        NETWORKS["sigmoid"]().cost(np.zeros((2, 1)), [[label]])


def test_poisson_negative_label_raises():
    with pytest.raises(ValueError, match=r"outside \[0, inf\)"):
        NETWORKS["exponential"]().cost(np.zeros((2, 1)), [[-1.0]])


def test_empty_batch_raises():
    with pytest.raises(ValueError, match=r"X is empty \(shape \(2, 0\)\)"):
        NETWORKS["sigmoid"]().backward(np.zeros((2, 0)), np.zeros((1, 0)))


@pytest.mark.parametrize("learning_rate", [0.0, -1.0, math.nan, "0.1", None, True])
def test_train_bad_learning_rate_raises(learning_rate):
    with pytest.raises(ValueError, match="^learning_rate is"):
        gp.train(NETWORKS["sigmoid"](), np.zeros((2, 1)), [[1.0]], learning_rate=learning_rate, n_epochs=1)


@pytest.mark.parametrize("n_epochs", [-1, 1.0, "2", None, True])
def test_train_bad_epoch_count_raises(n_epochs):
    with pytest.raises(ValueError, match="^n_epochs is"):
        gp.train(NETWORKS["sigmoid"](), np.zeros((2, 1)), [[1.0]], learning_rate=0.1, n_epochs=n_epochs)


@pytest.mark.parametrize("weight_decay", [-0.1, math.inf, "0.1", None, True, 1j])
def test_bad_weight_decay_raises(weight_decay):
    with pytest.raises(ValueError, match="^weight_decay is"):
        gp.Network.from_sizes([2, 1], weight_decay=weight_decay)


def test_train_divergence_raises():
    network = gp.Network([[[1.0]]], [[[0.0]]], ["identity"])

    with pytest.raises(FloatingPointError, match="diverged.*learning_rate"):
        gp.train(network, [[1e150]], [[0.0]], learning_rate=1e10, n_epochs=5)


def test_train_bad_validation_data_raises():
    with pytest.raises(ValueError, match="validation_data"):
        gp.train(NETWORKS["sigmoid"](), np.zeros((2, 1)), [[1.0]], learning_rate=0.1, n_epochs=1, validation_data=np.zeros((2, 1)))


# ---------------------------------------------------------------- types


def test_int_network_trains_in_float64():
    network = gp.Network([np.array([[1, -2]])], [np.array([[0]])], ["sigmoid"])
    X = np.array([[1], [1]])
    Y = np.array([[True]])
    # z = 1 - 2 + 0 = -1, so dZ = sigmoid(-1) - 1 = -sigmoid(1) = -e / (1 + e) with m = 1.
    dZ = -math.e / (1.0 + math.e)

    trained, _ = gp.train(network, X, Y, learning_rate=0.5, n_epochs=1)

    assert trained.W[1].dtype == np.float64
    assert trained.b[1].dtype == np.float64
    assert trained.W[1][0, 0] == pytest.approx(1.0 - 0.5 * dZ, rel=1e-15)
    assert trained.W[1][0, 1] == pytest.approx(-2.0 - 0.5 * dZ, rel=1e-15)
    assert trained.b[1][0, 0] == pytest.approx(-0.5 * dZ, rel=1e-15)


def test_naive_int_update_truncates():
    W = np.array([[1, -2]])
    W[...] = W - 0.5 * np.array([[-0.27, -0.27]])

    assert W.tolist() == [[1, -1]]


def test_naive_int_in_place_update_raises():
    W = np.array([[1, -2]])

    # numpy raises UFuncTypeError, a subclass of TypeError, for the float-to-int cast.
    with pytest.raises(TypeError, match="Cannot cast"):
        W -= 0.5 * np.array([[-0.27, -0.27]])


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int64, np.bool_, np.float32])
def test_batch_dtypes_converted(dtype):
    X = np.array([[1, 0, 1], [0, 1, 1]]).astype(dtype)
    Y = np.array([[1, 0, 1]]).astype(dtype)
    network = NETWORKS["sigmoid"]()

    gradients = network.backward(X, Y)

    assert gradients.dW[1].dtype == np.float64
    assert network.cost(X, Y) == network.cost(X.astype(np.float64), Y.astype(np.float64))


@pytest.mark.parametrize(
    "bad",
    [np.array([["1", "0"]]), np.array([[1, 0]], dtype=object), np.array([[1j, 0]])],
    ids=["str", "object", "complex"],
)
@pytest.mark.parametrize("name", ["X", "Y", "W1", "b1"])
def test_network_rejects_non_real_arrays(name, bad):
    X, Y = np.zeros((2, 2)), np.zeros((1, 2))
    W, b = np.zeros((1, 2)), np.zeros((1, 1))
    arrays = {"X": X, "Y": Y, "W1": W, "b1": b}
    arrays[name] = bad if name != "b1" else bad[:, :1]

    with pytest.raises(ValueError, match=f"^{name} has dtype .*expected a real numeric array"):
        network = gp.Network([arrays["W1"]], [arrays["b1"]], ["sigmoid"])
        network.cost(arrays["X"], arrays["Y"])


@pytest.mark.parametrize("bad", [np.array([["0.5"]]), np.array([[0.5]], dtype=object)], ids=["str", "object"])
def test_activation_rejects_str_and_object(bad):
    with pytest.raises(ValueError, match="^Z has dtype"):
        gp.sigmoid(bad)


def test_naive_sigmoid_parses_strings():
    """np.asarray(..., float) turns the string "0.5" into a number without a word."""
    assert naive_sigmoid(np.array([["0.5"]]).astype(float))[0, 0] > 0.5


def test_activation_keeps_complex_for_complex_step():
    h = 1e-20
    value = gp.sigmoid(np.array([[0.3 + 1j * h]]))[0, 0]

    assert value.imag / h == pytest.approx(float(ref_sigmoid_derivative(0.3)), rel=1e-14)


def test_ragged_labels_raise_naming_array():
    with pytest.raises(ValueError, match="^Y could not be converted"):
        NETWORKS["sigmoid"]().cost(np.zeros((2, 2)), [[1.0], [0.0, 1.0]])


@pytest.mark.skipif(np.finfo(np.longdouble).max <= np.finfo(np.float64).max, reason="longdouble is float64")
def test_longdouble_beyond_float64_raises():
    X = np.array([[np.longdouble("1e400")], [np.longdouble(0)]])

    with pytest.raises(ValueError, match="^X contains 1 entry beyond the float64 range"):
        NETWORKS["sigmoid"]().cost(X, [[1.0]])
