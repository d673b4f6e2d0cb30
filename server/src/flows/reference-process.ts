import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, parseInput } from '../core/errors';
import { inTransaction, type Flow, type Kontor, type RecordContext } from '../core/kontor';
import type { Actor } from '../core/actor';
import { createField } from '../core/metadata/constructor';
import { METADATA_CHANNEL } from '../core/metadata/registry';
import { requireActor } from '../http/context';
import type { Definition } from '../modules/automation/definition';
import { saveProcess } from '../modules/automation/store';
import { validateDefinition } from '../modules/automation/validate';
import { automationActions } from '../modules/automation/actions';
import { createForm } from '../modules/forms';

/**
 * The reference process, shipped as a ready template: a manufacturer's deal from its first stage
 * to the installation report. Installing it adds what it needs (three installation fields on
 * deals, the installation report form) and two processes:
 * - "Deal stages": stage tasks for the deal's owner, and an estimate for production when a deal
 *   is qualified;
 * - "Won deal": production and purchase orders planned from the deal's sales orders, production
 *   and purchasing tasks for their queues, installation when production is done, and a one-time
 *   form link to the installation team, whose report completes their task and lands on the deal.
 * Installing twice changes nothing: what exists (by name) is kept.
 */

const PROCESS_STAGES = 'Deal stages: tasks for sales and production';
const PROCESS_WON = 'Won deal: production, purchasing and installation';
const FORM_NAME = 'Installation report';

const INSTALL_FIELDS = [
  { name: 'installed_on', label: 'Installed on', type: 'date' },
  { name: 'installation_notes', label: 'Installation notes', type: 'long_text' },
  {
    name: 'installation_confirmed',
    label: 'Installation confirmed by the customer',
    type: 'boolean',
  },
] as const;

async function idByName(ctx: RecordContext, object: string, name: string): Promise<string> {
  const o = ctx.k.meta.get(object);
  const row = await ctx.db
    .selectFrom(o.table)
    .select('id')
    .where('name', '=', name)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!row)
    throw new AppError(
      'conflict',
      `The reference process needs the ${o.labelSingular.toLowerCase()} "${name}"`,
    );
  return row.id as string;
}

function stagesDefinition(production: string, stages: Record<string, string>): Definition {
  const owner = '{{ record.owner_id }}';
  // The stage the deal entered with the change that started the run (not the deal's stage when
  // the step runs, which may have moved on since).
  return {
    trigger: { type: 'field_changed', object: 'deals', field: 'stage_id' },
    start: 'qualified',
    steps: [
      {
        id: 'qualified',
        type: 'if',
        condition: `trigger.new.stage_id == '${stages.Qualified}'`,
        then: 'qualify',
        else: 'proposal',
      },
      {
        id: 'qualify',
        type: 'create_tasks',
        tasks: [
          {
            title: 'Qualify the needs of {{ record.name }}',
            assignee: owner,
            due_in: { amount: 2, unit: 'days' },
          },
          {
            title: 'Estimate the work for {{ record.name }}',
            queue_id: production,
            due_in: { amount: 5, unit: 'days' },
          },
        ],
      },
      {
        id: 'proposal',
        type: 'if',
        condition: `trigger.new.stage_id == '${stages.Proposal}'`,
        then: 'propose',
        else: 'negotiation',
      },
      {
        id: 'propose',
        type: 'create_tasks',
        tasks: [
          {
            title: 'Send the proposal for {{ record.name }}',
            assignee: owner,
            due_in: { amount: 3, unit: 'days' },
          },
        ],
      },
      {
        id: 'negotiation',
        type: 'if',
        condition: `trigger.new.stage_id == '${stages.Negotiation}'`,
        then: 'negotiate',
      },
      {
        id: 'negotiate',
        type: 'create_tasks',
        tasks: [
          {
            title: 'Agree the terms of {{ record.name }}',
            assignee: owner,
            due_in: { amount: 5, unit: 'days' },
          },
        ],
      },
    ],
  };
}

