import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { CASE_KINDS, CHANNELS, PRIORITIES, SECURITY_REPORTS, type CaseKind, type Channel, type Priority, type SecurityReport } from '@app/domain';

/** The SLA, calendar and inbox routes' answers, as OpenAPI schemas (the admin UI's types are generated from them). */

export class WorkingSpanDto {
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '18:00', description: '"24:00" for the end of the day.' }) end!: string;
}

/** ISO weekdays, 1 Monday to 7 Sunday: each day's working spans in order (empty for a day off). */
export class WeeklyHoursDto {
  @ApiProperty({ type: [WorkingSpanDto] }) 1!: WorkingSpanDto[];
  @ApiProperty({ type: [WorkingSpanDto] }) 2!: WorkingSpanDto[];
  @ApiProperty({ type: [WorkingSpanDto] }) 3!: WorkingSpanDto[];
  @ApiProperty({ type: [WorkingSpanDto] }) 4!: WorkingSpanDto[];
  @ApiProperty({ type: [WorkingSpanDto] }) 5!: WorkingSpanDto[];
  @ApiProperty({ type: [WorkingSpanDto] }) 6!: WorkingSpanDto[];
  @ApiProperty({ type: [WorkingSpanDto] }) 7!: WorkingSpanDto[];
}

export class HolidayDto {
  @ApiProperty({ description: 'Local date, YYYY-MM-DD.' }) date!: string;
  @ApiProperty() name!: string;
}

export class MakeUpWorkdayDto {
  @ApiProperty({ description: 'Local date, YYYY-MM-DD.' }) date!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: [WorkingSpanDto], description: "Without: the calendar's normal weekday hours." }) hours?: WorkingSpanDto[];
}

export class YearScheduleDto {
  @ApiProperty() year!: number;
  @ApiProperty({ enum: ['confirmed', 'provisional'] }) status!: 'confirmed' | 'provisional';
  @ApiPropertyOptional({ description: 'Where the dates come from.' }) source?: string;
}

export class BusinessCalendarDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'IANA time zone.' }) timeZone!: string;
  @ApiProperty({ type: WeeklyHoursDto }) weeklyHours!: WeeklyHoursDto;
  @ApiProperty({ type: [HolidayDto] }) holidays!: HolidayDto[];
  @ApiProperty({ type: [MakeUpWorkdayDto] }) makeUpWorkdays!: MakeUpWorkdayDto[];
  @ApiPropertyOptional({ type: [YearScheduleDto], description: 'Absent in calendars that follow no published schedule (24/7).' }) schedules?: YearScheduleDto[];
}

export class BusinessCalendarPageDto {
  @ApiProperty({ type: [BusinessCalendarDto] }) data!: BusinessCalendarDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SlaPolicyFacetsDto {
  @ApiPropertyOptional({ enum: CASE_KINDS, isArray: true }) kinds?: CaseKind[];
  @ApiPropertyOptional({ enum: PRIORITIES, isArray: true }) priorities?: Priority[];
  @ApiPropertyOptional({ enum: CHANNELS, isArray: true }) channels?: Channel[];
  @ApiPropertyOptional({ enum: SECURITY_REPORTS, isArray: true }) securityReports?: SecurityReport[];
}

export class SlaPolicyMatchDto extends SlaPolicyFacetsDto {
  @ApiPropertyOptional({ type: [SlaPolicyFacetsDto], description: 'Alternatives: at least one must accept the case as well.' }) anyOf?: SlaPolicyFacetsDto[];
}

export class SlaTargetDto {
  @ApiProperty() minutes!: number;
  @ApiProperty({ enum: ['business', 'calendar'] }) mode!: 'business' | 'calendar';
}

export class SlaTargetsDto {
  @ApiPropertyOptional({ type: SlaTargetDto }) firstResponse?: SlaTargetDto;
  @ApiPropertyOptional({ type: SlaTargetDto }) resolution?: SlaTargetDto;
  @ApiPropertyOptional({ type: SlaTargetDto }) merchantResponse?: SlaTargetDto;
  @ApiPropertyOptional({ type: SlaTargetDto }) customerReply?: SlaTargetDto;
}

export class SlaFractionReminderDto {
  @ApiProperty({ enum: ['fraction'] }) kind!: 'fraction';
  @ApiProperty({ description: 'The share of the target used up, between 0 and 1.' }) fraction!: number;
}

export class SlaBeforeReminderDto {
  @ApiProperty({ enum: ['before'] }) kind!: 'before';
  @ApiProperty({ description: 'Minutes before the breach.' }) minutes!: number;
}

@ApiExtraModels(SlaFractionReminderDto, SlaBeforeReminderDto)
export class SlaPolicyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Lower first; the first policy whose match accepts the case wins.' }) position!: number;
  @ApiProperty({ type: SlaPolicyMatchDto }) match!: SlaPolicyMatchDto;
  @ApiProperty() calendarId!: string;
  @ApiProperty({ type: SlaTargetsDto }) targets!: SlaTargetsDto;
  @ApiProperty({ type: 'array', items: { oneOf: [{ $ref: getSchemaPath(SlaFractionReminderDto) }, { $ref: getSchemaPath(SlaBeforeReminderDto) }] } })
  reminders!: Array<SlaFractionReminderDto | SlaBeforeReminderDto>;
  @ApiProperty() active!: boolean;
}

