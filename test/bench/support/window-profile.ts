import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/**
 * A CPU profile of this process's main thread over one measured window only (no seeding, no
 * warm-up, no checks), when BENCH_CPU_PROFILE names a directory: `<dir>/<label>.cpuprofile`,
 * readable in Chrome's DevTools or any .cpuprofile viewer. Off by default: profiling costs CPU.
 * Note: samples count wall time, so a thread that is runnable but waiting for a core (a write to
 * PostgreSQL's socket wakes its backend, which may take the core) is billed to the native call it
 * is in; the benchmark's CPU figures come from /proc, not from the profile.
 */
export class WindowProfile {
  private session: Session | null = null;

  constructor(private readonly label: string) {}

  static get directory(): string | undefined {
    return process.env.BENCH_CPU_PROFILE || undefined;
  }

  start(): void {
    if (!WindowProfile.directory) return;
    this.session = new Session();
    this.session.connect();
    this.session.post('Profiler.enable');
    this.session.post('Profiler.start');
  }

  stop(): void {
    const session = this.session;
    const directory = WindowProfile.directory;
    if (!session || !directory) return;
    this.session = null;
    // The callback runs synchronously for the in-process inspector: the profile is written before stop() returns.
    session.post('Profiler.stop', (error, result) => {
      if (!error) {
        mkdirSync(directory, { recursive: true });
        writeFileSync(join(directory, `${this.label.replace(/[^\w-]+/g, '-')}.cpuprofile`), JSON.stringify(result.profile));
      }
      session.disconnect();
    });
  }
}
