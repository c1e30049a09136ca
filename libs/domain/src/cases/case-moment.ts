/**
 * The case as it was when something addressed to the merchant happened, stored with the `notify`
 * outbox row in the transaction that caused it. A webhook is built from this, not from the case
 * when the effect runs, so a retry or a late delivery tells what was true at the event even after
 * the case moved on.
 */
export interface CaseMoment {
  /** When the event happened (the transition's time, which is also the case's `updated_at`). */
  at: string;
  /**
   * The case's `updated_at` when it is not `at`: a moment taken without a transition (an SLA
   * reminder, an agent's message) changes nothing on the case.
   */
  updated?: string;
  /** The case's version after the event (its timeline row's `caseVersion`). */
  version: number;
  state: string;
  status: 'active' | 'done';
  /** The persisted machine snapshot after the event. */
  snapshot: unknown;
  /** The machine deadlines still pending after the event (the merchant's windows among them). */
  deadlines: Array<{ name: string; dueAt: string }>;
}

/** Whether a `notify` effect's parameters address the merchant (and so become webhooks). */
export function notifiesMerchant(params: Record<string, unknown>): boolean {
  return Array.isArray(params.audience) && params.audience.includes('merchant');
}

export function caseMoment(input: {
  at: Date;
  /** Only when the case was not updated at `at` (see CaseMoment.updated). */
  updatedAt?: Date;
  version: number;
  state: string;
  status: 'active' | 'done';
  snapshot: unknown;
  deadlines: ReadonlyArray<{ kind: string; name: string; dueAt: Date; status: string }>;
}): CaseMoment {
  return {
    at: input.at.toISOString(),
    ...(input.updatedAt && input.updatedAt.getTime() !== input.at.getTime() ? { updated: input.updatedAt.toISOString() } : {}),
    version: input.version,
    state: input.state,
    status: input.status,
    snapshot: input.snapshot,
    deadlines: input.deadlines.filter((d) => d.kind === 'machine' && d.status === 'pending').map((d) => ({ name: d.name, dueAt: d.dueAt.toISOString() })),
  };
}

/** Reads a moment back from an outbox payload; null for rows written before moments were stored. */
export function momentOf(payload: Record<string, unknown>): CaseMoment | null {
  const moment = payload.moment as CaseMoment | undefined;
  return moment && typeof moment.at === 'string' && typeof moment.state === 'string' ? moment : null;
}
