// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

const KAM_PLAN_COLOURS = { "At risk": "red", Behind: "orange", "On track": "blue", Achieved: "green" };

frappe.ui.form.on("Key Account Plan", {
	refresh(frm) {
		if (frm.doc.plan_status) {
			frm.dashboard.add_indicator(
				__("Plan: {0}", [__(frm.doc.plan_status)]),
				KAM_PLAN_COLOURS[frm.doc.plan_status] || "gray"
			);
		}
		if (frm.is_new()) return;
		frm.add_custom_button(__("Refresh Actuals"), () =>
			frappe
				.call({
					method: "key_account_management.plan.api.refresh_actuals",
					args: { name: frm.doc.name },
					freeze: true,
				})
				.then(() => frm.reload_doc())
		);
		frm.add_custom_button(__("Next Period's Plan"), () =>
			frappe
				.call({
					method: "key_account_management.plan.api.make_next_plan",
					args: { name: frm.doc.name },
					freeze: true,
				})
				.then((r) => frappe.set_route("Form", "Key Account Plan", r.message))
		);
	},
});

frappe.ui.form.on("Key Account Plan Measure", {
	measure(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (row.measure !== "Item Group Revenue" && row.item_group) {
			frappe.model.set_value(cdt, cdn, "item_group", null);
		}
	},
});
