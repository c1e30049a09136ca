import { Migration } from '@mikro-orm/migrations';

/**
 * A command's one write (planCaseWrites) now ends its transaction: its `commit` goes out in the
 * same round trip (SqlSession.last), so the command can no longer look at what the write returned
 * and roll back before committing. The write's own guard, `where version = <the version the lock
 * read>`, must therefore fail inside the statement when it matches no row, or the statement's other
 * parts (timeline, deadlines, clocks, outbox) would commit without the case row they belong to.
 * This function turns "no row written" into an error PostgreSQL raises before the commit runs
 * (SQLSTATE 40001, which the command reports as a version conflict, as it did before).
 */
export class Migration20261205190000WrittenCaseVersion extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function written_case_version(case_id uuid, written integer) returns integer language plpgsql as $$
      begin
        if written is null then
          raise exception 'case % was not written: its row no longer has the version its lock read', case_id using errcode = '40001';
        end if;
        return written;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists written_case_version(uuid, integer);`);
  }
}
