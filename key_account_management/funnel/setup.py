"""What the funnel installs on ERPNext: the six funnel stages, permissions, defaults (docs/DOMAIN.md §7).

``install.py`` merges ``fields.get_custom_fields`` into the app's custom fields (so uninstall removes them
with the others) and calls :func:`after_install` (on install and migrate) and :func:`before_uninstall`.
"""

from __future__ import annotations

import frappe

from key_account_management.access.roles import KEY_ACCOUNT_DIRECTOR as DIRECTOR
from key_account_management.access.roles import KEY_ACCOUNT_MANAGER as MANAGER
from key_account_management.core import funnel_stages
from key_account_management.funnel.config import SETTINGS_DEFAULTS
from key_account_management.funnel.opportunity import link_key_accounts

# what the app's roles may do on ERPNext's doctypes; a row is only created when the role has none,
# so what an admin changes later stays
GRANTS = {
	"Opportunity": {
		MANAGER: ("read", "write", "create", "report", "print", "email", "share"),
		DIRECTOR: ("read", "write", "create", "report", "export", "print", "email", "share"),
	},
	"Sales Stage": {
		MANAGER: ("read",),
		DIRECTOR: ("read", "write", "create", "report"),
	},
}

DEFAULT_STAGE_PROPERTY = ("Opportunity", "sales_stage", "default")


# -- install -----------------------------------------------------------------------------------------
def install_default_stages() -> int:
	"""The six funnel stages with their milestones, as Sales Stages; returns how many were set up.

	Only while no Sales Stage is a funnel stage yet: after that the stages belong to the admins, so one
	they renamed, re-sequenced or took out of the funnel is not brought back by the next migrate. A Sales
	Stage of the same name that exists already is made the funnel stage."""
	if not frappe.db.has_column("Sales Stage", "kam_sequence"):
		return 0
	if frappe.db.exists("Sales Stage", {"kam_sequence": (">", 0)}):
		return 0
	for stage in funnel_stages.DEFAULT_STAGES:
		values = {"kam_sequence": stage.sequence, "kam_milestone": stage.milestone, "kam_work": stage.work}
		if frappe.db.exists("Sales Stage", stage.name):
			frappe.db.set_value("Sales Stage", stage.name, values, update_modified=False)
		else:
			frappe.get_doc({"doctype": "Sales Stage", "stage_name": stage.name, **values}).insert(
				ignore_permissions=True
			)
	return len(funnel_stages.DEFAULT_STAGES)


def set_default_stage() -> None:
	"""New opportunities start at the funnel's first stage rather than ERPNext's "Prospecting"."""
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	first = frappe.db.get_value(
		"Sales Stage", {"kam_sequence": (">", 0)}, "name", order_by="kam_sequence asc"
	)
	doctype, fieldname, prop = DEFAULT_STAGE_PROPERTY
	if first and not frappe.db.exists(
		"Property Setter", {"doc_type": doctype, "field_name": fieldname, "property": prop}
	):
		make_property_setter(doctype, fieldname, prop, first, "Text", validate_fields_for_doctype=False)


def grant_permissions() -> None:
	"""Give the app's roles their rights on Opportunity and Sales Stage; a row the role has already is
	left as it is (an admin may have changed it)."""
	from frappe.permissions import add_permission, update_permission_property

	for doctype, roles in GRANTS.items():
		for role, rights in roles.items():
			if not frappe.db.exists("Role", role) or frappe.db.exists(
				"Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}
			):
				continue
			add_permission(doctype, role, 0, ptype=rights[0])
			for right in rights[1:]:
				update_permission_property(doctype, role, 0, right, 1)


PERM_KEYS = ("role", "permlevel", "if_owner", "select", "read", "write", "create", "delete", "submit")
PERM_KEYS += ("cancel", "amend", "report", "export", "import", "print", "email", "share")


def remove_permissions() -> None:
	"""The app's roles off Opportunity and Sales Stage, and the doctype back on its standard permissions
	when the rows left are just the copy Frappe made of them when the first custom row was added."""

	def rows(perm_doctype: str, doctype: str) -> list[tuple]:
		return sorted(
			tuple(row.get(key) or 0 for key in PERM_KEYS)
			for row in frappe.get_all(perm_doctype, filters={"parent": doctype}, fields=list(PERM_KEYS))
		)

	for doctype in GRANTS:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": ("in", (MANAGER, DIRECTOR))})
		if rows("Custom DocPerm", doctype) == rows("DocPerm", doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
		frappe.clear_cache(doctype=doctype)


def set_default_settings() -> None:
	"""Fill the funnel settings a site has no value for yet (a site that had the app before them)."""
	stored = set(
		frappe.db.sql_list(
			"select field from `tabSingles` where doctype = 'Key Account Settings' and field in %(fields)s",
			{"fields": tuple(SETTINGS_DEFAULTS)},
		)
	)
	for field, value in SETTINGS_DEFAULTS.items():
		if field not in stored:
			frappe.db.set_single_value("Key Account Settings", field, value)
	frappe.clear_document_cache("Key Account Settings", "Key Account Settings")


def after_install() -> None:
	install_default_stages()
	set_default_stage()
	grant_permissions()
	set_default_settings()
	# opportunities that were there before the app: their customers' profiles are their key accounts
	link_key_accounts()


def before_uninstall() -> None:
	"""What the custom-field removal in install.py does not cover; the funnel stages stay, being ERPNext
	Sales Stages that opportunities point at."""
	remove_permissions()
	doctype, fieldname, prop = DEFAULT_STAGE_PROPERTY
	for name in frappe.get_all(
		"Property Setter",
		filters={"doc_type": doctype, "field_name": fieldname, "property": prop},
		pluck="name",
	):
		frappe.delete_doc("Property Setter", name, ignore_permissions=True, force=True)
