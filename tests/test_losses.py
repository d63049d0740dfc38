"""Binary cross-entropy cost and gradients against math-based values and the reference."""

import math

import numpy as np
import pytest

import gradproof as gp
import reference

MODERATE_LOGITS = [-5.0, -1.5, -0.3, 0.0, 0.7, 2.0, 4.5]
LABELS = [0.0, 1.0, 0.25, 0.5]
MODERATE_PROBABILITIES = [0.02, 0.3, 0.5, 0.81, 0.999]


def pair_columns(value, label):
    """Return Z (or A) and Y of shape (1, 2), containing the entry under test and a fixed second example.

    Two columns make m = 2, so a missing or doubled 1/m shows up in every check.
    """
    values = np.array([[value, 0.4]])
    labels = np.array([[label, 1.0]])
    return values, labels


# ---------------------------------------------------------------- cost from logits


@pytest.mark.parametrize("y", LABELS)
@pytest.mark.parametrize("z", MODERATE_LOGITS)
def test_bce_logits_matches_reference(z, y):
    Z, Y = pair_columns(z, y)
    expected = reference.bce_cost_from_logits(Z.tolist(), Y.tolist())

    assert gp.binary_cross_entropy_from_logits(Z, Y) == pytest.approx(expected, rel=1e-13, abs=0.0)


@pytest.mark.parametrize(("z", "y"), [(1.0, 1.0), (-2.0, 0.0), (0.0, 0.5)])
def test_bce_logits_hand_values(z, y):
    # -(y log s + (1 - y) log(1 - s)) with s = 1 / (1 + e^-z), written out with math.
    s = 1.0 / (1.0 + math.exp(-z))
    expected = -(y * math.log(s) + (1.0 - y) * math.log(1.0 - s))

    assert gp.binary_cross_entropy_from_logits([[z]], [[y]]) == pytest.approx(expected, rel=1e-14, abs=0.0)


def test_bce_logits_batch_matches_reference():
    rng = np.random.default_rng(7)
    Z = rng.normal(0.0, 3.0, size=(3, 6))
    Y = rng.integers(0, 2, size=(3, 6)).astype(float)
    expected = reference.bce_cost_from_logits(Z.tolist(), Y.tolist())

    assert gp.binary_cross_entropy_from_logits(Z, Y) == pytest.approx(expected, rel=1e-13, abs=0.0)


@pytest.mark.parametrize(
    ("z", "y", "expected"),
    [
        (1000.0, 0.0, 1000.0),
        (-1000.0, 1.0, 1000.0),
        (1000.0, 1.0, 0.0),
        (-1000.0, 0.0, 0.0),
        (5000.0, 0.5, 2500.0),
        (1e308, 0.0, 1e308),
    ],
)
def test_bce_logits_exact_at_large_logits(z, y, expected):
    assert gp.binary_cross_entropy_from_logits([[z]], [[y]]) == expected


def test_bce_logits_large_no_floating_point_error():
    Z = np.array([[1000.0, -1000.0, 3000.0, -3000.0, 750.0, -750.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 0.5, 0.5]])

    with np.errstate(all="raise"):
        cost = gp.binary_cross_entropy_from_logits(Z, Y)

    assert math.isfinite(cost)


