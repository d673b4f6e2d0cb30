import '@xyflow/react/dist/style.css';
import './automation.css';
import {
  Controls,
  Handle,
  Position,
  ReactFlow,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { edgesOf, layout, NODE_HEIGHT, NODE_WIDTH } from './graph';
import type { Definition, RunStepStatus } from './types';

/** What a node shows: its title, a line under it, and a run's status or the problems found. */
export type NodeView = {
  title: string;
  subtitle: string;
  status?: RunStepStatus | 'pending';
  statusLabel?: string;
  problems?: number;
};

type StepNodeData = NodeView & {
  selected: boolean;
  onSelect?: () => void;
  problemsLabel?: string;
  editLabel: string;
};

/**
 * One node: a button when the graph is edited (Tab reaches it, Enter or Space chooses it), a
 * plain box when it is only read. Colours follow the run status or the problems found.
 */
function StepNode({ data }: NodeProps<Node<StepNodeData>>) {
  const className = [
    'kontor-flow-node',
    data.selected ? 'is-selected' : '',
    data.problems ? 'has-problems' : '',
    data.status ? `status-${data.status}` : '',
  ].join(' ');
  const body = (
    <>
      <span className="kontor-flow-title">{data.title}</span>
      <span className="kontor-flow-subtitle">{data.subtitle}</span>
      {data.statusLabel && <span className="kontor-flow-status">{data.statusLabel}</span>}
      {!!data.problems && <span className="kontor-flow-problems">{data.problemsLabel}</span>}
    </>
  );
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      {data.onSelect ? (
        <button
          type="button"
          className={className}
          aria-pressed={data.selected}
          aria-label={`${data.editLabel}${data.problems ? `, ${data.problemsLabel}` : ''}`}
          onClick={data.onSelect}
          style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
        >
          {body}
        </button>
      ) : (
        <div className={className} style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}>
          {body}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
}

const nodeTypes = { step: StepNode };

/**
 * A process's graph, laid out top to bottom from the trigger. With `onSelect` each node is a
 * button that chooses it for the side panel; without, the graph is only read (a run's view).
 */
export function FlowGraph({
  definition,
  views,
  selected,
  onSelect,
  label,
  height = 520,
}: {
  definition: Definition;
  /** By node id (the trigger is TRIGGER_NODE). */
  views: Map<string, NodeView>;
  selected?: string | null;
  onSelect?: (id: string) => void;
  label: string;
  height?: number;
}) {
  const { t } = useTranslation('automation');
  const placed = useMemo(() => layout(definition), [definition]);
  const nodes: Node<StepNodeData>[] = placed.map((p) => {
    const view = views.get(p.id) ?? { title: p.id, subtitle: '' };
    return {
      id: p.id,
      type: 'step',
      position: { x: p.x, y: p.y },
      draggable: false,
      selectable: false,
      focusable: false,
      // A node that cannot be dragged or selected ignores the mouse; its button must not.
      style: onSelect ? { pointerEvents: 'all' } : undefined,
      data: {
        ...view,
        selected: selected === p.id,
        onSelect: onSelect ? () => onSelect(p.id) : undefined,
        problemsLabel: view.problems ? t('nodeProblems', { count: view.problems }) : undefined,
        editLabel: t('editNode', { name: `${view.title}: ${view.subtitle}` }),
      },
    };
  });
  const edges: Edge[] = edgesOf(definition).map((e) => ({
    id: `${e.from}-${e.slot}-${e.to}`,
    source: e.from,
    target: e.to,
    focusable: false,
    selectable: false,
    label:
      e.slot === 'then'
        ? t('edgeThen')
        : e.slot === 'else'
          ? t('edgeElse')
          : e.slot === 'on_timeout'
            ? t('edgeTimeout')
            : undefined,
    type: 'smoothstep',
  }));
  // The layout changes with the graph's shape; a new key fits the view to it again.
  const shape = placed.map((p) => `${p.id}@${p.x},${p.y}`).join(';');
  return (
    <div
      className="kontor-flow"
      role="group"
      aria-label={label}
      style={{ height }}
      data-testid="process-graph"
    >
      <ReactFlow
        key={shape}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        disableKeyboardA11y
        zoomOnDoubleClick={false}
        proOptions={{ hideAttribution: false }}
        ariaLabelConfig={{
          'controls.ariaLabel': t('graphControls'),
          'controls.zoomIn.ariaLabel': t('zoomIn'),
          'controls.zoomOut.ariaLabel': t('zoomOut'),
          'controls.fitView.ariaLabel': t('fitView'),
        }}
      >
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
