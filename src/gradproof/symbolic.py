"""Symbolic proofs, with SymPy, of the identities behind the backward pass.

Each function differentiates a definition symbolically and returns the simplified
difference between that derivative and the closed form the library uses. The difference
is ``0`` (or a zero matrix) exactly when the identity holds for all values of the
symbols, so a test asserts that it is zero. Each function also accepts a different
``claimed`` form, so that a wrong identity can be shown to give a non-zero difference.

SymPy is not a dependency of gradproof itself; it comes with the ``tests`` extra. This
module imports it on first use and, if it is missing, raises ``ImportError`` with the
command that installs it.
"""

import importlib


def _sympy():
    try:
        return importlib.import_module("sympy")
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "gradproof.symbolic needs SymPy; install it with `python -m pip install sympy` "
            "or with the tests extra, `python -m pip install -e .[tests]`."
        ) from error


def _simplify(expression):
    sp = _sympy()
    if isinstance(expression, sp.MatrixBase):
        return expression.applyfunc(lambda entry: sp.simplify(sp.expand(entry)))
    return sp.simplify(sp.expand(expression))


def sigmoid(z):
    """Return the symbolic sigmoid ``1 / (1 + exp(-z))``."""
    sp = _sympy()
    return 1 / (1 + sp.exp(-z))


def softmax(z):
    """Return the symbolic softmax of the column vector ``z`` as a column vector."""
    sp = _sympy()
    exponentials = z.applyfunc(sp.exp)
    return exponentials / sum(exponentials)


def sigmoid_derivative_difference(claimed=None):
    """Return ``sigma'(z) - claimed`` simplified; by default ``claimed = sigma(1 - sigma)``.

    Book result ``lem-sigmoid-derivative``.
    """
    sp = _sympy()
    z = sp.Symbol("z", real=True)
    s = sigmoid(z)
    if claimed is None:
        claimed = s * (1 - s)
    else:
        claimed = claimed(s)
    return _simplify(sp.diff(s, z) - claimed)


def tanh_derivative_difference(claimed=None):
    """Return ``tanh'(z) - claimed`` simplified; by default ``claimed = 1 - tanh(z)**2``.

    ``claimed`` is a function of ``t = tanh(z)``. tanh is written with exponentials, so
    the result does not rest on SymPy's own rule for differentiating tanh.
    """
    sp = _sympy()
    z = sp.Symbol("z", real=True)
    t = (sp.exp(z) - sp.exp(-z)) / (sp.exp(z) + sp.exp(-z))
    claimed = (1 - t**2) if claimed is None else claimed(t)
    return _simplify(sp.diff(t, z) - claimed)


def sigmoid_binary_cross_entropy_difference(claimed=None):
    """Return ``d/dz loss(sigma(z), y) - claimed`` simplified; by default ``claimed = a - y``.

    The loss is ``-y log a - (1 - y) log(1 - a)`` with ``a = sigma(z)``, for any real
    label ``y``. ``claimed`` is a function of ``(a, y)``. Book result ``thm-sigmoid-bce``.
    """
    sp = _sympy()
    z, y = sp.symbols("z y", real=True)
    a = sigmoid(z)
    loss = -y * sp.log(a) - (1 - y) * sp.log(1 - a)
    claimed = (a - y) if claimed is None else claimed(a, y)
    return _simplify(sp.diff(loss, z) - claimed)


def softmax_cross_entropy_difference(classes=3, labels_sum_to_one=True, claimed=None):
    """Return the gradient of ``-sum_k y_k log softmax(z)_k`` in ``z`` minus ``claimed``.

    With ``labels_sum_to_one`` the last label is ``1 - (the others)``, and the default
    ``claimed = a - y`` gives a zero vector. Without it the labels are free symbols and
    the true gradient is ``a * sum(y) - y``, so ``a - y`` leaves ``a * (sum(y) - 1)``.
    ``claimed`` is a function of the column vectors ``(a, y)``.
    """
    sp = _sympy()
    z = sp.Matrix(sp.symbols(f"z1:{classes + 1}", real=True))
    free = sp.symbols(f"y1:{classes + 1}", real=True)
    if labels_sum_to_one:
        free = free[:-1] + (1 - sum(free[:-1]),)
    y = sp.Matrix(free)
    a = softmax(z)
    loss = -sum(y[k] * sp.log(a[k]) for k in range(classes))
    gradient = sp.Matrix([sp.diff(loss, z[k]) for k in range(classes)])
    claimed = (a - y) if claimed is None else claimed(a, y)
    return _simplify(gradient - claimed)


def softmax_jacobian_difference(classes=3, claimed=None):
    """Return the Jacobian of softmax minus ``claimed``; by default ``diag(s) - s s^T``.

    Entry ``(j, k)`` of the Jacobian is ``d s_j / d z_k``. ``claimed`` is a function of
    the column vector ``s``; the elementwise guess ``diag(s * (1 - s))`` is not zero off
    the diagonal.
    """
    sp = _sympy()
    z = sp.Matrix(sp.symbols(f"z1:{classes + 1}", real=True))
    s = softmax(z)
    jacobian = s.jacobian(z)
    claimed = (sp.diag(*s) - s * s.T) if claimed is None else claimed(s)
    return _simplify(jacobian - claimed)


def identity_squared_error_difference(claimed=None):
    """Return ``d/dz (1/2)(a - y)**2 - claimed`` with ``a = z``; by default ``claimed = a - y``."""
    sp = _sympy()
    z, y = sp.symbols("z y", real=True)
    a = z
    loss = sp.Rational(1, 2) * (a - y) ** 2
    claimed = (a - y) if claimed is None else claimed(a, y)
    return _simplify(sp.diff(loss, z) - claimed)


def exponential_poisson_difference(claimed=None):
    """Return ``d/dz (a - y log a) - claimed`` with ``a = exp(z)``; by default ``a - y``."""
    sp = _sympy()
    z, y = sp.symbols("z y", real=True)
    a = sp.exp(z)
    loss = a - y * sp.log(a)
    claimed = (a - y) if claimed is None else claimed(a, y)
    return _simplify(sp.diff(loss, z) - claimed)


def is_zero(difference):
    """Return whether a difference returned by this module is identically zero."""
    sp = _sympy()
    if isinstance(difference, sp.MatrixBase):
        return all(entry == 0 for entry in difference)
    return difference == 0