function wonDefinition(
  ids: { won: string; production: string; purchasing: string; installation: string; form: string },
  installerEmail: string,
): Definition {
  return {
    trigger: { type: 'stage_entered', object: 'deals', stage_id: ids.won },
    start: 'plan',
    steps: [
      { id: 'plan', type: 'action', action: 'plan_production', settings: {}, next: 'make' },
      {
        id: 'make',
        type: 'create_tasks',
        tasks: [
          {
            title: 'Produce the order of {{ record.name }}',
            queue_id: ids.production,
            priority: 'high',
            due_in: { amount: 7, unit: 'days' },
          },
          {
            title: 'Check the quality of {{ record.name }}',
            queue_id: ids.production,
            due_in: { amount: 8, unit: 'days' },
            depends_on: [0],
          },
        ],
        next: 'buy',
      },
      {
        id: 'buy',
        type: 'create_tasks',
        tasks: [
          {
            title: 'Order the materials for {{ record.name }}',
            description:
              '{{ len(steps.plan.purchase_order_ids) }} draft purchase orders and {{ len(steps.plan.production_order_ids) }} production orders were planned for this deal.',
            queue_id: ids.purchasing,
            due_in: { amount: 2, unit: 'days' },
          },
        ],
        next: 'production_done',
      },
      { id: 'production_done', type: 'wait_for_tasks', step: 'make', next: 'install' },
      {
        id: 'install',
        type: 'create_tasks',
        tasks: [
          {
            title: 'Install {{ record.name }} at the customer',
            queue_id: ids.installation,
            due_in: { amount: 3, unit: 'days' },
          },
        ],
        next: 'send_form',
      },
      {
        id: 'send_form',
        type: 'action',
        action: 'send_form',
        settings: {
          task_step: 'install',
          form_id: ids.form,
          to: installerEmail,
          recipient_name: 'Installation team',
          message:
            'Installation of {{ record.name }}: please report the result here once it is done.',
          expires_in_days: 30,
        },
        next: 'installed',
      },
      { id: 'installed', type: 'wait_for_tasks', step: 'install', next: 'report' },
      {
        id: 'report',
        type: 'note',
        text: 'Installed on {{ record.installed_on }}. {{ record.installation_notes }}',
      },
    ],
  };
}

const installSchema = z.strictObject({
  installer_email: z.email('must be an e-mail address'),
  enabled: z.boolean().default(true),
});

/** Installs the reference process (idempotent); returns the processes and the form. */
export async function installReferenceProcess(k: Kontor, actor: Actor, body: unknown) {
  const input = parseInput(installSchema, body);
  // The deal fields first, in their own transaction: the form and the processes are checked
  // against metadata that includes them.
  const missing = INSTALL_FIELDS.filter((f) => !k.meta.get('deals').field(f.name));
  if (missing.length) {
    try {
      await inTransaction(k, actor, async (ctx) => {
        for (const f of missing) await createField(ctx, 'deals', f);
        await k.database.notify(ctx.db, METADATA_CHANNEL, 'changed');
      });
    } finally {
      await k.meta.load(k.database.db);
    }
  }
  return inTransaction(k, actor, async (ctx) => {
    const ids = {
      won: await idByName(ctx, 'stages', 'Won'),
      production: await idByName(ctx, 'queues', 'Production'),
      purchasing: await idByName(ctx, 'queues', 'Purchasing'),
      installation: await idByName(ctx, 'queues', 'Installation'),
      form: '',
    };
    // The stage a deal entered is read from the change that started the run, not from the deal
    // when the step runs (it may have moved on since).
    const stageIds: Record<string, string> = {};
    for (const name of ['Qualified', 'Proposal', 'Negotiation'])
      stageIds[name] = await idByName(ctx, 'stages', name);
    const form = await ctx.db
      .selectFrom('forms')
      .select('id')
      .where('name', '=', FORM_NAME)
      .executeTakeFirst();
    ids.form = form
      ? (form.id as string)
      : (
          await createForm(ctx, {
            name: FORM_NAME,
            kind: 'task',
            description: 'What the installation team reports when the job is done.',
            fields: [
              {
                name: 'installed_on',
                label: 'Installation date',
                type: 'date',
                required: true,
                target_field: 'deals.installed_on',
              },
              {
                name: 'notes',
                label: 'Notes',
                type: 'long_text',
                target_field: 'deals.installation_notes',
              },
              { name: 'photos', label: 'Photos', type: 'photo' },
              {
                name: 'confirmed',
                label: 'The customer confirms the installation',
                type: 'boolean',
                required: true,
                target_field: 'deals.installation_confirmed',
              },
            ],
            success_message: 'Thank you: the report is in and the task is closed.',
          })
        ).id;
    const actions = automationActions(k);
    const out: { processes: { id: string; name: string }[]; form_id: string } = {
      processes: [],
      form_id: ids.form,
    };
    for (const [name, definition] of [
      [PROCESS_STAGES, stagesDefinition(ids.production, stageIds)],
      [PROCESS_WON, wonDefinition(ids, input.installer_email)],
    ] as const) {
      const existing = await ctx.db
        .selectFrom('automation_processes')
        .select('id')
        .where('name', '=', name)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (existing) {
        out.processes.push({ id: existing.id as string, name });
        continue;
      }
      const checked = validateDefinition(k.meta, definition, actions);
      if (!checked.definition)
        throw new Error(
          `the reference process "${name}" is invalid: ${JSON.stringify(checked.errors)}`,
        );
      const saved = await saveProcess(ctx, {
        name,
        description: 'Part of the reference process for manufacturers (docs/processes.md).',
        enabled: input.enabled,
        definition: checked.definition,
      });
      out.processes.push({ id: saved.process.id, name });
    }
    return out;
  });
}

export const referenceProcessFlow: Flow = {
  name: 'reference-process',
  async routes(app: FastifyInstance) {
    app.post('/api/v1/automation/templates/reference/install', async (request, reply) => {
      const actor = requireActor(request);
      if (!actor.role.isAdmin)
        throw new AppError('forbidden', 'Only administrators install processes');
      reply.code(201);
      return installReferenceProcess(request.server.kontor, actor, request.body);
    });
  },
};
