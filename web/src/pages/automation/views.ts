import type { TFunction } from 'i18next';
import type { ObjectMeta } from '../../api/client';
import type { StageOption } from './api';
import type { NodeView } from './FlowGraph';
import { TRIGGER_NODE } from './graph';
import { durationText, triggerSummary } from './summary';
import type { Definition, Step } from './types';

type T = TFunction<'automation'>;

/** A step in a few words under its title: what it does, cut to fit a node. */
function detail(t: T, step: Step, stages: StageOption[] | undefined): string {
  switch (step.type) {
    case 'create_tasks':
      return step.tasks.map((task) => task.title).join(', ');
    case 'create_record':
      return step.object;
    case 'update_record':
    case 'for_each':
      return Object.keys(step.type === 'for_each' ? (step.update ?? {}) : step.values).join(', ');
    case 'assign':
      return t(`strategy_${step.strategy}`);
    case 'move_stage':
      return stages?.find((s) => s.id === step.stage_id)?.name ?? '';
    case 'send_email':
      return step.subject;
    case 'call_webhook':
      return step.url;
    case 'wait':
      return step.for ? durationText(t, step.for) : (step.condition ?? step.until ?? '');
    case 'wait_for_tasks':
      return step.step;
    case 'if':
      return step.condition;
    case 'note':
      return step.text;
    case 'action':
      return step.action;
  }
}

/** Each node's title and line: the trigger in words, each step by its name or its kind. */
export function stepViews(
  t: T,
  language: string,
  def: Definition,
  objects: ObjectMeta[] | undefined,
  stages: StageOption[] | undefined,
): Map<string, NodeView> {
  const views = new Map<string, NodeView>();
  views.set(TRIGGER_NODE, {
    title: t('triggerNode'),
    subtitle: triggerSummary(t, language, def.trigger, objects, stages),
  });
  for (const step of def.steps) {
    const kind = t(`stepType.${step.type}`);
    const what = detail(t, step, stages);
    views.set(step.id, {
      title: step.name ? step.name : kind,
      subtitle: [step.id, step.name ? kind : what].filter(Boolean).join(' · '),
    });
  }
  return views;
}
