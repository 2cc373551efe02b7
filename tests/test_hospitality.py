import datetime as dt

import pytest

from key_account_management.core.hospitality import (
	ACCOUNT_SCOPE,
	DEFAULT_BANDS,
	LEVELS,
	LIMIT_ACCOUNT_BUDGET,
	LIMIT_PER_EVENT,
	LIMIT_PER_YEAR,
	ApprovalBand,
	LimitCheck,
	Limits,
	account_budget,
	band_for,
	breaks_any,
	check_limits,
	needs_reapproval,
	required_levels,
	validate_bands,
	validate_request,
	validate_settlement,
	variance,
)
from key_account_management.core.hospitality_flow import can_approve, can_approve_manager_level, next_level

ALL = ("Manager", "Director", "Finance")
TODAY = dt.date(2025, 3, 10)


# --- bands ------------------------------------------------------------------------------------------------


def test_levels_and_default_bands():
	assert LEVELS == ALL
	assert DEFAULT_BANDS[0] == ApprovalBand(1000.0, ("Manager",))
	assert DEFAULT_BANDS[1] == ApprovalBand(5000.0, ("Manager", "Director"))
	assert DEFAULT_BANDS[2] == ApprovalBand(None, ALL)
	assert validate_bands(DEFAULT_BANDS) == []


def test_validate_bands_accepts_single_open_band_and_ordered_subsets():
	assert validate_bands([ApprovalBand(None, ALL)]) == []
	assert validate_bands([ApprovalBand(500, ("Manager",)), ApprovalBand(None, ("Manager", "Finance"))]) == []


@pytest.mark.parametrize(
	"bands, fragment",
	[
		([], "at least one approval band"),
		([ApprovalBand(1000, ("Manager",))], "exactly one band must have no upper bound, found 0"),
		([ApprovalBand(None, ("Manager",)), ApprovalBand(None, ALL)], "found 2"),
		([ApprovalBand(None, ("Manager",)), ApprovalBand(1000, ALL)], "must be the last"),
		([ApprovalBand(5000, ("Manager",)), ApprovalBand(1000, ALL), ApprovalBand(None, ALL)], "ascending"),
		([ApprovalBand(1000, ("Manager",)), ApprovalBand(1000, ALL), ApprovalBand(None, ALL)], "ascending"),
		([ApprovalBand(0, ("Manager",)), ApprovalBand(None, ALL)], "greater than 0"),
		([ApprovalBand(1000, ()), ApprovalBand(None, ALL)], "at least one approval level"),
		([ApprovalBand(1000, ("CEO",)), ApprovalBand(None, ALL)], "unknown level"),
		([ApprovalBand(1000, ("Director", "Manager")), ApprovalBand(None, ALL)], "order"),
		([ApprovalBand(1000, ("Manager", "Manager")), ApprovalBand(None, ALL)], "without duplicates"),
		([ApprovalBand(1000, ALL), ApprovalBand(None, ("Manager",))], "fewer levels"),
	],
)
def test_validate_bands_problems(bands, fragment):
	problems = validate_bands(bands)
	assert problems
	assert any(fragment in p for p in problems), problems


def test_band_for_rejects_invalid_bands():
	with pytest.raises(ValueError, match="invalid approval bands"):
		band_for(100, [ApprovalBand(1000, ("Manager",))])


@pytest.mark.parametrize(
	"amount, expected",
	[
		(0.01, ("Manager",)),
		(999.99, ("Manager",)),
		(1000, ("Manager",)),
		(1000.01, ("Manager", "Director")),
		(5000, ("Manager", "Director")),
		(5000.01, ALL),
		(1_000_000, ALL),
	],
)
def test_required_levels_band_boundaries_are_inclusive(amount, expected):
	assert required_levels(amount, DEFAULT_BANDS, any_official=False, breaks_limit=False) == expected


def test_official_forces_director_and_finance_on_small_amount():
	assert required_levels(50, DEFAULT_BANDS, any_official=True, breaks_limit=False) == ALL
	assert required_levels(3000, DEFAULT_BANDS, any_official=True, breaks_limit=False) == ALL


