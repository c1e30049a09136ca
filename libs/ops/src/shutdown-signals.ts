/** Where shutdown reports; Nest's Logger satisfies it. */
export interface ShutdownLog {
  log(message: string): void;
  error(message: string, stack?: string): void;
}

/** Beyond the grace, what closing connections and pools may take before the process gives up and exits anyway. */
const CLOSE_ALLOWANCE_MS = 10_000;

/**
 * Runs `shutdown` once on the first SIGTERM or SIGINT, then exits (0, or 1 if it failed). It must
 * finish within `graceMs` plus a short allowance for closing pools, or the process exits with 1
 * regardless, before an orchestrator's SIGKILL cuts it off mid-way. A second signal kills the
 * process at once (Node's default), for someone pressing Ctrl-C twice.
 */
export function onShutdownSignals(log: ShutdownLog, graceMs: number, shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  const handle = (signal: NodeJS.Signals) => {
    log.log(`${signal}: shutting down (grace ${graceMs} ms)`);
    setTimeout(() => {
      log.error(`shutdown did not finish within ${graceMs + CLOSE_ALLOWANCE_MS} ms; exiting anyway`);
      process.exit(1);
    }, graceMs + CLOSE_ALLOWANCE_MS).unref();
    shutdown(signal).then(
      () => {
        log.log('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        log.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error ? error.stack : undefined);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}
