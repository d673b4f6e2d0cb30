import { z } from 'zod';

/**
 * What a process is, as saved and versioned: a trigger, an optional condition and a graph of
 * steps. Expressions and templates are strings in the expression language (docs/expressions.md),
 * parsed and checked against metadata when the process is saved (validate.ts), never first at
 * run time.
 */

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a step id: lowercase letters, digits and _, up to 40');
const name = z.string().min(1).max(63);
export const duration = z.object({
  amount: z.number().int().min(0).max(100_000),
  unit: z.enum(['minutes', 'hours', 'days']),
});
export type Duration = z.infer<typeof duration>;

export const triggerSchema = z.discriminatedUnion('type', [
  /** A record of the object is created. */
  z.object({ type: z.literal('record_created'), object: name }),
  /** A record is updated; with fields, only when one of them changed. */
  z.object({ type: z.literal('record_updated'), object: name, fields: z.array(name).optional() }),
  /** A field changes, optionally from and/or to a value (JSON as the API shows it). */
  z.object({
    type: z.literal('field_changed'),
    object: name,
    field: name,
    from: z.unknown().optional(),
    to: z.unknown().optional(),
  }),
  /** A deal (or any record with stage_id) enters or leaves a stage. */
  z.object({ type: z.literal('stage_entered'), object: name, stage_id: z.string().min(1) }),
  z.object({ type: z.literal('stage_left'), object: name, stage_id: z.string().min(1) }),
  /** A date or date-time field is reached, shifted by an offset (negative: before). */
  z.object({
    type: z.literal('date_reached'),
    object: name,
    field: name,
    offset: duration.extend({ direction: z.enum(['before', 'after']) }).optional(),
  }),
  /** Every so often, from a first instant. */
  z.object({ type: z.literal('schedule'), every: duration, starting: z.iso.datetime().optional() }),
  /** A task is completed (status becomes done). */
  z.object({ type: z.literal('task_completed') }),
  /** A call to the process's inbound webhook URL. */
  z.object({ type: z.literal('webhook') }),
  /** A form is submitted (a task form link or a public web form). */
  z.object({ type: z.literal('form_submitted'), form_id: z.string().min(1).optional() }),
  /** Another module's event: `sla_timers.breached`, `forms.web_submitted`. */
  z.object({
    type: z.literal('event'),
    event: z.string().regex(/^[a-z_]+\.[a-z_]+$/),
    object: name.optional(),
  }),
]);
export type Trigger = z.infer<typeof triggerSchema>;

const values = z.record(name, z.string().max(2000));
const next = id.optional();

const taskSpec = z.object({
  title: z.string().min(1).max(500),
  description: z.string().max(5000).optional(),
  /** A user id, or a template that gives one (`{{ record.owner_id }}`). */
  assignee: z.string().max(500).optional(),
  queue_id: z.string().max(100).optional(),
  priority: z.enum(['low', 'normal', 'high']).optional(),
  due_in: duration.optional(),
  /** Indexes of tasks of the same step this one waits for. */
  depends_on: z.array(z.number().int().min(0)).optional(),
});

export const stepSchema = z.discriminatedUnion('type', [
  z.object({
    id,
    type: z.literal('create_record'),
    name: z.string().optional(),
    object: name,
    values,
    next,
  }),
  z.object({
    id,
    type: z.literal('update_record'),
    name: z.string().optional(),
    /** 'record' (the trigger's record) or the id of a create_record step. */
    target: z.string().min(1).default('record'),
    values,
    next,
  }),
  z.object({
    id,
    type: z.literal('create_tasks'),
    name: z.string().optional(),
    tasks: z.array(taskSpec).min(1).max(100),
    next,
  }),
  z.object({
    id,
    type: z.literal('assign'),
    name: z.string().optional(),
    field: name.default('owner_id'),
    strategy: z.enum(['fixed', 'round_robin', 'least_loaded']),
    users: z.array(z.string().min(1)).min(1).max(500),
    next,
  }),
  z.object({
    id,
    type: z.literal('move_stage'),
    name: z.string().optional(),
    stage_id: z.string().min(1),
    next,
  }),
  z.object({
    id,
    type: z.literal('send_email'),
    name: z.string().optional(),
    to: z.string().min(1).max(1000),
    subject: z.string().min(1).max(1000),
    body: z.string().min(1).max(20_000),
    next,
  }),
  z.object({
    id,
    type: z.literal('call_webhook'),
    name: z.string().optional(),
    url: z.url({ protocol: /^https?$/ }),
    body: z.string().max(20_000).optional(),
    next,
  }),
  z.object({
    id,
    type: z.literal('wait'),
    name: z.string().optional(),
    /** One of: a duration, until an instant (an expression), until a condition holds. */
    for: duration.optional(),
    until: z.string().max(2000).optional(),
    condition: z.string().max(2000).optional(),
    /** With a condition: how long to wait at most, and where to go then. */
    timeout: duration.optional(),
    on_timeout: id.optional(),
    next,
  }),
  z.object({
    id,
    type: z.literal('wait_for_tasks'),
    name: z.string().optional(),
    /** The create_tasks step whose tasks must all be done (or cancelled). */
    step: id,
    next,
  }),
  z.object({
    id,
    type: z.literal('if'),
    name: z.string().optional(),
    condition: z.string().min(1).max(2000),
    then: id.optional(),
    else: id.optional(),
  }),
  z.object({
    id,
    type: z.literal('for_each'),
    name: z.string().optional(),
    /** Records of `object` whose relation field `via` points at the trigger's record. */
    object: name,
    via: name,
    where: z.string().max(2000).optional(),
    /** What to do with each: update it with these values, or add a note on it. */
    update: values.optional(),
    note: z.string().max(5000).optional(),
    next,
  }),
  z.object({
    id,
    type: z.literal('note'),
    name: z.string().optional(),
    text: z.string().min(1).max(10_000),
    next,
  }),
  /** A step a flow adds (`send_form`, `purchase_from_bom`): its settings are checked by the flow. */
  z.object({
    id,
    type: z.literal('action'),
    name: z.string().optional(),
    action: z.string().regex(/^[a-z_]+$/),
    settings: z.record(z.string(), z.unknown()).default({}),
    next,
  }),
]);
export type Step = z.infer<typeof stepSchema>;

export const definitionSchema = z.object({
  trigger: triggerSchema,
  /** The run starts only when this holds for the trigger's record. */
  condition: z.string().max(2000).optional(),
  start: id,
  steps: z.array(stepSchema).min(1).max(200),
});
export type Definition = z.infer<typeof definitionSchema>;

const noNul = (s: string) => !s.includes('\u0000');
export const processInputSchema = z.object({
  name: z.string().trim().min(1).max(200).refine(noNul, 'must not contain a NUL character'),
  description: z.string().max(5000).refine(noNul, 'must not contain a NUL character').optional(),
  enabled: z.boolean().optional(),
  definition: definitionSchema,
});
