"""Bad input to every public function (and public method) of the modules in MODULES.

Each case must raise ValueError or TypeError with a message that names the argument, says what was
expected and what came: the `match` patterns check all three. A public function without a case
fails `test_every_public_function_has_a_bad_input_case`; to cover a module, add it to MODULES.
"""

import inspect
import os
import re
from unittest import mock

import numpy as np
import pytest

import regcourse
from regcourse import conventions, data, gradcheck, logistic, network, optimizers, penalties, style, training

MODULES = [regcourse, data, penalties, logistic, network, training, gradcheck, optimizers, conventions, style]

X, Y = data.make_moons(30, seed=0)  # X (2, 30), Y (1, 30)
XT = X.T  # examples as rows: the classic slip
X_nan = X.copy()
X_nan[1, 3] = np.nan
X_inf = X.copy()
X_inf[0, 2] = np.inf
W = np.array([[1.0, -2.0], [3.0, 0.5]])
w = np.ones((2, 1))
P = network.initialize([2, 3, 1], seed=0)
_, CACHE = network.forward(X, P)
G = network.backward(Y, P, CACHE)
SINGLE = network.train(X, Y, [2, 3, 1], num_iterations=2)
BATCHED = network.train(X, Y, [2, 3, 1], lambd=[0.0, 1.0], num_iterations=2)
LFIT = logistic.fit(X, Y, 1.0)

ROWS = r"X must have shape \(n_x, m\) with .*got \(30, 2\) — did you pass examples as rows\?"

