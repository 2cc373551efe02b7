"""A demo company's worth of key-account data, built through real ERPNext documents.

    bench --site <site> execute key_account_management.demo.make_demo
    bench --site <site> execute key_account_management.demo.remove_demo

Idempotent: what exists is kept, what is missing is made. Removal deletes the demo company's
transactions and every record the demo made, and nothing else.
"""

from __future__ import annotations

import frappe
from frappe.utils import add_days, add_months, add_to_date, get_first_day, getdate, now_datetime, today

from key_account_management.demo import records as r

COMPANY = "KAM Demo Ltd"
ABBR = "KDL"
CURRENCY = "CNY"
WAREHOUSE = f"Stores - {ABBR}"
PREFIX = "DEMO-"
MANAGERS = {
	"demo.kam.li@example.com": "Li Ming",
	"demo.kam.zhao@example.com": "Zhao Hui",
}
DIRECTOR = ("demo.director@example.com", "Wang Jun")
APPROVER = ("demo.finance@example.com", "Chen Fang")
# the site's administrator when it has none but Administrator (a fresh site set up by make_demo)
ADMIN = ("demo.admin@example.com", "Demo Admin")
# every demo user logs in with this (documented in the README); strong enough for Frappe's policy
DEMO_PASSWORD = "Demo#2026kam"
ITEMS = {  # item: (group, cost, price)
	f"{PREFIX}Servo Motor": ("Demo Motion Control", 620, 980),
	f"{PREFIX}Motion Controller": ("Demo Motion Control", 1450, 2300),
	f"{PREFIX}Industrial PLC": ("Demo Automation", 2100, 3200),
	f"{PREFIX}HMI Panel": ("Demo Automation", 880, 1290),
	f"{PREFIX}Sensor Kit": ("Demo Sensors", 95, 180),
	f"{PREFIX}Cable Set": ("Demo Sensors", 30, 52),
}
SERVICE = f"{PREFIX}Commissioning Service"
CUSTOMERS = [
	"Huaxin Steel Group",
	"Everbright Auto Parts",
	"Jinling Shipbuilding",
	"Zhongyuan Power Grid",
	"Sunrise Packaging",
	"Tianhe Logistics",
	"Northstar Pharma",
	"Pearl River Foods",
	"Qilu Chemicals",
	"Yangtze Glassworks",
	"Golden Harvest Machinery",
	"Bluewave Textiles",
	"Redstone Mining",
	"Silverline Electronics",
	"Greenfield Agritech",
	"Lotus Home Appliances",
	"Phoenix Batteries",
	"Crane Precision Tools",
	"Harbor City Water",
	"Summit Cement",
	"Jade Valley Paper",
	"Oriental Rail Systems",
	"Maple Medical Devices",
	"Starlight Solar",
	"Westlake Printing",
	"Dragon Gate Ceramics",
	"Mountain Spring Beverages",
	"Unity Plastics",
	"Horizon Aerospace Parts",
	"Kunlun Wind Energy",
	"Riverside Furniture",
	"Coastal Seafood Co",
]


# key accounts whose orders stopped that many months ago, so that the directors' Account Health has
# accounts that slip: 4 months is at risk (past half the interruption days), 8 months interrupted.
# Commissioning only (no stock): added to a demo made before, they post no back-dated stock movement.
SLIPPING = {"Evergreen Instruments": 4, "Blue Sky Cables": 8}


def customer_name(index: int) -> str:
	return f"{PREFIX}{CUSTOMERS[index]}"


