"""Plain pure-Python reference for the gradproof tests.

Everything here uses only the ``math`` module, lists and loops, so it shares no code and
no array semantics with gradproof. A matrix is a list of rows: ``X[i][j]`` is input ``i``
of example ``j``, the same examples-as-columns layout that gradproof uses. Per-layer lists
are indexed by layer number with ``None`` at index 0, as in gradproof.

The formulas are written differently from gradproof's where a stable choice exists, so
that a shared mistake is unlikely: the sigmoid derivative is ``sigmoid(z) * sigmoid(-z)``
and the tanh derivative is ``1 / cosh(z)**2``.
"""

import copy
import math

# Central-difference step, scaled by max(1, |x|). For costs and third derivatives of order 1,
# the truncation error (about step**2) and the round-off error (about 2e-16 / step) are
# estimated below 1e-9, well inside the 1e-9 + 1e-6 * |value| tolerance of the network tests.
FINITE_DIFFERENCE_STEP = 1e-5


def sigmoid(z):
    """Compute 1 / (1 + exp(-z)) for one float, choosing the form that cannot overflow."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def sigmoid_derivative(z):
    """Compute sigmoid'(z) as sigmoid(z) * sigmoid(-z), which has no cancellation."""
    return sigmoid(z) * sigmoid(-z)


def tanh(z):
    return math.tanh(z)


def tanh_derivative(z):
    """Compute tanh'(z) = 1 / cosh(z)**2.

    Above |z| = 400 the true value is below 4 * exp(-800), which rounds to 0.0 in float64,
    and math.cosh would overflow, so 0.0 is returned there.
    """
    if abs(z) > 400.0:
        return 0.0
    c = math.cosh(z)
    return (1.0 / c) / c


def relu(z):
    return z if z > 0 else 0.0


def relu_derivative(z):
    return 1.0 if z > 0 else 0.0


def identity(z):
    return z


def identity_derivative(z):
    return 1.0


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "identity": (identity, identity_derivative),
}


def softplus(t):
    """Compute log(1 + exp(t)) as max(t, 0) + log1p(exp(-|t|)), which cannot overflow."""
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


def bce_loss_from_logit(z, y):
    """Compute -(y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))) for one logit ``z``.

    The textbook formula, rewritten with -log sigmoid(z) = softplus(-z) and
    -log(1 - sigmoid(z)) = softplus(z). A term whose coefficient is 0 is skipped, so
    each term is computed without subtracting nearly equal numbers.
    """
    loss = 0.0
    if y > 0:
        loss += y * softplus(-z)
    if y < 1:
        loss += (1.0 - y) * softplus(z)
    return loss


def bce_loss_from_probability(a, y):
    """Compute -(y log a + (1 - y) log(1 - a)) for one probability ``a``, skipping 0 * log 0."""
    loss = 0.0
    if y > 0:
        loss -= y * math.log(a)
    if y < 1:
        loss -= (1.0 - y) * math.log1p(-a)
    return loss


def mean_cost(loss, values, Y):
    """Return the sum of ``loss(values[i][j], Y[i][j])`` over all entries, divided by m."""
    m = len(Y[0])
    terms = []
    for i in range(len(Y)):
        for j in range(m):
            terms.append(loss(values[i][j], Y[i][j]))
    return math.fsum(terms) / m


def bce_cost_from_logits(Z, Y):
    return mean_cost(bce_loss_from_logit, Z, Y)


def bce_cost_from_probabilities(A, Y):
    return mean_cost(bce_loss_from_probability, A, Y)


def layer_preactivation(W, b, A_prev):
    """Compute Z = W A_prev + b entry by entry."""
    n_out = len(W)
    n_in = len(A_prev)
    m = len(A_prev[0])
    Z = []
    for i in range(n_out):
        row = []
        for j in range(m):
            products = [W[i][k] * A_prev[k][j] for k in range(n_in)]
            row.append(math.fsum(products) + b[i][0])
        Z.append(row)
    return Z


def apply_activation(name, Z):
    g = ACTIVATIONS[name][0]
    return [[g(z) for z in row] for row in Z]


