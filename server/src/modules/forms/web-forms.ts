import { sql } from 'kysely';
import type { Actor } from '../../core/actor';
import { SYSTEM_ACTOR } from '../../core/actor';
import { emitEvent } from '../../core/audit/audit-log';
import { isoNow } from '../../core/clock';
import { notFound, validationError, type ErrorDetail } from '../../core/errors';
import { newId } from '../../core/ids';
import { inTransaction, type Kontor, type RecordContext } from '../../core/kontor';
import { createRecord } from '../../core/records/write';
import {
  CONSENT_FIELD,
  HONEYPOT_FIELD,
  loadForm,
  splitTarget,
  WEB_FORM_OBJECT,
  type FormDef,
} from './definitions';
import { parseFormValues } from './values';

/** The actor a web form's visitor writes as: the form itself, since the visitor is unknown. */
function webFormActor(form: FormDef): Actor {
  return { ...SYSTEM_ACTOR, kind: 'web_form', sourceId: form.id };
}

/** A web form in use; archived forms and forms for tasks do not exist on the public side. */
export async function loadWebForm(k: Kontor, id: string): Promise<FormDef> {
  const ctx: RecordContext = {
    k,
    db: k.database.db,
    actor: SYSTEM_ACTOR,
    pending: { rollups: new Map() },
  };
  const form = await loadForm(ctx, id);
  if (form.kind !== 'web' || form.archived_at) throw notFound(`Form ${id}`);
  return form;
}

export function originAllowed(form: FormDef, origin: string | undefined): boolean {
  return !!origin && form.allowed_origins.includes(origin);
}

function truthy(v: unknown): boolean {
  const x = Array.isArray(v) ? v[0] : v;
  return x === true || (typeof x === 'string' && ['on', 'true', 'yes', '1'].includes(x));
}

export type WebSubmitResult =
  { outcome: 'created' | 'matched'; object: string; recordId: string } | { outcome: 'ignored' };

/**
 * Takes a public web form: a filled honeypot is thanked and dropped; otherwise the values are
 * checked with the records engine's field types, a contact or lead with the same e-mail is
 * matched (case-insensitively) or a lead is created, and the submission and an event are written
 * in one transaction. A matched record is not changed: an anonymous visitor must not be able to
 * overwrite what is known about someone by typing their address.
 */
export async function submitWebForm(
  k: Kontor,
  form: FormDef,
  body: Record<string, unknown>,
): Promise<WebSubmitResult> {
  const honeypot = body[HONEYPOT_FIELD];
  if (honeypot !== undefined && honeypot !== '' && !(Array.isArray(honeypot) && !honeypot[0]))
    return { outcome: 'ignored' };
  const errors: ErrorDetail[] = [];
  const known = new Set([...form.fields.map((f) => f.name), HONEYPOT_FIELD, CONSENT_FIELD]);
  for (const key of Object.keys(body))
    if (!known.has(key)) errors.push({ path: key, message: 'this form has no such field' });
  const consent = truthy(body[CONSENT_FIELD]);
  if (form.require_consent && !consent)
    errors.push({ path: CONSENT_FIELD, message: 'consent is required to send this form' });
  const parsed = parseFormValues(k, form.fields, body, 'UTC');
  errors.push(...parsed.errors);
  if (errors.length) throw validationError(errors);
  const values = parsed.values;

  return inTransaction(k, webFormActor(form), async (ctx) => {
    const emailField = form.fields.find((f) => f.type === 'email' && values[f.name]);
    const email = emailField ? String(values[emailField.name]).toLowerCase() : null;
    let match: { object: string; id: string } | null = null;
    if (email) {
      for (const object of ['contacts', 'leads']) {
        const row = await ctx.db
          .selectFrom(object)
          .select('id')
          .where(sql`lower(email)`, '=', email)
          .where('deleted_at', 'is', null)
          .orderBy('created_at')
          .limit(1)
          .executeTakeFirst();
        if (row) {
          match = { object, id: row.id as string };
          break;
        }
      }
    }
    let outcome: 'created' | 'matched' = 'matched';
    if (!match) {
      const lead: Record<string, unknown> = {};
      for (const f of form.fields) {
        if (!f.target_field || values[f.name] === null || values[f.name] === undefined) continue;
        lead[splitTarget(f.target_field).field] = values[f.name];
      }
      if (lead.source === undefined) lead.source = 'website';
      const created = await createRecord(ctx, WEB_FORM_OBJECT, lead);
      match = { object: WEB_FORM_OBJECT, id: created.id };
      outcome = 'created';
    }
    const now = isoNow(k.clock);
    await ctx.db
      .insertInto('form_submissions')
      .values({
        id: newId(),
        form_id: form.id,
        link_id: null,
        task_id: null,
        record_object: match.object,
        record_id: match.id,
        field_values: JSON.stringify(values),
        file_ids: '[]',
        consent_text: consent ? form.consent_text : null,
        consent_at: consent ? now : null,
        created_at: now,
      })
      .execute();
    await emitEvent(ctx, {
      type: 'forms.web_submitted',
      object: match.object,
      recordId: match.id,
      payload: { changes: {}, data: { form_id: form.id, values } },
    });
    return { outcome, object: match.object, recordId: match.id };
  });
}

