"""The numerical oracles: complex step, step and precision warnings, and the batched check.

Expected values come from closed-form derivatives, from the plain loop of central
differences (``method="loop"``) or from the complex step, never from the backward pass
under test, except where the test is that the check agrees with it.
"""

import math
import warnings

import numpy as np
import pytest

import gradproof as gp
from gradproof.gradcheck import (
    COMPLEX_STEP,
    GradientCheckWarning,
    KinkWarning,
    PrecisionWarning,
    StepSizeWarning,
    complex_step_gradient,
)

ELEMENTWISE = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "exponential"]
HIDDEN = ELEMENTWISE + ["softmax"]
# Every (loss, output activation) pair that Network accepts.
PAIRS = [
    ("binary_cross_entropy", "sigmoid"),
    ("categorical_cross_entropy", "softmax"),
    ("poisson", "exponential"),
] + [("mean_squared_error", output) for output in HIDDEN]


def sum_of_cubes(x):
    return np.sum(x**3)


def random_labels(loss, n, m, rng):
    """Return labels that ``loss`` accepts: 0/1, one-hot columns, counts or real numbers."""
    if loss == "binary_cross_entropy":
        return (rng.random((n, m)) < 0.5).astype(float)
    if loss == "categorical_cross_entropy":
        Y = np.zeros((n, m))
        Y[rng.integers(0, n, m), np.arange(m)] = 1.0
        return Y
    if loss == "poisson":
        return rng.poisson(1.5, size=(n, m)).astype(float)
    return rng.standard_normal((n, m))


def make_problem(loss, output, hidden, seed=0, weight_decay=0.1, m=7):
    """Return a [4, 5, 3] network with random biases and a batch it accepts."""
    rng = np.random.default_rng(seed)
    network = gp.Network(
        weights=[0.7 * rng.standard_normal((5, 4)), 0.7 * rng.standard_normal((3, 5))],
        biases=[0.3 * rng.standard_normal((5, 1)), 0.3 * rng.standard_normal((3, 1))],
        activations=[hidden, output],
        loss=loss,
        weight_decay=weight_decay,
    )
    X = rng.standard_normal((4, m))
    return network, X, random_labels(loss, 3, m, rng)


def kinked_problem(hidden):
    """Return a [3, 5, 4, 1] network whose first example has every pre-activation exactly 0.

    Zero biases and an input column of zeros put that example on the kink of every unit,
    so moving a bias by +h or -h changes the slope inside the difference quotient.
    """
    network = gp.Network.from_sizes([3, 5, 4, 1], hidden_activation=hidden, seed=3)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((3, 8))
    X[:, 0] = 0.0
    Y = (rng.random((1, 8)) < 0.5).astype(float)
    return network, X, Y


# ---------------------------------------------------------------- complex_step_gradient


def test_complex_step_sum_of_cubes_to_round_off():
    x = np.array([[0.3, -1.2, 2.0], [-0.05, 0.8, -3.5]])

    np.testing.assert_allclose(complex_step_gradient(sum_of_cubes, x), 3.0 * x**2, rtol=1e-15, atol=0.0)


def test_complex_step_exp_at_large_argument():
    x = np.array([30.0, -30.0, 700.0])

    estimate = complex_step_gradient(lambda v: np.sum(np.exp(v)), x)

    np.testing.assert_allclose(estimate, np.exp(x), rtol=1e-15, atol=0.0)


def test_complex_step_tiny_step_still_exact():
    """No subtraction of two values of f: a step of 1e-150 loses nothing."""
    x = np.array([0.4, 1.7])

    estimate = complex_step_gradient(lambda v: np.sum(np.sin(v)), x, step=1e-150)

    np.testing.assert_allclose(estimate, np.cos(x), rtol=1e-15, atol=0.0)


def test_complex_step_real_function_raises():
    with pytest.raises(TypeError, match="imaginary part"):
        complex_step_gradient(lambda v: float(np.sum(np.abs(v))), np.ones(2))


def test_complex_step_leaves_point_unchanged():
    x = np.array([0.5, -0.25])
    before = x.copy()

    complex_step_gradient(sum_of_cubes, x)

    np.testing.assert_array_equal(x, before)


def test_complex_step_large_step_warns():
    with pytest.warns(StepSizeWarning, match="truncation"):
        complex_step_gradient(sum_of_cubes, np.ones(2), step=1e-3)


