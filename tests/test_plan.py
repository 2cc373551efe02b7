"""The account plan's arithmetic (core/plan.py, docs/DOMAIN.md §10): expected by now, status, bad input."""

from datetime import date

import pytest

from key_account_management.core import plan

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def test_elapsed_share_counts_days_both_ends_included():
	assert plan.elapsed_share(*YEAR, date(2025, 12, 31)) == 0.0
	assert plan.elapsed_share(*YEAR, date(2026, 1, 1)) == pytest.approx(1 / 365)
	assert plan.elapsed_share(*YEAR, date(2026, 7, 2)) == pytest.approx(183 / 365)
	assert plan.elapsed_share(*YEAR, date(2026, 12, 31)) == 1.0
	assert plan.elapsed_share(*YEAR, date(2027, 3, 1)) == 1.0


def test_expected_by_now_is_linear_without_history():
	assert plan.expected_by_now(plan.NET_REVENUE, 365_000, *YEAR, date(2026, 1, 10)) == pytest.approx(10_000)


def test_expected_by_now_follows_last_years_shape():
	# last year sold everything in December: on 30 June nothing is expected yet
	shape = [0.0] * 11 + [120.0]
	assert plan.expected_by_now(plan.NET_REVENUE, 1000, *YEAR, date(2026, 6, 30), shape) == pytest.approx(0)
	# an even year: half by the end of June
	even = [10.0] * 12
	assert plan.expected_by_now(plan.GROSS_PROFIT, 1000, *YEAR, date(2026, 6, 30), even) == pytest.approx(500)


def test_last_years_shape_needs_a_whole_year_of_history():
	start = date(2026, 1, 1)
	assert plan.has_a_year_of_history(date(2024, 6, 1), start)
	assert plan.has_a_year_of_history(date(2025, 1, 1), start)
	# an account that began buying in November: two months are no season
	assert not plan.has_a_year_of_history(date(2025, 11, 1), start)
	assert not plan.has_a_year_of_history(None, start)
	assert plan.has_a_year_of_history(date(2024, 4, 1), date(2025, 4, 1))


def test_a_year_without_sales_falls_back_to_time():
	assert plan.shaped_share([0.0] * 12, 6) is None
	assert plan.shaped_share([5.0] * 11, 6) is None
	assert plan.expected_by_now(plan.NET_REVENUE, 365, *YEAR, date(2026, 1, 31), [0.0] * 12) == pytest.approx(
		31
	)


@pytest.mark.parametrize("measure", [plan.SHARE_OF_WALLET, plan.COVERAGE, plan.HEALTH_SCORE, plan.MILESTONE])
def test_level_measures_are_expected_at_their_target(measure):
	assert plan.expected_by_now(measure, 60, *YEAR, date(2026, 2, 1)) == 60


@pytest.mark.parametrize(
	"actual, target, expected, done, over, status",
	[
		(100, 100, 50, False, False, plan.ACHIEVED),
		(120, 100, 100, False, True, plan.ACHIEVED),
		(0, 0, 0, True, False, plan.ACHIEVED),
		(50, 100, 50, False, False, plan.ON_TRACK),
		(40, 100, 50, False, False, plan.BEHIND),
		(39.9, 100, 50, False, False, plan.AT_RISK),
		(90, 100, 100, False, True, plan.AT_RISK),
		(0, 100, 0, False, False, plan.ON_TRACK),
	],
)
def test_status(actual, target, expected, done, over, status):
	assert plan.status(actual, target, expected, done=done, period_over=over) == status


def test_progress_percent():
	assert plan.progress_percent(25, 200) == 12.5
	assert plan.progress_percent(5, 0) == 0.0


@pytest.mark.parametrize(
	"measure, target, field",
	[
		(plan.NET_REVENUE, 0, "target"),
		(plan.NET_REVENUE, -5, "target"),
		(plan.NET_REVENUE, None, "target"),
		(plan.SHARE_OF_WALLET, 101, "target"),
		(plan.COVERAGE, 150, "target"),
		(plan.HEALTH_SCORE, 120, "target"),
		("Happiness", 5, "measure"),
	],
)
def test_bad_targets_name_the_field(measure, target, field):
	problems = plan.measure_problems(measure, target)
	assert [problem.field for problem in problems] == [field]
	assert problems[0].message


def test_a_milestone_done_needs_its_date():
	assert plan.measure_problems(plan.MILESTONE, None, done=True)[0].field == "done_date"
	assert plan.measure_problems(plan.MILESTONE, None, done_date=date(2026, 3, 1), done=True) == []


def test_a_period_that_ends_before_it_starts_is_refused():
	assert plan.period_problems(date(2026, 12, 31), date(2026, 1, 1))[0].field == "period_end"
	assert plan.period_problems(None, date(2026, 1, 1))[0].field == "period_start"
	assert plan.period_problems(*YEAR) == []
