"""Check a network's backward pass against a numerical oracle, parameter by parameter.

``gradient_check`` compares ``Network.backward`` with central differences or the
complex step (``gradproof.oracles``) for every entry of every ``W[l]`` and ``b[l]``.
Its default method evaluates all perturbed copies of one parameter in a single batched
forward pass (``gradproof._perturbed``); ``method="loop"`` keeps the plain
entry-by-entry loop as a reference. The oracles are re-exported here, so
``gradproof.gradcheck`` offers the whole public checking interface.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._perturbed import batched_estimates
from .oracles import (
    COMPLEX_STEP,
    EPSILON,
    DEFAULT_STEP,
    GradientCheckWarning,
    KinkWarning,
    SMALLEST_SENSIBLE_STEP,
    PrecisionWarning,
    StepSizeWarning,
    _central_differences,
    assert_gradient_close,
    check_central_step,
    check_complex_step,
    complex_step_gradient,
    numerical_gradient,
    relative_error,
    warn_if_low_precision,
)

__all__ = [
    "COMPLEX_STEP",
    "DEFAULT_STEP",
    "GradientCheckReport",
    "GradientCheckWarning",
    "KinkWarning",
    "ParameterCheck",
    "PrecisionWarning",
    "StepSizeWarning",
    "assert_gradient_close",
    "complex_step_gradient",
    "gradient_check",
    "numerical_gradient",
    "relative_error",
]

METHODS = ("central", "complex", "loop")


@dataclass(frozen=True)
class ParameterCheck:
    """The comparison for one parameter, such as ``"W2"``.

    ``relative_error`` is that of the checked entries. ``worst_index`` is the entry with
    the largest ``|analytic - numerical|``; ``worst_error`` is that difference divided by
    ``||analytic|| + ||numerical||``, so the squares of all entries' errors add up to
    ``relative_error**2``. ``one_sided`` counts entries checked by a one-sided difference
    because a ReLU kink lay within the step on the other side; ``skipped`` counts entries
    with a kink on both sides, which are left out of every error.
    """

    name: str
    relative_error: float
    worst_index: tuple
    worst_analytic: float
    worst_numerical: float
    worst_error: float
    one_sided: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class GradientCheckReport:
    """The result of ``gradient_check``.

    ``relative_error`` compares all parameters' gradients at once; ``per_parameter`` maps
    each parameter name (``"W1"``, ``"b1"``, ...) to the relative error of its gradient,
    ``details`` maps it to a ``ParameterCheck`` with the worst entry, and ``numerical``
    maps it to the oracle's estimate of its gradient.
    """

    relative_error: float
    per_parameter: dict
    step: float
    method: str = "central"
    details: dict = field(default_factory=dict)
    numerical: dict = field(default_factory=dict)

    @property
    def worst_parameter(self):
        """The name of the parameter with the largest relative error."""
        return max(self.per_parameter, key=self.per_parameter.get)

    @property
    def one_sided(self):
        """The number of entries checked by one-sided differences, over all parameters."""
        return sum(check.one_sided for check in self.details.values())

    @property
    def skipped(self):
        """The number of entries that could not be checked, over all parameters."""
        return sum(check.skipped for check in self.details.values())

    def summary(self):
        """Return a table with one row per parameter: its error and its worst entry."""
        rows = [
            f"gradient check ({self.method}, step {self.step:.1e}): relative error "
            f"{self.relative_error:.2e}, worst parameter {self.worst_parameter}",
            f"{'param':6s} {'rel. error':>10s} {'worst entry':>12s} {'analytic':>11s} "
            f"{'numerical':>11s} {'entry err.':>10s} {'1-sided':>7s} {'skipped':>7s}",
        ]
        for check in self.details.values():
            rows.append(
                f"{check.name:6s} {check.relative_error:10.2e} {str(check.worst_index):>12s} "
                f"{check.worst_analytic:11.3e} {check.worst_numerical:11.3e} "
                f"{check.worst_error:10.2e} {check.one_sided:7d} {check.skipped:7d}"
            )
        return "\n".join(rows)


def gradient_check(network, X, Y, step=None, route=None, method="central"):
    """Compare ``network.backward`` with a numerical oracle for every parameter entry.

    Parameters
    ----------
    network : Network
    X, Y : array_like
        Inputs ``(n_0, m)`` and labels ``(n_L, m)``. Float32 arrays are upcast to float64
        with a ``PrecisionWarning``.
    step : float, optional
        ``DEFAULT_STEP`` for central differences (scaled by ``max(1, |x|)`` per entry),
        ``COMPLEX_STEP`` for the complex step. Steps outside the sensible band give a
        ``StepSizeWarning``.
    route : {"combined", "chain", None}
        Passed to ``network.backward``.
    method : {"central", "complex", "loop"}
        ``"central"`` moves each entry by ``+h`` and ``-h`` and evaluates all copies of
        one parameter in one batched forward pass. Where a ReLU or leaky-ReLU
        pre-activation crosses 0 within the step on one side, that entry gets a one-sided
        second-order difference from the other side; where it crosses on both sides, the
        entry is skipped with a ``KinkWarning``. ``"complex"`` uses ``Im J(x + ih) / h``,
        batched likewise, which needs no kink handling since the real part never moves.
        ``"loop"`` is the plain reference: one entry at a time on a copy of the network,
        with the quotients of ``numerical_gradient`` and no kink detection.

    Every oracle uses only the forward pass, so it is independent of the backward pass
    under test.

    Returns
    -------
    GradientCheckReport
    """
    if method not in METHODS:
        raise ValueError(f"method is {method!r}; choose one of {', '.join(map(repr, METHODS))}.")
    if method == "complex":
        step = check_complex_step(COMPLEX_STEP if step is None else step)
    else:
        step = check_central_step(DEFAULT_STEP if step is None else step)
    warn_if_low_precision(X, "X")
    warn_if_low_precision(Y, "Y")
    gradients = network.backward(X, Y, route=route)
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)

    if method == "loop":
        estimates = _loop_estimates(network, X, Y, step)
    else:
        estimates = batched_estimates(network, X, Y, step, method)

    details, analytic_parts, numerical_parts, unchecked = {}, [], [], {}
    for name, _ in network.parameters():
        l = int(name[1:])
        analytic = (gradients.dW if name[0] == "W" else gradients.db)[l]
        numerical, one_sided, skipped = estimates[name]
        details[name] = _compare(name, analytic, numerical, one_sided, skipped)
        keep = ~skipped
        analytic_parts.append(analytic[keep])
        numerical_parts.append(numerical[keep])
        if skipped.any():
            unchecked[name] = int(skipped.sum())

    if unchecked:
        counts = ", ".join(
            f"{count} of {estimates[name][0].size} in {name}" for name, count in unchecked.items()
        )
        warnings.warn(
            f"entries left unchecked: {counts}. A ReLU or leaky-ReLU pre-activation crosses "
            "0 within the step on both sides of these points, so no difference quotient "
            "sees a single slope. Use method='complex', which has no such limit.",
            KinkWarning,
            stacklevel=2,
        )
    # Below the sensible band the StepSizeWarning has already named round-off.
    if method != "complex" and step >= SMALLEST_SENSIBLE_STEP:
        _warn_if_cost_swamps_differences(network, X, Y, step, analytic_parts)
    overall = relative_error(np.concatenate(analytic_parts), np.concatenate(numerical_parts))
    per_parameter = {name: check.relative_error for name, check in details.items()}
    numerical = {name: estimate for name, (estimate, _, _) in estimates.items()}
    return GradientCheckReport(overall, per_parameter, step, method, details, numerical)


def _warn_if_cost_swamps_differences(network, X, Y, step, analytic_parts):
    """Warn with ``PrecisionWarning`` where round-off in ``J`` exceeds what a quotient measures.

    Each value of ``J`` carries a rounding error of about ``eps |J|``, so a central
    difference with step ``h`` is off by up to about ``eps |J| / h``. A parameter whose
    largest gradient entry is nonzero but below a thousand times that bound can score a
    large relative error with a correct backward pass. Costs of order 1e100 and above do
    this, and so do gradients near 1e-8 with a cost of order 1.
    """
    cost = abs(network.cost_unchecked(network.W, network.b, X, Y))
    # Entries move by step * max(1, |entry|), so the smallest move is step itself.
    round_off = EPSILON * cost / step if np.isfinite(cost) else np.inf
    unresolved = []
    for (name, _), part in zip(network.parameters(), analytic_parts):
        largest = float(np.max(np.abs(part), initial=0.0))
        if 0.0 < largest < 1e3 * round_off:
            unresolved.append(f"{name} (largest entry {largest:.1e})")
    if unresolved:
        warnings.warn(
            f"the cost is {cost:.3g}, so the round-off in each value of J, about "
            f"{EPSILON:.1e} |J|, moves a difference quotient by up to about {round_off:.1e}; "
            f"central differences cannot resolve the gradients of {', '.join(unresolved)}. "
            "Use method='complex', whose quotient has no subtraction.",
            PrecisionWarning,
            stacklevel=3,
        )


def _compare(name, analytic, numerical, one_sided, skipped):
    """Return the ``ParameterCheck`` of one parameter, leaving out the skipped entries."""
    difference = np.where(skipped, 0.0, np.abs(analytic - numerical))
    # The worst entry's share of ||analytic|| + ||numerical||, with every array divided by
    # the largest entry first so that squaring cannot overflow above about 1e154.
    largest = max(float(np.max(np.abs(analytic))), float(np.max(np.abs(numerical))), 0.0)
    worst = np.unravel_index(int(np.argmax(difference)), analytic.shape)
    worst_error = 0.0
    if largest > 0:
        with np.errstate(under="ignore"):
            norms = np.linalg.norm(analytic[~skipped] / largest) + np.linalg.norm(
                numerical[~skipped] / largest
            )
            if norms > 0:
                worst_error = float(difference[worst] / largest / norms)
    error = relative_error(analytic[~skipped], numerical[~skipped]) if (~skipped).any() else np.nan
    return ParameterCheck(
        name=name,
        relative_error=error,
        worst_index=tuple(int(i) for i in worst),
        worst_analytic=float(analytic[worst]),
        worst_numerical=float(numerical[worst]),
        worst_error=worst_error,
        one_sided=int(one_sided.sum()),
        skipped=int(skipped.sum()),
    )


def _loop_estimates(network, X, Y, step):
    """Return central differences of ``network.cost`` for each parameter, one entry at a time."""
    probe = network.copy()
    estimates = {}
    for name, parameter in probe.parameters():

        def cost_at(value, parameter=parameter):
            parameter[...] = value
            return probe.cost(X, Y)

        original = parameter.copy()
        try:
            numerical = _central_differences(cost_at, original.copy(), step)
        finally:
            parameter[...] = original
        none = np.zeros(parameter.shape, dtype=bool)
        estimates[name] = (numerical, none, none)
    return estimates
