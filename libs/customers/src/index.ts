// The conversation on a case (agents ↔ customer, agents ↔ merchant) and macros.
export { ConversationModule } from './conversation/conversation.module';
export { PostCaseMessage, type PostCaseMessageCommand } from './conversation/post-case-message';
export { ListCaseMessages, type CaseConversationView } from './conversation/list-case-messages';
export type { ConversationParticipant } from './conversation/participant';
export { toMerchantMessageView, type CaseMessageView, type MerchantMessageView } from './conversation/case-message-view';
export { AGENT_REPLIED_TOPIC, MERCHANT_MESSAGE_TOPIC, INBOX_TYPE_OF_REPLY } from './conversation/conversation-topics';
export { MAX_MESSAGE_LENGTH, MESSAGE_LOCALES } from './conversation/message-input';
export { ListMacros, CreateMacro, UpdateMacro, DeleteMacro, type MacroView } from './macros/manage-macros';
export { RenderMacro, type RenderedMacro } from './macros/render-macro';
export { MACRO_PLACEHOLDERS } from './macros/macro-template';