CASES = {  # "module.function what is wrong": (call, error, message pattern)
    # --- data ----------------------------------------------------------------------------------------
    "data.make_moons m string": (lambda: data.make_moons("300"), TypeError, r"m must be an integer, got str '300'"),
    "data.make_moons m float": (lambda: data.make_moons(30.0), TypeError, r"m must be an integer, got float 30\.0"),
    "data.make_moons m too small": (lambda: data.make_moons(1), ValueError, r"m must be >= 2, got 1"),
    "data.make_moons noise < 0": (lambda: data.make_moons(noise=-0.1), ValueError, r"noise must be >= 0, got -0\.1"),
    "data.make_moons noise NaN": (lambda: data.make_moons(noise=np.nan), ValueError, r"noise must be finite, got nan"),
    "data.make_moons noise None": (lambda: data.make_moons(noise=None), TypeError,
                                   r"noise must be a number, got NoneType"),
    "data.make_moons seed string": (lambda: data.make_moons(seed="0"), TypeError, r"seed must be an integer, got str"),
    "data.make_moons seed < 0": (lambda: data.make_moons(seed=-1), ValueError, r"seed must be >= 0, got -1"),
    "data.make_circles factor 0": (lambda: data.make_circles(factor=0.0), ValueError, r"factor must be > 0, got 0"),
    "data.make_circles factor > 1": (lambda: data.make_circles(factor=2), ValueError, r"factor must be <= 1, got 2"),
    "data.make_circles noise inf": (lambda: data.make_circles(noise=np.inf), ValueError,
                                    r"noise must be finite, got inf"),
    "data.make_two_regions flip > 0.5": (lambda: data.make_two_regions(flip=0.7), ValueError,
                                         r"flip must be <= 0\.5, got 0\.7"),
    "data.make_two_regions m None": (lambda: data.make_two_regions(None), TypeError,
                                     r"m must be an integer, got NoneType"),
    "data.make_xor noise < 0": (lambda: data.make_xor(noise=-1), ValueError, r"noise must be >= 0, got -1"),
    "data.make_xor m 0": (lambda: data.make_xor(0), ValueError, r"m must be >= 2, got 0"),
    "data.load unknown name": (lambda: data.load("spiral"), ValueError,
                               r"name must be one of \['circles', 'moons', 'two regions', 'xor'\], got 'spiral'"),
    "data.load name None": (lambda: data.load(None), ValueError, r"name must be one of .*got None"),
    "data.load m < 2": (lambda: data.load("moons", m=1), ValueError, r"m must be >= 2, got 1"),
    "data.load option of another set": (lambda: data.load("moons", flip=0.1), TypeError,
                                        r"unexpected keyword argument 'flip'"),
    "data.polynomial_features rows":
        (lambda: data.polynomial_features(XT), ValueError,
         r"X must have shape \(n_x, m\) with n_x = 2, got \(30, 2\) — did you pass examples as rows\?"),
    "data.polynomial_features 3 rows": (lambda: data.polynomial_features(np.ones((3, 5))), ValueError,
                                        r"X must have shape \(n_x, m\) with n_x = 2, got \(3, 5\)$"),
    "data.polynomial_features NaN": (lambda: data.polynomial_features(X_nan), ValueError,
                                     r"X must be finite, got NaN at \[1, 3\]"),
    "data.polynomial_features inf": (lambda: data.polynomial_features(X_inf), ValueError,
                                     r"X must be finite, got inf at \[0, 2\]"),
    "data.polynomial_features empty": (lambda: data.polynomial_features(np.ones((2, 0))), ValueError,
                                       r"X must not be empty, got shape \(2, 0\)"),
    "data.polynomial_features 1-D": (lambda: data.polynomial_features(np.ones(4)), ValueError,
                                     r"X must be a 2-D array, got shape \(4,\)"),
    "data.polynomial_features string": (lambda: data.polynomial_features("X"), TypeError,
                                        r"X must be a NumPy array, got str 'X'"),
    "data.polynomial_features None": (lambda: data.polynomial_features(None), TypeError,
                                      r"X must be a NumPy array, got NoneType"),
    "data.polynomial_features strings": (lambda: data.polynomial_features([["a", "b"], ["c", "d"]]), TypeError,
                                         r"X must be an array of numbers, got list"),
    "data.polynomial_features degree 0": (lambda: data.polynomial_features(X, 0), ValueError,
                                          r"degree must be >= 1, got 0"),
    "data.polynomial_features degree float": (lambda: data.polynomial_features(X, 2.5), TypeError,
                                              r"degree must be an integer, got float 2\.5"),
    "data.train_dev_test_split rows":
        (lambda: data.train_dev_test_split(XT, Y), ValueError,
         r"X must have shape \(n_x, m\) with m = Y\.shape\[1\] = 30, got \(30, 2\)"
         r" — did you pass examples as rows\?"),
    "data.train_dev_test_split labels as a column":
        (lambda: data.train_dev_test_split(X, Y.T), ValueError,
         r"Y must have shape \(1, m\), got \(30, 1\) — did you pass labels as a column\?"),
    "data.train_dev_test_split labels not 0/1": (lambda: data.train_dev_test_split(X, 2 * Y), ValueError,
                                                 r"Y must hold labels 0 or 1, got values \[0\.0, 2\.0\]"),
    "data.train_dev_test_split Y NaN": (lambda: data.train_dev_test_split(X, np.full((1, 30), np.nan)), ValueError,
                                        r"Y must be finite, got NaN"),
    "data.train_dev_test_split X inf": (lambda: data.train_dev_test_split(X_inf, Y), ValueError,
                                        r"X must be finite, got inf"),
    "data.train_dev_test_split dev < 0": (lambda: data.train_dev_test_split(X, Y, dev=-0.1), ValueError,
                                          r"dev must be >= 0, got -0\.1"),
    "data.train_dev_test_split test > 1": (lambda: data.train_dev_test_split(X, Y, test=1.5), ValueError,
                                           r"test must be <= 1, got 1\.5"),
    "data.train_dev_test_split dev string": (lambda: data.train_dev_test_split(X, Y, dev="0.2"), TypeError,
                                             r"dev must be a number, got str"),
    "data.train_dev_test_split nothing left": (lambda: data.train_dev_test_split(X, Y, dev=0.5, test=0.5), ValueError,
                                               r"dev \+ test must be < 1 to leave a training set, got 1"),
    "data.train_dev_test_split too few": (lambda: data.train_dev_test_split(X[:, :2], Y[:, :2]), ValueError,
                                          r"X has m = 2 examples, too few to split with dev=0\.2, test=0\.2"),
    "data.train_dev_test_split seed float": (lambda: data.train_dev_test_split(X, Y, seed=0.5), TypeError,
                                             r"seed must be an integer, got float"),
    # --- penalties -----------------------------------------------------------------------------------
    "penalties.frobenius_norm_sq string": (lambda: penalties.frobenius_norm_sq("W"), TypeError,
                                           r"W must be a NumPy array, got str"),
    "penalties.frobenius_norm_sq None": (lambda: penalties.frobenius_norm_sq(None), TypeError,
                                         r"W must be a NumPy array, got NoneType"),
    "penalties.frobenius_norm_sq 1-D": (lambda: penalties.frobenius_norm_sq(np.ones(3)), ValueError,
                                        r"W must be a 2-D array, got shape \(3,\)"),
    "penalties.frobenius_norm_sq NaN": (lambda: penalties.frobenius_norm_sq([[np.nan, 1.0]]), ValueError,
                                        r"W must be finite, got NaN at \[0, 0\]"),
    "penalties.frobenius_norm_sq empty": (lambda: penalties.frobenius_norm_sq(np.ones((0, 2))), ValueError,
                                          r"W must not be empty"),
    "penalties.frobenius_norm_sq strings": (lambda: penalties.frobenius_norm_sq([["a"]]), TypeError,
                                            r"W must be an array of numbers"),
    "penalties.frobenius_norm inf": (lambda: penalties.frobenius_norm([[np.inf]]), ValueError,
                                     r"W must be finite, got inf"),
    "penalties.frobenius_norm list of strings": (lambda: penalties.frobenius_norm(["a", "b"]), TypeError,
                                                 r"W must be an array of numbers"),
    "penalties.l2_penalty lambd < 0": (lambda: penalties.l2_penalty(W, -1.0, 10), ValueError,
                                       r"lambd must be >= 0, got -1"),
    "penalties.l2_penalty lambd string": (lambda: penalties.l2_penalty(W, "0.1", 10), TypeError,
                                          r"lambd must be a number, got str '0\.1'"),
    "penalties.l2_penalty lambd NaN": (lambda: penalties.l2_penalty(W, np.nan, 10), ValueError,
                                       r"lambd must be finite, got nan"),
    "penalties.l2_penalty lambd None": (lambda: penalties.l2_penalty(W, None, 10), TypeError,
                                        r"lambd must be a number, got NoneType"),
    "penalties.l2_penalty m 0": (lambda: penalties.l2_penalty(W, 1.0, 0), ValueError, r"m must be >= 1, got 0"),
    "penalties.l2_penalty m float": (lambda: penalties.l2_penalty(W, 1.0, 10.0), TypeError,
                                     r"m must be an integer, got float"),
    "penalties.l2_penalty weights None":
        (lambda: penalties.l2_penalty(None, 1.0, 10), TypeError,
         r"weights must be a matrix, a list of matrices or a parameter dict, got NoneType"),
    "penalties.l2_penalty weights string": (lambda: penalties.l2_penalty("W1", 1.0, 10), TypeError,
                                            r"weights must be a matrix.*got str"),
    "penalties.l2_penalty weights empty": (lambda: penalties.l2_penalty([], 1.0, 10), ValueError,
                                           r"weights must hold at least one matrix, got an empty sequence"),
    "penalties.l2_penalty dict without W":
        (lambda: penalties.l2_penalty({"b1": W}, 1.0, 10), ValueError,
         r"weights must hold W1, W2, \.\.\. when given as a dict, got keys \['b1'\]"),
    "penalties.l2_penalty 1-D weights": (lambda: penalties.l2_penalty(np.ones(3), 1.0, 10), ValueError,
                                         r"weights must be a 2-D array, got shape \(3,\)"),
    "penalties.l2_penalty NaN in list":
        (lambda: penalties.l2_penalty([W, np.full((2, 2), np.nan)], 1.0, 10), ValueError,
         r"weights\[1\] must be finite, got NaN"),
    "penalties.l2_penalty NaN in dict": (lambda: penalties.l2_penalty({"W1": W, "W2": [[np.inf]]}, 1.0, 10), ValueError,
                                         r"W2 must be finite, got inf"),
    "penalties.l2_gradient lambd < 0": (lambda: penalties.l2_gradient(W, -0.5, 10), ValueError,
                                        r"lambd must be >= 0, got -0\.5"),
    "penalties.l2_gradient 1-D W": (lambda: penalties.l2_gradient(np.ones(3), 1.0, 10), ValueError,
                                    r"W must be a 2-D array, got shape \(3,\)"),
    "penalties.l2_gradient m None": (lambda: penalties.l2_gradient(W, 1.0, None), TypeError,
                                     r"m must be an integer, got NoneType"),
    "penalties.l1_penalty lambd < 0": (lambda: penalties.l1_penalty(W, -1.0, 10), ValueError,
                                       r"lambd must be >= 0, got -1"),
    "penalties.l1_penalty m < 1": (lambda: penalties.l1_penalty(W, 1.0, -3), ValueError, r"m must be >= 1, got -3"),
    "penalties.l1_penalty weights list of strings": (lambda: penalties.l1_penalty(["a", "b"], 1.0, 10), TypeError,
                                                     r"weights\[0\] must be a NumPy array, got str"),
    "penalties.l1_subgradient lambd inf": (lambda: penalties.l1_subgradient(W, np.inf, 10), ValueError,
                                           r"lambd must be finite, got inf"),
    "penalties.l1_subgradient W NaN": (lambda: penalties.l1_subgradient([[np.nan]], 1.0, 10), ValueError,
                                       r"W must be finite, got NaN"),
    "penalties.soft_threshold threshold < 0": (lambda: penalties.soft_threshold(W, -1.0), ValueError,
                                               r"threshold must be >= 0, got -1"),
    "penalties.soft_threshold threshold string": (lambda: penalties.soft_threshold(W, "1"), TypeError,
                                                  r"threshold must be a number, got str"),
    "penalties.soft_threshold W NaN": (lambda: penalties.soft_threshold(np.array([np.nan]), 1.0), ValueError,
                                       r"W must be finite, got NaN at \[0\]"),
    "penalties.soft_threshold W scalar": (lambda: penalties.soft_threshold(3.0, 1.0), ValueError,
                                          r"W must be a 1-D array, got shape \(\)"),
    "penalties.soft_threshold W None": (lambda: penalties.soft_threshold(None, 1.0), TypeError,
                                        r"W must be a NumPy array, got NoneType"),
    "penalties.soft_threshold W empty": (lambda: penalties.soft_threshold(np.array([]), 1.0), ValueError,
                                         r"W must not be empty"),
    "penalties.decay_factor learning_rate 0": (lambda: penalties.decay_factor(0.0, 0.01, 100), ValueError,
                                               r"learning_rate must be > 0, got 0"),
    "penalties.decay_factor learning_rate < 0": (lambda: penalties.decay_factor(-0.1, 0.01, 100), ValueError,
                                                 r"learning_rate must be > 0, got -0\.1"),
    "penalties.decay_factor learning_rate None": (lambda: penalties.decay_factor(None, 0.01, 100), TypeError,
                                                  r"learning_rate must be a number, got NoneType"),
    "penalties.decay_factor lambd < 0": (lambda: penalties.decay_factor(0.1, -0.01, 100), ValueError,
                                         r"lambd must be >= 0, got -0\.01"),
    "penalties.decay_factor m 0": (lambda: penalties.decay_factor(0.1, 0.01, 0), ValueError, r"m must be >= 1, got 0"),
    "penalties.decay_factor bool": (lambda: penalties.decay_factor(True, 0.01, 100), TypeError,
                                    r"learning_rate must be a number, got bool"),
    # --- logistic ------------------------------------------------------------------------------------
    "logistic.predict_proba rows": (lambda: logistic.predict_proba(w, 0.0, XT), ValueError, ROWS),
    "logistic.predict_proba w as a row": (lambda: logistic.predict_proba(w.T, 0.0, X), ValueError,
                                          r"w must have 1 columns, got shape \(1, 2\)"
                                          r" — w must be a column \(n_x, 1\)"),
    "logistic.predict_proba w 1-D": (lambda: logistic.predict_proba(np.ones(2), 0.0, X), ValueError,
                                     r"w must be a 2-D array, got shape \(2,\)"),
    "logistic.predict_proba b string": (lambda: logistic.predict_proba(w, "0", X), TypeError,
                                        r"b must be a number, got str '0'"),
    "logistic.predict_proba b array": (lambda: logistic.predict_proba(w, np.zeros((1, 1)), X), TypeError,
                                       r"b must be a number, got an array of shape \(1, 1\)"),
    "logistic.predict_proba b NaN": (lambda: logistic.predict_proba(w, np.nan, X), ValueError,
                                     r"b must be finite, got nan"),
    "logistic.predict_proba X NaN": (lambda: logistic.predict_proba(w, 0.0, X_nan), ValueError,
                                     r"X must be finite, got NaN"),
    "logistic.predict X wrong n_x": (lambda: logistic.predict(np.ones((3, 1)), 0.0, X), ValueError,
                                     r"X must have shape \(n_x, m\) with n_x = 3, got \(2, 30\)"),
    "logistic.predict w None": (lambda: logistic.predict(None, 0.0, X), TypeError,
                                r"w must be a NumPy array, got NoneType"),
    "logistic.cost rows": (lambda: logistic.cost(w, 0.0, XT, Y), ValueError, ROWS),
    "logistic.cost lambd < 0": (lambda: logistic.cost(w, 0.0, X, Y, -1.0), ValueError, r"lambd must be >= 0, got -1"),
    "logistic.cost penalty name": (lambda: logistic.cost(w, 0.0, X, Y, 1.0, "l3"), ValueError,
                                   r"penalty must be one of \['l1', 'l2'\], got 'l3'"),
    "logistic.cost penalty None": (lambda: logistic.cost(w, 0.0, X, Y, 1.0, None), ValueError,
                                   r"penalty must be one of .*got None"),
    "logistic.cost penalize_b int": (lambda: logistic.cost(w, 0.0, X, Y, 1.0, "l2", 1), TypeError,
                                     r"penalize_b must be True or False, got int 1"),
    "logistic.cost Y shorter": (lambda: logistic.cost(w, 0.0, X, Y[:, :5]), ValueError,
                                r"X must have shape \(n_x, m\) with m = Y\.shape\[1\] = 5, got \(2, 30\)"),
    "logistic.cost Y not 0/1": (lambda: logistic.cost(w, 0.0, X, Y - 0.5), ValueError, r"Y must hold labels 0 or 1"),
    "logistic.gradients lambd < 0": (lambda: logistic.gradients(w, 0.0, X, Y, -1.0), ValueError,
                                     r"lambd must be >= 0, got -1"),
    "logistic.gradients w NaN": (lambda: logistic.gradients(np.full((2, 1), np.nan), 0.0, X, Y), ValueError,
                                 r"w must be finite, got NaN"),
    "logistic.gradients rows": (lambda: logistic.gradients(w, 0.0, XT, Y), ValueError, ROWS),
    "logistic.gradients penalty": (lambda: logistic.gradients(w, 0.0, X, Y, 1.0, "L1"), ValueError,
                                   r"penalty must be one of .*got 'L1'"),
    "logistic.fit rows": (lambda: logistic.fit(XT, Y), ValueError, ROWS),
    "logistic.fit empty": (lambda: logistic.fit(np.ones((2, 0)), np.ones((1, 0))), ValueError,
                           r"X must not be empty, got shape \(2, 0\)"),
    "logistic.fit lambd < 0": (lambda: logistic.fit(X, Y, -1.0), ValueError, r"lambd must be >= 0, got -1"),
    "logistic.fit lambd string": (lambda: logistic.fit(X, Y, "1"), TypeError, r"lambd must be a number, got str"),
    "logistic.fit penalty": (lambda: logistic.fit(X, Y, 1.0, "ridge"), ValueError,
                             r"penalty must be one of .*got 'ridge'"),
    "logistic.fit penalize_b": (lambda: logistic.fit(X, Y, 1.0, "l2", "yes"), TypeError,
                                r"penalize_b must be True or False, got str 'yes'"),
    "logistic.fit tol 0": (lambda: logistic.fit(X, Y, 1.0, tol=0.0), ValueError, r"tol must be > 0, got 0"),
    "logistic.fit max_iter 0": (lambda: logistic.fit(X, Y, 1.0, max_iter=0), ValueError,
                                r"max_iter must be >= 1, got 0"),
    "logistic.fit start wrong type": (lambda: logistic.fit(X, Y, 1.0, start="warm"), TypeError,
                                      r"start must be a LogisticFit .* or None, got str"),
    "logistic.fit start wrong size":
        (lambda: logistic.fit(X, Y, 1.0, start=logistic.fit(np.ones((3, 30)), Y, 1.0)), ValueError,
         r"start must have w of shape \(2, 1\), got \(3, 1\)"),
    "logistic.fit_path lambd < 0": (lambda: logistic.fit_path(X, Y, [1.0, -1.0]), ValueError,
                                    r"lambdas must be >= 0, got -1 in the array"),
    "logistic.fit_path empty": (lambda: logistic.fit_path(X, Y, []), ValueError,
                                r"lambdas must not be empty, got shape \(0,\)"),
    "logistic.fit_path strings": (lambda: logistic.fit_path(X, Y, ["a", "b"]), TypeError,
                                  r"lambdas must be an array of numbers, got list"),
    "logistic.fit_path 2-D": (lambda: logistic.fit_path(X, Y, [[1.0]]), ValueError,
                              r"lambdas must be a 1-D array, got shape \(1, 1\)"),
    "logistic.fit_path None": (lambda: logistic.fit_path(X, Y, None), TypeError,
                               r"lambdas must be a number, got NoneType"),
    "logistic.fit_path NaN": (lambda: logistic.fit_path(X, Y, [1.0, np.nan]), ValueError,
                              r"lambdas must be finite, got NaN at \[1\]"),
    "logistic.fit_path rows": (lambda: logistic.fit_path(XT, Y, [1.0]), ValueError, ROWS),
    "logistic.LogisticFit.predict_proba rows": (lambda: LFIT.predict_proba(XT), ValueError, ROWS),
    "logistic.LogisticFit.predict rows": (lambda: LFIT.predict(XT), ValueError, ROWS),
    "logistic.LogisticFit.accuracy rows": (lambda: LFIT.accuracy(XT, Y), ValueError, ROWS),
    "logistic.LogisticFit.accuracy Y column": (lambda: LFIT.accuracy(X, Y.T), ValueError,
                                               r"Y must have shape \(1, m\), got \(30, 1\)"),
    "logistic.LogisticFit.cost NaN": (lambda: LFIT.cost(X_nan, Y), ValueError, r"X must be finite, got NaN"),
    # --- network -------------------------------------------------------------------------------------
    "network.initialize string": (lambda: network.initialize("2,3,1"), TypeError,
                                  r"layer_dims must be a list of layer sizes like \[2, 20, 3, 1\], got '2,3,1'"),
    "network.initialize None": (lambda: network.initialize(None), TypeError,
                                r"layer_dims must be a list of layer sizes .*got None"),
    "network.initialize output not 1": (lambda: network.initialize([2, 3, 2]), ValueError,
                                        r"layer_dims must end with 1 \(one sigmoid output unit\), got \[2, 3, 2\]"),
    "network.initialize zero units": (lambda: network.initialize([2, 0, 1]), ValueError,
                                      r"layer_dims\[1\] must be >= 1, got 0"),
    "network.initialize float units": (lambda: network.initialize([2, 3.0, 1]), TypeError,
                                       r"layer_dims\[1\] must be an integer, got float"),
    "network.initialize too short": (lambda: network.initialize([1]), ValueError,
                                     r"layer_dims must list at least the input and output sizes, got \[1\]"),
    "network.initialize activation": (lambda: network.initialize([2, 3, 1], "sigmoid"), ValueError,
                                      r"activation must be one of \['relu', 'tanh'\], got 'sigmoid'"),
    "network.initialize seed float": (lambda: network.initialize([2, 3, 1], seed=1.5), TypeError,
                                      r"seed must be an integer, got float 1\.5"),
    "network.forward rows": (lambda: network.forward(XT, P), ValueError, ROWS),
    "network.forward X None": (lambda: network.forward(None, P), TypeError, r"X must be a NumPy array, got NoneType"),
    "network.forward X NaN": (lambda: network.forward(X_nan, P), ValueError, r"X must be finite, got NaN at \[1, 3\]"),
    "network.forward activation": (lambda: network.forward(X, P, "Relu"), ValueError,
                                   r"activation must be one of .*got 'Relu'"),
    "network.forward params list": (lambda: network.forward(X, [P["W1"]]), TypeError,
                                    r"params must be a dict .*got list"),
    "network.forward params keys": (lambda: network.forward(X, {"W1": P["W1"]}), ValueError,
                                    r"params must hold W1, b1, \.\.\., WL, bL, got keys \['W1'\]"),
    "network.forward W shapes chain": (lambda: network.forward(X, {**P, "W2": np.ones((1, 4))}), ValueError,
                                       r"W2 must have shape \(n\[2\], n\[1\]\) with n\[1\] = 3, got \(1, 4\)"),
    "network.forward b as a row": (lambda: network.forward(X, {**P, "b1": np.ones((1, 3))}), ValueError,
                                   r"b1 must have 3 rows, got shape \(1, 3\) \(b1 must be \(n\[1\], 1\) = \(3, 1\)\)"),
    "network.forward W NaN": (lambda: network.forward(X, {**P, "W1": np.full((3, 2), np.nan)}), ValueError,
                              r"W1 must be finite, got NaN"),
    "network.forward W strings": (lambda: network.forward(X, {**P, "W1": [["a", "b"]] * 3}), TypeError,
                                  r"W1 must be an array of numbers"),
    "network.cost rows": (lambda: network.cost(XT, Y, P), ValueError, ROWS),
    "network.cost Y column": (lambda: network.cost(X, Y.T, P), ValueError,
                              r"Y must have shape \(1, m\), got \(30, 1\) — did you pass labels as a column\?"),
    "network.cost lambd < 0": (lambda: network.cost(X, Y, P, -1.0), ValueError, r"lambd must be >= 0, got -1"),
    "network.cost lambd array": (lambda: network.cost(X, Y, P, np.array([0.1, 1.0])), TypeError,
                                 r"lambd must be a number, got an array"),
    "network.cost penalty": (lambda: network.cost(X, Y, P, 1.0, "l0"), ValueError,
                             r"penalty must be one of \['l1', 'l2'\], got 'l0'"),
    "network.cost activation": (lambda: network.cost(X, Y, P, 1.0, "l2", None), ValueError,
                                r"activation must be one of .*got None"),
    "network.backward m differs": (lambda: network.backward(Y[:, :3], P, CACHE), ValueError,
                                   r"cache must come from forward\(\) on the same m = 3 examples as Y"),
    "network.backward Y two rows": (lambda: network.backward(np.vstack([Y, Y]), P, CACHE), ValueError,
                                    r"Y must have shape \(1, m\), got \(2, 30\)"),
    "network.backward Y NaN": (lambda: network.backward(np.full((1, 30), np.nan), P, CACHE), ValueError,
                               r"Y must be finite, got NaN"),
    "network.backward cache None": (lambda: network.backward(Y, P, None), TypeError,
                                    r"cache must be the dict returned by forward\(\), got NoneType"),
    "network.backward lambd < 0": (lambda: network.backward(Y, P, CACHE, -1.0), ValueError,
                                   r"lambd must be >= 0, got -1"),
    "network.backward penalty": (lambda: network.backward(Y, P, CACHE, 1.0, "L2"), ValueError,
                                 r"penalty must be one of .*got 'L2'"),
    "network.backward params None": (lambda: network.backward(Y, None, CACHE), TypeError,
                                     r"params must be a dict .*got NoneType"),
    "network.update learning_rate 0": (lambda: network.update(P, G, 0.0), ValueError,
                                       r"learning_rate must be > 0, got 0"),
    "network.update learning_rate string": (lambda: network.update(P, G, "0.1"), TypeError,
                                            r"learning_rate must be a number, got str"),
    "network.update grads None": (lambda: network.update(P, None, 0.1), TypeError,
                                  r"grads must be a dict .*got NoneType"),
    "network.update grads missing": (lambda: network.update(P, {"dW1": G["dW1"]}, 0.1), ValueError,
                                     r"grads must hold the keys \['dW1', 'dW2', 'db1', 'db2'\], got \['dW1'\]"),
    "network.update grads shape": (lambda: network.update(P, {**G, "dW1": np.ones((3, 1))}, 0.1), ValueError,
                                   r"grads\['dW1'\] must have the shape of W1, \(3, 2\), got \(3, 1\)"),
    "network.update grads NaN": (lambda: network.update(P, {**G, "db2": [[np.nan]]}, 0.1), ValueError,
                                 r"grads\['db2'\] must be finite"),
    "network.weight_decay_update lambd < 0": (lambda: network.weight_decay_update(P, G, 0.1, -1.0, 30), ValueError,
                                              r"lambd must be >= 0, got -1"),
    "network.weight_decay_update m 0": (lambda: network.weight_decay_update(P, G, 0.1, 1.0, 0), ValueError,
                                        r"m must be >= 1, got 0"),
    "network.weight_decay_update learning_rate < 0":
        (lambda: network.weight_decay_update(P, G, -0.1, 1.0, 30), ValueError,
         r"learning_rate must be > 0, got -0\.1"),
    "network.weight_decay_update grads shape":
        (lambda: network.weight_decay_update(P, {**G, "dW2": np.ones((3, 1))}, 0.1, 1.0, 30), ValueError,
         r"grads_backprop\['dW2'\] must have the shape of W2, \(1, 3\), got \(3, 1\)"),
    "training.train rows": (lambda: network.train(XT, Y, [2, 3, 1]), ValueError, ROWS),
    "training.train X wrong n_x": (lambda: network.train(np.ones((3, 30)), Y, [2, 3, 1]), ValueError,
                                  r"X must have shape \(n_x, m\) with n_x = 2, got \(3, 30\)"),
    "training.train X inf": (lambda: network.train(X_inf, Y, [2, 3, 1]), ValueError, r"X must be finite, got inf"),
    "training.train empty": (lambda: network.train(np.ones((2, 0)), np.ones((1, 0)), [2, 3, 1]), ValueError,
                            r"X must not be empty"),
    "training.train Y not 0/1": (lambda: network.train(X, Y + 1, [2, 3, 1]), ValueError, r"Y must hold labels 0 or 1"),
    "training.train lambd < 0": (lambda: network.train(X, Y, [2, 3, 1], lambd=-1.0), ValueError,
                                r"lambd must be >= 0, got -1"),
    "training.train lambd array < 0": (lambda: network.train(X, Y, [2, 3, 1], lambd=[0.0, -1.0]), ValueError,
                                      r"lambd must be >= 0, got -1 in the array"),
    "training.train lambd array NaN": (lambda: network.train(X, Y, [2, 3, 1], lambd=[0.0, np.nan]), ValueError,
                                      r"lambd must be finite, got NaN at \[1\]"),
    "training.train lambd 2-D": (lambda: network.train(X, Y, [2, 3, 1], lambd=[[0.1]]), ValueError,
                                r"lambd must be a 1-D array, got shape \(1, 1\)"),
    "training.train lambd string": (lambda: network.train(X, Y, [2, 3, 1], lambd="0.1"), TypeError,
                                   r"lambd must be a number, got str"),
    "training.train lambd strings": (lambda: network.train(X, Y, [2, 3, 1], lambd=["a", "b"]), TypeError,
                                    r"lambd must be an array of numbers, got list"),
    "training.train lambd None": (lambda: network.train(X, Y, [2, 3, 1], lambd=None), TypeError,
                                 r"lambd must be a number, got NoneType"),
    "training.train lambd empty": (lambda: network.train(X, Y, [2, 3, 1], lambd=[]), ValueError,
                                  r"lambd must not be empty"),
    "training.train learning_rate 0": (lambda: network.train(X, Y, [2, 3, 1], learning_rate=0), ValueError,
                                      r"learning_rate must be > 0, got 0"),
    "training.train learning_rate < 0": (lambda: network.train(X, Y, [2, 3, 1], learning_rate=-1.0), ValueError,
                                        r"learning_rate must be > 0, got -1"),
    "training.train learning_rate inf": (lambda: network.train(X, Y, [2, 3, 1], learning_rate=np.inf), ValueError,
                                        r"learning_rate must be finite, got inf"),
    "training.train num_iterations < 0": (lambda: network.train(X, Y, [2, 3, 1], num_iterations=-1), ValueError,
                                         r"num_iterations must be >= 0, got -1"),
    "training.train num_iterations float": (lambda: network.train(X, Y, [2, 3, 1], num_iterations=10.0), TypeError,
                                           r"num_iterations must be an integer, got float"),
    "training.train record_every 0": (lambda: network.train(X, Y, [2, 3, 1], record_every=0), ValueError,
                                     r"record_every must be >= 1, got 0"),
    "training.train penalty": (lambda: network.train(X, Y, [2, 3, 1], penalty=None), ValueError,
                              r"penalty must be one of .*got None"),
    "training.train activation": (lambda: network.train(X, Y, [2, 3, 1], activation="sigmoid"), ValueError,
                                 r"activation must be one of .*got 'sigmoid'"),
    "training.train neither dims nor params":
        (lambda: network.train(X, Y), TypeError,
         r"train needs layer_dims \(e\.g\. \[2, 20, 3, 1\]\) or params, got neither"),
    "training.train dims disagree with params": (lambda: network.train(X, Y, [2, 4, 1], params=P), ValueError,
                                                r"layer_dims \[2, 4, 1\] disagree with params' shapes \[2, 3, 1\]"),
    "training.train batched params": (lambda: network.train(X, Y, params=BATCHED.params, lambd=[0.0, 1.0]), ValueError,
                                     r"params must hold one network to start from .*got W1 of shape \(2, 3, 2\)"),
    "training.train callback not callable": (lambda: network.train(X, Y, [2, 3, 1], callback=3), TypeError,
                                            r"callback must be a function callback\(done, total\) or None, got int"),
    "training.train seed string": (lambda: network.train(X, Y, [2, 3, 1], seed="0"), TypeError,
                                  r"seed must be an integer, got str"),
    "training.Fit.forward rows": (lambda: SINGLE.forward(XT), ValueError, ROWS),
    "training.Fit.predict_proba rows": (lambda: BATCHED.predict_proba(XT), ValueError, ROWS),
    "training.Fit.predict NaN": (lambda: SINGLE.predict(X_nan), ValueError, r"X must be finite, got NaN"),
    "training.Fit.accuracy Y column": (lambda: SINGLE.accuracy(X, Y.T), ValueError,
                                      r"Y must have shape \(1, m\), got \(30, 1\)"),
    "training.Fit.cost rows": (lambda: BATCHED.cost(XT, Y), ValueError, ROWS),
    "training.Fit[k] on a single fit": (lambda: SINGLE[0], TypeError,
                                       r"this Fit holds a single lambd; only batched fits can be indexed"),
    "training.Fit[k] out of range": (lambda: BATCHED[5], IndexError,
                                    r"k must be an integer index into the 2 lambd values, got 5"),
    "training.Fit[k] string": (lambda: BATCHED["0"], IndexError, r"k must be an integer index .*got '0'"),
    # --- gradcheck -----------------------------------------------------------------------------------
    "gradcheck.numerical_gradient f not callable": (lambda: gradcheck.numerical_gradient(3, {"W": W}), TypeError,
                                                    r"f must be a function of the params dict, got int"),
    "gradcheck.numerical_gradient f returns an array":
        (lambda: gradcheck.numerical_gradient(lambda p: p["W"], {"W": W}), TypeError,
         r"f must return the cost as one number .*got ndarray of shape \(2, 2\)"),
    "gradcheck.numerical_gradient f returns a Cost":
        (lambda: gradcheck.numerical_gradient(lambda p: network.cost(X, Y, p), P), TypeError,
         r"f must return the cost as one number \(e\.g\. cost\(\.\.\.\)\.total\), got Cost"),
    "gradcheck.numerical_gradient params None": (lambda: gradcheck.numerical_gradient(lambda p: 0.0, None), TypeError,
                                                 r"params must be a non-empty dict of arrays .*got NoneType"),
    "gradcheck.numerical_gradient params empty": (lambda: gradcheck.numerical_gradient(lambda p: 0.0, {}), TypeError,
                                                  r"params must be a non-empty dict of arrays .*got dict \{\}"),
    "gradcheck.numerical_gradient params NaN":
        (lambda: gradcheck.numerical_gradient(lambda p: 0.0, {"W": [np.nan]}), ValueError,
         r"W must be finite, got NaN at \[0\]"),
    "gradcheck.numerical_gradient eps 0":
        (lambda: gradcheck.numerical_gradient(lambda p: 0.0, {"W": W}, eps=0.0), ValueError,
         r"eps must be > 0, got 0"),
    "gradcheck.numerical_gradient eps string":
        (lambda: gradcheck.numerical_gradient(lambda p: 0.0, {"W": W}, eps="1e-6"), TypeError,
         r"eps must be a number, got str"),
    "gradcheck.relative_difference keys": (lambda: gradcheck.relative_difference({"dW": W}, {"db": W}), ValueError,
                                           r"a and b must be dicts with the same keys, got \['dW'\] and \['db'\]"),
    "gradcheck.relative_difference dict and array":
        (lambda: gradcheck.relative_difference({"dW": W}, W), ValueError,
         r"a and b must be dicts with the same keys, got \['dW'\] and ndarray"),
    "gradcheck.relative_difference sizes": (lambda: gradcheck.relative_difference(W, np.ones(3)), ValueError,
                                            r"gradients must have the same number of entries, got 4 and 3"),
    "gradcheck.relative_difference NaN": (lambda: gradcheck.relative_difference(W, np.full((2, 2), np.nan)), ValueError,
                                          r"b must be finite, got NaN at \[0, 0\]"),
    "gradcheck.relative_difference string": (lambda: gradcheck.relative_difference("a", W), TypeError,
                                             r"a must be a NumPy array, got str"),
    "gradcheck.relative_difference None in dict":
        (lambda: gradcheck.relative_difference({"dW": None}, {"dW": W}), TypeError,
         r"a\['dW'\] must be a NumPy array, got NoneType"),
    "gradcheck.gradient_check grads keys":
        (lambda: gradcheck.gradient_check(lambda p: 0.0, {"W": W}, {"W": W}), ValueError,
         r"grads must hold \['dW'\], got \['W'\]"),
    "gradcheck.gradient_check grads None": (lambda: gradcheck.gradient_check(lambda p: 0.0, {"W": W}, None), ValueError,
                                            r"grads must hold \['dW'\], got NoneType"),
    "gradcheck.gradient_check grads shape":
        (lambda: gradcheck.gradient_check(lambda p: 0.0, {"W": W}, {"dW": np.ones(3)}), ValueError,
         r"grads\['dW'\] must have the shape of W, \(2, 2\), got \(3,\)"),
    "gradcheck.gradient_check eps < 0":
        (lambda: gradcheck.gradient_check(lambda p: 0.0, {"W": W}, {"dW": W}, eps=-1.0), ValueError,
         r"eps must be > 0, got -1"),
}


