"""Input checks: bad arrays, shapes and options raise ValueError that names the argument."""

import math

import numpy as np
import pytest

import gradproof as gp


def small_network():
    """Build a 3-4-1 network with fixed weights. It takes X of shape (3, m) and Y of shape (1, m)."""
    return gp.Network.from_sizes([3, 4, 1], hidden_activation="tanh", seed=0)


def small_batch(m=4):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, m))
    Y = np.array([[1.0, 0.0, 1.0, 0.0][:m]])
    return X, Y


def call_cost(network, X, Y):
    return network.cost(X, Y)


def call_backward_combined(network, X, Y):
    return network.backward(X, Y, route="combined")


def call_backward_chain(network, X, Y):
    return network.backward(X, Y, route="chain")


def call_gradient_check(network, X, Y):
    return gp.gradient_check(network, X, Y)


def call_train(network, X, Y):
    return gp.train(network, X, Y, learning_rate=0.1, n_epochs=1)


ENTRY_POINTS = [call_cost, call_backward_combined, call_backward_chain, call_gradient_check, call_train]
ENTRY_IDS = ["cost", "backward-combined", "backward-chain", "gradient_check", "train"]


# ---------------------------------------------------------------- labels Y


@pytest.mark.parametrize("call", ENTRY_POINTS, ids=ENTRY_IDS)
def test_column_labels_raise_naming_both_shapes(call):
    X, Y = small_batch()

    with pytest.raises(ValueError) as excinfo:
        call(small_network(), X, Y.reshape(4, 1))

    assert "(4, 1)" in str(excinfo.value)
    assert "(1, 4)" in str(excinfo.value)


@pytest.mark.parametrize("call", ENTRY_POINTS, ids=ENTRY_IDS)
def test_flat_labels_raise_naming_both_shapes(call):
    X, Y = small_batch()

    with pytest.raises(ValueError) as excinfo:
        call(small_network(), X, Y.reshape(4))

    assert "(4,)" in str(excinfo.value)
    assert "(1, 4)" in str(excinfo.value)


def test_labels_wrong_example_count_raise():
    X, _ = small_batch()

    with pytest.raises(ValueError, match=r"\(1, 3\).*\(1, 4\)"):
        small_network().cost(X, np.ones((1, 3)))


@pytest.mark.parametrize("label", [-0.1, 1.5, -1.0, 2.0])
@pytest.mark.parametrize("call", ENTRY_POINTS, ids=ENTRY_IDS)
def test_labels_outside_unit_interval_raise(call, label):
    X, Y = small_batch()
    Y[0, 2] = label

    with pytest.raises(ValueError, match=r"outside \[0, 1\]"):
        call(small_network(), X, Y)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("call", ENTRY_POINTS, ids=ENTRY_IDS)
def test_non_finite_labels_raise(call, bad):
    X, Y = small_batch()
    Y[0, 1] = bad

    with pytest.raises(ValueError, match="Y contains 1 entry .*not finite"):
        call(small_network(), X, Y)


# ---------------------------------------------------------------- inputs X


@pytest.mark.parametrize("call", ENTRY_POINTS, ids=ENTRY_IDS)
def test_wrong_input_rows_raise(call):
    _, Y = small_batch()
    X = np.ones((2, 4))

    with pytest.raises(ValueError) as excinfo:
        call(small_network(), X, Y)

    assert "(2, 4)" in str(excinfo.value)
    assert "(3, m)" in str(excinfo.value)


def test_transposed_input_hint():
    X, _ = small_batch()

    with pytest.raises(ValueError, match=r"pass X\.T"):
        small_network().forward(X.T)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("call", ENTRY_POINTS, ids=ENTRY_IDS)
def test_non_finite_inputs_raise(call, bad):
    X, Y = small_batch()
    X[2, 3] = bad

    with pytest.raises(ValueError, match=r"X contains 1 entry .*not finite.*\[2, 3\]"):
        call(small_network(), X, Y)


@pytest.mark.parametrize("call", ENTRY_POINTS, ids=ENTRY_IDS)
def test_empty_batch_raises(call):
    with pytest.raises(ValueError, match="X is empty"):
        call(small_network(), np.ones((3, 0)), np.ones((1, 0)))


def test_one_dimensional_input_raises():
    with pytest.raises(ValueError, match=r"X has shape \(3,\); expected a two-dimensional array"):
        small_network().forward(np.ones(3))


@pytest.mark.parametrize("dtype", [np.complex128, np.str_, object])
def test_non_real_input_dtype_raises(dtype):
    X = np.ones((3, 2)).astype(dtype)

    with pytest.raises(ValueError, match="expected a real numeric array"):
        small_network().forward(X)


# ---------------------------------------------------------------- int, bool and list inputs


def test_int_parameters_converted_to_float64():
    network = gp.Network([np.array([[1, -2]])], [np.array([[3]])], ["sigmoid"])

    assert network.W[1].dtype == np.float64
    assert network.b[1].dtype == np.float64


def test_bool_parameters_converted_to_float64():
    network = gp.Network([np.array([[True, False]])], [np.array([[True]])], ["sigmoid"])

    assert network.W[1].dtype == np.float64
    assert network.W[1].tolist() == [[1.0, 0.0]]


def test_int_and_bool_batch_matches_float_batch():
    network = small_network()
    X_int = np.array([[1, 0, -2, 3], [2, 2, 0, -1], [0, 1, 1, 1]])
    Y_bool = np.array([[True, False, True, False]])

    assert network.cost(X_int, Y_bool) == network.cost(X_int.astype(float), Y_bool.astype(float))


