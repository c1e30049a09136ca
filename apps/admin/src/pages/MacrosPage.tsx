import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Result, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useOutletContext } from 'react-router';
import { api } from '../api/client';
import { queryKeys, useMacros } from '../api/hooks';
import type { Agent, Macro, MessageLocale } from '../api/types';
import { LOCALES, useI18n } from '../i18n/i18n';
import { errorText, invalidFields } from '../lib/errors';
import { atLeast } from './AppLayout';

type Draft = Macro['translations'];
const EMPTY: Draft = { 'zh-CN': { title: '', body: '' }, en: { title: '', body: '' } };
const LANGUAGES = Object.keys(LOCALES) as MessageLocale[];

/** Canned replies for admins: a title and a text in every language; placeholders are filled per case by the API. */
export default function MacrosPage() {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const allowed = atLeast(me, 'admin');
  const macros = useMacros(allowed);
  const [editing, setEditing] = useState<{ id: string | null; draft: Draft } | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!allowed) return <Result status="403" title={i18n.t('macros.forbidden')} />;

  const save = async () => {
    if (!editing) return;
    setPending(true);
    setError(null);
    try {
      const body = { translations: editing.draft };
      await (editing.id ? api('PUT', `/v1/macros/${editing.id}`, body) : api('POST', '/v1/macros', body));
      setEditing(null);
      toast.success(i18n.t('macros.saved'));
      await queryClient.invalidateQueries({ queryKey: queryKeys.macros });
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };
  const remove = async (id: string) => {
    setError(null);
    try {
      await api('DELETE', `/v1/macros/${id}`);
    } catch (failure) {
      setError(failure);
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.macros });
  };
  const setField = (locale: MessageLocale, field: 'title' | 'body', value: string) =>
    setEditing((current) => current && { ...current, draft: { ...current.draft, [locale]: { ...current.draft[locale], [field]: value } } });
  const bad = new Set(invalidFields(error));

  return (
    <Card
      title={i18n.t('macros.title')}
      extra={
        <Button
          type="primary"
          onClick={() => {
            setError(null);
            setEditing({ id: null, draft: EMPTY });
          }}
          data-testid="macro-add"
        >
          {i18n.t('macros.add')}
        </Button>
      }
    >
      {error !== null && !editing && <Alert type="error" showIcon title={errorText(error, i18n)} style={{ marginBottom: 12 }} />}
      {macros.isError ? (
        <Alert type="error" showIcon title={errorText(macros.error, i18n)} />
      ) : (
        <Table
          data-testid="macros"
          rowKey="id"
          loading={macros.isPending}
          dataSource={macros.data ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={i18n.t('macros.empty')} /> }}
          columns={[
            ...LANGUAGES.map((locale) => ({
              title: i18n.t('macros.titleIn', { language: LOCALES[locale].name }),
              key: locale,
              render: (_: unknown, macro: Macro) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong>{macro.translations[locale].title}</Typography.Text>
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 420 }}>
                    {macro.translations[locale].body}
                  </Typography.Text>
                </Space>
              ),
            })),
            {
              title: '',
              key: 'actions',
              render: (_: unknown, macro: Macro) => (
                <Space>
                  <Button
                    size="small"
                    onClick={() => {
                      setError(null);
                      setEditing({ id: macro.id, draft: macro.translations });
                    }}
                  >
                    {i18n.t('macros.edit')}
                  </Button>
                  <Popconfirm
                    title={i18n.t('macros.deleteConfirm')}
                    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Popconfirm's OK button spins until a returned promise settles (its type says void)
                    onConfirm={() => remove(macro.id)}
                    okText={i18n.t('macros.delete')}
                    cancelText={i18n.t('macros.cancel')}
                  >
                    <Button size="small" danger>
                      {i18n.t('macros.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={editing !== null}
        title={editing?.id ? i18n.t('macros.edit') : i18n.t('macros.add')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={i18n.t('macros.save')}
        cancelText={i18n.t('macros.cancel')}
        confirmLoading={pending}
        width={720}
      >
        {editing && (
          <Form layout="vertical">
            <Typography.Paragraph type="secondary">{i18n.t('macros.placeholders')}</Typography.Paragraph>
            {LANGUAGES.map((locale) => (
              <div key={locale}>
                <Form.Item label={i18n.t('macros.titleIn', { language: LOCALES[locale].name })} validateStatus={bad.has(`translations.${locale}.title`) ? 'error' : undefined}>
                  <Input
                    value={editing.draft[locale].title}
                    onChange={(event) => setField(locale, 'title', event.target.value)}
                    maxLength={120}
                    data-testid={`macro-title-${locale}`}
                  />
                </Form.Item>
                <Form.Item label={i18n.t('macros.bodyIn', { language: LOCALES[locale].name })} validateStatus={bad.has(`translations.${locale}.body`) ? 'error' : undefined}>
                  <Input.TextArea
                    value={editing.draft[locale].body}
                    onChange={(event) => setField(locale, 'body', event.target.value)}
                    autoSize={{ minRows: 3, maxRows: 8 }}
                    maxLength={5000}
                    data-testid={`macro-body-${locale}`}
                  />
                </Form.Item>
              </div>
            ))}
            {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} />}
          </Form>
        )}
      </Modal>
    </Card>
  );
}