COMPLEX = X + 1j
OBJECT = X.astype(object)
CASES.update({  # issue 10: the gaps the robustness probe found
    "data.train_dev_test_split Y None": (lambda: data.train_dev_test_split(X, None), TypeError,
                                         r"Y is missing: Y must be the labels, an array of shape \(1, m\)"),
    "data.train_dev_test_split X complex": (lambda: data.train_dev_test_split(COMPLEX, Y), TypeError,
                                            r"X must hold real numbers, got complex values"),
    "data.train_dev_test_split X object": (lambda: data.train_dev_test_split(OBJECT, Y), TypeError,
                                           r"X must be an array of numbers, got ndarray of dtype object"),
    "data.make_moons m too large": (lambda: data.make_moons(10 ** 9), ValueError,
                                    r"m must be <= 1,000,000, got 1,000,000,000"),
    "data.load m too large": (lambda: data.load("xor", m=10 ** 7), ValueError, r"m must be <= 1,000,000"),
    "data.polynomial_features degree too large": (lambda: data.polynomial_features(X, 10 ** 9), ValueError,
                                                  r"degree must be <= 40, got 1,000,000,000"),
    "data.polynomial_features overflow": (lambda: data.polynomial_features(X * 1e10, 40), ValueError,
                                          r"X has entries up to .*: their powers up to degree 40 overflow float64"),
    "penalties.l2_penalty complex": (lambda: penalties.l2_penalty(np.array([[1 + 2j]]), 1, 1), TypeError,
                                     r"weights must hold real numbers, got complex values"),
    "penalties.l2_penalty overflow": (lambda: penalties.l2_penalty(W * 1e200, 1.0, 1), ValueError,
                                      r"weights is too large for l2_penalty \(entries up to 3e\+200\)"),
    "penalties.decay_factor lambd complex": (lambda: penalties.decay_factor(0.1, 1 + 1j, 10), TypeError,
                                             r"lambd must be a real number, got complex"),
    "logistic.fit Y None": (lambda: logistic.fit(X, None), TypeError, r"Y is missing"),
    "logistic.fit huge X": (lambda: logistic.fit(X * 1e200, Y), ValueError,
                            r"X must have entries at most 1e\+100 in size .*got 2\.28e\+200: standardize the features"),
    "logistic.gradients Y not 0/1": (lambda: logistic.gradients(w, 0.0, X, 2 * Y), ValueError,
                                     r"Y must hold labels 0 or 1, got values \[0\.0, 2\.0\]"),
    "network.backward labels 2": (lambda: network.backward(2 * Y, P, CACHE), ValueError,
                                  r"Y must hold labels 0 or 1, got values \[0\.0, 2\.0\]"),
    "network.backward labels -1": (lambda: network.backward(-Y, P, CACHE), ValueError, r"Y must hold labels 0 or 1"),
    "network.backward labels 0.5": (lambda: network.backward(Y * 0.5, P, CACHE), ValueError,
                                    r"Y must hold labels 0 or 1"),
    "network.cost_from_forward cache": (lambda: network.cost_from_forward(None, Y, P), TypeError,
                                        r"cache must be the dict returned by forward\(\), got NoneType"),
    "network.cost_from_forward other m": (lambda: network.cost_from_forward(CACHE, Y[:, :10], P), ValueError,
                                          r"cache must come from forward\(\) on the same m = 10 examples as Y"),
    "network.cost_from_forward penalty": (lambda: network.cost_from_forward(CACHE, Y, P, 1.0, "l0"), ValueError,
                                          r"penalty must be one of \['l1', 'l2'\], got 'l0'"),
    "network.cost Y None": (lambda: network.cost(X, None, P), TypeError, r"Y is missing"),
    "training.train Y None": (lambda: network.train(X, None, [2, 3, 1]), TypeError, r"Y is missing"),
    "training.train X complex": (lambda: network.train(COMPLEX, Y, [2, 3, 1]), TypeError,
                                r"X must hold real numbers, got complex values"),
    "training.train lambd complex": (lambda: network.train(X, Y, [2, 3, 1], lambd=[1j]), TypeError,
                                    r"lambd must hold real numbers"),
    "training.train units too many": (lambda: network.train(X, Y, [2, 10 ** 6, 1]), ValueError,
                                     r"layer_dims\[1\] must be <= 10,000, got 1,000,000"),
    "training.train num_iterations too many": (lambda: network.train(X, Y, [2, 3, 1], num_iterations=10 ** 12),
                                              ValueError, r"num_iterations must be <= 10,000,000"),
    "network.relu None": (lambda: network.relu(None), TypeError, r"Z must be a NumPy array, got NoneType"),
    "network.relu NaN": (lambda: network.relu(np.array([np.nan])), ValueError, r"Z must be finite, got NaN"),
    "network.tanh complex": (lambda: network.tanh(np.array([1j])), TypeError, r"Z must hold real numbers"),
    "network.sigmoid string": (lambda: network.sigmoid("Z"), TypeError, r"Z must be a NumPy array, got str"),
    "network.relu_derivative object": (lambda: network.relu_derivative(OBJECT), TypeError,
                                       r"A must be an array of numbers, got ndarray of dtype object"),
    "network.tanh_derivative inf": (lambda: network.tanh_derivative(np.array([np.inf])), ValueError,
                                    r"A must be finite, got inf"),
    "network.num_layers list": (lambda: network.num_layers([1, 2]), TypeError, r"params must be a dict .*got list"),
    "network.layer_dims_of missing b": (lambda: network.layer_dims_of({"W1": W}), ValueError,
                                        r"params must hold W1, b1, \.\.\., WL, bL, got keys \['W1'\]"),
    "network.cross_entropy ZL two rows": (lambda: network.cross_entropy(np.ones((2, 30)), Y), ValueError,
                                          r"ZL must have 1 rows, got shape \(2, 30\)"),
    "network.cross_entropy Y not 0/1": (lambda: network.cross_entropy(np.ones((1, 30)), Y + 2), ValueError,
                                        r"Y must hold labels 0 or 1"),
    "network.linear_backward dZ shape": (lambda: network.linear_backward(np.ones((2, 30)), X, P["W1"]), ValueError,
                                         r"dZ must have 3 rows, got shape \(2, 30\) — dZ must be \(n\[l\], m\)"),
    "network.linear_backward A_prev rows": (lambda: network.linear_backward(np.ones((3, 30)), XT, P["W1"]),
                                            ValueError, r"A_prev must have 2 rows, got shape \(30, 2\)"),
    "network.linear_backward penalty": (lambda: network.linear_backward(np.ones((3, 30)), X, P["W1"], 1.0, "l3"),
                                        ValueError, r"penalty must be one of \['l1', 'l2'\], got 'l3'"),
    # --- optimizers ----------------------------------------------------------------------------------
    "optimizers.init_state None": (lambda: optimizers.init_state(None), TypeError,
                                   r"params must be a non-empty dict of arrays .*got NoneType"),
    "optimizers.gd_step grads missing": (lambda: optimizers.gd_step(P, {"dW1": G["dW1"]}, 0.1), ValueError,
                                         r"grads must hold the keys \['dW1', 'dW2', 'db1', 'db2'\], got \['dW1'\]"),
    "optimizers.gd_step learning_rate complex": (lambda: optimizers.gd_step(P, G, 1j), TypeError,
                                                 r"learning_rate must be a real number, got complex"),
    "optimizers.adam_step state None": (lambda: optimizers.adam_step(P, G, None), TypeError, r"state must be a dict"),
    "optimizers.adamw_step beta1 1": (lambda: optimizers.adamw_step(P, G, optimizers.init_state(P), beta1=1.0),
                                      ValueError, r"beta1 must be < 1, got 1"),
    "optimizers.train Y None": (lambda: optimizers.train(X, None, P), TypeError, r"Y is missing"),
    "optimizers.train optimizer": (lambda: optimizers.train(X, Y, P, optimizer="sgd"), ValueError,
                                   r"optimizer must be one of \['adam', 'adamw', 'gd'\], got 'sgd'"),
    "optimizers.train batched params": (lambda: optimizers.train(X, Y, BATCHED.params), ValueError,
                                        r"params must hold one network .*got W1 of shape \(2, 3, 2\)"),
    # --- conventions ---------------------------------------------------------------------------------
    "conventions.sklearn_mlp_alpha batch_size without m": (lambda: conventions.sklearn_mlp_alpha(1.0, batch_size=8),
                                                           TypeError, r"needs m .* when batch_size is given"),
    "conventions.lambd_from_sklearn_mlp_alpha alpha < 0": (lambda: conventions.lambd_from_sklearn_mlp_alpha(-1.0),
                                                           ValueError, r"alpha must be >= 0, got -1"),
    "conventions.sklearn_logistic_C lambd complex": (lambda: conventions.sklearn_logistic_C(1j), TypeError,
                                                     r"lambd must be a real number, got complex"),
    "conventions.lambd_from_sklearn_logistic_C C 0": (lambda: conventions.lambd_from_sklearn_logistic_C(0.0),
                                                      ValueError, r"C must be > 0, got 0"),
    "conventions.keras_l2 m 0": (lambda: conventions.keras_l2(1.0, 0), ValueError, r"m must be >= 1, got 0"),
    "conventions.lambd_from_keras_l2 l2 NaN": (lambda: conventions.lambd_from_keras_l2(np.nan, 10), ValueError,
                                               r"l2 must be finite, got nan"),
    "conventions.torch_weight_decay lambd None": (lambda: conventions.torch_weight_decay(None, 10), TypeError,
                                                  r"lambd must be a number, got NoneType"),
    "conventions.lambd_from_torch_weight_decay m float":
        (lambda: conventions.lambd_from_torch_weight_decay(0.1, 2.5), TypeError, r"m must be an integer, got float"),
    "conventions.table lambd < 0": (lambda: conventions.table(-1.0, 10), ValueError, r"lambd must be >= 0, got -1"),
    "conventions.format_table m None": (lambda: conventions.format_table(1.0, None), TypeError,
                                        r"m must be an integer, got NoneType"),
    # --- style and the package ---------------------------------------------------------------------
    "style.rc_params projector int": (lambda: style.rc_params(projector=1), TypeError,
                                      r"projector must be True or False, got int 1"),
    "style.use dark string": (lambda: style.use(dark="yes"), TypeError, r"dark must be True or False, got str"),
    "style.context dark None": (lambda: style.context(dark=None).__enter__(), TypeError,
                                r"dark must be True or False, got NoneType"),
    "style.session projector string": (lambda: style.session(projector="yes"), TypeError,
                                       r"projector must be True or False, got str"),
    "style.from_environment unknown value": (
        lambda: mock.patch.dict(os.environ, {style.ENV_VAR: "beamer"})(style.from_environment)(), ValueError,
        r"REGCOURSE_STYLE must be one of 'default', 'projector', 'dark', 'projector-dark' or unset, got 'beamer'"),
    "style.dress not a box": (lambda: style.dress("a widget"), TypeError,
                              r"box must be an ipywidgets Box \(an explorer's widget\), got str"),
    "regcourse.show_source int": (lambda: regcourse.show_source(3), TypeError,
                                  r"obj must be a regcourse function or class, got int 3"),
    # --- methods of the results ----------------------------------------------------------------------
    "training.Fit.sum_frobenius_sq nothing to check": None,
    "optimizers.Run.divergence nothing to check": None,
    "optimizers.Run.diverged nothing to check": None,
    "style.in_effect nothing to check": None,
    "style.inline_figures_whole nothing to check": None,
    "style.widget_css nothing to check": None,
})
NO_INPUT = {name for name, case in CASES.items() if case is None}   # methods without arguments
CASES = {name: case for name, case in CASES.items() if case is not None}