def test_breaking_a_limit_forces_top_level():
	assert required_levels(50, DEFAULT_BANDS, any_official=False, breaks_limit=True) == ALL
	assert required_levels(9000, DEFAULT_BANDS, any_official=True, breaks_limit=True) == ALL


def test_forced_levels_keep_levels_order_and_no_duplicates():
	bands = [ApprovalBand(1000, ("Manager",)), ApprovalBand(None, ("Manager", "Finance"))]
	assert required_levels(2000, bands, any_official=True, breaks_limit=True) == ALL
	# a band without Manager keeps its own levels, forced ones are added in order
	bands = [ApprovalBand(None, ("Finance",))]
	assert required_levels(10, bands, any_official=True, breaks_limit=False) == ("Director", "Finance")


# --- approval order -----------------------------------------------------------------------------------------


def test_next_level():
	assert next_level(ALL, {}) == "Manager"
	assert next_level(ALL, ["Manager"]) == "Director"
	assert next_level(ALL, {"Manager": "m@x", "Director": "d@x"}) == "Finance"
	assert next_level(ALL, ALL) is None
	assert next_level(("Manager",), ["Manager"]) is None
	# a level approved out of the required set does not count
	assert next_level(("Director", "Finance"), ["Manager"]) == "Director"
	# required given out of order is still worked in LEVELS order
	assert next_level(("Finance", "Manager"), []) == "Manager"


def test_can_approve_happy_path_through_all_levels():
	approved = {}
	for level, user in zip(ALL, ("manager@x", "director@x", "finance@x")):
		ok, reason = can_approve(level, ALL, approved, user, "rep@x")
		assert ok and reason == ""
		approved[level] = user
	assert next_level(ALL, approved) is None


@pytest.mark.parametrize("level_index", [0, 1, 2])
def test_self_approval_refused_at_every_level(level_index):
	approvers = ("manager@x", "director@x", "finance@x")
	approved = dict(zip(ALL[:level_index], approvers[:level_index]))
	ok, reason = can_approve(ALL[level_index], ALL, approved, "rep@x", "rep@x")
	assert not ok
	assert "self-approval" in reason


def test_self_approval_ignores_case_and_spaces():
	ok, reason = can_approve("Manager", ALL, {}, " Rep@X ", "rep@x")
	assert not ok and "self-approval" in reason


def test_levels_cannot_be_skipped():
	ok, reason = can_approve("Director", ALL, {}, "director@x", "rep@x")
	assert not ok and "levels cannot be skipped" in reason and "Manager" in reason
	ok, reason = can_approve("Finance", ALL, {"Manager": "manager@x"}, "finance@x", "rep@x")
	assert not ok and "levels cannot be skipped" in reason and "Director" in reason


def test_level_not_required_is_refused():
	ok, reason = can_approve("Finance", ("Manager",), {}, "finance@x", "rep@x")
	assert not ok and "not required" in reason
	ok, reason = can_approve("Director", ("Manager",), {}, "director@x", "rep@x")
	assert not ok and "not required" in reason


def test_nothing_left_to_approve():
	approved = {"Manager": "manager@x"}
	ok, reason = can_approve("Manager", ("Manager",), approved, "other@x", "rep@x")
	assert not ok and "already fully approved" in reason


def test_level_already_approved():
	ok, reason = can_approve("Manager", ALL, {"Manager": "manager@x"}, "other@x", "rep@x")
	assert not ok and "already approved" in reason


def test_unknown_level_and_missing_approver():
	ok, reason = can_approve("CEO", ALL, {}, "ceo@x", "rep@x")
	assert not ok and "not an approval level" in reason
	ok, reason = can_approve("Manager", ALL, {}, "", "rep@x")
	assert not ok and "approver is required" in reason


