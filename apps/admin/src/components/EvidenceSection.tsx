import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Divider, Empty, List, Modal, Popconfirm, Select, Space, Spin, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { components } from '../api/generated/schema';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../lib/errors';
import { PdfPreview } from './PdfPreview';

/** GET /v1/cases/:id/evidence (libs/evidence's EvidenceView). */
type Evidence = components['schemas']['CaseEvidenceDto'];
type EvidenceFile = components['schemas']['EvidenceFileResponse'];

/** The categories the API accepts for the customer's evidence (libs/evidence CUSTOMER_EVIDENCE_CATEGORIES). */
const CUSTOMER_CATEGORIES = ['receipt', 'transaction_record', 'product_photos', 'chat_log', 'cancellation_confirmation', 'refund_confirmation', 'police_report', 'other'] as const;

const previewable = (type: string) => type.startsWith('image/') || type === 'application/pdf';
const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/**
 * Evidence from both sides, with previews for images and PDFs. Files are served as attachments,
 * so a preview fetches the bytes (with the session cookie) and shows them from memory. On a case
 * with a merchant, the agent may share a customer's file with them, one at a time.
 */
export function EvidenceSection({ caseId, merchantId }: { caseId: string; merchantId?: string | null }) {
  const i18n = useI18n();
  const evidence = useQuery({ queryKey: ['evidence', caseId], queryFn: () => api<Evidence>('GET', `/v1/cases/${caseId}/evidence`), refetchInterval: 15_000 });
  const [preview, setPreview] = useState<EvidenceFile | null>(null);

  if (evidence.isPending) return <Spin />;
  if (evidence.isError) return <Alert type="error" showIcon title={errorText(evidence.error, i18n)} />;
  const groups = [...evidence.data.submissions, ...(evidence.data.draft ? [evidence.data.draft] : [])];
  const merchantHasNothing = groups.every((group) => group.files.length === 0 && Object.keys(group.fields).length === 0);
  const customerFiles = evidence.data.customer_files ?? [];
  const contentUrl = (file: EvidenceFile) => `/v1/cases/${caseId}/evidence/files/${file.id}/content`;
  const fileList = (files: EvidenceFile[], shareable = false) => (
    <List
      size="small"
      dataSource={files}
      renderItem={(file) => (
        <List.Item
          actions={[
            previewable(file.content_type) ? (
              <Button size="small" key="preview" onClick={() => setPreview(file)}>
                {i18n.t('case.evidence.preview')}
              </Button>
            ) : null,
            <a key="download" href={contentUrl(file)}>
              {i18n.t('case.evidence.download')}
            </a>,
            shareable && merchantId ? <ShareWithMerchant key="share" caseId={caseId} file={file} /> : null,
          ].filter(Boolean)}
        >
          <Space orientation="vertical" size={0}>
            <Typography.Text>{file.filename}</Typography.Text>
            <Typography.Text type="secondary">
              <Tag>{file.category}</Tag>
              {size(file.size)} · {i18n.t('case.evidence.by', { who: file.uploaded_by.kind })}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text strong>{i18n.t('case.evidence.merchantSide')}</Typography.Text>
      {merchantHasNothing ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={i18n.t('case.evidence.empty')} data-testid="evidence-empty" />
      ) : (
        groups.map((group) => (
          <div key={group.number ?? 'draft'}>
            <Typography.Text strong>{group.status === 'draft' ? i18n.t('case.evidence.draft') : i18n.t('case.evidence.submission', { n: group.number ?? '' })}</Typography.Text>
            {group.submitted && <Typography.Text type="secondary"> · {i18n.dateTime(group.submitted)}</Typography.Text>}
            {group.summary && <Typography.Paragraph style={{ margin: 0 }}>{group.summary}</Typography.Paragraph>}
            {Object.entries(group.fields).map(([key, value]) => (
              <div key={key}>
                <Typography.Text type="secondary">{key.replace(/_/g, ' ')}: </Typography.Text>
                {value}
              </div>
            ))}
            {fileList(group.files)}
          </div>
        ))
      )}
      <Divider style={{ margin: '8px 0' }} />
      <div data-testid="customer-evidence">
        <Typography.Text strong>{i18n.t('case.evidence.customerSide')}</Typography.Text>
        {customerFiles.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={i18n.t('case.evidence.customerEmpty')} /> : fileList(customerFiles, true)}
        <UploadForCustomer caseId={caseId} />
      </div>
      <Modal open={preview !== null} title={preview?.filename} footer={null} width={880} onCancel={() => setPreview(null)} destroyOnHidden>
        {preview && <FilePreview url={contentUrl(preview)} type={preview.content_type} />}
      </Modal>
    </Space>
  );
}

/** Shows one customer file to the merchant (after a confirmation), or says it is shared already. */
function ShareWithMerchant({ caseId, file }: { caseId: string; file: EvidenceFile }) {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const share = useMutation({
    mutationFn: () => api('POST', `/v1/cases/${caseId}/evidence/files/${file.id}/share-with-merchant`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['evidence', caseId] }),
  });
  if (file.shared_with_merchant_at) {
    return (
      <Tag color="blue" data-testid={`shared-${file.id}`}>
        {i18n.t('case.evidence.sharedWithMerchant')}
      </Tag>
    );
  }
  return (
    <Space size={4}>
      <Popconfirm title={i18n.t('case.evidence.shareConfirm')} onConfirm={() => share.mutate()}>
        <Button size="small" loading={share.isPending} data-testid={`share-${file.id}`}>
          {i18n.t('case.evidence.shareWithMerchant')}
        </Button>
      </Popconfirm>
      {share.isError && <Typography.Text type="danger">{errorText(share.error, i18n)}</Typography.Text>}
    </Space>
  );
}