@pytest.mark.parametrize("call, error, pattern", list(CASES.values()), ids=list(CASES))
def test_bad_input_is_refused_with_a_message_naming_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def public_callables(module) -> set[str]:
    """"function" and "Class.method" for every public function and public method defined in `module`."""
    names = set()
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            names.add(name)
        elif inspect.isclass(obj) and not issubclass(obj, Warning):
            names |= {f"{name}.{attr}" for attr, member in vars(obj).items()
                      if not attr.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))
                      and attr not in ("batched",)}
    return names


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_function_has_a_bad_input_case(module):
    prefix = module.__name__.split(".")[-1] + "."
    covered = set()
    for case in list(CASES) + sorted(NO_INPUT):
        if case.startswith(prefix):
            parts = re.split(r"[ \[]", case[len(prefix):])[0].split(".")
            covered |= {parts[0], ".".join(parts[:2])}
    missing = public_callables(module) - covered
    assert not missing, f"no bad-input case for {sorted(missing)} in {module.__name__}"


def test_the_coverage_test_sees_a_new_function():
    import types

    module = types.ModuleType("regcourse.probe")
    exec("def brand_new(x):\n    return x", module.__dict__)
    assert public_callables(module) == {"brand_new"}


def test_rows_hint_only_when_the_transpose_would_fit():
    with pytest.raises(ValueError) as info:
        network.forward(np.ones((5, 30)), P)
    assert "rows" not in str(info.value)
