# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_management.visits.record import (
	after_visit_cancelled,
	after_visit_completed,
	check_follow_up,
	close_follow_up_todo,
	complete_visit,
	validate_visit_record,
)


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
		validate_visit_record(self)

	def before_submit(self):
		complete_visit(self)

	def on_submit(self):
		after_visit_completed(self)

	def before_update_after_submit(self):
		check_follow_up(self)

	def on_update_after_submit(self):
		close_follow_up_todo(self)

	def on_cancel(self):
		after_visit_cancelled(self)
