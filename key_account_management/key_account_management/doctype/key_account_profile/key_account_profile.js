// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Profile", {
	setup(frm) {
		frm.set_query("customer", () => ({ filters: { disabled: 0 } }));
	},
	refresh(frm) {
		if (frm.doc.abc_class) {
			const colour = { A: "green", B: "blue", C: "orange" }[frm.doc.abc_class];
			frm.dashboard.add_indicator(__("Class {0}", [frm.doc.abc_class]), colour);
		}
		if (frm.doc.override_class && frm.doc.computed_abc_class !== frm.doc.override_class) {
			frm.dashboard.set_headline(
				__("Manual override {0} in force; computed class is {1}.", [
					frm.doc.override_class,
					frm.doc.computed_abc_class || __("none"),
				])
			);
		}
		if (!frm.is_new()) {
			frm.add_custom_button(
				__("ABC Analysis"),
				() => frappe.set_route("query-report", "ABC Analysis"),
				__("View")
			);
		}
	},
	customer(frm) {
		if (frm.doc.customer && !frm.doc.account_manager) {
			frappe.db.get_value("Customer", frm.doc.customer, "account_manager").then((r) => {
				if (r.message && r.message.account_manager) {
					frm.set_value("account_manager", r.message.account_manager);
				}
			});
		}
	},
});
