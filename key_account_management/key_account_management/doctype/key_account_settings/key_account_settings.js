// Copyright (c) 2026, key_account_management contributors
// For license information, please see license.txt

// the last run's summary is stored as "key: value, ..." by the job: shown with the user's labels
const KAM_RUN_SUMMARY_LABELS = {
	company: () => __("Company"),
	basis: () => __("Basis"),
	from_date: () => __("From Date"),
	to_date: () => __("To Date"),
	classified: () => __("Customers Classified"),
	A: () => __("Class {0}", ["A"]),
	B: () => __("Class {0}", ["B"]),
	C: () => __("Class {0}", ["C"]),
	changed: () => __("Classes Changed"),
	profiles_updated: () => __("Profiles Updated"),
	history_logged: () => __("History Rows Written"),
	profiles_created: () => __("Profiles Created"),
	seconds: () => __("Seconds"),
};

function kam_run_summary(value) {
	if (!value) return "";
	return String(value)
		.split(", ")
		.map((part) => {
			const at = part.indexOf(": ");
			if (at < 0) return frappe.utils.escape_html(part);
			const key = part.slice(0, at);
			let shown = part.slice(at + 2);
			if (key === "basis") shown = __(shown);
			if (key.endsWith("_date")) shown = frappe.datetime.str_to_user(shown);
			const label = KAM_RUN_SUMMARY_LABELS[key] ? KAM_RUN_SUMMARY_LABELS[key]() : key;
			return `${frappe.utils.escape_html(label)}: ${frappe.utils.escape_html(shown)}`;
		})
		.join("<br>");
}

// One progress bar for a run, to its end. The run's steps can come faster than a dialog opens, and
// frappe.show_progress then opens a dialog per step and closes only the last (the others stay on screen).
function kam_reclassify_progress(frm, data) {
	let kam_progress_dialog = kam_reclassify_progress.dialog;
	const percent = Math.min(100, Math.max(0, cint(data.progress)));
	if (!kam_progress_dialog) {
		kam_progress_dialog = frappe.show_progress(__("Reclassifying customers"), percent, 100, data.description);
		kam_reclassify_progress.dialog = kam_progress_dialog;
	} else {
		kam_progress_dialog.percent = percent;
		kam_progress_dialog.progress_bar.css({ width: percent + "%" });
		if (data.description) kam_progress_dialog.progress.find(".description").text(data.description);
	}
	if (percent >= 100) {
		const done = kam_progress_dialog;
		kam_reclassify_progress.dialog = null;
		if (frappe.cur_progress === done) frappe.cur_progress = null;
		// the full bar stays a moment, then the settings show the run's result
		setTimeout(() => done.hide(), 800);
		frm.reload_doc();
	}
}

frappe.ui.form.on("Key Account Settings", {
	refresh(frm) {
		frm.fields_dict.last_run_summary.df.formatter = (value) => kam_run_summary(value);
		frm.fields_dict.last_run_status.df.formatter = (value) => frappe.utils.escape_html(__(value || ""));
		frm.refresh_field("last_run_summary");
		frm.refresh_field("last_run_status");
		if (!frappe.user.has_role(["Key Account Director", "System Manager"])) return;
		frm.add_custom_button(__("Reclassify Now"), () => {
			frappe.call({
				method: "key_account_management.classification.api.reclassify_customers",
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
		frappe.realtime.on("kam_reclassify_progress", (data) => kam_reclassify_progress(frm, data));
	},
});
