import { AppError, type ErrorDetail } from '../core/errors';
import type { Flow } from '../core/kontor';
import { ACTIONS_EXTENSION, type AutomationAction } from '../modules/automation/actions';
import { renderTemplate } from '../modules/automation/expressions';
import { template } from '../modules/automation/scope';
import { createLinkFromRequest } from '../modules/forms/links';

const DAY = 86_400_000;

/**
 * Sends a task's form to a person without a login: a one-time link, e-mailed, for a task an
 * earlier step created. Submitting the form completes the task, so a `wait_for_tasks` on that
 * step goes on once the form is in.
 */
const sendForm: AutomationAction = {
  label: 'Send a form link for a task',
  settings: [
    { name: 'task_step', label: 'Step that created the task', type: 'id' },
    { name: 'form_id', label: 'Form', type: 'id' },
    { name: 'to', label: 'Recipient e-mail', type: 'template' },
    { name: 'recipient_name', label: 'Recipient name', type: 'template' },
    { name: 'expires_in_days', label: 'Valid for (days)', type: 'number' },
    { name: 'message', label: 'Message', type: 'template' },
  ],
  validate(settings) {
    const errors: ErrorDetail[] = [];
    for (const name of ['task_step', 'form_id', 'to'])
      if (typeof settings[name] !== 'string' || !settings[name])
        errors.push({ path: name, message: 'is required' });
    const days = settings.expires_in_days;
    if (days !== undefined && !(Number.isInteger(days) && Number(days) >= 1 && Number(days) <= 90))
      errors.push({
        path: 'expires_in_days',
        message: 'must be a whole number of days from 1 to 90',
      });
    return errors;
  },
  async run(ctx, settings, env) {
    const made = env.steps[String(settings.task_step)] as { task_ids?: string[] } | undefined;
    const taskId = made?.task_ids?.[0];
    if (!taskId)
      throw new AppError(
        'validation',
        `step "${String(settings.task_step)}" has created no task in this run`,
      );
    const render = (v: unknown) =>
      typeof v === 'string' ? renderTemplate(template(v), env.scope).trim() : undefined;
    const to = render(settings.to)!;
    const days = Number(settings.expires_in_days ?? 14);
    const link = await createLinkFromRequest(ctx, taskId, {
      form_id: settings.form_id,
      recipient_email: to,
      ...(render(settings.recipient_name)
        ? { recipient_name: render(settings.recipient_name) }
        : {}),
      ...(render(settings.message) ? { message: render(settings.message) } : {}),
      send_email: true,
      expires_at: new Date(ctx.k.clock.now().getTime() + days * DAY).toISOString(),
    });
    // The token is in the e-mail only; the run keeps which link it was.
    return { status: 'done', output: { link_id: link.id, task_id: taskId, to } };
  },
};

export const automationFormsFlow: Flow = {
  name: 'automation-forms',
  extensions: { [ACTIONS_EXTENSION]: { send_form: sendForm } },
};
