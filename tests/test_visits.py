import datetime as dt

import pytest

from key_account_management.core import visits as v
from key_account_management.core.visit_compliance import (
	AccountFact,
	ComplianceRow,
	VisitFact,
	compliance,
	period_days,
	summarise_by_manager,
	visits_due_in_period,
)
from key_account_management.core.visits import (
	DEFAULT_CADENCE_DAYS,
	DEFAULT_FOLLOW_UP_DAYS,
	FOLLOW_UP_STATUSES,
	cadence_days,
	days_overdue,
	follow_up_due,
	follow_up_status,
	hourly_value,
	is_visit_overdue,
	next_visit_due,
	overdue_accounts,
	validate_visit,
	visit_cost,
)

D = dt.date
TODAY = D(2026, 3, 15)


# --- constants and cadence -------------------------------------------------------------------------


def test_defaults():
	assert DEFAULT_CADENCE_DAYS == {"A": 30, "B": 60, "C": 90}
	assert DEFAULT_FOLLOW_UP_DAYS == 7


def test_cadence_days_by_class_and_unclassified():
	assert cadence_days("A") == 30
	assert cadence_days("C") == 90
	assert cadence_days(None) is None
	assert cadence_days("") is None  # a blank Select field
	assert cadence_days("D") is None
	assert cadence_days(None, {**DEFAULT_CADENCE_DAYS, None: 120}) == 120
	assert cadence_days("", {None: 120}) == 120


@pytest.mark.parametrize("bad", [0, -5, 1.5])
def test_cadence_days_rejects_non_positive_or_fractional(bad):
	with pytest.raises(ValueError, match="whole number of days"):
		cadence_days("A", {"A": bad})


# --- follow_up_due ---------------------------------------------------------------------------------


def test_follow_up_due_is_one_week_after_the_visit():
	assert follow_up_due(D(2026, 3, 1)) == D(2026, 3, 8)
	assert follow_up_due(D(2026, 12, 28)) == D(2027, 1, 4)
	assert follow_up_due(D(2026, 3, 1), 3) == D(2026, 3, 4)


def test_follow_up_due_accepts_datetime_and_string():
	assert follow_up_due(dt.datetime(2026, 3, 1, 15, 30)) == D(2026, 3, 8)
	assert follow_up_due("2026-03-01") == D(2026, 3, 8)


def test_follow_up_due_rejects_bad_period():
	with pytest.raises(ValueError):
		follow_up_due(D(2026, 3, 1), 0)


# --- next_visit_due / overdue ----------------------------------------------------------------------


def test_next_visit_due_adds_the_class_cadence():
	last = D(2026, 1, 1)
	assert next_visit_due(last, "A") == D(2026, 1, 31)
	assert next_visit_due(last, "B") == D(2026, 3, 2)
	assert next_visit_due(last, "C") == D(2026, 4, 1)


def test_next_visit_due_never_visited_is_due_today():
	assert next_visit_due(None, "A", today=TODAY) == TODAY
	assert next_visit_due(None, "C", today=TODAY) == TODAY


def test_next_visit_due_never_visited_defaults_to_the_current_date():
	assert next_visit_due(None, "A") == dt.date.today()


def test_next_visit_due_unclassified_is_none_unless_a_default_cadence():
	assert next_visit_due(D(2026, 1, 1), None) is None
	assert next_visit_due(None, None, today=TODAY) is None
	assert next_visit_due(D(2026, 1, 1), "", today=TODAY) is None
	with_default = {**DEFAULT_CADENCE_DAYS, None: 180}
	assert next_visit_due(D(2026, 1, 1), None, with_default) == D(2026, 6, 30)
	assert next_visit_due(None, None, with_default, today=TODAY) == TODAY


def test_next_visit_due_custom_cadence():
	assert next_visit_due(D(2026, 1, 1), "A", {"A": 14}) == D(2026, 1, 15)


