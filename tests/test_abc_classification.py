import datetime as dt

import pytest

from key_account_management.core.abc_classification import (
	class_counts,
	classify,
	effective_class,
	validate_thresholds,
)
from key_account_management.core.periods import add_months, trailing_period


def classes(result):
	return {name: c.abc_class for name, c in result.items()}


def test_pareto_classes_with_default_thresholds():
	values = {"C1": 500, "C2": 300, "C3": 100, "C4": 60, "C5": 30, "C6": 10}
	result = classify(values)
	# cumulative above: C1 0, C2 50, C3 80, C4 90, C5 96, C6 99
	assert classes(result) == {"C1": "A", "C2": "A", "C3": "B", "C4": "B", "C5": "C", "C6": "C"}
	assert result["C1"].rank == 1 and result["C6"].rank == 6
	assert result["C2"].share == pytest.approx(30.0)
	assert result["C2"].cumulative_share == pytest.approx(80.0)
	assert result["C6"].cumulative_share == pytest.approx(100.0)


def test_top_customer_is_always_a_even_when_it_dominates():
	result = classify({"BIG": 990, "SMALL": 10})
	# SMALL has 99% of the total above it: past the B threshold
	assert classes(result) == {"BIG": "A", "SMALL": "C"}


def test_zero_and_negative_basis_are_c_and_do_not_count_in_total():
	result = classify({"P": 100, "Z": 0, "N": -50})
	assert classes(result) == {"P": "A", "Z": "C", "N": "C"}
	assert result["P"].share == pytest.approx(100.0)
	assert result["N"].rank == 3


def test_all_non_positive_gives_all_c():
	assert set(classes(classify({"X": 0, "Y": -1})).values()) == {"C"}


def test_ties_are_ranked_by_customer_id():
	result = classify({"b": 10, "a": 10, "c": 10})
	assert [result[n].rank for n in ("a", "b", "c")] == [1, 2, 3]


def test_custom_thresholds_move_the_boundaries():
	values = {"C1": 50, "C2": 30, "C3": 20}
	assert classes(classify(values, 50, 70)) == {"C1": "A", "C2": "B", "C3": "C"}
	# C3 has 80% above it: still under an A threshold of 90
	assert classes(classify(values, 90, 99)) == {"C1": "A", "C2": "A", "C3": "A"}
	assert classes(classify(values, 75, 85)) == {"C1": "A", "C2": "A", "C3": "B"}


def test_empty_input():
	assert classify({}) == {}


@pytest.mark.parametrize("a,b", [(0, 95), (80, 101), (95, 80), (80, 80), (-5, 50), (None, 95)])
def test_bad_thresholds_are_rejected(a, b):
	with pytest.raises(ValueError):
		validate_thresholds(a, b)


def test_large_input_is_fast_and_consistent():
	values = {f"CUST-{i:06d}": float((i * 7919) % 100000) - 500 for i in range(50000)}
	result = classify(values)
	counts = class_counts(classes(result))
	assert sum(counts.values()) == 50000
	assert counts["A"] and counts["B"] and counts["C"]
	ranked = sorted(result.values(), key=lambda c: c.rank)
	assert all(x.value >= y.value for x, y in zip(ranked, ranked[1:]))
	# classes never go back up along the ranking
	assert [c.abc_class for c in ranked] == sorted(c.abc_class for c in ranked)


def test_override_wins_only_while_valid():
	assert effective_class("C", "A", True) == "A"
	assert effective_class("C", "A", False) == "C"
	assert effective_class("B", None, True) == "B"


def test_periods():
	assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
	assert trailing_period(dt.date(2026, 11, 22), 12) == (dt.date(2025, 11, 23), dt.date(2026, 11, 22))
	with pytest.raises(ValueError):
		trailing_period(dt.date(2026, 11, 22), 0)


def test_calendar_months():
	from key_account_management.core.periods import calendar_months, month_end, months_between

	assert calendar_months(dt.date(2026, 11, 22), 12) == (dt.date(2025, 12, 1), dt.date(2026, 11, 30))
	assert calendar_months(dt.date(2026, 1, 1), 1) == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
	assert calendar_months(dt.date(2024, 2, 10), 24) == (dt.date(2022, 3, 1), dt.date(2024, 2, 29))
	assert month_end(dt.date(2025, 2, 3)) == dt.date(2025, 2, 28)
	assert len(months_between(*calendar_months(dt.date(2026, 11, 22), 12))) == 12
	assert months_between(dt.date(2025, 12, 31), dt.date(2026, 1, 1)) == [
		dt.date(2025, 12, 1),
		dt.date(2026, 1, 1),
	]
	with pytest.raises(ValueError):
		calendar_months(dt.date(2026, 11, 22), 0)
