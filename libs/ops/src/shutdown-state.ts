import { Injectable } from '@nestjs/common';

/**
 * Whether this process has begun to shut down. From then on readiness answers 503, so a load
 * balancer or orchestrator stops sending work before the process stops taking it; liveness still
 * answers 200 (the process is alive, only leaving).
 */
@Injectable()
export class ShutdownState {
  private started = false;

  begin(): void {
    this.started = true;
  }

  get shuttingDown(): boolean {
    return this.started;
  }
}
