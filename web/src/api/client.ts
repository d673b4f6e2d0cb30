/** The one way the web app talks to the server: JSON over HTTP, with the session's CSRF token. */

export interface ProblemError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: ProblemError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken: string | null = sessionStorage.getItem('kontor.csrf');

export function setCsrfToken(token: string | null) {
  csrfToken = token;
  if (token) sessionStorage.setItem('kontor.csrf', token);
  else sessionStorage.removeItem('kontor.csrf');
}

/** The header a signed-in write must carry. */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(csrfToken && method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    throw new ApiError(
      res.status,
      String(data.detail ?? res.statusText),
      (data.errors as ProblemError[]) ?? [],
      data,
    );
  }
  return data as T;
}

export interface User {
  id: string;
  email: string;
  name: string;
  locale: string;
  time_zone: string;
  must_change_password: boolean;
  is_admin?: boolean;
  /** The server's currency for new amounts (KONTOR_CURRENCY). */
  default_currency?: string;
}

export interface FieldMeta {
  name: string;
  label: string;
  type: string;
  required: boolean;
  read_only: boolean;
  is_system: boolean;
  is_custom: boolean;
  options?: { value: string; label: string }[];
  target?: string;
}

export interface ObjectMeta {
  name: string;
  label_singular: string;
  label_plural: string;
  title_field: string;
  is_custom: boolean;
  fields: FieldMeta[];
  related_lists: { name: string; label: string; object: string; field: string }[];
}

export type ApiRecord = Record<string, unknown> & { id: string; version: number };

export interface Page {
  data: ApiRecord[];
  next_cursor: string | null;
  total?: number;
}
