import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/auth';
import { ReadinessProbe, type ReadinessReport } from '@app/ops';

/**
 * Probes. Liveness: the process answers at all (its event loop runs); restart it when this fails.
 * Readiness: it can serve now (PostgreSQL and Redis answer, no migration pending, not shutting
 * down); send it no traffic while this fails. /health is readiness under its old name.
 */
@ApiTags('ops')
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessProbe) {}

  /** 200 whenever the process can answer; it checks nothing else on purpose (a database outage is no reason to restart). */
  @Public()
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when ready; 503 with the check that failed (postgres, redis, migrations) or `status: "shutting_down"`. */
  @Public()
  @Get('health/ready')
  ready(@Res({ passthrough: true }) response: FastifyReply): Promise<ReadinessReport> {
    return this.answer(response);
  }

  /** The same as /health/ready (kept for the probes and scripts that ask /health). */
  @Public()
  @Get('health')
  health(@Res({ passthrough: true }) response: FastifyReply): Promise<ReadinessReport> {
    return this.answer(response);
  }

  private async answer(response: FastifyReply): Promise<ReadinessReport> {
    const report = await this.readiness.check();
    response.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
