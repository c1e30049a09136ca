import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { MetricsTokenGuard } from './metrics-token.guard';
import { OpsMetrics } from './ops-metrics';

@ApiTags('ops')
@Controller()
export class MetricsController {
  constructor(private readonly opsMetrics: OpsMetrics) {}

  /** Prometheus scrape endpoint (see OpsMetrics for what is in it). */
  @Public()
  @UseGuards(MetricsTokenGuard)
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.opsMetrics.render();
  }
}