def test_visit_exactly_one_cadence_later_is_not_overdue():
	last = D(2026, 1, 1)
	due = D(2026, 1, 31)
	assert not is_visit_overdue(last, "A", due)
	assert days_overdue(last, "A", due) == 0
	assert is_visit_overdue(last, "A", due + dt.timedelta(days=1))
	assert days_overdue(last, "A", due + dt.timedelta(days=1)) == 1
	assert days_overdue(last, "A", D(2026, 2, 10)) == 10


def test_not_overdue_before_due_date():
	assert days_overdue(D(2026, 3, 10), "A", TODAY) == 0
	assert not is_visit_overdue(D(2026, 3, 10), "A", TODAY)


def test_never_visited_is_due_but_not_overdue():
	assert not is_visit_overdue(None, "A", TODAY)
	assert days_overdue(None, "A", TODAY) == 0


def test_unclassified_never_overdue():
	assert not is_visit_overdue(D(2020, 1, 1), None, TODAY)
	assert days_overdue(D(2020, 1, 1), None, TODAY) == 0


def test_overdue_with_custom_cadence_and_default_for_unclassified():
	cadence = {"A": 10, None: 20}
	assert days_overdue(D(2026, 3, 1), "A", TODAY, cadence) == 4
	assert days_overdue(D(2026, 2, 1), None, TODAY, cadence) == 22
	assert is_visit_overdue(D(2026, 2, 1), None, TODAY, cadence)
	# B is not in this mapping: no cadence
	assert not is_visit_overdue(D(2020, 1, 1), "B", TODAY, cadence)


def test_overdue_accepts_datetime_last_visit():
	assert days_overdue(dt.datetime(2026, 1, 1, 9, 0), "A", D(2026, 2, 2)) == 2


# --- follow_up_status ------------------------------------------------------------------------------

VISIT = D(2026, 3, 1)


def test_follow_up_statuses_are_the_five_documented():
	assert FOLLOW_UP_STATUSES == ("Not Due", "Due", "Overdue", "Done On Time", "Done Late")


def test_follow_up_not_due_before_the_visit():
	assert follow_up_status(VISIT, None, D(2026, 2, 28)) == "Not Due"


def test_follow_up_due_from_visit_day_to_seventh_day_inclusive():
	assert follow_up_status(VISIT, None, VISIT) == "Due"
	assert follow_up_status(VISIT, None, D(2026, 3, 4)) == "Due"
	assert follow_up_status(VISIT, None, D(2026, 3, 8)) == "Due"


def test_follow_up_overdue_from_eighth_day():
	assert follow_up_status(VISIT, None, D(2026, 3, 9)) == "Overdue"
	assert follow_up_status(VISIT, None, D(2026, 12, 31)) == "Overdue"


def test_follow_up_done_on_time_up_to_exactly_seven_days():
	assert follow_up_status(VISIT, VISIT, TODAY) == "Done On Time"
	assert follow_up_status(VISIT, D(2026, 3, 8), TODAY) == "Done On Time"


def test_follow_up_done_late_after_seven_days():
	assert follow_up_status(VISIT, D(2026, 3, 9), TODAY) == "Done Late"


def test_follow_up_done_ignores_today():
	# a recorded follow-up is judged by its own date, even if today is before it
	assert follow_up_status(VISIT, D(2026, 3, 5), D(2026, 3, 2)) == "Done On Time"


def test_follow_up_status_custom_period():
	assert follow_up_status(VISIT, D(2026, 3, 4), TODAY, follow_up_days=3) == "Done On Time"
	assert follow_up_status(VISIT, D(2026, 3, 5), TODAY, follow_up_days=3) == "Done Late"
	assert follow_up_status(VISIT, None, D(2026, 3, 5), follow_up_days=3) == "Overdue"


def test_follow_up_before_visit_raises():
	with pytest.raises(ValueError, match=r"follow-up date 2026-02-28 is before the visit date 2026-03-01"):
		follow_up_status(VISIT, D(2026, 2, 28), TODAY)


def test_follow_up_status_needs_a_visit_date():
	with pytest.raises(ValueError, match="visit date"):
		follow_up_status(None, None, TODAY)


