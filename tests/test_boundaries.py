"""Inputs at the edges of the public functions that an outside review found mishandled."""

import math
import warnings

import numpy as np
import pytest

import gradproof as gp


def test_relative_error_huge_gradients():
    # |2e154 - 1e154| / (2e154 + 1e154) = 1/3, worked by hand; squaring overflows float64.
    with np.errstate(all="raise"):
        assert gp.relative_error([2e154], [1e154]) == pytest.approx(1 / 3, rel=1e-15, abs=0.0)


def test_relative_error_near_float64_max():
    with np.errstate(all="raise"):
        assert gp.relative_error([1.7e308, -1.7e308], [-1.7e308, 1.7e308]) == 1.0


def test_relative_error_subnormal_gradients():
    with np.errstate(all="raise"):
        assert gp.relative_error([1e-320], [2e-320]) == pytest.approx(1 / 3, rel=1e-3, abs=0.0)


@pytest.mark.parametrize("bad", [[math.nan], [math.inf], [1j]])
def test_relative_error_rejects_bad_values(bad):
    with pytest.raises(ValueError, match="actual"):
        gp.relative_error(bad, [1.0])


def test_assert_gradient_close_huge_wrong_gradient_fails():
    with pytest.raises(AssertionError, match="relative error 3.333e-01"):
        gp.assert_gradient_close([2e154], [1e154], 1e-7, "dW1")


def test_assert_gradient_close_nan_fails_naming_gradient():
    with pytest.raises(AssertionError, match="dW1: the actual gradient contains NaN"):
        gp.assert_gradient_close([math.nan], [1.0], 1e-7, "dW1")


@pytest.mark.parametrize("tolerance", [math.nan, -1.0, math.inf])
def test_assert_gradient_close_rejects_bad_tolerance(tolerance):
    with pytest.raises(ValueError, match="tolerance"):
        gp.assert_gradient_close([1.0], [1.0], tolerance, "dW1")


def test_numerical_gradient_rejects_nan_point():
    with pytest.raises(ValueError, match="x contains NaN"):
        gp.numerical_gradient(lambda x: float(np.sum(x)), [math.nan])


def test_huge_step_warns_without_overflow():
    with pytest.warns(gp.StepSizeWarning, match="truncation"):
        gp.numerical_gradient(lambda x: float(np.sum(x)), [1.0], step=1e300)


def test_gradient_check_huge_inputs_no_overflow():
    net = gp.Network([np.array([[1e-3, -2e-3]])], [np.zeros((1, 1))], ["sigmoid"])
    X = np.array([[1e160, -3e159, 2e159], [5e159, 1e159, -4e159]])
    Y = np.array([[0.0, 1.0, 1.0]])

    with np.errstate(all="raise"):
        report = gp.gradient_check(net, X, Y, method="complex")

    assert report.per_parameter["W1"] < 1e-13


def test_softmax_jacobian_rejects_several_columns():
    with pytest.raises(ValueError, match=r"z has shape \(3, 2\)"):
        gp.softmax_jacobian(np.ones((3, 2)))


@pytest.mark.parametrize("dA_shape", [(3, 4), (1, 1)])
def test_softmax_backward_rejects_other_shapes(dA_shape):
    with pytest.raises(ValueError, match=r"dA has shape .* but Z has shape \(3, 1\)"):
        gp.softmax_vector_jacobian_product(np.ones(dA_shape), np.zeros((3, 1)))


def test_softmax_backward_rejects_nan():
    with pytest.raises(ValueError, match="dA contains"):
        gp.softmax_vector_jacobian_product(np.array([[math.nan], [0.0]]), np.zeros((2, 1)))


def test_activation_backward_rejects_broadcasting():
    with pytest.raises(ValueError, match=r"dA has shape \(1, 1\) but Z has shape \(3, 2\)"):
        gp.get_activation("tanh").backward(np.ones((1, 1)), np.zeros((3, 2)))


@pytest.mark.parametrize("Z", [np.zeros((0, 3)), np.zeros((3, 0))])
def test_softmax_rejects_empty(Z):
    with pytest.raises(ValueError, match="non-empty"):
        gp.softmax(Z)


@pytest.mark.parametrize("sizes", [[3, 2.9, 1], [3, "4", 1], [3, True, 1], [3, math.nan, 1], 3])
def test_from_sizes_rejects_non_integer_sizes(sizes):
    with pytest.raises(ValueError, match="layer_sizes"):
        gp.Network.from_sizes(sizes)


@pytest.mark.parametrize("seed", [-1, 1.5, True])
def test_from_sizes_rejects_bad_seed(seed):
    with pytest.raises(ValueError, match="seed"):
        gp.Network.from_sizes([3, 1], seed=seed)


@pytest.mark.parametrize("slope", [1e308, math.nan, -0.1, "0.01"])
def test_leaky_relu_rejects_bad_slope(slope):
    with pytest.raises(ValueError, match="slope"):
        gp.leaky_relu(np.array([-10.0]), slope=slope)


