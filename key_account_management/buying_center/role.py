"""What the Buying Center Role controller checks and does; each function takes the document
(docs/DOMAIN.md §4).

A role belongs to one key account and its customer's contact; the reporting line stays inside the account
and has no loop; a saved or deleted role refreshes the account's coverage.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import cint

from key_account_management.access.html import bold
from key_account_management.access.rules import visible_customers
from key_account_management.buying_center.members import refresh_profile_coverage
from key_account_management.core.buying_center import creates_cycle


def validate_role(doc):
	"""Buying Center Role.validate."""
	doc.customer = frappe.db.get_value("Key Account Profile", doc.key_account, "customer")
	validate_ranges(doc)
	validate_contact(doc)
	validate_unique_role(doc)
	validate_move(doc)
	validate_reports_to(doc)
	if doc.status == "Active":
		doc.left_on = None


def previous_account(doc) -> str | None:
	"""The account this record belonged to before this save, when the save moves it to another."""
	if doc.is_new():
		return None
	stored = frappe.db.get_value("Buying Center Role", doc.name, "key_account")
	return stored if stored and stored != doc.key_account else None


def validate_move(doc):
	"""A person moved to another account leaves the old account's reporting line behind: the people
	who report to them there must first report to someone else, and their own manager there is no
	longer theirs."""
	old_account = previous_account(doc)
	if not old_account:
		return
	reports = frappe.get_all(
		"Buying Center Role",
		filters={"reports_to": doc.name, "key_account": old_account},
		fields=["contact_name", "contact"],
		order_by="name",
	)
	if reports:
		frappe.throw(
			_(
				"{0} cannot move to another account while {1} report to them in this one: set their Reports To to someone else first."
			).format(
				frappe.bold(doc.contact_name or doc.contact),
				", ".join(frappe.bold(row.contact_name or row.contact) for row in reports),
			),
			title=_("People Report to This Person"),
		)
	if (
		doc.reports_to
		and frappe.db.get_value("Buying Center Role", doc.reports_to, "key_account") == old_account
	):
		doc.reports_to = None


def validate_ranges(doc):
	for fieldname in ("influence", "relationship_strength"):
		value = cint(doc.get(fieldname))
		if not 1 <= value <= 5:
			frappe.throw(
				_("{0} must be from 1 to 5; it is {1}.").format(_(doc.meta.get_label(fieldname)), value),
				title=_("Out of Range"),
			)


def validate_contact(doc):
	linked_to = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "parent": doc.contact, "link_doctype": "Customer"},
		pluck="link_name",
	)
	if doc.customer in linked_to:
		return
	if linked_to and not doc.link_contact_to_customer:
		# name only the customers the user works on or may read
		named = visible_customers(linked_to)
		frappe.throw(
			_("Contact {0} belongs to customer {1}, not to {2}. Pick a contact of {2}.").format(
				bold(doc.contact), bold(", ".join(named)), bold(doc.customer)
			)
			if named
			else _("Contact {0} belongs to another customer, not to {1}. Pick a contact of {1}.").format(
				bold(doc.contact), bold(doc.customer)
			),
			title=_("Contact of Another Customer"),
		)
	if not doc.link_contact_to_customer:
		frappe.throw(
			_(
				"Contact {0} is not linked to customer {1}. Tick 'Link this contact to the customer' to link it, or pick a contact of {1}."
			).format(bold(doc.contact), bold(doc.customer)),
			title=_("Contact Not Linked"),
		)
	contact = frappe.get_doc("Contact", doc.contact)
	# linking changes the contact: only one the user may change (Frappe's own check on Contact)
	if not doc.flags.ignore_permissions and not contact.has_permission("write"):
		frappe.throw(
			_("You may not change contact {0}, so it cannot be linked to customer {1}.").format(
				bold(doc.contact), bold(doc.customer)
			),
			frappe.PermissionError,
			title=_("Contact Not Linked"),
		)
	# linked in on_update, once every check of this record passed: a refused record links nothing
	doc.flags.link_contact = True
	doc.link_contact_to_customer = 0


def link_contact(doc):
	"""Link the contact to the account's customer, as the user asked when they ticked the box."""
	if not doc.flags.link_contact:
		return
	doc.flags.link_contact = False
	contact = frappe.get_doc("Contact", doc.contact)
	if not any(l.link_doctype == "Customer" and l.link_name == doc.customer for l in contact.links):
		contact.append("links", {"link_doctype": "Customer", "link_name": doc.customer})
		contact.save(ignore_permissions=bool(doc.flags.ignore_permissions))


def validate_unique_role(doc):
	duplicate = frappe.db.exists(
		"Buying Center Role",
		{
			"key_account": doc.key_account,
			"contact": doc.contact,
			"buying_role": doc.buying_role,
			"name": ("!=", doc.name),
		},
	)
	if duplicate:
		frappe.throw(
			_("{0} is already recorded as {1} in this account ({2}); one record per person and role.").format(
				bold(doc.contact_name or doc.contact), _(doc.buying_role), duplicate
			),
			frappe.UniqueValidationError,
			title=_("Duplicate Role"),
		)


def validate_reports_to(doc):
	if not doc.reports_to:
		return
	if doc.reports_to == doc.name:
		frappe.throw(_("A person cannot report to themselves; clear Reports To or pick their manager."))
	parent_account = frappe.db.get_value("Buying Center Role", doc.reports_to, "key_account")
	if parent_account != doc.key_account:
		# the other account is named only to a user who may read it
		frappe.throw(
			_("Reports To {0} belongs to key account {1}, not {2}; pick someone of the same account.").format(
				bold(doc.reports_to), bold(parent_account), bold(doc.key_account)
			)
			if parent_account and visible_customers([parent_account])
			else _(
				"Reports To {0} is not a person of key account {1}; pick someone of the same account."
			).format(bold(doc.reports_to), bold(doc.key_account)),
			title=_("Reports To in Another Account"),
		)
	line = dict(
		frappe.get_all(
			"Buying Center Role",
			filters={"key_account": doc.key_account},
			fields=["name", "reports_to"],
			as_list=True,
		)
	)
	if creates_cycle(line, doc.name, doc.reports_to):
		frappe.throw(
			_(
				"Reports To {0} would close a loop in the reporting line; someone in it already reports to this person."
			).format(bold(doc.reports_to)),
			title=_("Reporting Loop"),
		)


def after_role_saved(doc):
	"""Buying Center Role.on_update: link the contact when asked, refresh the coverage of the account (and
	of the account a move took the person from)."""
	link_contact(doc)
	refresh_profile_coverage(doc.key_account)
	# a move takes the person out of the old account: its coverage changes too
	before = doc.get_doc_before_save()
	if before and before.key_account and before.key_account != doc.key_account:
		refresh_profile_coverage(before.key_account)


def detach_reports(doc):
	"""Buying Center Role.on_trash: whoever reported to the person reports to no one."""
	frappe.db.set_value("Buying Center Role", {"reports_to": doc.name}, "reports_to", None)


def after_role_deleted(doc):
	"""Buying Center Role.after_delete."""
	refresh_profile_coverage(doc.key_account)
