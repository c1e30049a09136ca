/** One JSON line per request, callback attempt and notable event, on stdout. */
export function log(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), service: 'wallet-sim', ...fields }));
}
