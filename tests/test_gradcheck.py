"""numerical_gradient, relative_error, assert_gradient_close and gradient_check."""

import math

import numpy as np
import pytest

import gradproof as gp


def sum_of_cubes(x):
    return float(np.sum(x**3))


# ---------------------------------------------------------------- numerical_gradient


def test_numerical_gradient_sum_of_cubes():
    x = np.array([[0.3, -1.2, 2.0], [-0.05, 0.8, -3.5]])

    np.testing.assert_allclose(gp.numerical_gradient(sum_of_cubes, x), 3.0 * x**2, rtol=1e-8, atol=1e-10)


def test_numerical_gradient_sum_of_sines():
    x = np.array([0.1, 1.3, -2.2, 4.0])

    estimate = gp.numerical_gradient(lambda point: float(np.sum(np.sin(point))), x)

    np.testing.assert_allclose(estimate, np.cos(x), rtol=1e-8, atol=1e-10)


def test_numerical_gradient_large_entries():
    x = np.array([1e3, -2.5e4])

    np.testing.assert_allclose(gp.numerical_gradient(sum_of_cubes, x), 3.0 * x**2, rtol=1e-8, atol=0.0)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        # h = 0.1 because |x| < 1: 3 x^2 + h^2 = 0.75 + 0.01.
        (0.5, 0.76),
        # h = 0.1 * |x| = 0.2: 3 x^2 + h^2 = 12 + 0.04.
        (2.0, 12.04),
        (-2.0, 12.04),
    ],
)
def test_numerical_gradient_step_scales_with_entry(x, expected):
    """For x**3 the central difference is exactly 3 x^2 + h^2, which exposes the step h.

    A step of 0.1 lies above 1e-2, so the call also warns that truncation dominates.
    """
    with pytest.warns(gp.gradcheck.StepSizeWarning, match="truncation"):
        estimate = gp.numerical_gradient(sum_of_cubes, np.array([x]), step=0.1)

    assert estimate[0] == pytest.approx(expected, rel=1e-12, abs=0.0)


def test_numerical_gradient_leaves_point_unchanged():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    before = x.copy()

    gp.numerical_gradient(sum_of_cubes, x)

    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_keeps_shape():
    x = np.ones((2, 3, 4))

    assert gp.numerical_gradient(sum_of_cubes, x).shape == (2, 3, 4)


def test_numerical_gradient_int_point():
    estimate = gp.numerical_gradient(sum_of_cubes, [1, 2])

    assert estimate.dtype == np.float64
    np.testing.assert_allclose(estimate, [3.0, 12.0], rtol=1e-8, atol=0.0)


@pytest.mark.parametrize("step", [0.0, -1e-6, math.nan, math.inf])
def test_numerical_gradient_bad_step_raises(step):
    with pytest.raises(ValueError, match="step"):
        gp.numerical_gradient(sum_of_cubes, np.ones(2), step=step)


def test_default_step_is_cube_root_of_epsilon():
    assert gp.DEFAULT_STEP == pytest.approx(2.220446049250313e-16 ** (1.0 / 3.0), rel=1e-14, abs=0.0)


# ---------------------------------------------------------------- relative_error


def test_relative_error_equal_is_zero():
    a = np.array([[1.0, -2.0], [3.5, 0.0]])

    assert gp.relative_error(a, a.copy()) == 0.0


def test_relative_error_both_zero_is_zero():
    assert gp.relative_error(np.zeros((2, 2)), np.zeros((2, 2))) == 0.0


def test_relative_error_opposite_is_one():
    a = np.array([1.0, -2.0, 3.0])

    assert gp.relative_error(a, -a) == pytest.approx(1.0, rel=1e-15, abs=0.0)


def test_relative_error_zero_actual_is_one():
    assert gp.relative_error(np.zeros(3), np.array([1.0, 2.0, 3.0])) == 1.0


def test_relative_error_zero_expected_is_one():
    assert gp.relative_error(np.array([1.0, 2.0, 3.0]), np.zeros(3)) == 1.0


def test_relative_error_hand_value():
    # ||(3, -4)|| / (||(3, 0)|| + ||(0, 4)||) = 5 / 7.
    assert gp.relative_error([3.0, 0.0], [0.0, 4.0]) == pytest.approx(5.0 / 7.0, rel=1e-15, abs=0.0)


def test_relative_error_symmetric():
    a = np.array([1.0, 2.0, -0.5])
    b = np.array([1.1, 1.7, -0.4])

    assert gp.relative_error(a, b) == gp.relative_error(b, a)


def test_relative_error_returns_float():
    assert type(gp.relative_error([1.0], [2.0])) is float


def test_relative_error_shape_mismatch_raises():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3, 2\)"):
        gp.relative_error(np.ones((2, 3)), np.ones((3, 2)))


def test_relative_error_transposed_vector_raises():
    with pytest.raises(ValueError, match="same shape"):
        gp.relative_error(np.ones((1, 4)), np.ones((4, 1)))


# ---------------------------------------------------------------- assert_gradient_close


def test_assert_gradient_close_above_tolerance_raises():
    with pytest.raises(AssertionError, match="dW2"):
        gp.assert_gradient_close([1.0, 2.0], [1.0, 2.1], tolerance=1e-7, name="dW2")


