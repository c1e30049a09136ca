import { performance } from 'node:perf_hooks';
import { JsonClient } from './support/http-client';
import type { Scenario, ScenarioFactory, StepOutcome } from './support/http-load';

/**
 * Reads, run by the load worker thread, each step a GET of one of `requests` at random, with its
 * caller's credentials:
 *   - the request pipeline alone, `GET /v1/auth/me`, which goes through everything a transition's
 *     request goes through before its use case (security headers, request id and log line,
 *     metrics, the session guard, the answer's serialization) and touches nothing else: the
 *     session is served from the process's cache. What it costs per request is the part of a
 *     transition's CPU that no change to the case engine can remove;
 *   - a case read, `GET /v1/cases/:id` on the benchmark's cases: what an agent opening a case costs;
 *   - a customer's case read, `GET /v1/customer/cases/:id`, each case with its own customer's token
 *     (the wallet app's backend asks for it after every customer command and while they look).
 */
export interface PipelineScenarioData {
  baseUrl: string;
  requests: Array<{ path: string; authorization: string }>;
}

export const createScenario: ScenarioFactory<PipelineScenarioData> = (data, { concurrency }): Scenario => {
  const client = new JsonClient(new URL(data.baseUrl), {}, concurrency);
  return {
    async step(): Promise<StepOutcome> {
      const started = performance.now();
      const { path, authorization } = data.requests[Math.floor(Math.random() * data.requests.length)]!;
      const response = await client.get<{ id?: string }>(path, { authorization });
      const latencyMs = performance.now() - started;
      if (response.status === 200) return { outcome: 'ok', latencyMs };
      return { outcome: `http-${response.status}`, latencyMs, detail: JSON.stringify(response.body).slice(0, 300) };
    },
    close() {
      client.close();
    },
  };
};
