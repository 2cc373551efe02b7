"""What the Visit Record controller checks and does; each function takes the document (docs/DOMAIN.md §5).

A draft is a plan (Planned, or Cancelled with a reason); submitting completes the visit, which needs what
happened and when, prices it by the attendees' time and opens the follow-up ToDo. The rules are in
``core.visits``; their problems become translated messages here.
"""

from __future__ import annotations

import datetime

import frappe
from frappe import _
from frappe.utils import add_to_date, flt, getdate, time_diff_in_hours, today

from key_account_management.core import visits as rules
from key_account_management.visits import month_counts
from key_account_management.visits.cadence import default_yearly_income, get_follow_up_days
from key_account_management.visits.profile import mark_contacted, refresh_profile_visits


def validate_visit_record(doc):
	"""Visit Record.validate: a draft is a plan; every problem of the plan (or, on submit, of the
	completed visit) is reported at once."""
	set_planned_end(doc)
	set_visit_date(doc)
	if doc.docstatus == 0:
		# a draft is a plan: Planned, or Cancelled when it will not happen; Completed only by submitting
		# a new record (an amendment too) starts as a plan; a saved plan may be called off
		if doc.status != rules.CANCELLED or doc.is_new():
			doc.status = rules.PLANNED
			doc.cancellation_reason = None
	completing = doc._action == "submit"
	problems = [
		problem_message(problem)
		for problem in rules.validate_visit(
			doc.planned_start,
			doc.planned_end,
			doc.actual_start,
			doc.actual_end,
			getdate(today()),
			completing=completing,
			talking_points=doc.talking_points,
			customer_views=doc.customer_views,
			status=doc.status,
			cancellation_reason=doc.cancellation_reason,
		)
	]
	problems += customer_attendee_problems(doc)
	if completing:
		problems += carried_follow_up_problems(doc)
	if problems:
		frappe.throw(
			"<br>".join(problems),
			title=_("Cannot Complete the Visit") if completing else _("Invalid Visit"),
		)
	set_hours_and_cost(doc)


def set_planned_end(doc):
	# the calendar needs an end; an hour is the usual length of a visit
	if doc.planned_start and not doc.planned_end:
		doc.planned_end = add_to_date(doc.planned_start, hours=1)


def set_visit_date(doc):
	doc.visit_date = (
		getdate(doc.actual_start or doc.planned_start) if (doc.actual_start or doc.planned_start) else None
	)


def customer_attendee_problems(doc) -> list[str]:
	if not doc.customer_attendees:
		return []
	contacts = [row.contact for row in doc.customer_attendees]
	linked = set(
		frappe.get_all(
			"Dynamic Link",
			filters={
				"parenttype": "Contact",
				"parent": ("in", contacts),
				"link_doctype": "Customer",
				"link_name": doc.customer,
			},
			pluck="parent",
		)
	)
	roles: dict[str, list[str]] = {}
	for contact, role in frappe.get_all(
		"Buying Center Role",
		filters={"key_account": doc.key_account, "contact": ("in", contacts)},
		fields=["contact", "buying_role"],
		as_list=True,
	):
		roles.setdefault(contact, []).append(_(role))
	problems = []
	for row in doc.customer_attendees:
		if row.contact not in linked:
			problems.append(
				_(
					"Row {0}: contact {1} is not a contact of customer {2}; pick one of the customer's contacts."
				).format(row.idx, frappe.bold(row.contact), frappe.bold(doc.customer))
			)
		row.buying_roles = ", ".join(roles.get(row.contact, []))
	return problems


def carried_follow_up_problems(doc) -> list[str]:
	"""An amended visit keeps the follow-up recorded on the visit it replaces; it must still fit."""
	if not doc.follow_up_date:
		return []
	if doc.visit_date and getdate(doc.follow_up_date) < getdate(doc.visit_date):
		return [follow_up_before_visit(doc.follow_up_date, doc.visit_date)]
	if getdate(doc.follow_up_date) > getdate(today()):
		return [_("Followed Up On cannot be in the future; record the follow-up once it happened.")]
	return []


def set_hours_and_cost(doc):
	doc.hours = (
		flt(time_diff_in_hours(doc.actual_end, doc.actual_start), 2)
		if doc.actual_start and doc.actual_end
		else 0
	)
	default_income = default_yearly_income()
	incomes = [flt(row.yearly_income) or default_income for row in doc.our_attendees]
	doc.visit_cost = flt(rules.visit_cost(doc.hours, incomes), 2) if doc.hours else 0


def complete_visit(doc):
	"""Visit Record.before_submit: the visit is completed; its follow-up is due a week on."""
	doc.status = rules.COMPLETED
	doc.follow_up_due = rules.follow_up_due(getdate(doc.visit_date), get_follow_up_days())
	# an amendment of a visit whose follow-up was recorded keeps it: the follow-up happened
	doc.follow_up_status = rules.follow_up_status(
		doc.visit_date, doc.follow_up_date, getdate(today()), get_follow_up_days()
	)