def test_assert_gradient_close_message_gives_error():
    # ||(0, -0.1)|| / (||(1, 2)|| + ||(1, 2.1)||) = 0.1 / (sqrt(5) + sqrt(5.41)) = 2.192e-02.
    with pytest.raises(AssertionError, match=r"relative error 2\.192e-02 exceeds the tolerance 1\.0e-07"):
        gp.assert_gradient_close([1.0, 2.0], [1.0, 2.1], tolerance=1e-7, name="dW2")


def test_assert_gradient_close_within_tolerance_returns_error():
    expected = 0.1 / (math.sqrt(5.0) + math.sqrt(5.41))

    error = gp.assert_gradient_close([1.0, 2.0], [1.0, 2.1], tolerance=0.05, name="dW2")

    assert error == pytest.approx(expected, rel=1e-14, abs=0.0)


def test_assert_gradient_close_at_tolerance_passes():
    assert gp.assert_gradient_close([1.0], [1.0], tolerance=0.0, name="db1") == 0.0


def test_assert_gradient_close_nan_raises():
    with pytest.raises(AssertionError):
        gp.assert_gradient_close([math.nan], [1.0], tolerance=1.0, name="db1")


# ---------------------------------------------------------------- gradient_check


def check_problem(sizes, hidden, seed):
    network = gp.Network.from_sizes(sizes, hidden_activation=hidden, seed=seed)
    rng = np.random.default_rng(seed + 100)
    X = rng.normal(size=(sizes[0], 6))
    Y = rng.integers(0, 2, size=(sizes[-1], 6)).astype(float)
    return network, X, Y


CHECK_CASES = [([3, 4, 1], "tanh", 0), ([2, 5, 3, 2], "sigmoid", 1), ([4, 3, 1], "identity", 2)]


@pytest.mark.parametrize("route", ["combined", "chain"])
@pytest.mark.parametrize(("sizes", "hidden", "seed"), CHECK_CASES)
def test_gradient_check_correct_network_small_error(sizes, hidden, seed, route):
    network, X, Y = check_problem(sizes, hidden, seed)

    report = gp.gradient_check(network, X, Y, route=route)

    assert report.relative_error < 1e-7


@pytest.mark.parametrize(("sizes", "hidden", "seed"), CHECK_CASES)
def test_gradient_check_every_parameter_small_error(sizes, hidden, seed):
    network, X, Y = check_problem(sizes, hidden, seed)

    report = gp.gradient_check(network, X, Y)

    for name, error in report.per_parameter.items():
        assert error < 1e-7, name


def test_gradient_check_per_parameter_keys():
    network, X, Y = check_problem([2, 5, 3, 2], "tanh", 0)

    report = gp.gradient_check(network, X, Y)

    assert list(report.per_parameter) == ["W1", "b1", "W2", "b2", "W3", "b3"]


def test_gradient_check_records_step():
    network, X, Y = check_problem([3, 4, 1], "tanh", 0)

    assert gp.gradient_check(network, X, Y, step=1e-5).step == 1e-5


def test_gradient_check_default_step():
    network, X, Y = check_problem([3, 4, 1], "tanh", 0)

    assert gp.gradient_check(network, X, Y).step == gp.DEFAULT_STEP


def test_gradient_check_worst_parameter_is_a_key():
    network, X, Y = check_problem([3, 4, 1], "tanh", 0)

    report = gp.gradient_check(network, X, Y)

    assert report.worst_parameter in report.per_parameter


def test_gradient_check_leaves_network_unchanged():
    network, X, Y = check_problem([3, 4, 1], "tanh", 0)
    before = [array.copy() for _, array in network.parameters()]

    gp.gradient_check(network, X, Y)

    for (name, array), original in zip(network.parameters(), before):
        np.testing.assert_array_equal(array, original, err_msg=name)


class DoubledW2Network(gp.Network):
    """A network whose backward pass returns twice the true dW[2], for gradient_check to catch."""

    def backward(self, X, Y, route="combined"):
        gradients = super().backward(X, Y, route=route)
        dW = list(gradients.dW)
        dW[2] = 2.0 * dW[2]
        return gp.Gradients(tuple(dW), gradients.db, gradients.dZ, gradients.dA, gradients.route)


def test_gradient_check_catches_wrong_gradient():
    network, X, Y = check_problem([3, 4, 1], "tanh", 0)
    faulty = DoubledW2Network(network.W[1:], network.b[1:], ["tanh", "sigmoid"])

    report = gp.gradient_check(faulty, X, Y)

    # ||2g - g|| / (||2g|| + ||g||) = 1/3 for the doubled parameter.
    assert report.per_parameter["W2"] == pytest.approx(1.0 / 3.0, rel=1e-6, abs=0.0)
    assert report.worst_parameter == "W2"
    assert report.per_parameter["W1"] < 1e-7


@pytest.mark.parametrize("step", [0.0, -1e-6, math.nan])
def test_gradient_check_bad_step_raises(step):
    network, X, Y = check_problem([3, 4, 1], "tanh", 0)

    with pytest.raises(ValueError, match="step"):
        gp.gradient_check(network, X, Y, step=step)