def test_follow_up_status_accepts_strings_and_datetimes():
	assert follow_up_status("2026-03-01", "2026-03-08 10:00:00", TODAY) == "Done On Time"
	assert follow_up_status(dt.datetime(2026, 3, 1, 18, 0), None, dt.datetime(2026, 3, 9, 8, 0)) == "Overdue"


# --- validate_visit --------------------------------------------------------------------------------

START = dt.datetime(2026, 3, 15, 9, 0)
END = dt.datetime(2026, 3, 15, 11, 0)
NOTES = {"talking_points": "<p>Supply plan</p>", "customer_views": "Wants better terms"}


def codes(problems):
	return [p.code for p in problems]


def check(planned=START, planned_end=None, start=START, end=END, completing=True, **kwargs):
	return validate_visit(planned, planned_end, start, end, TODAY, completing, **{**NOTES, **kwargs})


def test_valid_visit_has_no_problems():
	assert check() == []
	assert validate_visit(START, None, None, None, TODAY, completing=False) == []


def test_completing_a_future_visit_is_a_problem():
	later = dt.datetime(2026, 3, 16, 9)
	problems = check(planned=later, start=later, end=later + dt.timedelta(hours=1))
	assert codes(problems) == [v.PROBLEM_COMPLETED_IN_FUTURE]
	assert problems[0].values == (D(2026, 3, 16),)


def test_planning_a_future_visit_is_fine():
	assert validate_visit(dt.datetime(2026, 4, 1, 9), None, None, None, TODAY, completing=False) == []


def test_completing_a_visit_dated_today_is_fine():
	assert check(planned=dt.datetime(2026, 3, 15, 23, 0)) == []


def test_end_before_start_is_a_problem():
	problems = check(start=END, end=START, completing=False)
	assert problems == [v.Problem(v.PROBLEM_ACTUAL_END_BEFORE_START, (END, START))]


def test_end_equal_to_start_is_fine():
	assert check(start=START, end=START) == []


def test_completing_needs_the_actual_start_end_and_notes():
	# a visit recorded as done says when it happened and what was said
	problems = validate_visit(START, None, None, None, TODAY, completing=True)
	assert codes(problems) == [
		v.PROBLEM_NO_ACTUAL_START,
		v.PROBLEM_NO_ACTUAL_END,
		v.PROBLEM_NO_TALKING_POINTS,
		v.PROBLEM_NO_CUSTOMER_VIEWS,
	]
	assert codes(check(start=None)) == [v.PROBLEM_NO_ACTUAL_START]
	assert codes(check(end=None)) == [v.PROBLEM_NO_ACTUAL_END]
	# an emptied text editor keeps its markup: still no talking points
	assert codes(check(talking_points="<div><p><br></p></div>", customer_views=" &nbsp; ")) == [
		v.PROBLEM_NO_TALKING_POINTS,
		v.PROBLEM_NO_CUSTOMER_VIEWS,
	]


def test_a_plan_may_lack_what_only_the_visit_gives():
	assert validate_visit(START, None, None, None, TODAY, completing=False) == []


def test_planned_end_before_planned_start_is_reported_as_such():
	# the message is about the planned times, not the actual ones
	problems = check(planned_end=START - dt.timedelta(hours=1), completing=False)
	assert codes(problems) == [v.PROBLEM_PLANNED_END_BEFORE_START]


def test_several_problems_are_all_reported():
	later = dt.datetime(2026, 4, 1, 11, 0)
	problems = validate_visit(
		later, later - dt.timedelta(hours=2), later, later - dt.timedelta(hours=2), TODAY, True
	)
	assert codes(problems) == [
		v.PROBLEM_PLANNED_END_BEFORE_START,
		v.PROBLEM_ACTUAL_END_BEFORE_START,
		v.PROBLEM_COMPLETED_IN_FUTURE,
		v.PROBLEM_NO_TALKING_POINTS,
		v.PROBLEM_NO_CUSTOMER_VIEWS,
	]


def test_missing_planned_start_is_a_problem():
	assert codes(validate_visit(None, None, None, None, TODAY, completing=False)) == [
		v.PROBLEM_NO_PLANNED_START
	]


