// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Visit Record", {
	setup(frm) {
		frm.set_query("contact", "customer_attendees", () => ({
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 1 && !frm.doc.follow_up_date) {
			frm.add_custom_button(__("Record Follow-up"), () => frm.trigger("record_follow_up")).addClass(
				"btn-primary"
			);
		}
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			if (frm.doc.status === "Cancelled") {
				frm.dashboard.set_headline(
					__("This planned visit was cancelled; it never counts as a visit. Reopen the plan to carry it out."),
				);
				frm.add_custom_button(__("Reopen Plan"), () => {
					frm.set_value("status", "Planned");
					frm.save();
				});
			} else {
				frm.add_custom_button(__("Cancel Planned Visit"), () => frm.trigger("cancel_plan"));
			}
		}
		if (frm.doc.key_account) {
			frm.add_custom_button(__("Key Account"), () =>
				frappe.set_route("Form", "Key Account Profile", frm.doc.key_account)
			);
		}
	},
	record_follow_up(frm) {
		const dialog = new frappe.ui.Dialog({
			title: __("Follow-up of this visit"),
			fields: [
				{ fieldname: "follow_up_date", label: __("Followed Up On"), fieldtype: "Date", reqd: 1, default: frappe.datetime.get_today() },
				{ fieldname: "follow_up_method", label: __("Method"), fieldtype: "Select", options: ["Phone", "Visit", "Email", "Message"], reqd: 1 },
				{ fieldname: "follow_up_notes", label: __("What the Customer Said"), fieldtype: "Small Text" },
			],
			primary_action_label: __("Save"),
			primary_action(values) {
				Object.assign(frm.doc, values);
				frm.dirty();
				frm.save("Update").then(() => dialog.hide());
			},
		});
		dialog.show();
	},
	cancel_plan(frm) {
		frappe.prompt(
			{ fieldname: "reason", fieldtype: "Small Text", label: __("Cancellation Reason"), reqd: 1 },
			(values) => {
				frm.set_value("status", "Cancelled");
				frm.set_value("cancellation_reason", values.reason);
				frm.save();
			},
			__("Cancel Planned Visit"),
			__("Cancel Visit"),
		);
	},
	key_account(frm) {
		frm.set_value("customer_attendees", []);
	},
});
