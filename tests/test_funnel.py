import datetime as dt

import pytest

from key_account_management.core.funnel import (
	BAND_DAYS_ORDER,
	BAND_DAYS_RANGE,
	BAND_GRADES,
	BAND_PROBABILITY_ORDER,
	BAND_PROBABILITY_RANGE,
	BAND_SAME,
	DEFAULT_BANDS,
	MAX_SCREEN_TOTAL,
	WON,
	GradeBand,
	ScreenRule,
	days_to_close,
	effective_grade,
	grade,
	graded_likelihood,
	invalid_scores,
	screen,
	unscored,
	validate_bands,
	validate_screen_rule,
)
from key_account_management.core.funnel_stages import (
	DEFAULT_STAGES,
	FunnelStage,
	conversion,
	funnel_steps,
	furthest_stage,
	is_open,
	is_small_order,
	month_of,
	next_milestone,
	passed_open_milestones,
	stage_sequence,
	validate_stages,
	weighted,
)

TODAY = dt.date(2026, 3, 15)


def bands(a=(30, 70), b=(90, 50), c=(180, 20)):
	return (GradeBand("A", *a), GradeBand("B", *b), GradeBand("C", *c))


# --- grading ------------------------------------------------------------------------------------


def test_default_bands_follow_the_seeds_and_are_valid():
	assert validate_bands(DEFAULT_BANDS) == []
	by_grade = {band.grade: band for band in DEFAULT_BANDS}
	assert (by_grade["A"].within_days, by_grade["A"].min_probability) == (30, 70)
	assert by_grade["C"].min_probability == 20  # D: no close date or below 20 %


@pytest.mark.parametrize(
	"days, likelihood, expected",
	[
		(0, 70, "A"),  # closes today
		(30, 70, "A"),  # both edges of A included
		(31, 70, "B"),  # one day too far for A
		(30, 69.99, "B"),  # just too unlikely for A
		(90, 50, "B"),
		(91, 100, "C"),
		(90, 49, "C"),
		(180, 20, "C"),
		(181, 100, "D"),  # too far away
		(10, 19.99, "D"),  # too unlikely
		(None, 100, "D"),  # no close date
		(-1, 100, "D"),  # close date passed: it needs a new estimate
		(5, None, "D"),
	],
)
def test_grade_by_days_and_likelihood(days, likelihood, expected):
	assert grade(days, likelihood, DEFAULT_BANDS) == expected


def test_grade_uses_the_bands_given():
	tight = bands(a=(7, 90), b=(14, 80), c=(21, 60))
	assert grade(10, 95, tight) == "B"
	assert grade(10, 95, DEFAULT_BANDS) == "A"
	# the order the bands are listed in does not matter
	assert grade(10, 95, tuple(reversed(tight))) == "B"


def test_days_to_close_counts_calendar_days():
	assert days_to_close(dt.date(2026, 4, 14), TODAY) == 30
	assert days_to_close(TODAY, TODAY) == 0
	assert days_to_close(dt.date(2026, 3, 14), TODAY) == -1
	assert days_to_close(None, TODAY) is None


def test_grade_follows_the_date_as_days_pass():
	close = dt.date(2026, 5, 14)  # 60 days ahead of TODAY
	grades = [
		grade(days_to_close(close, TODAY + dt.timedelta(days=n)), 75, DEFAULT_BANDS)
		for n in (0, 29, 30, 60, 61)
	]
	assert grades == ["B", "B", "A", "A", "D"]


@pytest.mark.parametrize(
	"given, kinds",
	[
		(bands(), []),
		(bands(a=(30, 70), b=(20, 50)), [(BAND_DAYS_ORDER, "B", "A")]),  # B nearer than A: crossing
		(bands(b=(90, 80)), [(BAND_PROBABILITY_ORDER, "B", "A")]),  # B more likely than A
		(bands(b=(30, 70)), [(BAND_SAME, "B", "A")]),  # B the same as A: nobody gets B
		(bands(a=(-1, 70)), [(BAND_DAYS_RANGE, "A", None)]),
		(bands(c=(4000, 20)), [(BAND_DAYS_RANGE, "C", None)]),
		(bands(a=(30, 101)), [(BAND_PROBABILITY_RANGE, "A", None)]),
		(bands(c=(180, -5)), [(BAND_PROBABILITY_RANGE, "C", None)]),
		(bands(a=(30.5, 70)), [(BAND_DAYS_RANGE, "A", None)]),
	],
)
def test_bands_must_be_nested_and_in_range(given, kinds):
	assert [(p.kind, p.grade, p.other) for p in validate_bands(given)] == kinds


