"""Network forward and backward passes against the pure-Python reference and a hand-worked case."""

import functools
import math

import numpy as np
import pytest

import gradproof as gp
import reference

SHAPES = [(3, 4, 1), (2, 5, 3, 2), (4, 3, 3, 1)]
HIDDEN_ACTIVATIONS = ["relu", "tanh", "sigmoid", "identity"]
SEEDS = [0, 1]
ROUTES = ["combined", "chain"]
N_EXAMPLES = 5

CASES = [(shape, hidden, seed) for shape in SHAPES for hidden in HIDDEN_ACTIVATIONS for seed in SEEDS]


def case_id(case):
    shape, hidden, seed = case
    return f"{hidden}-{'x'.join(map(str, shape))}-seed{seed}"


@functools.lru_cache(maxsize=None)
def make_problem(shape, hidden, seed):
    """Return random ``(weights, biases, activations, X, Y)`` for a network of the given shape.

    Even seeds get 0/1 labels and odd seeds get soft labels in (0, 1). Biases are nonzero so
    that ``db`` is tested at a general point.
    """
    rng = np.random.default_rng(seed)
    L = len(shape) - 1
    weights = [rng.normal(0.0, 0.9, size=(shape[l], shape[l - 1])) for l in range(1, L + 1)]
    biases = [rng.normal(0.0, 0.5, size=(shape[l], 1)) for l in range(1, L + 1)]
    activations = [hidden] * (L - 1) + ["sigmoid"]
    X = rng.normal(0.0, 1.0, size=(shape[0], N_EXAMPLES))
    if seed % 2 == 0:
        Y = rng.integers(0, 2, size=(shape[-1], N_EXAMPLES)).astype(np.float64)
    else:
        Y = rng.uniform(0.0, 1.0, size=(shape[-1], N_EXAMPLES))
    return weights, biases, activations, X, Y


def as_lists(problem):
    weights, biases, activations, X, Y = problem
    return [W.tolist() for W in weights], [b.tolist() for b in biases], activations, X.tolist(), Y.tolist()


@functools.lru_cache(maxsize=None)
def reference_gradients(shape, hidden, seed):
    """Central differences of the pure-Python reference cost, computed once per case."""
    return reference.numerical_gradients(*as_lists(make_problem(shape, hidden, seed)))


def build_network(problem):
    weights, biases, activations, _, _ = problem
    return gp.Network(weights, biases, activations)


# ---------------------------------------------------------------- forward pass and cost


@pytest.mark.parametrize("case", [case for case in CASES if case[1] == "relu"], ids=case_id)
def test_relu_cases_away_from_kink(case):
    """Finite differences across a ReLU kink are wrong, so every hidden |Z| must exceed 1e-3."""
    weights, biases, activations, X, _ = as_lists(make_problem(*case))
    Z, _ = reference.forward(weights, biases, activations, X)

    smallest = min(abs(z) for l in range(1, len(weights)) for row in Z[l] for z in row)

    assert smallest > 1e-3


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_forward_matches_reference(case):
    problem = make_problem(*case)
    weights, biases, activations, X, _ = as_lists(problem)
    expected_Z, expected_A = reference.forward(weights, biases, activations, X)

    cache = build_network(problem).forward(problem[3])

    assert cache.Z[0] is None
    np.testing.assert_array_equal(cache.A[0], problem[3])
    for l in range(1, len(weights) + 1):
        np.testing.assert_allclose(cache.Z[l], expected_Z[l], rtol=1e-13, atol=1e-15, err_msg=f"Z[{l}]")
        np.testing.assert_allclose(cache.A[l], expected_A[l], rtol=1e-13, atol=1e-15, err_msg=f"A[{l}]")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_cost_matches_reference(case):
    problem = make_problem(*case)
    expected = reference.cost(*as_lists(problem))

    assert build_network(problem).cost(problem[3], problem[4]) == pytest.approx(expected, rel=1e-13, abs=0.0)


@pytest.mark.parametrize("case", CASES[:8], ids=case_id)
def test_cost_from_activation_matches_reference(case):
    problem = make_problem(*case)
    weights, biases, activations, X, Y = as_lists(problem)
    _, A = reference.forward(weights, biases, activations, X)
    network = build_network(problem)

    for l in range(0, len(weights) + 1):
        expected = reference.cost_from_activation(weights, biases, activations, l, A[l], Y)
        actual = network.cost_from_activation(l, np.array(A[l]), problem[4])
        assert actual == pytest.approx(expected, rel=1e-13, abs=0.0), f"layer {l}"


