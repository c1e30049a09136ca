import { Client } from 'pg';

/**
 * Fails a test file whose code sends a query on a pg connection that is still running another
 * (say two queries of one transaction under Promise.all): pg 8 queues it and warns once per
 * process, pg 9 refuses it. Checked on every query of the file's app (Jest gives each file its
 * own copy of pg, so this wraps the one the app uses).
 */
const sentWhileBusy: string[] = [];
const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: { _activeQuery?: unknown; _queryQueue?: unknown[] }, ...args: unknown[]) {
  if (this._activeQuery || (this._queryQueue?.length ?? 0) > 0) sentWhileBusy.push(new Error('a query sent while another ran on its connection').stack ?? '');
  return query.apply(this, args);
};

afterAll(() => {
  expect(sentWhileBusy).toEqual([]);
});
