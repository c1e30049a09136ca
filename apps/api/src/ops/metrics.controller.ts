import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { MetricsRegistry } from '@app/ops';
import { MetricsTokenGuard } from './metrics-token.guard';

@ApiTags('ops')
@Controller()
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  /** Prometheus scrape endpoint: the process, HTTP requests (see httpMetrics), OpsMetrics' gauges, and jobs run in-process. */
  @Public()
  @UseGuards(MetricsTokenGuard)
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.registry.render();
  }
}
