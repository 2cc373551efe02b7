// Contact quick entry (from any Contact link field or the Contact list): the name typed in the link
// becomes the person's first and last name instead of being dropped, and a contact made from a form of
// a key account (buying center role, visit, hospitality request) is linked to that account's customer
// at once, so its account manager sees it.
frappe.provide("frappe.ui.form");

frappe.ui.form.ContactQuickEntryForm = class ContactQuickEntryForm extends (
	frappe.ui.form.QuickEntryForm
) {
	constructor(doctype, after_insert, init_callback, doc, force) {
		super(doctype, after_insert, init_callback, doc, force);
		this.skip_redirect_on_error = true;
	}

	is_quick_entry() {
		return true;
	}

	render_dialog() {
		const typed = (this.doc.full_name || "").trim();
		if (typed && !this.doc.first_name) {
			// "Wang Wei" -> Wang / Wei; a Chinese name without a space stays whole
			const space = typed.indexOf(" ");
			this.doc.first_name = space > 0 ? typed.slice(0, space) : typed;
			this.doc.last_name = space > 0 ? typed.slice(space + 1) : "";
		}
		this.customer = this.doc.kam_customer || kam_calling_customer();
		this.mandatory = [
			{ fieldname: "first_name", label: __("First Name"), fieldtype: "Data", reqd: 1 },
			{ fieldname: "last_name", label: __("Last Name"), fieldtype: "Data" },
			{ fieldname: "designation", label: __("Designation"), fieldtype: "Data" },
			{ fieldtype: "Column Break" },
			{ fieldname: "kam_email", label: __("Email Address"), fieldtype: "Data", options: "Email" },
			{ fieldname: "kam_mobile", label: __("Mobile No"), fieldtype: "Data", options: "Phone" },
			{
				fieldname: "kam_customer",
				label: __("Customer"),
				fieldtype: "Link",
				options: "Customer",
				default: this.customer,
				read_only: this.customer ? 1 : 0,
			},
		];
		this.doc.kam_customer = this.customer;
		super.render_dialog();
	}

	update_doc() {
		// the dialog's extra fields become the contact's child rows
		const doc = super.update_doc();
		const email = doc.kam_email,
			mobile = doc.kam_mobile,
			customer = doc.kam_customer || this.customer;
		delete doc.kam_email;
		delete doc.kam_mobile;
		delete doc.kam_customer;
		delete doc.full_name; // the server makes it from the names
		const rows = (parentfield, doctype, values) => {
			doc[parentfield] = [];
			if (values) Object.assign(frappe.model.add_child(doc, doctype, parentfield), values);
		};
		rows("email_ids", "Contact Email", email && { email_id: email, is_primary: 1 });
		rows("phone_nos", "Contact Phone", mobile && { phone: mobile, is_primary_mobile_no: 1 });
		rows("links", "Dynamic Link", customer && { link_doctype: "Customer", link_name: customer });
		return doc;
	}
};

function kam_calling_customer() {
	// the form whose link field asked for a new contact
	const link = frappe._from_link;
	const doc = link && link.frm && link.frm.doc;
	return (doc && doc.customer) || null;
}
