import {
  Alert,
  Badge,
  Box,
  Button,
  Grid,
  Group,
  Loader,
  NativeSelect,
  Paper,
  Select,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ObjectMeta } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { useLeaveGuard } from '../record/LeaveGuard';
import { useUsers } from '../record/users';
import { ConfirmModal } from '../settings/common';
import {
  deleteProcess,
  freshWebhookTokens,
  saveProcess,
  useCatalog,
  useProcess,
  useRefreshAutomation,
  useStages,
  useValidation,
} from './api';
import { FlowGraph, type NodeView } from './FlowGraph';
import {
  addStep,
  changeType,
  errorsByNode,
  removeStep,
  replaceStep,
  TRIGGER_NODE,
  type Slot,
} from './graph';
import { NodeErrors } from './inputs';
import { EnabledSwitch } from './ProcessesPage';
import { RunsList } from './RunsPage';
import { StepSettings, type StepContext } from './StepSettings';
import { stepViews } from './views';
import { TriggerPanel } from './TriggerPanel';
import {
  STEP_TYPES,
  type Definition,
  type ProblemPath,
  type ProcessWithDefinition,
  type StepType,
} from './types';

export interface EditorSearch {
  tab?: 'runs';
}

export function editorSearch(raw: Record<string, unknown>): EditorSearch {
  return raw.tab === 'runs' ? { tab: 'runs' } : {};
}

/** A process that does not exist yet: a record of the first object is created, one task is set. */
function newDefinition(objects: ObjectMeta[]): Definition {
  const object = objects.some((o) => o.name === 'companies')
    ? 'companies'
    : (objects[0]?.name ?? '');
  return {
    trigger: { type: 'record_created', object },
    start: 's1',
    steps: [{ id: 's1', type: 'create_tasks', tasks: [{ title: '' }] }],
  };
}