@pytest.mark.parametrize("case", CASES[:8], ids=case_id)
def test_cost_from_preactivation_matches_reference(case):
    problem = make_problem(*case)
    weights, biases, activations, X, Y = as_lists(problem)
    Z, _ = reference.forward(weights, biases, activations, X)
    network = build_network(problem)

    for l in range(1, len(weights) + 1):
        expected = reference.cost_from_preactivation(weights, biases, activations, l, Z[l], Y)
        actual = network.cost_from_preactivation(l, np.array(Z[l]), problem[4])
        assert actual == pytest.approx(expected, rel=1e-13, abs=0.0), f"layer {l}"


def test_predict_is_last_activation():
    problem = make_problem(*CASES[0])
    network = build_network(problem)

    np.testing.assert_array_equal(network.predict(problem[3]), network.forward(problem[3]).A[network.L])


def test_forward_overflow_raises():
    network = gp.Network([[[1e200]]], [[[0.0]]], ["sigmoid"])

    with pytest.raises(FloatingPointError, match="overflowed"):
        network.forward([[1e200]])


# ---------------------------------------------------------------- backward pass


def layers_for(quantity, L, route):
    """Return the layer numbers at which ``quantity`` is defined on ``route``."""
    if quantity == "dA":
        return range(0, L + 1) if route == "chain" else range(0, L)
    return range(1, L + 1)


@pytest.mark.parametrize("quantity", ["dW", "db", "dZ", "dA"])
@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_backward_matches_reference(case, route, quantity):
    problem = make_problem(*case)
    expected = reference_gradients(*case)[quantity]

    gradients = build_network(problem).backward(problem[3], problem[4], route=route)
    actual = getattr(gradients, quantity)

    L = len(problem[0])
    for l in layers_for(quantity, L, route):
        np.testing.assert_allclose(actual[l], expected[l], rtol=1e-6, atol=1e-9, err_msg=f"{quantity}[{l}]")


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", CASES[::3], ids=case_id)
def test_backward_index_zero_is_none(case, route):
    problem = make_problem(*case)

    gradients = build_network(problem).backward(problem[3], problem[4], route=route)

    assert gradients.dW[0] is None
    assert gradients.db[0] is None
    assert gradients.dZ[0] is None


@pytest.mark.parametrize("case", CASES[::3], ids=case_id)
def test_combined_route_has_no_dA_L(case):
    problem = make_problem(*case)

    gradients = build_network(problem).backward(problem[3], problem[4], route="combined")

    assert gradients.dA[len(problem[0])] is None


@pytest.mark.parametrize("route", ROUTES)
def test_backward_records_route(route):
    problem = make_problem(*CASES[0])

    assert build_network(problem).backward(problem[3], problem[4], route=route).route == route


def test_backward_default_route_is_combined():
    problem = make_problem(*CASES[0])

    assert build_network(problem).backward(problem[3], problem[4]).route == "combined"


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_gradient_shapes_match_parameters(shape, route):
    problem = make_problem(shape, "tanh", 0)
    network = build_network(problem)

    gradients = network.backward(problem[3], problem[4], route=route)

    for l in range(1, network.L + 1):
        assert gradients.dW[l].shape == network.W[l].shape, f"dW[{l}]"
        assert gradients.db[l].shape == network.b[l].shape, f"db[{l}]"
        assert gradients.dZ[l].shape == (shape[l], N_EXAMPLES), f"dZ[{l}]"
    for l in range(0, network.L):
        assert gradients.dA[l].shape == (shape[l], N_EXAMPLES), f"dA[{l}]"


@pytest.mark.parametrize("case", CASES[::2], ids=case_id)
def test_routes_agree_at_moderate_values(case):
    problem = make_problem(*case)
    network = build_network(problem)

    combined = network.backward(problem[3], problem[4], route="combined")
    chain = network.backward(problem[3], problem[4], route="chain")

    for l in range(1, network.L + 1):
        np.testing.assert_allclose(chain.dW[l], combined.dW[l], rtol=1e-10, atol=1e-14, err_msg=f"dW[{l}]")


