import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Input, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, withQuery } from '../api/client';
import { queryKeys, useMacros } from '../api/hooks';
import type { CaseConversation, CaseMessage, MessageLocale, MessageParty, RenderedMacro } from '../api/types';
import { LOCALES, useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';

const POLL_MS = 5_000;
/** The API's limit (MAX_MESSAGE_LENGTH in libs/customers). */
const MAX_LENGTH = 5000;

function MessageBubble({ message }: { message: CaseMessage }) {
  const i18n = useI18n();
  const outbound = message.direction === 'outbound';
  const who = outbound
    ? i18n.t('conversation.from.agent', { name: message.author.displayName ?? '' })
    : i18n.t(message.author.kind === 'merchant' ? 'conversation.from.merchant' : 'conversation.from.customer');
  return (
    <div
      data-testid="conversation-message"
      data-direction={message.direction}
      data-locale={message.locale}
      style={{ display: 'flex', justifyContent: outbound ? 'flex-end' : 'flex-start' }}
    >
      <div style={{ maxWidth: '80%', background: outbound ? '#e6f4ff' : '#f5f5f5', borderRadius: 8, padding: '6px 10px' }}>
        <Space size="small" wrap>
          <Typography.Text strong>{who}</Typography.Text>
          <Typography.Text type="secondary">{i18n.dateTime(message.createdAt)}</Typography.Text>
          <Tag>{LOCALES[message.locale].name}</Tag>
        </Space>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="conversation-body">
          {message.body}
        </Typography.Paragraph>
      </div>
    </div>
  );
}

/**
 * The case's conversation with the customer and, on disputes, the merchant: the thread and a
 * reply box with a macro picker. A reply goes out in the party's language (the one they last
 * wrote in) unless the agent picks another; macros are filled in by the API for this case.
 */
export function ConversationPanel({ caseId }: { caseId: string }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const [party, setParty] = useState<MessageParty>('customer');
  const [chosenLocale, setChosenLocale] = useState<MessageLocale | null>(null);
  const [body, setBody] = useState('');
  const [macroId, setMacroId] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const conversation = useQuery({
    queryKey: queryKeys.messages(caseId),
    queryFn: () => api<CaseConversation>('GET', `/v1/cases/${encodeURIComponent(caseId)}/messages`),
    refetchInterval: POLL_MS,
  });
  const macros = useMacros();
  const threadRef = useRef<HTMLDivElement>(null);
  const messageCount = conversation.data?.messages.length ?? 0;
  useEffect(() => {
    // The newest message is what the agent answers: keep it in view as messages arrive.
    const thread = threadRef.current;
    if (thread) thread.scrollTop = thread.scrollHeight;
  }, [messageCount, party]);

  if (conversation.isPending) return <Spin />;
  if (conversation.isError) return <Alert type="error" showIcon title={errorText(conversation.error, i18n)} />;
  const { replyLocales, messages } = conversation.data;
  const hasMerchant = replyLocales.merchant !== null;
  const current: MessageParty = hasMerchant ? party : 'customer';
  const locale = chosenLocale ?? replyLocales[current] ?? 'zh-CN';
  const thread = messages.filter((message) => message.party === current);

  const switchParty = (next: MessageParty) => {
    setParty(next);
    setChosenLocale(null);
    setMacroId(null);
  };
  const insertMacro = async (id: string) => {
    setError(null);
    try {
      const rendered = await api<RenderedMacro>('GET', withQuery(`/v1/macros/${encodeURIComponent(id)}/render`, { caseId, party: current, locale }));
      setBody(rendered.body);
      setMacroId(id);
    } catch (failure) {
      setError(failure);
    }
  };
  const send = async () => {
    if (!body.trim()) return;
    setPending(true);
    setError(null);
    try {
      await api('POST', `/v1/cases/${encodeURIComponent(caseId)}/messages`, { party: current, body: body.trim(), locale, ...(macroId ? { macroId } : {}) });
      setBody('');
      setMacroId(null);
      toast.success(i18n.t('conversation.sent'));
      await queryClient.invalidateQueries({ queryKey: queryKeys.messages(caseId) });
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="conversation" data-party={current}>
      {hasMerchant && (
        <Segmented
          data-testid="conversation-party"
          value={current}
          onChange={(value) => switchParty(value as MessageParty)}
          options={(['customer', 'merchant'] as const).map((value) => ({ value, label: i18n.t(`conversation.party.${value}`) }))}
        />
      )}
      <div ref={threadRef} data-testid="conversation-thread" style={{ display: 'flex', flexDirection: 'column', gap: 8, maxHeight: 420, overflowY: 'auto' }}>
        {thread.length === 0 ? <Empty description={i18n.t(`conversation.empty.${current}`)} /> : thread.map((message) => <MessageBubble key={message.id} message={message} />)}
      </div>
      <Space wrap>
        <Typography.Text type="secondary">
          {i18n.t('conversation.to')}: {i18n.t(`conversation.party.${current}`)}
        </Typography.Text>
        <Typography.Text type="secondary">{i18n.t('conversation.language')}:</Typography.Text>
        <Select
          data-testid="reply-locale"
          size="small"
          value={locale}
          onChange={(value: MessageLocale) => setChosenLocale(value)}
          options={(Object.keys(LOCALES) as MessageLocale[]).map((value) => ({ value, label: LOCALES[value].name }))}
          style={{ width: 110 }}
        />
        <Select
          data-testid="macro-picker"
          size="small"
          placeholder={i18n.t('conversation.macro')}
          value={macroId}
          onChange={(id: string) => void insertMacro(id)}
          loading={macros.isPending}
          notFoundContent={i18n.t('conversation.noMacros')}
          options={(macros.data ?? []).map((macro) => ({ value: macro.id, label: macro.translations[i18n.locale].title }))}
          style={{ minWidth: 220 }}
          popupMatchSelectWidth={false}
        />
      </Space>
      <Input.TextArea
        value={body}
        onChange={(event) => setBody(event.target.value)}
        placeholder={i18n.t(`conversation.placeholder.${current}`)}
        autoSize={{ minRows: 3, maxRows: 10 }}
        maxLength={MAX_LENGTH}
        data-testid="reply-input"
      />
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} />}
      <Space>
        <Button type="primary" onClick={() => void send()} loading={pending} disabled={!body.trim()} data-testid="reply-send">
          {i18n.t('conversation.send')}
        </Button>
        <Typography.Text type="secondary">{i18n.t('conversation.notesApart')}</Typography.Text>
      </Space>
    </Space>
  );
}
