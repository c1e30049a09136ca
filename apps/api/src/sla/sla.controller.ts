import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { adminAuditActor, CurrentAgent, RequireRole, type AuthenticatedAgent } from '@app/auth';
import { JsonObjectPipe } from '@app/http';
import {
  CountUnreadNotifications,
  ListBusinessCalendars,
  ListNotifications,
  ListSlaBreaches,
  ImportCalendarSchedule,
  ListSlaPolicies,
  MarkNotificationRead,
  PreviewSlaChange,
  SaveBusinessCalendar,
  SaveSlaPolicy,
} from '@app/sla';
import { PageQuery } from '../page-query';
import {
  BusinessCalendarDto,
  BusinessCalendarPageDto,
  InboxEntryDto,
  SlaBreachesDto,
  SlaChangePreviewDto,
  SlaPolicyDto,
  SlaPolicyPageDto,
  UnreadCountDto,
} from './sla-responses.dto';

export class BreachQueryDto {
  @IsOptional() @IsString() @MaxLength(64) policyId?: string;
  @IsOptional() @IsUUID() agentId?: string;
  @IsOptional() @IsUUID() caseId?: string;
}

export class ImportScheduleDto {
  @ApiProperty({ example: 2027, description: 'The year the file holds; its holidays and make-up working days replace that year’s, other years stay.' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ enum: ['json', 'ics'] })
  @IsIn(['json', 'ics'])
  format!: 'json' | 'ics';

  @ApiProperty({ description: "The file's text: JSON {year?, provisional?, source?, holidays, makeUpWorkdays} or an iCalendar file of all-day events" })
  @IsString()
  @MaxLength(90_000)
  content!: string;
}

export class InboxQueryDto {
  @IsOptional() @IsString() unread?: 'true' | 'false';
}

@ApiTags('sla')
@ApiBearerAuth()
@Controller('v1/sla')
export class SlaController {
  constructor(
    private readonly listPolicies: ListSlaPolicies,
    private readonly savePolicy: SaveSlaPolicy,
    private readonly listCalendars: ListBusinessCalendars,
    private readonly saveCalendar: SaveBusinessCalendar,
    private readonly listBreaches: ListSlaBreaches,
    private readonly previewChange: PreviewSlaChange,
    private readonly importSchedule: ImportCalendarSchedule,
  ) {}

  @RequireRole('supervisor')
  @Post('what-if')
  @HttpCode(200)
  @ApiOperation({ summary: 'Preview a draft policy or calendar against open cases: which deadlines move, which would breach earlier or later. Changes nothing.' })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        policyId: 'disputes',
        policy: {
          name: 'Disputes',
          position: 20,
          match: { kinds: ['dispute'] },
          calendarId: 'prc-default',
          targets: { resolution: { minutes: 2400, mode: 'business' } },
          reminders: [],
        },
      },
    },
  })
  @ApiOkResponse({ type: SlaChangePreviewDto })
  whatIf(@Body(new JsonObjectPipe()) body: Record<string, unknown>) {
    return this.previewChange.execute(body as { policyId?: string; policy?: unknown; calendarId?: string; calendar?: unknown });
  }

  @Get('policies')
  @ApiOperation({ summary: 'SLA policies in match order (first match wins), a page at a time' })
  @ApiOkResponse({ type: SlaPolicyPageDto })
  policies(@Query() query: PageQuery) {
    return this.listPolicies.execute(query);
  }

  @RequireRole('admin')
  @Put('policies/:id')
  @ApiOperation({ summary: 'Create or replace a policy; applies to cases opened afterwards' })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        name: 'VIP',
        position: 5,
        match: { priorities: ['urgent'] },
        calendarId: 'prc-default',
        targets: { resolution: { minutes: 240, mode: 'business' } },
        reminders: [{ kind: 'fraction', fraction: 0.8 }],
      },
    },
  })
  @ApiOkResponse({ type: SlaPolicyDto })
  putPolicy(@Param('id') id: string, @Body(new JsonObjectPipe()) body: Record<string, unknown>, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.savePolicy.execute(id, body, adminAuditActor(agent));
  }

  @Get('calendars')
  @ApiOperation({ summary: 'Business calendars by id, a page at a time' })
  @ApiOkResponse({ type: BusinessCalendarPageDto })
  calendars(@Query() query: PageQuery) {
    return this.listCalendars.execute(query);
  }

  @RequireRole('admin')
  @Put('calendars/:id')
  @ApiOperation({ summary: 'Create or replace a business calendar (zone, weekly hours, holidays, make-up working days)' })
  @ApiOkResponse({ type: BusinessCalendarDto })
  putCalendar(@Param('id') id: string, @Body(new JsonObjectPipe()) body: Record<string, unknown>, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.saveCalendar.execute(id, body, adminAuditActor(agent));
  }

  @RequireRole('admin')
  @Post('calendars/:id/schedule-import')
  @HttpCode(200)
  @ApiOperation({
    summary: "Replace one year's holidays and make-up working days of a calendar with a file's (JSON or iCalendar); a file that cannot be read changes nothing",
    description:
      'iCalendar: each VEVENT is an all-day period (DTSTART;VALUE=DATE, DTEND exclusive) named by SUMMARY; it is a make-up working day (调休上班) when CATEGORIES says WORKDAY (or MAKE-UP-WORKDAY, 上班, 补班) or SUMMARY contains 补班 or 上班, else a holiday. X-SCHEDULE-STATUS:PROVISIONAL (JSON: "provisional": true) records the year as provisional; otherwise it is confirmed.',
  })
  @ApiOkResponse({ type: BusinessCalendarDto })
  importCalendarSchedule(@Param('id') id: string, @Body() body: ImportScheduleDto, @CurrentAgent() agent: AuthenticatedAgent) {
    return this.importSchedule.execute({ calendarId: id, year: body.year, format: body.format, content: body.content }, adminAuditActor(agent));
  }

  @RequireRole('supervisor')
  @Get('breaches')
  @ApiOperation({ summary: 'SLA breaches, filterable by policy, agent or case, with counts' })
  @ApiOkResponse({ type: SlaBreachesDto })
  breaches(@Query() query: BreachQueryDto) {
    return this.listBreaches.execute(query);
  }
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/notifications')
export class NotificationsController {
  constructor(
    private readonly list: ListNotifications,
    private readonly markRead: MarkNotificationRead,
    private readonly countUnread: CountUnreadNotifications,
  ) {}

  @Get()
  @ApiOperation({ summary: "The agent's inbox: SLA reminders and breaches, customers' and merchants' replies (supervisors also see the supervisors' queue)" })
  @ApiOkResponse({ type: [InboxEntryDto] })
  inbox(@CurrentAgent() agent: AuthenticatedAgent, @Query() query: InboxQueryDto) {
    return this.list.execute(agent, { unreadOnly: query.unread === 'true' });
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many inbox entries the agent has not read (the bell in the admin UI)' })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount(@CurrentAgent() agent: AuthenticatedAgent) {
    return this.countUnread.execute(agent);
  }

  @Post(':id/read')
  @HttpCode(204)
  async read(@CurrentAgent() agent: AuthenticatedAgent, @Param('id') id: string): Promise<void> {
    await this.markRead.execute(agent, id);
  }
}
