"""Softmax over each column, its Jacobian, and log-sum-exp.

For one example ``z`` (a column of ``Z``), ``softmax(z)_k = exp(z_k) / sum_j exp(z_j)``.
Unlike the elementwise activations, every output depends on every input, so the backward
step uses the full Jacobian ``J = diag(s) - s s^T`` with ``s = softmax(z)``. Because that
Jacobian is symmetric, the backward step is ``dz = J dA = s * (dA - s . dA)``.

Each column is shifted by its largest entry (largest real part, for complex input)
before ``exp``. Softmax does not change under that shift, and afterwards every exponent
is at most 0, so no ``exp`` overflows for any finite input.
"""

import numpy as np

from .activations import as_numeric_array


def _as_logits(Z, name="Z"):
    """Return ``Z`` as a numeric array with at least one class and one column, or raise."""
    Z = as_numeric_array(Z, name)
    if Z.ndim not in (1, 2) or Z.size == 0:
        raise ValueError(
            f"{name} has shape {Z.shape}; softmax needs a non-empty array of shape (K, m), "
            "one column of K logits per example."
        )
    return Z


def _shifted(Z):
    """Return ``Z`` minus the largest real part of each column.

    Where the difference is below the most negative float64 (a column spanning more than
    about 1.8e308) it becomes ``-inf``, whose ``exp`` is 0, the correctly rounded value.
    """
    with np.errstate(over="ignore"):
        return Z - np.max(Z.real, axis=0, keepdims=True)


def softmax(Z):
    """Compute the softmax of each column of ``Z``, shape ``(K, m)`` (or ``(K,)``: one column)."""
    Z = _as_logits(Z)
    with np.errstate(under="ignore"):
        E = np.exp(_shifted(Z))
        return E / np.sum(E, axis=0, keepdims=True)


def log_sum_exp(Z):
    """Compute ``log(sum_k exp(Z_k))`` for each column without overflow.

    The result has shape ``(1, m)`` for ``Z`` of shape ``(K, m)``, and ``(1,)`` for a
    single column given as shape ``(K,)``. With ``M`` the column maximum, the result is
    ``M + log(sum_k exp(Z_k - M))``. The sum lies in [1, K], so its logarithm is finite
    and accurate.
    """
    Z = _as_logits(Z)
    M = np.max(Z.real, axis=0, keepdims=True)
    with np.errstate(under="ignore"):
        return M + np.log(np.sum(np.exp(_shifted(Z)), axis=0, keepdims=True))


def softmax_vector_jacobian_product(dA, Z):
    """Return ``dZ`` given ``dA`` and ``Z``: ``dZ = s * (dA - sum(s * dA))`` per column.

    This is the Jacobian ``diag(s) - s s^T`` of each column applied to that column of
    ``dA``, the book's softmax Jacobian lemma, without forming the ``K x K`` matrix.
    ``dA`` must have the shape of ``Z``; nothing is broadcast.
    """
    Z = _as_logits(Z)
    dA = as_numeric_array(dA, "dA")
    if dA.shape != Z.shape:
        raise ValueError(
            f"dA has shape {dA.shape} but Z has shape {Z.shape}; the backward step needs "
            "one gradient entry per logit, so they must match exactly."
        )
    S = softmax(Z)
    with np.errstate(under="ignore"):
        return S * (dA - np.sum(S * dA, axis=0, keepdims=True))


def softmax_jacobian(z):
    """Return the ``K x K`` Jacobian ``diag(s) - s s^T`` of softmax at one column ``z``.

    ``z`` may have shape ``(K,)`` or ``(K, 1)``. The matrix is symmetric and positive
    semidefinite, the vector of ones is in its null space, and its eigenvalues lie in
    [0, 1/2].
    """
    z = _as_logits(z, "z")
    if z.ndim == 2 and z.shape[1] != 1:
        raise ValueError(
            f"z has shape {z.shape}; the Jacobian is taken at one example, so z must have "
            f"shape (K,) or (K, 1). Pass one column, for example Z[:, [j]]."
        )
    s = softmax(z.reshape(-1, 1))
    return np.diagflat(s) - s @ s.T
