import pytest

from stats import mean, stdev


def test_mean():
    assert mean([1, 2, 3, 4]) == pytest.approx(2.5)


def test_mean_negative():
    assert mean([-2, 2, -4, 4.5]) == pytest.approx(0.125)


def test_stdev():
    assert stdev([2, 4, 4, 4, 5, 5, 7, 9]) == pytest.approx(2.0)


def test_stdev_constant():
    assert stdev([3, 3, 3]) == pytest.approx(0.0)


def test_empty_raises():
    with pytest.raises(ValueError):
        mean([])
    with pytest.raises(ValueError):
        stdev([])
