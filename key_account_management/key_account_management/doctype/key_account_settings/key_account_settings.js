// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Settings", {
	refresh(frm) {
		if (!frappe.user.has_role(["Key Account Director", "System Manager"])) return;
		frm.add_custom_button(__("Reclassify Now"), () => {
			frappe.call({
				method: "key_account_management.api.reclassify_customers",
				args: { company: frm.doc.company || null },
				freeze: true,
				callback: (r) => {
					frappe.show_alert({
						message: r.message && r.message.queued
							? __("Reclassification queued; progress shows here.")
							: __("A reclassification is already running."),
						indicator: "blue",
					});
				},
			});
		});
	},
	onload(frm) {
		frappe.realtime.on("kam_reclassify_progress", (data) => {
			frappe.show_progress(__("Reclassifying customers"), data.progress, 100, data.description);
			if (data.progress >= 100) {
				frappe.hide_progress();
				frm.reload_doc();
			}
		});
	},
});
