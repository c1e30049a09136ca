import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Drawer, Empty, List, Space, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, withQuery } from '../api/client';
import { INBOX_POLL_MS, queryKeys } from '../api/hooks';
import type { InboxEntry } from '../api/types';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';

const TITLE_OF: Record<string, MessageKey> = {
  'conversation.customer_replied': 'inbox.type.customerReplied',
  'conversation.merchant_replied': 'inbox.type.merchantReplied',
  'sla.reminder': 'inbox.type.slaReminder',
  'sla.breached': 'inbox.type.slaBreached',
  'refund_request.rejection_contested': 'inbox.type.rejectionContested',
};

/** What an entry says happened: by its type, or for the four-eyes alerts every kind sends (`<kind>.approval_…`) by the suffix. */
function titleOf(type: string): MessageKey {
  if (type.endsWith('.approval_requested')) return 'inbox.type.approvalRequested';
  if (type.endsWith('.approval_overdue')) return 'inbox.type.approvalOverdue';
  return TITLE_OF[type] ?? 'inbox.type.other';
}

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false" fill="currentColor">
      <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-5.5-1.5-1.8V10a5.5 5.5 0 0 0-4.5-5.41V3.5a1 1 0 1 0-2 0v1.09A5.5 5.5 0 0 0 6.5 10v4.7L5 16.5V18h14v-1.5Z" />
    </svg>
  );
}

/**
 * The agent inbox in the header: a bell with the unread count, polled so a customer's reply shows
 * up within INBOX_POLL_MS without a reload, and a drawer listing the entries; opening one marks it
 * read and goes to its case.
 */
export function InboxBell() {
  const i18n = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [markError, setMarkError] = useState<unknown>(null);
  const count = useQuery({
    queryKey: queryKeys.inboxCount,
    queryFn: () => api<{ unread: number }>('GET', '/v1/notifications/unread-count'),
    refetchInterval: INBOX_POLL_MS,
  });
  const entries = useQuery({
    queryKey: [...queryKeys.inbox, 'list', unreadOnly],
    queryFn: () => api<InboxEntry[]>('GET', withQuery('/v1/notifications', { unread: unreadOnly ? 'true' : undefined })),
    enabled: open,
    refetchInterval: open ? INBOX_POLL_MS : false,
  });
  const unread = count.data?.unread ?? 0;

  const markRead = async (entry: InboxEntry) => {
    setMarkError(null);
    try {
      if (!entry.readAt) await api('POST', `/v1/notifications/${entry.id}/read`);
    } catch (error) {
      setMarkError(error);
      throw error;
    } finally {
      void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
    }
  };
  const openCase = async (entry: InboxEntry) => {
    // Going to the case matters more than the read mark: a failed mark is shown, the case still opens.
    await markRead(entry).catch(() => undefined);
    if (!entry.caseId) return;
    setOpen(false);
    void navigate(`/cases/${entry.caseId}`);
  };

  return (
    <>
      <Badge count={unread} overflowCount={99} size="small" data-testid="inbox-count">
        <Button
          shape="circle"
          icon={<BellIcon />}
          aria-label={i18n.t('inbox.bell', { count: unread })}
          title={i18n.t('inbox.bell', { count: unread })}
          onClick={() => setOpen(true)}
          data-testid="inbox-bell"
          data-unread={unread}
        />
      </Badge>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={i18n.t('inbox.title')}
        size={440}
        extra={
          <Space>
            <Typography.Text>{i18n.t('inbox.unreadOnly')}</Typography.Text>
            <Switch size="small" checked={unreadOnly} onChange={setUnreadOnly} data-testid="inbox-unread-only" />
          </Space>
        }
      >
        {markError !== null && <Alert type="error" showIcon title={errorText(markError, i18n)} style={{ marginBottom: 12 }} />}
        {entries.isError ? (
          <Alert type="error" showIcon title={errorText(entries.error, i18n)} />
        ) : entries.data?.length === 0 ? (
          <Empty description={i18n.t('inbox.empty')} />
        ) : (
          <List
            data-testid="inbox-list"
            loading={entries.isPending}
            dataSource={entries.data ?? []}
            renderItem={(entry) => (
              <List.Item
                data-testid="inbox-entry"
                data-case-id={entry.caseId ?? ''}
                data-type={entry.type}
                data-read={entry.readAt ? 'true' : 'false'}
                style={{ cursor: entry.caseId ? 'pointer' : undefined, background: entry.readAt ? undefined : '#e6f4ff', paddingInline: 8 }}
                onClick={() => void openCase(entry)}
                actions={
                  entry.readAt
                    ? [
                        <Typography.Text key="read" type="secondary">
                          {i18n.t('inbox.read')}
                        </Typography.Text>,
                      ]
                    : [
                        <Button
                          key="read"
                          size="small"
                          data-testid="inbox-mark-read"
                          onClick={(event) => {
                            event.stopPropagation();
                            void markRead(entry).catch(() => undefined);
                          }}
                        >
                          {i18n.t('inbox.markRead')}
                        </Button>,
                      ]
                }
              >
                <List.Item.Meta
                  title={
                    <Space size="small" wrap>
                      <Typography.Text strong={!entry.readAt}>{i18n.t(titleOf(entry.type))}</Typography.Text>
                      {entry.audience === 'supervisors' && <Tag>{i18n.t('inbox.supervisors')}</Tag>}
                    </Space>
                  }
                  description={
                    <Space orientation="vertical" size={0}>
                      {entry.payload.subject && <Typography.Text>{entry.payload.subject}</Typography.Text>}
                      {entry.payload.excerpt && (
                        <Typography.Text type="secondary" ellipsis>
                          “{entry.payload.excerpt}”
                        </Typography.Text>
                      )}
                      <Typography.Text type="secondary">{i18n.dateTime(entry.createdAt)}</Typography.Text>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Drawer>
    </>
  );
}
