// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

const HOSPITALITY_BUSINESS_FIELDS = [
	"key_account",
	"request_type",
	"planned_date",
	"company",
	"business_purpose",
	"currency",
	"conversion_rate",
	"estimated_amount",
	"justification",
	"recipients",
	"participants",
];
const HOSPITALITY_SETTLEMENT_FIELDS = ["actual_amount", "receipt", "settlement_note"];
const HOSPITALITY_PENDING = ["Pending Manager", "Pending Director", "Pending Finance"];

frappe.ui.form.on("Hospitality Request", {
	setup(frm) {
		frm.set_query("contact", "recipients", () =>
			frm.doc.customer
				? { filters: { link_doctype: "Customer", link_name: frm.doc.customer } }
				: {},
		);
	},

	company(frm) {
		// spend is in company currency unless the requester picks another one
		if (frm.doc.company) {
			frappe.db.get_value("Company", frm.doc.company, "default_currency").then((r) => {
				const currency = r.message && r.message.default_currency;
				if (currency && frm.doc.currency !== currency) frm.set_value("currency", currency);
			});
		}
	},

	onload(frm) {
		// a new request is in the key account's company and currency, not ERPNext's default company
		if (frm.is_new()) frm.events.set_account_company(frm);
	},

	set_account_company(frm) {
		return frappe
			.xcall("key_account_management.company.get_account_defaults", {
				key_account: frm.doc.key_account || null,
			})
			.then((defaults) => {
				if (defaults.company && frm.doc.company !== defaults.company) {
					frm.set_value("company", defaults.company);
				} else {
					frm.trigger("company");
				}
			});
	},

	refresh(frm) {
		const state = frm.doc.workflow_state || "Draft";
		const draft = state === "Draft";
		HOSPITALITY_BUSINESS_FIELDS.forEach((f) =>
			frm.set_df_property(f, "read_only", draft ? 0 : 1),
		);
		HOSPITALITY_SETTLEMENT_FIELDS.forEach((f) =>
			frm.set_df_property(f, "read_only", state === "Approved" ? 0 : 1),
		);
		frm.set_df_property(
			"rejection_reason",
			"read_only",
			HOSPITALITY_PENDING.includes(state) ? 0 : 1,
		);
		frm.toggle_display(
			"settlement_section",
			["Approved", "Settled"].includes(state) || !!frm.doc.actual_amount,
		);
		if (state === "Approved" && !frm.doc.actual_amount) {
			frm.dashboard.set_headline(
				__(
					"After the event, record the actual amount and the receipt, save, then choose Settle.",
				),
			);
		}
		if (frm.doc.key_account) {
			frm.add_custom_button(__("Key Account"), () =>
				frappe.set_route("Form", "Key Account Profile", frm.doc.key_account),
			);
		}
		frm.events.render_limit_preview(frm);
	},

	key_account(frm) {
		if ((frm.doc.workflow_state || "Draft") === "Draft") frm.events.set_account_company(frm);
		frm.events.render_limit_preview(frm);
	},
	request_type(frm) {
		frm.events.render_limit_preview(frm);
	},
	planned_date(frm) {
		frm.events.render_limit_preview(frm);
	},
	estimated_amount(frm) {
		frm.events.render_limit_preview(frm);
	},
	conversion_rate(frm) {
		frm.events.render_limit_preview(frm);
	},

	before_workflow_action(frm) {
		const action = frm.selected_workflow_action;
		if (action !== "Reject" && action !== "Send Back") return;
		frappe.dom.unfreeze();
		return new Promise((resolve, reject) => {
			// cancelling the dialog leaves the action undone
			frappe.prompt(
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Reason"),
					reqd: 1,
				},
				(values) => {
					frappe
						.xcall("key_account_management.hospitality.api.set_rejection_reason", {
							name: frm.doc.name,
							reason: values.reason,
						})
						.then(() => {
							frappe.dom.freeze();
							resolve();
						}, reject);
				},
				action === "Reject" ? __("Reject Request") : __("Send Back to Draft"),
				__(action),
			);
		});
	},

	render_limit_preview(frm) {
		const wrapper = frm.get_field("limit_preview").$wrapper;
		if ((frm.doc.workflow_state || "Draft") !== "Draft" || !frm.doc.key_account) {
			wrapper.empty();
			return;
		}
		clearTimeout(frm._limit_preview_timer);
		frm._limit_preview_timer = setTimeout(() => {
			frappe
				.xcall("key_account_management.hospitality.api.get_limit_preview", { doc: frm.doc })
				.then((preview) => wrapper.html(hospitality_limit_html(preview)));
		}, 400);
	},
});

frappe.ui.form.on("Hospitality Recipient", {
	contact(frm) {
		frm.events.render_limit_preview(frm);
	},
	amount(frm) {
		frm.events.render_limit_preview(frm);
	},
	recipients_remove(frm) {
		frm.events.render_limit_preview(frm);
	},
});

function hospitality_limit_html(preview) {
	if (!preview || !preview.route || !preview.route.length) {
		return `<p class="text-muted">${__("Enter the amount and recipients to see the limits.")}</p>`;
	}
	const money = (value) => format_currency(value, preview.currency);
	const rows = (preview.checks || [])
		.map(
			(c) => `<tr class="${c.exceeded ? "text-danger" : ""}">
				<td>${frappe.utils.escape_html(c.limit_type)}</td>
				<td>${frappe.utils.escape_html(c.scope)}</td>
				<td class="text-right">${money(c.limit_amount)}</td>
				<td class="text-right">${money(c.year_to_date)}</td>
				<td class="text-right">${money(c.this_request)}</td>
				<td class="text-right">${money(c.after_request)}</td>
				<td class="text-right">${money(c.remaining)}</td>
				<td>${c.exceeded ? __("Exceeded") : __("Within")}</td>
			</tr>`,
		)
		.join("");
	const notes = [];
	notes.push(__("Approval levels: {0}", [preview.route.map((l) => __(l)).join(" → ")]));
	if (preview.any_official) {
		notes.push(__("An official recipient: Director and Finance must approve."));
	}
	if (preview.breaks_limit) {
		notes.push(
			__("A limit is exceeded: write a justification; Director and Finance must approve."),
		);
	}
	const table = rows
		? `<table class="table table-bordered table-sm">
			<thead><tr>
				<th>${__("Limit", null, "Hospitality Request")}</th><th>${__("Recipient / Account")}</th>
				<th>${__("Limit", null, "Hospitality Request")}</th><th>${__("Year to Date")}</th><th>${__("This Request")}</th>
				<th>${__("After")}</th><th>${__("Remaining")}</th><th></th>
			</tr></thead><tbody>${rows}</tbody></table>`
		: `<p class="text-muted">${__("No limits are set in Key Account Settings.")}</p>`;
	return `${table}<p>${notes.map((n) => frappe.utils.escape_html(n)).join("<br>")}</p>`;
}
