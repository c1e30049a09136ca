import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Input, List, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { queryKeys } from '../api/hooks';
import { queueWorkKeys, useRelatedCases } from '../api/queue-work';
import type { CaseDetail, CaseSummary } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The case's relations: the cases agents linked to it, the customer's other cases and the
 * transaction's other cases. From here an agent links a case, or merges this one (a duplicate)
 * into an open case of the same customer or transaction.
 */
export function RelatedCasesCard({ detail }: { detail: CaseDetail }) {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const related = useRelatedCases(detail.id);
  const [error, setError] = useState<unknown>(null);
  const [linkId, setLinkId] = useState('');

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: queueWorkKeys.related(detail.id) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.case(detail.id) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.timeline(detail.id) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.cases }),
    ]);
  };
  const run = async (call: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await call();
      if (done) void message.success(done);
    } catch (failure) {
      setError(failure);
    } finally {
      await refresh();
    }
  };
  const link = (otherId: string) => run(() => api('POST', `/v1/cases/${detail.id}/links`, { caseId: otherId }));
  const unlink = (otherId: string) => run(() => api('DELETE', `/v1/cases/${detail.id}/links/${otherId}`));
  const merge = (original: CaseSummary) =>
    run(() => api('POST', `/v1/cases/${detail.id}/merge`, { intoCaseId: original.id, expectedVersion: detail.version }), i18n.t('related.merge'));

  if (related.isPending || related.isError) {
    return (
      <Card title={i18n.t('related.title')} size="small" data-testid="related-cases">
        {related.isError ? <Alert type="error" showIcon title={errorText(related.error, i18n)} /> : <Spin />}
      </Card>
    );
  }
  const { links, sameCustomer, sameTransaction, mergedInto } = related.data;
  const linked = new Set(links.map((entry) => entry.case.id));
  const canMergeInto = (other: CaseSummary) => detail.status === 'active' && other.status === 'active' && !mergedInto;

  const row = (other: CaseSummary, extra: ReactNode[] = []) => (
    <List.Item key={other.id} data-related-case={other.id} actions={extra}>
      <Space orientation="vertical" size={0}>
        <Link to={`/cases/${other.id}`}>{other.subject}</Link>
        <Typography.Text type="secondary">
          {i18n.kind(other.kind)} · {i18n.state(other.state)} · {i18n.dateTime(other.createdAt)}
        </Typography.Text>
      </Space>
    </List.Item>
  );
  const actions = (other: CaseSummary) => [
    ...(linked.has(other.id)
      ? []
      : [
          <Button key="link" size="small" onClick={() => void link(other.id)} data-testid="related-link">
            {i18n.t('related.link')}
          </Button>,
        ]),
    ...(canMergeInto(other)
      ? [
          <Popconfirm
            key="merge"
            title={i18n.t('related.mergeConfirm', { subject: other.subject })}
            onConfirm={() => void merge(other)}
            okButtonProps={{ ...{ 'data-testid': 'merge-confirm' } }}
          >
            <Button size="small" danger data-testid="related-merge">
              {i18n.t('related.mergeInto')}
            </Button>
          </Popconfirm>,
        ]
      : []),
  ];
  const section = (title: string, items: CaseSummary[], testId: string) => (
    <div data-testid={testId}>
      <Typography.Text strong>{title}</Typography.Text>
      {items.length === 0 ? (
        <div>
          <Typography.Text type="secondary">{i18n.t('related.none')}</Typography.Text>
        </div>
      ) : (
        <List size="small" dataSource={items} renderItem={(other) => row(other, actions(other))} />
      )}
    </div>
  );

  return (
    <Card title={i18n.t('related.title')} size="small" data-testid="related-cases">
      <Space orientation="vertical" style={{ width: '100%' }}>
        {mergedInto && (
          <Alert
            type="info"
            showIcon
            data-testid="merged-into"
            title={i18n.t('related.mergedInto')}
            action={<Link to={`/cases/${mergedInto}`}>{i18n.t('related.openOriginal')}</Link>}
          />
        )}
        {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} data-testid="related-error" />}
        <div data-testid="related-links">
          <Typography.Text strong>{i18n.t('related.linked')}</Typography.Text>
          {links.length === 0 ? (
            <div>
              <Typography.Text type="secondary">{i18n.t('related.none')}</Typography.Text>
            </div>
          ) : (
            <List
              size="small"
              dataSource={links}
              renderItem={(entry) =>
                row(entry.case, [
                  <Tag key="kind" color={entry.kind === 'duplicate' ? 'purple' : 'default'}>
                    {entry.kind === 'duplicate' && entry.case.state === 'merged' ? i18n.t('related.mergedHere') : i18n.t(`related.kind.${entry.kind}`)}
                  </Tag>,
                  ...(entry.kind === 'related'
                    ? [
                        <Button key="unlink" size="small" type="link" onClick={() => void unlink(entry.case.id)} data-testid="related-unlink">
                          {i18n.t('related.unlink')}
                        </Button>,
                      ]
                    : []),
                ])
              }
            />
          )}
        </div>
        {section(i18n.t('related.sameCustomer'), sameCustomer, 'related-same-customer')}
        {detail.transactionRef && section(i18n.t('related.sameTransaction'), sameTransaction, 'related-same-transaction')}
        <Input.Search
          size="small"
          value={linkId}
          onChange={(event) => setLinkId(event.target.value)}
          placeholder={i18n.t('related.linkById')}
          enterButton={i18n.t('related.link')}
          onSearch={(value) => {
            if (!UUID.test(value.trim())) return;
            void link(value.trim()).then(() => setLinkId(''));
          }}
          data-testid="related-link-id"
        />
      </Space>
    </Card>
  );
}
