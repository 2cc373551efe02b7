"""The account's commercial position and its documents (docs/DOMAIN.md §12), as the people who use it.

The figures are checked against what the documents themselves say (each invoice's outstanding amount
and due date, the GL's receivable and income rows, the Sales Order rows, the customer's credit limit
row), never against the app's SQL. Then the account's documents: a Key Account Manager holding only
that role opens their own account's invoice (form, REST, print) and cannot change it, and finds no
other customer's document through lists, counts, group-by, report view, export, linked-with, child rows,
print or docinfo; a user with ERPNext's own roles keeps exactly what ERPNext gives them.

The data is committed (REST requests read it on their own connection) and removed afterwards.
"""

from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import quote

import frappe
from frappe.tests.test_api import FrappeAPITestCase
from frappe.utils import add_days, flt, getdate, today

from key_account_management.commercial.api import get_commercial_position
from key_account_management.commercial.doctypes import CHILD_TABLES, DOCUMENTS
from key_account_management.core.commercial import last_months
from key_account_management.tests import factories as f
from key_account_management.tests import privacy_probe as probe
from key_account_management.tests.utils import RealSessions

PREFIX = "KAM-COM-"
OWN, OTHER = f"{PREFIX}Own", f"{PREFIX}Other"
GROUP, MEMBER = f"{PREFIX}Group", f"{PREFIX}Subsidiary"  # a group account of MANAGER and its member
ITEM = f"{PREFIX}Service"
MANAGER = "kam.com.manager@example.com"  # Key Account Manager of OWN, only that role
COLLEAGUE = "kam.com.colleague@example.com"  # Key Account Manager of OTHER
ACCOUNTANT = "kam.com.accountant@example.com"  # ERPNext's Accounts User, and Key Account Manager of OWN
SALES = "kam.com.sales@example.com"  # ERPNext's Sales User, and Key Account Manager of OWN
USERS = (MANAGER, COLLEAGUE, ACCOUNTANT, SALES)


def submit(doc: dict):
	document = frappe.get_doc(doc)
	document.insert(ignore_permissions=True)
	document.submit()
	return document


def invoice(customer: str, qty: float, posting_days_ago: int, due_in_days: int, **fields):
	posting = add_days(today(), -posting_days_ago)
	return submit(
		{
			"doctype": "Sales Invoice",
			"company": f.COMPANY,
			"customer": customer,
			"posting_date": posting,
			"set_posting_time": 1,
			"due_date": add_days(today(), due_in_days),
			"currency": "USD",
			"update_stock": 0,
			"remarks": f"{customer} remark",
			"items": [{"item_code": ITEM, "qty": qty, "rate": 100, "cost_center": f.COST_CENTER}],
			**fields,
		}
	)


def sales_order(customer: str, qty: float):
	return submit(
		{
			"doctype": "Sales Order",
			"company": f.COMPANY,
			"customer": customer,
			"transaction_date": today(),
			"delivery_date": add_days(today(), 10),
			"currency": "USD",
			"items": [{"item_code": ITEM, "qty": qty, "rate": 100, "delivery_date": add_days(today(), 10)}],
		}
	)


