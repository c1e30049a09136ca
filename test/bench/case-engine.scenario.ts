import { performance } from 'node:perf_hooks';
import { JsonClient } from './support/http-client';
import type { Scenario, ScenarioFactory, StepOutcome } from './support/http-load';

/**
 * The HTTP side of the case-engine benchmark, run by the load worker thread: each step picks a
 * random case and sends the next event of the repeatable loop
 *   investigation.reviewing --REQUEST_CUSTOMER_INFO--> investigation.awaitingCustomerInfo
 *   investigation.awaitingCustomerInfo --CUSTOMER_INFO_PROVIDED--> investigation.reviewing
 * with the version last seen, as an agent's screen would. `mixed` (the open-loop run) also asks
 * the merchant half of the time (REQUEST_MERCHANT_INFO, then MERCHANT_INFO_PROVIDED), and never
 * picks a case it has a request in flight for (arrivals of different people on different cases).
 * Both waiting states pause the SLA clocks of a case that has them; reviewing resumes them.
 */
export const REVIEWING = 'investigation.reviewing';
export const AWAITING_CUSTOMER = 'investigation.awaitingCustomerInfo';
export const AWAITING_MERCHANT = 'investigation.awaitingMerchantInfo';

export const LOOP_EVENTS = {
  [REVIEWING]: { type: 'REQUEST_CUSTOMER_INFO', payload: { question: 'Please send a photo of the parcel label' } },
  [AWAITING_CUSTOMER]: { type: 'CUSTOMER_INFO_PROVIDED', payload: { summary: 'Photo of the label uploaded' } },
} as const;

const MERCHANT_EVENTS = {
  [REVIEWING]: { type: 'REQUEST_MERCHANT_INFO', payload: { question: 'Please send the signed proof of delivery' } },
  [AWAITING_MERCHANT]: { type: 'MERCHANT_INFO_PROVIDED', payload: { summary: 'Proof of delivery uploaded' } },
} as const;

export interface CaseEngineScenarioData {
  baseUrl: string;
  authorization: string;
  cases: Array<{ id: string; version: number; state: string }>;
  mode?: 'loop' | 'mixed';
}

type LoopEvent = { type: string; payload: Record<string, string> };

function nextEvent(state: string, mixed: boolean): LoopEvent | undefined {
  if (state === AWAITING_MERCHANT) return MERCHANT_EVENTS[AWAITING_MERCHANT];
  if (mixed && state === REVIEWING && Math.random() < 0.5) return MERCHANT_EVENTS[REVIEWING];
  return LOOP_EVENTS[state as keyof typeof LOOP_EVENTS];
}

interface CaseBody {
  version: number;
  state: string;
  code?: string;
}

export const createScenario: ScenarioFactory<CaseEngineScenarioData> = (data, { concurrency }): Scenario => {
  const client = new JsonClient(new URL(data.baseUrl), { authorization: data.authorization }, concurrency);
  // One shared client-side view of every case: all virtual clients read and update it, so a
  // conflict only happens when two of them pick the same case at the same moment.
  const cases = data.cases.map((known) => ({ ...known }));

  const learn = (known: (typeof cases)[number], body: CaseBody | undefined) => {
    // Responses of concurrent requests can arrive out of order; versions only go up.
    if (body && typeof body.version === 'number' && body.version > known.version) {
      known.version = body.version;
      known.state = body.state;
    }
  };

  const refresh = async (known: (typeof cases)[number]) => {
    const response = await client.get<CaseBody>(`/v1/cases/${known.id}`);
    if (response.status === 200) learn(known, response.body);
  };

  const mixed = data.mode === 'mixed';
  const busy = new Set<string>();
  const pick = () => {
    for (let attempt = 0; ; attempt += 1) {
      const known = cases[Math.floor(Math.random() * cases.length)]!;
      if (!mixed || !busy.has(known.id) || attempt > 100) return known;
    }
  };

  return {
    async step(): Promise<StepOutcome> {
      const known = pick();
      busy.add(known.id);
      try {
        return await send(known);
      } finally {
        busy.delete(known.id);
      }
    },
    close() {
      client.close();
    },
  };

  async function send(known: (typeof cases)[number]): Promise<StepOutcome> {
    const event = nextEvent(known.state, mixed);
    if (!event) {
      await refresh(known);
      return { outcome: 'unexpected-state', latencyMs: 0, detail: `${known.id} is ${known.state}` };
    }
    const started = performance.now();
    const response = await client.post<CaseBody>(`/v1/cases/${known.id}/events`, { ...event, expectedVersion: known.version });
    const latencyMs = performance.now() - started;
    if (response.status === 200) {
      learn(known, response.body);
      return { outcome: 'ok', latencyMs };
    }
    const code = response.body?.code ?? String(response.status);
    if (response.status === 409) {
      // Someone else moved the case: reload it and carry on, as a person would.
      await refresh(known);
      if (code === 'VERSION_CONFLICT') return { outcome: 'conflict', latencyMs };
      return { outcome: 'refused', latencyMs, detail: `${known.id}: ${code}` };
    }
    return { outcome: `http-${response.status}`, latencyMs, detail: `${code}: ${JSON.stringify(response.body).slice(0, 300)}` };
  }
};
