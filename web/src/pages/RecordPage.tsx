import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  Menu,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord, type ObjectMeta } from '../api/client';
import { useObject, useObjects } from '../api/hooks';
import { useLocale } from '../i18n';
import { ErrorNote } from '../layout/ErrorNote';
import { RecordForm } from './RecordForm';
import { DOCUMENTS } from './documents/config';
import { DocumentPage } from './documents/DocumentPage';
import { ProductionPage } from './documents/ProductionPage';
import { ConvertedNote, ConvertLeadDialog } from './record/ConvertLead';
import { FormLinks } from './record/FormLinks';
import { groupFields, type GroupName } from './record/groups';
import { InlineField, RelationValue } from './record/InlineField';
import { useLeaveGuard } from './record/LeaveGuard';
import { QuickCreate } from './record/QuickCreate';
import { RecordTimeline, timelineKey, type TimelineItem } from './record/RecordTimeline';
import { RecordSections } from './record/sections';
import { relatedKey, RelatedLists, type RelatedListMeta } from './record/RelatedLists';
import { formatDateTime, nowInput, fromZonedInput } from './record/time';
import './record/record.css';

/** The record query's key; the page reads deleted records too, to show them as deleted. */
export function recordKey(object: string, id: string) {
  return ['record', object, id];
}

export function RecordPage() {
  const { t } = useTranslation('record');
  const { object: name, id } = useParams({ from: '/o/$object/$id' });
  const object = useObject(name);
  const record = useQuery({
    queryKey: recordKey(name, id),
    queryFn: () => api<ApiRecord>('GET', `/api/v1/${name}/${id}?include_deleted=true`),
  });
  if (object.error || record.error) return <ErrorNote error={object.error ?? record.error} />;
  if (!object.data && !object.isPending) return <ErrorNote error={t('unknownObject', { name })} />;
  if (!object.data || !record.data) return <Loader aria-label={t('loading')} />;
  // A new record id (a link from one record to another) starts a fresh page state.
  const document = Object.hasOwn(DOCUMENTS, name) ? DOCUMENTS[name] : undefined;
  if (document)
    return (
      <DocumentPage
        key={`${name}/${id}`}
        object={object.data}
        record={record.data}
        config={document}
      />
    );
  if (name === 'production_orders')
    return <ProductionPage key={`${name}/${id}`} object={object.data} record={record.data} />;
  return <RecordView key={`${name}/${id}`} object={object.data} record={record.data} />;
}

type Dialog = 'note' | 'call' | 'task' | 'convert' | null;