def test_bce_logits_large_batch_value():
    Z = np.array([[1000.0, -1000.0, 3000.0, -3000.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])

    # Losses 1000, 1000, 0 and 0 averaged over m = 4.
    assert gp.binary_cross_entropy_from_logits(Z, Y) == 500.0


@pytest.mark.parametrize(("z", "y"), [(20.0, 1.0), (40.0, 1.0), (100.0, 1.0), (-20.0, 0.0), (-40.0, 0.0), (-100.0, 0.0)])
def test_bce_logits_small_loss_relative_accuracy(z, y):
    """A confidently correct example has loss log1p(exp(-|z|)), a normal float64 number."""
    expected = math.log1p(math.exp(-abs(z)))

    assert gp.binary_cross_entropy_from_logits([[z]], [[y]]) == pytest.approx(expected, rel=1e-12, abs=0.0)


# ---------------------------------------------------------------- cost from probabilities


@pytest.mark.parametrize("y", LABELS)
@pytest.mark.parametrize("a", MODERATE_PROBABILITIES)
def test_bce_probabilities_matches_reference(a, y):
    A, Y = pair_columns(a, y)
    expected = reference.bce_cost_from_probabilities(A.tolist(), Y.tolist())

    assert gp.binary_cross_entropy(A, Y) == pytest.approx(expected, rel=1e-13, abs=0.0)


@pytest.mark.parametrize(("a", "y"), [(0.0, 0.0), (1.0, 1.0)])
def test_bce_probabilities_zero_times_log_zero(a, y):
    assert gp.binary_cross_entropy([[a]], [[y]]) == 0.0


@pytest.mark.parametrize(("a", "y"), [(1.0, 0.0), (0.0, 1.0), (1.0, 0.5)])
def test_bce_probabilities_saturation_raises(a, y):
    with pytest.raises(gp.SaturationError, match="from the logits"):
        gp.binary_cross_entropy([[a]], [[y]])


def test_saturation_error_is_floating_point_error():
    assert issubclass(gp.SaturationError, FloatingPointError)


# ---------------------------------------------------------------- chain route: dJ/dA_L


@pytest.mark.parametrize("y", LABELS)
@pytest.mark.parametrize("a", MODERATE_PROBABILITIES)
def test_chain_gradient_matches_formula(a, y):
    A, Y = pair_columns(a, y)
    m = 2
    expected_first = (-y / a + (1.0 - y) / (1.0 - a)) / m

    dA = gp.binary_cross_entropy_gradient(A, Y)

    assert dA[0, 0] == pytest.approx(expected_first, rel=1e-14, abs=0.0)


def test_chain_gradient_matches_finite_difference():
    A = np.array([[0.2, 0.7, 0.55], [0.9, 0.35, 0.05]])
    Y = np.array([[1.0, 0.0, 0.5], [1.0, 1.0, 0.0]])
    expected = reference.central_difference(
        lambda point: reference.bce_cost_from_probabilities(point, Y.tolist()), A.tolist(), step=1e-7
    )

    np.testing.assert_allclose(gp.binary_cross_entropy_gradient(A, Y), expected, rtol=1e-7, atol=0.0)


@pytest.mark.parametrize(
    ("a", "y"),
    [(1.0, 0.0), (0.0, 1.0), (1.0, 0.5), (5e-324, 1.0)],
    ids=["one-label-0", "zero-label-1", "one-label-half", "subnormal-label-1"],
)
def test_chain_gradient_saturation_raises(a, y):
    with pytest.raises(gp.SaturationError, match="combined"):
        gp.binary_cross_entropy_gradient([[a]], [[y]])


def test_chain_gradient_saturation_from_sigmoid_40():
    A = gp.sigmoid(np.array([[40.0]]))

    with pytest.raises(gp.SaturationError):
        gp.binary_cross_entropy_gradient(A, [[0.0]])


@pytest.mark.parametrize(("a", "y", "expected"), [(1.0, 1.0, -0.5), (0.0, 0.0, 0.5)])
def test_chain_gradient_finite_at_matching_label(a, y, expected):
    A, Y = pair_columns(a, y)

    assert gp.binary_cross_entropy_gradient(A, Y)[0, 0] == expected


@pytest.mark.parametrize("y", LABELS)
@pytest.mark.parametrize("z", MODERATE_LOGITS)
def test_chain_times_sigmoid_derivative_equals_combined(z, y):
    Z, Y = pair_columns(z, y)
    m = 2
    expected = (reference.sigmoid(z) - y) / m

    dA = gp.binary_cross_entropy_gradient(gp.sigmoid(Z), Y)
    dZ = dA[0, 0] * reference.sigmoid_derivative(z)

    assert dZ == pytest.approx(expected, rel=1e-12, abs=1e-16)


# ---------------------------------------------------------------- combined route: dJ/dZ_L


@pytest.mark.parametrize("y", LABELS)
@pytest.mark.parametrize("z", MODERATE_LOGITS)
def test_combined_gradient_matches_formula(z, y):
    Z, Y = pair_columns(z, y)
    m = 2
    expected = (reference.sigmoid(z) - y) / m

    dZ = gp.binary_cross_entropy_logit_gradient(Z, Y)

    assert dZ[0, 0] == pytest.approx(expected, rel=1e-14, abs=1e-17)


def test_combined_gradient_second_column():
    Z, Y = pair_columns(0.0, 0.0)

    # Second example: z = 0.4, y = 1, so dZ = (sigmoid(0.4) - 1) / 2 = -sigmoid(-0.4) / 2.
    expected = -(1.0 / (1.0 + math.exp(0.4))) / 2.0

    assert gp.binary_cross_entropy_logit_gradient(Z, Y)[0, 1] == pytest.approx(expected, rel=1e-14, abs=0.0)


def test_combined_gradient_matches_finite_difference():
    Z = np.array([[-2.0, 0.3, 1.7], [4.0, -0.6, 0.0]])
    Y = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 1.0]])
    expected = reference.central_difference(
        lambda point: reference.bce_cost_from_logits(point, Y.tolist()), Z.tolist(), step=1e-6
    )

    np.testing.assert_allclose(gp.binary_cross_entropy_logit_gradient(Z, Y), expected, rtol=1e-8, atol=0.0)