def make_demo() -> dict:
	frappe.only_for("System Manager")
	frappe.flags.mute_emails = True
	# a fresh site: ERPNext's setup wizard, run here with the demo company (CNY, China)
	r.ensure_erpnext_setup(COMPANY, ABBR, CURRENCY, "China", "Asia/Shanghai")
	this_year = getdate(today()).year
	r.ensure_fiscal_years(this_year - 2, this_year + 1)
	r.ensure_company(COMPANY, ABBR, CURRENCY)
	# before the profiles: they take the settings' company (and its currency)
	use_demo_company_in_settings()
	users = make_users()
	make_items()
	customers = [r.ensure_customer(customer_name(i)) for i in range(len(CUSTOMERS))]
	invoices = make_sales(customers)
	profiles = make_profiles(customers, users)
	invoices += make_slipping_accounts(users)
	make_buying_centers(profiles)
	visits = make_visits(profiles)
	requests = make_hospitality(profiles)
	opportunities = make_opportunities(profiles)
	frappe.db.commit()

	from key_account_management.classification.reclassify import reclassify
	from key_account_management.relationship.job import evaluate_all_profiles
	from key_account_management.relationship.profile import confirm_suggested_stage

	summary = reclassify(company=COMPANY)
	evaluate_all_profiles()
	# what the nightly visit job does: next visit due dates by the classes just computed
	from key_account_management.visits.jobs import notify_overdue_visits

	notify_overdue_visits()
	for profile in profiles:
		# the account managers confirm the stage their share of wallet suggests
		if frappe.db.get_value("Key Account Profile", profile, "suggested_stage"):
			confirm_suggested_stage(profile)
	frappe.db.commit()
	logins = demo_logins()
	for login in logins:
		print(f"{login['user']:<28} {login['password']:<14} {', '.join(login['roles'])}")
	return {
		"logins": logins,
		"customers": len(customers),
		"invoices": invoices,
		"profiles": len(profiles),
		"visits": visits,
		"hospitality_requests": requests,
		"opportunities": opportunities,
		**summary,
	}


def use_demo_company_in_settings() -> None:
	"""The demo is for a demo site: the settings (and so the daily jobs) work on the demo company, and
	every A customer gets a profile, so that "A Accounts" and the ABC Analysis count the same."""
	frappe.db.set_single_value("Key Account Settings", "company", COMPANY)
	frappe.db.set_single_value("Key Account Settings", "company_currency", CURRENCY)
	frappe.db.set_single_value("Key Account Settings", "auto_create_profiles", 1)
	if not (
		frappe.db.get_single_value("Key Account Settings", "account_budget_amount")
		or frappe.db.get_single_value("Key Account Settings", "account_budget_percent")
	):
		# a yearly hospitality budget per account, so the workspace shows spend against budget
		frappe.db.set_single_value("Key Account Settings", "account_budget_amount", 20000)


def make_users() -> dict:
	ensure_a_system_manager()
	users = {
		email: r.ensure_user(email, name, "Key Account Manager", password=DEMO_PASSWORD)
		for email, name in MANAGERS.items()
	}
	r.ensure_user(DIRECTOR[0], DIRECTOR[1], "Key Account Director", password=DEMO_PASSWORD)
	r.ensure_user(APPROVER[0], APPROVER[1], "Hospitality Approver", password=DEMO_PASSWORD)
	# the approval line in ERPNext's org chart: Li Ming reports to Zhao Hui (the key-account department
	# manager, who approves Li's hospitality at Manager level), Zhao Hui to the director
	li, zhao = MANAGERS
	r.ensure_employee(DIRECTOR[0], COMPANY)
	r.ensure_employee(zhao, COMPANY, DIRECTOR[0])
	r.ensure_employee(li, COMPANY, zhao)
	only_their_roles([*MANAGERS, DIRECTOR[0], APPROVER[0]])
	return users


def ensure_a_system_manager() -> None:
	"""Frappe makes a new system user a System Manager while the site has none besides Administrator:
	give the site an administrator of its own first, as ERPNext's setup wizard does with its first user."""
	demo_users = [*MANAGERS, DIRECTOR[0], APPROVER[0]]
	others = frappe.db.sql(
		"""select 1 from `tabHas Role` hr inner join `tabUser` u on u.name = hr.parent
		where hr.parenttype = 'User' and hr.role = 'System Manager' and u.enabled = 1
			and u.name not in ('Administrator', 'Guest') and u.name not in %(demo)s limit 1""",
		{"demo": tuple(demo_users)},
	)
	if not others:
		r.ensure_user(ADMIN[0], ADMIN[1], "System Manager", password=DEMO_PASSWORD)


