import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '@app/auth';
import { GetQueueStats } from '@app/cases';
import { QueueStatsDto } from './stats-responses.dto';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly getQueueStats: GetQueueStats) {}

  /** A supervisor view: the UI shows it to supervisors and admins, and the API enforces the same. */
  @RequireRole('supervisor')
  @Get('queues')
  @ApiOperation({ summary: 'Active cases by kind and state and by assignee, with overdue and due-soon (4 h) counts' })
  @ApiOkResponse({ type: QueueStatsDto })
  queues() {
    return this.getQueueStats.execute();
  }
}
