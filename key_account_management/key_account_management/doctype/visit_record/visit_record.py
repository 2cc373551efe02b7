# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_to_date, flt, getdate, time_diff_in_hours, today

from key_account_management import visits
from key_account_management.core import visits as rules


class VisitRecord(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_management.key_account_management.doctype.visit_attendee.visit_attendee import (
			VisitAttendee,
		)
		from key_account_management.key_account_management.doctype.visit_customer_attendee.visit_customer_attendee import (
			VisitCustomerAttendee,
		)

		actual_end: DF.Datetime | None
		actual_start: DF.Datetime | None
		amended_from: DF.Link | None
		cancellation_reason: DF.SmallText | None
		customer: DF.Link | None
		customer_attendees: DF.Table[VisitCustomerAttendee]
		customer_name: DF.Data | None
		customer_views: DF.Text | None
		follow_up_date: DF.Date | None
		follow_up_due: DF.Date | None
		follow_up_method: DF.Literal["", "Phone", "Visit", "Email", "Message"]
		follow_up_notes: DF.SmallText | None
		follow_up_status: DF.Literal["", "Not Due", "Due", "Overdue", "Done On Time", "Done Late"]
		follow_up_todo: DF.Link | None
		hours: DF.Float
		key_account: DF.Link
		naming_series: DF.Literal["VISIT-.YYYY.-"]
		next_steps: DF.Text | None
		objective: DF.SmallText | None
		our_attendees: DF.Table[VisitAttendee]
		planned_end: DF.Datetime | None
		planned_start: DF.Datetime
		prep_customer_data: DF.Check
		prep_our_material: DF.Check
		prep_reference_cases: DF.Check
		prep_sales_policy: DF.Check
		status: DF.Literal["Planned", "Completed", "Cancelled"]
		suggestions: DF.Text | None
		talking_points: DF.TextEditor | None
		visit_cost: DF.Currency
		visit_date: DF.Date | None
		visit_method: DF.Literal["On Site", "Customer at Our Site", "Phone", "Video", "Event"]
	# end: auto-generated types

	def validate(self):
		self.set_planned_end()
		self.set_visit_date()
		if self.docstatus == 0:
			# a draft is a plan: Planned, or Cancelled when it will not happen; Completed only by submitting
			# a new record (an amendment too) starts as a plan; a saved plan may be called off
			if self.status != rules.CANCELLED or self.is_new():
				self.status = rules.PLANNED
				self.cancellation_reason = None
		completing = self._action == "submit"
		problems = [
			problem_message(problem)
			for problem in rules.validate_visit(
				self.planned_start,
				self.planned_end,
				self.actual_start,
				self.actual_end,
				getdate(today()),
				completing=completing,
				talking_points=self.talking_points,
				customer_views=self.customer_views,
				status=self.status,
				cancellation_reason=self.cancellation_reason,
			)
		]
		problems += self.customer_attendee_problems()
		if completing:
			problems += self.carried_follow_up_problems()
		if problems:
			frappe.throw(
				"<br>".join(problems),
				title=_("Cannot Complete the Visit") if completing else _("Invalid Visit"),
			)
		self.set_hours_and_cost()

	def set_planned_end(self):
		# the calendar needs an end; an hour is the usual length of a visit
		if self.planned_start and not self.planned_end:
			self.planned_end = add_to_date(self.planned_start, hours=1)

	def set_visit_date(self):
		self.visit_date = (
			getdate(self.actual_start or self.planned_start)
			if (self.actual_start or self.planned_start)
			else None
		)

	def customer_attendee_problems(self) -> list[str]:
		if not self.customer_attendees:
			return []
		contacts = [row.contact for row in self.customer_attendees]
		linked = set(
			frappe.get_all(
				"Dynamic Link",
				filters={
					"parenttype": "Contact",
					"parent": ("in", contacts),
					"link_doctype": "Customer",
					"link_name": self.customer,
				},
				pluck="parent",
			)
		)
		roles: dict[str, list[str]] = {}
		for contact, role in frappe.get_all(
			"Buying Center Role",
			filters={"key_account": self.key_account, "contact": ("in", contacts)},
			fields=["contact", "buying_role"],
			as_list=True,
		):
			roles.setdefault(contact, []).append(_(role))
		problems = []
		for row in self.customer_attendees:
			if row.contact not in linked:
				problems.append(
					_(
						"Row {0}: contact {1} is not a contact of customer {2}; pick one of the customer's contacts."
					).format(row.idx, frappe.bold(row.contact), frappe.bold(self.customer))
				)
			row.buying_roles = ", ".join(roles.get(row.contact, []))
		return problems

	def carried_follow_up_problems(self) -> list[str]:
		"""An amended visit keeps the follow-up recorded on the visit it replaces; it must still fit."""
		if not self.follow_up_date:
			return []
		if self.visit_date and getdate(self.follow_up_date) < getdate(self.visit_date):
			return [follow_up_before_visit(self.follow_up_date, self.visit_date)]
		if getdate(self.follow_up_date) > getdate(today()):
			return [_("Followed Up On cannot be in the future; record the follow-up once it happened.")]
		return []

	def set_hours_and_cost(self):
		self.hours = (
			flt(time_diff_in_hours(self.actual_end, self.actual_start), 2)
			if self.actual_start and self.actual_end
			else 0
		)
		default_income = visits.default_yearly_income()
		incomes = [flt(row.yearly_income) or default_income for row in self.our_attendees]
		self.visit_cost = flt(rules.visit_cost(self.hours, incomes), 2) if self.hours else 0

	def before_submit(self):
		self.status = rules.COMPLETED
		self.follow_up_due = rules.follow_up_due(getdate(self.visit_date), visits.get_follow_up_days())
		# an amendment of a visit whose follow-up was recorded keeps it: the follow-up happened
		self.follow_up_status = rules.follow_up_status(
			self.visit_date, self.follow_up_date, getdate(today()), visits.get_follow_up_days()
		)

	def on_submit(self):
		if not self.follow_up_date:
			self.create_follow_up_todo()
		elif self.follow_up_todo:
			# a ToDo linked from the amended visit is not this visit's
			self.db_set("follow_up_todo", None)
		visits.refresh_profile_visits(self.key_account)
		visits.mark_contacted(
			self.key_account, [row.contact for row in self.customer_attendees], self.visit_date
		)

	def create_follow_up_todo(self):
		todo = frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": self.owner,
				"date": self.follow_up_due,
				"reference_type": self.doctype,
				"reference_name": self.name,
				"description": _("Follow up the visit to {0} of {1}: hear their opinion.").format(
					self.customer_name or self.customer, frappe.format(self.visit_date, "Date")
				),
				"priority": "Medium",
			}
		).insert(ignore_permissions=True)
		self.db_set("follow_up_todo", todo.name)

	def before_update_after_submit(self):
		if not self.follow_up_date:
			return
		try:
			self.follow_up_status = rules.follow_up_status(
				self.visit_date, self.follow_up_date, getdate(today()), visits.get_follow_up_days()
			)
		except ValueError:
			frappe.throw(
				follow_up_before_visit(self.follow_up_date, self.visit_date), title=_("Invalid Follow-up")
			)
		if getdate(self.follow_up_date) > getdate(today()):
			frappe.throw(_("Followed Up On cannot be in the future; record the follow-up once it happened."))

	def on_update_after_submit(self):
		if self.follow_up_date and self.follow_up_todo:
			frappe.db.set_value("ToDo", self.follow_up_todo, "status", "Closed")

	def on_cancel(self):
		self.db_set("status", rules.CANCELLED)
		if self.follow_up_todo:
			# an open follow-up is no longer owed; a closed one stays closed, it happened
			frappe.db.set_value(
				"ToDo", {"name": self.follow_up_todo, "status": "Open"}, "status", "Cancelled"
			)
		visits.refresh_profile_visits(self.key_account)


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
