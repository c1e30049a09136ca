/**
 * Whether `work` finishes within `ms`: true when it did, false when the time ran out first (the
 * work is left running: the caller decides what to do about it). A rejection of `work` in time
 * passes through. The timer never keeps the process alive and is cleared either way.
 */
export async function finishedWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
  }
}
