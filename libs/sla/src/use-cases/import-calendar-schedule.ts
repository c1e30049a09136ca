import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { BusinessCalendarEntity } from '@app/db';
import { applyYearSchedule, DomainError, DomainErrorCode, parseYearScheduleFile, type BusinessCalendar, type ScheduleFileFormat } from '@app/domain';
import { SlaCatalogue } from '../sla-catalogue';

export interface ImportCalendarScheduleCommand {
  calendarId: string;
  year: number;
  format: ScheduleFileFormat;
  /** The file's text. */
  content: string;
}

/**
 * Replaces one year's holidays and make-up working days of a calendar with those of a file
 * (JSON or iCalendar) and records the year's schedule as the file says (confirmed unless marked
 * provisional). A file that cannot be read changes nothing. The calendar then counts as edited,
 * so `db:migrate` never overwrites the import with shipped data.
 */
@Injectable()
export class ImportCalendarSchedule {
  constructor(
    private readonly em: EntityManager,
    private readonly catalogue: SlaCatalogue,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: ImportCalendarScheduleCommand, actor: AdminAuditActor): Promise<BusinessCalendar> {
    const em = this.em.fork();
    const row = await em.findOne(BusinessCalendarEntity, { id: command.calendarId });
    if (!row) throw new DomainError(DomainErrorCode.NotFound, `No business calendar ${command.calendarId}.`, { calendarId: command.calendarId });
    const schedule = parseYearScheduleFile(command.format, command.content, command.year);
    const next = applyYearSchedule(row.definition, schedule);
    const now = this.clock.now();
    this.audit.record(
      em,
      {
        actor,
        action: 'business_calendar.schedule_imported',
        target: { type: 'business_calendar', id: row.id },
        details: { year: schedule.year, status: schedule.status, format: command.format, holidays: schedule.holidays.length, makeUpWorkdays: schedule.makeUpWorkdays.length },
      },
      now,
    );
    row.definition = next;
    row.updatedAt = now;
    await em.flush();
    await this.catalogue.reload();
    return next;
  }
}
