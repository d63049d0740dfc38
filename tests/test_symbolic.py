"""SymPy proofs of the backward pass's identities, negative controls, and a bridge to the library.

A difference of zero means the identity holds for every value of the symbols. The
negative controls plant a wrong identity and require a non-zero difference, so that a
``simplify`` that returned 0 for everything could not pass. The bridge tests evaluate
SymPy's own derivatives numerically and compare them with the library's formulas.
"""

import numpy as np
import pytest
import sympy as sp

import gradproof as gp
from gradproof import symbolic

IDENTITIES = [
    symbolic.sigmoid_derivative_difference,
    symbolic.tanh_derivative_difference,
    symbolic.sigmoid_binary_cross_entropy_difference,
    symbolic.softmax_cross_entropy_difference,
    symbolic.softmax_jacobian_difference,
    symbolic.identity_squared_error_difference,
    symbolic.exponential_poisson_difference,
]


@pytest.mark.parametrize("difference", IDENTITIES, ids=lambda function: function.__name__)
def test_identity_difference_is_zero(difference):
    assert symbolic.is_zero(difference())


def test_softmax_cross_entropy_two_and_four_classes():
    assert symbolic.is_zero(symbolic.softmax_cross_entropy_difference(classes=2))
    assert symbolic.is_zero(symbolic.softmax_cross_entropy_difference(classes=4))


# ---------------------------------------------------------------- negative controls


def test_wrong_sigmoid_derivative_is_not_zero():
    difference = symbolic.sigmoid_derivative_difference(claimed=lambda s: s * (1 + s))

    assert not symbolic.is_zero(difference)


def test_wrong_tanh_derivative_is_not_zero():
    difference = symbolic.tanh_derivative_difference(claimed=lambda t: 1 - t)

    assert not symbolic.is_zero(difference)


def test_extra_sigmoid_factor_at_combined_output_is_not_zero():
    """Multiplying a - y by sigma' once more, a classic slip, is caught."""
    difference = symbolic.sigmoid_binary_cross_entropy_difference(claimed=lambda a, y: a * (1 - a) * (a - y))

    assert not symbolic.is_zero(difference)


def test_softmax_cross_entropy_needs_labels_that_sum_to_one():
    difference = symbolic.softmax_cross_entropy_difference(labels_sum_to_one=False)

    assert not symbolic.is_zero(difference)


def test_softmax_cross_entropy_free_labels_give_a_times_sum():
    """Without the constraint the gradient is a * sum(y) - y, so a - y misses a * (sum(y) - 1)."""
    y = sp.symbols("y1:4", real=True)
    difference = symbolic.softmax_cross_entropy_difference(
        labels_sum_to_one=False, claimed=lambda a, labels: a * sum(y) - labels
    )

    assert symbolic.is_zero(difference)


def test_elementwise_softmax_jacobian_is_not_zero():
    difference = symbolic.softmax_jacobian_difference(
        claimed=lambda s: sp.diag(*s.applyfunc(lambda value: value * (1 - value)))
    )

    assert not symbolic.is_zero(difference)


def test_poisson_without_the_link_is_not_zero():
    """The derivative in a, 1 - y / a, is not the derivative in the logit z."""
    difference = symbolic.exponential_poisson_difference(claimed=lambda a, y: 1 - y / a)

    assert not symbolic.is_zero(difference)


def test_squared_error_without_the_half_is_not_zero():
    difference = symbolic.identity_squared_error_difference(claimed=lambda a, y: 2 * (a - y))

    assert not symbolic.is_zero(difference)


# ---------------------------------------------------------------- bridge to the library


def test_library_sigmoid_derivative_matches_sympy():
    z = sp.Symbol("z", real=True)
    derivative = sp.lambdify(z, sp.diff(symbolic.sigmoid(z), z), "numpy")
    points = np.linspace(-30.0, 30.0, 61)

    np.testing.assert_allclose(gp.sigmoid_derivative(points), derivative(points), rtol=1e-13, atol=0.0)


def test_library_softmax_jacobian_matches_sympy():
    z = sp.Matrix(sp.symbols("z1:4", real=True))
    jacobian = sp.lambdify(list(z), symbolic.softmax(z).jacobian(z), "numpy")
    point = np.array([0.4, -1.3, 2.2])

    np.testing.assert_allclose(gp.softmax_jacobian(point), np.array(jacobian(*point), dtype=float), rtol=1e-13, atol=1e-16)


def test_library_softmax_logit_gradient_matches_sympy():
    z = sp.Matrix(sp.symbols("z1:4", real=True))
    y = sp.symbols("y1:4", real=True)
    loss = -sum(y[k] * sp.log(symbolic.softmax(z)[k]) for k in range(3))
    gradient = sp.lambdify(list(z) + list(y), [sp.diff(loss, z[k]) for k in range(3)], "numpy")
    Z = np.array([[0.4], [-1.3], [2.2]])
    Y = np.array([[0.2], [0.5], [0.3]])

    expected = np.array(gradient(*Z.ravel(), *Y.ravel()), dtype=float).reshape(3, 1)

    np.testing.assert_allclose(gp.CATEGORICAL_CROSS_ENTROPY.logit_gradient(Z, Y), expected, rtol=1e-13, atol=0.0)
