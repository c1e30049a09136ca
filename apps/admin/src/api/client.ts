/**
 * The one way the UI talks to the API. The session is the httpOnly `sid` cookie the API sets at
 * login (SameSite=Strict, same origin): the UI never sees or stores the token.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The API's stable error code, or NETWORK_ERROR / BAD_RESPONSE when there was no usable answer. */
    readonly code: string,
    /** The rest of the error body (allowedEvents, fields, remainingMinor, errorId, …), never shown raw. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Called on any 401 so the app can send the agent to the login page. */
let onUnauthenticated: (() => void) | undefined;
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      // A FormData body (file uploads) sets its own multipart content type and boundary.
      headers: body === undefined || body instanceof FormData ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR');
  }
  if (response.status === 204) return undefined as T;
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    throw new ApiError(response.status, response.ok ? 'BAD_RESPONSE' : `HTTP_${response.status}`);
  }
  if (!response.ok) {
    const { code, message: _serverText, ...details } = (parsed ?? {}) as { code?: unknown; message?: unknown };
    const error = new ApiError(response.status, typeof code === 'string' ? code : `HTTP_${response.status}`, details);
    if (response.status === 401 && path !== '/v1/auth/login') onUnauthenticated?.();
    throw error;
  }
  return parsed as T;
}

/** One page of a keyset-paged list of the agent API (`limit` ≤ 200; nextCursor null on the last page). */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const MAX_PAGE_SIZE = 200;
/** A bound on the pages one read walks, so a misbehaving answer cannot keep it asking for ever. */
const MAX_PAGES = 100;

/** Every row of a paged list, page by page: for pickers and name look-ups that need them all. */
export async function fetchAllPages<T>(path: string, query: Query = {}): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page: Page<T> = await api<Page<T>>('GET', withQuery(path, { ...query, limit: MAX_PAGE_SIZE, cursor }));
    rows.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return rows;
}