export class SlaPolicyPageDto {
  @ApiProperty({ type: [SlaPolicyDto] }) data!: SlaPolicyDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SlaBreachDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() target!: string;
  @ApiProperty() policyId!: string;
  @ApiProperty() breachedAt!: string;
  @ApiProperty({ type: String, nullable: true }) assigneeId!: string | null;
  @ApiProperty() caseSubject!: string;
  @ApiProperty() caseKind!: string;
}

export class SlaBreachCountsDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'By policy id.' }) byPolicy!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: "By agent id ('unassigned' for none)." }) byAgent!: Record<string, number>;
}

export class SlaBreachesDto {
  @ApiProperty({ type: [SlaBreachDto] }) items!: SlaBreachDto[];
  @ApiProperty({ type: SlaBreachCountsDto }) counts!: SlaBreachCountsDto;
}

export class SlaChangePreviewItemDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() target!: string;
  @ApiProperty({ enum: ['running', 'paused'] }) status!: 'running' | 'paused';
  @ApiProperty({ type: String, nullable: true }) currentDueAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) draftDueAt!: string | null;
  @ApiProperty() currentMinutesLeft!: number;
  @ApiProperty({ type: Number, nullable: true }) draftMinutesLeft!: number | null;
  @ApiProperty({ enum: ['earlier', 'later', 'unchanged', 'untracked'] }) effect!: 'earlier' | 'later' | 'unchanged' | 'untracked';
  @ApiProperty({ description: 'Overdue under the draft but not now.' }) wouldBreachNow!: boolean;
}

export class SlaChangeSummaryDto {
  @ApiProperty() clocks!: number;
  @ApiProperty() earlier!: number;
  @ApiProperty() later!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() untracked!: number;
  @ApiProperty() wouldBreachNow!: number;
}

export class SlaChangePreviewDto {
  @ApiProperty({ type: [SlaChangePreviewItemDto] }) items!: SlaChangePreviewItemDto[];
  @ApiProperty({ type: SlaChangeSummaryDto }) summary!: SlaChangeSummaryDto;
  @ApiProperty() truncated!: boolean;
}

export class InboxEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['agent', 'supervisors'] }) audience!: 'agent' | 'supervisors';
  @ApiProperty() type!: string;
  @ApiProperty({ type: String, nullable: true }) caseId!: string | null;
  @ApiProperty({
    type: 'object',
    description: 'What the entry is about; besides these, fields that depend on the type.',
    properties: {
      subject: { type: 'string', description: "The case's subject (replies)." },
      excerpt: { type: 'string', description: 'The start of the reply.' },
      party: { type: 'string', enum: ['customer', 'merchant'], description: 'Who replied.' },
      target: { type: 'string', description: 'The SLA target (reminders and breaches).' },
    },
    additionalProperties: true,
  })
  payload!: { subject?: string; excerpt?: string; party?: 'customer' | 'merchant'; target?: string; [key: string]: unknown };
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) readAt!: string | null;
}

export class UnreadCountDto {
  @ApiProperty() unread!: number;
}