/** The HTML to paste into a website: a place for the form and the script that fills it. */
export function embedSnippet(k: Kontor, form: FormDef): string {
  return (
    `<div id="kontor-form-${form.id}"></div>\n` +
    `<script src="${k.settings.publicUrl}/public/forms/${form.id}/embed.js" async></script>`
  );
}

/** JSON that is safe inside a script: no way out of a string or the script element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A script that renders the form into its element on the host page (built with DOM calls, so no
 * text becomes markup) and posts it as JSON to the submit endpoint.
 */
export function embedScript(k: Kontor, form: FormDef): string {
  const spec = {
    id: form.id,
    action: `${k.settings.publicUrl}/public/forms/${form.id}/submit`,
    name: form.name,
    description: form.description,
    fields: form.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      required: f.required,
      help: f.help,
      options: f.options,
    })),
    honeypot: HONEYPOT_FIELD,
    consent: form.require_consent ? form.consent_text : null,
    success: form.success_message || 'Thank you! We will be in touch.',
  };
  return `(function () {
  var spec = ${scriptJson(spec)};
  var host = document.getElementById('kontor-form-' + spec.id);
  if (!host) {
    host = document.createElement('div');
    var me = document.currentScript;
    if (me && me.parentNode) me.parentNode.insertBefore(host, me.nextSibling);
    else document.body.appendChild(host);
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }
  var types = { text: 'text', email: 'email', phone: 'tel', date: 'date', datetime: 'datetime-local', number: 'text' };
  var form = el('form', { 'class': 'kontor-form', novalidate: 'novalidate' });
  form.appendChild(el('h3', {}, spec.name));
  if (spec.description) form.appendChild(el('p', {}, spec.description));
  var errorsAt = {};
  spec.fields.forEach(function (f) {
    var id = 'kontor-' + spec.id + '-' + f.name;
    var row = el('div', { 'class': 'kontor-field' });
    var input;
    if (f.type === 'long_text') input = el('textarea', { id: id, name: f.name });
    else if (f.type === 'select') {
      input = el('select', { id: id, name: f.name });
      input.appendChild(el('option', { value: '' }, ''));
      (f.options || []).forEach(function (o) { input.appendChild(el('option', { value: o.value }, o.label)); });
    } else if (f.type === 'boolean') input = el('input', { id: id, name: f.name, type: 'checkbox', value: 'on' });
    else input = el('input', { id: id, name: f.name, type: types[f.type] || 'text' });
    if (f.required) input.setAttribute('required', 'required');
    var label = el('label', { 'for': id }, f.label + (f.required ? ' *' : ''));
    if (f.type === 'boolean') { row.appendChild(input); row.appendChild(label); }
    else { row.appendChild(label); row.appendChild(input); }
    if (f.help) row.appendChild(el('small', {}, f.help));
    var err = el('div', { 'class': 'kontor-error', role: 'alert' });
    row.appendChild(err);
    errorsAt[f.name] = err;
    form.appendChild(row);
  });
  var trap = el('div', { 'aria-hidden': 'true', style: 'position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden' });
  trap.appendChild(el('input', { type: 'text', name: spec.honeypot, tabindex: '-1', autocomplete: 'off' }));
  form.appendChild(trap);
  if (spec.consent) {
    var c = el('div', { 'class': 'kontor-field kontor-consent' });
    var cid = 'kontor-' + spec.id + '-consent';
    c.appendChild(el('input', { id: cid, type: 'checkbox', name: 'consent', value: 'on', required: 'required' }));
    c.appendChild(el('label', { 'for': cid }, spec.consent));
    var cerr = el('div', { 'class': 'kontor-error', role: 'alert' });
    c.appendChild(cerr);
    errorsAt.consent = cerr;
    form.appendChild(c);
  }
  var general = el('div', { 'class': 'kontor-error', role: 'alert' });
  form.appendChild(general);
  var button = el('button', { type: 'submit' }, 'Send');
  form.appendChild(button);
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var body = {};
    Array.prototype.forEach.call(form.elements, function (e) {
      if (!e.name) return;
      if (e.type === 'checkbox') { if (e.checked) body[e.name] = true; }
      else if (e.value !== '') body[e.name] = e.value;
    });
    for (var k in errorsAt) errorsAt[k].textContent = '';
    general.textContent = '';
    button.disabled = true;
    fetch(spec.action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (r) {
        button.disabled = false;
        if (r.ok) { form.replaceChildren(el('p', { 'class': 'kontor-success', role: 'status' }, spec.success)); return; }
        var errs = (r.body && r.body.errors) || [];
        if (!errs.length) general.textContent = (r.body && r.body.title) || 'Could not send the form.';
        errs.forEach(function (e) { (errorsAt[e.path] || general).textContent = e.message; });
      })
      .catch(function () { button.disabled = false; general.textContent = 'Could not send the form; check the connection.'; });
  });
  host.replaceChildren(form);
})();
`;
}