def test_int_and_bool_batch_gradients_are_float64():
    network = small_network()
    X_int = np.array([[1, 0, -2, 3], [2, 2, 0, -1], [0, 1, 1, 1]])
    Y_bool = np.array([[True, False, True, False]])

    gradients = network.backward(X_int, Y_bool)

    assert gradients.dW[1].dtype == np.float64
    assert gradients.dA[0].dtype == np.float64


def test_forward_int_input_gives_float64():
    X_int = np.array([[1, 0], [2, 2], [0, 1]])

    assert small_network().forward(X_int).A[0].dtype == np.float64


@pytest.mark.parametrize("call", ENTRY_POINTS, ids=ENTRY_IDS)
def test_nested_list_batch_accepted(call):
    """X and Y are documented as array_like, so nested lists must work like arrays."""
    X, Y = small_batch()

    call(small_network(), X.tolist(), Y.tolist())


def test_nested_list_cost_matches_array_cost():
    X, Y = small_batch()
    network = small_network()

    assert network.cost(X.tolist(), Y.tolist()) == network.cost(X, Y)


# ---------------------------------------------------------------- network construction


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_weights_raise(bad):
    W2 = np.ones((1, 4))
    W2[0, 1] = bad

    with pytest.raises(ValueError, match=r"W2 contains 1 entry .*not finite.*\[0, 1\]"):
        gp.Network([np.ones((4, 3)), W2], [np.zeros((4, 1)), np.zeros((1, 1))], ["relu", "sigmoid"])


def test_non_finite_bias_raises():
    with pytest.raises(ValueError, match="b1 contains 1 entry .*not finite"):
        gp.Network([np.ones((2, 3))], [np.array([[0.0], [math.nan]])], ["sigmoid"])


def test_flat_bias_raises_naming_shapes():
    with pytest.raises(ValueError) as excinfo:
        gp.Network([np.ones((4, 3)), np.ones((1, 4))], [np.zeros(4), np.zeros((1, 1))], ["relu", "sigmoid"])

    message = str(excinfo.value)
    assert "b1" in message
    assert "(4,)" in message
    assert "(4, 1)" in message


def test_bias_wrong_length_raises():
    with pytest.raises(ValueError, match=r"b1 has shape \(3, 1\)"):
        gp.Network([np.ones((4, 3))], [np.zeros((3, 1))], ["sigmoid"])


def test_inconsistent_weights_name_layer():
    with pytest.raises(ValueError) as excinfo:
        gp.Network(
            [np.ones((4, 3)), np.ones((2, 5)), np.ones((1, 2))],
            [np.zeros((4, 1)), np.zeros((2, 1)), np.zeros((1, 1))],
            ["relu", "relu", "sigmoid"],
        )

    message = str(excinfo.value)
    assert "W2" in message
    assert "(2, 5)" in message
    assert "(2, 4)" in message


@pytest.mark.parametrize("output", ["tanh", "relu", "identity"])
def test_non_sigmoid_output_raises(output):
    with pytest.raises(ValueError, match=f"output activation is '{output}'.*'sigmoid'"):
        gp.Network([np.ones((1, 2))], [np.zeros((1, 1))], [output], loss="binary_cross_entropy")


def test_unknown_activation_raises():
    with pytest.raises(ValueError, match="'swish' is not known"):
        gp.Network([np.ones((2, 2)), np.ones((1, 2))], [np.zeros((2, 1)), np.zeros((1, 1))], ["swish", "sigmoid"])


def test_layer_count_mismatch_raises():
    with pytest.raises(ValueError, match="2 weight arrays, 1 bias arrays and 2 activations"):
        gp.Network([np.ones((2, 2)), np.ones((1, 2))], [np.zeros((2, 1))], ["relu", "sigmoid"])


def test_no_layers_raises():
    with pytest.raises(ValueError, match="weights is empty"):
        gp.Network([], [], [])


@pytest.mark.parametrize("sizes", [[3], [], [3, 0, 1], [3, 4, -1]])
def test_from_sizes_invalid_raises(sizes):
    with pytest.raises(ValueError, match="layer_sizes"):
        gp.Network.from_sizes(sizes)


# ---------------------------------------------------------------- route and layer index


@pytest.mark.parametrize("route", ["Combined", "backprop", ""])
def test_bad_route_raises(route):
    X, Y = small_batch()

    with pytest.raises(ValueError, match="choose 'combined', 'chain' or None") as excinfo:
        small_network().backward(X, Y, route=route)

    assert repr(route) in str(excinfo.value)


def test_gradient_check_bad_route_raises():
    X, Y = small_batch()

    with pytest.raises(ValueError, match="route"):
        gp.gradient_check(small_network(), X, Y, route="adjoint")


@pytest.mark.parametrize("layer", [-1, 3, 1.0, "1"])
def test_cost_from_activation_bad_layer_raises(layer):
    X, Y = small_batch()

    with pytest.raises(ValueError, match="layer index"):
        small_network().cost_from_activation(layer, X, Y)


@pytest.mark.parametrize("layer", [0, 3])
def test_cost_from_preactivation_bad_layer_raises(layer):
    X, Y = small_batch()

    with pytest.raises(ValueError, match="layer index"):
        small_network().cost_from_preactivation(layer, X, Y)


def test_cost_from_activation_wrong_rows_raises():
    _, Y = small_batch()

    with pytest.raises(ValueError, match=r"A1 has shape \(3, 4\)"):
        small_network().cost_from_activation(1, np.ones((3, 4)), Y)
