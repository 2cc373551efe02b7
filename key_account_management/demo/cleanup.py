"""Removal of the demo: the demo company's transactions and every record the demo made, nothing else."""

from __future__ import annotations

import frappe

from key_account_management.access.roles import SYSTEM_MANAGER
from key_account_management.demo.data import ABBR, APPROVER, COMPANY, DIRECTOR, MANAGERS, PREFIX


def remove_demo() -> dict:
	"""Delete the demo company's transactions and the records the demo made."""
	frappe.only_for(SYSTEM_MANAGER)
	customers = frappe.get_all("Customer", filters={"name": ("like", f"{PREFIX}%")}, pluck="name")
	for doctype in ("Hospitality Request", "Visit Record", "Buying Center Role"):
		for child in frappe.get_meta(doctype).get_table_fields():
			frappe.db.sql(
				f"""delete from `tab{child.options}` where parenttype = %s and parent in
				(select name from `tab{doctype}` where customer in %s)""",
				(doctype, tuple(customers or [""])),
			)
		frappe.db.delete(doctype, {"customer": ("in", customers or [""])})
	# the approval line's Workflow Actions name their users: gone with the requests they were for
	frappe.db.delete(
		"Workflow Action",
		{
			"reference_doctype": "Hospitality Request",
			"reference_name": ("not in", frappe.get_all("Hospitality Request", pluck="name") or [""]),
		},
	)
	frappe.db.delete(
		"ToDo",
		{
			"reference_type": "Visit Record",
			"reference_name": ("not in", frappe.get_all("Visit Record", pluck="name") or [""]),
		},
	)
	# the account plans (the demo's and any made on its accounts), before the profiles they belong to
	for plan in frappe.get_all(
		"Key Account Plan", filters={"customer": ("in", customers or [""])}, pluck="name"
	):
		frappe.delete_doc("Key Account Plan", plan, force=True, ignore_permissions=True)
	for profile in frappe.get_all(
		"Key Account Profile", filters={"customer": ("in", customers or [""])}, pluck="name"
	):
		frappe.delete_doc("Key Account Profile", profile, force=True, ignore_permissions=True)
	contacts = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": ("in", customers or [""])},
		pluck="parent",
	)
	for contact in set(contacts):
		frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
	deleted = delete_company_transactions(COMPANY) if frappe.db.exists("Company", COMPANY) else 0
	for customer in customers:
		frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True)
	for item in frappe.get_all("Item", filters={"name": ("like", f"{PREFIX}%")}, pluck="name"):
		frappe.db.delete("Item Price", {"item_code": item})
		frappe.delete_doc("Item", item, force=True, ignore_permissions=True)
	for supplier in frappe.get_all("Supplier", filters={"name": ("like", f"{PREFIX}%")}, pluck="name"):
		frappe.delete_doc("Supplier", supplier, force=True, ignore_permissions=True)
	# the demo users' places in the org chart, the ones lower in the line first
	for employee in frappe.get_all(
		"Employee",
		filters={"user_id": ("in", (*MANAGERS, DIRECTOR[0], APPROVER[0]))},
		pluck="name",
		order_by="lft desc",
	):
		frappe.delete_doc("Employee", employee, force=True, ignore_permissions=True)
	disabled = []
	for email in (*MANAGERS, DIRECTOR[0], APPROVER[0]):
		if not frappe.db.exists("User", email):
			continue
		savepoint = "remove_demo_user"
		frappe.db.savepoint(savepoint)
		try:
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
		except frappe.LinkExistsError:
			# records outside the demo still name the user (Frappe's logs, a ToDo someone gave them): as
			# Frappe advises, the user is disabled instead, and keeps no role
			frappe.db.rollback(save_point=savepoint)
			user = frappe.get_doc("User", email)
			user.enabled = 0
			user.set("roles", [])
			user.save(ignore_permissions=True)
			disabled.append(email)
	if frappe.db.get_single_value("Key Account Settings", "company") == COMPANY:
		frappe.db.set_single_value("Key Account Settings", "company", None)
	if frappe.db.exists("Company", COMPANY):
		frappe.delete_doc("Company", COMPANY, force=True, ignore_permissions=True)
	for group in frappe.get_all("Item Group", filters={"name": ("like", "Demo %")}, pluck="name"):
		frappe.delete_doc("Item Group", group, force=True, ignore_permissions=True)
	frappe.db.commit()
	return {"customers": len(customers), "transactions": deleted, "users_disabled": disabled}


def delete_company_transactions(company: str) -> int:
	"""What ERPNext's Transaction Deletion Record does, synchronously: every row of every
	non-master doctype that has this company, and their child rows."""
	skip = {
		"Company",
		"Account",
		"Cost Center",
		"Warehouse",
		"Fiscal Year Company",
		"Department",
		"Mode of Payment Account",
	}
	deleted = 0
	for doctype, fieldname in frappe.db.sql(
		"""select df.parent, df.fieldname from `tabDocField` df join `tabDocType` dt on dt.name = df.parent
		where df.fieldtype = 'Link' and df.options = 'Company' and dt.istable = 0 and dt.issingle = 0
			and dt.is_virtual = 0""",
	):
		if (
			doctype in skip
			or not frappe.db.table_exists(doctype)
			or not frappe.db.has_column(doctype, fieldname)
		):
			continue
		names = frappe.get_all(doctype, filters={fieldname: company}, pluck="name")
		if not names:
			continue
		for child in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(child.options, {"parent": ("in", names), "parenttype": doctype})
		frappe.db.delete(doctype, {"name": ("in", names)})
		deleted += len(names)
	frappe.db.delete("Bin", {"warehouse": ("like", f"% - {ABBR}")})
	return deleted
