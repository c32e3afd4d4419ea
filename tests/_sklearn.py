"""scikit-learn models the tests compare against, spelled for the installed version."""

import sklearn
from sklearn.linear_model import LogisticRegression


def l1_logistic_regression(C: float, **options) -> LogisticRegression:
    """L1-penalized logistic regression with saga (which leaves the intercept unpenalized)."""
    options = {"solver": "saga", "tol": 1e-12, "max_iter": 200_000, **options}
    major, minor = (int(x) for x in sklearn.__version__.split(".")[:2])
    if (major, minor) >= (1, 8):  # `penalty` is deprecated from 1.8: l1_ratio = 1 means pure L1
        return LogisticRegression(C=C, l1_ratio=1.0, **options)
    return LogisticRegression(C=C, penalty="l1", **options)
