import pytest

from key_account_management.core.health import HEALTH_PARTS, HealthResult, HealthWeights, health_score
from key_account_management.core.relationship import (
	AT_RISK_REVENUE_DROP,
	DEFAULT_PLAYBOOKS,
	DEFAULT_STAGES,
	FLAG_ESTIMATE_TOO_LOW,
	FLAG_NO_ESTIMATE,
	STATUSES,
	Stage,
	account_status,
	business_loss,
	interruption_causes,
	share_of_wallet,
	skips_stages,
	sow_flags,
	suggest_stage,
	validate_stage_ranges,
)


def stages(*ranges, interrupted=True):
	"""Stages S1, S2, ... with the given (from, to) ranges, plus an Interrupted flag stage."""
	result = [Stage(f"S{i}", i, low, high) for i, (low, high) in enumerate(ranges, start=1)]
	if interrupted:
		result.append(Stage("Interrupted", len(ranges) + 1, interrupted=True))
	return result


# --- defaults -----------------------------------------------------------------------------------


def test_default_stages_are_valid_and_match_domain():
	assert validate_stage_ranges(DEFAULT_STAGES) == []
	by_name = {s.name: s for s in DEFAULT_STAGES}
	assert [s.name for s in sorted(DEFAULT_STAGES, key=lambda s: s.sequence)] == [
		"Incubation",
		"Early",
		"Middle",
		"Strategic Partner",
		"Interrupted",
	]
	assert (by_name["Incubation"].sow_from, by_name["Incubation"].sow_to) == (0, 30)
	assert (by_name["Early"].sow_from, by_name["Early"].sow_to) == (30, 50)
	assert (by_name["Middle"].sow_from, by_name["Middle"].sow_to) == (50, 100)
	assert by_name["Strategic Partner"].sow_from == 100
	assert by_name["Interrupted"].interrupted
	assert by_name["Interrupted"].sow_from is None and by_name["Interrupted"].sow_to is None


def test_every_default_stage_has_a_playbook_of_short_sentences():
	assert set(DEFAULT_PLAYBOOKS) == {s.name for s in DEFAULT_STAGES}
	for actions in DEFAULT_PLAYBOOKS.values():
		assert actions
		for action in actions:
			assert action[0].isupper() and action.endswith(".")
			assert len(action) <= 80


# --- validate_stage_ranges ------------------------------------------------------------------------


def test_valid_custom_ranges_including_finite_top():
	assert validate_stage_ranges(stages((0, 20), (20, 60), (60, 100))) == []


def test_interrupted_stage_is_exempt_from_ranges():
	assert (
		validate_stage_ranges(
			[*stages((0, 50), (50, None), interrupted=False), Stage("Gone", 9, interrupted=True)]
		)
		== []
	)
	# even a range on an interrupted stage is ignored
	odd = Stage("Gone", 9, 10, 20, interrupted=True)
	assert validate_stage_ranges([*stages((0, 50), (50, None), interrupted=False), odd]) == []


def test_overlap_is_reported():
	problems = validate_stage_ranges(stages((0, 30), (25, 50), (50, None)))
	assert len(problems) == 1
	assert "overlaps" in problems[0] and "S1" in problems[0] and "S2" in problems[0]


def test_overlap_with_a_stage_that_is_not_the_neighbour():
	problems = validate_stage_ranges(stages((0, 100), (10, 20), (20, 30), (100, None)))
	overlaps = [p for p in problems if "overlaps" in p]
	assert len(overlaps) == 2  # S1 with S2 and S1 with S3


def test_open_upper_bound_below_the_top_overlaps():
	problems = validate_stage_ranges(stages((0, None), (50, None)))
	assert any("overlaps" in p for p in problems)


def test_gap_is_reported():
	problems = validate_stage_ranges(stages((0, 30), (40, 50), (50, None)))
	assert problems == ["No stage covers SoW from 30% to 40%."]


def test_from_not_below_to_is_reported():
	equal = validate_stage_ranges(stages((0, 30), (30, 30), (30, None)))
	assert any("S2" in p and "must be lower" in p for p in equal)
	reversed_range = validate_stage_ranges(stages((0, 30), (50, 30), (30, None)))
	assert any("S2" in p and "must be lower" in p for p in reversed_range)


def test_ranges_must_start_at_zero():
	problems = validate_stage_ranges(stages((10, 30), (30, None)))
	assert len(problems) == 1 and "start at 0%" in problems[0]