def test_a_cancelled_plan_needs_a_reason_and_is_never_completed():
	assert codes(validate_visit(START, None, None, None, TODAY, False, status=v.CANCELLED)) == [
		v.PROBLEM_NO_CANCELLATION_REASON
	]
	assert (
		validate_visit(START, None, None, None, TODAY, False, status=v.CANCELLED, cancellation_reason="Ill")
		== []
	)
	assert codes(check(status=v.CANCELLED, cancellation_reason="Ill")) == [v.PROBLEM_COMPLETING_CANCELLED]


def test_validate_visit_accepts_frappe_strings():
	problems = validate_visit(
		"2026-03-15 09:00:00", None, "2026-03-15 11:00:00", "2026-03-15 10:00:00", "2026-03-15", True, **NOTES
	)
	assert codes(problems) == [v.PROBLEM_ACTUAL_END_BEFORE_START]


# --- cost ------------------------------------------------------------------------------------------


def test_hourly_value_is_income_over_254_days_of_8_hours():
	assert hourly_value(254 * 8 * 100) == pytest.approx(100.0)
	assert hourly_value(203_200) == pytest.approx(100.0)
	assert hourly_value(120_000, working_days=250, hours_per_day=6) == pytest.approx(80.0)


def test_hourly_value_of_missing_income_is_zero():
	assert hourly_value(None) == 0.0
	assert hourly_value(0) == 0.0


@pytest.mark.parametrize(
	"kwargs",
	[
		{"yearly_income": -1},
		{"yearly_income": 1000, "working_days": 0},
		{"yearly_income": 1, "hours_per_day": 0},
	],
)
def test_hourly_value_rejects_nonsense(kwargs):
	with pytest.raises(ValueError):
		hourly_value(**kwargs)


def test_visit_cost_sums_attendees_times_hours():
	# 100 and 50 per hour, 3 hours
	assert visit_cost(3, [203_200, 101_600]) == pytest.approx(450.0)
	assert visit_cost(1.5, [203_200]) == pytest.approx(150.0)


def test_visit_cost_edge_cases():
	assert visit_cost(3, []) == 0.0
	assert visit_cost(0, [203_200]) == 0.0
	assert visit_cost(2, [203_200, None]) == pytest.approx(200.0)
	assert visit_cost(2, iter([203_200])) == pytest.approx(200.0)
	assert visit_cost(2, [120_000], working_days=250, hours_per_day=6) == pytest.approx(160.0)
	with pytest.raises(ValueError):
		visit_cost(-1, [203_200])


# --- compliance ------------------------------------------------------------------------------------

JAN_START, JAN_END = D(2026, 1, 1), D(2026, 1, 31)


def by_account(rows):
	return {row.account: row for row in rows}


def test_period_days_counts_both_ends():
	assert period_days(JAN_START, JAN_END) == 31
	assert period_days(JAN_START, JAN_START) == 1
	assert period_days(D(2026, 1, 1), D(2026, 12, 31)) == 365
	with pytest.raises(ValueError, match="end before"):
		period_days(JAN_END, JAN_START)


@pytest.mark.parametrize(
	("days", "cadence", "expected"),
	[
		(31, 30, 1),  # a 31-day month asks one visit of an A account
		(28, 30, 1),
		(30, 30, 1),
		(44, 30, 1),
		(45, 30, 2),  # halves round up
		(60, 30, 2),
		(92, 90, 1),  # a long quarter, C account
		(365, 30, 12),
		(365, 60, 6),
		(365, 90, 4),
		(1, 90, 1),  # at least one for a classified account
		(31, None, 0),  # no cadence, nothing due
	],
)
def test_visits_due_in_period(days, cadence, expected):
	assert visits_due_in_period(days, cadence) == expected


