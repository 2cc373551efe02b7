"""Every number in Key Account Settings has a range (issue 18: negative interruption days, zero
cadences and the like were accepted, and the jobs crashed on them later)."""

import json
from pathlib import Path

import pytest

from key_account_management.core import settings as rules
from key_account_management.core.settings import Problem, validate_numbers

SETTINGS_JSON = (
	Path(__file__).resolve().parent.parent
	/ "key_account_management/key_account_management/doctype/key_account_settings/key_account_settings.json"
)
GOOD = {
	"period_months": 12,
	"interruption_days": 180,
	"weight_recency": 30,
	"weight_revenue_trend": 25,
	"weight_sow_trend": 15,
	"weight_coverage": 20,
	"weight_visits": 10,
	"cadence_a_days": 30,
	"cadence_b_days": 60,
	"cadence_c_days": 90,
	"follow_up_days": 7,
	"default_yearly_income": 0,
	"per_recipient_per_year": 0,
	"account_budget_amount": 0,
	"account_budget_percent": 0,
	"reapproval_tolerance_percent": 10,
	"receipt_required_above": 0,
}


def codes(problems):
	return [(p.field, p.code) for p in problems]


def test_the_shipped_defaults_are_valid():
	defaults = {}
	for field in json.loads(SETTINGS_JSON.read_text(encoding="utf-8"))["fields"]:
		if field["fieldname"] in rules.RULES:
			defaults[field["fieldname"]] = field.get("default") or 0
	assert validate_numbers(defaults) == []
	assert validate_numbers(GOOD) == []


@pytest.mark.parametrize(
	"field, value",
	[
		("interruption_days", -5),
		("interruption_days", 0),
		("cadence_a_days", 0),
		("cadence_b_days", -60),
		("cadence_c_days", 0),
		("follow_up_days", 0),
		("period_months", 0),
		("weight_visits", -1),
		("default_yearly_income", -100),
		("per_recipient_per_year", -1),
		("account_budget_amount", -0.01),
		("account_budget_percent", -5),
		("reapproval_tolerance_percent", -10),
		("receipt_required_above", -1),
	],
)
def test_negative_and_meaningless_zero_are_refused(field, value):
	problems = validate_numbers({**GOOD, field: value})
	assert codes(problems) == [(field, rules.TOO_LOW)]
	assert problems[0].value == value


@pytest.mark.parametrize(
	"field, value",
	[("account_budget_percent", 150), ("reapproval_tolerance_percent", 100.5), ("period_months", 121)],
)
def test_shares_above_the_whole_are_refused(field, value):
	assert codes(validate_numbers({**GOOD, field: value})) == [(field, rules.TOO_HIGH)]


def test_zero_is_fine_where_it_means_something():
	# a weight of 0 switches a part off; a limit of 0 is no limit; a receipt above 0 means always
	values = {**GOOD, "weight_visits": 0, "per_recipient_per_year": 0, "receipt_required_above": 0}
	assert validate_numbers(values) == []


def test_days_are_whole_and_numbers_are_numbers():
	assert codes(validate_numbers({**GOOD, "interruption_days": 1.5})) == [
		("interruption_days", rules.NOT_A_NUMBER)
	]
	assert codes(validate_numbers({**GOOD, "weight_coverage": "lots"})) == [
		("weight_coverage", rules.NOT_A_NUMBER)
	]
	assert codes(validate_numbers({**GOOD, "interruption_days": float("nan")})) == [
		("interruption_days", rules.NOT_A_NUMBER)
	]


def test_some_health_weight_must_be_above_zero():
	no_weights = {**GOOD, **dict.fromkeys(rules.HEALTH_WEIGHTS, 0)}
	assert codes(validate_numbers(no_weights)) == [("weight_recency", rules.NO_WEIGHT)]


def test_every_problem_is_reported_with_table_rows():
	problems = validate_numbers(
		{**GOOD, "interruption_days": -1, "cadence_a_days": 0},
		{
			"approval_bands": [{"up_to_amount": 1000}, {"up_to_amount": -5}],
			"event_limits": [{"per_recipient_amount": -200}],
		},
	)
	assert problems == [
		Problem("interruption_days", rules.TOO_LOW, -1, 1),
		Problem("cadence_a_days", rules.TOO_LOW, 0, 1),
		Problem("up_to_amount", rules.TOO_LOW, -5, 0, row=2, table="approval_bands"),
		Problem("per_recipient_amount", rules.TOO_LOW, -200, 0, row=1, table="event_limits"),
	]


def test_every_numeric_setting_has_a_rule():
	"""A number added to the settings gets a range here (or is validated where its feature lives)."""
	own = set(rules.RULES) | {"a_threshold", "b_threshold"}
	numeric = {
		field["fieldname"]
		for field in json.loads(SETTINGS_JSON.read_text(encoding="utf-8"))["fields"]
		if field["fieldtype"] in ("Int", "Float", "Currency", "Percent")
	}
	# the funnel's grade bands and screen are checked by its own settings validation
	delegated = {name for name in numeric if name.startswith(("grade_", "screen_", "funnel_"))}
	assert numeric - delegated <= own, sorted(numeric - delegated - own)
