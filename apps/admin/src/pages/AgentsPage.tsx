import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Popconfirm, Result, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useOutletContext } from 'react-router';
import { api, withQuery, type Page } from '../api/client';
import { queryKeys } from '../api/hooks';
import type { Agent, AgentAccount, AgentRole } from '../api/types';
import { LOCALES, useI18n, type Locale } from '../i18n/i18n';
import { errorText, invalidFields } from '../lib/errors';
import { atLeast } from './AppLayout';

const ROLES: AgentRole[] = ['agent', 'supervisor', 'admin'];
/** The API refuses shorter passwords (MIN_PASSWORD_LENGTH); the form says so before asking. */
const MIN_PASSWORD_LENGTH = 10;

interface NewAgent {
  displayName: string;
  email: string;
  role: AgentRole;
  password: string;
  locale: Locale;
}

/**
 * The desk's accounts. Admins create agents, change roles, deactivate and reactivate them (the API
 * ends a deactivated agent's sessions at once), reset passwords and lost second factors;
 * supervisors see the list; agents are kept out. Every change is in the admin audit log.
 */
export default function AgentsPage() {
  const i18n = useI18n();
  const me = useOutletContext<Agent>();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const allowed = atLeast(me, 'supervisor');
  const isAdmin = atLeast(me, 'admin');
  const list = useInfiniteQuery({
    queryKey: [...queryKeys.agents, 'accounts', isAdmin],
    // Admins see the deactivated agents too, to bring them back.
    queryFn: ({ pageParam }) => api<Page<AgentAccount>>('GET', withQuery('/v1/agents', { includeInactive: isAdmin ? 'true' : undefined, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AgentAccount | null>(null);
  if (!allowed) return <Result status="403" title={i18n.t('agents.forbidden')} />;

  /** One change to one agent; the list (and every agent picker) reloads whatever the answer. */
  const change = async (agentId: string, request: () => Promise<unknown>, done = i18n.t('agents.saved')) => {
    setError(null);
    setBusy(agentId);
    try {
      await request();
      toast.success(done);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
      await queryClient.invalidateQueries({ queryKey: queryKeys.agents });
    }
  };

  const columns = [
    {
      title: i18n.t('agents.col.name'),
      key: 'name',
      render: (_: unknown, agent: AgentAccount) => (
        <Space size={4}>
          <Typography.Text strong data-testid="agent-name">
            {agent.displayName}
          </Typography.Text>
          {agent.id === me.id && <Tag>{i18n.t('agents.you')}</Tag>}
        </Space>
      ),
    },
    { title: i18n.t('agents.col.email'), dataIndex: 'email', key: 'email' },
    {
      title: i18n.t('agents.col.role'),
      key: 'role',
      render: (_: unknown, agent: AgentAccount) =>
        isAdmin ? (
          <Select
            data-testid="agent-role"
            size="small"
            style={{ minWidth: 120 }}
            value={agent.role}
            disabled={busy === agent.id || !agent.active}
            onChange={(role: AgentRole) => void change(agent.id, () => api('PATCH', `/v1/agents/${agent.id}`, { role }))}
            options={ROLES.map((role) => ({ value: role, label: i18n.t(`role.${role}`) }))}
          />
        ) : (
          <span data-testid="agent-role">{i18n.t(`role.${agent.role}`)}</span>
        ),
    },
    {
      title: i18n.t('agents.col.status'),
      key: 'status',
      render: (_: unknown, agent: AgentAccount) => (
        <Tag color={agent.active ? 'green' : 'default'} data-testid="agent-status" data-active={String(agent.active)}>
          {i18n.t(agent.active ? 'agents.active' : 'agents.inactive')}
        </Tag>
      ),
    },
    {
      title: i18n.t('agents.col.totp'),
      key: 'totp',
      render: (_: unknown, agent: AgentAccount) => (
        <Tag color={agent.totpEnabled ? 'blue' : 'default'} data-testid="agent-totp" data-totp={String(Boolean(agent.totpEnabled))}>
          {i18n.t(agent.totpEnabled ? 'agents.totpOn' : 'agents.totpOff')}
        </Tag>
      ),
    },
    {
      title: i18n.t('agents.col.lastLogin'),
      key: 'lastLogin',
      render: (_: unknown, agent: AgentAccount) => <span data-testid="agent-last-login">{agent.lastLoginAt ? i18n.dateTime(agent.lastLoginAt) : i18n.t('agents.never')}</span>,
    },
    ...(isAdmin
      ? [
          {
            title: '',
            key: 'actions',
            render: (_: unknown, agent: AgentAccount) => (
              <Space wrap>
                {agent.active ? (
                  <Popconfirm
                    title={i18n.t('agents.deactivateConfirm', { name: agent.displayName })}
                    okText={i18n.t('agents.deactivate')}
                    cancelText={i18n.t('agents.cancel')}
                    okButtonProps={{ danger: true, 'data-testid': 'confirm-deactivate' }}
                    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Popconfirm's OK button spins until a returned promise settles (its type says void)
                    onConfirm={() => change(agent.id, () => api('PATCH', `/v1/agents/${agent.id}`, { active: false }))}
                  >
                    <Button size="small" danger loading={busy === agent.id} data-testid="agent-deactivate">
                      {i18n.t('agents.deactivate')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button
                    size="small"
                    loading={busy === agent.id}
                    data-testid="agent-reactivate"
                    onClick={() => void change(agent.id, () => api('PATCH', `/v1/agents/${agent.id}`, { active: true }))}
                  >
                    {i18n.t('agents.reactivate')}
                  </Button>
                )}
                <Button
                  size="small"
                  data-testid="agent-reset-password"
                  onClick={() => {
                    setError(null);
                    setResetting(agent);
                  }}
                >
                  {i18n.t('agents.resetPassword')}
                </Button>
                {agent.totpEnabled && agent.id !== me.id && (
                  <Popconfirm
                    title={i18n.t('agents.resetTotpConfirm', { name: agent.displayName })}
                    okText={i18n.t('agents.yes')}
                    cancelText={i18n.t('agents.cancel')}
                    okButtonProps={{ danger: true, 'data-testid': 'confirm-reset-totp' }}
                    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Popconfirm's OK button spins until a returned promise settles (its type says void)
                    onConfirm={() => change(agent.id, () => api('DELETE', `/v1/agents/${agent.id}/totp`))}
                  >
                    <Button size="small" data-testid="agent-reset-totp">
                      {i18n.t('agents.resetTotp')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={i18n.t('agents.title')}
      data-testid="agents-page"
      extra={
        isAdmin && (
          <Button
            type="primary"
            onClick={() => {
              setError(null);
              setCreating(true);
            }}
            data-testid="agent-add"
          >
            {i18n.t('agents.add')}
          </Button>
        )
      }
    >
      {!isAdmin && <Alert type="info" showIcon title={i18n.t('agents.readOnly')} style={{ marginBottom: 12 }} data-testid="agents-read-only" />}
      {error !== null && !creating && !resetting && <Alert type="error" showIcon title={errorText(error, i18n)} style={{ marginBottom: 12 }} data-testid="agents-error" />}
      {list.isError ? (
        <Alert type="error" showIcon title={errorText(list.error, i18n)} data-testid="agents-error" />
      ) : (
        <Table
          data-testid="agents"
          rowKey="id"
          loading={list.isPending}
          dataSource={rows}
          pagination={false}
          columns={columns}
          locale={{ emptyText: <Empty description={i18n.t('agents.empty')} /> }}
        />
      )}
      {list.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="agents-load-more">
            {i18n.t('agents.loadMore')}
          </Button>
        </div>
      )}
      {creating && <CreateAgentModal onClose={() => setCreating(false)} />}
      {resetting && <ResetPasswordModal agent={resetting} onClose={() => setResetting(null)} />}
    </Card>
  );
}

function CreateAgentModal({ onClose }: { onClose: () => void }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<NewAgent>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const required = { required: true, message: i18n.t('agents.required') };

  const submit = async (values: NewAgent) => {
    setPending(true);
    setError(null);
    try {
      await api('POST', '/v1/agents', { ...values, email: values.email.trim() });
      toast.success(i18n.t('agents.created'));
      await queryClient.invalidateQueries({ queryKey: queryKeys.agents });
      onClose();
    } catch (failure) {
      setError(failure);
      const known = new Set(['displayName', 'email', 'role', 'password', 'locale']);
      form.setFields(
        invalidFields(failure)
          .filter((name) => known.has(name))
          .map((name) => ({ name: name as keyof NewAgent, errors: [i18n.t('error.VALIDATION_FAILED')] })),
      );
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open
      title={i18n.t('agents.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={i18n.t('agents.create')}
      cancelText={i18n.t('agents.cancel')}
      confirmLoading={pending}
      okButtonProps={{ 'data-testid': 'agent-create-submit' }}
    >
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)} initialValues={{ role: 'agent', locale: i18n.locale }}>
        <Form.Item name="displayName" label={i18n.t('agents.name')} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={200} data-testid="agent-form-name" />
        </Form.Item>
        <Form.Item name="email" label={i18n.t('agents.email')} rules={[required, { type: 'email', message: i18n.t('agents.emailInvalid') }]}>
          <Input maxLength={320} autoComplete="off" data-testid="agent-form-email" />
        </Form.Item>
        <Form.Item name="role" label={i18n.t('agents.role')} rules={[required]}>
          <Select data-testid="agent-form-role" options={ROLES.map((role) => ({ value: role, label: i18n.t(`role.${role}`) }))} />
        </Form.Item>
        <Form.Item name="locale" label={i18n.t('agents.language')} rules={[required]}>
          <Select data-testid="agent-form-locale" options={(Object.keys(LOCALES) as Locale[]).map((value) => ({ value, label: LOCALES[value].name }))} />
        </Form.Item>
        <Form.Item
          name="password"
          label={i18n.t('agents.password')}
          extra={i18n.t('agents.passwordRule')}
          rules={[required, { min: MIN_PASSWORD_LENGTH, message: i18n.t('agents.passwordRule') }]}
        >
          <Input.Password maxLength={500} autoComplete="new-password" data-testid="agent-form-password" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} data-testid="agent-form-error" />}
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ agent, onClose }: { agent: AgentAccount; onClose: () => void }) {
  const i18n = useI18n();
  const { message: toast } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ newPassword: string }>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async ({ newPassword }: { newPassword: string }) => {
    setPending(true);
    setError(null);
    try {
      await api('POST', `/v1/agents/${agent.id}/password`, { newPassword });
      toast.success(i18n.t('agents.saved'));
      await queryClient.invalidateQueries({ queryKey: queryKeys.agents });
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
      title={i18n.t('agents.resetPasswordTitle', { name: agent.displayName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={i18n.t('agents.save')}
      cancelText={i18n.t('agents.cancel')}
      confirmLoading={pending}
      okButtonProps={{ 'data-testid': 'agent-password-submit' }}
    >
      <Typography.Paragraph type="secondary">{i18n.t('agents.resetPasswordHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item
          name="newPassword"
          label={i18n.t('agents.newPassword')}
          extra={i18n.t('agents.passwordRule')}
          rules={[
            { required: true, message: i18n.t('agents.required') },
            { min: MIN_PASSWORD_LENGTH, message: i18n.t('agents.passwordRule') },
          ]}
        >
          <Input.Password maxLength={500} autoComplete="new-password" data-testid="agent-new-password" />
        </Form.Item>
        {error !== null && <Alert type="error" showIcon title={errorText(error, i18n)} data-testid="agent-password-error" />}
      </Form>
    </Modal>
  );
}
