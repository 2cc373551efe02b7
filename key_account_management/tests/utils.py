import frappe
from frappe.tests.utils import FrappeTestCase


class KAMTestCase(FrappeTestCase):
	"""Each test starts from what setUpClass built: a test's own writes are rolled back after it."""

	def setUp(self):
		frappe.db.savepoint("kam_test")
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="kam_test")
