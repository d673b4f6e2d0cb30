import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorDetail } from '../../core/errors';
import type { FormField } from './definitions';

/**
 * The pages a person without a login sees: one self-contained HTML document each, with its style
 * inline and no script, so the Content-Security-Policy can forbid everything else.
 */

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
main{max-width:40rem;margin:0 auto;padding:1rem}
.card{background:#fff;border-radius:12px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.35rem;margin:0 0 .25rem}
.task{color:#57606a;margin:0 0 1rem}
.field{margin:0 0 1.1rem}
label{display:block;font-weight:600;margin-bottom:.3rem}
.req{color:#b42318}
.help{font-size:.9rem;color:#57606a;margin:.2rem 0 0}
input[type=text],input[type=email],input[type=tel],input[type=date],input[type=datetime-local],select,textarea{width:100%;font:inherit;padding:.65rem .75rem;border:1px solid #c4c9d0;border-radius:8px;background:#fff}
textarea{min-height:7rem}
input[type=file]{width:100%;font:inherit}
.check{display:flex;gap:.6rem;align-items:flex-start;font-weight:400}
.check input{width:1.4rem;height:1.4rem;margin:0}
.error{color:#b42318;font-size:.95rem;margin:.25rem 0 0}
.summary{border:1px solid #b42318;background:#fef3f2;border-radius:8px;padding:.75rem;margin:0 0 1rem}
button{width:100%;font:inherit;font-weight:600;padding:.85rem;border:0;border-radius:8px;background:#1c64f2;color:#fff}
`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** Nothing but the page's own style and posting the form back to where it came from. */
export const PAGE_CSP = `default-src 'none'; style-src ${STYLE_HASH}; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

const WORDS = {
  en: {
    submit: 'Send',
    fixErrors: 'Please correct the fields marked below.',
    thanks: 'Thank you',
    sent: 'Your answers have been sent. You can close this page.',
    notFound: 'This link is not valid',
    notFoundText: 'Check that the whole link was copied, or ask the sender for a new one.',
    used: 'This form has already been sent',
    usedText: 'A link works once. If something needs changing, ask the sender for a new link.',
    expired: 'This link has expired',
    expiredText: 'Ask the sender for a new link.',
    revoked: 'This link has been withdrawn',
    revokedText: 'The sender no longer needs this form. Ask them if you think this is a mistake.',
    closed: 'This form is no longer needed',
    closedText: 'The task it belongs to is closed. Ask the sender if you think this is a mistake.',
    tooLarge: 'The files are too large',
    tooLargeText: 'Send at most 10 files of up to 15 MB each. Go back and try again.',
    tooMany: 'Too many attempts',
    tooManyText: 'Wait a minute and try again.',
    timeZone: 'Time zone',
    task: 'Task',
  },
  uk: {
    submit: 'Надіслати',
    fixErrors: 'Виправте, будь ласка, позначені поля.',
    thanks: 'Дякуємо',
    sent: 'Ваші відповіді надіслано. Сторінку можна закрити.',
    notFound: 'Посилання недійсне',
    notFoundText: 'Перевірте, чи скопійовано посилання повністю, або попросіть нове.',
    used: 'Цю форму вже надіслано',
    usedText: 'Посилання діє один раз. Якщо треба щось змінити, попросіть нове посилання.',
    expired: 'Термін дії посилання минув',
    expiredText: 'Попросіть у відправника нове посилання.',
    revoked: 'Посилання відкликано',
    revokedText: 'Відправникові ця форма більше не потрібна. Якщо це помилка, зверніться до нього.',
    closed: 'Ця форма вже не потрібна',
    closedText:
      'Завдання, до якого вона належить, закрите. Якщо це помилка, зверніться до відправника.',
    tooLarge: 'Файли завеликі',
    tooLargeText: 'Надішліть не більше 10 файлів до 15 МБ кожен. Поверніться й спробуйте ще раз.',
    tooMany: 'Забагато спроб',
    tooManyText: 'Зачекайте хвилину й спробуйте ще раз.',
    timeZone: 'Часовий пояс',
    task: 'Завдання',
  },
} satisfies Record<string, Record<string, string>>;

export type Words = (typeof WORDS)['en'];
export type PageLang = keyof typeof WORDS;

/** The visitor's language from Accept-Language: Ukrainian when preferred, otherwise English. */
export function pageLang(request: FastifyRequest): PageLang {
  const first = String(request.headers['accept-language'] ?? '')
    .split(',')[0]
    .trim()
    .toLowerCase();
  return first.startsWith('uk') ? 'uk' : 'en';
}

export function words(lang: PageLang): Words {
  return WORDS[lang];
}

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function document(lang: PageLang, title: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

/** Sends a page with the headers every public page carries: no caching, no referrer, the CSP. */
export function sendPage(reply: FastifyReply, status: number, html: string) {
  return (
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', PAGE_CSP)
      .header('cache-control', 'no-store')
      // The link's token is in the address: it must not leak to any other site.
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('x-robots-tag', 'noindex')
      .send(html)
  );
}

/** A page that says one thing: thanks, or why the link does not work. */
export function messagePage(lang: PageLang, title: string, text: string): string {
  return document(
    lang,
    title,
    `<div class="card" role="status"><h1>${esc(title)}</h1><p>${esc(text)}</p></div>`,
  );
}

function inputFor(f: FormField, value: unknown, invalid: boolean): string {
  const common = `id="f-${esc(f.name)}" name="${esc(f.name)}"${f.required ? ' required' : ''}${
    invalid ? ` aria-invalid="true" aria-describedby="e-${esc(f.name)}"` : ''
  }`;
  const v = value === undefined || value === null ? '' : String(value);
  switch (f.type) {
    case 'long_text':
      return `<textarea ${common}>${esc(v)}</textarea>`;
    case 'date':
      return `<input type="date" ${common} value="${esc(v)}">`;
    case 'datetime':
      return `<input type="datetime-local" ${common} value="${esc(v)}">`;
    case 'number':
      return `<input type="text" inputmode="decimal" ${common} value="${esc(v)}">`;
    case 'email':
      return `<input type="email" autocomplete="email" ${common} value="${esc(v)}">`;
    case 'phone':
      return `<input type="tel" autocomplete="tel" ${common} value="${esc(v)}">`;
    case 'select':
      return `<select ${common}><option value=""></option>${(f.options ?? [])
        .map(
          (o) =>
            `<option value="${esc(o.value)}"${o.value === v ? ' selected' : ''}>${esc(o.label)}</option>`,
        )
        .join('')}</select>`;
    case 'photo':
      return `<input type="file" accept="image/jpeg,image/png,image/webp,image/heic,.heic" multiple ${common}>`;
    case 'file':
      return `<input type="file" accept="image/jpeg,image/png,image/webp,image/heic,.heic,application/pdf" multiple ${common}>`;
    default:
      return `<input type="text" ${common} value="${esc(v)}">`;
  }
}

/** The form itself, with the values typed so far and a message at every field that was wrong. */
export function formPage(opts: {
  lang: PageLang;
  title: string;
  subtitle: string | null;
  description: string | null;
  fields: FormField[];
  values: Record<string, unknown>;
  errors: ErrorDetail[];
  timeZone: string;
}): string {
  const w = words(opts.lang);
  const errorOf = (name: string) => opts.errors.find((e) => e.path === name)?.message;
  const loose = opts.errors.filter((e) => !opts.fields.some((f) => f.name === e.path));
  const fields = opts.fields
    .map((f) => {
      const error = errorOf(f.name);
      const req = f.required ? ' <span class="req" aria-hidden="true">*</span>' : '';
      const help = [
        f.help ? esc(f.help) : '',
        f.type === 'datetime' ? `${esc(w.timeZone)}: ${esc(opts.timeZone)}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      const err = error ? `<p class="error" id="e-${esc(f.name)}">${esc(error)}</p>` : '';
      if (f.type === 'boolean') {
        const checked = opts.values[f.name] === true || opts.values[f.name] === 'on';
        return `<div class="field"><label class="check"><input type="checkbox" value="on" ${
          checked ? 'checked ' : ''
        }id="f-${esc(f.name)}" name="${esc(f.name)}"${f.required ? ' required' : ''}>${esc(
          f.label,
        )}${req}</label>${help ? `<p class="help">${help}</p>` : ''}${err}</div>`;
      }
      return `<div class="field"><label for="f-${esc(f.name)}">${esc(f.label)}${req}</label>${inputFor(
        f,
        opts.values[f.name],
        !!error,
      )}${help ? `<p class="help">${help}</p>` : ''}${err}</div>`;
    })
    .join('\n');
  const summary = opts.errors.length
    ? `<div class="summary" role="alert"><p>${esc(w.fixErrors)}</p>${loose
        .map((e) => `<p class="error">${esc(e.message)}</p>`)
        .join('')}</div>`
    : '';
  const body = `<div class="card">
<h1>${esc(opts.title)}</h1>
${opts.subtitle ? `<p class="task">${esc(w.task)}: ${esc(opts.subtitle)}</p>` : ''}
${opts.description ? `<p>${esc(opts.description)}</p>` : ''}
${summary}
<form method="post" enctype="multipart/form-data">
${fields}
<button type="submit">${esc(w.submit)}</button>
</form>
</div>`;
  return document(opts.lang, opts.title, body);
}