def test_ranges_are_checked_in_sow_order_not_list_order():
	shuffled = [Stage("B", 2, 30, 50), Stage("C", 3, 50, None), Stage("A", 1, 0, 30)]
	assert validate_stage_ranges(shuffled) == []


def test_stage_without_range_and_without_flag():
	problems = validate_stage_ranges([*stages((0, None)), Stage("Loose", 7)])
	assert problems == ["Stage Loose needs a SoW range or the Interrupted flag."]


def test_no_ranged_stage_at_all():
	assert validate_stage_ranges([Stage("Interrupted", 1, interrupted=True)]) == [
		"At least one stage needs a SoW range."
	]


def test_duplicate_names_and_sequence_out_of_sow_order():
	dup = validate_stage_ranges([Stage("A", 1, 0, 50), Stage("A", 2, 50, None)])
	assert any("more than once" in p for p in dup)
	order = validate_stage_ranges([Stage("Low", 2, 0, 50), Stage("High", 1, 50, None)])
	assert len(order) == 1 and "sequences must rise" in order[0]


# --- share of wallet ------------------------------------------------------------------------------


def test_share_of_wallet_in_percent():
	assert share_of_wallet(300, 1000) == pytest.approx(30.0)
	assert share_of_wallet(1500, 1000) == pytest.approx(150.0)
	assert share_of_wallet(0, 1000) == 0.0
	assert share_of_wallet(None, 1000) == 0.0


def test_share_of_wallet_without_estimate_is_none():
	assert share_of_wallet(300, None) is None
	assert share_of_wallet(300, 0) is None
	assert share_of_wallet(0, 0.0) is None


def test_share_of_wallet_rejects_negative_estimate():
	with pytest.raises(ValueError):
		share_of_wallet(300, -1)


def test_negative_revenue_is_no_share():
	assert share_of_wallet(-50, 1000) == 0.0


def test_sow_flags():
	assert sow_flags(None) == [FLAG_NO_ESTIMATE]
	assert sow_flags(0) == []
	assert sow_flags(100) == []
	assert sow_flags(100.01) == [FLAG_ESTIMATE_TOO_LOW]
	assert FLAG_ESTIMATE_TOO_LOW == "estimate too low"


# --- suggest_stage --------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("sow", "expected"),
	[
		(0, "Incubation"),
		(29.99, "Incubation"),
		(30, "Early"),
		(49.99, "Early"),
		(50, "Middle"),
		(99.99, "Middle"),
		(100, "Strategic Partner"),
		(100.5, "Strategic Partner"),
		(250, "Strategic Partner"),
	],
)
def test_suggest_stage_boundaries(sow, expected):
	assert suggest_stage(sow, DEFAULT_STAGES) == expected


def test_suggest_stage_never_suggests_interrupted_and_handles_missing():
	assert suggest_stage(None, DEFAULT_STAGES) is None
	assert suggest_stage(-5, DEFAULT_STAGES) is None
	assert suggest_stage(10, [Stage("Interrupted", 1, interrupted=True)]) is None


def test_top_stage_with_finite_range_takes_its_upper_end_and_beyond():
	custom = stages((0, 50), (50, 90))
	assert suggest_stage(89.9, custom) == "S2"
	assert suggest_stage(90, custom) == "S2"
	assert suggest_stage(140, custom) == "S2"


def test_hundred_percent_is_top_stage_even_if_top_starts_higher():
	custom = stages((0, 50), (50, 150), (150, None))
	assert suggest_stage(99, custom) == "S2"
	assert suggest_stage(100, custom) == "S3"


def test_suggest_stage_in_a_gap_is_none():
	assert suggest_stage(35, stages((0, 30), (40, None))) is None


# --- skips_stages ---------------------------------------------------------------------------------


def test_one_step_is_not_a_skip():
	assert not skips_stages("Incubation", "Early", DEFAULT_STAGES)
	assert not skips_stages("Middle", "Early", DEFAULT_STAGES)
	assert not skips_stages("Middle", "Middle", DEFAULT_STAGES)


def test_forward_and_backward_skips():
	assert skips_stages("Incubation", "Middle", DEFAULT_STAGES)
	assert skips_stages("Incubation", "Strategic Partner", DEFAULT_STAGES)
	assert skips_stages("Strategic Partner", "Early", DEFAULT_STAGES)


def test_interrupted_is_never_a_skip():
	assert not skips_stages("Incubation", "Interrupted", DEFAULT_STAGES)
	assert not skips_stages("Strategic Partner", "Interrupted", DEFAULT_STAGES)
	assert not skips_stages("Interrupted", "Strategic Partner", DEFAULT_STAGES)