def after_visit_completed(doc):
	"""Visit Record.on_submit: the follow-up ToDo, the profile's visits, the contacts' last contact."""
	if not doc.follow_up_date:
		create_follow_up_todo(doc)
	elif doc.follow_up_todo:
		# a ToDo linked from the amended visit is not this visit's
		doc.db_set("follow_up_todo", None)
	refresh_profile_visits(doc.key_account)
	mark_contacted(doc.key_account, [row.contact for row in doc.customer_attendees], doc.visit_date)
	month_counts.on_submit(doc)


def create_follow_up_todo(doc):
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": doc.owner,
			"date": doc.follow_up_due,
			"reference_type": doc.doctype,
			"reference_name": doc.name,
			"description": _("Follow up the visit to {0} of {1}: hear their opinion.").format(
				doc.customer_name or doc.customer, frappe.format(doc.visit_date, "Date")
			),
			"priority": "Medium",
		}
	).insert(ignore_permissions=True)
	doc.db_set("follow_up_todo", todo.name)


def check_follow_up(doc):
	"""Visit Record.before_update_after_submit: the recorded follow-up sets the follow-up status."""
	if not doc.follow_up_date:
		return
	try:
		doc.follow_up_status = rules.follow_up_status(
			doc.visit_date, doc.follow_up_date, getdate(today()), get_follow_up_days()
		)
	except ValueError:
		frappe.throw(follow_up_before_visit(doc.follow_up_date, doc.visit_date), title=_("Invalid Follow-up"))
	if getdate(doc.follow_up_date) > getdate(today()):
		frappe.throw(_("Followed Up On cannot be in the future; record the follow-up once it happened."))


def close_follow_up_todo(doc):
	"""Visit Record.on_update_after_submit: a recorded follow-up closes its ToDo."""
	if doc.follow_up_date and doc.follow_up_todo:
		frappe.db.set_value("ToDo", doc.follow_up_todo, "status", "Closed")


def after_visit_cancelled(doc):
	"""Visit Record.on_cancel."""
	doc.db_set("status", rules.CANCELLED)
	if doc.follow_up_todo:
		# an open follow-up is no longer owed; a closed one stays closed, it happened
		frappe.db.set_value("ToDo", {"name": doc.follow_up_todo, "status": "Open"}, "status", "Cancelled")
	refresh_profile_visits(doc.key_account)
	month_counts.on_cancel(doc)


def follow_up_before_visit(follow_up_date, visit_date) -> str:
	return _("Followed Up On ({0}) is before the visit ({1}); enter the date the follow-up happened.").format(
		frappe.format(follow_up_date, "Date"), frappe.format(visit_date, "Date")
	)


def problem_message(problem: rules.Problem) -> str:
	"""The translated message of a problem the visit rules found."""
	values = [
		frappe.format(value, "Datetime" if isinstance(value, datetime.datetime) else "Date")
		for value in problem.values
	]
	messages = {
		rules.PROBLEM_NO_PLANNED_START: lambda: _(
			"Planned Start is missing: enter when the visit is planned."
		),
		rules.PROBLEM_PLANNED_END_BEFORE_START: lambda: _(
			"Planned End ({1}) is before Planned Start ({0}): correct the planned times."
		).format(*values),
		rules.PROBLEM_ACTUAL_END_BEFORE_START: lambda: _(
			"The visit ends ({1}) before it starts ({0}): correct Actual Start or Actual End."
		).format(*values),
		rules.PROBLEM_COMPLETED_IN_FUTURE: lambda: _(
			"The visit is dated {0}, in the future: it can only be completed on or after that day."
		).format(*values),
		rules.PROBLEM_NO_ACTUAL_START: lambda: _(
			"Actual Start is missing: enter when the visit began before completing it."
		),
		rules.PROBLEM_NO_ACTUAL_END: lambda: _(
			"Actual End is missing: enter when the visit ended before completing it."
		),
		rules.PROBLEM_NO_TALKING_POINTS: lambda: _(
			"Main Talking Points are missing: write what was discussed before completing the visit."
		),
		rules.PROBLEM_NO_CUSTOMER_VIEWS: lambda: _(
			"The Customer's Views are missing: write what the customer said before completing the visit."
		),
		rules.PROBLEM_COMPLETING_CANCELLED: lambda: _(
			"This visit was cancelled: reopen the plan before completing it."
		),
		rules.PROBLEM_NO_CANCELLATION_REASON: lambda: _(
			"Write why the visit is cancelled in Cancellation Reason."
		),
	}
	return messages[problem.code]()
