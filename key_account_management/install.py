"""Install and uninstall: roles, custom fields on ERPNext doctypes, default settings."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from key_account_management.access.grants import install_permissions, remove_permissions
from key_account_management.access.roles import APP_ROLES
from key_account_management.db_indexes import add_indexes, drop_indexes
from key_account_management.funnel import setup as funnel_setup
from key_account_management.hospitality.workflow import remove_workflow, setup_workflow
from key_account_management.relationship.stages import install_default_stages


def get_custom_fields() -> dict[str, list[dict]]:
	from key_account_management.funnel.fields import get_custom_fields as funnel_fields
	from key_account_management.hospitality.policy import get_custom_fields as hospitality_fields

	return {
		**hospitality_fields(),
		# Opportunity and Sales Stage (the opportunity funnel)
		**funnel_fields(),
		"Customer": [
			{
				"fieldname": "kam_abc_class",
				"label": "ABC Class",
				"fieldtype": "Select",
				"options": "\nA\nB\nC",
				"insert_after": "customer_group",
				"read_only": 1,
				"in_standard_filter": 1,
				"in_list_view": 0,
				"search_index": 1,
				"no_copy": 1,
				"allow_on_submit": 0,
				"translatable": 0,
				"description": "Set by Key Account Management's ABC reclassification.",
			}
		],
	}


def before_install():
	if "erpnext" not in frappe.get_installed_apps():
		frappe.throw(
			_(
				"Key Account Management needs ERPNext: install ERPNext on this site first (bench --site {0} install-app erpnext)."
			).format(frappe.local.site),
			title=_("ERPNext Required"),
		)


def after_install():
	create_roles()
	create_custom_fields(get_custom_fields(), ignore_validate=True)
	set_default_settings()
	install_default_stages()
	setup_workflow()
	install_permissions()
	add_indexes()
	build_rollups()
	funnel_setup.after_install()


def after_migrate():
	# keeps the custom fields in step when a later version changes them
	create_roles()
	create_custom_fields(get_custom_fields(), ignore_validate=True)
	install_default_stages()
	setup_workflow()
	install_permissions()
	add_indexes()
	build_rollups()
	funnel_setup.after_install()


def build_rollups():
	"""The monthly rollups of every company, from the ledger, the first time (classification/rollup.py)."""
	from key_account_management.classification.rollup_rebuild import build_once

	build_once()


def create_roles():
	for role in APP_ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


def set_default_settings():
	settings = frappe.get_single("Key Account Settings")
	settings.company = settings.company or frappe.defaults.get_global_default("company")
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)


def before_uninstall():
	# the workflow points at a doctype the uninstall is about to drop
	remove_workflow()
	drop_indexes()
	funnel_setup.before_uninstall()
	# a reinstall builds the rollups again
	frappe.db.set_default("kam_rollups_built", None)
	# Company, Currency, Customer, Contact and Address back to what they were
	remove_permissions()
	for doctype, fields in get_custom_fields().items():
		for field in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
			# deleting a Custom Field keeps its column; the site should not keep ours
			if frappe.db.has_column(doctype, field["fieldname"]):
				frappe.db.sql_ddl(f"alter table `tab{doctype}` drop column `{field['fieldname']}`")
		frappe.clear_cache(doctype=doctype)
	for role in APP_ROLES:
		frappe.db.delete("Has Role", {"role": role})
		frappe.db.delete("Custom DocPerm", {"role": role})
		if frappe.db.exists("Role", role):
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