def build_documents(customer: str) -> dict[str, list[str]]:
	"""Every kind of the account's documents for ``customer``: three invoices (one long overdue with a
	credit note against it, one overdue and part paid, one not due), a payment, two sales orders (one
	part billed and open, one closed), a quotation and a delivery note."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	docs: dict[str, list[str]] = defaultdict(list)
	old = invoice(customer, 10, 60, -40)
	part_paid = invoice(customer, 5, 20, -10)
	not_due = invoice(customer, 3, 0, 30)
	credit = f.return_against(old, [(ITEM, 2)], add_days(today(), -30))
	payment = get_payment_entry("Sales Invoice", part_paid.name, party_amount=200)
	payment.reference_no, payment.reference_date = "KAM-COM", today()
	payment.paid_amount = payment.received_amount = 200
	payment.references[0].allocated_amount = 200
	payment.insert(ignore_permissions=True)
	payment.submit()
	order = sales_order(customer, 3)
	billed = make_sales_invoice(order.name)
	billed.items[0].qty = 1
	billed.due_date = add_days(today(), 30)
	billed.insert(ignore_permissions=True)
	billed.submit()
	closed = sales_order(customer, 2)
	closed.update_status("Closed")
	quotation = submit(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"company": f.COMPANY,
			"transaction_date": today(),
			"currency": "USD",
			"items": [{"item_code": ITEM, "qty": 1, "rate": 100}],
		}
	)
	note = submit(
		{
			"doctype": "Delivery Note",
			"company": f.COMPANY,
			"customer": customer,
			"posting_date": today(),
			"currency": "USD",
			"items": [{"item_code": ITEM, "qty": 1, "rate": 100, "warehouse": f.WAREHOUSE}],
		}
	)
	docs["Sales Invoice"] += [old.name, part_paid.name, not_due.name, credit.name, billed.name]
	docs["Payment Entry"].append(payment.name)
	docs["Sales Order"] += [order.name, closed.name]
	docs["Quotation"].append(quotation.name)
	docs["Delivery Note"].append(note.name)
	return docs


def remove_documents() -> None:
	customers = (OWN, OTHER)
	vouchers = []
	for doctype, (field, _party_type) in DOCUMENTS.items():
		names = frappe.get_all(doctype, filters={field: ("in", customers)}, pluck="name")
		vouchers += names
		if not names:
			continue
		for df in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(df.options, {"parenttype": doctype, "parent": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})
	for ledger in ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry"):
		if vouchers:
			frappe.db.delete(ledger, {"voucher_no": ("in", vouchers)})
	frappe.db.delete("Customer Credit Limit", {"parent": ("in", customers), "parenttype": "Customer"})
	f.remove_customers(PREFIX)
	frappe.db.delete("Sessions", {"user": ("in", USERS)})
	for user in USERS:
		frappe.delete_doc_if_exists("User", user, force=True)
	f.forget_users(USERS)
	frappe.db.commit()


class TestCommercialPosition(RealSessions, FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		remove_documents()
		cls.sids = {}
		try:
			f.make_user(MANAGER, "Key Account Manager")
			f.make_user(COLLEAGUE, "Key Account Manager")
			f.make_user(ACCOUNTANT, "Key Account Manager", "Accounts User")
			f.make_user(SALES, "Key Account Manager", "Sales User")
			f.make_item(ITEM, is_stock_item=0)
			f.make_accounts({OWN: MANAGER, OTHER: COLLEAGUE})
			team = frappe.get_doc("Key Account Profile", OWN)
			for user in (ACCOUNTANT, SALES):
				team.append("account_team", {"user": user, "team_role": "Sales"})
			team.save(ignore_permissions=True)
			customer = frappe.get_doc("Customer", OWN)
			customer.append("credit_limits", {"company": f.COMPANY, "credit_limit": 5000})
			customer.save(ignore_permissions=True)
			cls.own = build_documents(OWN)
			cls.other = build_documents(OTHER)
			f.make_customer(MEMBER)
			# the member deals with the company before it joins (the group's rule, §13)
			cls.member_invoice = invoice(MEMBER, 4, 50, -20).name
			f.make_accounts({GROUP: MANAGER})
			group = frappe.get_doc("Key Account Profile", GROUP)
			group.is_group = 1
			group.append("group_members", {"customer": MEMBER, "joined_on": add_days(today(), -400)})
			group.save(ignore_permissions=True)
			frappe.db.commit()
		except Exception:
			remove_documents()
			raise

	@classmethod
	def tearDownClass(cls):
		from frappe.sessions import delete_session

		for sid in cls.sids.values():
			delete_session(sid, reason="Test finished")
		frappe.set_user("Administrator")
		remove_documents()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def position(self, user: str = MANAGER, account: str = OWN) -> dict:
		frappe.set_user(user)
		try:
			return get_commercial_position(account)
		finally:
			frappe.set_user("Administrator")

	# the figures, against the documents --------------------------------------------------------------

	def test_credit_limit_and_currency_are_the_companys(self):
		result = self.position()
		self.assertEqual(result["currency"], frappe.db.get_value("Company", f.COMPANY, "default_currency"))
		self.assertEqual(result["company"], f.COMPANY)
		row = frappe.get_all(
			"Customer Credit Limit",
			filters={"parent": OWN, "parenttype": "Customer", "company": f.COMPANY},
			pluck="credit_limit",
		)
		self.assertEqual(result["credit_limit"], flt(row[0]))

	def test_receivables_are_what_the_gl_says_is_open(self):
		gl = frappe.db.sql(
			"""select sum(gle.debit - gle.credit) from `tabGL Entry` gle
			join `tabAccount` acc on acc.name = gle.account
			where gle.party_type = 'Customer' and gle.party = %s and gle.company = %s
				and gle.is_cancelled = 0 and acc.account_type = 'Receivable'""",
			(OWN, f.COMPANY),
		)[0][0]
		invoices = frappe.get_all(
			"Sales Invoice",
			filters={"customer": OWN, "docstatus": 1, "company": f.COMPANY},
			pluck="outstanding_amount",
		)
		result = self.position()
		self.assertAlmostEqual(result["receivables"], flt(gl), places=2)
		# nothing unallocated here: the open invoices add up to the same
		self.assertAlmostEqual(result["receivables"], flt(sum(invoices)), places=2)
		# 1,000 - 200 credited (the credit note stands open on its own) + 500 - 200 paid + 300 + 100
		self.assertAlmostEqual(result["receivables"], 1000 - 200 + 300 + 300 + 100, places=2)

	def test_overdue_and_oldest_overdue_days_from_the_invoices(self):
		overdue = frappe.get_all(
			"Sales Invoice",
			filters={
				"customer": OWN,
				"docstatus": 1,
				"outstanding_amount": (">", 0),
				"due_date": ("<", today()),
			},
			fields=["name", "outstanding_amount", "due_date"],
		)
		result = self.position()
		self.assertAlmostEqual(result["overdue"], sum(flt(r.outstanding_amount) for r in overdue), places=2)
		# the credit note is not allocated to the old invoice: it lowers receivables, not what is overdue
		self.assertAlmostEqual(result["overdue"], 1000 + 300, places=2)
		oldest = min(r.due_date for r in overdue)
		self.assertEqual(result["oldest_overdue_days"], (getdate(today()) - getdate(oldest)).days)
		self.assertEqual(result["oldest_overdue_days"], 40)
		self.assertEqual({r["name"] for r in result["overdue_invoices"]}, {r.name for r in overdue})

	def test_an_invoice_with_two_terms_is_overdue_by_its_first(self):
		before = self.position()
		# 400 in two terms: half due ten days ago, half in twenty days (rolled back after the test)
		terms = invoice(
			OWN,
			4,
			20,
			20,
			payment_schedule=[
				{"due_date": add_days(today(), -10), "invoice_portion": 50, "payment_amount": 200},
				{"due_date": add_days(today(), 20), "invoice_portion": 50, "payment_amount": 200},
			],
		)
		schedule = {getdate(row.due_date): flt(row.base_payment_amount) for row in terms.payment_schedule}
		self.assertEqual(len(schedule), 2)
		result = self.position()
		late = sum(amount for due, amount in schedule.items() if due < getdate(today()))
		self.assertAlmostEqual(late, 200, places=2)
		self.assertAlmostEqual(result["overdue"], before["overdue"] + late, places=2)
		self.assertEqual(result["overdue_count"], before["overdue_count"] + 1)
		row = next(r for r in result["overdue_invoices"] if r["name"] == terms.name)
		self.assertEqual(getdate(row["due_date"]), add_days(getdate(today()), -10))
		self.assertAlmostEqual(row["overdue"], 200, places=2)
		self.assertAlmostEqual(row["outstanding"], 400, places=2)

	def test_open_orders_still_to_deliver_or_bill(self):
		orders = [
			frappe.get_doc("Sales Order", name)
			for name in frappe.get_all(
				"Sales Order",
				filters={"customer": OWN, "docstatus": 1, "status": ("not in", ("Closed", "Completed"))},
				pluck="name",
			)
		]
		result = self.position()["open_orders"]
		self.assertEqual(result["count"], len(orders))
		self.assertEqual(result["count"], 1)
		self.assertAlmostEqual(result["value"], sum(o.base_grand_total for o in orders), places=2)
		to_deliver = sum((row.qty - row.delivered_qty) * row.base_net_rate for o in orders for row in o.items)
		to_bill = sum(
			row.base_net_amount - row.billed_amt * o.conversion_rate for o in orders for row in o.items
		)
		self.assertAlmostEqual(result["to_deliver"], to_deliver, places=2)
		self.assertAlmostEqual(result["to_bill"], to_bill, places=2)
		self.assertAlmostEqual(result["to_bill"], 200, places=2)

	def test_twelve_months_from_the_ledger(self):
		"""Net revenue and gross profit by month: the income and cost of goods rows of the GL for the
		customer's invoices (credit notes included) in each of the last twelve calendar months."""
		months = last_months(getdate(today()))
		expected = {m: [0.0, 0.0] for m in months}
		for posting_date, _account_type, root_type, amount in frappe.db.sql(
			"""select gle.posting_date, acc.account_type, acc.root_type, sum(gle.credit - gle.debit)
			from `tabGL Entry` gle join `tabAccount` acc on acc.name = gle.account
			join `tabSales Invoice` si on si.name = gle.voucher_no and gle.voucher_type = 'Sales Invoice'
			where si.customer = %s and gle.is_cancelled = 0 and gle.company = %s
				and (acc.root_type = 'Income' or acc.account_type = 'Cost of Goods Sold')
			group by gle.posting_date, acc.account_type, acc.root_type""",
			(OWN, f.COMPANY),
		):
			month = getdate(posting_date).replace(day=1)
			if month not in expected:
				continue
			if root_type == "Income":
				expected[month][0] += flt(amount)
			expected[month][1] += flt(amount)
		chart = self.position()["chart"]
		self.assertEqual(chart["months"], [str(m) for m in months])
		self.assertEqual(chart["net_revenue"], [flt(expected[m][0], 2) for m in months])
		self.assertEqual(chart["gross_profit"], [flt(expected[m][1], 2) for m in months])
		self.assertGreater(sum(chart["net_revenue"]), 0)

	def test_a_group_covers_its_members(self):
		"""docs/DOMAIN.md §13: the group's figures cover its member customers, and its people read the
		members' documents."""
		result = self.position(MANAGER, GROUP)
		self.assertEqual(result["customers"], [GROUP, MEMBER])
		gl = frappe.db.sql(
			"""select sum(gle.debit - gle.credit) from `tabGL Entry` gle
			join `tabAccount` acc on acc.name = gle.account
			where gle.party_type = 'Customer' and gle.party in %s and gle.company = %s
				and gle.is_cancelled = 0 and acc.account_type = 'Receivable'""",
			((GROUP, MEMBER), f.COMPANY),
		)[0][0]
		self.assertAlmostEqual(result["receivables"], flt(gl), places=2)
		self.assertAlmostEqual(result["overdue"], 400, places=2)
		self.assertEqual(result["oldest_overdue_days"], 20)
		frappe.set_user(MANAGER)
		try:
			self.assertTrue(frappe.has_permission("Sales Invoice", "read", self.member_invoice))
		finally:
			frappe.set_user("Administrator")
		frappe.set_user(COLLEAGUE)
		try:
			self.assertFalse(frappe.has_permission("Sales Invoice", "read", self.member_invoice))
		finally:
			frappe.set_user("Administrator")

	def test_the_panel_is_only_for_who_reads_the_profile(self):
		with self.assertRaises(frappe.PermissionError):
			self.position(COLLEAGUE, OWN)
		with self.assertRaises(frappe.ValidationError) as caught:
			self.position(MANAGER, None)
		self.assertIn("Key Account", str(caught.exception))

	# the documents, as their manager ------------------------------------------------------------------

	def test_the_manager_reads_own_documents_and_changes_none(self):
		frappe.set_user(MANAGER)
		try:
			for doctype, names in self.own.items():
				for name in names:
					doc = frappe.get_doc(doctype, name)
					self.assertTrue(frappe.has_permission(doctype, "read", doc), (doctype, name))
					self.assertTrue(frappe.has_permission(doctype, "print", doc), (doctype, name))
					for ptype in ("write", "submit", "cancel", "delete", "amend", "create"):
						self.assertFalse(frappe.has_permission(doctype, ptype, doc), (doctype, ptype))
				self.assertEqual(
					set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
					& set(self.other[doctype]),
					set(),
				)
				self.assertTrue(
					set(names) <= set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
				)
				for name in self.other[doctype]:
					self.assertFalse(frappe.has_permission(doctype, "read", name), (doctype, name))
		finally:
			frappe.set_user("Administrator")

	def test_erpnext_roles_keep_what_erpnext_gives(self):
		every_invoice = frappe.db.count("Sales Invoice")
		every_order = frappe.db.count("Sales Order")
		frappe.set_user(ACCOUNTANT)
		try:
			self.assertEqual(
				len(frappe.get_list("Sales Invoice", pluck="name", limit_page_length=0)), every_invoice
			)
			self.assertTrue(frappe.has_permission("Sales Invoice", "read", self.other["Sales Invoice"][0]))
			frappe.set_user(SALES)
			self.assertEqual(
				len(frappe.get_list("Sales Order", pluck="name", limit_page_length=0)), every_order
			)
			# a Sales User reads no invoice in ERPNext: the app's role gives only the account's
			invoices = set(frappe.get_list("Sales Invoice", pluck="name", limit_page_length=0))
			self.assertEqual(invoices, set(self.own["Sales Invoice"]))
		finally:
			frappe.set_user("Administrator")

	def test_every_child_table_follows_its_document(self):
		pqc = frappe.get_hooks("permission_query_conditions")
		for doctype in DOCUMENTS:
			for df in frappe.get_meta(doctype).get_table_fields():
				self.assertIn(df.options, CHILD_TABLES, f"{doctype}.{df.fieldname}")
				self.assertIn(df.options, pqc, df.options)

	# the whole API, over REST with real sessions --------------------------------------------------------

	def rest(self, verb: str, path: str, data: dict | None = None, user: str = MANAGER):
		return getattr(self, verb)(path, {**(data or {}), "sid": self.sid_for(user)})

	def assert_none_of_the_others(self, response, label: str, sent: str = "") -> None:
		body = response.get_data(as_text=True)
		named = [n for names in self.other.values() for n in names if n in body and n not in sent]
		self.assertEqual(named, [], f"{label} names another customer's documents: {body[:300]}")
		self.assertNotIn(OTHER, body, f"{label} names the other customer: {body[:300]}")

	def test_rest_own_invoice_opens_read_only(self):
		name = self.own["Sales Invoice"][0]
		response = self.rest("get", self.url("resource", "Sales Invoice", name))
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertEqual(response.json["data"]["customer"], OWN)
		response = self.rest(
			"post",
			self.url("method", "frappe.www.printview.get_html_and_style"),
			{"doc": "Sales Invoice", "name": name},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertIn(name, response.get_data(as_text=True))
		response = self.rest("put", self.url("resource", "Sales Invoice", name), {"remarks": "changed"})
		self.assertIn(response.status_code, (403, 417), response.get_data(as_text=True)[:300])
		self.assertEqual(frappe.db.get_value("Sales Invoice", name, "remarks"), f"{OWN} remark")
		response = self.rest(
			"post", self.url("method", "frappe.client.cancel"), {"doctype": "Sales Invoice", "name": name}
		)
		self.assertIn(response.status_code, (403, 417))
		self.assertEqual(frappe.db.get_value("Sales Invoice", name, "docstatus"), 1)

	def test_rest_another_customers_documents_stay_closed(self):
		for doctype, names in self.other.items():
			field, party_type = DOCUMENTS[doctype]
			for name in names:
				for method, data in (
					("frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}),
					("frappe.desk.form.load.get_docinfo", {"doctype": doctype, "name": name}),
					("frappe.www.printview.get_html_and_style", {"doc": doctype, "name": name}),
					("frappe.utils.print_format.download_pdf", {"doctype": doctype, "name": name}),
					("frappe.client.get", {"doctype": doctype, "name": name}),
					("frappe.desk.form.linked_with.get", {"doctype": doctype, "docname": name}),
				):
					response = self.rest("post", self.url("method", method), data)
					self.assertIn(response.status_code, (403, 404, 417), f"{method} {doctype}")
					self.assert_none_of_the_others(response, f"{method} {doctype}", sent=name)
				response = self.rest("get", self.url("resource", doctype, name))
				self.assertIn(response.status_code, (403, 404), f"GET {doctype} {name}")
				response = self.get(
					f"/printview?doctype={quote(doctype)}&name={quote(name)}", {"sid": self.sid_for(MANAGER)}
				)
				self.assertNotIn(OTHER, response.get_data(as_text=True), f"/printview {doctype}")
			others = json.dumps([["name", "in", names]])
			for method, data in (
				("frappe.client.get_list", {"doctype": doctype, "filters": others, "fields": '["*"]'}),
				("frappe.client.get_count", {"doctype": doctype, "filters": others}),
				(
					"frappe.desk.reportview.get",
					{"doctype": doctype, "filters": others, "fields": json.dumps([f"`tab{doctype}`.`name`"])},
				),
				(
					"frappe.desk.listview.get_group_by_count",
					{"doctype": doctype, "current_filters": "[]", "field": field},
				),
				(
					"frappe.desk.reportview.get_sidebar_stats",
					{"doctype": doctype, "stats": json.dumps([field]), "filters": "[]"},
				),
				(
					"frappe.desk.reportview.export_query",
					{
						"doctype": doctype,
						"file_format_type": "CSV",
						"fields": json.dumps([f"`tab{doctype}`.`name`", f"`tab{doctype}`.`{field}`"]),
						"filters": "[]",
					},
				),
			):
				response = self.rest("post", self.url("method", method), data)
				self.assert_none_of_the_others(response, f"{method} {doctype}")
				message = (response.json or {}).get("message") if response.status_code == 200 else None
				if method.endswith("get_count") and response.status_code == 200:
					self.assertEqual(
						message, 0, f"{method} {doctype}: {response.get_data(as_text=True)[:300]}"
					)
				elif method.endswith("get_count"):
					self.assertIn(response.status_code, (403, 417), response.get_data(as_text=True)[:300])
			# reportview's count takes every form argument as a query argument (a sid too): as a request
			answer = probe.call(
				"frappe.desk.reportview.get_count", {"doctype": doctype, "filters": others}, MANAGER
			)
			frappe.set_user("Administrator")
			self.assertTrue(answer.ok, answer.text[:300])
			self.assertTrue(answer.text.startswith("[0,"), f"reportview count {doctype}: {answer.text[:200]}")
			response = self.rest(
				"get",
				self.url("resource", doctype),
				{"filters": others, "fields": '["name"]', "limit_page_length": 0},
			)
			self.assertEqual(response.json.get("data"), [], f"GET /api/resource/{doctype}")
		# the child rows, listed on their own and loaded by name
		for doctype, names in self.other.items():
			for df in frappe.get_meta(doctype).get_table_fields():
				rows = frappe.get_all(df.options, filters={"parent": ("in", names)}, pluck="name")
				if not rows:
					continue
				response = self.rest(
					"get",
					self.url("resource", df.options),
					{
						"parent": doctype,
						"fields": '["*"]',
						"filters": json.dumps([["parent", "in", names]]),
						"limit_page_length": 0,
					},
				)
				self.assertIn(response.json.get("data"), ([], None), f"rows of {df.options}")
				response = self.rest(
					"post",
					self.url("method", "frappe.client.get_list"),
					{"doctype": df.options, "parent": doctype, "fields": '["*"]', "limit_page_length": 0},
				)
				self.assert_none_of_the_others(response, f"get_list {df.options}")
				response = self.rest(
					"post",
					self.url("method", "frappe.client.get"),
					{"doctype": df.options, "name": rows[0]},
				)
				self.assertIn(response.status_code, (403, 404, 417), f"get {df.options} {rows[0]}")
		# linked with the manager's own invoice: only the manager's documents
		response = self.rest(
			"post",
			self.url("method", "frappe.desk.form.linked_with.get"),
			{"doctype": "Sales Invoice", "docname": self.own["Sales Invoice"][1]},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertIn(self.own["Payment Entry"][0], response.get_data(as_text=True))
		self.assert_none_of_the_others(response, "linked with the own invoice")