def test_first_assignment_and_unknown_stages_are_not_skips():
	assert not skips_stages(None, "Strategic Partner", DEFAULT_STAGES)
	assert not skips_stages("", "Middle", DEFAULT_STAGES)
	assert not skips_stages("Nowhere", "Middle", DEFAULT_STAGES)


def test_skips_count_positions_not_sequence_values():
	spaced = [Stage("A", 10, 0, 30), Stage("B", 20, 30, 60), Stage("C", 30, 60, None)]
	assert not skips_stages("A", "B", spaced)
	assert skips_stages("A", "C", spaced)


# --- account_status -------------------------------------------------------------------------------


def test_status_rules_with_defaults():
	assert account_status(0) == "Active"
	assert account_status(89) == "Active"
	assert account_status(90) == "At Risk"
	assert account_status(179) == "At Risk"
	assert account_status(180) == "Interrupted"
	assert account_status(400) == "Interrupted"


def test_lost_wins_over_everything():
	assert account_status(10, has_any_purchase=False) == "Lost"
	assert account_status(None, has_any_purchase=False) == "Lost"


def test_no_invoice_ever_is_interrupted():
	assert account_status(None) == "Interrupted"


def test_revenue_drop_puts_an_account_at_risk():
	assert AT_RISK_REVENUE_DROP == -0.3
	assert account_status(5, revenue_trend=-0.3) == "At Risk"
	assert account_status(5, revenue_trend=-0.4) == "At Risk"
	assert account_status(5, revenue_trend=-0.29) == "Active"
	assert account_status(5, revenue_trend=0.5) == "Active"
	# interruption still outranks a revenue drop
	assert account_status(200, revenue_trend=-0.9) == "Interrupted"


def test_custom_interruption_settings():
	assert account_status(60, interruption_days=90, at_risk_ratio=0.5) == "At Risk"
	assert account_status(44, interruption_days=90, at_risk_ratio=0.5) == "Active"
	assert account_status(45, interruption_days=90, at_risk_ratio=0.5) == "At Risk"
	assert account_status(90, interruption_days=90) == "Interrupted"
	assert account_status(89, interruption_days=90, at_risk_ratio=1) == "Active"


@pytest.mark.parametrize(("days", "ratio"), [(0, 0.5), (-10, 0.5), (180, 0), (180, 1.5)])
def test_status_rejects_bad_settings(days, ratio):
	with pytest.raises(ValueError):
		account_status(10, interruption_days=days, at_risk_ratio=ratio)


def test_statuses_constant():
	assert STATUSES == ("Active", "At Risk", "Interrupted", "Lost")


# --- business_loss and interruption causes --------------------------------------------------------


def test_business_loss_lists_dropped_groups_sorted():
	assert business_loss(["Valves", "Pumps", "Seals"], ["Pumps"]) == ["Seals", "Valves"]


def test_business_loss_edge_cases():
	assert business_loss(["Pumps"], ["Pumps", "New"]) == []
	assert business_loss([], ["Pumps"]) == []
	assert business_loss(["Pumps", "Pumps", None, ""], []) == ["Pumps"]
	assert business_loss(iter({"B", "A"}), iter(())) == ["A", "B"]
	assert business_loss(None, None) == []


def test_interruption_causes():
	assert interruption_causes(False, 0, False) == []
	assert interruption_causes(True, 0, False) == ["key person changed"]
	assert interruption_causes(False, 0.01, False) == ["overdue receivables"]
	assert interruption_causes(False, None, True) == ["credit limit exceeded"]
	assert interruption_causes(True, 500, True) == [
		"key person changed",
		"overdue receivables",
		"credit limit exceeded",
	]
	assert interruption_causes(False, -20, False) == []


# --- health score ---------------------------------------------------------------------------------


def full(**overrides):
	"""Health inputs with every part known; override single inputs by name."""
	args = {
		"days_since_last_order": 0,
		"revenue_trend": 1.0,
		"sow_trend": 1.0,
		"coverage_percent": 100,
		"support_score": 1.0,
		"days_since_last_visit": 0,
		"weights": HealthWeights(),
		"visit_cadence_days": 30,
	}
	args.update(overrides)
	return health_score(**args)


def test_default_weights_sum_to_100():
	w = HealthWeights()
	assert (w.recency, w.revenue_trend, w.sow_trend, w.coverage, w.visits) == (30, 25, 15, 20, 10)


def test_negative_weight_is_rejected():
	with pytest.raises(ValueError):
		HealthWeights(visits=-1)


