import { Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { CreateMacro, DeleteMacro, ListMacros, UpdateMacro } from '../macros/manage-macros';
import { RenderMacro } from '../macros/render-macro';
import { ListCaseMessages } from './list-case-messages';
import { PostCaseMessage } from './post-case-message';

const USE_CASES = [PostCaseMessage, ListCaseMessages, ListMacros, CreateMacro, UpdateMacro, DeleteMacro, RenderMacro];

/** A case's conversation with the customer and the merchant, and the canned replies agents use. Needs CasesModule's app setup. */
// The admin audit log records macro writes.
@Module({ imports: [CasesModule, AuditModule], providers: USE_CASES, exports: USE_CASES })
export class ConversationModule {}
