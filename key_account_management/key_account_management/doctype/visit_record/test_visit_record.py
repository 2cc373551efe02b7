import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from key_account_management.tests import factories as f
from key_account_management.tests.utils import KAMTestCase
from key_account_management.visits.jobs import notify_overdue_visits

test_ignore = ["Key Account Profile", "Customer", "Contact", "User", "ToDo"]

ACCOUNT, OTHER = "KAM-Visit-Account", "KAM-Visit-Other"
MANAGER = "kam.visit.manager@example.com"


def visit(**fields):
	return f.visit(
		**{
			"key_account": ACCOUNT,
			"objective": "Present the new product line",
			"talking_points": "<p>The new product line; delivery performance</p>",
			"customer_views": "Interested, wants a trial order",
			**fields,
		}
	)


class TestVisitRecord(KAMTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		f.make_user(MANAGER, "Key Account Manager")
		for customer in (ACCOUNT, OTHER):
			f.make_customer(customer)
			f.make_profile(customer, account_manager=MANAGER)
		frappe.db.set_value("Key Account Profile", ACCOUNT, "abc_class", "A")
		cls.ceo = f.make_contact("VisitCeo", ACCOUNT)
		cls.stranger = f.make_contact("VisitStranger", OTHER)
		f.make_role(ACCOUNT, cls.ceo, "Decision Maker")
		settings = frappe.get_single("Key Account Settings")
		settings.update({"cadence_a_days": 30, "follow_up_days": 7, "default_yearly_income": 254 * 8 * 100})
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)

	def refused_insert(self, doc) -> str:
		"""The message of the ValidationError that refuses ``doc``'s insert."""
		with self.assertRaises(frappe.ValidationError) as raised:
			doc.insert()
		return str(raised.exception)

	def test_plan_complete_and_follow_up(self):
		frappe.set_user(MANAGER)
		doc = visit(
			our_attendees=[{"user": MANAGER}],
			customer_attendees=[{"contact": self.ceo}],
		).insert()
		self.assertEqual(doc.status, "Planned")
		self.assertEqual(doc.customer_attendees[0].buying_roles, "Decision Maker")
		self.assertEqual(doc.hours, 2)
		self.assertEqual(doc.visit_cost, 200)  # 2 h × 100 an hour × 1 attendee
		doc.submit()
		self.assertEqual(doc.status, "Completed")
		self.assertEqual(getdate(doc.follow_up_due), getdate(add_days(doc.visit_date, 7)))
		todo = frappe.get_doc("ToDo", doc.follow_up_todo)
		self.assertEqual(
			(todo.allocated_to, todo.status, getdate(todo.date)),
			(MANAGER, "Open", getdate(doc.follow_up_due)),
		)
		profile = frappe.get_doc("Key Account Profile", ACCOUNT)
		self.assertEqual(getdate(profile.last_visit_date), getdate(doc.visit_date))
		self.assertEqual(getdate(profile.next_visit_due), getdate(add_days(doc.visit_date, 30)))
		self.assertEqual(
			getdate(frappe.db.get_value("Buying Center Role", {"contact": self.ceo}, "last_contacted")),
			getdate(doc.visit_date),
		)

		doc.follow_up_date = today()
		doc.follow_up_method = "Phone"
		doc.follow_up_notes = "They liked the demo"
		doc.save()
		self.assertEqual(doc.follow_up_status, "Done On Time")
		self.assertEqual(frappe.db.get_value("ToDo", doc.follow_up_todo, "status"), "Closed")

	def test_late_follow_up_is_allowed_but_counted_late(self):
		doc = visit(start=add_days(now_datetime(), -20)).insert()
		doc.submit()
		doc.follow_up_date = today()
		doc.save()
		self.assertEqual(doc.follow_up_status, "Done Late")

	def test_bad_input_is_rejected(self):
		before = frappe.db.count("Visit Record")
		future = visit(start=add_days(now_datetime(), 3)).insert()
		with self.assertRaises(frappe.ValidationError) as raised:
			future.submit()
		self.assertIn("in the future", str(raised.exception))
		self.assertEqual(frappe.db.get_value("Visit Record", future.name, "docstatus"), 0)

		backwards = visit()
		backwards.actual_end = add_days(backwards.actual_start, -1)
		self.assertRaisesRegex(frappe.ValidationError, "before it starts", backwards.insert)

		stranger = visit(customer_attendees=[{"contact": self.stranger}])
		self.assertRaisesRegex(frappe.ValidationError, "is not a contact of customer", stranger.insert)
		self.assertEqual(frappe.db.count("Visit Record"), before + 1)

		done = visit().insert()
		done.submit()
		done.follow_up_date = add_days(done.visit_date, -1)
		self.assertRaisesRegex(frappe.ValidationError, "before the visit", done.save)
		done.reload()
		done.customer_views = "rewritten after the fact"
		self.assertRaises(frappe.ValidationError, done.save)
		self.assertEqual(
			frappe.db.get_value("Visit Record", done.name, "customer_views"),
			"Interested, wants a trial order",
		)

	def test_cancel_closes_the_todo_and_recomputes_last_visit(self):
		doc = visit().insert()
		doc.submit()
		doc.cancel()
		self.assertEqual(frappe.db.get_value("Visit Record", doc.name, "status"), "Cancelled")
		self.assertEqual(frappe.db.get_value("ToDo", doc.follow_up_todo, "status"), "Cancelled")
		self.assertIsNone(frappe.db.get_value("Key Account Profile", ACCOUNT, "last_visit_date"))

	def test_daily_job_flags_overdue_visits_and_follow_ups(self):
		old = visit(start=add_days(now_datetime(), -45)).insert()
		old.submit()
		result = notify_overdue_visits()
		self.assertGreaterEqual(result["overdue_accounts"], 1)
		self.assertGreaterEqual(result["overdue_follow_ups"], 1)
		self.assertEqual(frappe.db.get_value("Visit Record", old.name, "follow_up_status"), "Overdue")
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": MANAGER, "document_type": "Visit Record"})
		)
		due = getdate(frappe.db.get_value("Key Account Profile", ACCOUNT, "next_visit_due"))
		self.assertEqual(due, getdate(add_days(old.visit_date, 30)))

	def test_compliance_report(self):
		from key_account_management.key_account_management.report.visit_compliance.visit_compliance import (
			execute,
		)

		on_time = visit(start=add_days(now_datetime(), -20)).insert()
		on_time.submit()
		on_time.follow_up_date = add_days(on_time.visit_date, 3)
		on_time.save()
		missed = visit(start=add_days(now_datetime(), -50)).insert()
		missed.submit()
		_columns, data, _m, chart, summary = execute(
			{"from_date": add_days(today(), -89), "to_date": today(), "account_manager": MANAGER}
		)
		row = next(r for r in data if r["key_account"] == ACCOUNT)
		self.assertEqual((row["visits_done"], row["visits_due"], row["cadence_days"]), (2, 3, 30))
		self.assertEqual(row["overdue_follow_ups"], 1)
		self.assertAlmostEqual(row["follow_ups_on_time_percent"], 50.0)
		self.assertEqual(chart["type"], "bar")

	# -- issue 18: planned visits can be cancelled, amendments keep the follow-up, completion needs a record

	def test_a_planned_visit_can_be_cancelled_without_counting_as_a_visit(self):
		frappe.set_user(MANAGER)
		plan = frappe.get_doc(
			{
				"doctype": "Visit Record",
				"key_account": ACCOUNT,
				"visit_method": "On Site",
				"planned_start": add_days(now_datetime(), 5),
				"objective": "Present the proposal",
			}
		).insert()
		plan.status = "Cancelled"
		self.assertRaisesRegex(frappe.ValidationError, "Cancellation Reason", plan.save)
		plan.reload()
		plan.status = "Cancelled"
		plan.cancellation_reason = "The customer postponed the review to next quarter"
		plan.save()
		stored = frappe.db.get_value(
			"Visit Record", plan.name, ["status", "docstatus", "cancellation_reason"], as_dict=True
		)
		self.assertEqual((stored.status, stored.docstatus), ("Cancelled", 0))
		self.assertEqual(stored.cancellation_reason, "The customer postponed the review to next quarter")
		# it never happened: no last visit, no follow-up, and it cannot be completed as it stands
		self.assertIsNone(frappe.db.get_value("Key Account Profile", ACCOUNT, "last_visit_date"))
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": plan.name}))
		self.assertRaisesRegex(frappe.ValidationError, "was cancelled", plan.submit)
		self.assertEqual(frappe.db.get_value("Visit Record", plan.name, "docstatus"), 0)
		# reopened, it is a plan again and the reason goes
		plan.reload()
		plan.status = "Planned"
		plan.save()
		self.assertEqual(
			frappe.db.get_value("Visit Record", plan.name, ["status", "cancellation_reason"]),
			("Planned", None),
		)

	def test_amending_a_followed_up_visit_keeps_its_follow_up_and_opens_no_todo(self):
		frappe.set_user(MANAGER)
		original = visit(start=add_days(now_datetime(), -5)).insert()
		original.submit()
		original.follow_up_date = today()
		original.follow_up_method = "Phone"
		original.save()
		first_todo = original.follow_up_todo
		self.assertEqual(frappe.db.get_value("ToDo", first_todo, "status"), "Closed")
		original.cancel()
		# the follow-up happened: cancelling the visit leaves its closed ToDo closed
		self.assertEqual(frappe.db.get_value("ToDo", first_todo, "status"), "Closed")

		# what the desk's Amend does
		amended = frappe.copy_doc(original, ignore_no_copy=False)
		amended.docstatus = 0
		amended.amended_from = original.name
		amended.customer_views = "Interested, wants a trial order of 20 units"
		amended.insert()
		amended.submit()
		amended.reload()
		self.assertEqual(amended.status, "Completed")
		self.assertEqual(getdate(amended.follow_up_date), getdate(today()))
		self.assertEqual(amended.follow_up_status, "Done On Time")
		self.assertFalse(amended.follow_up_todo)
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_name": amended.name, "status": "Open"}),
			"an amendment of a followed-up visit must not open a follow-up nobody can close",
		)
		# and the daily job does not count it as an overdue follow-up
		notify_overdue_visits()
		self.assertEqual(
			frappe.db.get_value("Visit Record", amended.name, "follow_up_status"), "Done On Time"
		)

	def test_amending_a_visit_without_follow_up_opens_a_fresh_todo(self):
		original = visit().insert()
		original.submit()
		original.cancel()
		self.assertEqual(frappe.db.get_value("ToDo", original.follow_up_todo, "status"), "Cancelled")
		# what the desk's Amend does
		amended = frappe.copy_doc(original, ignore_no_copy=False)
		amended.docstatus = 0
		amended.amended_from = original.name
		amended.insert()
		amended.submit()
		amended.reload()
		self.assertNotEqual(amended.follow_up_todo, original.follow_up_todo)
		self.assertEqual(frappe.db.get_value("ToDo", amended.follow_up_todo, "status"), "Open")
		self.assertEqual(amended.follow_up_status, "Due")

	def test_completing_needs_the_actual_times_and_the_notes_and_every_problem_is_told(self):
		frappe.set_user(MANAGER)
		bare = visit(actual_start=None, actual_end=None, talking_points=None, customer_views=None).insert()
		with self.assertRaises(frappe.ValidationError) as raised:
			bare.submit()
		message = str(raised.exception)
		for part in (
			"Actual Start is missing",
			"Actual End is missing",
			"Main Talking Points",
			"Customer's Views",
		):
			self.assertIn(part, message)
		self.assertEqual(frappe.db.get_value("Visit Record", bare.name, "docstatus"), 0)

		# the planned times' problem is told as such, with no advice about the actual times
		early_end = visit()
		early_end.planned_end = add_days(early_end.planned_start, -1)
		message = self.refused_insert(early_end)
		self.assertIn("Planned End", message)
		self.assertNotIn("Actual", message)

		# several problems at once: all of them in one message
		wrong = visit(customer_attendees=[{"contact": self.stranger}])
		wrong.planned_end = add_days(wrong.planned_start, -1)
		wrong.actual_end = add_days(wrong.actual_start, -1)
		message = self.refused_insert(wrong)
		self.assertIn("Planned End", message)
		self.assertIn("before it starts", message)
		self.assertIn("is not a contact of customer", message)
