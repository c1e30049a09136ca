import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { MacroEntity, type MacroTranslation, type MessageLocale } from '@app/db';
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

@Injectable()
export class ListMacros {
  constructor(private readonly em: EntityManager) {}

  /** Sorted by the title in the reader's language, as the picker shows them. */
  async execute(locale: MessageLocale = 'zh-CN'): Promise<MacroView[]> {
    const rows = await this.em.fork().find(MacroEntity, {}, { orderBy: { createdAt: 'asc' } });
    return rows.map(toMacroView).sort((a, b) => a.translations[locale].title.localeCompare(b.translations[locale].title, locale));
  }
}

@Injectable()
export class CreateMacro {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(input: unknown, adminId: string): Promise<MacroView> {
    const { translations } = parseMacroInput(input);
    const em = this.em.fork();
    const now = this.clock.now();
    const row = em.create(MacroEntity, { id: randomUUID(), translations, createdBy: adminId, createdAt: now, updatedAt: now });
    await em.flush();
    return toMacroView(row);
  }
}

@Injectable()
export class UpdateMacro {
  constructor(
    private readonly em: EntityManager,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(id: string, input: unknown): Promise<MacroView> {
    const { translations } = parseMacroInput(input);
    const em = this.em.fork();
    const row = await findMacro(em, id);
    em.assign(row, { translations, updatedAt: this.clock.now() });
    await em.flush();
    return toMacroView(row);
  }
}

/** Messages that used a deleted macro keep its id as history; nothing else refers to it. */
@Injectable()
export class DeleteMacro {
  constructor(private readonly em: EntityManager) {}

  async execute(id: string): Promise<void> {
    const em = this.em.fork();
    em.remove(await findMacro(em, id));
    await em.flush();
  }
}