function RecordView({ object, record }: { object: ObjectMeta; record: ApiRecord }) {
  const { t } = useTranslation('record');
  const { locale, timeZone } = useLocale();
  const queryClient = useQueryClient();
  const objects = useObjects();
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [stale, setStale] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const dirtyFields = useRef(new Set<string>());
  const onDirty = useCallback((name: string, dirty: boolean) => {
    if (dirty) dirtyFields.current.add(name);
    else dirtyFields.current.delete(name);
  }, []);
  // Saves in place that are still on their way (leaving a field saves it).
  const saving = useRef(new Set<Promise<unknown>>());
  const track = useCallback((p: Promise<unknown>) => {
    saving.current.add(p);
    void p.finally(() => saving.current.delete(p));
  }, []);
  // Edits in place: leaving with one unsaved asks first (the full form guards itself).
  const guard = useLeaveGuard(() => dirtyFields.current.size > 0, {
    settle: () => Promise.allSettled([...saving.current]),
  });

  const activities = objects.data?.find((o) => o.name === 'activities');
  const tasks = objects.data?.find((o) => o.name === 'tasks');
  const deleted = !!record.deleted_at;
  const isActivityLike = object.name === 'activities' || object.name === 'tasks';
  const title = String(record[object.title_field] ?? '') || t('noName');
  const converted =
    object.name === 'leads' && (record.status === 'converted' || !!record.converted_at);

  const afterChange = (saved?: ApiRecord) => {
    if (saved) queryClient.setQueryData(recordKey(object.name, record.id), saved);
    void queryClient.invalidateQueries({ queryKey: timelineKey(object.name, record.id) });
    void queryClient.invalidateQueries({ queryKey: ['list', object.name] });
  };
  const reload = async () => {
    setStale(false);
    await queryClient.invalidateQueries({ queryKey: recordKey(object.name, record.id) });
    afterChange();
  };

  const remove = async () => {
    setConfirmDelete(false);
    setActionError(null);
    try {
      const gone = await api<ApiRecord>(
        'DELETE',
        `/api/v1/${object.name}/${record.id}`,
        undefined,
        {
          'if-match': `"${record.version}"`,
        },
      );
      afterChange(gone);
      void queryClient.invalidateQueries({ queryKey: ['trash', object.name] });
      void queryClient.invalidateQueries({ queryKey: ['related'] });
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setStale(true);
      else setActionError(err);
    }
  };
  const restore = async () => {
    setActionError(null);
    try {
      const back = await api<ApiRecord>('POST', `/api/v1/${object.name}/${record.id}/restore`);
      afterChange(back);
      void queryClient.invalidateQueries({ queryKey: ['trash', object.name] });
      void queryClient.invalidateQueries({ queryKey: ['related'] });
    } catch (err) {
      setActionError(err);
    }
  };

  /** A note, call or task of this record: shown in the timeline at once. */
  const created = (kind: 'activity' | 'task') => (r: ApiRecord) => {
    setDialog(null);
    const item: TimelineItem = {
      type: kind,
      id: r.id,
      at: String((kind === 'activity' ? r.occurred_at : null) ?? r.created_at),
      record: r,
    };
    queryClient.setQueryData(
      timelineKey(object.name, record.id),
      (
        old:
          | { pages: { data: TimelineItem[]; next_cursor: string | null }[]; pageParams: unknown[] }
          | undefined,
      ) =>
        old && old.pages.length
          ? {
              ...old,
              pages: [
                { ...old.pages[0], data: [item, ...old.pages[0].data] },
                ...old.pages.slice(1),
              ],
            }
          : old,
    );
    void queryClient.invalidateQueries({ queryKey: timelineKey(object.name, record.id) });
    void queryClient.invalidateQueries({ queryKey: relatedKey(object.name, record.id) });
    void queryClient.invalidateQueries({
      queryKey: ['list', kind === 'task' ? 'tasks' : 'activities'],
    });
  };

  const lists: RelatedListMeta[] = [
    ...object.related_lists,
    ...(tasks && !isActivityLike
      ? [{ name: 'tasks', label: tasks.label_plural, object: 'tasks', field: 'related_id' }]
      : []),
  ];
  const groups = groupFields(object);
  const canAct = !deleted && !isActivityLike;
  const groupTitle = (g: GroupName) => t(`group_${g}`);

  return (
    <Stack gap="md">
      {guard.dialog}
      <Group justify="space-between" align="flex-start" gap="sm">
        <div style={{ minWidth: 0, flex: '1 1 16rem' }}>
          <Anchor
            size="sm"
            renderRoot={(props) => (
              <Link to="/o/$object" params={{ object: object.name }} {...props} />
            )}
          >
            {object.label_plural}
          </Anchor>
          <Group gap="xs" align="center">
            <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
              {title}
            </Title>
            {deleted && <Badge color="red">{t('deleted')}</Badge>}
            {converted && <Badge color="violet">{t('converted')}</Badge>}
          </Group>
        </div>
        <Group gap="xs" wrap="wrap">
          {canAct && activities && (
            <>
              <Button size="xs" variant="light" onClick={() => setDialog('note')}>
                {t('addNote')}
              </Button>
              <Button size="xs" variant="light" onClick={() => setDialog('call')}>
                {t('logCall')}
              </Button>
            </>
          )}
          {canAct && tasks && (
            <Button size="xs" variant="light" onClick={() => setDialog('task')}>
              {t('newTask')}
            </Button>
          )}
          {object.name === 'leads' && !deleted && !converted && (
            <Button size="xs" color="violet" onClick={() => setDialog('convert')}>
              {t('convertLead')}
            </Button>
          )}
          {!deleted && !editing && (
            <Button size="xs" onClick={() => setEditing(true)}>
              {t('edit')}
            </Button>
          )}
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="xs" variant="default" aria-label={t('moreActions')}>
                ⋯
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {!deleted ? (
                <Menu.Item color="red" onClick={() => setConfirmDelete(true)}>
                  {t('delete')}
                </Menu.Item>
              ) : (
                <Menu.Item onClick={() => void restore()}>{t('restore')}</Menu.Item>
              )}
              <Menu.Item
                renderRoot={(props) => (
                  <Link to="/trash/$object" params={{ object: object.name }} {...props} />
                )}
              >
                {t('openTrash', { objects: object.label_plural })}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>

      {confirmDelete && (
        <Alert color="red" title={t('deleteTitle', { name: title })} role="alertdialog">
          <Text size="sm">{t('deleteText')}</Text>
          <Group mt="sm" gap="xs">
            <Button size="xs" color="red" onClick={() => void remove()}>
              {t('deleteConfirm')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setConfirmDelete(false)}>
              {t('cancel')}
            </Button>
          </Group>
        </Alert>
      )}
      {deleted && (
        <Alert color="red" title={t('deletedTitle')} role="status">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {record.merged_into_id
                ? t('mergedText')
                : t('deletedText', {
                    at: formatDateTime(String(record.deleted_at), locale, timeZone),
                  })}
              {typeof record.merged_into_id === 'string' && (
                <>
                  {' '}
                  <Anchor
                    renderRoot={(props) => (
                      <Link
                        to="/o/$object/$id"
                        params={{ object: object.name, id: record.merged_into_id as string }}
                        {...props}
                      />
                    )}
                  >
                    {t('openSurvivor')}
                  </Anchor>
                </>
              )}
            </Text>
            <Group gap="xs">
              <Button size="xs" onClick={() => void restore()}>
                {t('restore')}
              </Button>
              <Button
                size="xs"
                variant="default"
                renderRoot={(props) => (
                  <Link to="/trash/$object" params={{ object: object.name }} {...props} />
                )}
              >
                {t('openTrash', { objects: object.label_plural })}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {stale && (
        <Alert color="orange" title={t('staleTitle')} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('staleText')}</Text>
            <Button size="xs" variant="light" onClick={() => void reload()}>
              {t('reloadRecord')}
            </Button>
          </Stack>
        </Alert>
      )}
      {actionError !== null && <ErrorNote error={actionError} />}
      {converted && <ConvertedNote lead={record} />}
      {isActivityLike &&
        typeof record.related_object === 'string' &&
        typeof record.related_id === 'string' && (
          <Text size="sm">
            {t('relatedTo')}{' '}
            <RelationValue
              field={{
                name: 'related_id',
                label: t('relatedTo'),
                type: 'relation',
                target: record.related_object,
                required: false,
                read_only: true,
                is_system: false,
                is_custom: false,
              }}
              value={record.related_id}
            />
          </Text>
        )}

      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {editing ? (
            <Card withBorder>
              <RecordForm
                object={object}
                record={record}
                onCancel={() => setEditing(false)}
                onSaved={(saved) => {
                  afterChange(saved);
                  setEditing(false);
                }}
              />
            </Card>
          ) : (
            <Stack gap="md">
              {groups.map(({ group, fields }) => (
                <Card withBorder key={group} component="section" aria-label={groupTitle(group)}>
                  <Title order={2} size="h5" mb="xs">
                    {groupTitle(group)}
                  </Title>
                  <SimpleGrid
                    cols={{ base: 1, xs: group === 'notes' ? 1 : 2 }}
                    spacing="sm"
                    verticalSpacing="sm"
                  >
                    {fields.map((f) => (
                      <InlineField
                        key={f.name}
                        object={object}
                        record={record}
                        field={f}
                        editable={
                          !deleted && !f.read_only && (!f.is_system || f.name === 'owner_id')
                        }
                        onSaved={afterChange}
                        onStale={() => setStale(true)}
                        onDirty={onDirty}
                        track={track}
                      />
                    ))}
                  </SimpleGrid>
                </Card>
              ))}
            </Stack>
          )}
          <RecordSections object={object} record={record} readOnly={deleted} />
          {object.name === 'tasks' && <FormLinks task={record} readOnly={deleted} />}
          <RelatedLists object={object} record={record} lists={lists} readOnly={deleted} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RecordTimeline object={object} id={record.id} />
        </Grid.Col>
      </Grid>

      {dialog === 'note' && activities && (
        <QuickCreate
          object={activities}
          title={t('addNote')}
          fields={['body']}
          required={['body']}
          fixed={{ kind: 'note', related_object: object.name, related_id: record.id }}
          initial={{}}
          submitLabel={t('saveNote')}
          onClose={() => setDialog(null)}
          onCreated={created('activity')}
        />
      )}
      {dialog === 'call' && activities && (
        <QuickCreate
          object={activities}
          title={t('logCall')}
          fields={['subject', 'direction', 'occurred_at', 'duration_minutes', 'body']}
          fixed={{ kind: 'call', related_object: object.name, related_id: record.id }}
          initial={{
            occurred_at: fromZonedInput(nowInput(timeZone), timeZone),
            direction: 'outbound',
          }}
          submitLabel={t('saveCall')}
          onClose={() => setDialog(null)}
          onCreated={created('activity')}
        />
      )}
      {dialog === 'task' && tasks && (
        <QuickCreate
          object={tasks}
          title={t('newTask')}
          fields={['title', 'due_date', 'assignee_id', 'priority', 'description']}
          fixed={{ related_object: object.name, related_id: record.id, status: 'open' }}
          initial={{ priority: 'normal' }}
          submitLabel={t('createTask')}
          onClose={() => setDialog(null)}
          onCreated={created('task')}
        />
      )}
      {dialog === 'convert' && <ConvertLeadDialog lead={record} onClose={() => setDialog(null)} />}
    </Stack>
  );
}
