import type { Definition, Step, StepType } from './types';

/**
 * The process graph as the editor and the run view draw it: the trigger on top, then each step,
 * joined by the edges a step names (`next`, an if's `then` and `else`, a wait's `on_timeout`).
 * Pure functions over a definition, so that layout and edits are tested without a browser.
 */

/** The node that stands for the trigger and the start condition. */
export const TRIGGER_NODE = 'trigger';

export type Slot = 'next' | 'then' | 'else' | 'on_timeout';

export interface GraphEdge {
  from: string;
  to: string;
  slot: Slot | 'start';
}

/** The slots a step of a type has, in the order they are drawn left to right. */
export function slotsOf(type: StepType): Slot[] {
  if (type === 'if') return ['then', 'else'];
  if (type === 'wait') return ['next', 'on_timeout'];
  return ['next'];
}

function target(step: Step, slot: Slot): string | undefined {
  return (step as Partial<Record<Slot, string>>)[slot];
}

/** Every edge of the graph, the trigger's edge to the first step first. */
export function edgesOf(def: Definition): GraphEdge[] {
  const ids = new Set(def.steps.map((s) => s.id));
  const edges: GraphEdge[] = [];
  if (ids.has(def.start)) edges.push({ from: TRIGGER_NODE, to: def.start, slot: 'start' });
  for (const step of def.steps)
    for (const slot of slotsOf(step.type)) {
      const to = target(step, slot);
      if (to && ids.has(to)) edges.push({ from: step.id, to, slot });
    }
  return edges;
}

export interface Placed {
  id: string;
  layer: number;
  x: number;
  y: number;
}

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 76;
const COLUMN = NODE_WIDTH + 40;
const ROW = NODE_HEIGHT + 56;

/**
 * A layered, top-to-bottom layout. Each node's layer is the longest path to it from the trigger
 * (edges that lead back up, as a loop would, are left out), so a step where two branches meet
 * sits below both. Within a layer, nodes follow their parents' order, a `then` left of an `else`;
 * steps nothing leads to are laid out below the rest. Each layer is centred.
 */
export function layout(def: Definition): Placed[] {
  const edges = edgesOf(def);
  const out = new Map<string, GraphEdge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const nodes = [TRIGGER_NODE, ...def.steps.map((s) => s.id)];

  // Depth-first from the trigger, then from each node nothing reached, marks edges that close
  // a cycle so that the longest-path layering below ends.
  const back = new Set<GraphEdge>();
  const state = new Map<string, 'open' | 'done'>();
  const order: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.to);
      if (s === 'open') back.add(e);
      else if (!s) visit(e.to);
    }
    state.set(id, 'done');
    order.push(id);
  };
  visit(TRIGGER_NODE);
  const reached = new Set(order);
  for (const id of nodes) if (!state.has(id)) visit(id);
  const topological = order.reverse();

  const layer = new Map<string, number>();
  for (const id of topological) {
    if (!layer.has(id)) layer.set(id, 0);
    for (const e of out.get(id) ?? []) {
      if (back.has(e)) continue;
      layer.set(e.to, Math.max(layer.get(e.to) ?? 0, layer.get(id)! + 1));
    }
  }
  // Steps nothing reaches go below everything reached, in their own layers.
  const reachedDepth = Math.max(0, ...[...reached].map((id) => layer.get(id)!));
  for (const id of nodes) if (!reached.has(id)) layer.set(id, layer.get(id)! + reachedDepth + 1);

  const rank = (slot: GraphEdge['slot']) =>
    slot === 'then' ? 0 : slot === 'next' || slot === 'start' ? 1 : slot === 'on_timeout' ? 2 : 3;
  const position = new Map<string, number>();
  const layers = new Map<number, string[]>();
  for (const id of nodes) {
    const l = layer.get(id)!;
    layers.set(l, [...(layers.get(l) ?? []), id]);
  }
  const placed: Placed[] = [];
  for (const l of [...layers.keys()].sort((a, b) => a - b)) {
    const ids = layers.get(l)!;
    const key = (id: string) => {
      const parents = edges.filter((e) => e.to === id && !back.has(e) && position.has(e.from));
      if (parents.length === 0) return Number.MAX_SAFE_INTEGER;
      return Math.min(...parents.map((e) => position.get(e.from)! * 4 + rank(e.slot)));
    };
    const keys = new Map(ids.map((id) => [id, key(id)]));
    const sorted = ids
      .map((id, i) => ({ id, i }))
      .sort((a, b) => keys.get(a.id)! - keys.get(b.id)! || a.i - b.i)
      .map((x) => x.id);
    sorted.forEach((id, i) => {
      position.set(id, i);
      placed.push({ id, layer: l, x: (i - (sorted.length - 1) / 2) * COLUMN, y: l * ROW });
    });
  }
  return placed;
}

/** The next free step id: `s` and a number above every `s<number>` in use. */
export function newStepId(def: Definition): string {
  const used = def.steps
    .map((s) => /^s(\d+)$/.exec(s.id))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]));
  let n = Math.max(0, ...used) + 1;
  while (def.steps.some((s) => s.id === `s${n}`)) n++;
  return `s${n}`;
}