def test_same_person_cannot_approve_two_levels():
	ok, reason = can_approve("Director", ALL, {"Manager": "boss@x"}, "boss@x", "rep@x")
	assert not ok
	assert "two levels" in reason and "Manager" in reason
	ok, reason = can_approve("Finance", ALL, {"Manager": "m@x", "Director": "BOSS@x"}, "boss@x", "rep@x")
	assert not ok and "two levels" in reason


def test_same_person_twice_allowed_when_policy_allows_it():
	ok, reason = can_approve(
		"Director", ALL, {"Manager": "boss@x"}, "boss@x", "rep@x", allow_same_approver_twice=True
	)
	assert ok and reason == ""
	# self-approval stays forbidden whatever the policy
	ok, reason = can_approve("Manager", ALL, {}, "rep@x", "rep@x", allow_same_approver_twice=True)
	assert not ok and "self-approval" in reason


# --- limits -------------------------------------------------------------------------------------------------

LIMITS = Limits(
	per_recipient_per_event={"Meal": 500.0, "Gift": 200.0, "Entertainment": None},
	per_recipient_per_year=2000.0,
	account_budget=10000.0,
)


def rows(checks, limit):
	return {c.scope: c for c in checks if c.limit == limit}


def test_check_limits_rows_and_ytd_maths():
	checks = check_limits(
		"Meal",
		[("Wang", 300.0), ("Li", 500.0)],
		{"Wang": 1500.0, "Li": 1600.0},
		9000.0,
		LIMITS,
	)
	assert len(checks) == 5
	per_event = rows(checks, LIMIT_PER_EVENT)
	assert per_event["Wang"] == LimitCheck(LIMIT_PER_EVENT, "Wang", 500.0, 0.0, 300.0, 300.0, False)
	# exactly at the per-event limit is allowed
	assert per_event["Li"].after == 500.0 and not per_event["Li"].exceeded

	per_year = rows(checks, LIMIT_PER_YEAR)
	assert per_year["Wang"] == LimitCheck(LIMIT_PER_YEAR, "Wang", 2000.0, 1500.0, 300.0, 1800.0, False)
	assert per_year["Wang"].remaining == pytest.approx(200.0)
	assert per_year["Li"].after == 2100.0 and per_year["Li"].exceeded
	assert per_year["Li"].remaining == pytest.approx(-100.0)

	account = rows(checks, LIMIT_ACCOUNT_BUDGET)[ACCOUNT_SCOPE]
	assert (account.year_to_date, account.this_request, account.after) == (9000.0, 800.0, 9800.0)
	assert not account.exceeded
	assert breaks_any(checks)


def test_per_event_limit_exceeded_and_recipient_without_ytd():
	checks = check_limits("Gift", [("Zhao", 200.01)], {}, 0.0, LIMITS)
	assert rows(checks, LIMIT_PER_EVENT)["Zhao"].exceeded
	assert rows(checks, LIMIT_PER_YEAR)["Zhao"].year_to_date == 0.0
	assert breaks_any(checks)


def test_year_limit_reached_exactly_is_not_exceeded_despite_float_sums():
	limits = Limits({}, per_recipient_per_year=0.3)
	checks = check_limits("Meal", [("Wang", 0.2)], {"Wang": 0.1}, 0.0, limits)
	assert not breaks_any(checks)


def test_account_budget_exceeded_and_request_total():
	checks = check_limits("Meal", [("Wang", 300.0)], {}, 9800.0, LIMITS)
	assert rows(checks, LIMIT_ACCOUNT_BUDGET)[ACCOUNT_SCOPE].exceeded
	checks = check_limits("Meal", [("Wang", 100.0)], {}, 9800.0, LIMITS, request_total=200.0)
	account = rows(checks, LIMIT_ACCOUNT_BUDGET)[ACCOUNT_SCOPE]
	assert account.this_request == 200.0 and account.after == 10000.0 and not account.exceeded


