"""gradproof: the backpropagation gradients of a fully connected network, checked.

The names follow the book's notation: ``W``, ``b``, ``Z``, ``A`` per layer, examples as
columns, and ``dW``, ``db``, ``dZ``, ``dA`` for the derivatives of the cost ``J``.
"""

from ._loss_base import Loss, SaturationError
from .activations import (
    ACTIVATIONS,
    Activation,
    exponential,
    get_activation,
    identity,
    identity_derivative,
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)
from .gradcheck import GradientCheckReport, ParameterCheck, gradient_check
from .oracles import (
    COMPLEX_STEP,
    DEFAULT_STEP,
    GradientCheckWarning,
    KinkWarning,
    PrecisionWarning,
    StepSizeWarning,
    assert_gradient_close,
    complex_step_gradient,
    numerical_gradient,
    relative_error,
)
from .losses import (
    BINARY_CROSS_ENTROPY,
    CATEGORICAL_CROSS_ENTROPY,
    LOSSES,
    MEAN_SQUARED_ERROR,
    POISSON,
    binary_cross_entropy,
    binary_cross_entropy_from_logits,
    binary_cross_entropy_gradient,
    binary_cross_entropy_logit_gradient,
    get_loss,
)
from .network import ForwardCache, Gradients, Network
from .softmax import log_sum_exp, softmax, softmax_jacobian, softmax_vector_jacobian_product
from .training import TrainingHistory, train

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "BINARY_CROSS_ENTROPY",
    "CATEGORICAL_CROSS_ENTROPY",
    "COMPLEX_STEP",
    "DEFAULT_STEP",
    "ForwardCache",
    "GradientCheckReport",
    "GradientCheckWarning",
    "KinkWarning",
    "Gradients",
    "LOSSES",
    "Loss",
    "MEAN_SQUARED_ERROR",
    "Network",
    "POISSON",
    "ParameterCheck",
    "PrecisionWarning",
    "SaturationError",
    "StepSizeWarning",
    "TrainingHistory",
    "assert_gradient_close",
    "binary_cross_entropy",
    "binary_cross_entropy_from_logits",
    "binary_cross_entropy_gradient",
    "binary_cross_entropy_logit_gradient",
    "complex_step_gradient",
    "exponential",
    "get_activation",
    "get_loss",
    "gradient_check",
    "identity",
    "identity_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "log_sum_exp",
    "numerical_gradient",
    "relative_error",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "softmax_jacobian",
    "softmax_vector_jacobian_product",
    "tanh",
    "tanh_derivative",
    "train",
]
