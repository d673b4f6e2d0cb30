import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import * as automation from '../../web/src/i18n/automation';
import {
  addStep,
  changeType,
  edgesOf,
  errorsByNode,
  layout,
  newStepId,
  removeStep,
  TRIGGER_NODE,
} from '../../web/src/pages/automation/graph';
import { triggerSummary } from '../../web/src/pages/automation/summary';
import type { Definition } from '../../web/src/pages/automation/types';

/** The process editor's graph: layout, adding and removing steps, and the server's messages. */
describe('the process graph in the web app', () => {
  const branching: Definition = {
    trigger: { type: 'record_created', object: 'deals' },
    start: 'check',
    steps: [
      { id: 'check', type: 'if', condition: 'record.amount > 1000', then: 'big', else: 'small' },
      { id: 'big', type: 'note', text: 'big', next: 'wait' },
      { id: 'wait', type: 'wait', for: { amount: 1, unit: 'days' }, next: 'end' },
      { id: 'small', type: 'note', text: 'small', next: 'end' },
      { id: 'end', type: 'note', text: 'end' },
    ],
  };
  const at = (def: Definition) => new Map(layout(def).map((p) => [p.id, p]));

  test('lays steps out in layers from the trigger, then left of else, a join below both', () => {
    const p = at(branching);
    expect(p.get(TRIGGER_NODE)!.layer).toBe(0);
    expect(p.get('check')!.layer).toBe(1);
    expect([p.get('big')!.layer, p.get('small')!.layer]).toEqual([2, 2]);
    expect(p.get('big')!.x).toBeLessThan(p.get('small')!.x);
    // The join sits below the longer branch (big → wait → end).
    expect(p.get('end')!.layer).toBe(4);
    expect(p.get('end')!.y).toBeGreaterThan(p.get('wait')!.y);
  });

  test('a loop back to an earlier step and a step nothing reaches still get a place', () => {
    const looping: Definition = {
      ...branching,
      steps: [
        ...branching.steps.map((s) => (s.id === 'end' ? { ...s, next: 'check' } : s)),
        { id: 'orphan', type: 'note', text: 'alone' },
      ],
    };
    const p = at(looping);
    expect(p.size).toBe(7);
    expect(p.get('check')!.layer).toBe(1);
    expect(p.get('orphan')!.layer).toBeGreaterThan(p.get('end')!.layer);
    expect(edgesOf(looping).some((e) => e.from === 'end' && e.to === 'check')).toBe(true);
  });

  test('new steps get the next free id and take over the slot they are added to', () => {
    expect(newStepId(branching)).toBe('s1');
    const { def, id } = addStep(branching, 'check', 'else', 'create_tasks');
    expect(id).toBe('s1');
    expect(def.steps.find((s) => s.id === 'check')).toMatchObject({ else: 's1' });
    expect(def.steps.find((s) => s.id === 's1')).toMatchObject({
      type: 'create_tasks',
      next: 'small',
    });
    expect(newStepId(def)).toBe('s2');

    const first = addStep(def, TRIGGER_NODE, 'next', 'if');
    expect(first.def.start).toBe('s2');
    expect(first.def.steps.find((s) => s.id === 's2')).toMatchObject({ type: 'if', then: 'check' });
  });

  test('removing a step reconnects what led to it; removing an if keeps its then branch', () => {
    const noWait = removeStep(branching, 'wait');
    expect(noWait.steps.find((s) => s.id === 'big')).toMatchObject({ next: 'end' });
    expect(noWait.steps.map((s) => s.id)).not.toContain('wait');

    const noIf = removeStep(branching, 'check');
    expect(noIf.start).toBe('big');
    // "small" was reached only through else; "end" is still reached through then.
    expect(noIf.steps.map((s) => s.id).sort()).toEqual(['big', 'end', 'wait']);

    const single: Definition = {
      ...branching,
      start: 'a',
      steps: [{ id: 'a', type: 'note', text: 'x' }],
    };
    expect(removeStep(single, 'a')).toBe(single);
  });

  test('changing a step to another type keeps its id, name and where it leads', () => {
    const step = { id: 'big', type: 'note' as const, name: 'Say it', text: 'big', next: 'wait' };
    expect(changeType(step, 'if')).toEqual({
      id: 'big',
      type: 'if',
      name: 'Say it',
      condition: '',
      then: 'wait',
    });
  });

  test("the server's messages land on the node and the input they name", () => {
    const byNode = errorsByNode(branching, [
      { path: 'definition.steps[0].condition', message: 'unknown field "amout" on deals at 7' },
      { path: 'definition.steps[1].tasks.0.title', message: 'Required' },
      { path: 'definition.trigger.object', message: 'unknown object' },
      { path: 'definition.condition', message: 'bad' },
      { path: 'name', message: 'Required' },
    ]);
    expect(byNode.get('check')!.get('condition')).toMatch(/amout/);
    expect(byNode.get('big')!.get('tasks[0].title')).toBe('Required');
    expect([...byNode.get(TRIGGER_NODE)!.keys()].sort()).toEqual(['condition', 'trigger.object']);
    expect(byNode.size).toBe(3);
  });
});

describe('a trigger in words', () => {
  const objects = [
    {
      name: 'deals',
      label_singular: 'Deal',
      label_plural: 'Deals',
      title_field: 'name',
      is_custom: false,
      related_lists: [],
      fields: [{ name: 'close_date', label: 'Close date' }],
    },
    {
      name: 'orders',
      label_singular: 'Order',
      label_plural: 'Orders',
      title_field: 'number',
      is_custom: false,
      related_lists: [],
      fields: [],
    },
  ];
  const stages = [{ id: 'w', name: 'Won', pipeline_id: 'p', position: 5 }];
  async function tFor(lng: 'en' | 'uk') {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng,
      resources: { en: { automation: automation.en }, uk: { automation: automation.uk } },
      interpolation: { escapeValue: false },
    });
    return i18n.getFixedT(lng, 'automation');
  }

  test('says what starts a process, in English and Ukrainian', async () => {
    const en = await tFor('en');
    expect(
      triggerSummary(
        en,
        'en',
        { type: 'stage_entered', object: 'deals', stage_id: 'w' },
        objects,
        stages,
      ),
    ).toBe('When a deal enters stage Won');
    expect(
      triggerSummary(en, 'en', { type: 'record_created', object: 'orders' }, objects, []),
    ).toBe('When an order is created');
    const offset = {
      type: 'date_reached' as const,
      object: 'deals',
      field: 'close_date',
      offset: { amount: 3, unit: 'days' as const, direction: 'before' as const },
    };
    expect(triggerSummary(en, 'en', offset, objects, [])).toBe(
      'When it is 3 days before Close date of a deal',
    );
    const uk = await tFor('uk');
    expect(triggerSummary(uk, 'uk', offset, objects, [])).toBe(
      'За 3 дні до «Close date» запису «Deal»',
    );
    expect(
      triggerSummary(
        uk,
        'uk',
        { type: 'schedule', every: { amount: 5, unit: 'minutes' } },
        objects,
        [],
      ),
    ).toBe('Кожні 5 хвилин');
  });
});