def only_their_roles(emails: list[str]) -> None:
	"""Frappe makes the first system user of a fresh site a System Manager ("there must be at least one"):
	the demo users hold their key-account role only, so that the demo shows what each role sees."""
	frappe.db.delete("Has Role", {"parent": ("in", emails), "parenttype": "User", "role": "System Manager"})
	for email in emails:
		frappe.clear_cache(user=email)


def demo_logins() -> list[dict]:
	"""The demo users with their password and roles, for `bench execute` (scripts/dev-bench prints them)."""
	frappe.only_for("System Manager")
	from key_account_management.install import ROLES

	logins = []
	for email in (*MANAGERS, DIRECTOR[0], APPROVER[0], ADMIN[0]):
		if not frappe.db.exists("User", email):
			continue
		roles = frappe.get_all(
			"Has Role",
			filters={"parent": email, "parenttype": "User", "role": ("in", (*ROLES, "System Manager"))},
			pluck="role",
			order_by="role asc",
		)
		logins.append({"user": email, "password": DEMO_PASSWORD, "roles": roles})
	return logins


def make_items() -> None:
	for item_code, (group, _cost, _price) in ITEMS.items():
		r.ensure_item(item_code, r.ensure_item_group(group))
	r.ensure_item(SERVICE, r.ensure_item_group("Demo Services"), is_stock_item=0)


def make_sales(customers: list[str]) -> int:
	if frappe.db.count("Sales Invoice", {"company": COMPANY, "docstatus": 1}):
		return 0  # made before: keep it as it is
	start = get_first_day(add_months(today(), -13))
	for item_code, (_group, cost, _price) in ITEMS.items():
		r.receive(COMPANY, WAREHOUSE, item_code, 100000, cost, start)
	r.submit(
		{
			"doctype": "Purchase Invoice",
			"company": COMPANY,
			"supplier": ensure_supplier(),
			"posting_date": start,
			"set_posting_time": 1,
			"bill_date": start,
			"currency": CURRENCY,
			"items": [{"item_code": SERVICE, "qty": 1, "rate": 3000}],
		}
	)
	# post in date order across customers: a back-dated stock posting would queue reposts and leave
	# the ledger's values stale until a worker ran them
	items = list(ITEMS)
	plan = []
	for index, customer in enumerate(customers):
		# a Pareto-shaped book: the first five buy monthly and big, the next ten every other month
		every, scale = (1, 12) if index < 5 else (2, 4) if index < 15 else (3, 1)
		for month in range(12, -1, -every):
			posting_date = min(
				add_days(get_first_day(add_months(today(), -month)), 9 + index % 15), getdate(today())
			)
			lines = [
				(
					items[(index + k) % len(items)],
					scale * (1 + (index + month + k) % 4),
					ITEMS[items[(index + k) % len(items)]][2],
				)
				for k in range(2)
			]
			returned = month in (4, 8) and index < 12 and index % 7 != 3
			plan.append(
				(posting_date, index, "delivery" if index % 7 == 3 else "invoice", customer, lines, returned)
			)
			if index < 5 and month % 3 == 0:
				plan.append((posting_date, index, "service", customer, [(SERVICE, 1, 6800)], False))
	count = 0
	returns = []
	for posting_date, _index, kind, customer, lines, returned in sorted(plan, key=lambda p: (p[0], p[1])):
		while returns and returns[0][0] <= posting_date:
			return_date, sale, item = returns.pop(0)
			r.credit_note(sale, {item: 1}, return_date)
			count += 1
		if kind == "delivery":
			r.delivery_then_invoice(COMPANY, customer, WAREHOUSE, lines, posting_date, CURRENCY)
		else:
			sale = r.invoice(
				COMPANY,
				customer,
				WAREHOUSE,
				lines,
				posting_date,
				CURRENCY,
				update_stock=int(kind != "service"),
			)
			if returned:
				returns.append((add_days(posting_date, 5), sale, lines[0][0]))
				returns.sort(key=lambda x: x[0])
		count += 1
	for return_date, sale, item in returns:
		if getdate(return_date) <= getdate(today()):
			r.credit_note(sale, {item: 1}, return_date)
			count += 1
	return count