@pytest.mark.parametrize(
    ("z", "y", "expected"),
    [
        (1000.0, 0.0, 0.5),
        (-1000.0, 1.0, -0.5),
        (1000.0, 1.0, 0.0),
        (-1000.0, 0.0, 0.0),
        (1e308, 0.0, 0.5),
    ],
)
def test_combined_gradient_exact_at_large_logits(z, y, expected):
    Z, Y = pair_columns(z, y)

    with np.errstate(all="raise"):
        dZ = gp.binary_cross_entropy_logit_gradient(Z, Y)

    assert dZ[0, 0] == expected


@pytest.mark.parametrize(("z", "y", "sign"), [(40.0, 1.0, -1.0), (-40.0, 0.0, 1.0), (30.0, 1.0, -1.0)])
def test_combined_gradient_relative_accuracy_when_correct(z, y, sign):
    """|dZ| = sigmoid(-|z|) / m is a normal number, so it must not round to 0."""
    Z, Y = pair_columns(z, y)
    e = math.exp(-abs(z))
    expected = sign * (e / (1.0 + e)) / 2.0

    assert gp.binary_cross_entropy_logit_gradient(Z, Y)[0, 0] == pytest.approx(expected, rel=1e-14, abs=0.0)


# ---------------------------------------------------------------- input checks


@pytest.mark.parametrize(
    "function",
    [gp.binary_cross_entropy, gp.binary_cross_entropy_gradient],
    ids=["cost", "gradient"],
)
@pytest.mark.parametrize("a", [-0.1, 1.2])
def test_probabilities_outside_unit_interval_raise(function, a):
    with pytest.raises(ValueError, match="outside"):
        function([[a]], [[1.0]])


# The four public binary cross-entropy functions, as one parametrisation.
BCE_FUNCTIONS = pytest.mark.parametrize(
    "function",
    [
        gp.binary_cross_entropy,
        gp.binary_cross_entropy_gradient,
        gp.binary_cross_entropy_from_logits,
        gp.binary_cross_entropy_logit_gradient,
    ],
    ids=["cost", "gradient", "cost-logits", "gradient-logits"],
)

@BCE_FUNCTIONS
def test_loss_transposed_labels_raise(function):
    values = np.full((1, 3), 0.5)
    labels = np.ones((3, 1))

    with pytest.raises(ValueError) as excinfo:
        function(values, labels)

    assert "(3, 1)" in str(excinfo.value)
    assert "(1, 3)" in str(excinfo.value)


@BCE_FUNCTIONS
@pytest.mark.parametrize("label", [-0.5, 1.5])
def test_loss_labels_outside_unit_interval_raise(function, label):
    with pytest.raises(ValueError, match=r"outside \[0, 1\]"):
        function([[0.5]], [[label]])


@pytest.mark.parametrize(
    "function",
    [gp.binary_cross_entropy_from_logits, gp.binary_cross_entropy_logit_gradient],
    ids=["cost-logits", "gradient-logits"],
)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_loss_non_finite_logits_raise(function, bad):
    with pytest.raises(ValueError, match="not finite"):
        function([[0.5, bad]], [[1.0, 0.0]])
