from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from key_account_management import install


class TestInstall(FrappeTestCase):
	def test_roles_settings_and_custom_fields_exist(self):
		for role in ("Key Account Manager", "Key Account Director", "Hospitality Approver"):
			self.assertTrue(frappe.db.exists("Role", role), role)
		self.assertTrue(frappe.get_meta("Key Account Settings").issingle)
		self.assertTrue(frappe.db.exists("Custom Field", {"dt": "Customer", "fieldname": "kam_abc_class"}))
		self.assertTrue(frappe.get_meta("Customer").get_field("kam_abc_class").read_only)

	def test_install_without_erpnext_names_erpnext(self):
		with patch("frappe.get_installed_apps", return_value=["frappe"]):
			with self.assertRaises(frappe.ValidationError) as raised:
				install.before_install()
		self.assertIn("ERPNext", str(raised.exception))

	def test_covering_indexes_exist_with_their_columns(self):
		from key_account_management.db_indexes import INDEXES, has_index

		for doctype, name, columns in INDEXES:
			self.assertTrue(has_index(doctype, name, columns), f"{doctype}: {name}")
			# a changed column list is told apart, so that migrate rebuilds the index
			self.assertFalse(has_index(doctype, name, columns[:-1]), f"{doctype}: {name}")

	def test_permission_rows_of_the_roles_are_installed_and_uninstall_removes_them(self):
		import inspect

		from key_account_management.access.grants import GRANTS

		for doctype, roles in GRANTS.items():
			for role in roles:
				self.assertTrue(
					frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}),
					f"{role} on {doctype}",
				)
		# what remove_permissions does is tested in tests/test_roles.py; uninstall must call it
		self.assertIn("remove_permissions()", inspect.getsource(install.before_uninstall))
