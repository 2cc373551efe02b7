"""Each role's daily work, as a user holding only that role (issue 15).

Contacts and addresses of the manager's own accounts only; company and currency readable for the
hospitality request and the report filters; every number card and chart of the workspace answers for
every role that is shown it, and only those are shown; money carries the company currency; colleagues'
incomes stay off a manager's visit. Expected figures are counted here with plain SQL, not with the code
under test.
"""

import json

import frappe
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.utils import add_days, now_datetime, today

from key_account_management.access.grants import GRANTS, install_permissions, remove_permissions
from key_account_management.access.roles import APP_ROLES
from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase

test_ignore = ["Customer", "Contact", "User", "Key Account Profile", "Company", "Workflow State"]

OWN, OTHER, NOT_KEY = "KAM-Roles-Own", "KAM-Roles-Other", "KAM-Roles-Not-Key"
MANAGER = "kam.roles.manager@example.com"  # Key Account Manager of OWN
COLLEAGUE = "kam.roles.colleague@example.com"  # Key Account Manager of OTHER
DIRECTOR = "kam.roles.director@example.com"
APPROVER = "kam.roles.approver@example.com"
SALES = "kam.roles.sales@example.com"  # Key Account Manager who is also an ERPNext Sales User
PLAIN = "kam.roles.plain@example.com"  # no role of the app
ACCOUNT_CARDS = {"A Accounts", "Accounts at Risk", "Visits Overdue", "Follow-ups Overdue"}
HOSPITALITY_CARDS = {"Hospitality Pending My Approval", "Hospitality Spend vs Budget"}
HOSPITALITY_CHARTS = {"Hospitality Spend per Month"}


def dynamic_value(expression: str):
	return {"frappe.datetime.get_today()": today()}[expression]


def card_filters(card) -> list:
	"""What the desk sends for a document-type card: its filters and its dynamic filters evaluated."""
	filters = json.loads(card.filters_json or "[]")
	for doctype, field, operator, expression in json.loads(card.dynamic_filters_json or "[]"):
		filters.append([doctype, field, operator, dynamic_value(expression)])
	return filters


def run_card(card) -> float:
	if card.type == "Custom":
		return frappe.call(card.method, filters=None)["value"]
	return get_result(card.as_dict(), json.dumps(card_filters(card)))


def run_chart(name: str):
	chart = frappe.get_doc("Dashboard Chart", name)
	if chart.chart_type == "Custom":
		source = frappe.get_doc("Dashboard Chart Source", chart.source)
		module = frappe.scrub(source.name)
		method = f"key_account_management.key_account_management.dashboard_chart_source.{module}.{module}.get"
		return frappe.call(method, chart_name=name, refresh=1)
	return get_chart(chart_name=name, refresh=1)


def workspace_for_current_user() -> dict:
	from frappe.desk.desktop import get_desktop_page

	page = get_desktop_page(json.dumps({"name": "Key Accounts", "title": "Key Accounts"}))
	return {
		"cards": {row.number_card_name for row in page["number_cards"]["items"]},
		"charts": {row.chart_name for row in page["charts"]["items"]},
	}