def test_compliance_empty_inputs():
	assert compliance([], [], JAN_START, JAN_END) == []
	rows = compliance([], [AccountFact("ACC", "mgr", "A")], JAN_START, JAN_END)
	assert rows == [
		ComplianceRow(
			account="ACC",
			manager="mgr",
			abc_class="A",
			cadence_days=30,
			visits_done=0,
			visits_due=1,
			overdue_follow_ups=0,
			follow_ups_on_time=0,
			follow_ups_on_time_percent=None,
			compliance_percent=0.0,
		)
	]


def test_compliance_counts_and_percentages():
	accounts = [
		AccountFact("ACC-A", "alice", "A"),
		AccountFact("ACC-B", "alice", "B"),
		AccountFact("ACC-C", "bob", "C"),
		AccountFact("ACC-X", "bob", None),
	]
	visits = [
		# ACC-A: two completed in the period, one planned, one cancelled, one before the period
		VisitFact("ACC-A", "alice", D(2026, 1, 5), D(2026, 1, 12)),  # on time, exactly 7 days
		VisitFact("ACC-A", "alice", D(2026, 1, 20), D(2026, 1, 28)),  # late
		VisitFact("ACC-A", "alice", D(2026, 1, 25), None, "Planned"),
		VisitFact("ACC-A", "alice", D(2026, 1, 26), None, "Cancelled"),
		VisitFact("ACC-A", "alice", D(2025, 12, 31), D(2026, 1, 2)),
		# ACC-B: one completed, no follow-up, overdue at period end (due 2026-01-17 < 2026-01-31)
		VisitFact("ACC-B", "alice", D(2026, 1, 10), None),
		# ACC-C: completed on the last day, follow-up still open: not overdue yet, not on time either
		VisitFact("ACC-C", "bob", D(2026, 1, 31), None),
		# unclassified account visited once, follow-up on the visit day
		VisitFact("ACC-X", "bob", D(2026, 1, 15), D(2026, 1, 15)),
		# an account that is not in the list is ignored
		VisitFact("ACC-GONE", "bob", D(2026, 1, 15), None),
	]
	rows = compliance(visits, accounts, JAN_START, JAN_END)
	assert [row.account for row in rows] == ["ACC-A", "ACC-B", "ACC-C", "ACC-X"]
	rows = by_account(rows)

	a = rows["ACC-A"]
	assert (a.visits_done, a.visits_due, a.overdue_follow_ups, a.follow_ups_on_time) == (2, 1, 0, 1)
	assert a.follow_ups_on_time_percent == pytest.approx(50.0)
	assert a.compliance_percent == 100.0  # capped

	b = rows["ACC-B"]
	assert (b.visits_done, b.visits_due, b.overdue_follow_ups, b.follow_ups_on_time) == (1, 1, 1, 0)
	assert b.follow_ups_on_time_percent == 0.0
	assert b.compliance_percent == pytest.approx(100.0)

	c = rows["ACC-C"]
	assert (c.visits_done, c.visits_due, c.overdue_follow_ups, c.follow_ups_on_time) == (1, 1, 0, 0)
	assert c.cadence_days == 90

	x = rows["ACC-X"]
	assert x.abc_class is None and x.cadence_days is None
	assert (x.visits_done, x.visits_due) == (1, 0)
	assert x.compliance_percent is None
	assert x.follow_ups_on_time_percent == pytest.approx(100.0)


def test_compliance_partial_over_a_year():
	visits = [VisitFact("ACC", "m", D(2026, month, 3), D(2026, month, 4)) for month in range(1, 7)]
	rows = compliance(visits, [AccountFact("ACC", "m", "A")], D(2026, 1, 1), D(2026, 12, 31))
	assert rows[0].visits_done == 6
	assert rows[0].visits_due == 12
	assert rows[0].compliance_percent == pytest.approx(50.0)
	assert rows[0].follow_ups_on_time_percent == pytest.approx(100.0)


def test_compliance_follow_up_overdue_boundary_at_period_end():
	accounts = [AccountFact("ACC", "m", "A")]
	# due 2026-01-31 == period end: not overdue yet
	on_edge = compliance([VisitFact("ACC", "m", D(2026, 1, 24))], accounts, JAN_START, JAN_END)
	assert on_edge[0].overdue_follow_ups == 0
	# due 2026-01-30 < period end: overdue
	past = compliance([VisitFact("ACC", "m", D(2026, 1, 23))], accounts, JAN_START, JAN_END)
	assert past[0].overdue_follow_ups == 1


