import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Form, Input, List, Modal, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import { queueWorkKeys, useSavedViews, type SavedView, type SavedViewQuery } from '../api/queue-work';
import type { Agent } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';

export interface SavedViewsBarProps {
  me: Agent;
  /** The queue as the URL has it now: what "Save view" stores. */
  current: SavedViewQuery;
  onOpen(query: SavedViewQuery): void;
}

const sameQuery = (a: SavedViewQuery, b: SavedViewQuery) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** The agent's saved queue views (and the team's shared ones): open one, save the queue as one, rename, share or delete. */
export function SavedViewsBar({ me, current, onOpen }: SavedViewsBarProps) {
  const i18n = useI18n();
  const views = useSavedViews();
  const [saving, setSaving] = useState(false);
  const [managing, setManaging] = useState(false);
  const all = views.data ?? [];
  const active = all.find((view) => sameQuery(view.query, current));
  const option = (view: SavedView) => ({ value: view.id, label: view.name, 'data-view': view.name });
  return (
    <Space size="small" data-testid="saved-views">
      <Select
        style={{ width: 230 }}
        placeholder={i18n.t('views.pick')}
        value={active?.id ?? null}
        loading={views.isPending}
        notFoundContent={i18n.t('views.none')}
        onChange={(id: string) => {
          const view = all.find((candidate) => candidate.id === id);
          if (view) onOpen(view.query);
        }}
        options={[
          { label: i18n.t('views.mine'), options: all.filter((view) => view.mine).map(option) },
          ...(all.some((view) => !view.mine) ? [{ label: i18n.t('views.shared'), options: all.filter((view) => !view.mine).map(option) }] : []),
        ]}
        data-testid="saved-view-select"
      />
      <Button onClick={() => setSaving(true)} data-testid="saved-view-save">
        {i18n.t('views.save')}
      </Button>
      <Button type="link" onClick={() => setManaging(true)} data-testid="saved-view-manage">
        {i18n.t('views.manage')}
      </Button>
      {saving && <SaveViewModal me={me} query={current} onClose={() => setSaving(false)} />}
      {managing && <ManageViewsModal me={me} views={all.filter((view) => view.mine)} onClose={() => setManaging(false)} />}
    </Space>
  );
}

function SaveViewModal({ me, query, onClose }: { me: Agent; query: SavedViewQuery; onClose(): void }) {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const save = async ({ name, shared }: { name: string; shared?: boolean }) => {
    setPending(true);
    setError(null);
    try {
      await api<SavedView>('POST', '/v1/saved-views', { name: name.trim(), query, ...(shared ? { shared: true } : {}) });
      await queryClient.invalidateQueries({ queryKey: queueWorkKeys.savedViews });
      void message.success(i18n.t('views.saved'));
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };
  return (
    <Modal
      open
      title={i18n.t('views.save')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: pending, ...{ 'data-testid': 'saved-view-confirm' } }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(values) => void save(values)}>
        <Form.Item name="name" label={i18n.t('views.name')} rules={[{ required: true, whitespace: true, max: 80 }]}>
          <Input autoFocus maxLength={80} placeholder={i18n.t('views.namePlaceholder')} data-testid="saved-view-name" />
        </Form.Item>
        {me.role !== 'agent' && (
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox data-testid="saved-view-shared">{i18n.t('views.share')}</Checkbox>
          </Form.Item>
        )}
      </Form>
      {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} />}
    </Modal>
  );
}

function ManageViewsModal({ me, views, onClose }: { me: Agent; views: SavedView[]; onClose(): void }) {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const run = async (call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
      setRenaming(null);
    } catch (failure) {
      setError(failure);
    } finally {
      await queryClient.invalidateQueries({ queryKey: queueWorkKeys.savedViews });
    }
  };
  return (
    <Modal open title={i18n.t('views.manage')} onCancel={onClose} footer={null} destroyOnHidden>
      {error !== null && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorText(error, i18n)} />}
      <List
        dataSource={views}
        locale={{ emptyText: i18n.t('views.none') }}
        renderItem={(view) => (
          <List.Item
            data-view={view.name}
            actions={[
              ...(me.role !== 'agent'
                ? [
                    <Checkbox key="share" checked={view.shared} onChange={(event) => void run(() => api('PATCH', `/v1/saved-views/${view.id}`, { shared: event.target.checked }))}>
                      {i18n.t('views.shared')}
                    </Checkbox>,
                  ]
                : []),
              <Button key="rename" size="small" onClick={() => setRenaming({ id: view.id, name: view.name })} data-testid="saved-view-rename">
                {i18n.t('views.rename')}
              </Button>,
              <Popconfirm key="delete" title={i18n.t('views.deleteConfirm', { name: view.name })} onConfirm={() => void run(() => api('DELETE', `/v1/saved-views/${view.id}`))}>
                <Button size="small" danger data-testid="saved-view-delete">
                  {i18n.t('views.delete')}
                </Button>
              </Popconfirm>,
            ]}
          >
            {renaming?.id === view.id ? (
              <Input
                autoFocus
                size="small"
                maxLength={80}
                value={renaming.name}
                onChange={(event) => setRenaming({ id: view.id, name: event.target.value })}
                onPressEnter={() => renaming.name.trim() && void run(() => api('PATCH', `/v1/saved-views/${view.id}`, { name: renaming.name.trim() }))}
                data-testid="saved-view-rename-input"
              />
            ) : (
              <Space>
                <Typography.Text>{view.name}</Typography.Text>
                {view.shared && <Tag color="blue">{i18n.t('views.shared')}</Tag>}
              </Space>
            )}
          </List.Item>
        )}
      />
    </Modal>
  );
}