/** A step of a type with its settings empty or at their usual value, to be filled in. */
export function blankStep(type: StepType, id: string, objects: string[] = []): Step {
  switch (type) {
    case 'create_record':
      return { id, type, object: objects[0] ?? '', values: {} };
    case 'update_record':
      return { id, type, target: 'record', values: {} };
    case 'create_tasks':
      return { id, type, tasks: [{ title: '' }] };
    case 'assign':
      return { id, type, field: 'owner_id', strategy: 'fixed', users: [] };
    case 'move_stage':
      return { id, type, stage_id: '' };
    case 'send_email':
      return { id, type, to: '', subject: '', body: '' };
    case 'call_webhook':
      return { id, type, url: '' };
    case 'wait':
      return { id, type, for: { amount: 1, unit: 'days' } };
    case 'wait_for_tasks':
      return { id, type, step: '' };
    case 'if':
      return { id, type, condition: '' };
    case 'for_each':
      return { id, type, object: '', via: '' };
    case 'note':
      return { id, type, text: '' };
    case 'action':
      return { id, type, action: '', settings: {} };
  }
}

/** Where a step leads on when it is replaced or removed: its `next`, or an if's first branch. */
function continuation(step: Step): string | undefined {
  if (step.type === 'if') return step.then ?? step.else;
  return step.next;
}

function withSlot(step: Step, slot: Slot, to: string | undefined): Step {
  const copy = { ...step } as Step & Partial<Record<Slot, string>>;
  if (to === undefined) delete copy[slot];
  else copy[slot] = to;
  return copy;
}

/**
 * Inserts a step after a node: in one of its slots (the trigger's is the start), taking over
 * what that slot led to. Returns the new definition and the new step's id.
 */
export function addStep(
  def: Definition,
  after: string,
  slot: Slot,
  type: StepType,
  objects: string[] = [],
): { def: Definition; id: string } {
  const id = newStepId(def);
  if (after === TRIGGER_NODE) {
    const step = withSlot(blankStep(type, id, objects), firstSlot(type), def.start || undefined);
    return { def: { ...def, start: id, steps: [...def.steps, step] }, id };
  }
  const parent = def.steps.find((s) => s.id === after);
  if (!parent) return { def, id };
  const old = target(parent, slot);
  const step = withSlot(blankStep(type, id, objects), firstSlot(type), old);
  const steps = def.steps.flatMap((s) => (s.id === after ? [withSlot(s, slot, id), step] : [s]));
  return { def: { ...def, steps }, id };
}

function firstSlot(type: StepType): Slot {
  return slotsOf(type)[0];
}

/** The steps reachable from the start. */
export function reachable(def: Definition): Set<string> {
  const byId = new Map(def.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const stack = [def.start];
  while (stack.length) {
    const id = stack.pop()!;
    const step = byId.get(id);
    if (!step || seen.has(id)) continue;
    seen.add(id);
    for (const slot of slotsOf(step.type)) {
      const to = target(step, slot);
      if (to) stack.push(to);
    }
  }
  return seen;
}

/**
 * Removes a step; whatever led to it leads on to where it led. An if is replaced by its `then`
 * branch (its `else` if it has no `then`), and the steps only its other branch reached go with it.
 * The last step cannot be removed: a process has at least one.
 */
export function removeStep(def: Definition, id: string): Definition {
  const step = def.steps.find((s) => s.id === id);
  if (!step || def.steps.length === 1) return def;
  const to = continuation(step);
  const before = reachable(def);
  const relink = (s: Step): Step => {
    let out = s;
    for (const slot of slotsOf(s.type)) if (target(s, slot) === id) out = withSlot(out, slot, to);
    return out;
  };
  let next: Definition = {
    ...def,
    start: def.start === id ? (to ?? '') : def.start,
    steps: def.steps.filter((s) => s.id !== id).map(relink),
  };
  if (step.type === 'if') {
    const after = reachable(next);
    next = { ...next, steps: next.steps.filter((s) => !before.has(s.id) || after.has(s.id)) };
  }
  if (!next.start && next.steps.length) next = { ...next, start: next.steps[0].id };
  return next;
}

/** A step changed to another type: its id, name and where it leads are kept. */
export function changeType(step: Step, type: StepType, objects: string[] = []): Step {
  if (step.type === type) return step;
  const to = continuation(step);
  let out = blankStep(type, step.id, objects);
  if (step.name) out = { ...out, name: step.name };
  return withSlot(out, firstSlot(type), to);
}

/** Replaces one step by id. */
export function replaceStep(def: Definition, step: Step): Definition {
  return { ...def, steps: def.steps.map((s) => (s.id === step.id ? step : s)) };
}

/**
 * The server's messages by node: a path `definition.steps[2].condition` belongs to the step at
 * index 2 of the definition sent, `definition.trigger.object` and `definition.condition` to the
 * trigger. Each node's map is keyed by the rest of the path (`condition`, `tasks[0].title`).
 */
export function errorsByNode(
  def: Definition,
  errors: { path: string; message: string }[],
): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const add = (node: string, rest: string, message: string) => {
    if (!out.has(node)) out.set(node, new Map());
    const m = out.get(node)!;
    const prev = m.get(rest);
    m.set(rest, prev ? `${prev}; ${message}` : message);
  };
  for (const e of errors) {
    const path = e.path.replace(/^definition\.?/, '');
    const step = /^steps\[(\d+)\]\.?(.*)$/.exec(path) ?? /^steps\.(\d+)\.?(.*)$/.exec(path);
    if (step) {
      const s = def.steps[Number(step[1])];
      if (s) add(s.id, normalise(step[2]), e.message);
      continue;
    }
    if (path.startsWith('trigger') || path.startsWith('condition'))
      add(TRIGGER_NODE, normalise(path), e.message);
    else if (path === 'start' || path === 'steps') add(TRIGGER_NODE, path, e.message);
  }
  return out;
}

/** `tasks.0.title` and `tasks[0].title` are the same place. */
function normalise(rest: string): string {
  return rest.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/** Each step's id with its position in a definition, for the paths the server names. */
export function stepIndex(def: Definition, id: string): number {
  return def.steps.findIndex((s) => s.id === id);
}
