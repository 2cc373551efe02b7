from key_account_management.access.endpoints import GUARDED as _GUARDED_ENDPOINTS
from key_account_management.access.endpoints import wrapper_name as _guarded_wrapper
from key_account_management.access.tables import app_child_doctypes as _app_child_doctypes
from key_account_management.access.tables import scrub as _scrub
from key_account_management.commercial.doctypes import CHILD_TABLES as _COMMERCIAL_CHILDREN
from key_account_management.commercial.doctypes import DOCUMENTS as _COMMERCIAL_DOCUMENTS
from key_account_management.commercial.doctypes import WEBSITE_DOCTYPES as _COMMERCIAL_WEBSITE
from key_account_management.moved_methods import MOVED_METHODS as _MOVED_METHODS

app_name = "key_account_management"
app_title = "Key Account Management"
app_publisher = "key_account_management contributors"
app_description = "Key account management (大客户管理) for ERPNext"
app_email = "dev@example.com"
app_license = "mit"

# org/repo form: bench get-app resolves it, and frappe parses it without a network lookup
required_apps = ["frappe/erpnext"]

# Typed controller blocks, as ERPNext does
export_python_type_annotations = True

# Includes in the desk
# --------------------
app_include_js = [
	"/assets/key_account_management/js/buying_center_chart.js",
	# Contact quick entry that keeps the typed name and links the account's customer
	"/assets/key_account_management/js/contact_quick_entry.js",
	# the hospitality number cards in the company's currency, spend against budget
	"/assets/key_account_management/js/workspace_cards.js",
	# charts replaced by a re-render stop drawing (Frappe 15 leaves their resize observer running)
	"/assets/key_account_management/js/chart_guard.js",
	# workflow states and relationship stages in the user's language for every role
	"/assets/key_account_management/js/translated_links.js",
	# the script reports' company filter and text formatter (key_account_management.reports)
	"/assets/key_account_management/js/report_filters.js",
]
app_include_css = "/assets/key_account_management/css/buying_center.css"

# the Customer form links to the profile, buying center and visits (Connections tab)
override_doctype_dashboards = {"Customer": "key_account_management.integrations.customer_dashboard"}

# hooks: one literal per hook, a comment per capability inside it
# ------------------------------------------------------------------
# Row-level access (access/: lists, reports, link search, cards, REST and forms alike). Every child table
# of the app follows its parents' row rules (access/tables.py reads them from the DocType files); core
# rows about an app record (workflow actions, comments, versions, files, ...) follow the record.
_PRIVACY_CHILD_DOCTYPES = _app_child_doctypes()
_PRIVACY_REFERENCE_DOCTYPES = (
	"Workflow Action",
	"Comment",
	"Communication",
	"ToDo",
	"Version",
	"File",
	"Activity Log",
	"DocShare",
	"Document Follow",
	"Tag Link",
	"Notification Log",
	"View Log",
	"Energy Point Log",
)
_ROLLUP = "key_account_management.classification.rollup_events"

doctype_js = {
	# access: Contact quick entry links the account's customer
	"Contact": "public/js/contact.js",
	# groups: the group account a customer belongs to
	"Customer": "public/js/customer_group_account.js",
	# funnel: the opportunity's stage, milestones and grade
	"Opportunity": "public/js/opportunity.js",
	# funnel: the profile's pipeline panel; commercial: the profile's Commercial tab
	"Key Account Profile": [
		"public/js/opportunity_pipeline.js",
		"public/js/commercial_position.js",
		# whitespace: the account's row
		"public/js/whitespace.js",
	],
	# commercial: the account's documents, read-only for who may not act on them
	**{doctype: "public/js/read_only_document.js" for doctype in _COMMERCIAL_DOCUMENTS},
}