def test_compliance_period_boundaries_are_inclusive():
	accounts = [AccountFact("ACC", "m", "A")]
	visits = [
		VisitFact("ACC", "m", JAN_START),
		VisitFact("ACC", "m", JAN_END),
		VisitFact("ACC", "m", D(2025, 12, 31)),
		VisitFact("ACC", "m", D(2026, 2, 1)),
	]
	assert compliance(visits, accounts, JAN_START, JAN_END)[0].visits_done == 2


def test_compliance_custom_cadence_and_follow_up_days():
	accounts = [AccountFact("ACC", "m", "A"), AccountFact("NEW", "m", None)]
	visits = [VisitFact("ACC", "m", D(2026, 1, 5), D(2026, 1, 8)), VisitFact("ACC", "m", D(2026, 1, 10))]
	rows = by_account(
		compliance(visits, accounts, JAN_START, JAN_END, cadence={"A": 10, None: 31}, follow_up_days=2)
	)
	acc = rows["ACC"]
	assert acc.visits_due == 3  # 31 / 10 = 3.1
	assert acc.compliance_percent == pytest.approx(200 / 3)
	assert acc.follow_ups_on_time == 0  # 3 days after the visit is late with a 2-day period
	assert acc.overdue_follow_ups == 1
	assert rows["NEW"].visits_due == 1 and rows["NEW"].compliance_percent == 0.0


def test_compliance_tolerates_a_follow_up_before_its_visit():
	visits = [VisitFact("ACC", "m", D(2026, 1, 10), D(2026, 1, 9))]
	row = compliance(visits, [AccountFact("ACC", "m", "A")], JAN_START, JAN_END)[0]
	assert row.visits_done == 1
	assert row.follow_ups_on_time == 0 and row.overdue_follow_ups == 0


def test_compliance_accepts_generators():
	visits = (v for v in [VisitFact("ACC", "m", D(2026, 1, 10), D(2026, 1, 10))])
	accounts = (a for a in [AccountFact("ACC", "m", "B")])
	rows = compliance(visits, accounts, JAN_START, JAN_END)
	assert rows[0].visits_done == 1 and rows[0].compliance_percent == 100.0


def test_compliance_rejects_duplicate_accounts_and_bad_period():
	with pytest.raises(ValueError, match="listed twice"):
		compliance([], [AccountFact("ACC", "m", "A"), AccountFact("ACC", "n", "A")], JAN_START, JAN_END)
	with pytest.raises(ValueError, match="end before"):
		compliance([], [], JAN_END, JAN_START)


# --- summarise_by_manager --------------------------------------------------------------------------


def row(account, manager, done, due, overdue=0, on_time=0):
	return ComplianceRow(
		account=account,
		manager=manager,
		abc_class="A" if due else None,
		cadence_days=30 if due else None,
		visits_done=done,
		visits_due=due,
		overdue_follow_ups=overdue,
		follow_ups_on_time=on_time,
		follow_ups_on_time_percent=on_time / done * 100 if done else None,
		compliance_percent=min(100.0, done / due * 100) if due else None,
	)


def test_summarise_by_manager_empty():
	assert summarise_by_manager([]) == []


def test_summarise_by_manager_totals():
	rows = [
		row("A1", "bob", done=3, due=1, overdue=1, on_time=2),  # over-visited: counts 1 of 1
		row("A2", "bob", done=0, due=1),
		row("A3", "alice", done=1, due=2, on_time=1),
		row("A4", None, done=1, due=1),
		row("A5", "alice", done=2, due=0, on_time=0),  # unclassified
	]
	summary = summarise_by_manager(rows)
	assert [s.manager for s in summary] == ["alice", "bob", None]
	alice, bob, nobody = summary

	assert (bob.accounts, bob.visits_done, bob.visits_due) == (2, 3, 2)
	assert (bob.overdue_follow_ups, bob.follow_ups_on_time) == (1, 2)
	assert bob.compliance_percent == pytest.approx(50.0)  # not 150: extra visits to A1 do not cover A2
	assert bob.follow_ups_on_time_percent == pytest.approx(200 / 3)

	assert (alice.accounts, alice.visits_done, alice.visits_due) == (2, 3, 2)
	assert alice.compliance_percent == pytest.approx(50.0)
	assert alice.follow_ups_on_time_percent == pytest.approx(100 / 3)

	assert nobody.accounts == 1 and nobody.compliance_percent == pytest.approx(100.0)


