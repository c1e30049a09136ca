import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, COMMAND_LINE_ACTOR, changesBetween, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { MacroEntity, decodeCursor, pageOf, pageSize, type MacroTranslation, type MessageLocale, type Page } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { parseMacroInput } from './macro-input';

export interface MacroView {
  id: string;
  translations: Record<MessageLocale, MacroTranslation>;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toMacroView(row: MacroEntity): MacroView {
  return { id: row.id, translations: row.translations, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

export function macroNotFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.MacroNotFound, `No macro ${id}.`, { macroId: id });
}

async function findMacro(em: EntityManager, id: string): Promise<MacroEntity> {
  const row = UUID.test(id) ? await em.findOne(MacroEntity, { id }) : null;
  if (!row) throw macroNotFound(id);
  return row;
}

/**
 * The collation each language's titles sort by, as the picker shows them (ICU, as a browser
 * sorts): pinyin order for Chinese. Sorting in the database keeps the order the same across pages.
 */
const TITLE_COLLATION: Record<MessageLocale, string> = { 'zh-CN': 'zh-x-icu', en: 'en-x-icu' };

/** Macros sorted by the title in the reader's language (then id), a page at a time. */
@Injectable()
export class ListMacros {
  constructor(private readonly em: EntityManager) {}

  async execute(locale: MessageLocale = 'zh-CN', query: { cursor?: string; limit?: number } = {}): Promise<Page<MacroView>> {
    const limit = pageSize(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, 2, ([, id]) => UUID.test(id!)) : undefined;
    const title = `(translations -> '${locale === 'en' ? 'en' : 'zh-CN'}' ->> 'title') collate "${TITLE_COLLATION[locale] ?? TITLE_COLLATION['zh-CN']}"`;
    const rows = await this.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string; translations: MacroEntity['translations']; created_by: string; created_at: Date; updated_at: Date; title: string }>>(
        `select id, translations, created_by, created_at, updated_at, ${title} as title from macros
        ${after ? `where ${title} > ? or (${title} = ? and id > ?)` : ''}
        order by ${title}, id limit ?`,
        after ? [after[0], after[0], after[1], limit + 1] : [limit + 1],
      );
    return pageOf(
      rows,
      limit,
      (row) => [row.title, row.id],
      (row) => ({
        id: row.id,
        translations: row.translations,
        createdBy: row.created_by,
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
      }),
    );
  }
}

const titlesOf = (translations: MacroEntity['translations']) => Object.fromEntries(Object.entries(translations).map(([locale, text]) => [locale, text.title]));

/** Each macro write goes to the admin audit log in the same transaction. */
@Injectable()
export class CreateMacro {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** `actor` is the admin; a tool (the demo seed) acts as the command line. */
  async execute(input: unknown, adminId: string, actor: AdminAuditActor = COMMAND_LINE_ACTOR): Promise<MacroView> {
    const { translations } = parseMacroInput(input);
    const em = this.em.fork();
    const now = this.clock.now();
    const row = em.create(MacroEntity, { id: randomUUID(), translations, createdBy: adminId, createdAt: now, updatedAt: now });
    this.audit.record(em, { actor, action: 'macro.created', target: { type: 'macro', id: row.id }, details: { titles: titlesOf(translations) } }, now);
    await em.flush();
    return toMacroView(row);
  }
}

@Injectable()
export class UpdateMacro {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(id: string, input: unknown, actor: AdminAuditActor): Promise<MacroView> {
    const { translations } = parseMacroInput(input);
    const em = this.em.fork();
    const row = await findMacro(em, id);
    const now = this.clock.now();
    const changes = changesBetween(row.translations, translations, Object.keys(translations) as MessageLocale[]);
    this.audit.record(em, { actor, action: 'macro.updated', target: { type: 'macro', id: row.id }, details: { changes } }, now);
    em.assign(row, { translations, updatedAt: now });
    await em.flush();
    return toMacroView(row);
  }
}

/** Messages that used a deleted macro keep its id as history; nothing else refers to it. */
@Injectable()
export class DeleteMacro {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(id: string, actor: AdminAuditActor): Promise<void> {
    const em = this.em.fork();
    const row = await findMacro(em, id);
    this.audit.record(em, { actor, action: 'macro.deleted', target: { type: 'macro', id: row.id }, details: { titles: titlesOf(row.translations) } }, this.clock.now());
    em.remove(row);
    await em.flush();
  }
}
