import type { Handler, SimContext } from './context';
import { SimHttpError } from './http';
import { simHandlers } from './sim-handlers';
import { walletHandlers } from './wallet-handlers';

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** /v1 routes must carry the engine's signature; /sim and /health are the simulator's own. */
  signed: boolean;
  handler: Handler;
}

/** `/v1/refunds/:idempotency_key` → a regex whose named groups are the parameters. */
function path(template: string): RegExp {
  const source = template.replace(/:([a-z_]+)/g, (_match, name: string) => `(?<${name}>[^/]+)`);
  return new RegExp(`^${source}$`);
}

export function buildRoutes(ctx: SimContext): Route[] {
  const wallet = walletHandlers(ctx);
  const sim = simHandlers(ctx);
  const signed = (method: Route['method'], template: string, handler: Handler): Route => ({ method, pattern: path(template), signed: true, handler });
  const open = (method: Route['method'], template: string, handler: Handler): Route => ({ method, pattern: path(template), signed: false, handler });
  return [
    signed('GET', '/v1/transactions/:ref', wallet.getTransaction),
    signed('POST', '/v1/refunds', wallet.requestRefund),
    signed('GET', '/v1/refunds', wallet.listRefundsInRange),
    signed('GET', '/v1/refunds/:idempotency_key', wallet.getRefund),
    signed('POST', '/v1/accounts/:account_id/freeze', wallet.accountAction('freeze')),
    signed('POST', '/v1/accounts/:account_id/unfreeze', wallet.accountAction('unfreeze')),
    signed('POST', '/v1/accounts/:account_id/credential-resets', wallet.accountAction('credential_reset')),
    signed('POST', '/v1/accounts/:account_id/balance-corrections', wallet.accountAction('balance_correction')),
    signed('GET', '/v1/accounts/:account_id/pending-transactions', wallet.pendingTransactions),
    signed('POST', '/v1/notifications', wallet.sendNotification),

    open('GET', '/health', async () => {
      await ctx.db.query('select 1');
      return { status: 200, body: { status: 'ok' } };
    }),
    open('GET', '/sim/config', sim.getConfig),
    open('POST', '/sim/config', sim.setConfig),
    open('POST', '/sim/transactions', sim.seedTransaction),
    open('GET', '/sim/transactions/:ref', sim.transaction),
    open('POST', '/sim/transactions/:ref/settle', sim.settleTransaction),
    open('GET', '/sim/refunds', sim.ledger),
    open('POST', '/sim/refunds/:idempotency_key/settle', sim.forceRefund('settle')),
    open('POST', '/sim/refunds/:idempotency_key/fail', sim.forceRefund('fail')),
    open('GET', '/sim/callbacks', sim.callbacks),
    open('GET', '/sim/notifications', sim.notifications),
    open('GET', '/sim/accounts/:account_id', sim.account),
    open('POST', '/sim/accounts/:account_id/pending-transactions', sim.seedPendingTransaction),
  ];
}

export type RouteMatch = { route: Route; params: Record<string, string> } | { route: null; methodNotAllowed: boolean };

export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  let pathKnown = false;
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    pathKnown = true;
    if (route.method !== method) continue;
    return { route, params: decodeParams(match.groups ?? {}) };
  }
  return { route: null, methodNotAllowed: pathKnown };
}

function decodeParams(raw: Record<string, string>): Record<string, string> {
  try {
    return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, decodeURIComponent(value)]));
  } catch {
    throw new SimHttpError(400, 'VALIDATION_FAILED', 'The path is not validly percent-encoded.');
  }
}
