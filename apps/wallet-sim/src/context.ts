import type { SimConfig } from './config';
import type { Db } from './database';
import type { SimResponse } from './http';
import type { DueWorkScheduler } from './scheduler';

/** What every handler may use: the ledger, the configuration, the clock and the due-work timer. */
export interface SimContext {
  db: Db;
  config: SimConfig;
  scheduler: DueWorkScheduler;
  now: () => Date;
  callbackUrl: { get(): string | null; set(url: string | null): Promise<void> };
}

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export type Handler = (request: RouteRequest) => Promise<SimResponse>;
