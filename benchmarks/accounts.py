"""Synthetic key accounts for the benchmarks, filled by set-based SQL (no document saves).

On top of existing customers (normally the ledger's, see ``ledger.py``) MariaDB's sequence engine
(``seq_1_to_N``) makes what the daily jobs and the Key Accounts workspace read:

- users: one Key Account Manager per thousand accounts, two Key Account Directors and two
  Hospitality Approvers, with their Has Role rows;
- one Key Account Profile per customer (class, basis value, most with a stage and a category spend
  estimate), managed by one manager with another manager on its team, so that a manager's
  row-level access covers two thousand accounts;
- three Buying Center Roles per profile, each person a Contact linked to the customer;
- stage history and playbook items for the profiles with a stage, the first action a ToDo;
- submitted Visit Records over the last two years, with our and the customer's attendee and a
  follow-up ToDo each, most followed up; A accounts are visited more often and some accounts never;
- Hospitality Requests in every workflow state, with recipient, participant and approval trail;
- an item group on the rows of the customers' invoices, which the ledger leaves empty.

Then the relationship job evaluates the profiles once as of yesterday, so that a benchmark run of
it is the next day's run (a day moves every account's order recency and health), and one account
in a hundred gets a moved status or suggested stage, so that the run also sends a day's news.

Every name starts with the prefix (users, contacts, roles, visits, requests, ToDos, child rows)
except the profiles, which are named after their customers; ``cleanup`` finds those by their
prefixed account manager, so it deletes exactly what ``fill`` made. The SQL here binds no
parameters because it uses MariaDB's ``%`` operator; values are escaped into the text instead.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import frappe
from frappe.utils import cint

from key_account_management.core.buying_center import ATTITUDE_SCORES, BUYING_ROLES
from key_account_management.core.visits import DEFAULT_CADENCE_DAYS, DEFAULT_FOLLOW_UP_DAYS

ACCOUNTS_PER_MANAGER = 1000
DIRECTORS = 2
APPROVERS = 2
ROLES_PER_PROFILE = 3
HISTORY_DAYS = 730
TEMP = "kam_bench_accounts"
REQUEST_TYPES = ("Meal", "Entertainment", "Gift", "Travel/Hosting", "Reception/Site Visit")
VISIT_METHODS = ("On Site", "Customer at Our Site", "Phone", "Video", "Event")
DESIGNATIONS = ("General Manager", "Chief Engineer", "Purchasing Manager")
TABLES = (
	"User",
	"Has Role",
	"Customer",
	"Contact",
	"Dynamic Link",
	"Key Account Profile",
	"Key Account Team Member",
	"Buying Center Role",
	"Relationship Stage History",
	"Key Account Playbook Item",
	"ToDo",
	"Visit Record",
	"Visit Attendee",
	"Visit Customer Attendee",
	"Hospitality Request",
	"Hospitality Recipient",
	"Hospitality Participant",
	"Hospitality Approval",
)


def user(prefix: str, kind: str, n: int) -> str:
	"""The n-th (from 1) benchmark user of a kind: "am" manager, "dir" director, "fin" approver."""
	return f"{prefix}{kind}-{n:03d}@example.com"


@contextmanager
def use_company(company: str):
	"""Key Account Settings point at ``company`` for the duration; the old value is put back."""
	saved = frappe.db.get_single_value("Key Account Settings", "company")
	frappe.db.set_single_value("Key Account Settings", "company", company)
	frappe.db.commit()
	try:
		yield
	finally:
		frappe.db.rollback()
		frappe.db.set_single_value("Key Account Settings", "company", saved)
		frappe.db.commit()


def fill(prefix: str, company: str, customers: list[str] | str, visits: int, hospitality: int) -> None:
	"""Key accounts for ``customers`` in ``company``: a list of Customer names, or a name prefix
	(``"KAMB-C-"``) for every customer whose name starts with it."""
	frappe.db.commit()
	count = _number_customers(customers)
	if not count:
		frappe.throw(f"No customers to make key accounts for ({customers!r}).")
	filler = _Filler(prefix, company, count)
	filler.users()
	filler.profiles()
	filler.buying_centers()
	filler.playbooks()
	if visits:
		filler.visits(visits)
	if hospitality:
		filler.hospitality(hospitality)
	filler.item_groups()
	frappe.db.commit()
	refresh_rollups(company)
	count_visits()
	filler.settle()
	frappe.db.sql(f"drop temporary table if exists {TEMP}")
	for doctype in TABLES:
		frappe.db.sql(f"analyze table `tab{doctype}`")


def refresh_rollups(company: str) -> None:
	"""The item groups just written bypassed the invoices' hooks, and the relationship job reads them
	from the monthly rollups: the rollups the ledger fill built are brought up to date the way the
	weekly check does (without this the job reads no item groups at all and times less work)."""
	from key_account_management.classification.rollup_rebuild import rebuild

	if frappe.db.table_exists("Key Account Monthly Rollup"):
		rebuild(company)


def count_visits() -> None:
	"""The visits just written bypassed their submit: the Visits per Month counts are set from them the
	way the weekly check does."""
	from key_account_management.visits.month_counts import check

	check()
	frappe.db.commit()


def cleanup(prefix: str) -> None:
	sql, like = frappe.db.sql, prefix + "%"
	# profiles are named after their customers: ours are the ones a user of ours manages
	ours = "(select name from `tabKey Account Profile` where account_manager like %(like)s)"
	for child in (
		"Key Account Team Member",
		"Relationship Stage History",
		"Key Account Playbook Item",
		"Key Account Class History",
	):
		sql(
			f"""delete from `tab{child}` where parenttype = 'Key Account Profile'
			and (parent like %(like)s or parent in {ours})""",
			{"like": like},
		)
	sql("delete from `tabKey Account Profile` where account_manager like %(like)s", {"like": like})
	for child, parent in (
		("Visit Attendee", "Visit Record"),
		("Visit Customer Attendee", "Visit Record"),
		("Hospitality Recipient", "Hospitality Request"),
		("Hospitality Participant", "Hospitality Request"),
		("Hospitality Approval", "Hospitality Request"),
		("Hospitality Limit Check", "Hospitality Request"),
		("Dynamic Link", "Contact"),
		("Has Role", "User"),
	):
		sql(f"delete from `tab{child}` where parenttype = %s and parent like %s", (parent, like))
	for doctype in ("Visit Record", "Hospitality Request", "Buying Center Role", "Contact", "ToDo", "User"):
		sql(f"delete from `tab{doctype}` where name like %s", like)
	sql("delete from `tabNotification Log` where for_user like %s", like)
	count_visits()
	sql("update `tabCustomer` set kam_abc_class = null where name like %s", like)
	sql(
		"""update `tabSales Invoice Item` set item_group = null
		where parenttype = 'Sales Invoice' and parent like %s""",
		like,
	)
	frappe.db.commit()


def _number_customers(customers: list[str] | str) -> int:
	"""A temporary table numbering the customers 1..N, with what the profiles copy from them."""
	sql, esc = frappe.db.sql, frappe.db.escape
	sql(f"drop temporary table if exists {TEMP}")
	sql(
		f"""create temporary table {TEMP} (n int primary key, name varchar(140) not null,
			customer_name varchar(140), customer_group varchar(140), territory varchar(140),
			manager varchar(140), teammate varchar(140), abc_class varchar(1), key (name))"""
	)
	if isinstance(customers, str):
		sql(
			f"""insert into {TEMP} (n, name)
			select row_number() over (order by name), name from `tabCustomer`
			where name like {esc(customers + "%", percent=False)}"""
		)
	else:
		for start in range(0, len(customers), 5000):
			chunk = customers[start : start + 5000]
			values = ", ".join(
				f"({i}, {esc(name, percent=False)})" for i, name in enumerate(chunk, start + 1)
			)
			sql(f"insert into {TEMP} (n, name) values {values}")
	sql(
		f"""update {TEMP} t join `tabCustomer` c on c.name = t.name
		set t.customer_name = c.customer_name, t.customer_group = c.customer_group, t.territory = c.territory"""
	)
	return sql(f"select count(*) from {TEMP}")[0][0]


class _Filler:
	def __init__(self, prefix: str, company: str, count: int):
		self.prefix = prefix
		self.company = company
		self.count = count
		self.managers = max(1, -(-count // ACCOUNTS_PER_MANAGER))
		self.currency = frappe.get_cached_value("Company", company, "default_currency") or "USD"
		now = frappe.utils.now()
		self.common = f"'{now}', '{now}', 'Administrator', 'Administrator'"

	def sql(self, query: str):
		return frappe.db.sql(query)

	def q(self, value) -> str:
		return frappe.db.escape(value, percent=False)

	@property
	def p(self) -> str:
		return self.q(self.prefix)

	def like(self, infix: str = "") -> str:
		return self.q(self.prefix + infix + "%")

	def name(self, kind: str, number: str, width: int = 9) -> str:
		"""SQL for a prefixed name: prefix, kind, the zero-padded number (an SQL expression)."""
		return f"concat({self.p}, '{kind}-', lpad({number}, {width}, '0'))"

	def manager_of(self, n: str) -> str:
		return f"concat({self.p}, 'am-', lpad(1 + ({n} - 1) % {self.managers}, 3, '0'), '@example.com')"

	def first_role(self, n: str) -> str:
		"""The name of account n's first buying-center role (the decision maker's seat)."""
		return self.name("BCR", f"({n} - 1) * {ROLES_PER_PROFILE} + 1")

	# -- people and accounts ---------------------------------------------------------------------------
	def users(self) -> None:
		people = (
			[
				(user(self.prefix, "am", i), f"Manager {i}", "Key Account Manager")
				for i in range(1, self.managers + 1)
			]
			+ [
				(user(self.prefix, "dir", i), f"Director {i}", "Key Account Director")
				for i in range(1, DIRECTORS + 1)
			]
			+ [
				(user(self.prefix, "fin", i), f"Approver {i}", "Hospitality Approver")
				for i in range(1, APPROVERS + 1)
			]
		)
		users = ", ".join(
			f"({self.q(name)}, {self.q(name)}, {self.q(first)}, 'Benchmark', {self.q(first + ' Benchmark')},"
			f" 1, 'System User', 0, {self.common})"
			for name, first, _role in people
		)
		self.sql(
			f"""insert into `tabUser` (name, email, first_name, last_name, full_name, enabled, user_type,
				send_welcome_email, creation, modified, owner, modified_by) values {users}"""
		)
		roles = ", ".join(
			f"({self.q(self.prefix + 'HR-' + name)}, {self.q(name)}, 'User', 'roles', 1, {self.q(role)},"
			f" {self.common})"
			for name, _first, role in people
		)
		self.sql(
			f"""insert into `tabHas Role` (name, parent, parenttype, parentfield, idx, role,
				creation, modified, owner, modified_by) values {roles}"""
		)
		# customer 1 sells most in the ledger, so the class follows the number: A the first fifth,
		# B up to the half, C the rest
		self.sql(
			f"""update {TEMP} set manager = {self.manager_of("n")}, teammate = {self.manager_of("n + 1")},
				abc_class = case when n <= {self.count // 5} then 'A' when n <= {self.count // 2} then 'B'
					else 'C' end"""
		)

	def profiles(self) -> None:
		stages = frappe.get_all(
			"Relationship Stage", filters={"interrupted": 0}, order_by="sequence asc", pluck="name"
		)
		stage = f"elt(1 + t.n % {len(stages)}, {', '.join(self.q(s) for s in stages)})" if stages else "null"
		# seven accounts in ten have a stage, four in five a category spend estimate (some outdated)
		self.sql(
			f"""insert into `tabKey Account Profile` (name, customer, customer_name, customer_group,
				territory, account_manager, ka_kind, abc_class, computed_abc_class, abc_basis, basis_value,
				abc_as_of, influence_rating,
				volume_rating, growth_rating, relationship_stage, suggested_stage, estimated_category_spend,
				spend_estimate_as_of, strategy_plan, competitors, creation, modified, owner, modified_by)
			select t.name, t.name, t.customer_name, t.customer_group, t.territory, t.manager,
				if(t.n % 3 = 0, 'Distribution', 'End User'), t.abc_class, t.abc_class, 'Net Revenue',
				round(1000000 / t.n, 2), curdate(),
				(1 + t.n % 5) / 5, (1 + t.n % 4) / 5, (1 + t.n % 3) / 5,
				if(t.n % 10 < 7, {stage}, null), if(t.n % 10 < 7, {stage}, null),
				if(t.n % 5 = 0, 0, 20000 + (t.n % 97) * 2500),
				if(t.n % 5 = 0, null, date_sub(curdate(), interval t.n % 500 day)),
				'<p>Grow the account.</p>', 'Competitor A, Competitor B', {self.common}
			from {TEMP} t"""
		)
		self.sql(
			f"""insert into `tabKey Account Team Member` (name, parent, parenttype, parentfield, idx, user,
				full_name, team_role, creation, modified, owner, modified_by)
			select {self.name("KTM", "t.n")}, t.name, 'Key Account Profile', 'account_team', 1, t.teammate,
				'Benchmark Manager', 'Sales', {self.common}
			from {TEMP} t"""
		)
		# the class on the customer feeds the "Customers by ABC Class" chart (our own customers only)
		self.sql(
			f"""update `tabCustomer` c join {TEMP} t on t.name = c.name set c.kam_abc_class = t.abc_class
			where c.name like {self.like()}"""
		)

	def buying_centers(self) -> None:
		designation = f"elt(r.k + 1, {', '.join(self.q(d) for d in DESIGNATIONS)})"
		rows = f"""(select s.seq as m, t.n, t.name as customer, t.customer_name,
				(s.seq - 1) % {ROLES_PER_PROFILE} as k
			from seq_1_to_{self.count * ROLES_PER_PROFILE} s
			join {TEMP} t on t.n = ceil(s.seq / {ROLES_PER_PROFILE})) r"""
		contact = self.name("CT", "r.m")
		self.sql(
			f"""insert into `tabContact` (name, first_name, last_name, full_name, status, designation,
				company_name, kam_is_official, creation, modified, owner, modified_by)
			select {contact}, concat('Person ', r.m), r.customer_name,
				concat('Person ', r.m, ' ', r.customer_name), 'Passive', {designation}, r.customer_name,
				r.m % 20 = 0, {self.common}
			from {rows}"""
		)
		self.sql(
			f"""insert into `tabDynamic Link` (name, parent, parenttype, parentfield, idx, link_doctype,
				link_name, link_title, creation, modified, owner, modified_by)
			select {self.name("DL", "r.m")}, {contact}, 'Contact', 'links', 1, 'Customer', r.customer,
				r.customer_name, {self.common}
			from {rows}"""
		)

		def role(i: int) -> str:
			return self.q(BUYING_ROLES[i])

		attitudes = ", ".join(self.q(a) for a in ATTITUDE_SCORES)
		# the first person decides (one account in ten has only an influencer there: no decision
		# maker) and the others report to them; every 25th account lost its decision maker, every
		# third has an insider
		self.sql(
			f"""insert into `tabBuying Center Role` (name, key_account, customer, contact, contact_name,
				designation, buying_role, is_insider, collective_decision, status, left_on, influence,
				attitude, relationship_strength, reports_to, creation, modified, owner, modified_by)
			select {self.name("BCR", "r.m")}, r.customer, r.customer, {contact},
				concat('Person ', r.m, ' ', r.customer_name), {designation},
				case r.k when 0 then if(r.n % 10 = 0, {role(5)}, {role(0)})
					when 1 then if(r.n % 2 = 0, {role(1)}, {role(2)})
					else if(r.n % 2 = 0, {role(3)}, {role(4)}) end,
				r.k = 2 and r.n % 3 = 0, r.k = 0,
				if(r.k = 0 and r.n % 25 = 0, 'Left the Company', 'Active'),
				if(r.k = 0 and r.n % 25 = 0, date_sub(curdate(), interval 30 day), null),
				1 + r.m % 5, elt(1 + (r.m * 7) % 5, {attitudes}), 1 + r.m % 5,
				if(r.k = 0, null, {self.name("BCR", "r.m - r.k")}), {self.common}
			from {rows}"""
		)

	def playbooks(self) -> None:
		staged = f"""from {TEMP} t join `tabKey Account Profile` kap on kap.name = t.name
			where kap.relationship_stage is not null"""
		self.sql(
			f"""insert into `tabRelationship Stage History` (name, parent, parenttype, parentfield, idx,
				changed_on, from_stage, to_stage, reason, changed_by, creation, modified, owner, modified_by)
			select {self.name("RSH", "t.n")}, t.name, 'Key Account Profile', 'stage_history', 1,
				date_sub(now(), interval 200 day), null, kap.relationship_stage, 'Benchmark', 'Administrator',
				{self.common}
			{staged}"""
		)
		# the first action of each playbook became a ToDo; one in ten of those ToDos is closed, which
		# the relationship job turns into a done playbook item
		self.sql(
			f"""insert into `tabKey Account Playbook Item` (name, parent, parenttype, parentfield, idx, stage,
				action, done, todo, creation, modified, owner, modified_by)
			select concat({self.name("KPI", "t.n")}, '-', a.idx), t.name, 'Key Account Profile',
				'playbook_items', a.idx, kap.relationship_stage, a.action, 0,
				if(a.idx = 1, {self.name("TD-P", "t.n")}, null), {self.common}
			from {TEMP} t join `tabKey Account Profile` kap on kap.name = t.name
			join `tabRelationship Stage Action` a on a.parent = kap.relationship_stage
				and a.parenttype = 'Relationship Stage' and a.parentfield = 'playbook'"""
		)
		self.sql(
			f"""insert into `tabToDo` (name, status, priority, date, allocated_to, description,
				reference_type, reference_name, assigned_by, creation, modified, owner, modified_by)
			select i.todo, if(t.n % 10 = 0, 'Closed', 'Open'), 'Medium', date_add(curdate(), interval 14 day),
				t.manager, concat(t.customer_name, ' (', i.stage, '): ', i.action), 'Key Account Profile',
				t.name, 'Administrator', {self.common}
			from {TEMP} t join `tabKey Account Playbook Item` i on i.parent = t.name
				and i.parenttype = 'Key Account Profile' and i.todo is not null"""
		)

	# -- visits ----------------------------------------------------------------------------------------
	def visits(self, count: int) -> None:
		follow_up_days = (
			cint(frappe.db.get_single_value("Key Account Settings", "follow_up_days"))
			or DEFAULT_FOLLOW_UP_DAYS
		)
		# the account: the square of a uniform hash favours low numbers (the A accounts); the last
		# 2% are never picked, so some accounts were never visited. Followed up: all but one visit in
		# fifty, and one in four of the last 30 days' visits is still open; 0-10 days after the visit
		# (after 7 it is late), never in the future
		reachable = max(1, self.count * 49 // 50)
		visit = "date_sub(curdate(), interval v.d day)"
		picked = f"""(select v.seq, v.n, {visit} as visit_date,
				date_add({visit}, interval {follow_up_days} day) as due,
				if(v.seq % 50 = 0 or (v.d < 30 and v.seq % 4 = 0), null,
					least(curdate(), date_add({visit}, interval v.seq % 11 day))) as followed
			from (select s.seq, (s.seq * 40503) % {HISTORY_DAYS} as d,
					1 + floor(pow(((s.seq * 2654435761) % 4294967296) / 4294967296, 2) * {reachable}) as n
				from seq_1_to_{count} s) v) x"""
		methods = ", ".join(self.q(m) for m in VISIT_METHODS)
		self.sql(
			f"""insert into `tabVisit Record` (name, naming_series, key_account, customer, customer_name,
				visit_method, status, planned_start, planned_end, visit_date, objective, prep_customer_data,
				prep_our_material, actual_start, actual_end, hours, visit_cost, talking_points, customer_views,
				next_steps, follow_up_due, follow_up_status, follow_up_todo, follow_up_date, follow_up_method,
				docstatus, creation, modified, owner, modified_by)
			select {self.name("VISIT", "x.seq")}, 'VISIT-.YYYY.-', t.name, t.name, t.customer_name,
				elt(1 + x.seq % 5, {methods}), 'Completed', timestamp(x.visit_date, '10:00:00'),
				timestamp(x.visit_date, '11:00:00'), x.visit_date, 'Review the orders and the next quarter',
				1, 1, timestamp(x.visit_date, '10:00:00'), timestamp(x.visit_date, '11:30:00'), 1.5, 0,
				'<p>Prices, delivery, the new line.</p>', 'Satisfied with delivery.', 'Send the quote.', x.due,
				case when x.followed is not null then if(x.followed <= x.due, 'Done On Time', 'Done Late')
					when x.due < date_sub(curdate(), interval 2 day) then 'Overdue' else 'Due' end,
				{self.name("TD-V", "x.seq")}, x.followed, if(x.followed is null, null, 'Phone'), 1,
				timestamp(x.visit_date, '12:00:00'), timestamp(x.visit_date, '12:00:00'), t.manager, t.manager
			from {picked} join {TEMP} t on t.n = x.n"""
		)
		ours = f"""from `tabVisit Record` vr join {TEMP} t on t.name = vr.key_account
			join `tabBuying Center Role` bcr on bcr.name = {self.first_role("t.n")}
			where vr.name like {self.like("VISIT-")}"""
		number = f"substring(vr.name, {len(self.prefix) + len('VISIT-') + 1})"
		self.sql(
			f"""insert into `tabToDo` (name, status, priority, date, allocated_to, description,
				reference_type, reference_name, assigned_by, creation, modified, owner, modified_by)
			select vr.follow_up_todo, if(vr.follow_up_date is null, 'Open', 'Closed'), 'Medium',
				vr.follow_up_due, vr.owner, concat('Follow up the visit to ', vr.customer_name),
				'Visit Record', vr.name, vr.owner, vr.creation, vr.modified, vr.owner, vr.owner
			{ours}"""
		)
		self.sql(
			f"""insert into `tabVisit Attendee` (name, parent, parenttype, parentfield, idx, user,
				full_name, yearly_income, docstatus, creation, modified, owner, modified_by)
			select concat({self.p}, 'VA-', {number}), vr.name, 'Visit Record', 'our_attendees', 1, vr.owner,
				'Benchmark Manager', 0, 1, vr.creation, vr.modified, vr.owner, vr.owner
			{ours}"""
		)
		# the customer's side: the account's decision-maker seat
		self.sql(
			f"""insert into `tabVisit Customer Attendee` (name, parent, parenttype, parentfield, idx,
				contact, contact_name, buying_roles, docstatus, creation, modified, owner, modified_by)
			select concat({self.p}, 'VCA-', {number}), vr.name, 'Visit Record', 'customer_attendees', 1,
				bcr.contact, bcr.contact_name, bcr.buying_role, 1, vr.creation, vr.modified, vr.owner, vr.owner
			{ours}"""
		)
		# what submitting the visits left on the profiles and on the people met
		self.sql(
			f"""update `tabKey Account Profile` kap join (
				select key_account, max(visit_date) as last_visit from `tabVisit Record`
				where name like {self.like("VISIT-")} and docstatus = 1 group by key_account
			) v on v.key_account = kap.name
			set kap.last_visit_date = v.last_visit"""
		)
		self.sql(
			f"""update `tabBuying Center Role` bcr join {TEMP} t on bcr.name = {self.first_role("t.n")}
			join `tabKey Account Profile` kap on kap.name = t.name
			set bcr.last_contacted = kap.last_visit_date"""
		)
		# as the visit job left it yesterday: the class cadence after the last visit, and yesterday
		# for an account never visited
		settings = frappe.get_cached_doc("Key Account Settings")
		days = {c: cint(settings.get(f"cadence_{c.lower()}_days")) or DEFAULT_CADENCE_DAYS[c] for c in "ABC"}
		self.sql(
			f"""update `tabKey Account Profile` kap join {TEMP} t on t.name = kap.name
			set kap.next_visit_due = case
				when ifnull(kap.abc_class, '') = '' then null
				when kap.last_visit_date is null then date_sub(curdate(), interval 1 day)
				else date_add(kap.last_visit_date, interval case kap.abc_class
					when 'A' then {days["A"]} when 'B' then {days["B"]} else {days["C"]} end day) end"""
		)

	# -- hospitality -----------------------------------------------------------------------------------
	def hospitality(self, count: int) -> None:
		cur = self.q(self.currency)
		number = f"substring(hr.name, {len(self.prefix) + len('HOSP-') + 1})"
		# by seq % 20: draft, pending at each of the three levels, rejected, 8 approved, 7 settled; the
		# draft and pending ones are planned ahead, the others over the last two years; the requests go
		# to the better half of the accounts
		states = (
			["Draft", "Pending Manager", "Pending Director", "Pending Finance", "Rejected"]
			+ ["Approved"] * 8
			+ ["Settled"] * 7
		)
		amount = "(200 + (s.seq % 40) * 50)"
		self.sql(
			f"""insert into `tabHospitality Request` (name, key_account, customer, customer_name,
				account_manager, request_type, planned_date, workflow_state, requested_by, company,
				business_purpose, currency, conversion_rate, estimated_amount, company_currency,
				base_estimated_amount, approved_amount, approval_route, next_approval_state, approval_round,
				actual_amount, base_actual_amount, variance_amount, variance_percent, settled_on,
				rejection_reason, docstatus, creation, modified, owner, modified_by)
			select {self.name("HOSP", "h.seq")}, t.name, t.name, t.customer_name, t.manager,
				elt(1 + h.seq % 5, {", ".join(self.q(r) for r in REQUEST_TYPES)}), h.planned_date, h.state,
				t.manager, {self.q(self.company)}, 'Keep the relationship warm', {cur}, 1, h.amount, {cur},
				h.amount, if(h.state in ('Approved', 'Settled'), h.amount, 0),
				case h.state when 'Pending Director' then 'Manager, Director'
					when 'Pending Finance' then 'Manager, Director, Finance' else 'Manager' end,
				case h.state when 'Draft' then 'Pending Manager' when 'Approved' then 'Settled'
					when 'Settled' then null when 'Rejected' then null else 'Approved' end,
				h.state != 'Draft', if(h.state = 'Settled', h.actual, 0), if(h.state = 'Settled', h.actual, 0),
				if(h.state = 'Settled', h.actual - h.amount, 0),
				if(h.state = 'Settled', round((h.actual - h.amount) / h.amount * 100, 2), 0),
				if(h.state = 'Settled', least(curdate(), date_add(h.planned_date, interval 3 day)), null),
				if(h.state = 'Rejected', 'Over the budget', null), 0, {self.common}
			from (select s.seq, 1 + ((s.seq * 2654435761) % 4294967296) % {max(1, self.count // 2)} as n,
					elt(1 + s.seq % 20, {", ".join(self.q(s) for s in states)}) as state,
					{amount} as amount, round({amount} * (0.8 + (s.seq % 5) * 0.05), 2) as actual,
					if(s.seq % 20 < 4, date_add(curdate(), interval 1 + s.seq % 30 day),
						date_sub(curdate(), interval (s.seq * 7919) % {HISTORY_DAYS} day)) as planned_date
				from seq_1_to_{count} s) h
			join {TEMP} t on t.n = h.n"""
		)
		ours = f"""from `tabHospitality Request` hr join {TEMP} t on t.name = hr.key_account
			where hr.name like {self.like("HOSP-")}"""
		self.sql(
			f"""insert into `tabHospitality Recipient` (name, parent, parenttype, parentfield, idx, contact,
				contact_name, buying_role, is_official, amount, actual_amount, currency,
				creation, modified, owner, modified_by)
			select concat({self.p}, 'HRC-', {number}), hr.name, 'Hospitality Request', 'recipients', 1,
				bcr.contact, bcr.contact_name, bcr.buying_role, 0, hr.estimated_amount, hr.actual_amount,
				hr.currency, {self.common}
			{ours.replace("where", f"join `tabBuying Center Role` bcr on bcr.name = {self.first_role('t.n')} where")}"""
		)
		self.sql(
			f"""insert into `tabHospitality Participant` (name, parent, parenttype, parentfield, idx, user,
				full_name, role_in_event, creation, modified, owner, modified_by)
			select concat({self.p}, 'HPT-', {number}), hr.name, 'Hospitality Request', 'participants', 1,
				t.manager, 'Benchmark Manager', 'Host', {self.common}
			{ours}"""
		)
		# the approval trail: submitted, then a row per level acted on, then settled
		director = [self.q(user(self.prefix, "dir", i)) for i in (1, DIRECTORS)]
		trail = (
			(1, "''", "'Submitted'", "t.manager", "hr.workflow_state != 'Draft'"),
			(
				2,
				"'Manager'",
				"if(hr.workflow_state = 'Rejected', 'Rejected', 'Approved')",
				director[0],
				"hr.workflow_state in ('Pending Director', 'Pending Finance', 'Approved', 'Settled', 'Rejected')",
			),
			(3, "'Director'", "'Approved'", director[1], "hr.workflow_state = 'Pending Finance'"),
			(4, "''", "'Settled'", "t.manager", "hr.workflow_state = 'Settled'"),
		)
		for idx, level, action, approver, where in trail:
			self.sql(
				f"""insert into `tabHospitality Approval` (name, parent, parenttype, parentfield, idx,
					approval_round, level, action, approver, approver_name, approved_on, comment,
					creation, modified, owner, modified_by)
				select concat({self.p}, 'HAP-', {number}, '-{idx}'), hr.name, 'Hospitality Request',
					'approvals', {idx}, 1, {level}, {action}, {approver}, 'Benchmark',
					timestamp(least(curdate(), hr.planned_date), '09:00:00'),
					if({idx} = 2, hr.rejection_reason, null), {self.common}
				{ours} and {where}"""
			)

	# -- the ledger's item groups ------------------------------------------------------------------------
	def item_groups(self) -> None:
		"""The ledger leaves the item group of its invoice rows empty, and the relationship job reads it
		(the groups a customer stopped buying): our customers' invoice rows get one of the leaf item
		groups, by item, so each customer buys a few groups."""
		groups = frappe.get_all("Item Group", filters={"is_group": 0}, pluck="name", order_by="name")
		if not groups:
			return
		# a thousand customers a statement, committed each: one update of three million rows outgrows the
		# undo log (and the binary log of a primary with a replica) and takes as long again to roll back
		last = self.sql(f"select max(n) from {TEMP}")[0][0] or 0
		for start in range(0, last, 1000):
			self.sql(
				f"""update `tabSales Invoice Item` sii
				join `tabSales Invoice` si on si.name = sii.parent and sii.parenttype = 'Sales Invoice'
				join {TEMP} t on t.name = si.customer
				set sii.item_group = elt(1 + crc32(sii.item_code) % {len(groups)},
					{", ".join(self.q(g) for g in groups)})
				where sii.item_group is null and t.n > {start} and t.n <= {start + 1000}"""
			)
			frappe.db.commit()

	# -- what the daily jobs left yesterday --------------------------------------------------------------
	def settle(self) -> None:
		from key_account_management.relationship.job import evaluate_all_profiles

		with use_company(self.company):
			evaluate_all_profiles(as_of=dt.date.today() - dt.timedelta(days=1))
			frappe.db.commit()
		# a day's news for one account in a hundred: its status moved, or its suggested stage
		self.sql(
			f"""update `tabKey Account Profile` kap join {TEMP} t on t.name = kap.name
			set kap.account_status = if(kap.account_status = 'Active', 'At Risk', 'Active')
			where t.n % 100 = 7 and kap.account_status is not null"""
		)
		self.sql(
			f"""update `tabKey Account Profile` kap join {TEMP} t on t.name = kap.name
			set kap.suggested_stage = null where t.n % 100 = 57"""
		)
		frappe.db.commit()


def exists(prefix: str) -> bool:
	"""Whether ``fill`` made key accounts for this prefix (that are still there)."""
	return bool(
		frappe.db.sql(
			"select 1 from `tabKey Account Profile` where account_manager like %s limit 1", prefix + "%"
		)
	)