/** /automation/new and /automation/$id: a process's graph, its side panel and its runs. */
export function EditorPage() {
  const { t } = useTranslation('automation');
  const params = useParams({ strict: false }) as { id?: string };
  const id = params.id ?? null;
  const search = useSearch({ strict: false }) as EditorSearch;
  const navigate = useNavigate();
  const process = useProcess(id);
  const objects = useObjects();

  if (process.error) return <ErrorNote error={process.error} />;
  if ((id && !process.data) || !objects.data) return <Loader aria-label={t('loading')} />;
  const editor = (
    <ProcessEditor key={id ?? 'new'} process={process.data ?? null} objects={objects.data} />
  );
  if (!id || !process.data) return editor;
  return (
    <Tabs
      value={search.tab ?? 'steps'}
      onChange={(tab) =>
        void navigate({
          to: '/automation/$id',
          params: { id },
          search: tab === 'runs' ? { tab: 'runs' } : {},
        })
      }
      keepMounted={false}
    >
      <Tabs.List mb="md">
        <Tabs.Tab value="steps">{t('tabSteps')}</Tabs.Tab>
        <Tabs.Tab value="runs">{t('tabRuns')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="steps">{editor}</Tabs.Panel>
      <Tabs.Panel value="runs">
        <Stack>
          <Title order={1} size="h2">
            {process.data.name}
          </Title>
          <RunsList processId={id} />
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}

function sameErrors(a: ProblemPath, b: ProblemPath) {
  return a.path === b.path && a.message === b.message;
}

function ProcessEditor({
  process,
  objects,
}: {
  process: ProcessWithDefinition | null;
  objects: ObjectMeta[];
}) {
  const { t } = useTranslation('automation');
  const { language } = useLocale();
  const navigate = useNavigate();
  const refresh = useRefreshAutomation();
  const users = useUsers();
  const stages = useStages();
  const catalog = useCatalog();

  const [name, setName] = useState(process?.name ?? '');
  const [description, setDescription] = useState(process?.description ?? '');
  const [def, setDef] = useState<Definition>(() => process?.definition ?? newDefinition(objects));
  const [selected, setSelected] = useState<string>(TRIGGER_NODE);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const [deleting, setDeleting] = useState(false);
  // Shown while this page is open, then never again.
  const [webhookToken] = useState(() => {
    const token = process ? freshWebhookTokens.get(process.id) : undefined;
    if (process) freshWebhookTokens.delete(process.id);
    return token;
  });

  // What is on screen against what was last saved, read when the user leaves the page.
  const snapshot = JSON.stringify({ name, description, def });
  const savedSnapshot = useRef(process ? snapshot : '');
  const current = useRef(snapshot);
  current.current = snapshot;
  const dirty = () => current.current !== savedSnapshot.current;
  const guard = useLeaveGuard(dirty);

  // The server checks the definition as it is edited, once typing pauses.
  const [checked] = useDebouncedValue(def, 600);
  const validation = useValidation(checked);
  const errorsAtSave = useRef<{ def: Definition; errors: ProblemPath[] } | null>(null);
  const problems = useMemo(() => {
    const live = checked === def ? (validation.data ?? []) : [];
    const atSave = errorsAtSave.current?.def === def ? errorsAtSave.current.errors : [];
    return [...atSave, ...live.filter((e) => !atSave.some((s) => sameErrors(s, e)))].filter((e) =>
      e.path.startsWith('definition'),
    );
  }, [checked, def, validation.data, saveError]);
  const byNode = useMemo(() => errorsByNode(def, problems), [def, problems]);

  const trigger = def.trigger;
  const recordObject =
    'object' in trigger ? objects.find((o) => o.name === trigger.object) : undefined;
  const views = useMemo(() => {
    const v = stepViews(t, language, def, objects, stages.data?.stages);
    const withProblems = new Map<string, NodeView>();
    for (const [node, view] of v)
      withProblems.set(node, { ...view, problems: byNode.get(node)?.size ?? 0 });
    return withProblems;
  }, [t, language, def, objects, stages.data, byNode]);

  // Choosing a node moves the keyboard to the panel, where its settings are.
  const panelHeading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (moved.current) panelHeading.current?.focus();
    moved.current = true;
  }, [selected]);

  const objectNames = objects.map((o) => o.name);
  const [newKind, setNewKind] = useState<StepType>('create_tasks');
  const add = (after: string, slot: Slot) => {
    const result = addStep(def, after, slot, newKind, objectNames);
    setDef(result.def);
    setSelected(result.id);
  };

  const nameErrors = saveError instanceof ApiError ? saveError.errors : [];
  const nameError = nameErrors.find((e) => e.path === 'name')?.message;
  const descriptionError = nameErrors.find((e) => e.path === 'description')?.message;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setSaveError(null);
    setSavedVersion(null);
    errorsAtSave.current = null;
    try {
      const saved = await saveProcess(process?.id ?? null, {
        name,
        description: description || undefined,
        definition: def,
      });
      savedSnapshot.current = snapshot;
      if (saved.webhook_token) freshWebhookTokens.set(saved.id, saved.webhook_token);
      setSavedVersion(saved.version);
      await refresh();
      if (!process) await navigate({ to: '/automation/$id', params: { id: saved.id } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 400)
        errorsAtSave.current = { def, errors: err.errors };
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  };

  const ctx: StepContext = {
    definition: def,
    objects,
    recordObject,
    users: users.data ?? [],
    stages: stages.data?.stages ?? [],
    pipelines: stages.data?.pipelines ?? [],
    catalog: catalog.data,
  };
  const nodeErrors = new NodeErrors(byNode.get(selected));
  const step = def.steps.find((s) => s.id === selected);
  const unplacedSaveErrors =
    saveError instanceof ApiError
      ? saveError.errors.filter(
          (e) => e.path !== 'name' && e.path !== 'description' && !e.path.startsWith('definition'),
        )
      : [];

  return (
    <form onSubmit={save} noValidate>
      <Stack gap="md">
        <Group justify="space-between" align="start">
          <div>
            <Title order={1} size="h2">
              {process ? process.name : t('newTitle')}
            </Title>
            <Text size="sm" c="gray.7">
              {process
                ? t('versionNote', { version: process.version, next: process.version + 1 })
                : t('newNote')}
            </Text>
          </div>
          <Group gap="sm">
            {process && <EnabledSwitch process={process} label={t('enabled')} />}
            {dirty() && (
              <Badge color="yellow" variant="outline" c="yellow.9">
                {t('unsaved')}
              </Badge>
            )}
            {process && (
              <Button variant="default" color="red" onClick={() => setDeleting(true)}>
                {t('deleteProcess')}
              </Button>
            )}
            <Button type="submit" loading={busy}>
              {t('save')}
            </Button>
          </Group>
        </Group>
        {savedVersion !== null && !dirty() && (
          <Alert color="green" role="status">
            {t('saved', { version: savedVersion })}
          </Alert>
        )}
        {saveError !== null && !(saveError instanceof ApiError && saveError.status === 400) && (
          <ErrorNote error={saveError} />
        )}
        {unplacedSaveErrors.length > 0 && (
          <ErrorNote error={new ApiError(400, t('otherProblems'), unplacedSaveErrors)} />
        )}
        <Grid>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <TextInput
              label={t('name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={nameError}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Textarea
              label={t('description')}
              value={description}
              autosize
              minRows={1}
              onChange={(e) => setDescription(e.currentTarget.value)}
              error={descriptionError}
            />
          </Grid.Col>
        </Grid>
        <ProblemSummary
          problems={problems}
          checking={validation.isFetching || checked !== def}
          unavailable={!!validation.error}
        />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <FlowGraph
              definition={def}
              views={views}
              selected={selected}
              onSelect={setSelected}
              label={t('graph')}
              height={600}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper withBorder p="md" component="section" aria-label={t('panel')}>
              <Stack gap="sm">
                {selected === TRIGGER_NODE || !step ? (
                  <>
                    <Title order={2} size="h4" ref={panelHeading} tabIndex={-1}>
                      {t('triggerNode')}
                    </Title>
                    <TriggerPanel
                      definition={def}
                      onChange={setDef}
                      objects={objects}
                      stages={ctx.stages}
                      pipelines={ctx.pipelines}
                      errors={nodeErrors}
                      webhook={{ url: process?.webhook_url, token: webhookToken }}
                    />
                    <AddStep
                      kind={newKind}
                      onKind={setNewKind}
                      buttons={[{ label: t('addFirst'), onClick: () => add(TRIGGER_NODE, 'next') }]}
                    />
                  </>
                ) : (
                  <>
                    <Title order={2} size="h4" ref={panelHeading} tabIndex={-1}>
                      {t('stepTitle', { id: step.id })}
                    </Title>
                    <Select
                      label={t('kind')}
                      data={STEP_TYPES.map((type) => ({
                        value: type,
                        label: t(`stepType.${type}`),
                      }))}
                      value={step.type}
                      allowDeselect={false}
                      onChange={(type) =>
                        type &&
                        setDef(replaceStep(def, changeType(step, type as StepType, objectNames)))
                      }
                      error={nodeErrors.get('type')}
                    />
                    <TextInput
                      label={t('stepName')}
                      value={step.name ?? ''}
                      onChange={(e) =>
                        setDef(
                          replaceStep(def, { ...step, name: e.currentTarget.value || undefined }),
                        )
                      }
                      error={nodeErrors.get('name')}
                    />
                    <StepSettings
                      key={step.id}
                      step={step}
                      onChange={(s) => setDef(replaceStep(def, s))}
                      ctx={ctx}
                      errors={nodeErrors}
                    />
                    <AddStep
                      kind={newKind}
                      onKind={setNewKind}
                      buttons={
                        step.type === 'if'
                          ? [
                              { label: t('addThen'), onClick: () => add(step.id, 'then') },
                              { label: t('addElse'), onClick: () => add(step.id, 'else') },
                            ]
                          : step.type === 'wait' && step.condition !== undefined
                            ? [
                                { label: t('addAfter'), onClick: () => add(step.id, 'next') },
                                {
                                  label: t('addOnTimeout'),
                                  onClick: () => add(step.id, 'on_timeout'),
                                },
                              ]
                            : [{ label: t('addAfter'), onClick: () => add(step.id, 'next') }]
                      }
                    />
                    <Box>
                      {step.type === 'if' && (
                        <Text size="xs" c="gray.7" mb={4}>
                          {t('removeIfNote')}
                        </Text>
                      )}
                      <Button
                        variant="subtle"
                        color="red"
                        disabled={def.steps.length === 1}
                        title={def.steps.length === 1 ? t('lastStep') : undefined}
                        onClick={() => {
                          const next = removeStep(def, step.id);
                          setDef(next);
                          setSelected(TRIGGER_NODE);
                        }}
                      >
                        {t('removeStep')}
                      </Button>
                    </Box>
                  </>
                )}
                <RestErrors errors={nodeErrors} />
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
      </Stack>
      {guard.dialog}
      {process && (
        <ConfirmModal
          opened={deleting}
          title={t('deleteTitle')}
          confirmLabel={t('deleteProcess')}
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteProcess(process.id);
            savedSnapshot.current = current.current;
            await refresh();
            await navigate({ to: '/automation' });
          }}
        >
          {t('deleteText')}
        </ConfirmModal>
      )}
    </form>
  );
}

/** The kind of a new step and the places it can go. */
function AddStep({
  kind,
  onKind,
  buttons,
}: {
  kind: StepType;
  onKind: (kind: StepType) => void;
  buttons: { label: string; onClick: () => void }[];
}) {
  const { t } = useTranslation('automation');
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <Stack gap="xs">
        <NativeSelect
          label={t('newStepKind')}
          data={STEP_TYPES.map((type) => ({ value: type, label: t(`stepType.${type}`) }))}
          value={kind}
          onChange={(e) => onKind(e.currentTarget.value as StepType)}
        />
        <Group gap="xs">
          {buttons.map((b) => (
            <Button key={b.label} variant="default" size="xs" onClick={b.onClick}>
              {b.label}
            </Button>
          ))}
        </Group>
      </Stack>
    </Paper>
  );
}

/** Messages for the node that no input of the panel shows (rendered after the inputs). */
function RestErrors({ errors }: { errors: NodeErrors }) {
  const { t } = useTranslation('automation');
  const rest = errors.rest();
  if (rest.length === 0) return null;
  return (
    <Alert color="red" title={t('otherProblems')} role="alert">
      <ul style={{ margin: 0, paddingLeft: 18 }}>
        {rest.map(([path, message]) => (
          <li key={path}>
            {path ? `${path}: ` : ''}
            {message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** How many problems the server found in the whole graph, or that it found none. */
function ProblemSummary({
  problems,
  checking,
  unavailable,
}: {
  problems: ProblemPath[];
  checking: boolean;
  /** The check could not run (the server is away): saving will say what is wrong. */
  unavailable: boolean;
}) {
  const { t } = useTranslation('automation');
  if (unavailable && !problems.length) return null;
  return (
    <Text size="sm" role="status" c={problems.length ? 'red.9' : 'gray.7'}>
      {checking
        ? t('checking')
        : problems.length
          ? `${t('problems')}: ${t('nodeProblems', { count: problems.length })}`
          : t('noProblems')}
    </Text>
  );
}
