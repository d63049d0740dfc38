"""Full-batch gradient descent: progress on a separable problem, history and copy semantics."""

import math

import numpy as np
import pytest

import gradproof as gp
import reference


def separable_problem(m=40, seed=0):
    """Points in the plane labelled 1 above the line x0 + x1 = 0 and 0 below it."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, m))
    Y = (X[0] + X[1] > 0).astype(np.float64).reshape(1, m)
    return X, Y


def starting_network():
    return gp.Network.from_sizes([2, 4, 1], hidden_activation="tanh", seed=0)


def network_as_lists(network):
    weights = [W.tolist() for W in network.W[1:]]
    biases = [b.tolist() for b in network.b[1:]]
    activations = [g.name for g in network.g[1:]]
    return weights, biases, activations


def test_train_cost_decreases_on_separable_problem():
    X, Y = separable_problem()

    _, history = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=200)

    assert history.costs[-1] < 0.25 * history.costs[0]


def test_train_cost_decreases_every_epoch():
    X, Y = separable_problem()

    _, history = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=200)

    for epoch in range(1, len(history.costs)):
        assert history.costs[epoch] < history.costs[epoch - 1], f"epoch {epoch}"


def test_train_classifies_separable_problem():
    X, Y = separable_problem()

    trained, _ = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=200)

    np.testing.assert_array_equal(trained.predict(X) > 0.5, Y == 1.0)


def test_train_first_cost_matches_reference():
    X, Y = separable_problem()
    network = starting_network()
    expected = reference.cost(*network_as_lists(network), X.tolist(), Y.tolist())

    _, history = gp.train(network, X, Y, learning_rate=0.5, n_epochs=3)

    assert history.costs[0] == pytest.approx(expected, rel=1e-13, abs=0.0)


def test_train_last_cost_matches_trained_network():
    X, Y = separable_problem()

    trained, history = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=3)
    expected = reference.cost(*network_as_lists(trained), X.tolist(), Y.tolist())

    assert history.costs[-1] == pytest.approx(expected, rel=1e-13, abs=0.0)


def test_train_one_step_matches_reference_gradient():
    """After one epoch, W[l] - learning_rate * dW[l] with dW from reference central differences."""
    X, Y = separable_problem(m=8)
    network = starting_network()
    learning_rate = 0.3
    expected = reference.numerical_gradients(*network_as_lists(network), X.tolist(), Y.tolist())

    trained, _ = gp.train(network, X, Y, learning_rate=learning_rate, n_epochs=1)

    for l in range(1, network.L + 1):
        W_expected = network.W[l] - learning_rate * np.array(expected["dW"][l])
        b_expected = network.b[l] - learning_rate * np.array(expected["db"][l])
        np.testing.assert_allclose(trained.W[l], W_expected, rtol=0.0, atol=1e-9, err_msg=f"W[{l}]")
        np.testing.assert_allclose(trained.b[l], b_expected, rtol=0.0, atol=1e-9, err_msg=f"b[{l}]")


def test_train_leaves_input_network_unchanged():
    X, Y = separable_problem()
    network = starting_network()
    before = [array.copy() for _, array in network.parameters()]

    gp.train(network, X, Y, learning_rate=0.5, n_epochs=5)

    for (name, array), original in zip(network.parameters(), before):
        np.testing.assert_array_equal(array, original, err_msg=name)


def test_train_returns_new_network():
    X, Y = separable_problem()
    network = starting_network()

    trained, _ = gp.train(network, X, Y, learning_rate=0.5, n_epochs=1)

    assert trained is not network
    assert trained.W[1] is not network.W[1]


@pytest.mark.parametrize("n_epochs", [0, 1, 7])
def test_train_history_length(n_epochs):
    X, Y = separable_problem()

    _, history = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=n_epochs)

    assert len(history.costs) == n_epochs + 1


@pytest.mark.parametrize("n_epochs", [0, 1, 7])
def test_train_validation_history_length(n_epochs):
    X, Y = separable_problem()
    X_valid, Y_valid = separable_problem(m=10, seed=1)

    _, history = gp.train(
        starting_network(), X, Y, learning_rate=0.5, n_epochs=n_epochs, validation_data=(X_valid, Y_valid)
    )

    assert len(history.validation_costs) == n_epochs + 1


def test_train_no_validation_history_empty():
    X, Y = separable_problem()

    _, history = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=3)

    assert history.validation_costs == ()


def test_train_validation_cost_matches_reference():
    X, Y = separable_problem()
    X_valid, Y_valid = separable_problem(m=10, seed=1)

    trained, history = gp.train(
        starting_network(), X, Y, learning_rate=0.5, n_epochs=4, validation_data=(X_valid, Y_valid)
    )
    expected = reference.cost(*network_as_lists(trained), X_valid.tolist(), Y_valid.tolist())

    assert history.validation_costs[-1] == pytest.approx(expected, rel=1e-13, abs=0.0)


def test_train_validation_keeps_parameters():
    X, Y = separable_problem()
    X_valid, Y_valid = separable_problem(m=10, seed=1)

    plain, _ = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=4)
    validated, _ = gp.train(
        starting_network(), X, Y, learning_rate=0.5, n_epochs=4, validation_data=(X_valid, Y_valid)
    )

    for l in range(1, plain.L + 1):
        np.testing.assert_array_equal(validated.W[l], plain.W[l], err_msg=f"W[{l}]")


def test_train_zero_epochs_keeps_parameters():
    X, Y = separable_problem()
    network = starting_network()

    trained, _ = gp.train(network, X, Y, learning_rate=0.5, n_epochs=0)

    for l in range(1, network.L + 1):
        np.testing.assert_array_equal(trained.W[l], network.W[l], err_msg=f"W[{l}]")


def test_train_parameters_stay_float64():
    X, Y = separable_problem()
    X_int = np.round(3.0 * X).astype(np.int64)
    Y_bool = Y.astype(bool)

    trained, _ = gp.train(starting_network(), X_int, Y_bool, learning_rate=0.5, n_epochs=3)

    for name, array in trained.parameters():
        assert array.dtype == np.float64, name


def test_train_history_costs_are_floats():
    X, Y = separable_problem()

    _, history = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=2)

    for cost in history.costs:
        assert type(cost) is float


def test_train_chain_route_matches_combined():
    X, Y = separable_problem()

    combined, _ = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=5, route="combined")
    chain, _ = gp.train(starting_network(), X, Y, learning_rate=0.5, n_epochs=5, route="chain")

    np.testing.assert_allclose(chain.W[1], combined.W[1], rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("learning_rate", [0.0, -0.1, math.nan, math.inf])
def test_train_bad_learning_rate_raises(learning_rate):
    X, Y = separable_problem()

    with pytest.raises(ValueError, match="learning_rate"):
        gp.train(starting_network(), X, Y, learning_rate=learning_rate, n_epochs=1)


@pytest.mark.parametrize("n_epochs", [-1, 2.5, "3", None])
def test_train_bad_epoch_count_raises(n_epochs):
    X, Y = separable_problem()

    with pytest.raises(ValueError, match="n_epochs"):
        gp.train(starting_network(), X, Y, learning_rate=0.1, n_epochs=n_epochs)


def test_train_bad_route_raises():
    X, Y = separable_problem()

    with pytest.raises(ValueError, match="route"):
        gp.train(starting_network(), X, Y, learning_rate=0.1, n_epochs=1, route="sideways")
