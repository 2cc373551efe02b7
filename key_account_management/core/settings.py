"""What each number in Key Account Settings may be (docs/DOMAIN.md §2, §3, §5, §6).

Every numeric setting has a range: days and months count from 1 (a cadence of 0 days or an interruption
after −5 days means nothing), weights, amounts and limits from 0 (0 switches a health part off, or means
"no limit" for the spending limits), and percentages of a whole stop at 100. The health weights are
shared out among the parts, so at least one of them must be above 0.

Nothing here imports frappe: Key Account Settings and the jobs that read it pass plain values in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

TOO_LOW = "too_low"
TOO_HIGH = "too_high"
NOT_A_NUMBER = "not_a_number"
NO_WEIGHT = "no_weight"


@dataclass(frozen=True)
class NumberRule:
	minimum: float = 0
	maximum: float | None = None
	whole: bool = False  # a count of days or months


DAYS = NumberRule(1, whole=True)
AMOUNT = NumberRule(0)
WEIGHT = NumberRule(0, whole=True)
SHARE = NumberRule(0, 100)

HEALTH_WEIGHTS = (
	"weight_recency",
	"weight_revenue_trend",
	"weight_sow_trend",
	"weight_coverage",
	"weight_visits",
)

RULES: dict[str, NumberRule] = {
	"period_months": NumberRule(1, 120, whole=True),
	"interruption_days": DAYS,
	**dict.fromkeys(HEALTH_WEIGHTS, WEIGHT),
	"cadence_a_days": DAYS,
	"cadence_b_days": DAYS,
	"cadence_c_days": DAYS,
	"follow_up_days": DAYS,
	"default_yearly_income": AMOUNT,
	# spending limits: 0 is "no limit"
	"per_recipient_per_year": AMOUNT,
	"account_budget_amount": AMOUNT,
	"account_budget_percent": SHARE,
	"reapproval_tolerance_percent": SHARE,
	# 0: a receipt is always required
	"receipt_required_above": AMOUNT,
	# whitespace: the item group tree's level (its depth is checked against the tree, whitespace/levels.py)
	"whitespace_item_group_level": NumberRule(1, 20, whole=True),
}
# numbers in the settings' tables: table field -> column -> rule
TABLE_RULES: dict[str, dict[str, NumberRule]] = {
	"approval_bands": {"up_to_amount": AMOUNT},
	"event_limits": {"per_recipient_amount": AMOUNT},
}


@dataclass(frozen=True)
class Problem:
	field: str
	code: str
	value: object = None
	bound: float | None = None
	row: int | None = None  # the row of a table, from 1
	table: str | None = None


def _number(value) -> float | None:
	if value is None or value == "":
		return 0.0
	if isinstance(value, bool):
		return float(value)
	try:
		return float(value)
	except (TypeError, ValueError):
		return None


def check_number(field: str, value, rule: NumberRule, row: int | None = None, table: str | None = None):
	"""The problem with one value under its rule, or None. An empty value counts as 0."""
	number = _number(value)
	if number is None or number != number:  # not a number, or NaN
		return Problem(field, NOT_A_NUMBER, value, row=row, table=table)
	if rule.whole and number != int(number):
		return Problem(field, NOT_A_NUMBER, value, row=row, table=table)
	if number < rule.minimum:
		return Problem(field, TOO_LOW, value, rule.minimum, row, table)
	if rule.maximum is not None and number > rule.maximum:
		return Problem(field, TOO_HIGH, value, rule.maximum, row, table)
	return None


def validate_numbers(values: Mapping, tables: Mapping[str, list[Mapping]] | None = None) -> list[Problem]:
	"""Every numeric setting out of its range, in the order of ``RULES`` then the tables' rows.

	``values`` maps a field to its value (fields not in it are not checked: a caller may check a part);
	``tables`` maps a table field to its rows. The health weights together must leave something to share
	out: at least one above 0."""
	problems: list[Problem] = []
	for field, rule in RULES.items():
		if field in values:
			problem = check_number(field, values[field], rule)
			if problem:
				problems.append(problem)
	weights = [values[field] for field in HEALTH_WEIGHTS if field in values]
	if len(weights) == len(HEALTH_WEIGHTS) and all((_number(w) or 0) <= 0 for w in weights):
		if not any(p.field in HEALTH_WEIGHTS for p in problems):
			problems.append(Problem(HEALTH_WEIGHTS[0], NO_WEIGHT))
	for table, columns in TABLE_RULES.items():
		for index, row in enumerate((tables or {}).get(table) or [], start=1):
			for column, rule in columns.items():
				problem = check_number(column, row.get(column), rule, index, table)
				if problem:
					problems.append(problem)
	return problems
