"""The open pipeline of one key account, for its profile.

Open, pursued opportunities: count, value and weighted value (value × graded likelihood) per grade and
per stage, each opportunity's next open milestone, and whether the buying center has a decision maker
for the opportunities at entry or later (entry is where the organisation, roles and key people must be
known). Small orders outside the funnel are counted apart and added to the forecast.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint, flt

from key_account_management.core import funnel as core
from key_account_management.core import funnel_stages
from key_account_management.core.buying_center import FLAG_NO_DECISION_MAKER, coverage
from key_account_management.funnel.config import get_stages

UNGRADED = core.UNGRADED


def _bucket() -> dict:
	return {"count": 0, "value": 0.0, "weighted": 0.0}


def _add(bucket: dict, amount: float, weighted: float) -> None:
	bucket["count"] += 1
	bucket["value"] += amount
	bucket["weighted"] += weighted


@frappe.whitelist()
@frappe.read_only()
def get_account_pipeline(key_account: str) -> dict:
	if not isinstance(key_account, str) or not key_account:
		frappe.throw(_("key_account must be the name of a Key Account Profile."))
	frappe.has_permission("Key Account Profile", "read", doc=key_account, throw=True)
	if not frappe.has_permission("Opportunity", "read"):
		return {"no_access": True}
	rows = frappe.get_list(
		"Opportunity",
		filters={"kam_key_account": key_account, "status": ("in", core.OPEN_STATUSES), "kam_not_pursued": 0},
		fields=[
			"name",
			"title",
			"status",
			"sales_stage",
			"kam_grade",
			"base_opportunity_amount",
			"kam_likelihood",
			"expected_closing",
			"kam_out_of_funnel",
		],
		order_by="expected_closing asc, name asc",
		limit_page_length=0,
	)
	return summarize(rows, get_stages(), _done_milestones([row.name for row in rows]), key_account)


def _done_milestones(names: list[str]) -> dict[str, set[str]]:
	done: dict[str, set[str]] = {}
	if not names:
		return done
	for parent, stage in frappe.get_all(
		"Opportunity Milestone",
		filters={"parenttype": "Opportunity", "parent": ("in", names), "done": 1},
		fields=["parent", "sales_stage"],
		as_list=True,
	):
		done.setdefault(parent, set()).add(stage)
	return done


def summarize(rows, stages, done: dict[str, set[str]], key_account: str) -> dict:
	from key_account_management.buying_center.members import members_by_account

	by_grade = {grade: _bucket() for grade in (*core.GRADES, UNGRADED)}
	by_stage = {stage.name: _bucket() for stage in stages}
	funnel, outside = _bucket(), _bucket()
	entry = stages[1].sequence if len(stages) > 1 else None
	opportunities = []
	for row in rows:
		amount = flt(row.base_opportunity_amount)
		weighted = funnel_stages.weighted(amount, row.kam_likelihood)
		if cint(row.kam_out_of_funnel):
			_add(outside, amount, weighted)
			continue
		_add(funnel, amount, weighted)
		_add(by_grade[row.kam_grade if row.kam_grade in core.GRADES else UNGRADED], amount, weighted)
		sequence = funnel_stages.stage_sequence(row.sales_stage, stages)
		stage = next((s.name for s in stages if s.sequence == sequence), None)
		if stage:
			_add(by_stage[stage], amount, weighted)
		upcoming = funnel_stages.next_milestone(row.sales_stage, stages, done.get(row.name, set()))
		opportunities.append(
			{
				"name": row.name,
				"title": row.title,
				"stage": stage,
				"grade": row.kam_grade,
				"amount": amount,
				"likelihood": flt(row.kam_likelihood),
				"weighted": weighted,
				"expected_closing": row.expected_closing,
				"next_stage": upcoming.name if upcoming else None,
				"next_milestone": upcoming.milestone if upcoming else None,
				"at_entry_or_later": bool(entry is not None and sequence is not None and sequence >= entry),
			}
		)
	center = coverage(members_by_account([key_account]).get(key_account, []))
	decision_maker_known = FLAG_NO_DECISION_MAKER not in center.flags
	return {
		"by_grade": by_grade,
		"by_stage": by_stage,
		"stages": [stage.name for stage in stages],
		"funnel": funnel,
		"outside": outside,
		"forecast": funnel["weighted"] + outside["weighted"],
		"opportunities": opportunities,
		"decision_maker_known": decision_maker_known,
		"coverage_percent": center.coverage_percent,
		"need_decision_maker": sum(1 for o in opportunities if o["at_entry_or_later"])
		if not decision_maker_known
		else 0,
	}