def test_best_and_worst_scores():
	best = full()
	assert isinstance(best, HealthResult)
	assert best.score == 100
	assert best.parts == {"recency": 30, "revenue_trend": 25, "sow_trend": 15, "coverage": 20, "visits": 10}
	assert best.missing == ()

	worst = full(
		days_since_last_order=180,
		revenue_trend=-1,
		sow_trend=-1,
		coverage_percent=0,
		support_score=-1,
		days_since_last_visit=90,
	)
	assert worst.score == 0
	assert all(points == 0 for points in worst.parts.values())


def test_score_stays_within_bounds_for_extreme_inputs():
	high = full(days_since_last_order=-5, revenue_trend=9, sow_trend=9, coverage_percent=300, support_score=5)
	assert high.score == 100
	low = full(
		days_since_last_order=10_000,
		revenue_trend=-9,
		sow_trend=-9,
		coverage_percent=-50,
		support_score=-5,
		days_since_last_visit=10_000,
	)
	assert low.score == 0
	for result in (high, low):
		for name, points in result.parts.items():
			assert 0 <= points <= getattr(HealthWeights(), name)


def test_recency_is_linear():
	assert full(days_since_last_order=90).parts["recency"] == pytest.approx(15)
	assert full(days_since_last_order=45).parts["recency"] == pytest.approx(22.5)
	assert full(days_since_last_order=50, interruption_days=100).parts["recency"] == pytest.approx(15)


def test_trends_map_no_change_to_half():
	result = full(revenue_trend=0, sow_trend=0)
	assert result.parts["revenue_trend"] == pytest.approx(12.5)
	assert result.parts["sow_trend"] == pytest.approx(7.5)
	assert full(revenue_trend=-0.5).parts["revenue_trend"] == pytest.approx(6.25)
	assert full(revenue_trend=2).parts["revenue_trend"] == pytest.approx(25)


def test_coverage_combines_percent_and_support_evenly():
	assert full(coverage_percent=50, support_score=0).parts["coverage"] == pytest.approx(10)
	assert full(coverage_percent=100, support_score=-1).parts["coverage"] == pytest.approx(10)
	# one of the two known: that one alone decides
	assert full(coverage_percent=80, support_score=None).parts["coverage"] == pytest.approx(16)
	assert full(coverage_percent=None, support_score=0.5).parts["coverage"] == pytest.approx(15)


def test_visits_full_within_cadence_then_linear_to_three_times():
	assert full(days_since_last_visit=30).parts["visits"] == pytest.approx(10)
	assert full(days_since_last_visit=60).parts["visits"] == pytest.approx(5)
	assert full(days_since_last_visit=90).parts["visits"] == pytest.approx(0)
	assert full(days_since_last_visit=120).parts["visits"] == pytest.approx(0)


def test_visits_left_out_without_cadence_or_visit():
	for result in (
		full(visit_cadence_days=None),
		full(visit_cadence_days=0),
		full(days_since_last_visit=None),
	):
		assert "visits" not in result.parts
		assert result.missing == ("visits",)
		assert result.score == 100


def test_missing_parts_rescale_remaining_weights():
	# only recency known, at half: 15 of 30 points is 50 out of 100
	result = health_score(90, None, None, None, None, None, HealthWeights())
	assert result.parts == {"recency": pytest.approx(15)}
	assert result.score == 50
	assert result.missing == ("revenue_trend", "sow_trend", "coverage", "visits")

	# recency full (30) + revenue at half (12.5) out of 55 available points
	partial = health_score(0, 0, None, None, None, None, HealthWeights())
	assert partial.score == round(42.5 / 55 * 100)


def test_missing_sow_trend_does_not_punish_a_healthy_account():
	assert full(sow_trend=None).score == 100


def test_nothing_known_scores_zero():
	result = health_score(None, None, None, None, None, None, HealthWeights())
	assert result.score == 0
	assert result.parts == {}
	assert result.missing == HEALTH_PARTS


def test_custom_weights_and_zero_weight():
	weights = HealthWeights(recency=50, revenue_trend=50, sow_trend=0, coverage=0, visits=0)
	result = health_score(0, -1, 1, 100, 1, 0, weights, visit_cadence_days=30)
	assert result.score == 50
	assert result.parts["sow_trend"] == 0
	all_zero = HealthWeights(recency=0, revenue_trend=0, sow_trend=0, coverage=0, visits=0)
	assert health_score(0, 0, 0, 0, 0, 0, all_zero, visit_cadence_days=30).score == 0