def test_chain_route_saturation_raises():
    # Z_L = 50, so sigmoid rounds to exactly 1.0 against the label 0.
    network = gp.Network([[[50.0]]], [[[0.0]]], ["sigmoid"])

    with pytest.raises(gp.SaturationError):
        network.backward(np.array([[1.0]]), np.array([[0.0]]), route="chain")


def test_combined_route_exact_at_saturation():
    network = gp.Network([[[50.0]]], [[[0.0]]], ["sigmoid"])

    gradients = network.backward(np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]]), route="combined")

    # dZ_L = (A_L - Y) / m = (1 - 0) / 2 for both examples.
    assert gradients.dZ[1].tolist() == [[0.5, 0.5]]
    assert gradients.dW[1].tolist() == [[1.5]]
    assert gradients.db[1].tolist() == [[1.0]]


# ---------------------------------------------------------------- hand-worked 1-1-1 network


def hand_worked_example():
    """Work the chain rule by hand for a 1-1-1 network: tanh hidden unit, sigmoid output, m = 2.

    Per example: z1 = w1 x + b1, a1 = tanh(z1), z2 = w2 a1 + b2, a2 = sigmoid(z2),
    loss = -(y log a2 + (1 - y) log(1 - a2)), and J is the mean over the two examples.
    Backward: dz2 = (a2 - y) / m, dW2 = sum dz2 a1, db2 = sum dz2, da1 = w2 dz2,
    dz1 = da1 (1 - a1^2), dW1 = sum dz1 x, db1 = sum dz1, dx = w1 dz1.
    """
    w1, b1, w2, b2 = 0.5, 0.1, -1.2, 0.3
    xs, ys, m = [2.0, -1.0], [1.0, 0.0], 2

    cost = 0.0
    dW1 = db1 = dW2 = db2 = 0.0
    dz2s, da1s, dz1s, dxs = [], [], [], []
    for x, y in zip(xs, ys):
        z1 = w1 * x + b1
        a1 = math.tanh(z1)
        z2 = w2 * a1 + b2
        a2 = 1.0 / (1.0 + math.exp(-z2))
        cost += -(y * math.log(a2) + (1.0 - y) * math.log(1.0 - a2)) / m

        dz2 = (a2 - y) / m
        da1 = w2 * dz2
        dz1 = da1 * (1.0 - a1**2)
        dW2 += dz2 * a1
        db2 += dz2
        dW1 += dz1 * x
        db1 += dz1
        dz2s.append(dz2)
        da1s.append(da1)
        dz1s.append(dz1)
        dxs.append(w1 * dz1)

    network = gp.Network([[[w1]], [[w2]]], [[[b1]], [[b2]]], ["tanh", "sigmoid"])
    expected = {
        "cost": cost,
        "dW1": dW1,
        "db1": db1,
        "dW2": dW2,
        "db2": db2,
        "dZ2": dz2s,
        "dA1": da1s,
        "dZ1": dz1s,
        "dA0": dxs,
    }
    return network, np.array([xs]), np.array([ys]), expected


def test_hand_worked_first_example_values():
    """Check the hand arithmetic for x = 2, y = 1 against values rounded to four digits."""
    _, _, _, expected = hand_worked_example()

    # z1 = 1.1, a1 = tanh(1.1) = 0.8005, z2 = -0.6606, a2 = 0.3406, dz2 = -0.3297.
    assert expected["dZ2"][0] == pytest.approx(-0.3297, abs=1e-4)


def test_hand_worked_cost():
    network, X, Y, expected = hand_worked_example()

    assert network.cost(X, Y) == pytest.approx(expected["cost"], rel=1e-14, abs=0.0)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("quantity", "layer", "key"),
    [("dW", 1, "dW1"), ("db", 1, "db1"), ("dW", 2, "dW2"), ("db", 2, "db2")],
)
def test_hand_worked_parameter_gradient(quantity, layer, key, route):
    network, X, Y, expected = hand_worked_example()

    gradients = network.backward(X, Y, route=route)

    assert getattr(gradients, quantity)[layer][0, 0] == pytest.approx(expected[key], rel=1e-12, abs=0.0)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("quantity", "layer", "key"),
    [("dZ", 2, "dZ2"), ("dA", 1, "dA1"), ("dZ", 1, "dZ1"), ("dA", 0, "dA0")],
)
def test_hand_worked_per_example_gradient(quantity, layer, key, route):
    network, X, Y, expected = hand_worked_example()

    gradients = network.backward(X, Y, route=route)

    np.testing.assert_allclose(getattr(gradients, quantity)[layer], [expected[key]], rtol=1e-12, atol=0.0)