def test_train_rejects_non_network():
    with pytest.raises(ValueError, match="network is a str"):
        gp.train("net", [[1.0]], [[1.0]], learning_rate=0.1, n_epochs=1)


def test_train_checks_route_before_training():
    net = gp.Network.from_sizes([1, 1])
    with pytest.raises(ValueError, match="route is 'bogus'"):
        gp.train(net, [[1.0]], [[1.0]], learning_rate=0.1, n_epochs=0, route="bogus")


def test_cost_from_activation_rejects_bool_layer():
    net = gp.Network.from_sizes([2, 3, 1])
    with pytest.raises(ValueError, match="layer index l is True"):
        net.cost_from_activation(True, np.zeros((3, 2)), np.zeros((1, 2)))


def test_cross_entropy_gradient_exact_for_nearly_normalised_labels():
    # Columns summing to 1 + 9e-7 pass validation; the gradient must still be dJ/dZ.
    Z = np.array([[0.3, -1.2], [1.1, 0.4], [-0.5, 0.9]])
    Y = np.array([[0.2, 0.1], [0.5 + 9e-7, 0.6 + 9e-7], [0.3, 0.3]])
    m = Z.shape[1]

    def cost(V):
        shifted = V - V.max(axis=0)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=0))
        return float(-(Y * log_softmax).sum() / m)

    h = 1e-6
    expected = np.zeros_like(Z)
    for index in np.ndindex(Z.shape):
        plus, minus = Z.copy(), Z.copy()
        plus[index] += h
        minus[index] -= h
        expected[index] = (cost(plus) - cost(minus)) / (2 * h)

    actual = gp.CATEGORICAL_CROSS_ENTROPY.logit_gradient(Z, Y)

    assert gp.relative_error(actual, expected) < 1e-9


def test_gradient_check_warns_when_cost_swamps_differences():
    # Labels of -1e100 make J about 1e200 while dW stays near 1e100 * |A1|; the round-off
    # of J, about 2e-16 * 1e200 / 6e-6, is far above the bias gradient of order 1e100.
    net = gp.Network.from_sizes([2, 3, 1], hidden_activation="tanh", output_activation="identity", seed=0)
    X = np.array([[0.5, -1.0, 0.2], [1.5, 0.3, -0.7]])
    Y = np.full((1, 3), -1e100)

    with pytest.warns(gp.PrecisionWarning, match="cannot resolve the gradients"):
        gp.gradient_check(net, X, Y)


def test_gradient_check_ordinary_cost_gives_no_precision_warning():
    net = gp.Network.from_sizes([2, 3, 1], hidden_activation="tanh", seed=0)
    X = np.array([[0.5, -1.0, 0.2], [1.5, 0.3, -0.7]])
    Y = np.array([[1.0, 0.0, 1.0]])

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = gp.gradient_check(net, X, Y)

    assert report.relative_error < 1e-7


def test_complex_check_tiny_weight_decay_no_underflow_error():
    net = gp.Network.from_sizes([2, 3, 1], weight_decay=1e-300, seed=0)
    X = np.array([[1.0, 2.0], [0.5, 3.0]])
    Y = np.array([[1.0, 0.0]])

    with np.errstate(all="raise"):
        report = gp.gradient_check(net, X, Y, method="complex")

    assert report.relative_error < 1e-13


def test_train_names_validation_data_in_errors():
    net = gp.Network.from_sizes([2, 1], seed=0)
    X, Y = np.ones((2, 4)), np.ones((1, 4))

    with pytest.raises(ValueError, match=r"validation_data \(X_valid, Y_valid\): Y has shape \(4, 1\)"):
        gp.train(net, X, Y, learning_rate=0.1, n_epochs=1, validation_data=(np.ones((2, 4)), np.ones((4, 1))))


def test_train_blames_learning_rate_for_overflow():
    net = gp.Network.from_sizes([2, 3, 1], hidden_activation="tanh", seed=0)
    X = np.array([[1.0, 2.0], [0.5, 3.0]])
    Y = np.array([[1.0, 0.0]])

    with pytest.raises(FloatingPointError, match="learning_rate = 1e\\+308 is too large"):
        gp.train(net, X, Y, learning_rate=1e308, n_epochs=3)


@pytest.mark.parametrize("value", [math.nan, math.inf, 1j])
def test_numerical_gradient_rejects_bad_values_of_f(value):
    with pytest.raises(ValueError, match="f returned"):
        gp.numerical_gradient(lambda v: value, [1.0])


def test_complex_step_rejects_array_valued_f():
    with pytest.raises(ValueError, match="f returned an array of shape"):
        gp.complex_step_gradient(lambda v: v * v, [1.0, 2.0])


def test_assert_gradient_close_rejects_bool_tolerance():
    with pytest.raises(ValueError, match="tolerance is True"):
        gp.assert_gradient_close([1.0], [1.0], True, "dW1")
