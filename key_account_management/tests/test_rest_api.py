"""Row-level access and approval integrity over REST, with a real logged-in session per user.

Requests go through Frappe's WSGI application (werkzeug test client, in a thread with its own database
connection, as frappe.tests.test_api.FrappeAPITestCase does), so the data they read must be committed:
setUpClass commits what it builds and tearDownClass deletes all of it again, sessions included.
"""

import frappe
from frappe.tests.test_api import FrappeAPITestCase
from frappe.utils import today

from key_account_management.core import hospitality_flow as flow
from key_account_management.tests import factories as f
from key_account_management.tests.utils import RealSessions

OWN, OTHER = "KAM-REST-Own", "KAM-REST-Other"
KAM = "kam.rest.kam@example.com"  # Key Account Manager of OWN
COLLEAGUE = "kam.rest.colleague@example.com"  # Key Account Manager of OTHER
DIRECTOR = "kam.rest.director@example.com"
USERS = (KAM, COLLEAGUE, DIRECTOR)
REQUEST = "Hospitality Request"


class TestRestAPI(RealSessions, FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sids: dict[str, str] = {}
		cls.contacts: list[str] = []
		cls.request_name = None
		try:
			cls.build()
		except Exception:
			cls.clean_up()
			raise

	@classmethod
	def build(cls):
		frappe.set_user("Administrator")
		f.make_user(KAM, "Key Account Manager")
		f.make_user(COLLEAGUE, "Key Account Manager")
		f.make_user(DIRECTOR, "Key Account Director")
		for customer in (OWN, OTHER):
			f.make_customer(customer)
		f.make_profile(OWN, account_manager=KAM)
		f.make_profile(OTHER, account_manager=COLLEAGUE)
		buyer = f.make_contact("Rest Buyer", OWN, "Purchasing Manager")
		cls.contacts.append(buyer)
		# a request raised by the manager of OWN, waiting for the Manager level
		frappe.set_user(KAM)
		request = frappe.get_doc(
			{
				"doctype": REQUEST,
				"key_account": OWN,
				"company": f.COMPANY,
				"request_type": "Meal",
				"planned_date": today(),
				"business_purpose": "Quarterly review over lunch",
				"estimated_amount": 100,
				"recipients": [{"contact": buyer, "amount": 100}],
			}
		).insert()
		cls.request_name = request.name
		from frappe.model.workflow import apply_workflow

		apply_workflow(request.as_dict(), flow.ACTION_SUBMIT)
		frappe.set_user("Administrator")
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		cls.clean_up()
		super().tearDownClass()

	@classmethod
	def clean_up(cls):
		from frappe.sessions import delete_session

		frappe.set_user("Administrator")
		frappe.db.rollback()
		for sid in cls.sids.values():
			delete_session(sid, reason="Test finished")
		frappe.db.delete("Sessions", {"user": ("in", USERS)})

		names = [name for name in [cls.request_name] if name]
		names += frappe.get_all(REQUEST, filters={"key_account": ("in", (OWN, OTHER))}, pluck="name")
		for name in set(names):
			# submitted requests refuse deletion by design (audit trail): remove the rows directly
			for child in ("Hospitality Recipient", "Hospitality Participant", "Hospitality Approval"):
				frappe.db.delete(child, {"parent": name, "parenttype": REQUEST})
			frappe.db.delete("Hospitality Limit Check", {"parent": name, "parenttype": REQUEST})
			frappe.db.delete(REQUEST, {"name": name})
			frappe.db.delete("Workflow Action", {"reference_doctype": REQUEST, "reference_name": name})
		for name in (OWN, OTHER):
			frappe.delete_doc_if_exists("Key Account Profile", name, force=True)
		for name in cls.contacts:
			frappe.delete_doc_if_exists("Contact", name, force=True)
		for name in (OWN, OTHER):
			frappe.delete_doc_if_exists("Customer", name, force=True)
		for user in USERS:
			frappe.delete_doc_if_exists("User", user, force=True)
		# a user's own Contact (made with the user) and the defaults a login sets (time zone)
		cls.contacts += frappe.get_all("Contact", filters={"email_id": ("in", USERS)}, pluck="name")
		for name in cls.contacts:
			frappe.delete_doc_if_exists("Contact", name, force=True)
		docnames = [*names, OWN, OTHER, *cls.contacts, *USERS]
		frappe.db.delete("Version", {"docname": ("in", docnames)})
		frappe.db.delete("Comment", {"reference_name": ("in", docnames)})
		frappe.db.delete("Workflow Action", {"reference_name": ("in", docnames)})
		frappe.db.delete("Activity Log", {"reference_name": ("in", docnames)})
		frappe.db.delete("ToDo", {"reference_name": ("in", docnames)})
		frappe.db.delete("Deleted Document", {"deleted_name": ("in", docnames)})
		f.forget_users(USERS)

	# helpers -------------------------------------------------------------------------------------------

	def exc_type(self, response) -> str | None:
		return (response.json or {}).get("exc_type")

	def state(self) -> str:
		frappe.db.rollback()  # a fresh snapshot: the request committed on another connection
		return frappe.db.get_value(REQUEST, self.request_name, "workflow_state")

	# tests ---------------------------------------------------------------------------------------------

	def test_list_shows_only_own_accounts(self):
		response = self.get(
			self.url("resource", "Key Account Profile"),
			{"sid": self.sid_for(KAM), "limit_page_length": 0, "filters": '[["name", "like", "KAM-REST-%"]]'},
		)
		self.assertEqual(response.status_code, 200, response.json)
		self.assertEqual({row["name"] for row in response.json["data"]}, {OWN})

		# the Director sees both, so the filter above is the manager's row-level access, not the data
		response = self.get(
			self.url("resource", "Key Account Profile"),
			{
				"sid": self.sid_for(DIRECTOR),
				"limit_page_length": 0,
				"filters": '[["name", "like", "KAM-REST-%"]]',
			},
		)
		self.assertEqual({row["name"] for row in response.json["data"]}, {OWN, OTHER})

	def test_other_account_is_forbidden(self):
		sid = self.sid_for(KAM)
		response = self.get(self.url("resource", "Key Account Profile", OWN), {"sid": sid})
		self.assertEqual(response.status_code, 200)
		self.assertEqual(response.json["data"]["account_manager"], KAM)

		response = self.get(self.url("resource", "Key Account Profile", OTHER), {"sid": sid})
		self.assertEqual(response.status_code, 403)
		self.assertEqual(self.exc_type(response), "PermissionError")
		self.assertNotIn("data", response.json)

		# nor can it be changed through the API
		response = self.put(
			self.url("resource", "Key Account Profile", OTHER), {"sid": sid, "competitors": "hijacked"}
		)
		self.assertEqual(response.status_code, 403)
		frappe.db.rollback()
		self.assertIsNone(frappe.db.get_value("Key Account Profile", OTHER, "competitors"))

	def test_reclassify_is_for_directors_only(self):
		response = self.post(
			self.url("method", "key_account_management.classification.api.reclassify_customers"),
			{"sid": self.sid_for(KAM), "company": f.COMPANY},
		)
		self.assertEqual(response.status_code, 403)
		self.assertEqual(self.exc_type(response), "PermissionError")
		# a GET is refused before the role is even looked at
		response = self.get(
			self.url("method", "key_account_management.classification.api.reclassify_customers"),
			{"sid": self.sid_for(KAM)},
		)
		self.assertNotEqual(response.status_code, 200)

	def test_self_approval_through_apply_workflow_is_refused(self):
		self.assertEqual(self.state(), flow.PENDING["Manager"])
		doc = frappe.get_doc(REQUEST, self.request_name)
		self.assertEqual(doc.requested_by, KAM)

		# the requester approves their own request through the workflow endpoint
		response = self.post(
			self.url("method", "frappe.model.workflow.apply_workflow"),
			{"sid": self.sid_for(KAM), "doc": frappe.as_json(doc.as_dict()), "action": flow.ACTION_APPROVE},
		)
		self.assertEqual(response.status_code, 417, response.json)
		self.assertEqual(self.exc_type(response), "ValidationError")
		self.assertIn("Self approval is not allowed", response.json["_server_messages"])
		self.assertEqual(self.state(), flow.PENDING["Manager"])

		# ... and by writing the state through the document API
		response = self.put(
			self.url("resource", REQUEST, self.request_name),
			{"sid": self.sid_for(KAM), "workflow_state": flow.APPROVED},
		)
		self.assertNotEqual(response.status_code, 200, response.json)
		self.assertIn("self-approval", frappe.as_json(response.json))
		self.assertEqual(self.state(), flow.PENDING["Manager"])

		# the same call by another approver goes through: the refusal above is about who asks
		doc = frappe.get_doc(REQUEST, self.request_name)
		response = self.post(
			self.url("method", "frappe.model.workflow.apply_workflow"),
			{
				"sid": self.sid_for(DIRECTOR),
				"doc": frappe.as_json(doc.as_dict()),
				"action": flow.ACTION_APPROVE,
			},
		)
		self.assertEqual(response.status_code, 200, response.json)
		self.assertEqual(self.state(), flow.APPROVED)
		trail = frappe.get_doc(REQUEST, self.request_name).approvals
		self.assertEqual([(r.action, r.approver) for r in trail][-1], (flow.TRAIL_APPROVED, DIRECTOR))
