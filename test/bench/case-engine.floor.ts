import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { toNumberedPlaceholders } from '@app/db';
import { keptPlanFor, Pipeline, submit, wireStatement, type WireStatement } from '../../libs/db/src/pg-pipeline';
import { isTemplateVariable, pgbenchCaseId, type CaseEnginePgbenchScript, type TemplateStatement, type TemplateVariable } from './case-engine.pgbench';
import { bindSlots, fill, type FloorStatement, type SlaFloorScript, type SlotValues } from './case-engine.sla-floor';

/**
 * The floor of the case-engine benchmark: the least any Node HTTP service can do for one case
 * event on this machine. A bare `node:http` server whose handler parses the JSON body, runs the
 * very statements the pgbench script runs (same text, same order, simple protocol like pgbench's
 * default) on a `pg` pool, and answers a small JSON body. No framework, no auth, no ORM, no
 * machine, no Redis, no effects. `roundTrips`: one per statement, as pgbench sends them (the
 * floor the targets are set against), or as the API sends them: begin and the locking reads in
 * one, the write and commit in another, all of them kept prepared on each connection (the API's
 * own sender, libs/db/src/pg-pipeline.ts), which says how much of the API's distance to the floor
 * is the way it sends its SQL and how much the rest.
 *
 * It answers a question the two real sides cannot: is a target out of reach because of what the
 * app does around the SQL, or because of the machine? Whatever the floor cannot reach, no Node
 * implementation of the endpoint that sends these statements can.
 */
export interface FloorServer {
  baseUrl: URL;
  close(): Promise<void>;
}

export interface FloorServerOptions {
  databaseUrl: string;
  poolSize: number;
  statements: CaseEnginePgbenchScript['statements'];
  parameterized: CaseEnginePgbenchScript['parameterized'];
  /** version % 2 of a case in investigation.reviewing (the loop alternates from there), as in the script. */
  reviewingParity: number;
  roundTrips: 'per statement' | 'as the API';
  /**
   * The statements of disputes with SLA clocks instead (case-engine.sla-floor.ts), on cases copied
   * from such disputes, with the clocks' read the app's lock also makes; `statements`,
   * `parameterized` and `reviewingParity` are then unused.
   */
  sla?: SlaFloorScript;
}

/** `\gset prefix_` ends a statement whose one row pgbench keeps as variables; here the row is returned. */
const GSET = /\s*\\gset \w+$/;

/** Replaces the script's pgbench variables (`:name`) with their values, as pgbench does before sending. */
function bind(statement: string, variables: Record<string, string | number>): string {
  let text = statement.replace(GSET, ';');
  // Longest names first, so `:c_version` is never read as `:c_` + `version`.
  for (const name of Object.keys(variables).sort((a, b) => b.length - a.length)) {
    text = text.replaceAll(`:${name}`, String(variables[name]));
  }
  return text;
}

