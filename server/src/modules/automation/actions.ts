import type { ErrorDetail } from '../../core/errors';
import type { Kontor, RecordContext } from '../../core/kontor';
import type { MetadataRegistry } from '../../core/metadata/registry';
import type { Scope } from './expressions';

/** What a running step knows: its run, the record the run is about, the data gathered so far. */
export interface StepEnv {
  runId: string;
  processId: string;
  processName: string;
  visit: number;
  /** The trigger's record (object and id), when there is one. */
  record: { object: string; id: string } | null;
  /** Data for expressions: record, trigger, steps, now, today. */
  scope: Scope;
  /** Outputs of the steps done so far, by step id. */
  steps: Record<string, unknown>;
  /** Set when a waiting step is woken: by its time, a change to check, or its time-out. */
  resume?: 'time' | 'check' | 'timeout';
}

/** What a step did: finished (and where to go), or waiting (and for what). */
export type StepResult =
  | { status: 'done'; output?: unknown; next?: string | null }
  | {
      status: 'waiting';
      output?: unknown;
      /** Wake the step at this instant. */
      wakeAt?: Date;
      /** Wake the step (to check again) when one of these records changes. */
      watch?: { object: string; id: string }[];
      /** Wake the step for its time-out at this instant. */
      timeoutAt?: Date;
    };

/**
 * A step type a flow adds (`send_form`, `purchase_from_bom`), named in a definition as
 * `{type: 'action', action, settings}`. Flows offer them through `extensions['automation.actions']`.
 */
export interface AutomationAction {
  label: string;
  /** The settings the editor asks for. */
  settings: {
    name: string;
    label: string;
    type: 'text' | 'template' | 'id' | 'duration' | 'number';
  }[];
  /** Its output lists `task_ids`, so a wait_for_tasks step may wait for them. */
  producesTasks?: boolean;
  validate(
    settings: Record<string, unknown>,
    where: { meta: MetadataRegistry; object?: string },
  ): ErrorDetail[];
  run(ctx: RecordContext, settings: Record<string, unknown>, env: StepEnv): Promise<StepResult>;
}

export const ACTIONS_EXTENSION = 'automation.actions';

/** Every action the flows (and modules) offer. */
export function automationActions(k: Kontor): Record<string, AutomationAction> {
  const out: Record<string, AutomationAction> = {};
  for (const m of [...k.modules, ...k.flows]) {
    const offered = m.extensions?.[ACTIONS_EXTENSION] as
      Record<string, AutomationAction> | undefined;
    Object.assign(out, offered ?? {});
  }
  return out;
}