def test_no_limits_configured_gives_no_rows():
	checks = check_limits("Entertainment", [("Wang", 99999.0)], {}, 0.0, Limits({}))
	assert checks == []
	assert not breaks_any(checks)
	# a type mapped to None has no per-event cap, the others still apply
	checks = check_limits("Entertainment", [("Wang", 10.0)], {}, 0.0, LIMITS)
	assert {c.limit for c in checks} == {LIMIT_PER_YEAR, LIMIT_ACCOUNT_BUDGET}
	# a type missing from the dict likewise
	checks = check_limits("Travel/Hosting", [("Wang", 10.0)], {}, 0.0, LIMITS)
	assert LIMIT_PER_EVENT not in {c.limit for c in checks}


def test_recipient_listed_twice_is_counted_once_with_sum():
	checks = check_limits("Meal", [("Wang", 300.0), ("Wang", 250.0)], {}, 0.0, LIMITS)
	per_event = rows(checks, LIMIT_PER_EVENT)
	assert len([c for c in checks if c.limit == LIMIT_PER_EVENT]) == 1
	assert per_event["Wang"].this_request == 550.0 and per_event["Wang"].exceeded


def test_zero_limit_forbids_any_spend():
	checks = check_limits("Gift", [("Wang", 1.0)], {}, 0.0, Limits({"Gift": 0.0}))
	assert breaks_any(checks)


# --- budget -------------------------------------------------------------------------------------------------


def test_account_budget():
	assert account_budget(8000, 5, 1_000_000) == 8000.0  # fixed wins
	assert account_budget(0, 5, 1_000_000) == 0.0  # a fixed zero is still a given amount
	assert account_budget(None, 2.5, 400_000) == pytest.approx(10_000.0)
	assert account_budget(None, 2.5, 0) == 0.0
	assert account_budget(None, 2.5, -50_000) == 0.0
	assert account_budget(None, None, 400_000) is None
	assert account_budget(None, 2.5, None) is None
	assert account_budget(None, None, None) is None
	assert account_budget(-10, None, None) == 0.0
	assert account_budget(None, -1, 100_000) == 0.0


# --- settlement ---------------------------------------------------------------------------------------------


def test_variance():
	assert variance(1000, 1100) == (pytest.approx(100.0), pytest.approx(10.0))
	assert variance(1000, 900) == (pytest.approx(-100.0), pytest.approx(-10.0))
	assert variance(1000, 1000) == (0.0, 0.0)
	assert variance(0, 50) == (50.0, None)


@pytest.mark.parametrize(
	"estimated, actual, tolerance, expected",
	[
		(1000, 1100, 10, False),  # exactly at the tolerance
		(1000, 1100.01, 10, True),
		(1000, 900, 10, False),
		(1000, 1000, 0, False),
		(1000, 1000.01, 0, True),
		(1000, 1000.01, None, True),
		(333.33, 366.663, 10, False),  # float rounding at the boundary
		(0, 1, 10, True),
	],
)
def test_needs_reapproval(estimated, actual, tolerance, expected):
	assert needs_reapproval(estimated, actual, tolerance) is expected


# --- validation -------------------------------------------------------------------------------------------


def request(**overrides):
	values = dict(
		estimated_amount=1000.0,
		recipients=[("Wang", 400.0), ("Li", 600.0)],
		planned_date=dt.date(2025, 3, 20),
		today=TODAY,
		is_new=True,
		justification=None,
		breaks_limit=False,
	)
	values.update(overrides)
	return validate_request(**values)


def test_valid_request_has_no_problems():
	assert request() == []
	assert request(recipients=[("Wang", 100.0)]) == []  # sum below the estimate is fine
	assert request(planned_date=TODAY) == []  # today is not in the past
	assert request(breaks_limit=True, justification="Annual partner dinner, approved plan") == []


@pytest.mark.parametrize("amount", [0, -5, None])
def test_estimated_amount_must_be_positive(amount):
	assert any("estimated amount must be greater than zero" in p for p in request(estimated_amount=amount))


@pytest.mark.parametrize("amount", [0, -1])
def test_recipient_amount_must_be_positive(amount):
	problems = request(recipients=[("Wang", amount)])
	assert any("recipient Wang must be greater than zero" in p for p in problems)


