import { Migration } from '@mikro-orm/migrations';

/**
 * Remembers which shipped definition an installed calendar came from (`shipped_definition`), so
 * `db:migrate` can bring corrected shipped data (next year's holidays, a fixed date) to the
 * calendars nobody edited — those whose definition still equals it — and leave edited ones alone.
 *
 * Calendars installed before this migration are matched against the only definitions shipped so
 * far, by the MD5 of their canonical jsonb text (written out, not computed from today's code, so
 * this migration keeps meaning what it meant): a match was never edited.
 */
const SHIPPED_BEFORE: Record<string, string[]> = {
  'prc-default': ['4448e0c2c0c13eb1a16c94858b9ab48b'],
  'always-on': ['d86916cdbf2b7a4555fc26d8a1ed810b'],
};

export class Migration20261203200100CalendarShippedDefinition extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table business_calendars add column shipped_definition jsonb null;`);
    for (const [id, hashes] of Object.entries(SHIPPED_BEFORE)) {
      this.addSql(
        `update business_calendars set shipped_definition = definition where id = '${id}' and md5(definition::text) in (${hashes.map((hash) => `'${hash}'`).join(', ')});`,
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql(`alter table business_calendars drop column if exists shipped_definition;`);
  }
}
