"""regcourse.data: shapes, labels, seeding, the geometry of each dataset, features and the split."""

import numpy as np
import pytest

from regcourse import data

NAMES = sorted(data.DATASETS)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("m", [2, 7, 300])
def test_examples_are_columns_with_0_1_labels(name, m):
    X, Y = data.load(name, m=m, seed=3)
    assert X.shape == (2, m) and Y.shape == (1, m)
    assert X.dtype == float and Y.dtype == float
    assert set(np.unique(Y)) <= {0.0, 1.0}
    assert np.isfinite(X).all()


@pytest.mark.parametrize("name", NAMES)
def test_both_classes_are_present(name):
    _, Y = data.load(name, m=300, seed=0)
    assert 0.2 < Y.mean() < 0.8


@pytest.mark.parametrize("name", ["moons", "circles"])
def test_moons_and_circles_are_exactly_balanced(name):
    _, Y = data.load(name, m=301, seed=5)
    assert Y.sum() == 150  # labels alternate before the shuffle: 151 zeros, 150 ones


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data_different_seed_different_data(name):
    X1, Y1 = data.load(name, m=50, seed=11)
    X2, Y2 = data.load(name, m=50, seed=11)
    X3, _ = data.load(name, m=50, seed=12)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", NAMES)
def test_a_generator_may_stand_in_for_the_seed(name):
    X1, Y1 = data.load(name, m=40, seed=np.random.default_rng(4))
    X2, Y2 = data.load(name, m=40, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)


def test_load_is_the_named_generator():
    for name, make in data.DATASETS.items():
        X1, Y1 = data.load(name, m=30, seed=2)
        X2, Y2 = make(m=30, seed=2)
        np.testing.assert_array_equal(X1, X2)
        np.testing.assert_array_equal(Y1, Y2)


def test_nothing_touches_the_global_random_state():
    np.random.seed(1234)
    before = np.random.get_state()
    for name in NAMES:
        X, Y = data.load(name, m=60, seed=1)
    data.polynomial_features(X)
    data.train_dev_test_split(X, Y, seed=1)
    after = np.random.get_state()
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


# --- the geometry of each set, with the noise turned off ------------------------------------------

def test_noiseless_moons_lie_on_their_two_half_circles():
    X, Y = data.make_moons(200, noise=0.0, seed=0)
    upper, lower = X[:, Y[0] == 0], X[:, Y[0] == 1]
    # class 0: unit circle around (0, 0), upper half; class 1: unit circle around (1, 0.5), lower half
    np.testing.assert_allclose(np.hypot(upper[0], upper[1]), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(lower[0] - 1.0, lower[1] - 0.5), 1.0, atol=1e-12)
    assert (upper[1] >= 0).all() and (lower[1] <= 0.5).all()


def test_noiseless_circles_have_radii_1_and_factor():
    X, Y = data.make_circles(200, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(X[0], X[1])
    np.testing.assert_allclose(r[Y[0] == 0], 1.0, atol=1e-12)
    np.testing.assert_allclose(r[Y[0] == 1], 0.3, atol=1e-12)


def test_noiseless_xor_labels_opposite_corners_alike():
    X, Y = data.make_xor(200, noise=0.0, seed=0)
    np.testing.assert_array_equal(np.abs(X), 0.5)
    np.testing.assert_array_equal(Y[0], (X[0] * X[1] < 0).astype(float))  # class 1: signs differ


def test_two_regions_flips_about_the_requested_fraction():
    X0, Y0 = data.make_two_regions(2000, flip=0.0, seed=8)
    X1, Y1 = data.make_two_regions(2000, flip=0.2, seed=8)
    np.testing.assert_array_equal(X0, X1)  # same points, only labels flipped
    assert abs(np.mean(Y0 != Y1) - 0.2) < 0.03
    assert ((X0 >= -1) & (X0 <= 1)).all()


# --- polynomial features --------------------------------------------------------------------------

@pytest.mark.parametrize("degree", range(1, 9))
def test_polynomial_feature_count(degree):
    X, _ = data.make_moons(10)
    assert data.polynomial_features(X, degree).shape == ((degree + 1) * (degree + 2) // 2 - 1, 10)


def test_degree_6_gives_27_features():
    X, _ = data.make_moons(10)
    assert data.polynomial_features(X).shape == (27, 10)


def test_polynomial_features_are_every_monomial_once():
    # At x1 = 2, x2 = 3 the monomial x1^i x2^j equals 2^i 3^j, and distinct (i, j) give distinct numbers:
    # the features must be exactly {2^i 3^j : 1 <= i + j <= 6}.
    features = data.polynomial_features(np.array([[2.0], [3.0]]), 6)[:, 0]
    expected = sorted(2.0 ** i * 3.0 ** j for i in range(7) for j in range(7) if 1 <= i + j <= 6)
    assert sorted(features) == expected


def test_polynomial_features_hand_worked_degree_2():
    # x1 = 2, x2 = 3: x1, x2, x1^2, x1 x2, x2^2 = 2, 3, 4, 6, 9
    np.testing.assert_array_equal(data.polynomial_features(np.array([[2.0], [3.0]]), 2)[:, 0], [2, 3, 4, 6, 9])


# --- train / dev / test split ---------------------------------------------------------------------

def _labelled_columns(m):
    X = np.vstack([np.arange(m, dtype=float), -np.arange(m, dtype=float)])  # row 0 is the example's id
    return X, (np.arange(m) % 2).reshape(1, m).astype(float)


@pytest.mark.parametrize("m, dev, test, sizes", [(100, 0.2, 0.2, (60, 20, 20)), (10, 0.1, 0.3, (6, 1, 3)),
                                                 (50, 0.0, 0.5, (25, 0, 25))])
def test_split_sizes_disjoint_and_covering(m, dev, test, sizes):
    X, Y = _labelled_columns(m)
    split = data.train_dev_test_split(X, Y, dev=dev, test=test, seed=0)
    parts = [(split.X_train, split.Y_train), (split.X_dev, split.Y_dev), (split.X_test, split.Y_test)]
    assert tuple(Xp.shape[1] for Xp, _ in parts) == sizes
    ids = np.concatenate([Xp[0] for Xp, _ in parts])
    np.testing.assert_array_equal(np.sort(ids), np.arange(m))  # every example exactly once
    for Xp, Yp in parts:  # columns stay together: labels follow their examples
        assert Xp.shape[0] == 2 and Yp.shape == (1, Xp.shape[1])
        np.testing.assert_array_equal(Xp[1], -Xp[0])
        np.testing.assert_array_equal(Yp[0], Xp[0] % 2)


def test_split_is_seeded_and_shuffles():
    X, Y = _labelled_columns(100)
    a = data.train_dev_test_split(X, Y, seed=3)
    b = data.train_dev_test_split(X, Y, seed=3)
    c = data.train_dev_test_split(X, Y, seed=4)
    for u, w in zip(a, b):
        np.testing.assert_array_equal(u, w)
    assert not np.array_equal(a.X_train, c.X_train)
    assert not np.array_equal(np.sort(a.X_train[0]), np.arange(60))  # not just the first 60 columns
