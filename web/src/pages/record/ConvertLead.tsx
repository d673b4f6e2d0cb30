import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  List,
  Modal,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord, type FieldMeta, type Page } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { ErrorNote } from '../../layout/ErrorNote';
import { FieldInput } from '../RecordForm';
import { useLeaveGuard } from './LeaveGuard';
import { fieldMessages } from './messages';
import { timelineKey } from './RecordTimeline';

interface ConvertResult {
  lead: ApiRecord;
  contact: ApiRecord;
  contact_created: boolean;
  company_id: string | null;
  company_created: boolean;
  deal: ApiRecord | null;
}

function RecordLink({ object, id, children }: { object: string; id: string; children: string }) {
  return (
    <Anchor renderRoot={(props) => <Link to="/o/$object/$id" params={{ object, id }} {...props} />}>
      {children}
    </Anchor>
  );
}

/** What a converted lead became, as links. */
export function ConvertedNote({ lead }: { lead: ApiRecord }) {
  const { t } = useTranslation('record');
  const links: [string, string, string][] = [
    ['contacts', 'converted_contact_id', t('convertedContact')],
    ['companies', 'converted_company_id', t('convertedCompany')],
    ['deals', 'converted_deal_id', t('convertedDeal')],
  ];
  return (
    <Alert color="violet" title={t('leadConverted')}>
      <Stack gap={4}>
        <Text size="sm">{t('leadConvertedText')}</Text>
        <Group gap="md">
          {links
            .filter(([, f]) => typeof lead[f] === 'string')
            .map(([object, f, label]) => (
              <RecordLink key={f} object={object} id={lead[f] as string}>
                {label}
              </RecordLink>
            ))}
        </Group>
      </Stack>
    </Alert>
  );
}

/**
 * Converts a lead (POST /api/v1/leads/{id}/convert): into a contact, the company picked here or
 * matched by the server (by domain or name; a new one from the lead's company name otherwise),
 * and, when asked, a deal with a name, amount, pipeline and stage. Afterwards it links to what
 * was created or found.
 */