# ---------------------------------------------------------------- construction


@pytest.mark.parametrize("hidden", ["relu", "tanh"])
def test_from_sizes_weights_follow_documented_scale(hidden):
    network = gp.Network.from_sizes([3, 4, 2], hidden_activation=hidden, seed=3)
    rng = np.random.default_rng(3)
    hidden_gain = 2.0 if hidden == "relu" else 1.0
    expected_W1 = math.sqrt(hidden_gain / 3) * rng.standard_normal((4, 3))
    expected_W2 = math.sqrt(1.0 / 4) * rng.standard_normal((2, 4))

    np.testing.assert_allclose(network.W[1], expected_W1, rtol=1e-15, atol=0.0)
    np.testing.assert_allclose(network.W[2], expected_W2, rtol=1e-15, atol=0.0)


def test_from_sizes_biases_zero():
    network = gp.Network.from_sizes([3, 4, 2], seed=1)

    assert network.b[1].tolist() == [[0.0]] * 4
    assert network.b[2].tolist() == [[0.0]] * 2


def test_from_sizes_activation_names():
    network = gp.Network.from_sizes([3, 4, 5, 2], hidden_activation="tanh")

    assert [g.name for g in network.g[1:]] == ["tanh", "tanh", "sigmoid"]


def test_from_sizes_layer_sizes():
    network = gp.Network.from_sizes([3, 4, 5, 2])

    assert network.layer_sizes == [3, 4, 5, 2]
    assert network.L == 3


def test_from_sizes_same_seed_same_weights():
    first = gp.Network.from_sizes([3, 4, 1], seed=5)
    second = gp.Network.from_sizes([3, 4, 1], seed=5)

    np.testing.assert_array_equal(first.W[1], second.W[1])


def test_given_arrays_match_from_sizes():
    built = gp.Network.from_sizes([3, 4, 1], hidden_activation="tanh", seed=2)
    given = gp.Network(
        [built.W[1].copy(), built.W[2].copy()],
        [built.b[1].copy(), built.b[2].copy()],
        ["tanh", "sigmoid"],
    )
    rng = np.random.default_rng(11)
    X = rng.normal(size=(3, 6))
    Y = rng.integers(0, 2, size=(1, 6))

    assert given.cost(X, Y) == built.cost(X, Y)
    np.testing.assert_array_equal(given.backward(X, Y).dW[1], built.backward(X, Y).dW[1])


def test_network_copies_caller_weights():
    W = np.array([[0.5, -0.25]])
    network = gp.Network([W], [np.zeros((1, 1))], ["sigmoid"])

    W[0, 0] = 99.0

    assert network.W[1][0, 0] == 0.5


def test_network_copies_caller_biases():
    b = np.array([[0.3]])
    network = gp.Network([np.ones((1, 2))], [b], ["sigmoid"])

    b[0, 0] = 99.0

    assert network.b[1][0, 0] == 0.3


def test_network_weights_not_caller_array():
    W = np.array([[0.5, -0.25]])

    network = gp.Network([W], [np.zeros((1, 1))], ["sigmoid"])

    assert network.W[1] is not W


def test_network_copy_independent():
    network = gp.Network.from_sizes([2, 3, 1], seed=0)
    original = network.W[1].copy()

    clone = network.copy()
    clone.W[1][0, 0] += 1.0
    clone.b[2][0, 0] += 1.0

    np.testing.assert_array_equal(network.W[1], original)
    assert network.b[2][0, 0] == 0.0


def test_parameters_names_and_arrays():
    network = gp.Network.from_sizes([2, 3, 1], seed=0)

    pairs = network.parameters()

    assert [name for name, _ in pairs] == ["W1", "b1", "W2", "b2"]
    assert pairs[0][1] is network.W[1]
    assert pairs[3][1] is network.b[2]
