"""Checks applied to every array that enters gradproof through a public function.

Each check raises ``ValueError`` with the argument's name, what was found and what was
expected, so that a reader who pastes their own arrays learns at once what to change.
"""

import numpy as np


def count_entries(mask):
    """Return "1 entry" or "N entries" for the number of True values in ``mask``."""
    count = int(mask.sum())
    return f"{count} entry" if count == 1 else f"{count} entries"


def as_float_matrix(array, name):
    """Convert ``array`` to a finite two-dimensional float64 array, or raise ``ValueError``.

    Integer and boolean arrays are converted to float64. Complex arrays are rejected,
    as are arrays that are not two-dimensional, empty, or contain NaN or infinity.
    """
    original = np.asarray(array)
    if original.dtype == object or not (
        np.issubdtype(original.dtype, np.floating)
        or np.issubdtype(original.dtype, np.integer)
        or np.issubdtype(original.dtype, np.bool_)
    ):
        raise ValueError(
            f"{name} has dtype {original.dtype}; expected a real numeric array "
            "(float, integer or boolean)."
        )
    if original.ndim != 2:
        raise ValueError(
            f"{name} has shape {original.shape}; expected a two-dimensional array. "
            "gradproof stores examples as columns, so a vector of m values has shape (1, m): "
            "reshape it with array.reshape(1, -1)."
        )
    if original.size == 0:
        raise ValueError(f"{name} is empty (shape {original.shape}); it needs at least one entry.")

    converted = original.astype(np.float64, copy=True)
    bad = ~np.isfinite(converted)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} contains {count_entries(bad)} that are not finite (NaN or infinity), "
            f"the first at [{row}, {column}] = {converted[row, column]}; "
            "remove or replace them before calling gradproof."
        )
    return converted


def check_same_shape(actual, actual_name, expected_shape, expected_name):
    """Raise ``ValueError`` unless ``actual`` has the shape ``expected_shape``.

    gradproof never broadcasts labels against outputs: a ``(m, 1)`` label array against a
    ``(1, m)`` output would broadcast to ``(m, m)`` and give a wrong cost with no error.
    """
    expected_shape = tuple(expected_shape)
    if actual.shape != expected_shape:
        hint = ""
        if actual.size == int(np.prod(expected_shape)):
            hint = f" Reshape it with {actual_name}.reshape{expected_shape}."
        raise ValueError(
            f"{actual_name} has shape {actual.shape} but {expected_name} has shape "
            f"{expected_shape}; they must match exactly, with one column per example.{hint}"
        )


def check_probability_labels(Y, name="Y"):
    """Raise ``ValueError`` unless every label lies in the closed interval [0, 1]."""
    outside = (Y < 0) | (Y > 1)
    if outside.any():
        row, column = np.argwhere(outside)[0]
        raise ValueError(
            f"{name} contains {count_entries(outside)} outside [0, 1], the first at "
            f"[{row}, {column}] = {Y[row, column]}; binary cross-entropy needs labels that "
            "are probabilities, usually 0 or 1."
        )


def check_positive_number(value, name):
    """Return ``value`` as a float, or raise ``ValueError`` unless it is finite and positive."""
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} is {value!r}; expected a finite positive number.")
    return number