export async function startFloorServer(options: FloorServerOptions): Promise<FloorServer> {
  const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize });
  const [begin, selectCase] = options.statements.request;
  const requestBranch = options.statements.request.slice(2, -1);
  const providedBranch = options.statements.provided.slice(2, -1);
  const commit = options.statements.request.at(-1)!;
  const caseNumberBase = Number(pgbenchCaseId(0).split('-').at(-1));

  /** One transaction of the script for case `index`; the new version. */
  const transition = async (index: number): Promise<number> => {
    const client = await pool.connect();
    try {
      if (options.sla) return await (options.roundTrips === 'as the API' ? transitionWithSlaAsTheApi : transitionWithSla)(client, options.sla, index);
      const variables: Record<string, string | number> = { cid: caseNumberBase + index };
      if (options.roundTrips === 'as the API') return await transitionAsTheApi(client, index);
      await client.query(begin!);
      const { rows } = await client.query<{ version: number }>(bind(selectCase!, variables));
      if (rows.length !== 1) throw new Error(`no case ${pgbenchCaseId(index)}`);
      const version = rows[0]!.version;
      variables.c_version = version;
      variables.next_version = version + 1;
      const branch = version % 2 === options.reviewingParity ? requestBranch : providedBranch;
      for (const statement of branch) {
        const result = await client.query<{ id: string }>(bind(statement, variables));
        // The provided branch reads the one live deadline (\gset d_) and cancels it by id.
        if (GSET.test(statement) && statement.endsWith('d_')) variables.d_id = result.rows[0]!.id;
      }
      await client.query(commit);
      return version + 1;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  /**
   * The SLA script's transaction, one round trip per statement: begin, the case, its live
   * deadlines and its clocks (ids the write settles and updates by), the write, commit.
   */
  const transitionWithSla = async (client: PoolClient, sla: SlaFloorScript, index: number): Promise<number> => {
    const values: SlotValues = { caseId: pgbenchCaseId(index), version: 0, live: [], clocks: [], fresh: [] };
    await client.query('begin');
    const caseRead = await client.query<{ version: number }>(fill(sla.lockCase.rendered, values));
    if (caseRead.rows.length !== 1) throw new Error(`no case ${values.caseId}`);
    values.version = caseRead.rows[0]!.version;
    const live = (await client.query<{ id: string }>(fill(sla.lockDeadlines.rendered, values))).rows;
    const clocks = (await client.query<{ id: string }>(fill(sla.readClocks.rendered, values))).rows;
    const branch = slaBranch(sla, values, live, clocks);
    await client.query(fill(branch.write.rendered, values));
    await client.query('commit');
    return values.version + 1;
  };

  /** The SLA script's transaction as the API sends it: begin and the three reads, then the write and commit; kept prepared. */
  const transitionWithSlaAsTheApi = async (client: PoolClient, sla: SlaFloorScript, index: number): Promise<number> => {
    const values: SlotValues = { caseId: pgbenchCaseId(index), version: 0, live: [], clocks: [], fresh: [] };
    const wire = (statement: FloorStatement): WireStatement => wireStatement(toNumberedPlaceholders(statement.slotted.sql).text, bindSlots(statement.slotted, values), true);
    const [, caseRead, live, clocks] = await sendAsTheApi(client, true, [wire(sla.lockCase), wire(sla.lockDeadlines), wire(sla.readClocks)], false);
    if (caseRead!.rows.length !== 1) throw new Error(`no case ${values.caseId}`);
    values.version = (caseRead!.rows[0] as { version: number }).version;
    const branch = slaBranch(sla, values, live!.rows as Array<{ id: string }>, clocks!.rows as Array<{ id: string }>);
    await sendAsTheApi(client, false, [wire(branch.write)], true);
    return values.version + 1;
  };

  /** The same statements as the API sends them: begin, the case and its live deadlines; then the write and commit. All kept prepared. */
  const transitionAsTheApi = async (client: PoolClient, index: number): Promise<number> => {
    const values: Partial<Record<TemplateVariable, unknown>> = { case_id: pgbenchCaseId(index) };
    const wire = (statement: TemplateStatement): WireStatement =>
      wireStatement(
        toNumberedPlaceholders(statement.sql).text,
        statement.params.map((param) => (!isTemplateVariable(param) ? param : param.variable === 'new_id' ? randomUUID() : values[param.variable])),
        true,
      );
    const send = (begin: boolean, statements: WireStatement[], commit: boolean) => sendAsTheApi(client, begin, statements, commit);
    const [, caseRead, pending] = await send(true, [wire(options.parameterized.lockCase), wire(options.parameterized.lockDeadlines)], false);
    if (caseRead!.rows.length !== 1) throw new Error(`no case ${pgbenchCaseId(index)}`);
    const version = (caseRead!.rows[0] as { version: number }).version;
    values.c_version = version;
    values.next_version = version + 1;
    const reviewing = version % 2 === options.reviewingParity;
    if (!reviewing) values.d_id = (pending!.rows[0] as { id: string }).id;
    await send(false, [wire(reviewing ? options.parameterized.requestWrite : options.parameterized.providedWrite)], true);
    return version + 1;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/cases\/(\d+)\/events$/.exec(request.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || !match) return answer(response, 404, { code: 'NOT_FOUND' });
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: unknown };
    if (typeof body.type !== 'string') return answer(response, 400, { code: 'VALIDATION_FAILED' });
    const version = await transition(Number(match[1]));
    return answer(response, 200, { version });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => answer(response, 500, { code: 'INTERNAL', message: String(error) }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: new URL(`http://127.0.0.1:${port}`),
    async close() {
      server.closeAllConnections();
      await new Promise((resolveClose) => server.close(resolveClose));
      await pool.end();
    },
  };
}

/** Statements in one round trip, kept prepared on the connection, as the API's sender does (pg-pipeline.ts). */
async function sendAsTheApi(client: PoolClient, begin: boolean, statements: WireStatement[], commit: boolean) {
  const kept = keptPlanFor(client, statements);
  const results = await submit(client, new Pipeline(begin, statements, kept, commit));
  kept.succeeded();
  return results;
}

/** The branch of the SLA script for the case as read (its version's parity), with the ids it read and new ones in `values`. */
function slaBranch(sla: SlaFloorScript, values: SlotValues, live: ReadonlyArray<{ id: string }>, clocks: ReadonlyArray<{ id: string }>) {
  const branch = values.version % 2 === sla.reviewingParity ? sla.request : sla.provided;
  if (live.length !== branch.live || clocks.length !== branch.clocks) {
    throw new Error(`case ${values.caseId}: ${live.length} live deadlines and ${clocks.length} clocks, the script expects ${branch.live} and ${branch.clocks}`);
  }
  values.live = live.map((row) => row.id);
  values.clocks = clocks.map((row) => row.id);
  values.fresh = Array.from({ length: branch.fresh }, () => randomUUID());
  return branch;
}

function answer(response: ServerResponse, status: number, body: object): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}
