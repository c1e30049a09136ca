// Types of the configuration pages (SLA policies, business calendars, merchants, webhooks), kept
// apart from types.ts so they can be swapped for generated OpenAPI types on their own.
// (Written out rather than imported from libs/domain: the admin build type-checks what it imports
// under stricter settings than the server's.)

export interface WorkingSpan {
  start: string;
  end: string;
}

export interface YearSchedule {
  year: number;
  status: 'confirmed' | 'provisional';
  source?: string;
}

export interface BusinessCalendar {
  id: string;
  name: string;
  timeZone: string;
  weeklyHours: Record<1 | 2 | 3 | 4 | 5 | 6 | 7, WorkingSpan[]>;
  holidays: Array<{ date: string; name: string }>;
  makeUpWorkdays: Array<{ date: string; name: string; hours?: WorkingSpan[] }>;
  schedules?: YearSchedule[];
}

export interface SlaTarget {
  minutes: number;
  mode: 'business' | 'calendar';
}

export interface SlaPolicyRow {
  id: string;
  name: string;
  position: number;
  match: Record<string, unknown>;
  calendarId: string;
  targets: Partial<Record<'firstResponse' | 'resolution' | 'merchantResponse' | 'customerReply', SlaTarget>>;
  reminders: unknown[];
  active: boolean;
}

export interface SlaChangePreviewItem {
  caseId: string;
  target: string;
  status: 'running' | 'paused';
  currentDueAt: string | null;
  draftDueAt: string | null;
  currentMinutesLeft: number;
  draftMinutesLeft: number | null;
  effect: 'earlier' | 'later' | 'unchanged' | 'untracked';
  wouldBreachNow: boolean;
}

export interface SlaChangePreview {
  items: SlaChangePreviewItem[];
  summary: { clocks: number; earlier: number; later: number; unchanged: number; untracked: number; wouldBreachNow: number };
  truncated: boolean;
}

export interface MerchantRow {
  id: string;
  name: string;
  active: boolean;
  createdAt: string;
}

export interface ApiKeyRow {
  id: string;
  merchantId: string;
  kind: 'secret' | 'restricted';
  name: string | null;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to creating a key: the only time the whole key is shown. */
export interface CreatedApiKey extends ApiKeyRow {
  key: string;
}

export interface WebhookEndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: 'enabled' | 'disabled' | 'deleted';
  disabled_reason: string | null;
  created: string;
}

export interface WebhookDeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  dispute_id: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: Array<{ generation: number; attempt: number; at: string; status_code: number | null; error: string | null; duration_ms: number }>;
  next_attempt_at: string | null;
  created: string;
}
