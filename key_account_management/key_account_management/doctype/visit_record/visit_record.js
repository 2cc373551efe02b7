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
				// a called-off plan is never completed: no Submit, and the form says why
				frm.page.clear_primary_action();
				frm.dashboard.clear_headline(); // not "Submit this document to confirm"
				frm.set_intro(
					__("This planned visit was cancelled; it never counts as a visit. Reopen the plan to carry it out."),
					"orange",
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
		if (frm.doc.docstatus === 0 && !frm.is_new() && navigator.geolocation) {
			frm.add_custom_button(__("Check In"), () => frm.trigger("check_in_here"));
		}
		if (frm.doc.check_in_latitude || frm.doc.check_in_longitude) {
			// the map only on demand: no tile server is contacted while the form is open
			frm.add_custom_button(__("Show Check-in on Map"), () =>
				window.open(
					`https://www.openstreetmap.org/?mlat=${frm.doc.check_in_latitude}&mlon=${frm.doc.check_in_longitude}#map=16/${frm.doc.check_in_latitude}/${frm.doc.check_in_longitude}`,
					"_blank",
					"noopener"
				)
			);
		}
	},
	check_in_here(frm) {
		// the device's position, without a map: works offline and where map tiles are blocked
		frappe.show_alert({ message: __("Finding your position..."), indicator: "blue" });
		navigator.geolocation.getCurrentPosition(
			(position) => {
				const { latitude, longitude, accuracy } = position.coords;
				frm.set_value({
					check_in_latitude: latitude,
					check_in_longitude: longitude,
					check_in_accuracy: Math.round(accuracy),
					checked_in_at: frappe.datetime.now_datetime(),
					check_in: JSON.stringify({
						type: "FeatureCollection",
						features: [
							{
								type: "Feature",
								properties: { accuracy: Math.round(accuracy) },
								geometry: { type: "Point", coordinates: [longitude, latitude] },
							},
						],
					}),
				});
				frm.save();
			},
			(error) =>
				// no position from the device: the user may type it (e.g. read off a phone)
				frappe.prompt(
					[
						{
							fieldtype: "HTML",
							options: `<p class="text-muted">${frappe.utils.escape_html(
								__("The browser gave no position ({0}). Allow location access, or enter the latitude and longitude by hand.", [error.message])
							)}</p>`,
						},
						{ fieldname: "latitude", label: __("Latitude"), fieldtype: "Float", precision: 6, reqd: 1 },
						{ fieldname: "longitude", label: __("Longitude"), fieldtype: "Float", precision: 6, reqd: 1 },
					],
					(values) => {
						frm.set_value({
							check_in_latitude: values.latitude,
							check_in_longitude: values.longitude,
							check_in_accuracy: 0,
							checked_in_at: frappe.datetime.now_datetime(),
						});
						frm.save();
					},
					__("Position Not Available"),
					__("Check In")
				),
			{ enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
		);
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