def forward(weights, biases, activations, X):
    """Run the whole network on ``X`` and return the lists ``Z`` and ``A``, indexed by layer.

    ``weights``, ``biases`` and ``activations`` hold layers 1 to L in order (no ``None``).
    """
    return forward_from(weights, biases, activations, 0, X)


def forward_from(weights, biases, activations, first, A_first):
    """Run layers ``first + 1`` to ``L`` on ``A[first]``. Entries below ``first`` stay ``None``."""
    L = len(weights)
    Z = [None] * (L + 1)
    A = [None] * (L + 1)
    A[first] = A_first
    for l in range(first + 1, L + 1):
        Z[l] = layer_preactivation(weights[l - 1], biases[l - 1], A[l - 1])
        A[l] = apply_activation(activations[l - 1], Z[l])
    return Z, A


def cost(weights, biases, activations, X, Y):
    """Return the cost J of the network on (X, Y), computed from the logits."""
    Z, _ = forward(weights, biases, activations, X)
    return bce_cost_from_logits(Z[len(weights)], Y)


def cost_from_activation(weights, biases, activations, l, A_l, Y):
    """Return J as a function of ``A[l]``. For ``l = L`` this is the cost of the probabilities."""
    L = len(weights)
    if l == L:
        return bce_cost_from_probabilities(A_l, Y)
    Z, _ = forward_from(weights, biases, activations, l, A_l)
    return bce_cost_from_logits(Z[L], Y)


def cost_from_preactivation(weights, biases, activations, l, Z_l, Y):
    """Return J as a function of ``Z[l]`` for ``l = 1, ..., L``."""
    L = len(weights)
    if l == L:
        return bce_cost_from_logits(Z_l, Y)
    A_l = apply_activation(activations[l - 1], Z_l)
    return cost_from_activation(weights, biases, activations, l, A_l, Y)


def central_difference(f, matrix, step=FINITE_DIFFERENCE_STEP):
    """Estimate the derivative of ``f(matrix)`` in every entry of ``matrix``.

    Each entry is moved by ``h = step * max(1, |x|)`` in both directions on a copy, and
    the derivative is ``(f(x + h) - f(x - h)) / (2 h)``.
    """
    point = copy.deepcopy(matrix)
    derivative = []
    for i in range(len(point)):
        row = []
        for j in range(len(point[i])):
            original = point[i][j]
            h = step * max(1.0, abs(original))
            point[i][j] = original + h
            f_plus = f(point)
            point[i][j] = original - h
            f_minus = f(point)
            point[i][j] = original
            row.append((f_plus - f_minus) / (2.0 * h))
        derivative.append(row)
    return derivative


def numerical_gradients(weights, biases, activations, X, Y):
    """Return central-difference estimates of dW, db, dZ and dA, as dicts of per-layer lists.

    ``dW[l]``, ``db[l]`` and ``dZ[l]`` are filled for ``l = 1, ..., L``, and ``dA[l]`` for
    ``l = 0, ..., L``. ``dA[L]`` differentiates the cost of the probabilities ``A_L``.
    """
    L = len(weights)
    Z, A = forward(weights, biases, activations, X)
    dW = [None] * (L + 1)
    db = [None] * (L + 1)
    dZ = [None] * (L + 1)
    dA = [None] * (L + 1)

    for l in range(1, L + 1):

        def cost_of_weight(W_l, l=l):
            trial = list(weights)
            trial[l - 1] = W_l
            return cost(trial, biases, activations, X, Y)

        def cost_of_bias(b_l, l=l):
            trial = list(biases)
            trial[l - 1] = b_l
            return cost(weights, trial, activations, X, Y)

        def cost_of_preactivation(Z_l, l=l):
            return cost_from_preactivation(weights, biases, activations, l, Z_l, Y)

        dW[l] = central_difference(cost_of_weight, weights[l - 1])
        db[l] = central_difference(cost_of_bias, biases[l - 1])
        dZ[l] = central_difference(cost_of_preactivation, Z[l])

    for l in range(0, L + 1):

        def cost_of_activation(A_l, l=l):
            return cost_from_activation(weights, biases, activations, l, A_l, Y)

        dA[l] = central_difference(cost_of_activation, A[l])

    return {"dW": dW, "db": db, "dZ": dZ, "dA": dA}
