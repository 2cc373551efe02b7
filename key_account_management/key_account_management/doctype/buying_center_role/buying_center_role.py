# Copyright (c) 2026, key_account_management contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from key_account_management.access.html import bold
from key_account_management.access.rules import visible_customers
from key_account_management.buying_center import refresh_profile_coverage
from key_account_management.core.buying_center import creates_cycle


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
		self.customer = frappe.db.get_value("Key Account Profile", self.key_account, "customer")
		self.validate_ranges()
		self.validate_contact()
		self.validate_unique_role()
		self.validate_move()
		self.validate_reports_to()
		if self.status == "Active":
			self.left_on = None

	def previous_account(self) -> str | None:
		"""The account this record belonged to before this save, when the save moves it to another."""
		if self.is_new():
			return None
		stored = frappe.db.get_value("Buying Center Role", self.name, "key_account")
		return stored if stored and stored != self.key_account else None

	def validate_move(self):
		"""A person moved to another account leaves the old account's reporting line behind: the people
		who report to them there must first report to someone else, and their own manager there is no
		longer theirs."""
		old_account = self.previous_account()
		if not old_account:
			return
		reports = frappe.get_all(
			"Buying Center Role",
			filters={"reports_to": self.name, "key_account": old_account},
			fields=["contact_name", "contact"],
			order_by="name",
		)
		if reports:
			frappe.throw(
				_(
					"{0} cannot move to another account while {1} report to them in this one: set their Reports To to someone else first."
				).format(
					frappe.bold(self.contact_name or self.contact),
					", ".join(frappe.bold(row.contact_name or row.contact) for row in reports),
				),
				title=_("People Report to This Person"),
			)
		if (
			self.reports_to
			and frappe.db.get_value("Buying Center Role", self.reports_to, "key_account") == old_account
		):
			self.reports_to = None

	def validate_ranges(self):
		for fieldname in ("influence", "relationship_strength"):
			value = cint(self.get(fieldname))
			if not 1 <= value <= 5:
				frappe.throw(
					_("{0} must be from 1 to 5; it is {1}.").format(_(self.meta.get_label(fieldname)), value),
					title=_("Out of Range"),
				)

	def validate_contact(self):
		linked_to = frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Contact", "parent": self.contact, "link_doctype": "Customer"},
			pluck="link_name",
		)
		if self.customer in linked_to:
			return
		if linked_to and not self.link_contact_to_customer:
			# name only the customers the user works on or may read
			named = visible_customers(linked_to)
			frappe.throw(
				_("Contact {0} belongs to customer {1}, not to {2}. Pick a contact of {2}.").format(
					bold(self.contact), bold(", ".join(named)), bold(self.customer)
				)
				if named
				else _("Contact {0} belongs to another customer, not to {1}. Pick a contact of {1}.").format(
					bold(self.contact), bold(self.customer)
				),
				title=_("Contact of Another Customer"),
			)
		if not self.link_contact_to_customer:
			frappe.throw(
				_(
					"Contact {0} is not linked to customer {1}. Tick 'Link this contact to the customer' to link it, or pick a contact of {1}."
				).format(bold(self.contact), bold(self.customer)),
				title=_("Contact Not Linked"),
			)
		contact = frappe.get_doc("Contact", self.contact)
		# linking changes the contact: only one the user may change (Frappe's own check on Contact)
		if not self.flags.ignore_permissions and not contact.has_permission("write"):
			frappe.throw(
				_("You may not change contact {0}, so it cannot be linked to customer {1}.").format(
					bold(self.contact), bold(self.customer)
				),
				frappe.PermissionError,
				title=_("Contact Not Linked"),
			)
		# linked in on_update, once every check of this record passed: a refused record links nothing
		self.flags.link_contact = True
		self.link_contact_to_customer = 0

	def link_contact(self):
		"""Link the contact to the account's customer, as the user asked when they ticked the box."""
		if not self.flags.link_contact:
			return
		self.flags.link_contact = False
		contact = frappe.get_doc("Contact", self.contact)
		if not any(l.link_doctype == "Customer" and l.link_name == self.customer for l in contact.links):
			contact.append("links", {"link_doctype": "Customer", "link_name": self.customer})
			contact.save(ignore_permissions=bool(self.flags.ignore_permissions))

	def validate_unique_role(self):
		duplicate = frappe.db.exists(
			"Buying Center Role",
			{
				"key_account": self.key_account,
				"contact": self.contact,
				"buying_role": self.buying_role,
				"name": ("!=", self.name),
			},
		)
		if duplicate:
			frappe.throw(
				_(
					"{0} is already recorded as {1} in this account ({2}); one record per person and role."
				).format(bold(self.contact_name or self.contact), _(self.buying_role), duplicate),
				frappe.UniqueValidationError,
				title=_("Duplicate Role"),
			)

	def validate_reports_to(self):
		if not self.reports_to:
			return
		if self.reports_to == self.name:
			frappe.throw(_("A person cannot report to themselves; clear Reports To or pick their manager."))
		parent_account = frappe.db.get_value("Buying Center Role", self.reports_to, "key_account")
		if parent_account != self.key_account:
			# the other account is named only to a user who may read it
			frappe.throw(
				_(
					"Reports To {0} belongs to key account {1}, not {2}; pick someone of the same account."
				).format(bold(self.reports_to), bold(parent_account), bold(self.key_account))
				if parent_account and visible_customers([parent_account])
				else _(
					"Reports To {0} is not a person of key account {1}; pick someone of the same account."
				).format(bold(self.reports_to), bold(self.key_account)),
				title=_("Reports To in Another Account"),
			)
		line = dict(
			frappe.get_all(
				"Buying Center Role",
				filters={"key_account": self.key_account},
				fields=["name", "reports_to"],
				as_list=True,
			)
		)
		if creates_cycle(line, self.name, self.reports_to):
			frappe.throw(
				_(
					"Reports To {0} would close a loop in the reporting line; someone in it already reports to this person."
				).format(bold(self.reports_to)),
				title=_("Reporting Loop"),
			)

	def on_update(self):
		self.link_contact()
		refresh_profile_coverage(self.key_account)
		# a move takes the person out of the old account: its coverage changes too
		before = self.get_doc_before_save()
		if before and before.key_account and before.key_account != self.key_account:
			refresh_profile_coverage(before.key_account)

	def on_trash(self):
		frappe.db.set_value("Buying Center Role", {"reports_to": self.name}, "reports_to", None)

	def after_delete(self):
		refresh_profile_coverage(self.key_account)
