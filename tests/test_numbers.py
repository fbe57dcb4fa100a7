import pytest

from casex.normalizers.numbers import parse_exponent, parse_number, parse_power_of_ten


@pytest.mark.parametrize(
    ("written", "count", "value"),
    [
        ("1,3", False, 1.3),
        ("0,8", False, 0.8),
        ("7.3", False, 7.3),
        ("2,400", True, 2400),
        ("11,900", True, 11900),
        ("1,250", False, 1250),
        ("168.000", True, 168000),
        ("13.000", True, 13000),
        ("1.250", False, 1.25),
        ("0.003", True, 0.003),
        ("36 790", True, 36790),
        ("36\u00a0790", True, 36790),
        ("1.234,5", False, 1234.5),
        ("1,234.5", False, 1234.5),
        ("10-3", False, 0.001),
        ("10^-4", False, 0.0001),
        ("10⁻⁵", False, 0.00001),
    ],
)
def test_parse_number(written, count, value):
    assert parse_number(written, count=count) == pytest.approx(value)


@pytest.mark.parametrize(
    ("written", "exponent"), [("×10^9", 9), ("x10(9)", 9), ("× 10⁹", 9), ("10E12", 12)]
)
def test_parse_exponent(written, exponent):
    assert parse_exponent(written) == exponent


def test_plain_number_is_not_a_power_of_ten():
    assert parse_power_of_ten("103") is None


def test_not_a_number_raises():
    with pytest.raises(ValueError):
        parse_number("  ")
