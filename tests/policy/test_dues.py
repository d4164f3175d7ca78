"""党费: brackets, rounding, and amounts as members type them."""

from __future__ import annotations

from decimal import Decimal

import pytest


@pytest.mark.parametrize(
    ("income", "rate", "amount"),
    [
        ("2800", "0.5", "14"),
        ("3000", "0.5", "15"),  # 含3000: the lower bracket
        ("3000.01", "1", "30"),
        ("4500", "1", "45"),
        ("5000", "1", "50"),
        ("5200", "1.5", "78"),  # the whole amount at 1.5%, not progressive
        ("6500", "1.5", "97.5"),
        ("8000", "1.5", "120"),
        ("8000.5", "1.5", "120.01"),  # 120.0075 rounded half up to 分
        ("10000", "1.5", "150"),
        ("10001", "2", "200.02"),
        ("12000", "2", "240"),
    ],
)
def test_brackets_and_amounts(income: str, rate: str, amount: str) -> None:
    from plugins.policy.dues import monthly_dues, yuan

    dues = monthly_dues(Decimal(income))
    assert yuan(dues.bracket.rate) == rate
    assert yuan(dues.amount) == amount


def test_rounding_step_as_the_branch_does() -> None:
    from plugins.policy.dues import monthly_dues, yuan

    assert yuan(monthly_dues(Decimal(6500), Decimal("1")).amount) == "98"
    assert yuan(monthly_dues(Decimal(6500), Decimal("0.1")).amount) == "97.5"
    assert yuan(monthly_dues(Decimal("6533"), Decimal("0.1")).amount) == "98"  # 97.995


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("6000", "6000"),
        ("6千", "6000"),
        ("1.2万", "12000"),
        ("六千元", "6000"),
        ("8000.5", "8000.5"),
        ("６０００", "6000"),
        ("6,000元", "6000"),
        ("￥6000", "6000"),
        ("税后6000", "6000"),
        ("8000元/月", "8000"),
        ("一万二", "12000"),
        ("六千五", "6500"),
        ("三千零五", "3005"),
        ("两万", "20000"),
        ("一点二万", "12000"),
        ("3k", "3000"),
    ],
)
def test_amounts_as_typed(typed: str, value: str) -> None:
    from plugins.policy.dues import parse_amount, yuan

    assert yuan(parse_amount(typed)) == value


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-5000", "收入不能是负数"),
        ("负三千", "收入不能是负数"),
        ("abc", "看不懂「abc」这个数额"),
        ("六六", "看不懂「六六」这个数额"),
        ("1.2.3", "看不懂「1.2.3」这个数额"),
        ("1e9", "看不懂「1e9」这个数额"),
        ("%'\"\\", "看不懂「%'\"\\」这个数额"),
        ("元", "请写上月收入的数额"),
    ],
)
def test_nonsense_amounts(typed: str, reason: str) -> None:
    from plugins.policy.dues import AmountError, parse_amount

    with pytest.raises(AmountError) as caught:
        parse_amount(typed)
    assert caught.value.reason == reason


def test_amount_in_a_question() -> None:
    from plugins.policy.dues import amount_in

    assert amount_in("工资8000交多少党费") == Decimal(8000)
    assert amount_in("八千五交多少党费") == Decimal(8500)
    assert amount_in("工资1.2万党费多少") == Decimal(12000)
    assert amount_in("2024年党费怎么交") is None
    assert amount_in("党章第3条") is None
    assert amount_in("党费") is None
