import json

import frappe
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.doctype.number_card.number_card import get_result

from key_account_management.tests.utils import KAMTestCase


class TestWorkspace(KAMTestCase):
	def test_workspace_cards_and_charts_are_shipped_and_answer(self):
		workspace = frappe.get_doc("Workspace", "Key Accounts")
		self.assertEqual(workspace.module, "Key Account Management")
		for row in workspace.number_cards:
			card = frappe.get_doc("Number Card", row.number_card_name)
			if card.type == "Custom":
				result = frappe.call(card.method, filters=None)["value"]
			else:
				result = get_result(card.as_dict(), json.dumps([]))
			self.assertIsInstance(result, int | float, card.name)
		for row in workspace.charts:
			chart = frappe.get_doc("Dashboard Chart", row.chart_name)
			if chart.chart_type == "Custom":
				# a chart source of the app: the method its .js names, called as the desk calls it
				module = frappe.scrub(chart.source)
				method = f"key_account_management.key_account_management.dashboard_chart_source.{module}.{module}.get"
				data = frappe.call(method, chart_name=row.chart_name, refresh=1)
			else:
				data = get_chart(chart_name=row.chart_name, refresh=1)
			# a group-by chart over no rows answers None, which the desk shows as "No Data"
			self.assertTrue(data is None or "labels" in data, row.chart_name)
		linked = {link.link_to for link in workspace.links if link.type == "Link"}
		for report in frappe.get_all("Report", filters={"module": "Key Account Management"}, pluck="name"):
			self.assertIn(report, linked)

	def test_follow_ups_overdue_card_counts_the_follow_ups_past_due(self):
		from frappe.utils import getdate, today

		from key_account_management.visits.jobs import notify_overdue_visits

		# the card counts what the daily visit job marked overdue: after the job, exactly the submitted
		# visits whose follow-up is past due and not recorded, counted here one by one
		notify_overdue_visits()
		expected = sum(
			1
			for visit in frappe.get_all(
				"Visit Record", filters={"docstatus": 1}, fields=["follow_up_date", "follow_up_due"]
			)
			if not visit.follow_up_date
			and visit.follow_up_due
			and getdate(visit.follow_up_due) < getdate(today())
		)
		card = frappe.get_doc("Number Card", "Follow-ups Overdue")
		# the desk passes the card's filters (a card with dynamic filters would need them evaluated)
		self.assertEqual(json.loads(card.dynamic_filters_json or "[]"), [])
		self.assertEqual(get_result(card.as_dict(), card.filters_json), expected)

	def test_customer_form_connects_to_the_app(self):
		from erpnext.selling.doctype.customer.customer_dashboard import get_data

		from key_account_management.integrations import customer_dashboard

		items = [item for group in customer_dashboard(get_data())["transactions"] for item in group["items"]]
		for doctype in ("Key Account Profile", "Buying Center Role", "Visit Record", "Hospitality Request"):
			self.assertIn(doctype, items)

	def test_a_chart_outside_the_users_roles_is_refused_not_computed(self):
		from key_account_management.access.roles import HOSPITALITY_APPROVER, KEY_ACCOUNT_DIRECTOR
		from key_account_management.charts import dashboard_chart_get
		from key_account_management.tests.factories import make_user

		approver = make_user("chart.approver@example.com", HOSPITALITY_APPROVER)
		director = make_user("chart.director@example.com", KEY_ACCOUNT_DIRECTOR)
		chart = "Key Account Value by ABC Class"  # for managers and directors only
		frappe.set_user(approver)
		try:
			# was a SQL error ("Unknown column 'count'"): the sum's field is above the approver's level
			with self.assertRaises(frappe.PermissionError):
				dashboard_chart_get(chart_name=chart, refresh=1)
			frappe.set_user(director)
			data = dashboard_chart_get(chart_name=chart, refresh=1)
			self.assertTrue(data is None or "labels" in data)
		finally:
			frappe.set_user("Administrator")