export function ConvertLeadDialog({ lead, onClose }: { lead: ApiRecord; onClose: () => void }) {
  const { t } = useTranslation('record');
  const queryClient = useQueryClient();
  const objects = useObjects();
  const deals = objects.data?.find((o) => o.name === 'deals');
  const leads = objects.data?.find((o) => o.name === 'leads');
  const [companyMode, setCompanyMode] = useState<'auto' | 'pick'>('auto');
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [withDeal, setWithDeal] = useState(false);
  const [dealName, setDealName] = useState(String(lead.company_name ?? lead.full_name ?? '') || '');
  const [amount, setAmount] = useState<unknown>(null);
  const [pipelineId, setPipelineId] = useState<string | null>(null);
  const [stageId, setStageId] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ConvertResult | null>(null);
  const [key] = useState(() => crypto.randomUUID());
  const guard = useLeaveGuard(() => !result && (companyId !== null || withDeal));

  const pipelines = useQuery({
    queryKey: ['convert-pipelines'],
    enabled: withDeal,
    queryFn: () => api<Page>('GET', '/api/v1/pipelines?sort=position&limit=100'),
  });
  const defaultPipeline =
    pipelines.data?.data.find((p) => p.is_default)?.id ?? pipelines.data?.data[0]?.id ?? null;
  const pipeline = pipelineId ?? defaultPipeline;
  const stages = useQuery({
    queryKey: ['convert-stages', pipeline],
    enabled: withDeal && !!pipeline,
    queryFn: () =>
      api<Page>(
        'GET',
        `/api/v1/stages?filter[pipeline_id]=${pipeline}&filter[kind]=open&sort=position&limit=100`,
      ),
  });
  const stage = stageId ?? stages.data?.data[0]?.id ?? null;

  const messages = error instanceof ApiError ? fieldMessages(t, error.errors) : new Map();
  const dealMessages =
    error instanceof ApiError
      ? fieldMessages(
          t,
          error.errors
            .filter((e) => e.path.startsWith('deal.'))
            .map((e) => ({ ...e, path: e.path.slice(5) })),
        )
      : new Map();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      if (companyMode === 'pick' && companyId) body.company_id = companyId;
      if (withDeal) {
        body.create_deal = true;
        body.deal = {
          ...(dealName.trim() ? { name: dealName.trim() } : {}),
          ...(amount ? { amount } : {}),
          ...(pipeline ? { pipeline_id: pipeline } : {}),
          ...(stage ? { stage_id: stage } : {}),
        };
      }
      const res = await api<ConvertResult>('POST', `/api/v1/leads/${lead.id}/convert`, body, {
        'idempotency-key': key,
      });
      queryClient.setQueryData(['record', 'leads', lead.id], res.lead);
      void queryClient.invalidateQueries({ queryKey: timelineKey('leads', lead.id) });
      for (const o of ['leads', 'contacts', 'companies', 'deals'])
        void queryClient.invalidateQueries({ queryKey: ['list', o] });
      setResult(res);
    } catch (err) {
      setError(err as Error);
      // Converted elsewhere meanwhile: the page behind shows it as converted.
      if (err instanceof ApiError && err.status === 409)
        void queryClient.invalidateQueries({ queryKey: ['record', 'leads', lead.id] });
    } finally {
      setBusy(false);
    }
  };

  const close = async () => {
    if (await guard.confirm()) onClose();
  };
  const companyField: FieldMeta | undefined = leads?.fields.find(
    (f) => f.name === 'converted_company_id',
  );
  const amountField = deals?.fields.find((f) => f.name === 'amount');

  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('close') }}
      opened
      onClose={() => void close()}
      title={t('convertTitle')}
      size="lg"
    >
      {guard.dialog}
      {result ? (
        <Stack>
          <Alert color="green" title={t('convertDone')} role="status">
            <List size="sm" spacing={4}>
              <List.Item>
                {result.contact_created ? t('createdContact') : t('foundContact')}{' '}
                <RecordLink object="contacts" id={result.contact.id}>
                  {String(result.contact.full_name ?? '') || t('noName')}
                </RecordLink>
              </List.Item>
              {result.company_id && (
                <List.Item>
                  {result.company_created ? t('createdCompany') : t('foundCompany')}{' '}
                  <CompanyName id={result.company_id} />
                </List.Item>
              )}
              {result.deal && (
                <List.Item>
                  {t('createdDeal')}{' '}
                  <RecordLink object="deals" id={result.deal.id}>
                    {String(result.deal.name ?? '') || t('noName')}
                  </RecordLink>
                </List.Item>
              )}
            </List>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            {error &&
              (error instanceof ApiError && error.status === 409 ? (
                <Alert color="orange" role="alert" title={t('alreadyConverted')}>
                  {t('alreadyConvertedText')}
                </Alert>
              ) : (
                <ErrorNote error={error} />
              ))}
            <Radio.Group
              label={t('convertCompany')}
              value={companyMode}
              onChange={(v) => setCompanyMode(v as 'auto' | 'pick')}
            >
              <Stack gap={6} mt={6}>
                <Radio
                  value="auto"
                  label={
                    lead.company_name
                      ? t('companyAuto', { name: String(lead.company_name) })
                      : t('companyAutoNoName')
                  }
                />
                <Radio value="pick" label={t('companyPick')} />
              </Stack>
            </Radio.Group>
            {companyMode === 'pick' && companyField && (
              <FieldInput
                field={{ ...companyField, read_only: false, label: t('company') }}
                value={companyId}
                onChange={(v) => setCompanyId((v as string | null) ?? null)}
                error={messages.get('company_id')}
              />
            )}
            <Checkbox
              label={t('alsoCreateDeal')}
              checked={withDeal}
              onChange={(e) => setWithDeal(e.currentTarget.checked)}
            />
            {withDeal && (
              <Stack gap="sm" pl="md">
                <TextInput
                  label={t('dealName')}
                  value={dealName}
                  onChange={(e) => setDealName(e.currentTarget.value)}
                  error={dealMessages.get('name')}
                />
                {amountField && (
                  <FieldInput
                    field={amountField}
                    value={amount}
                    onChange={setAmount}
                    error={dealMessages.get('amount')}
                  />
                )}
                <Group grow align="start">
                  <Select
                    label={t('pipeline')}
                    data={(pipelines.data?.data ?? []).map((p) => ({
                      value: p.id,
                      label: String(p.name ?? ''),
                    }))}
                    value={pipeline}
                    allowDeselect={false}
                    onChange={(v) => {
                      setPipelineId(v);
                      setStageId(null);
                    }}
                    error={dealMessages.get('pipeline_id')}
                  />
                  <Select
                    label={t('stage')}
                    data={(stages.data?.data ?? []).map((s) => ({
                      value: s.id,
                      label: String(s.name ?? ''),
                    }))}
                    value={stage}
                    allowDeselect={false}
                    onChange={setStageId}
                    error={dealMessages.get('stage_id')}
                  />
                </Group>
              </Stack>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => void close()}>
                {t('cancel')}
              </Button>
              <Button type="submit" loading={busy}>
                {t('convert')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function CompanyName({ id }: { id: string }) {
  const { t } = useTranslation('record');
  const company = useQuery({
    queryKey: ['record', 'companies', id],
    queryFn: () => api<ApiRecord>('GET', `/api/v1/companies/${id}`),
  });
  return (
    <RecordLink object="companies" id={id}>
      {String(company.data?.name ?? '') || t('noName')}
    </RecordLink>
  );
}