/** A hotline caller emailed a photo: the agent hands it in as the customer's evidence (recorded as uploaded by the agent). */
function UploadForCustomer({ caseId }: { caseId: string }) {
  const i18n = useI18n();
  const queryClient = useQueryClient();
  const [category, setCategory] = useState<(typeof CUSTOMER_CATEGORIES)[number]>('receipt');
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('party', 'customer');
      form.append('category', category);
      form.append('file', file, file.name);
      return api('POST', `/v1/cases/${caseId}/evidence/files`, form);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['evidence', caseId] }),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
      <Space wrap>
        <Select
          size="small"
          value={category}
          onChange={setCategory}
          style={{ minWidth: 160 }}
          aria-label={i18n.t('case.evidence.category')}
          options={CUSTOMER_CATEGORIES.map((value) => ({ value, label: i18n.t(`case.evidence.category.${value}`) }))}
        />
        <Upload
          showUploadList={false}
          accept=".pdf,.png,.jpg,.jpeg,.txt"
          beforeUpload={(file) => {
            upload.mutate(file);
            return false;
          }}
        >
          <Button size="small" loading={upload.isPending} data-testid="upload-for-customer">
            {i18n.t('case.evidence.uploadForCustomer')}
          </Button>
        </Upload>
      </Space>
      {upload.isError && <Alert type="error" showIcon title={errorText(upload.error, i18n)} />}
      {upload.isSuccess && <Typography.Text type="success">{i18n.t('case.evidence.uploaded')}</Typography.Text>}
    </Space>
  );
}

/**
 * Fetches the file (with the session cookie: the route answers it as an attachment) and shows it
 * from memory: an image from a blob: URL, a PDF drawn by pdf.js into canvases (PdfPreview), never
 * in a frame where the browser's PDF viewer would open it.
 */
function FilePreview({ url, type }: { url: string; type: string }) {
  const i18n = useI18n();
  const [bytes, setBytes] = useState<ArrayBuffer | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    fetch(url, { credentials: 'same-origin' })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const body = await response.arrayBuffer();
        if (!cancelled) setBytes(body);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
    };
  }, [url]);
  if (failed) return <Alert type="warning" showIcon title={i18n.t('case.evidence.previewUnavailable')} />;
  if (!bytes) return <Spin />;
  return type === 'application/pdf' ? <PdfPreview bytes={bytes} /> : <ImagePreview bytes={bytes} type={type} />;
}

function ImagePreview({ bytes, type }: { bytes: ArrayBuffer; type: string }) {
  const [objectUrl, setObjectUrl] = useState<string | null>(null);
  useEffect(() => {
    // Re-type the bytes as what was uploaded (checked by the API on upload) so the browser decodes them.
    const created = URL.createObjectURL(new Blob([bytes], { type }));
    // An object URL is a resource to revoke, not a value to derive in render: the effect owns it.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the URL exists only once the effect made it
    setObjectUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [bytes, type]);
  return objectUrl ? <img src={objectUrl} alt="" style={{ maxWidth: '100%' }} /> : <Spin />;
}
