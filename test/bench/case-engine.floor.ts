import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { toNumberedPlaceholders } from '@app/db';
import { keptPlanFor, Pipeline, submit, wireStatement, type WireStatement } from '../../libs/db/src/pg-pipeline';
import { isTemplateVariable, pgbenchCaseId, type CaseEnginePgbenchScript, type TemplateStatement, type TemplateVariable } from './case-engine.pgbench';

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

  /** The same statements as the API sends them: begin, the case and its live deadlines; then the write and commit. All kept prepared. */
  const transitionAsTheApi = async (client: PoolClient, index: number): Promise<number> => {
    const values: Partial<Record<TemplateVariable, unknown>> = { case_id: pgbenchCaseId(index) };
    const wire = (statement: TemplateStatement): WireStatement =>
      wireStatement(
        toNumberedPlaceholders(statement.sql).text,
        statement.params.map((param) => (!isTemplateVariable(param) ? param : param.variable === 'new_id' ? randomUUID() : values[param.variable])),
        true,
      );
    const send = async (begin: boolean, statements: WireStatement[], commit: boolean) => {
      const kept = keptPlanFor(client, statements);
      const results = await submit(client, new Pipeline(begin, statements, kept, commit));
      kept.succeeded();
      return results;
    };
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

function answer(response: ServerResponse, status: number, body: object): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}