def test_weights_default_when_omitted():
	assert health_score(0, 1, 1, 100, 1, None).score == 100


def test_score_rounds_half_up():
	# recency only, 30 * (1 - 1/8) = 26.25 of 30 -> 87.5 -> 88
	assert health_score(1, None, None, None, None, None, HealthWeights(), interruption_days=8).score == 88


def test_bad_interruption_days_for_health_is_rejected():
	with pytest.raises(ValueError):
		health_score(0, 0, 0, 0, 0, 0, HealthWeights(), interruption_days=0)


# --- share of wallet per period, on the estimate in force then (issue 18) ------------------------------

import datetime as dt

from key_account_management.core.relationship import (
	change,
	estimate_in_force,
	shares_of_wallet,
)

THIS_END = dt.date(2026, 11, 30)
PREVIOUS_END = dt.date(2025, 11, 30)


def test_the_estimate_in_force_is_the_latest_made_by_then():
	estimates = [(dt.date(2025, 3, 1), 2000), (dt.date(2026, 2, 1), 4000), (dt.date(2024, 1, 1), 1000)]
	assert estimate_in_force(estimates, PREVIOUS_END) == (dt.date(2025, 3, 1), 2000.0)
	assert estimate_in_force(estimates, THIS_END) == (dt.date(2026, 2, 1), 4000.0)
	assert estimate_in_force(estimates, dt.date(2023, 12, 31)) is None
	# made that very day counts; an empty or zero estimate is no estimate
	assert estimate_in_force([("2025-11-30", 500), (dt.date(2025, 12, 1), 900)], PREVIOUS_END)[1] == 500
	assert estimate_in_force([(dt.date(2025, 1, 1), 0), (None, 100)], THIS_END) is None


def test_the_sow_trend_uses_each_periods_own_estimate():
	# revenue doubled, but the customer's category spend was re-estimated four times higher:
	# our share fell by half, whatever the revenue trend says
	estimates = [(dt.date(2025, 3, 1), 2000), (dt.date(2026, 2, 1), 8000)]
	shares = shares_of_wallet(2000, 1000, estimates, THIS_END, PREVIOUS_END)
	assert shares.current == pytest.approx(25.0)
	assert shares.previous == pytest.approx(50.0)
	assert shares.trend == pytest.approx(-0.5)
	assert change(2000, 1000) == pytest.approx(1.0)  # the revenue trend, for contrast


def test_one_estimate_gives_no_sow_trend():
	# the old computation divided both years by the same estimate: the revenue trend counted twice
	made_this_year = shares_of_wallet(2000, 1000, [(dt.date(2026, 10, 1), 4000)], THIS_END, PREVIOUS_END)
	assert made_this_year.current == pytest.approx(50.0)
	assert made_this_year.previous is None and made_this_year.trend is None
	made_long_ago = shares_of_wallet(2000, 1000, [(dt.date(2024, 6, 1), 4000)], THIS_END, PREVIOUS_END)
	assert (made_long_ago.current, made_long_ago.previous) == (pytest.approx(50.0), pytest.approx(25.0))
	assert made_long_ago.trend is None
	# two estimates, both made before the previous period ended: one in force in both periods
	both_old = [(dt.date(2024, 6, 1), 4000), (dt.date(2025, 6, 1), 5000)]
	assert shares_of_wallet(2000, 1000, both_old, THIS_END, PREVIOUS_END).trend is None
	empty = shares_of_wallet(2000, 1000, [], THIS_END, PREVIOUS_END)
	assert (empty.current, empty.previous, empty.trend) == (None, None, None)


def test_without_a_sow_trend_its_weight_goes_to_the_other_parts():
	shares = shares_of_wallet(1000, 1000, [(dt.date(2026, 10, 1), 2000)], THIS_END, PREVIOUS_END)
	result = health_score(
		days_since_last_order=0,
		revenue_trend=0.0,
		sow_trend=shares.trend,
		coverage_percent=100,
		support_score=1.0,
		days_since_last_visit=0,
		visit_cadence_days=30,
	)
	assert "sow_trend" in result.missing
	# 30 + 12.5 + 20 + 10 of the 85 points left: the 15 of the SoW trend are spread over the others
	assert result.score == round((30 + 12.5 + 20 + 10) / 85 * 100)


def test_change_between_two_values():
	assert change(150, 100) == pytest.approx(0.5)
	assert change(0, 0) is None and change(5, 0) == 1.0 and change(None, 5) is None
	assert change(-10, 100) == -1.0
