// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Buying Center Role", {
	setup(frm) {
		frm.set_query("reports_to", () => ({
			filters: { key_account: frm.doc.key_account, name: ["!=", frm.doc.name] },
		}));
		frm.set_query("contact", () =>
			frm.doc.customer
				? { filters: { link_doctype: "Customer", link_name: frm.doc.customer } }
				: {}
		);
	},
	refresh(frm) {
		if (frm.doc.key_account) {
			frm.add_custom_button(__("Key Account"), () =>
				frappe.set_route("Form", "Key Account Profile", frm.doc.key_account)
			);
		}
	},
});