permission_query_conditions = {
	# access: the four row-restricted doctypes
	"Key Account Profile": "key_account_management.access.records.profile_query",
	"Buying Center Role": "key_account_management.access.records.buying_center_role_query",
	"Visit Record": "key_account_management.access.records.visit_record_query",
	"Key Account Visit Month": "key_account_management.access.records.visit_month_query",
	"Hospitality Request": "key_account_management.access.records.hospitality_request_query",
	# access: the app's child tables, listed on their own, follow their parent
	**{
		child: f"key_account_management.access.rules.{_scrub(child)}_query"
		for child in _PRIVACY_CHILD_DOCTYPES
	},
	# access: core rows about an app record follow the record
	**{
		doctype: f"key_account_management.access.rules.{_scrub(doctype)}_query"
		for doctype in _PRIVACY_REFERENCE_DOCTYPES
	},
	# access: ERPNext's Contact and Address, a key account manager's of their own accounts
	"Contact": "key_account_management.access.contacts.contact_query",
	"Address": "key_account_management.access.contacts.address_query",
	# funnel: a Key Account Manager sees only their accounts' opportunities
	"Opportunity": "key_account_management.funnel.permissions.opportunity_query",
	# plan: a plan follows its key account
	"Key Account Plan": "key_account_management.plan.permissions.plan_query",
	# commercial: the account's people read its ERPNext documents (and their child rows), no others'
	**{
		doctype: f"key_account_management.commercial.permissions.{_scrub(doctype)}_query"
		for doctype in (*_COMMERCIAL_DOCUMENTS, *_COMMERCIAL_CHILDREN)
	},
}

has_permission = {
	# access
	"Key Account Profile": "key_account_management.access.records.profile_has_permission",
	"Buying Center Role": "key_account_management.access.records.buying_center_role_has_permission",
	"Visit Record": "key_account_management.access.records.visit_record_has_permission",
	"Key Account Visit Month": "key_account_management.access.records.visit_month_has_permission",
	"Hospitality Request": "key_account_management.access.records.hospitality_request_has_permission",
	**{
		doctype: "key_account_management.access.rules.reference_has_permission"
		for doctype in _PRIVACY_REFERENCE_DOCTYPES
	},
	"Contact": "key_account_management.access.contacts.contact_has_permission",
	"Address": "key_account_management.access.contacts.address_has_permission",
	# access: the workspace's number cards, to the roles they are for
	"Number Card": "key_account_management.access.workspace.number_card_has_permission",
	# funnel
	"Opportunity": "key_account_management.funnel.permissions.opportunity_has_permission",
	# plan
	"Key Account Plan": "key_account_management.plan.permissions.plan_has_permission",
	# commercial: read, print, export of their accounts' documents only (child rows follow the parent)
	**{
		doctype: "key_account_management.commercial.permissions.document_has_permission"
		for doctype in _COMMERCIAL_DOCUMENTS
	},
}

override_whitelisted_methods = {
	# access: core endpoints that answer without Frappe's permission checks, wrapped
	"frappe.client.get_count": "key_account_management.access.overrides.get_count",
	# access: a profile the user is not on is refused with the app's message (access.refusal)
	"frappe.desk.form.load.getdoc": "key_account_management.access.refusal.getdoc",
	"frappe.client.get_list": "key_account_management.access.overrides.get_list",
	"frappe.client.get_value": "key_account_management.access.overrides.get_value",
	"frappe.desk.listview.get_group_by_count": "key_account_management.access.overrides.get_group_by_count",
	"frappe.desk.form.linked_with.get": "key_account_management.access.overrides.get_linked_docs",
	"frappe.desk.form.linked_with.get_submitted_linked_docs": (
		"key_account_management.access.overrides.get_submitted_linked_docs"
	),
	"frappe.desk.reportview.get": "key_account_management.access.overrides.reportview_get",
	"frappe.desk.reportview.get_list": "key_account_management.access.overrides.reportview_get_list",
	"frappe.desk.reportview.get_count": "key_account_management.access.overrides.reportview_get_count",
	"frappe.desk.reportview.export_query": "key_account_management.access.overrides.reportview_export_query",
	"frappe.desk.reportview.get_sidebar_stats": (
		"key_account_management.access.overrides.reportview_get_sidebar_stats"
	),
	"frappe.desk.reportview.get_stats": "key_account_management.access.overrides.reportview_get_stats",
	"erpnext.stock.doctype.delivery_trip.delivery_trip.get_contact_and_address": (
		"key_account_management.access.overrides.get_contact_and_address"
	),
	# scaling: the workspace's number cards and charts read the replica when the site has one
	"frappe.desk.doctype.number_card.number_card.get_result": (
		"key_account_management.charts.number_card_result"
	),
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": (
		"key_account_management.charts.dashboard_chart_get"
	),
	**{
		path: f"key_account_management.access.overrides.{_guarded_wrapper(path)}"
		for path in _GUARDED_ENDPOINTS
	},
	# the app's own methods that moved: old path -> new path, for stored records and cached pages
	**_MOVED_METHODS,
}

