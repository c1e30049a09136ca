import { performance } from 'node:perf_hooks';
import { LOOP_EVENTS, REVIEWING } from './case-engine.scenario';
import { JsonClient } from './support/http-client';
import type { Scenario, ScenarioFactory, StepOutcome } from './support/http-load';

/**
 * The load on the floor server (case-engine.floor.ts), run by the load worker thread: each client
 * owns a slice of the pgbench cases and picks one at random, exactly as pgbench's clients do
 * (`random(0, per_client - 1) * nclients + client_id`), so neither side waits on the other's locks.
 * The body has the size of the real scenario's; the server's transaction decides the event.
 */
export interface FloorScenarioData {
  baseUrl: string;
  perClient: number;
  /** The index of the first case of the set this run works on (pgbenchCaseSetStart). */
  firstCase: number;
}

export const createScenario: ScenarioFactory<FloorScenarioData> = (data, { concurrency }): Scenario => {
  const client = new JsonClient(new URL(data.baseUrl), {}, concurrency);
  const body = { ...LOOP_EVENTS[REVIEWING], expectedVersion: 0 };
  return {
    async step(clientIndex: number): Promise<StepOutcome> {
      const index = data.firstCase + Math.floor(Math.random() * data.perClient) * concurrency + clientIndex;
      const started = performance.now();
      const response = await client.post<{ code?: string }>(`/cases/${index}/events`, body);
      const latencyMs = performance.now() - started;
      if (response.status === 200) return { outcome: 'ok', latencyMs };
      return { outcome: `http-${response.status}`, latencyMs, detail: JSON.stringify(response.body).slice(0, 300) };
    },
    close() {
      client.close();
    },
  };
};
