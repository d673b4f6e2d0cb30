import {
  Button,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Select,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/client';
import type { UserOption } from '../record/users';
import type { PipelineOption, StageOption } from './api';
import {
  CODE,
  DurationInput,
  fieldOptions,
  objectForId,
  RecordSelect,
  ValuesEditor,
  type NodeErrors,
} from './inputs';
import { CONDITION_EXAMPLE, stageData } from './TriggerPanel';
import type { Catalog, Definition, Duration, Step, TaskSpec } from './types';

export interface StepContext {
  definition: Definition;
  objects: ObjectMeta[];
  /** The object of the trigger's record, when the trigger has one. */
  recordObject: ObjectMeta | undefined;
  users: UserOption[];
  stages: StageOption[];
  pipelines: PipelineOption[];
  catalog: Catalog | undefined;
}

/** The settings of one step, by its type. */
export function StepSettings({
  step,
  onChange,
  ctx,
  errors,
}: {
  step: Step;
  onChange: (step: Step) => void;
  ctx: StepContext;
  errors: NodeErrors;
}) {
  const { t } = useTranslation('automation');
  const e = (key: string) => errors.get(key);
  const objectData = ctx.objects.map((o) => ({ value: o.name, label: o.label_plural }));
  const objectOf = (name: string) => ctx.objects.find((o) => o.name === name);

  switch (step.type) {
    case 'create_record':
      return (
        <Stack gap="sm">
          <Select
            label={t('object')}
            data={objectData}
            value={step.object || null}
            searchable
            allowDeselect={false}
            onChange={(name) => name && onChange({ ...step, object: name, values: {} })}
            error={e('object')}
          />
          <ValuesEditor
            legend={t('values')}
            object={objectOf(step.object)}
            values={step.values}
            onChange={(values) => onChange({ ...step, values })}
            errors={errors}
            path="values"
          />
        </Stack>
      );
    case 'update_record': {
      const creators = ctx.definition.steps.filter((s) => s.type === 'create_record');
      const created = creators.find((s) => s.id === step.target);
      const object =
        step.target === 'record'
          ? ctx.recordObject
          : created?.type === 'create_record'
            ? objectOf(created.object)
            : undefined;
      return (
        <Stack gap="sm">
          <NativeSelect
            label={t('target')}
            data={[
              { value: 'record', label: t('targetRecord') },
              ...creators.map((s) => ({ value: s.id, label: t('targetStep', { step: s.id }) })),
            ]}
            value={step.target}
            onChange={(ev) => onChange({ ...step, target: ev.currentTarget.value })}
            error={e('target')}
          />
          <ValuesEditor
            legend={t('values')}
            object={object}
            values={step.values}
            onChange={(values) => onChange({ ...step, values })}
            errors={errors}
            path="values"
          />
        </Stack>
      );
    }
    case 'create_tasks':
      return <TasksEditor step={step} onChange={onChange} ctx={ctx} errors={errors} />;
    case 'assign': {
      const userFields = (ctx.recordObject?.fields ?? []).filter(
        (f) => f.type === 'relation' && f.target === 'users' && !f.read_only,
      );
      return (
        <Stack gap="sm">
          <Select
            label={t('assignField')}
            data={fieldOptions(userFields)}
            value={step.field}
            allowDeselect={false}
            onChange={(name) => name && onChange({ ...step, field: name })}
            error={e('field')}
          />
          <NativeSelect
            label={t('strategy')}
            data={(['fixed', 'round_robin', 'least_loaded'] as const).map((s) => ({
              value: s,
              label: t(`strategy_${s}`),
            }))}
            value={step.strategy}
            onChange={(ev) =>
              onChange({ ...step, strategy: ev.currentTarget.value as typeof step.strategy })
            }
            error={e('strategy')}
          />
          <MultiSelect
            label={t('users')}
            data={ctx.users.map((u) => ({ value: u.id, label: u.name }))}
            value={step.users}
            searchable
            onChange={(users) => onChange({ ...step, users })}
            error={errors.under('users')}
          />
        </Stack>
      );
    }
    case 'move_stage':
      return (
        <Select
          label={t('stage')}
          data={stageData(ctx.stages, ctx.pipelines)}
          value={step.stage_id || null}
          searchable
          allowDeselect={false}
          onChange={(id) => id && onChange({ ...step, stage_id: id })}
          error={e('stage_id')}
        />
      );
    case 'send_email':
      return (
        <Stack gap="sm">
          <TextInput
            label={t('emailTo')}
            value={step.to}
            placeholder="{{ record.email }}"
            classNames={CODE}
            onChange={(ev) => onChange({ ...step, to: ev.currentTarget.value })}
            error={e('to')}
          />
          <TextInput
            label={t('subject')}
            value={step.subject}
            onChange={(ev) => onChange({ ...step, subject: ev.currentTarget.value })}
            error={e('subject')}
          />
          <Textarea
            label={t('body')}
            value={step.body}
            autosize
            minRows={4}
            onChange={(ev) => onChange({ ...step, body: ev.currentTarget.value })}
            error={e('body')}
          />
        </Stack>
      );
    case 'call_webhook':
      return (
        <Stack gap="sm">
          <TextInput
            label={t('url')}
            type="url"
            value={step.url}
            placeholder="https://"
            onChange={(ev) => onChange({ ...step, url: ev.currentTarget.value })}
            error={e('url')}
          />
          <Textarea
            label={t('requestBody')}
            value={step.body ?? ''}
            autosize
            minRows={3}
            classNames={CODE}
            onChange={(ev) => onChange({ ...step, body: ev.currentTarget.value || undefined })}
            error={e('body')}
          />
        </Stack>
      );
    case 'wait': {
      const mode =
        step.condition !== undefined ? 'condition' : step.until !== undefined ? 'until' : 'for';
      const base = { id: step.id, type: step.type, name: step.name, next: step.next };
      return (
        <Stack gap="sm">
          <NativeSelect
            label={t('waitMode')}
            data={[
              { value: 'for', label: t('waitFor') },
              { value: 'until', label: t('waitUntil') },
              { value: 'condition', label: t('waitCondition') },
            ]}
            value={mode}
            onChange={(ev) => {
              const m = ev.currentTarget.value;
              // The time-out branch belongs to waiting for a condition only.
              if (m === 'for') onChange({ ...base, for: { amount: 1, unit: 'days' } });
              else if (m === 'until') onChange({ ...base, until: '' });
              else onChange({ ...base, condition: '', on_timeout: step.on_timeout });
            }}
          />
          {mode === 'for' && (
            <DurationInput
              legend={t('waitLength')}
              value={step.for}
              onChange={(d) => onChange({ ...step, for: d })}
              error={errors.under('for')}
            />
          )}
          {mode === 'until' && (
            <TextInput
              label={t('untilExpression')}
              value={step.until ?? ''}
              placeholder="record.due_date"
              classNames={CODE}
              onChange={(ev) => onChange({ ...step, until: ev.currentTarget.value })}
              error={e('until')}
            />
          )}
          {mode === 'condition' && (
            <>
              <Textarea
                label={t('condition')}
                description={t('conditionHint', { example: CONDITION_EXAMPLE })}
                value={step.condition ?? ''}
                autosize
                minRows={2}
                classNames={CODE}
                onChange={(ev) => onChange({ ...step, condition: ev.currentTarget.value })}
                error={e('condition')}
              />
              <DurationInput
                legend={t('timeout')}
                noneLabel={t('noTimeout')}
                value={step.timeout}
                onChange={(d) => onChange({ ...step, timeout: d })}
                error={errors.under('timeout')}
              />
            </>
          )}
        </Stack>
      );
    }
    case 'wait_for_tasks': {
      // Steps that create tasks: create_tasks, and actions the catalog says make tasks (all
      // actions while the catalog does not say; the server names a wrong choice).
      const actions = ctx.catalog?.actions ?? [];
      const says = actions.some((a) => a.produces_tasks !== undefined);
      const creators = ctx.definition.steps.filter(
        (s) =>
          s.type === 'create_tasks' ||
          s.id === step.step ||
          (s.type === 'action' &&
            (!says || actions.some((a) => a.action === s.action && a.produces_tasks))),
      );
      return (
        <Select
          label={t('tasksStep')}
          data={creators.map((s) => ({
            value: s.id,
            label: `${s.name || t(`stepType.${s.type}`)} (${s.id})`,
          }))}
          value={step.step || null}
          allowDeselect={false}
          onChange={(id) => id && onChange({ ...step, step: id })}
          error={e('step')}
        />
      );
    }
    case 'if':
      return (
        <Textarea
          label={t('condition')}
          description={t('conditionHint', { example: CONDITION_EXAMPLE })}
          value={step.condition}
          autosize
          minRows={2}
          classNames={CODE}
          onChange={(ev) => onChange({ ...step, condition: ev.currentTarget.value })}
          error={e('condition')}
        />
      );
    case 'for_each': {
      const related = objectOf(step.object);
      const viaFields = (related?.fields ?? []).filter(
        (f) => f.type === 'relation' && (!ctx.recordObject || f.target === ctx.recordObject.name),
      );
      return (
        <Stack gap="sm">
          <Select
            label={t('relatedObject')}
            data={objectData}
            value={step.object || null}
            searchable
            allowDeselect={false}
            onChange={(name) =>
              name && onChange({ ...step, object: name, via: '', update: undefined })
            }
            error={e('object')}
          />
          <Select
            label={t('via')}
            data={fieldOptions(viaFields)}
            value={step.via || null}
            allowDeselect={false}
            onChange={(name) => name && onChange({ ...step, via: name })}
            error={e('via')}
          />
          <TextInput
            label={t('where')}
            value={step.where ?? ''}
            classNames={CODE}
            onChange={(ev) => onChange({ ...step, where: ev.currentTarget.value || undefined })}
            error={e('where')}
          />
          <ValuesEditor
            legend={t('update')}
            object={related}
            values={step.update ?? {}}
            onChange={(update) =>
              onChange({ ...step, update: Object.keys(update).length ? update : undefined })
            }
            errors={errors}
            path="update"
          />
          <Textarea
            label={t('eachNote')}
            value={step.note ?? ''}
            autosize
            minRows={2}
            onChange={(ev) => onChange({ ...step, note: ev.currentTarget.value || undefined })}
            error={e('note')}
          />
        </Stack>
      );
    }
    case 'note':
      return (
        <Textarea
          label={t('text')}
          value={step.text}
          autosize
          minRows={3}
          onChange={(ev) => onChange({ ...step, text: ev.currentTarget.value })}
          error={e('text')}
        />
      );
    case 'action':
      return <ActionSettings step={step} onChange={onChange} ctx={ctx} errors={errors} />;
  }
}

function TasksEditor({
  step,
  onChange,
  ctx,
  errors,
}: {
  step: Extract<Step, { type: 'create_tasks' }>;
  onChange: (step: Step) => void;
  ctx: StepContext;
  errors: NodeErrors;
}) {
  const { t } = useTranslation('automation');
  const tasks = step.tasks;
  const setTask = (i: number, task: TaskSpec) =>
    onChange({ ...step, tasks: tasks.map((x, j) => (j === i ? task : x)) });
  const queues = ctx.objects.find((o) => o.name === 'queues');
  const assignees = [
    { value: '{{ record.owner_id }}', label: t('recordOwner') },
    ...ctx.users.map((u) => ({ value: u.id, label: u.name })),
  ];
  return (
    <Stack gap="sm">
      {tasks.map((task, i) => {
        const e = (key: string) => errors.get(`tasks[${i}].${key}`);
        const n = i + 1;
        return (
          <Fieldset key={i} legend={t('taskN', { n })}>
            <Stack gap="xs">
              <TextInput
                label={t('title')}
                value={task.title}
                placeholder="Call {{ record.name }}"
                onChange={(ev) => setTask(i, { ...task, title: ev.currentTarget.value })}
                error={e('title')}
              />
              <Textarea
                label={t('taskDescription')}
                value={task.description ?? ''}
                autosize
                minRows={1}
                onChange={(ev) =>
                  setTask(i, { ...task, description: ev.currentTarget.value || undefined })
                }
                error={e('description')}
              />
              <Select
                label={t('assignee')}
                data={
                  task.assignee && !assignees.some((a) => a.value === task.assignee)
                    ? [...assignees, { value: task.assignee, label: task.assignee }]
                    : assignees
                }
                value={task.assignee ?? null}
                searchable
                clearable
                onChange={(v) => setTask(i, { ...task, assignee: v ?? undefined })}
                error={e('assignee')}
              />
              {queues && (
                <RecordSelect
                  label={t('queue')}
                  object={queues}
                  value={task.queue_id}
                  onChange={(id) => setTask(i, { ...task, queue_id: id })}
                  error={e('queue_id')}
                />
              )}
              <NativeSelect
                label={t('priority')}
                data={[
                  { value: '', label: t('noPriority') },
                  ...(['low', 'normal', 'high'] as const).map((p) => ({
                    value: p,
                    label: t(`priority_${p}`),
                  })),
                ]}
                value={task.priority ?? ''}
                onChange={(ev) =>
                  setTask(i, {
                    ...task,
                    priority: (ev.currentTarget.value || undefined) as TaskSpec['priority'],
                  })
                }
                error={e('priority')}
              />
              <DurationInput
                legend={t('dueIn')}
                noneLabel={t('noDue')}
                value={task.due_in}
                onChange={(d) => setTask(i, { ...task, due_in: d })}
                error={errors.under(`tasks[${i}].due_in`)}
              />
              {tasks.length > 1 && (
                <MultiSelect
                  label={t('dependsOn')}
                  data={tasks
                    .map((other, j) => ({
                      value: String(j),
                      label: `${t('taskN', { n: j + 1 })}${other.title ? `: ${other.title}` : ''}`,
                    }))
                    .filter((o) => o.value !== String(i))}
                  value={(task.depends_on ?? []).map(String)}
                  onChange={(v) =>
                    setTask(i, { ...task, depends_on: v.length ? v.map(Number) : undefined })
                  }
                  error={errors.under(`tasks[${i}].depends_on`)}
                />
              )}
              {tasks.length > 1 && (
                <Group justify="flex-end">
                  <Button
                    variant="subtle"
                    color="red"
                    size="xs"
                    onClick={() =>
                      onChange({
                        ...step,
                        // Later tasks' dependencies point at indexes: they move down by one.
                        tasks: tasks
                          .filter((_, j) => j !== i)
                          .map((x) =>
                            x.depends_on
                              ? {
                                  ...x,
                                  depends_on: x.depends_on
                                    .filter((d) => d !== i)
                                    .map((d) => (d > i ? d - 1 : d)),
                                }
                              : x,
                          ),
                      })
                    }
                  >
                    {t('removeTask', { n })}
                  </Button>
                </Group>
              )}
            </Stack>
          </Fieldset>
        );
      })}
      <Group>
        <Button
          variant="default"
          size="xs"
          onClick={() => onChange({ ...step, tasks: [...tasks, { title: '' }] })}
        >
          {t('addTask')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * A flow's action: which one, and its settings. The catalog names each setting and its kind;
 * an action the catalog does not know (a flow since removed) keeps its settings as JSON.
 */
function ActionSettings({
  step,
  onChange,
  ctx,
  errors,
}: {
  step: Extract<Step, { type: 'action' }>;
  onChange: (step: Step) => void;
  ctx: StepContext;
  errors: NodeErrors;
}) {
  const { t } = useTranslation('automation');
  const actions = ctx.catalog?.actions ?? [];
  const known = actions.find((a) => a.action === step.action);
  const data = actions.map((a) => ({ value: a.action, label: a.label }));
  if (step.action && !known) data.push({ value: step.action, label: step.action });
  const settings = step.settings ?? {};
  const set = (name: string, value: unknown) => {
    const next = { ...settings };
    if (value === undefined || value === '') delete next[name];
    else next[name] = value;
    onChange({ ...step, settings: next });
  };
  return (
    <Stack gap="sm">
      <Select
        label={t('action')}
        data={data}
        value={step.action || null}
        allowDeselect={false}
        onChange={(a) => a && onChange({ ...step, action: a, settings: {} })}
        error={errors.get('action')}
      />
      {known
        ? known.settings.map((s) => {
            const error = errors.under(`settings.${s.name}`);
            const value = settings[s.name];
            if (s.type === 'duration')
              return (
                <DurationInput
                  key={s.name}
                  legend={s.label}
                  noneLabel="—"
                  value={value as Duration | undefined}
                  onChange={(d) => set(s.name, d)}
                  error={error}
                />
              );
            const target = s.type === 'id' ? objectForId(s.name, ctx.objects) : undefined;
            if (target)
              return (
                <RecordSelect
                  key={s.name}
                  label={s.label}
                  object={target}
                  value={typeof value === 'string' ? value : undefined}
                  onChange={(id) => set(s.name, id)}
                  error={error}
                />
              );
            // A setting that names a step of this process (`task_step`).
            if (s.type === 'id' && s.name.endsWith('_step'))
              return (
                <Select
                  key={s.name}
                  label={s.label}
                  data={ctx.definition.steps
                    .filter((other) => other.id !== step.id)
                    .map((other) => ({
                      value: other.id,
                      label: `${other.name || t(`stepType.${other.type}`)} (${other.id})`,
                    }))}
                  value={typeof value === 'string' ? value : null}
                  clearable
                  onChange={(id) => set(s.name, id ?? undefined)}
                  error={error}
                />
              );
            if (s.type === 'number')
              return (
                <NumberInput
                  key={s.name}
                  label={s.label}
                  value={typeof value === 'number' ? value : ''}
                  onChange={(v) => set(s.name, typeof v === 'number' ? v : undefined)}
                  error={error}
                />
              );
            return (
              <TextInput
                key={s.name}
                label={s.label}
                value={typeof value === 'string' ? value : ''}
                classNames={s.type === 'template' ? CODE : undefined}
                onChange={(ev) => set(s.name, ev.currentTarget.value)}
                error={error}
              />
            );
          })
        : step.action && <JsonSettings step={step} onChange={onChange} errors={errors} />}
    </Stack>
  );
}

function JsonSettings({
  step,
  onChange,
  errors,
}: {
  step: Extract<Step, { type: 'action' }>;
  onChange: (step: Step) => void;
  errors: NodeErrors;
}) {
  const { t } = useTranslation('automation');
  const [text, setText] = useState(() => JSON.stringify(step.settings ?? {}, null, 2));
  const [invalid, setInvalid] = useState(false);
  return (
    <Textarea
      label={t('settings')}
      value={text}
      autosize
      minRows={4}
      classNames={CODE}
      onChange={(ev) => {
        const v = ev.currentTarget.value;
        setText(v);
        try {
          const parsed: unknown = JSON.parse(v || '{}');
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
          setInvalid(false);
          onChange({ ...step, settings: parsed as Record<string, unknown> });
        } catch {
          setInvalid(true);
        }
      }}
      error={invalid ? t('notJson') : errors.under('settings')}
    />
  );
}