def test_bands_need_one_each_of_a_b_c():
	problems = validate_bands((GradeBand("A", 30, 70), GradeBand("A", 60, 50), GradeBand("C", 90, 20)))
	assert [p.kind for p in problems] == [BAND_GRADES]
	assert validate_bands(())[0].kind == BAND_GRADES


def test_override_wins_while_valid():
	assert effective_grade("C", "A", None, TODAY) == ("A", True)
	assert effective_grade("C", "A", TODAY, TODAY) == ("A", True)  # the last day included
	assert effective_grade("C", "A", TODAY - dt.timedelta(days=1), TODAY) == ("C", False)
	assert effective_grade("C", None, None, TODAY) == ("C", False)


# --- screening ----------------------------------------------------------------------------------


def scores(scale, funding, relationship):
	return {"scale_budget": scale, "funding_credit": funding, "relationship": relationship}


def test_screen_totals_and_caps_the_likelihood():
	result = screen(scores(3, 3, 3))
	assert (result.total, result.max_total, result.passed) == (9, 15, True)
	assert result.likelihood == 60.0  # 9 / 15
	# the salesperson's 90 % counts as 60 %, a lower probability stands
	assert graded_likelihood(90, result) == 60.0
	assert graded_likelihood(40, result) == 40.0
	assert graded_likelihood(90, None) == 90.0  # not screened: the probability alone
	assert graded_likelihood(None, None) == 0.0


def test_screen_fails_below_the_pass_mark_or_on_a_knock_out_factor():
	low = screen(scores(3, 3, 2))  # 8 < 9
	assert (low.passed, low.below_pass_mark, low.knocked_out) == (False, True, ())
	# 5 + 1 + 5 = 11 passes the mark, but funding at 1 alone kills it
	knocked = screen(scores(5, 1, 5))
	assert (knocked.passed, knocked.below_pass_mark, knocked.knocked_out) == (
		False,
		False,
		("funding_credit",),
	)
	assert screen(scores(5, 1, 5), ScreenRule(pass_total=9, knockout_below=0)).passed
	assert screen(scores(5, 5, 5)).likelihood == 100.0
	assert MAX_SCREEN_TOTAL == 15


def test_partial_screen_is_not_a_result_and_bad_scores_are_named():
	assert screen(scores(3, 0, 3)) is None
	assert unscored(scores(3, 0, None)) == ["funding_credit", "relationship"]
	assert invalid_scores(scores(6, -1, 3)) == ["scale_budget", "funding_credit"]
	assert invalid_scores(scores(0, None, 5)) == []


def test_screen_rule_ranges():
	assert validate_screen_rule(ScreenRule(9, 2)) == []
	assert validate_screen_rule(ScreenRule(2, 2)) == ["pass_total"]
	assert validate_screen_rule(ScreenRule(16, 6)) == ["pass_total", "knockout_below"]


# --- stages and milestones ------------------------------------------------------------------------


def test_default_stages_are_the_six_of_the_seeds():
	assert [s.name for s in DEFAULT_STAGES] == [
		"Development",
		"Entry",
		"Proposal",
		"Bidding",
		"Negotiation",
		"Implementation",
	]
	assert [s.sequence for s in DEFAULT_STAGES] == [1, 2, 3, 4, 5, 6]
	assert {s.name: s.milestone for s in DEFAULT_STAGES}["Negotiation"] == "Contract signed"
	assert validate_stages(DEFAULT_STAGES) == []


