from key_account_management.core.buying_center import (
	FLAG_DECISION_MAKER_OPPOSES,
	FLAG_KEY_PERSON_LEFT,
	FLAG_NO_DECISION_MAKER,
	FLAG_NO_INSIDER,
	FLAG_SINGLE_THREADED,
	Member,
	coverage,
	creates_cycle,
	org_chart,
)


def team():
	return [
		Member("r1", "ceo", "Decision Maker", 5, "Supporter"),
		Member("r2", "cto", "Technical Gatekeeper", 4, "Champion", reports_to="r1"),
		Member("r3", "cfo", "Financial Gatekeeper", 4, "Neutral", reports_to="r1"),
		Member("r4", "buyer", "Purchaser", 3, "Skeptic", reports_to="r3"),
		Member("r5", "engineer", "User", 2, "Supporter", is_insider=True, reports_to="r2"),
	]


def test_full_coverage_and_weighted_support():
	result = coverage(team())
	assert result.coverage_percent == 100.0
	assert all(result.covered.values())
	assert result.insider_present
	# 5×1 + 4×2 + 4×0 + 3×(−1) + 2×1
	assert result.support_score == 12
	assert result.support_ratio == round(12 / 36, 3)
	assert result.flags == []


def test_gaps_are_flagged():
	result = coverage([Member("r1", "buyer", "Purchaser", 3, "Supporter")])
	assert result.coverage_percent == 20.0
	assert result.flags == [FLAG_NO_DECISION_MAKER, FLAG_SINGLE_THREADED, FLAG_NO_INSIDER]


def test_decision_maker_opposing_and_leaving():
	members = team()
	members[0] = Member("r1", "ceo", "Decision Maker", 5, "Opponent")
	assert FLAG_DECISION_MAKER_OPPOSES in coverage(members).flags
	members[0] = Member("r1", "ceo", "Decision Maker", 5, "Supporter", active=False)
	flags = coverage(members).flags
	assert FLAG_KEY_PERSON_LEFT in flags and FLAG_NO_DECISION_MAKER in flags


def test_key_person_left_clears_once_a_new_decision_maker_is_in_place():
	members = team()
	members[0] = Member("r1", "ceo", "Decision Maker", 5, "Supporter", active=False)
	assert FLAG_KEY_PERSON_LEFT in coverage(members).flags
	# the successor is mapped: the account has a decision maker again
	members.append(Member("r6", "new-ceo", "Decision Maker", 5, "Neutral"))
	flags = coverage(members).flags
	assert FLAG_KEY_PERSON_LEFT not in flags and FLAG_NO_DECISION_MAKER not in flags
	# someone else leaving (not a decision maker) is not a key person leaving
	members = [*team()[:1], Member("r4", "buyer", "Purchaser", 3, "Skeptic", active=False), *team()[2:]]
	assert FLAG_KEY_PERSON_LEFT not in coverage(members).flags


def test_one_person_with_two_roles_is_still_single_threaded():
	members = [
		Member("a", "x", "Decision Maker", 5, "Champion"),
		Member("b", "x", "Purchaser", 5, "Champion"),
	]
	assert FLAG_SINGLE_THREADED in coverage(members).flags


def test_empty_buying_center():
	result = coverage([])
	assert result.coverage_percent == 0 and result.support_ratio == 0.0
	assert FLAG_NO_DECISION_MAKER in result.flags


def test_cycles():
	line = {"r2": "r1", "r3": "r1", "r4": "r3", "r5": "r2"}
	assert creates_cycle(line, "r1", "r4")  # r4 → r3 → r1
	assert creates_cycle(line, "r1", "r1")
	assert not creates_cycle(line, "r4", "r2")
	assert not creates_cycle(line, "r4", None)


def test_org_chart_tree():
	roots = org_chart(team())
	assert [r["name"] for r in roots] == ["r1"]
	assert [c["name"] for c in roots[0]["children"]] == ["r2", "r3"]
	assert roots[0]["children"][0]["children"][0]["insider"] is True
	# a reports-to outside the account makes a root
	assert len(org_chart([Member("x", "c", "User", reports_to="elsewhere")])) == 1