def test_recipient_amounts_above_estimate():
	problems = request(recipients=[("Wang", 600.0), ("Li", 400.01)])
	assert len(problems) == 1 and "more than the estimated amount" in problems[0]
	assert request(recipients=[("Wang", 0.1), ("Li", 0.2)], estimated_amount=0.3) == []


def test_recipients_required_named_and_unique():
	assert any("At least one recipient" in p for p in request(recipients=[]))
	assert any("needs a contact" in p for p in request(recipients=[("  ", 100.0)]))
	assert any("more than once" in p for p in request(recipients=[("Wang", 100.0), ("Wang", 100.0)]))


def test_planned_date_in_the_past():
	problems = request(planned_date=dt.date(2025, 3, 9))
	assert len(problems) == 1 and "past" in problems[0]
	# an existing request may keep its (now past) date
	assert request(planned_date=dt.date(2025, 3, 9), is_new=False) == []
	# strings and datetimes as Frappe may pass them
	assert request(planned_date="2025-03-09", today="2025-03-10") == problems
	assert request(planned_date=dt.datetime(2025, 3, 10, 9, 0), today=TODAY) == []
	assert any("planned date is required" in p for p in request(planned_date=None))


@pytest.mark.parametrize("justification", [None, "", "   "])
def test_breaking_a_limit_needs_justification(justification):
	problems = request(breaks_limit=True, justification=justification)
	assert len(problems) == 1 and "justification" in problems[0]


def test_settlement_valid():
	assert validate_settlement("Approved", 800.0, True, 500.0) == []
	assert validate_settlement("Approved", 500.0, False, 500.0) == []  # at the threshold no receipt needed
	assert validate_settlement("Approved", 5000.0, False, None) == []


@pytest.mark.parametrize("status", ["Draft", "Pending Manager", "Rejected", None])
def test_settlement_before_approval(status):
	problems = validate_settlement(status, 100.0, True, 500.0)
	assert len(problems) == 1 and "approved request" in problems[0]


@pytest.mark.parametrize("actual", [0, -10, None])
def test_settlement_actual_must_be_positive(actual):
	assert any(
		"actual amount must be greater than zero" in p
		for p in validate_settlement("Approved", actual, True, 0)
	)


def test_settlement_missing_receipt():
	problems = validate_settlement("Approved", 500.01, False, 500.0)
	assert len(problems) == 1 and "receipt is required" in problems[0]
	assert validate_settlement("Approved", 0.01, False, 0) != []  # threshold 0: always required


# --- the Manager level belongs to the requester's superior (issue 18) ---------------------------------


def test_manager_level_is_the_requesters_superior_never_a_peer():
	line = ["dept.manager@x.com", "director@x.com"]  # nearest first
	assert can_approve_manager_level("dept.manager@x.com", "kam@x.com", line) == (True, "")
	# higher up the line is a superior too
	assert can_approve_manager_level("Director@X.com ", "kam@x.com", line)[0]
	# a colleague on the same account is a peer, whatever their role on the account
	allowed, reason = can_approve_manager_level("peer@x.com", "kam@x.com", line)
	assert not allowed and "superior" in reason
	assert not can_approve_manager_level("peer@x.com", "kam@x.com", [])[0]


def test_manager_level_directors_and_self_approval():
	# a Key Account Director stands above every manager
	assert can_approve_manager_level("boss@x.com", "kam@x.com", [], approver_is_director=True)[0]
	# but is a peer of another director
	assert not can_approve_manager_level(
		"boss@x.com", "other.director@x.com", [], approver_is_director=True, requester_is_director=True
	)[0]
	# unless they are that director's superior
	assert can_approve_manager_level("boss@x.com", "other.director@x.com", ["boss@x.com"], True, True)[0]
	# nobody signs their own request, not even when a bad org chart says they report to themselves
	allowed, reason = can_approve_manager_level("kam@x.com", "KAM@x.com", ["kam@x.com"], True)
	assert not allowed and "self-approval" in reason
	assert not can_approve_manager_level("", "kam@x.com", [""])[0]