class TestRoles(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		f.make_users(
			{
				"Key Account Manager": (MANAGER, COLLEAGUE, SALES),
				"Key Account Director": (DIRECTOR,),
				"Hospitality Approver": (APPROVER,),
				"Sales User": (SALES,),
			}
		)
		f.make_user(PLAIN)
		f.make_customer(NOT_KEY)
		f.make_accounts({OWN: MANAGER, OTHER: COLLEAGUE})
		cls.contacts = {c: f.make_contact(f"Roles {c}", c) for c in (OWN, OTHER, NOT_KEY)}
		cls.addresses = {c: make_address(c) for c in (OWN, OTHER, NOT_KEY)}

	# permission rows ----------------------------------------------------------------------------------

	def test_install_grants_the_rows_and_uninstall_removes_them(self):
		for doctype, roles in GRANTS.items():
			for role, rights in roles.items():
				row = frappe.db.get_value(
					"Custom DocPerm",
					{"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0},
					["name", *rights],
					as_dict=True,
				)
				self.assertTrue(row, f"{role} on {doctype}")
				for right in rights:
					self.assertEqual(row[right], 1, f"{role} {right} {doctype}")
		# no write, create or delete on Company, Currency or Customer
		for doctype in ("Company", "Currency", "Customer"):
			for role in APP_ROLES:
				rights = frappe.db.get_value(
					"Custom DocPerm",
					{"parent": doctype, "role": role, "permlevel": 0},
					["write", "create", "delete"],
				)
				self.assertFalse(rights and any(rights), f"{role} on {doctype}")

		remove_permissions()
		self.assertFalse(
			frappe.db.exists("Custom DocPerm", {"role": ("in", APP_ROLES), "parent": ("in", list(GRANTS))})
		)
		for doctype in ("Contact", "Address", "Company", "Currency"):
			# the copy of the standard rows the grant made is gone too: ERPNext's own rows apply again
			self.assertFalse(frappe.db.exists("Custom DocPerm", {"parent": doctype}), doctype)
		install_permissions()
		self.assertTrue(
			frappe.db.exists("Custom DocPerm", {"parent": "Contact", "role": "Key Account Manager"})
		)

	def test_install_keeps_an_admins_wider_grant(self):
		name = frappe.db.get_value(
			"Custom DocPerm", {"parent": "Customer", "role": "Key Account Director", "permlevel": 0}
		)
		frappe.db.set_value("Custom DocPerm", name, "read", 1)
		install_permissions()
		self.assertEqual(frappe.db.get_value("Custom DocPerm", name, "read"), 1)

	# contacts and addresses ---------------------------------------------------------------------------

	def test_manager_sees_and_opens_only_the_contacts_of_own_accounts(self):
		for doctype, records in (("Contact", self.contacts), ("Address", self.addresses)):
			frappe.set_user(MANAGER)
			listed = set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
			self.assertIn(records[OWN], listed, doctype)
			self.assertNotIn(records[OTHER], listed, doctype)
			self.assertNotIn(records[NOT_KEY], listed, doctype)
			self.assertTrue(frappe.has_permission(doctype, "read", doc=records[OWN]))
			self.assertTrue(frappe.has_permission(doctype, "write", doc=records[OWN]))
			self.assertFalse(frappe.has_permission(doctype, "read", doc=records[OTHER]))
			self.assertFalse(frappe.has_permission(doctype, "write", doc=records[OTHER]))
			# the generic API, as a colleague's attacker would use it
			from frappe.client import get as client_get
			from frappe.desk.reportview import get_count

			self.assertEqual(client_get(doctype, records[OWN])["name"], records[OWN])
			with self.assertRaises(frappe.PermissionError):
				client_get(doctype, records[OTHER])
			frappe.clear_messages()
			expected = frappe.db.sql(
				f"""select count(distinct d.name) from `tab{doctype}` d
				left join `tabDynamic Link` dl on dl.parent = d.name and dl.parenttype = %s
				where d.owner = %s or (dl.link_doctype = 'Customer' and dl.link_name = %s)""",
				(doctype, MANAGER, OWN),
			)[0][0]
			frappe.local.form_dict = frappe._dict(doctype=doctype)
			self.assertEqual(get_count(), expected, doctype)

	def test_link_search_offers_only_own_contacts(self):
		from frappe.desk.search import search_link

		frappe.set_user(MANAGER)
		found = {row["value"] for row in search_link("Contact", "Roles KAM-Roles")}
		self.assertIn(self.contacts[OWN], found)
		self.assertNotIn(self.contacts[OTHER], found)
		self.assertNotIn(self.contacts[NOT_KEY], found)

	def test_manager_creates_contacts_for_own_accounts_only(self):
		frappe.set_user(MANAGER)
		# what the contact quick entry sends: the typed name split, the account's customer linked
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Wang",
				"last_name": "Wei",
				"email_ids": [{"email_id": "wang.wei.roles@example.com", "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": OWN}],
			}
		).insert()
		self.assertEqual(contact.full_name, "Wang Wei")
		self.assertEqual(contact.email_id, "wang.wei.roles@example.com")
		frappe.set_user(COLLEAGUE)
		self.assertFalse(frappe.has_permission("Contact", "read", doc=contact.name))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": "Intruder",
					"links": [{"link_doctype": "Customer", "link_name": OWN}],
				}
			).insert()
		frappe.clear_messages()

	def test_director_sees_contacts_of_every_key_account_only(self):
		frappe.set_user(DIRECTOR)
		listed = set(frappe.get_list("Contact", pluck="name", limit_page_length=0))
		self.assertTrue({self.contacts[OWN], self.contacts[OTHER]} <= listed)
		self.assertNotIn(self.contacts[NOT_KEY], listed)

	def test_other_roles_keep_what_erpnext_gives(self):
		frappe.set_user(SALES)  # a Sales User reads every contact, the app's role changes nothing
		listed = set(frappe.get_list("Contact", pluck="name", limit_page_length=0))
		self.assertTrue(set(self.contacts.values()) <= listed)
		frappe.set_user(PLAIN)  # ERPNext's "own records only"
		self.assertFalse(set(self.contacts.values()) & set(frappe.get_list("Contact", pluck="name")))
		frappe.set_user(APPROVER)
		self.assertFalse(frappe.has_permission("Contact", "read", doc=self.contacts[OWN]))
		frappe.set_user("Administrator")
		self.assertTrue(frappe.has_permission("Contact", "read", doc=self.contacts[NOT_KEY]))

	# company, currency and the hospitality request ----------------------------------------------------

	def test_request_takes_the_accounts_company_and_currency(self):
		from frappe.client import get_value, validate_link

		from key_account_management.company import get_account_defaults

		currency = frappe.db.get_value("Company", f.COMPANY, "default_currency")
		for user in (MANAGER, DIRECTOR, APPROVER):
			frappe.set_user(user)
			# what the request form and the report filters ask (was "No permission for Company")
			self.assertEqual(
				get_value("Company", "default_currency", f.COMPANY)["default_currency"], currency
			)
			self.assertEqual(validate_link("Company", f.COMPANY)["name"], f.COMPANY)
			self.assertEqual(validate_link("Currency", currency)["name"], currency)
		frappe.set_user(MANAGER)
		self.assertEqual(get_account_defaults(OWN), {"company": f.COMPANY, "currency": currency})
		with self.assertRaises(frappe.PermissionError):
			get_account_defaults(OTHER)
		frappe.clear_messages()
		request = frappe.get_doc(
			{
				"doctype": "Hospitality Request",
				"key_account": OWN,
				"request_type": "Meal",
				"planned_date": today(),
				"business_purpose": "Business review",
				"estimated_amount": 100,
				"recipients": [{"contact": self.contacts[OWN], "amount": 100}],
			}
		).insert()
		self.assertEqual((request.company, request.currency), (f.COMPANY, currency))

	# workspace ----------------------------------------------------------------------------------------

	def test_each_role_sees_the_cards_and_charts_it_can_use_and_each_answers(self):
		workspace = frappe.get_doc("Workspace", "Key Accounts")
		all_cards = {row.number_card_name for row in workspace.number_cards}
		all_charts = {row.chart_name for row in workspace.charts}
		expected = {
			MANAGER: (all_cards, all_charts),
			DIRECTOR: (all_cards, all_charts),
			APPROVER: (HOSPITALITY_CARDS, HOSPITALITY_CHARTS),
		}
		for user, (cards, charts) in expected.items():
			frappe.set_user(user)
			shown = workspace_for_current_user()
			self.assertEqual(shown["cards"], cards, user)
			self.assertEqual(shown["charts"], charts, user)
			for name in shown["cards"]:
				value = run_card(frappe.get_doc("Number Card", name))
				self.assertIsInstance(value, int | float, f"{user}: {name}")
			for name in shown["charts"]:
				data = run_chart(name)
				self.assertTrue(data is None or "labels" in data, f"{user}: {name}")
				frappe.clear_messages()

	def test_customers_by_class_for_a_user_who_may_only_select_customers(self):
		frappe.db.set_value("Customer", OWN, "kam_abc_class", "A")
		frappe.db.set_value("Customer", OTHER, "kam_abc_class", "B")
		frappe.db.set_value("Customer", NOT_KEY, "kam_abc_class", "C")
		counts = dict(
			frappe.db.sql(
				"""select kam_abc_class, count(*) from `tabCustomer`
				where kam_abc_class in ('A', 'B', 'C') group by kam_abc_class"""
			)
		)
		frappe.set_user(DIRECTOR)
		self.assertFalse(frappe.has_permission("Customer", "read"))
		data = run_chart("Customers by ABC Class")
		self.assertEqual(data["datasets"][0]["values"], [counts.get(c, 0) for c in "ABC"])
		frappe.set_user(MANAGER)  # the customers of the manager's own accounts
		self.assertEqual(run_chart("Customers by ABC Class")["datasets"][0]["values"], [1, 0, 0])

	def test_visits_overdue_counts_only_profiles_with_a_computed_due_date(self):
		card = frappe.get_doc("Number Card", "Visits Overdue")
		frappe.db.set_value("Key Account Profile", OWN, "next_visit_due", None)
		frappe.db.set_value("Key Account Profile", OTHER, "next_visit_due", add_days(today(), -3))
		frappe.set_user(DIRECTOR)
		overdue = set(
			frappe.get_list(
				"Key Account Profile", filters=card_filters(card), pluck="name", limit_page_length=0
			)
		)
		self.assertIn(OTHER, overdue)
		self.assertNotIn(OWN, overdue)
		self.assertEqual(
			run_card(card),
			frappe.db.sql("select count(*) from `tabKey Account Profile` where next_visit_due < %s", today())[
				0
			][0],
		)

	def test_spend_card_is_in_the_company_currency_against_the_budget(self):
		from key_account_management.hospitality.cards import hospitality_spend_vs_budget

		frappe.db.set_single_value("Key Account Settings", "company", f.COMPANY)
		frappe.db.set_single_value("Key Account Settings", "account_budget_amount", 1000)
		frappe.db.set_single_value("Key Account Settings", "account_budget_percent", 0)
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
		frappe.set_user(DIRECTOR)
		result = hospitality_spend_vs_budget()
		self.assertEqual(
			result["kam_currency"], frappe.db.get_value("Company", f.COMPANY, "default_currency")
		)
		self.assertEqual(result["fieldtype"], "Currency")
		spent = frappe.db.sql(
			"""select ifnull(sum(conversion_rate * if(workflow_state = 'Settled', actual_amount, approved_amount)), 0)
			from `tabHospitality Request` where company = %s and workflow_state in ('Approved', 'Settled')
			and year(planned_date) = year(%s)""",
			(f.COMPANY, today()),
		)[0][0]
		self.assertAlmostEqual(result["value"], float(spent), places=2)
		if spent:
			self.assertGreater(result["kam_budget"], 0)

	# reports ------------------------------------------------------------------------------------------

	def test_reports_default_to_the_settings_company_and_rows_carry_its_currency(self):
		from frappe.desk.query_report import run

		from key_account_management.company import boot_session, default_company

		frappe.db.set_single_value("Key Account Settings", "company", f.COMPANY)
		currency = frappe.db.get_value("Company", f.COMPANY, "default_currency")
		for user in (MANAGER, DIRECTOR, APPROVER):
			frappe.set_user(user)
			self.assertEqual(default_company(), f.COMPANY)
			bootinfo = frappe._dict()
			boot_session(bootinfo)
			self.assertEqual(bootinfo.kam, {"company": f.COMPANY, "currency": currency})
		frappe.set_user(DIRECTOR)
		result = run("ABC Analysis", filters={"company": f.COMPANY})
		for row in result["result"]:
			if isinstance(row, dict) and row.get("customer"):
				self.assertEqual(row["currency"], currency)
		frappe.set_user(APPROVER)
		run(
			"Hospitality Spend",
			filters={"company": f.COMPANY, "from_date": add_days(today(), -30), "to_date": today()},
		)

	# profile and visit --------------------------------------------------------------------------------

	def test_profile_shows_names_company_and_tabs(self):
		profile = frappe.get_doc("Key Account Profile", OWN)
		self.assertEqual(profile.account_manager_name, frappe.db.get_value("User", MANAGER, "full_name"))
		self.assertEqual(profile.company, f.COMPANY)
		self.assertEqual(
			profile.company_currency, frappe.db.get_value("Company", f.COMPANY, "default_currency")
		)
		meta = frappe.get_meta("Key Account Profile")
		tabs = [df.label for df in meta.fields if df.fieldtype == "Tab Break"]
		ours = [
			"Overview",
			"Buying Center",
			"Relationship & Health",
			"Visits & Hospitality",
			"ABC & History",
			"Strategy",
		]
		# in this order; other capabilities may add tabs of their own between them
		self.assertEqual([tab for tab in tabs if tab in ours], ours)
		self.assertEqual(tabs[0], "Overview")
		for fieldname in ("estimated_category_spend", "revenue_this_period", "basis_value"):
			self.assertEqual(meta.get_field(fieldname).options, "company_currency", fieldname)
		self.assertFalse([df.fieldname for df in meta.fields if df.collapsible])
		links = {
			(d.get("fieldname") or "", tuple(d.get("items") or []))
			for d in meta.get_dashboard_data().transactions
		}
		linked = {item for _, items in links for item in items}
		for doctype in (
			"Visit Record",
			"Hospitality Request",
			"Buying Center Role",
			"Opportunity",
			"Sales Invoice",
		):
			self.assertIn(doctype, linked)

	def test_manager_does_not_see_colleagues_income_on_a_visit(self):
		from frappe.client import get as client_get

		frappe.set_user(MANAGER)
		start = add_days(now_datetime(), 2)
		visit = frappe.get_doc(
			{
				"doctype": "Visit Record",
				"key_account": OWN,
				"visit_method": "On Site",
				"planned_start": start,
				"our_attendees": [{"user": MANAGER}],
			}
		).insert()
		frappe.set_user(DIRECTOR)
		director_view = frappe.get_doc("Visit Record", visit.name)
		director_view.our_attendees[0].yearly_income = 240000
		director_view.save()
		frappe.set_user(MANAGER)
		attendee = client_get("Visit Record", visit.name)["our_attendees"][0]
		self.assertFalse(attendee.get("yearly_income"))  # removed, so empty
		# a manager's save keeps the income the director entered
		mine = frappe.get_doc("Visit Record", visit.name)
		mine.check_in_latitude, mine.check_in_longitude, mine.check_in_accuracy = 31.230416, 121.473701, 12
		mine.save()
		self.assertEqual(
			frappe.db.get_value("Visit Attendee", {"parent": visit.name}, "yearly_income"), 240000
		)
		self.assertEqual(
			frappe.db.get_value("Visit Record", visit.name, ["check_in_latitude", "check_in_longitude"]),
			(31.230416, 121.473701),
		)
		frappe.set_user(DIRECTOR)
		self.assertEqual(client_get("Visit Record", visit.name)["our_attendees"][0]["yearly_income"], 240000)
		self.assertEqual(frappe.get_meta("Visit Record").get_field("visit_cost").options, "company_currency")


def make_address(customer: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": f"Roles {customer}",
				"address_type": "Billing",
				"address_line1": "1 Test Road",
				"city": "Shanghai",
				"country": "China",
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
