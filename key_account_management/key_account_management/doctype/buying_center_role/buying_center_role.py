# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_management.buying_center.role import (
	after_role_deleted,
	after_role_saved,
	detach_reports,
	validate_role,
)


class BuyingCenterRole(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attitude: DF.Literal["Champion", "Supporter", "Neutral", "Skeptic", "Opponent"]
		buying_role: DF.Literal[
			"Decision Maker",
			"Technical Gatekeeper",
			"Financial Gatekeeper",
			"Purchaser",
			"User",
			"Influencer",
		]
		career: DF.SmallText | None
		collective_decision: DF.Check
		contact: DF.Link
		contact_name: DF.Data | None
		current_focus: DF.SmallText | None
		customer: DF.Link | None
		designation: DF.Data | None
		disc_profile: DF.Literal["", "D", "I", "S", "C"]
		education: DF.SmallText | None
		family: DF.SmallText | None
		hobbies: DF.SmallText | None
		influence: DF.Int
		is_insider: DF.Check
		key_account: DF.Link
		last_contacted: DF.Date | None
		left_on: DF.Date | None
		link_contact_to_customer: DF.Check
		personality: DF.Literal[
			"", "A - Analytical", "B - Sequential", "C - Interpersonal", "D - Imaginative"
		]
		relationship_strength: DF.Int
		reports_to: DF.Link | None
		status: DF.Literal["Active", "Left the Company"]
	# end: auto-generated types

	def validate(self):
		validate_role(self)

	def on_update(self):
		after_role_saved(self)

	def on_trash(self):
		detach_reports(self)

	def after_delete(self):
		after_role_deleted(self)
