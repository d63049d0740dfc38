"""Activation values and derivatives against the math-based reference, including saturation."""

import math

import numpy as np
import pytest

import gradproof as gp
import reference

# Inputs whose results are 0 or normal float64 numbers, so a relative tolerance applies.
# 36 and 40 sit either side of the point where sigmoid rounds to 1.0, 300 keeps tanh'
# normal (about 1e-260), and 1000 and 1e308 saturate every exponential.
INPUTS = [
    0.0,
    0.5,
    -0.5,
    3.0,
    -3.0,
    20.0,
    -20.0,
    36.0,
    -36.0,
    40.0,
    -40.0,
    300.0,
    -300.0,
    700.0,
    -700.0,
    1000.0,
    -1000.0,
    1e308,
    -1e308,
]

EXTREME_INPUTS = [40.0, -40.0, 750.0, -750.0, 1000.0, -1000.0, 1e308, -1e308, np.finfo(np.float64).max]

PAIRS = [
    ("sigmoid", gp.sigmoid, gp.sigmoid_derivative),
    ("tanh", gp.tanh, gp.tanh_derivative),
    ("relu", gp.relu, gp.relu_derivative),
    ("identity", gp.identity, gp.identity_derivative),
]

ALL_FUNCTIONS = [function for _, forward, derivative in PAIRS for function in (forward, derivative)]


def evaluate_scalar(function, z):
    """Call a gradproof activation on a 1x1 array and return the entry as a Python float."""
    return float(function(np.array([[z]]))[0, 0])


@pytest.mark.parametrize("z", INPUTS)
@pytest.mark.parametrize(("name", "forward", "derivative"), PAIRS, ids=[p[0] for p in PAIRS])
def test_activation_value_matches_reference(name, forward, derivative, z):
    expected = reference.ACTIVATIONS[name][0](z)

    assert evaluate_scalar(forward, z) == pytest.approx(expected, rel=1e-14, abs=0.0)


@pytest.mark.parametrize("z", INPUTS)
@pytest.mark.parametrize(("name", "forward", "derivative"), PAIRS, ids=[p[0] for p in PAIRS])
def test_activation_derivative_matches_reference(name, forward, derivative, z):
    expected = reference.ACTIVATIONS[name][1](z)

    assert evaluate_scalar(derivative, z) == pytest.approx(expected, rel=1e-14, abs=0.0)


@pytest.mark.parametrize("z", [-4.0, -1.3, -0.2, 0.7, 2.5, 6.0])
@pytest.mark.parametrize(("name", "forward", "derivative"), PAIRS, ids=[p[0] for p in PAIRS])
def test_activation_derivative_matches_finite_difference(name, forward, derivative, z):
    h = 1e-6
    estimate = (evaluate_scalar(forward, z + h) - evaluate_scalar(forward, z - h)) / (2.0 * h)

    assert evaluate_scalar(derivative, z) == pytest.approx(estimate, rel=1e-8, abs=1e-10)


def test_sigmoid_derivative_exact_at_40():
    e = math.exp(-40.0)
    expected = e / (1.0 + e) ** 2

    assert expected == pytest.approx(4.248354255291589e-18, rel=1e-15, abs=0.0)
    assert evaluate_scalar(gp.sigmoid_derivative, 40.0) == pytest.approx(expected, rel=1e-14, abs=0.0)


def test_sigmoid_derivative_exact_at_minus_40():
    e = math.exp(-40.0)

    assert evaluate_scalar(gp.sigmoid_derivative, -40.0) == pytest.approx(e / (1.0 + e) ** 2, rel=1e-14, abs=0.0)


def test_tanh_derivative_exact_at_20():
    e = math.exp(-40.0)

    assert evaluate_scalar(gp.tanh_derivative, 20.0) == pytest.approx(4.0 * e / (1.0 + e) ** 2, rel=1e-14, abs=0.0)


def test_sigmoid_exact_at_minus_40():
    e = math.exp(-40.0)

    assert evaluate_scalar(gp.sigmoid, -40.0) == pytest.approx(e / (1.0 + e), rel=1e-14, abs=0.0)


def test_sigmoid_rounds_to_one_at_40():
    assert evaluate_scalar(gp.sigmoid, 40.0) == 1.0


def test_sigmoid_zero_at_minus_1000():
    assert evaluate_scalar(gp.sigmoid, -1000.0) == 0.0


def test_sigmoid_half_at_zero():
    assert evaluate_scalar(gp.sigmoid, 0.0) == 0.5


def test_sigmoid_derivative_quarter_at_zero():
    assert evaluate_scalar(gp.sigmoid_derivative, 0.0) == 0.25


def test_relu_derivative_zero_at_zero():
    assert evaluate_scalar(gp.relu_derivative, 0.0) == 0.0


def test_relu_negative_input_is_zero():
    assert evaluate_scalar(gp.relu, -2.5) == 0.0


@pytest.mark.parametrize("z", EXTREME_INPUTS)
@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_activation_no_floating_point_error(function, z):
    with np.errstate(all="raise"):
        result = function(np.array([[z]]))

    assert np.isfinite(result).all()


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_activation_no_floating_point_error_on_array(function):
    """One call on every extreme input at once, as a network layer would make it."""
    Z = np.array([EXTREME_INPUTS])

    with np.errstate(all="raise"):
        result = function(Z)

    assert np.isfinite(result).all()


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_activation_preserves_shape(function):
    Z = np.arange(-3.0, 3.0).reshape(2, 3)

    assert function(Z).shape == (2, 3)


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_activation_int_input_gives_float64(function):
    Z = np.array([[-2, 0, 3]])

    assert function(Z).dtype == np.float64


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_activation_leaves_input_unchanged(function):
    Z = np.array([[-2.0, 0.5, 3.0]])
    before = Z.copy()

    function(Z)

    assert np.array_equal(Z, before)


def test_sigmoid_symmetry_at_moderate_values():
    Z = np.linspace(-8.0, 8.0, 33).reshape(1, -1)

    np.testing.assert_allclose(gp.sigmoid(-Z), 1.0 - gp.sigmoid(Z), rtol=0.0, atol=1e-15)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_activation_backward_is_dA_times_derivative(name):
    Z = np.array([[-1.5, 0.25, 2.0]])
    dA = np.array([[0.3, -0.7, 1.1]])
    derivative = reference.ACTIVATIONS[name][1]
    expected = [[dA[0, j] * derivative(Z[0, j]) for j in range(3)]]

    result = gp.get_activation(name).backward(dA, Z)

    np.testing.assert_allclose(result, expected, rtol=1e-14, atol=0.0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_get_activation_by_name(name):
    assert gp.get_activation(name).name == name


def test_get_activation_returns_given_activation():
    activation = gp.ACTIVATIONS["tanh"]

    assert gp.get_activation(activation) is activation


def test_activations_table_names():
    assert sorted(gp.ACTIVATIONS) == [
        "exponential", "identity", "leaky_relu", "relu", "sigmoid", "softmax", "tanh"
    ]


@pytest.mark.parametrize("bad", ["swish", "Sigmoid", "", 3, None])
def test_get_activation_unknown_raises(bad):
    with pytest.raises(ValueError, match="not known") as excinfo:
        gp.get_activation(bad)

    assert repr(bad) in str(excinfo.value)
