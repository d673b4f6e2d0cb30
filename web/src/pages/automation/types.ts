/**
 * A process definition and the automation API's answers, as the server sends them
 * (server/src/modules/automation/definition.ts and the automation routes). The web app keeps its
 * own copy: it imports nothing from the server.
 */

export type DurationUnit = 'minutes' | 'hours' | 'days';
export const DURATION_UNITS: DurationUnit[] = ['minutes', 'hours', 'days'];

export interface Duration {
  amount: number;
  unit: DurationUnit;
}

export type Trigger =
  | { type: 'record_created'; object: string }
  | { type: 'record_updated'; object: string; fields?: string[] }
  | { type: 'field_changed'; object: string; field: string; from?: unknown; to?: unknown }
  | { type: 'stage_entered'; object: string; stage_id: string }
  | { type: 'stage_left'; object: string; stage_id: string }
  | {
      type: 'date_reached';
      object: string;
      field: string;
      offset?: Duration & { direction: 'before' | 'after' };
    }
  | { type: 'schedule'; every: Duration; starting?: string }
  | { type: 'task_completed' }
  | { type: 'webhook' }
  | { type: 'form_submitted'; form_id?: string }
  | { type: 'event'; event: string; object?: string };

export type TriggerType = Trigger['type'];
export const TRIGGER_TYPES: TriggerType[] = [
  'record_created',
  'record_updated',
  'field_changed',
  'stage_entered',
  'stage_left',
  'date_reached',
  'schedule',
  'task_completed',
  'webhook',
  'form_submitted',
  'event',
];

/** Field → template: the values a step writes into a record. */
export type Values = Record<string, string>;

export interface TaskSpec {
  title: string;
  description?: string;
  /** A user id, or a template that gives one (`{{ record.owner_id }}`). */
  assignee?: string;
  queue_id?: string;
  priority?: 'low' | 'normal' | 'high';
  due_in?: Duration;
  /** Indexes of tasks of the same step this one waits for. */
  depends_on?: number[];
}

interface Base {
  id: string;
  name?: string;
}

export type Step =
  | (Base & { type: 'create_record'; object: string; values: Values; next?: string })
  | (Base & { type: 'update_record'; target: string; values: Values; next?: string })
  | (Base & { type: 'create_tasks'; tasks: TaskSpec[]; next?: string })
  | (Base & {
      type: 'assign';
      field: string;
      strategy: 'fixed' | 'round_robin' | 'least_loaded';
      users: string[];
      next?: string;
    })
  | (Base & { type: 'move_stage'; stage_id: string; next?: string })
  | (Base & { type: 'send_email'; to: string; subject: string; body: string; next?: string })
  | (Base & { type: 'call_webhook'; url: string; body?: string; next?: string })
  | (Base & {
      type: 'wait';
      for?: Duration;
      until?: string;
      condition?: string;
      timeout?: Duration;
      on_timeout?: string;
      next?: string;
    })
  | (Base & { type: 'wait_for_tasks'; step: string; next?: string })
  | (Base & { type: 'if'; condition: string; then?: string; else?: string })
  | (Base & {
      type: 'for_each';
      object: string;
      via: string;
      where?: string;
      update?: Values;
      note?: string;
      next?: string;
    })
  | (Base & { type: 'note'; text: string; next?: string })
  | (Base & {
      type: 'action';
      action: string;
      settings: Record<string, unknown>;
      next?: string;
    });

export type StepType = Step['type'];
export const STEP_TYPES: StepType[] = [
  'create_tasks',
  'create_record',
  'update_record',
  'assign',
  'move_stage',
  'send_email',
  'call_webhook',
  'wait',
  'wait_for_tasks',
  'if',
  'for_each',
  'note',
  'action',
];

export interface Definition {
  trigger: Trigger;
  /** The run starts only when this holds for the trigger's record. */
  condition?: string;
  start: string;
  steps: Step[];
}

export type RunCounts = { running: number; waiting: number; failed: number; done: number };

export interface Process {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  version: number;
  trigger: Trigger;
  created_at: string;
  updated_at: string;
  runs: RunCounts;
  /** With a webhook trigger: where to call it. */
  webhook_url?: string;
  /** With a webhook trigger, in the answer to the save that made it: the secret, shown once. */
  webhook_token?: string;
}

export type ProcessWithDefinition = Process & { definition: Definition };

export type RunStatus = 'running' | 'waiting' | 'done' | 'failed' | 'stopped';
export const RUN_STATUSES: RunStatus[] = ['running', 'waiting', 'done', 'failed', 'stopped'];

export interface Run {
  id: string;
  process_id: string;
  process_name: string;
  version: number;
  status: RunStatus;
  object: string | null;
  record_id: string | null;
  record_title?: string | null;
  started_at: string;
  finished_at: string | null;
  current_step: string | null;
  error: string | null;
}

export type RunStepStatus = 'running' | 'waiting' | 'done' | 'failed' | 'skipped';

export interface RunStep {
  id: string;
  step_id: string;
  step_type: string;
  visit: number;
  status: RunStepStatus;
  started_at: string | null;
  finished_at: string | null;
  input: unknown;
  output: unknown;
  error: string | null;
  attempts: number;
}

export type RunDetail = Run & { steps: RunStep[]; definition: Definition };

/** What the editor offers beyond the built-in step types: actions that flows add. */
export interface Catalog {
  triggers: string[];
  steps: string[];
  actions: {
    action: string;
    label: string;
    settings: {
      name: string;
      label: string;
      type: 'text' | 'template' | 'id' | 'duration' | 'number';
    }[];
    /** Whether its output lists `task_ids` (a wait for tasks may wait for them). */
    produces_tasks?: boolean;
  }[];
}

export interface ProblemPath {
  path: string;
  message: string;
}
