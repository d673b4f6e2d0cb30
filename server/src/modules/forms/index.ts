import type { Module } from '../../core/kontor';
import { formsRoutes } from './routes';

export { createFormLink, revokeFormLink, submitFormLink, linkUrl } from './links';
export type { CreateFormLinkInput, LinkState } from './links';
export { createForm, loadForm, type FormDef, type FormField } from './definitions';

/**
 * Forms for people without a login: links that let an outside person complete a task and write
 * its result into the task's record, and public web forms that create or match leads.
 */
export const formsModule: Module = {
  name: 'forms',
  objects: [],
  routes: formsRoutes,
};