def test_summarise_by_manager_nothing_due_or_done():
	summary = summarise_by_manager([row("X", "m", done=0, due=0)])
	assert summary[0].compliance_percent is None
	assert summary[0].follow_ups_on_time_percent is None


def test_summarise_by_manager_from_compliance():
	accounts = [AccountFact("A1", "m", "A"), AccountFact("A2", "m", "C")]
	visits = [VisitFact("A1", "m", D(2026, 1, 5), D(2026, 1, 6))]
	(summary,) = summarise_by_manager(compliance(visits, accounts, JAN_START, JAN_END))
	assert (summary.visits_done, summary.visits_due, summary.follow_ups_on_time) == (1, 2, 1)
	assert summary.compliance_percent == pytest.approx(50.0)
	assert summary.follow_ups_on_time_percent == pytest.approx(100.0)


# --- overdue_accounts ------------------------------------------------------------------------------


def test_overdue_accounts_sorted_by_days_descending():
	rows = [
		{"account": "A-late", "abc_class": "A", "last_visit_date": D(2026, 2, 1)},  # due 03-03: 12
		{"account": "A-ok", "abc_class": "A", "last_visit_date": D(2026, 3, 1)},
		{"account": "A-edge", "abc_class": "A", "last_visit_date": D(2026, 2, 13)},  # due today: 0
		{"account": "C-late", "abc_class": "C", "last_visit_date": D(2025, 11, 1)},  # due 01-30: 44
		{"account": "B-late", "abc_class": "B", "last_visit_date": D(2026, 1, 1)},  # due 03-02: 13
		{"account": "U", "abc_class": None, "last_visit_date": D(2020, 1, 1)},
		{"account": "never", "abc_class": "A", "last_visit_date": None},
	]
	assert overdue_accounts(rows, TODAY, DEFAULT_CADENCE_DAYS) == [
		("C-late", 44),
		("B-late", 13),
		("A-late", 12),
	]


def test_overdue_accounts_accepts_tuples_and_breaks_ties_by_account():
	rows = [("Z", "A", D(2026, 2, 1)), ("M", "A", D(2026, 2, 1)), ("Q", "B", D(2026, 1, 2))]
	assert overdue_accounts(rows, TODAY) == [("M", 12), ("Q", 12), ("Z", 12)]


def test_overdue_accounts_empty_and_none_overdue():
	assert overdue_accounts([], TODAY) == []
	assert overdue_accounts([("A1", "A", TODAY)], TODAY) == []


def test_overdue_accounts_never_visited_only_on_request():
	rows = [("late", "A", D(2026, 2, 1)), ("never", "C", None), ("never-unclassified", None, None)]
	assert overdue_accounts(rows, TODAY) == [("late", 12)]
	assert overdue_accounts(rows, TODAY, include_never_visited=True) == [("late", 12), ("never", 0)]


def test_overdue_accounts_default_cadence_for_unclassified():
	rows = [("U", None, D(2026, 1, 1)), ("blank", "", D(2026, 1, 1))]
	assert overdue_accounts(rows, TODAY, {None: 30}) == [("U", 43), ("blank", 43)]
	assert overdue_accounts(rows, TODAY, {"A": 30}) == []


def test_overdue_accounts_accepts_frappe_style_values():
	rows = [{"account": "A1", "abc_class": "A", "last_visit_date": "2026-02-01"}]
	assert overdue_accounts(rows, "2026-03-15") == [("A1", 12)]