doc_events = {
	# access: writes judged on the stored record too; an amendment starts from a record the user may
	# read; a record inserted already submitted is sanitised like a draft
	"Visit Record": {
		"before_validate": [
			"key_account_management.access.rules.amend_only_what_you_read",
			"key_account_management.access.rules.sanitize_submitted_on_insert",
		]
	},
	# classification: monthly rollups kept current as documents post (one scoped read and one upsert
	# per submit; classes still move only when a reclassification runs)
	"Sales Invoice": {
		"before_submit": f"{_ROLLUP}.before_submit_sales_invoice",
		# whitespace: revenue per item group (one upsert per invoice)
		"on_submit": [
			f"{_ROLLUP}.on_submit_sales_invoice",
			"key_account_management.whitespace.rollup.on_submit_sales_invoice",
		],
		"before_cancel": f"{_ROLLUP}.before_cancel_sales_invoice",
		"on_cancel": [
			f"{_ROLLUP}.on_cancel_sales_invoice",
			"key_account_management.whitespace.rollup.on_cancel_sales_invoice",
		],
	},
	"Delivery Note": {
		"before_submit": f"{_ROLLUP}.before_delivery_note_change",
		"on_submit": f"{_ROLLUP}.after_delivery_note_change",
		"before_cancel": f"{_ROLLUP}.before_delivery_note_change",
		"on_cancel": f"{_ROLLUP}.after_delivery_note_change",
	},
	"Repost Item Valuation": {"on_change": f"{_ROLLUP}.on_change_repost_item_valuation"},
	"Customer": {
		"after_rename": [
			f"{_ROLLUP}.after_rename_customer",
			"key_account_management.whitespace.rollup.after_rename_customer",
		]
	},
	# funnel: ERPNext's Opportunity screened, staged and graded on save; a new profile takes in its
	# customer's opportunities
	"Opportunity": {"validate": "key_account_management.funnel.opportunity.validate"},
	"Key Account Profile": {"after_insert": "key_account_management.funnel.opportunity.on_profile_insert"},
}

# commercial: print views of ERPNext's documents also ask the portal rule, which would open every
# customer's to a manager who may read the doctype; the account's people print only their accounts'
has_website_permission = {
	doctype: "key_account_management.commercial.permissions.document_has_website_permission"
	for doctype in _COMMERCIAL_WEBSITE
}

# commercial: a child row of the account's documents loaded on its own follows its document
override_doctype_class = {
	child: f"key_account_management.commercial.rows.{child.replace(' ', '').replace('-', '')}"
	for child in _COMMERCIAL_CHILDREN
}

# plan: the review document's figures in the "Account Plan" print format (plan/review.py)
jinja = {"methods": ["key_account_management.plan.review.kam_plan_review"]}

# frappe.boot.kam: the company (and currency) report filters and new requests default to
extend_bootinfo = "key_account_management.company.boot_session"

# Installation
# ------------
before_install = "key_account_management.install.before_install"
after_install = "key_account_management.install.after_install"
after_migrate = "key_account_management.install.after_migrate"
before_uninstall = "key_account_management.install.before_uninstall"

# Testing
# -------
before_tests = "key_account_management.tests.setup.before_tests"

# Scheduled Tasks
# ---------------
scheduler_events = {
	"daily_long": [
		# classification: A/B/C from the rollups
		"key_account_management.classification.jobs.scheduled_reclassification",
		# visits: overdue visits and follow-ups
		"key_account_management.visits.jobs.notify_overdue_visits",
		# relationship: stages, health and flags
		"key_account_management.relationship.job.scheduled_evaluation",
		# funnel: grades
		"key_account_management.funnel.jobs.scheduled_regrade",
		# plan: every active plan's actuals, after the jobs whose figures it reads
		"key_account_management.plan.jobs.scheduled_refresh",
	],
	"weekly_long": [
		# classification: the rollups checked against the ledger
		"key_account_management.classification.rollup_rebuild.scheduled_rebuild",
		# visits: the Visits per Month counts checked against the visits
		"key_account_management.visits.month_counts.scheduled_check",
	],
	"cron": {
		# relationship: a chunk whose worker died is queued again
		"*/5 * * * *": ["key_account_management.relationship.chunks.requeue_stale"],
	},
}