def make_slipping_accounts(users: dict) -> int:
	"""Two key accounts that bought commissioning every month until a few months ago (SLIPPING)."""
	managers = list(users)
	count = 0
	for index, (name, months_quiet) in enumerate(SLIPPING.items()):
		customer = r.ensure_customer(f"{PREFIX}{name}")
		if not frappe.db.exists("Sales Invoice", {"customer": customer, "docstatus": 1}):
			for month in range(13, months_quiet - 1, -1):
				posting_date = add_days(get_first_day(add_months(today(), -month)), 6 + index)
				r.invoice(COMPANY, customer, WAREHOUSE, [(SERVICE, 2, 6800)], posting_date, CURRENCY, 0)
				count += 1
		ensure_profile(
			customer,
			managers,
			index,
			ka_kind="End User",
			influence_rating=0.6,
			volume_rating=0.6,
			growth_rating=0.4,
			estimated_category_spend=400_000,
		)
	return count


def ensure_profile(customer: str, managers: list[str], index: int, **fields) -> None:
	"""The customer's profile in the demo company, managed by the managers in turn (by ``index``) with the
	other on the account team, if it has none yet."""
	if frappe.db.exists("Key Account Profile", customer):
		return
	frappe.get_doc(
		{
			"doctype": "Key Account Profile",
			"customer": customer,
			"company": COMPANY,
			"account_manager": managers[index % 2],
			"spend_estimate_as_of": today(),
			"account_team": [{"user": managers[(index + 1) % 2], "team_role": "Pre-sales / Technical"}],
			**fields,
		}
	).insert(ignore_permissions=True)


def ensure_supplier() -> str:
	name = f"{PREFIX}Component Supplier"
	if not frappe.db.exists("Supplier", name):
		frappe.get_doc(
			{"doctype": "Supplier", "supplier_name": name, "supplier_group": r.leaf("Supplier Group")}
		).insert(ignore_permissions=True)
	return name


def make_profiles(customers: list[str], users: dict) -> list[str]:
	managers = list(users)
	for index, customer in enumerate(customers[:12]):
		ensure_profile(
			customer,
			managers,
			index,
			ka_kind="End User" if index % 3 else "Distribution",
			influence_rating=(5 - index % 3) / 5,
			volume_rating=(5 - index % 4) / 5,
			growth_rating=(3 + index % 3) / 5,
			estimated_category_spend=2_500_000 if index < 5 else 600_000,
			competitors="Siemens, Inovance" if index % 2 else "Schneider, Delta",
		)
	return customers[:12]


PEOPLE = [  # name, title, role, influence, attitude, reports_to index, insider
	("Wang Wei", "General Manager", "Decision Maker", 5, "Supporter", None, 0),
	("Li Na", "Chief Engineer", "Technical Gatekeeper", 4, "Champion", 0, 0),
	("Zhang Min", "Finance Director", "Financial Gatekeeper", 4, "Skeptic", 0, 0),
	("Liu Yang", "Purchasing Manager", "Purchaser", 3, "Neutral", 2, 0),
	("Chen Jing", "Workshop Head", "User", 2, "Supporter", 1, 1),
	("Zhao Lei", "Assistant to the GM", "Influencer", 2, "Champion", 0, 0),
]