def test_stage_problems():
	stages = (FunnelStage("X", 1, "m"), FunnelStage("Y", 1, "m"), FunnelStage("Z", 0, " "))
	assert validate_stages(stages) == [("sequence", "Z"), ("milestone", "Z"), ("sequence", "Y")]


def test_moving_past_open_milestones():
	stages = DEFAULT_STAGES
	# Development -> Entry with Development's milestone done: nothing open is passed
	assert passed_open_milestones("Development", "Entry", stages, {"Development"}) == []
	assert passed_open_milestones("Development", "Entry", stages, set()) == ["Development"]
	# a jump passes every stage in between
	assert passed_open_milestones("Entry", "Negotiation", stages, {"Entry", "Bidding"}) == ["Proposal"]
	# a new opportunity starts at the first stage; one entered at Proposal passed two stages
	assert passed_open_milestones(None, "Proposal", stages, set()) == ["Development", "Entry"]
	assert passed_open_milestones(None, "Development", stages, set()) == []
	# moving back or staying passes nothing
	assert passed_open_milestones("Bidding", "Entry", stages, set()) == []
	assert passed_open_milestones("Bidding", "Bidding", stages, set()) == []
	# ERPNext's own stages (outside the funnel) count as the first stage
	assert passed_open_milestones("Prospecting", "Entry", stages, set()) == ["Development"]
	assert stage_sequence("Prospecting", stages) == 1
	assert stage_sequence("Prospecting", ()) is None


def test_furthest_and_next_milestone():
	stages = DEFAULT_STAGES
	assert furthest_stage("Entry", "Bidding", stages) == "Bidding"
	assert furthest_stage("Bidding", "Entry", stages) == "Bidding"
	assert furthest_stage("Prospecting", None, stages) == "Development"
	assert next_milestone("Entry", stages, {"Development"}).name == "Entry"
	assert next_milestone("Entry", stages, {"Entry", "Proposal"}).name == "Bidding"
	assert next_milestone("Implementation", stages, {"Implementation"}) is None


# --- counting -----------------------------------------------------------------------------------


def test_funnel_steps_against_a_hand_count():
	# ten opportunities: furthest stage reached (sequence) and whether won
	opportunities = [(1, False)] * 4 + [(2, False)] * 2 + [(3, False)] * 2 + [(5, True), (6, True)]
	steps = funnel_steps(opportunities, DEFAULT_STAGES)
	assert [s.step for s in steps] == [s.name for s in DEFAULT_STAGES] + [WON]
	# by hand: all 10 reached Development, 6 reached Entry, 4 Proposal, 2 Bidding, 2 Negotiation,
	# 1 Implementation; 2 won
	assert [s.reached for s in steps] == [10, 6, 4, 2, 2, 1, 2]
	assert [s.conversion_to_next for s in steps] == [60.0, 400 / 6, 50.0, 100.0, 50.0, 200.0, None]
	assert [s.per_ten_leads for s in steps] == [10, 6, 4, 2, 2, 1, 2]
	assert [s.rule_of_thumb for s in steps] == [10, 5, 3, None, None, None, 1]


def test_funnel_steps_of_nothing():
	assert funnel_steps([], ()) == []
	steps = funnel_steps([], DEFAULT_STAGES)
	assert [s.reached for s in steps] == [0] * 7
	assert all(s.conversion_to_next is None and s.per_ten_leads is None for s in steps)
	# None counts as the first stage
	assert funnel_steps([(None, False)], DEFAULT_STAGES)[0].reached == 1


def test_small_orders_weights_and_statuses():
	assert is_small_order(999.99, 1000)
	assert not is_small_order(1000, 1000)
	assert not is_small_order(10, 0)
	assert not is_small_order(10, None)
	assert weighted(20000, 35) == 7000
	assert weighted(None, 50) == 0
	assert conversion(0, 0) is None
	assert conversion(4, 1) == 25
	assert [is_open(s) for s in ("Open", "Replied", "Quotation", "Converted", "Lost", "Closed")] == [
		True,
		True,
		True,
		False,
		False,
		False,
	]
	assert month_of(dt.date(2026, 3, 31)) == "2026-03"
