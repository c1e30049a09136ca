/** Where a process reports what would otherwise vanish; Nest's Logger satisfies it. */
export interface ProcessErrorLog {
  error(message: string, stack?: string): void;
}

/**
 * Logs every unhandled promise rejection instead of letting Node end the process with it (its
 * default since v15): a stray rejection in an event listener must neither stop the workers nor
 * pass silently. Returns a function that removes the handler (tests).
 */
export function logUnhandledRejections(log: ProcessErrorLog, target: Pick<NodeJS.EventEmitter, 'on' | 'off'> = process): () => void {
  const handler = (reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    log.error(`unhandled promise rejection: ${error.message}`, error.stack);
  };
  target.on('unhandledRejection', handler);
  return () => target.off('unhandledRejection', handler);
}