def test_complex_step_underflowing_step_warns():
    with pytest.warns(StepSizeWarning, match="underflow"):
        complex_step_gradient(sum_of_cubes, np.ones(2), step=1e-250)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_complex_step_through_each_activation(name):
    """The forward functions are analytic in Z, even where they saturate."""
    activation = gp.get_activation(name)
    z = np.array([[-40.0, -3.0, -0.4, 0.3, 2.5, 30.0]])
    if name == "exponential":
        z = np.array([[-40.0, -3.0, -0.4, 0.3, 2.5, 7.0]])

    estimate = complex_step_gradient(lambda v: np.sum(activation.forward(v)), z)

    np.testing.assert_allclose(estimate, activation.derivative(z), rtol=1e-14, atol=0.0)


def test_complex_step_through_softmax_gives_jacobian():
    z = np.array([0.3, -1.1, 2.0, 0.0])
    weights = np.array([1.0, -2.0, 0.5, 3.0])

    estimate = complex_step_gradient(lambda v: np.sum(weights * gp.softmax(v.reshape(-1, 1)).ravel()), z)

    np.testing.assert_allclose(estimate, gp.softmax_jacobian(z) @ weights, rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize(("loss", "output"), PAIRS[:3] + PAIRS[3:4])
def test_complex_step_through_cost_from_outputs(loss, output):
    rng = np.random.default_rng(4)
    A = gp.get_activation(output).forward(rng.standard_normal((3, 5)))
    Y = random_labels(loss, 3, 5, rng)
    loss_function = gp.get_loss(loss)

    estimate = complex_step_gradient(lambda V: loss_function.cost_from_outputs_unchecked(V, Y), A)

    np.testing.assert_allclose(estimate, loss_function.gradient(A, Y), rtol=1e-13, atol=1e-17)


@pytest.mark.parametrize(
    "loss",
    [
        "binary_cross_entropy",
        "categorical_cross_entropy",
        "poisson",
        "mean_squared_error",
    ],
)
def test_complex_step_through_cost_from_logits(loss):
    rng = np.random.default_rng(5)
    Z = rng.standard_normal((3, 5))
    Y = random_labels(loss, 3, 5, rng)
    loss_function = gp.get_loss(loss)

    estimate = complex_step_gradient(lambda V: loss_function.cost_from_logits_unchecked(V, Y), Z)

    np.testing.assert_allclose(estimate, loss_function.logit_gradient(Z, Y), rtol=1e-13, atol=1e-17)


def test_complex_step_through_binary_cross_entropy_at_zero_logit():
    Z = np.array([[0.0, 1.0]])
    Y = np.array([[0.0, 1.0]])

    estimate = complex_step_gradient(lambda V: gp.BINARY_CROSS_ENTROPY.cost_from_logits_unchecked(V, Y), Z)

    np.testing.assert_allclose(estimate, gp.binary_cross_entropy_logit_gradient(Z, Y), rtol=1e-13, atol=0.0)


# ---------------------------------------------------------------- warnings of the scalar oracles


def test_numerical_gradient_tiny_step_warns_round_off():
    with pytest.warns(StepSizeWarning, match="round-off"):
        gp.numerical_gradient(sum_of_cubes, np.ones(2), step=1e-12)


def test_numerical_gradient_large_step_warns_truncation():
    with pytest.warns(StepSizeWarning, match="truncation"):
        gp.numerical_gradient(sum_of_cubes, np.ones(2), step=0.05)


@pytest.mark.parametrize("step", [1e-10, gp.DEFAULT_STEP, 1e-2])
def test_numerical_gradient_sensible_step_is_silent(step):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gp.numerical_gradient(sum_of_cubes, np.ones(2), step=step)


def test_step_warnings_share_the_base_category():
    assert issubclass(StepSizeWarning, GradientCheckWarning)
    assert issubclass(PrecisionWarning, GradientCheckWarning)
    assert issubclass(KinkWarning, GradientCheckWarning)
    assert issubclass(GradientCheckWarning, UserWarning)


def test_numerical_gradient_float32_point_warns_and_upcasts():
    x = np.array([0.5, -1.5], dtype=np.float32)

    with pytest.warns(PrecisionWarning, match="float32"):
        estimate = gp.numerical_gradient(lambda v: float(np.sum(v**3)), x)

    assert estimate.dtype == np.float64
    np.testing.assert_allclose(estimate, 3.0 * x.astype(np.float64) ** 2, rtol=1e-9, atol=0.0)


def test_numerical_gradient_float32_value_warns():
    with pytest.warns(PrecisionWarning, match="value f returned"):
        gp.numerical_gradient(lambda v: np.float32(np.sum(v**3)), np.ones(2))


def test_numerical_gradient_array_value_raises():
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        gp.numerical_gradient(lambda v: v**2, np.ones(2))


# ---------------------------------------------------------------- gradient_check: every pair


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize(("loss", "output"), PAIRS, ids=[f"{l}-{o}" for l, o in PAIRS])
def test_gradient_check_complex_step_every_pair(loss, output, hidden):
    network, X, Y = make_problem(loss, output, hidden)

    report = gp.gradient_check(network, X, Y, method="complex")

    assert report.relative_error < 1e-13


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize(("loss", "output"), PAIRS, ids=[f"{l}-{o}" for l, o in PAIRS])
def test_gradient_check_central_every_pair(loss, output, hidden):
    network, X, Y = make_problem(loss, output, hidden)

    report = gp.gradient_check(network, X, Y, route="chain")

    assert report.relative_error < 1e-8


@pytest.mark.parametrize(("loss", "output"), PAIRS, ids=[f"{l}-{o}" for l, o in PAIRS])
def test_batched_central_equals_loop(loss, output):
    """The batched evaluation and the plain loop take the same quotients, up to round-off."""
    network, X, Y = make_problem(loss, output, "tanh")

    batched = gp.gradient_check(network, X, Y)
    loop = gp.gradient_check(network, X, Y, method="loop")

    for name, estimate in loop.numerical.items():
        scale = np.max(np.abs(estimate))
        np.testing.assert_allclose(batched.numerical[name], estimate, rtol=0.0, atol=1e-8 * scale, err_msg=name)


@pytest.mark.parametrize(("loss", "output"), PAIRS, ids=[f"{l}-{o}" for l, o in PAIRS])
def test_central_agrees_with_complex_step(loss, output):
    network, X, Y = make_problem(loss, output, "sigmoid")

    central = gp.gradient_check(network, X, Y)
    complex_step = gp.gradient_check(network, X, Y, method="complex")

    for name, estimate in complex_step.numerical.items():
        assert gp.relative_error(central.numerical[name], estimate) < 1e-8, name


def test_gradient_check_without_weight_decay():
    network, X, Y = make_problem("poisson", "exponential", "relu", weight_decay=0.0)

    assert gp.gradient_check(network, X, Y, method="complex").relative_error < 1e-13


# ---------------------------------------------------------------- gradient_check: the report


class OneEntryWrongNetwork(gp.Network):
    """A network whose backward pass adds 1e-3 to dW1[2, 3] and nothing else."""

    def backward(self, X, Y, route=None):
        gradients = super().backward(X, Y, route=route)
        dW = list(gradients.dW)
        dW[1] = dW[1].copy()
        dW[1][2, 3] += 1e-3
        return gp.Gradients(tuple(dW), gradients.db, gradients.dZ, gradients.dA, gradients.route)


@pytest.mark.parametrize("method", ["central", "complex", "loop"])
def test_report_names_the_wrong_entry(method):
    network, X, Y = make_problem("binary_cross_entropy", "sigmoid", "tanh")
    faulty = OneEntryWrongNetwork(network.W[1:], network.b[1:], ["tanh", "sigmoid"], weight_decay=0.1)

    report = gp.gradient_check(faulty, X, Y, method=method)

    assert report.worst_parameter == "W1"
    assert report.details["W1"].worst_index == (2, 3)


def test_report_worst_entry_values():
    network, X, Y = make_problem("binary_cross_entropy", "sigmoid", "tanh")
    faulty = OneEntryWrongNetwork(network.W[1:], network.b[1:], ["tanh", "sigmoid"], weight_decay=0.1)
    true_entry = network.backward(X, Y).dW[1][2, 3]

    check = gp.gradient_check(faulty, X, Y, method="complex").details["W1"]

    assert check.worst_analytic == pytest.approx(true_entry + 1e-3, rel=1e-12, abs=0.0)
    assert check.worst_numerical == pytest.approx(true_entry, rel=1e-12, abs=0.0)


def test_report_worst_error_dominates_when_one_entry_is_wrong():
    """The squares of the entry errors add up to the parameter's squared relative error."""
    network, X, Y = make_problem("binary_cross_entropy", "sigmoid", "tanh")
    faulty = OneEntryWrongNetwork(network.W[1:], network.b[1:], ["tanh", "sigmoid"], weight_decay=0.1)

    check = gp.gradient_check(faulty, X, Y, method="complex").details["W1"]

    assert check.worst_error == pytest.approx(check.relative_error, rel=1e-9, abs=0.0)


def test_report_summary_has_a_row_per_parameter():
    network, X, Y = make_problem("poisson", "exponential", "tanh")

    summary = gp.gradient_check(network, X, Y).summary()

    assert [line.split()[0] for line in summary.splitlines()[2:]] == ["W1", "b1", "W2", "b2"]


@pytest.mark.parametrize("method", ["central", "complex"])
def test_gradient_check_leaves_network_unchanged(method):
    network, X, Y = make_problem("categorical_cross_entropy", "softmax", "relu")
    before = [array.copy() for _, array in network.parameters()]

    gp.gradient_check(network, X, Y, method=method)

    for (name, array), original in zip(network.parameters(), before):
        np.testing.assert_array_equal(array, original, err_msg=name)


def test_gradient_check_complex_default_step():
    network, X, Y = make_problem("poisson", "exponential", "tanh")

    assert gp.gradient_check(network, X, Y, method="complex").step == COMPLEX_STEP


@pytest.mark.parametrize("method", ["Central", "forward", ""])
def test_gradient_check_unknown_method_raises(method):
    network, X, Y = make_problem("poisson", "exponential", "tanh")

    with pytest.raises(ValueError, match="method"):
        gp.gradient_check(network, X, Y, method=method)


def test_gradient_check_tiny_step_warns():
    network, X, Y = make_problem("poisson", "exponential", "tanh")

    with pytest.warns(StepSizeWarning, match="round-off"):
        gp.gradient_check(network, X, Y, step=1e-11)


def test_gradient_check_float32_inputs_warn_and_check_in_float64():
    network, X, Y = make_problem("binary_cross_entropy", "sigmoid", "tanh")

    with pytest.warns(PrecisionWarning, match="float32"):
        report = gp.gradient_check(network, X.astype(np.float32), Y.astype(np.float32))

    assert report.relative_error < 1e-8


class ShiftedCostNetwork(gp.Network):
    """A network whose cost has a constant added that the batched evaluation does not know."""

    def cost_unchecked(self, W, b, X, Y):
        return super().cost_unchecked(W, b, X, Y) + 1.0


def test_gradient_check_detects_a_cost_it_does_not_follow():
    network, X, Y = make_problem("poisson", "exponential", "tanh")
    shifted = ShiftedCostNetwork(network.W[1:], network.b[1:], ["tanh", "exponential"])

    with pytest.raises(RuntimeError, match="method='loop'"):
        gp.gradient_check(shifted, X, Y)


# ---------------------------------------------------------------- gradient_check: kinks


def test_plain_loop_fails_at_relu_kink():
    """The reason for kink handling: the plain quotient averages the two slopes."""
    network, X, Y = kinked_problem("relu")

    report = gp.gradient_check(network, X, Y, method="loop")

    assert report.per_parameter["b1"] > 1e-2


def test_central_uses_one_sided_differences_at_relu_kink():
    network, X, Y = kinked_problem("relu")

    report = gp.gradient_check(network, X, Y)

    assert report.one_sided > 0
    assert report.skipped == 0
    assert report.relative_error < 1e-8


def test_central_skips_and_warns_where_both_sides_cross():
    """With leaky ReLU, moving b1 either way pushes some unit of layer 2 across 0."""
    network, X, Y = kinked_problem("leaky_relu")

    with pytest.warns(KinkWarning, match="in b1"):
        report = gp.gradient_check(network, X, Y)

    assert report.details["b1"].skipped == 5
    assert report.relative_error < 1e-8


@pytest.mark.parametrize("hidden", ["relu", "leaky_relu"])
def test_complex_step_needs_no_kink_handling(hidden):
    network, X, Y = kinked_problem(hidden)

    report = gp.gradient_check(network, X, Y, method="complex")

    assert report.relative_error < 1e-13
    assert report.one_sided == 0


def test_relu_away_from_kink_needs_no_one_sided_difference():
    network, X, Y = make_problem("binary_cross_entropy", "sigmoid", "relu")

    assert gp.gradient_check(network, X, Y).one_sided == 0


def test_default_step_balances_truncation_and_round_off():
    """At eps**(1/3) both error terms are about eps**(2/3); 100 times larger or smaller is worse."""
    x = np.array([0.7])
    exact = math.exp(0.7)

    def error(step):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StepSizeWarning)
            return abs(gp.numerical_gradient(lambda v: math.exp(v[0]), x, step=step)[0] - exact)

    assert error(gp.DEFAULT_STEP) < error(100 * gp.DEFAULT_STEP)
    assert error(gp.DEFAULT_STEP) < error(gp.DEFAULT_STEP / 1000)
