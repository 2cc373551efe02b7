from urllib.parse import quote

import frappe
from frappe.auth import CookieManager, LoginManager
from frappe.tests.utils import FrappeTestCase
from frappe.utils import set_request


class KAMTestCase(FrappeTestCase):
	"""Each test starts from what setUpClass built: a test's own writes are rolled back after it."""

	def setUp(self):
		frappe.db.savepoint("kam_test")
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="kam_test")


class RealSessions:
	"""For a FrappeAPITestCase whose setUpClass sets ``cls.sids = {}``: a real session per user, as a login
	creates it, and quoted resource paths."""

	sids: dict[str, str]

	def sid_for(self, user: str) -> str:
		"""A real session for ``user``, as a login would create it."""
		if user not in self.sids:
			set_request(path="/")
			frappe.local.cookie_manager = CookieManager()
			frappe.local.login_manager = LoginManager()
			frappe.local.login_manager.login_as(user)
			self.sids[user] = frappe.session.sid
			frappe.db.commit()  # the session row, read by the request's own connection
			frappe.set_user("Administrator")
		return self.sids[user]

	def url(self, kind: str, *parts: str) -> str:
		return self.get_path(kind, *(quote(part) for part in parts))