def make_buying_centers(profiles: list[str]) -> None:
	for account in profiles[:4]:
		if frappe.db.exists("Buying Center Role", {"key_account": account}):
			continue
		names = []
		for person, title, role, influence, attitude, reports_to, insider in PEOPLE:
			contact = frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": person,
					"designation": title,
					"company_name": account,
					"links": [{"link_doctype": "Customer", "link_name": account}],
				}
			).insert(ignore_permissions=True)
			names.append(
				frappe.get_doc(
					{
						"doctype": "Buying Center Role",
						"key_account": account,
						"contact": contact.name,
						"buying_role": role,
						"influence": influence,
						"attitude": attitude,
						"relationship_strength": 3,
						"is_insider": insider,
						"reports_to": names[reports_to] if reports_to is not None else None,
						"collective_decision": 1 if role == "Decision Maker" else 0,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)


def make_visits(profiles: list[str]) -> int:
	made = 0
	for index, account in enumerate(profiles):
		if frappe.db.exists("Visit Record", {"key_account": account}):
			continue
		manager = frappe.db.get_value("Key Account Profile", account, "account_manager")
		contacts = frappe.get_all(
			"Buying Center Role", filters={"key_account": account}, pluck="contact", limit=2
		)
		for days_ago, method in ((75 - index * 4, "On Site"), (20 + index, "Video")):
			start = add_to_date(now_datetime(), days=-days_ago, hours=-2)
			visit = frappe.get_doc(
				{
					"doctype": "Visit Record",
					"key_account": account,
					"visit_method": method,
					"planned_start": start,
					"actual_start": start,
					"actual_end": add_to_date(start, hours=1.5),
					"objective": "Quarterly business review and the 2027 supply plan",
					"our_attendees": [{"user": manager}],
					"customer_attendees": [{"contact": c} for c in contacts],
					"talking_points": "Delivery performance; new motion-control line; framework agreement",
					"customer_views": "Satisfied with delivery, asks for better payment terms",
					"next_steps": "Send the technical proposal; invite the chief engineer to our plant",
					"owner": manager,
				}
			).insert(ignore_permissions=True)
			visit.submit()
			if index % 3:
				visit.follow_up_date = min(add_days(visit.visit_date, 3 + index), getdate(today()))
				visit.follow_up_method = "Phone"
				visit.follow_up_notes = "Positive; wants the proposal by the end of the month"
				visit.save(ignore_permissions=True)
			made += 1
		start = add_to_date(now_datetime(), days=7 + index)
		frappe.get_doc(
			{
				"doctype": "Visit Record",
				"key_account": account,
				"visit_method": "On Site",
				"planned_start": start,
				"objective": "Present the technical proposal",
				"our_attendees": [{"user": manager}],
			}
		).insert(ignore_permissions=True)
		made += 1
	return made


def make_hospitality(profiles: list[str]) -> int:
	"""Requests through the shipped workflow, each by the right person: settled, approved, pending."""
	from frappe.model.workflow import apply_workflow

	from key_account_management import hospitality as h

	if frappe.db.exists("Hospitality Request", {"customer": ("in", profiles)}):
		return 0
	h.setup_workflow()
	official = frappe.get_all(
		"Buying Center Role",
		filters={"key_account": profiles[0], "buying_role": "Decision Maker"},
		pluck="contact",
	)
	if official:
		frappe.db.set_value("Contact", official[0], "kam_is_official", 1)
	plans = [  # account, type, amount, how far it goes
		(profiles[0], "Meal", 800, "Settled"),
		(profiles[1], "Reception/Site Visit", 3200, "Approved"),
		(profiles[0], "Gift", 300, "Pending Director"),
		(profiles[2], "Entertainment", 1500, "Pending Manager"),
		(profiles[3], "Meal", 600, "Draft"),
	]
	made = 0
	# Li Ming raises the requests (manager or on the team of each of these accounts), so the Manager
	# level is Li's superior and the Director level the director: three different people
	requester = next(iter(MANAGERS))
	for account, request_type, amount, goal in plans:
		contacts = frappe.get_all(
			"Buying Center Role", filters={"key_account": account}, pluck="contact", limit=2
		)
		if not contacts:
			continue
		recipients = (official if request_type == "Gift" and official else contacts)[:2]
		frappe.set_user(requester)
		doc = frappe.get_doc(
			{
				"doctype": "Hospitality Request",
				"key_account": account,
				"company": COMPANY,
				"request_type": request_type,
				"currency": CURRENCY,
				"conversion_rate": 1,
				"planned_date": today(),
				"business_purpose": "Quarterly business review with the customer's management team",
				"estimated_amount": amount,
				"recipients": [{"contact": c, "amount": amount / len(recipients)} for c in recipients],
				"participants": [{"user": requester}],
			}
		).insert()
		made += 1
		approvers = {
			"Pending Manager": h.requester_superiors(requester)[0],
			"Pending Director": DIRECTOR[0],
			"Pending Finance": APPROVER[0],
		}
		if goal != "Draft":
			apply_workflow(doc.as_dict(), h.ACTION_SUBMIT)
		while goal not in ("Draft", frappe.db.get_value("Hospitality Request", doc.name, "workflow_state")):
			state = frappe.db.get_value("Hospitality Request", doc.name, "workflow_state")
			if state == "Approved" and goal == "Settled":
				frappe.set_user("Administrator")
				receipt = frappe.get_doc(
					{
						"doctype": "File",
						"file_name": f"receipt-{doc.name}.txt",
						"content": "restaurant receipt",
						"attached_to_doctype": "Hospitality Request",
						"attached_to_name": doc.name,
						"is_private": 1,
					}
				).insert(ignore_permissions=True)
				frappe.set_user(requester)
				settle = frappe.get_doc("Hospitality Request", doc.name)
				settle.actual_amount = amount * 0.95
				settle.receipt = receipt.file_url
				settle.save()
				apply_workflow(frappe.get_doc("Hospitality Request", doc.name).as_dict(), h.ACTION_SETTLE)
				continue
			if state not in approvers:
				break
			frappe.set_user(approvers[state])
			apply_workflow(frappe.get_doc("Hospitality Request", doc.name).as_dict(), h.ACTION_APPROVE)
	frappe.set_user("Administrator")
	return made


def make_opportunities(profiles: list[str]) -> int:
	"""Three opportunities per key account over the last year, made by its account manager, at every
	stage of the funnel: some won, some lost, the rest open, so the funnel and the forecast show data."""
	if frappe.db.exists("Opportunity", {"party_name": ("in", profiles), "company": COMPANY}):
		return 0  # made before: keep them as they are
	from key_account_management.funnel.config import get_stages

	stages = [stage.name for stage in get_stages()]
	if not stages:
		return 0
	count = 0
	for index, account in enumerate(profiles):
		manager = frappe.db.get_value("Key Account Profile", account, "account_manager")
		for k in range(3):
			reached = (index + 2 * k) % len(stages)
			won = k == 0 and index % 3 == 0
			lost = k == 2 and index % 4 == 1
			frappe.set_user(manager or "Administrator")
			try:
				opportunity = frappe.get_doc(
					{
						"doctype": "Opportunity",
						"opportunity_from": "Customer",
						"party_name": account,
						"company": COMPANY,
						"currency": CURRENCY,
						"transaction_date": add_days(add_months(today(), -(1 + (index + 4 * k) % 11)), index),
						"opportunity_amount": 80_000 * (1 + (index + k) % 5) * (3 if index < 5 else 1),
						"probability": 20 + 15 * reached,
						"expected_closing": add_days(today(), 20 + 25 * k + 3 * index),
					}
				).insert()
				if won:
					reached = len(stages) - 1
				if reached:
					for row in opportunity.kam_milestones:
						if row.sales_stage in stages[:reached]:
							row.done = 1
					opportunity.sales_stage = stages[reached]
					opportunity.save()
				if won or lost:
					opportunity.status = "Converted" if won else "Lost"
					opportunity.save()
			finally:
				frappe.set_user("Administrator")
			count += 1
	return count


def remove_demo() -> dict:
	"""Delete the demo company's transactions and the records the demo made."""
	frappe.only_for("System Manager")
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
