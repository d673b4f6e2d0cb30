import type { Kontor } from '../kontor';
import { CORE_JOBS } from './housekeeping';
import type { JobHandlers } from './worker';
import { MAIL_JOBS } from '../mail/mailer';

/** The core's job kinds and every module's and flow's; a kind claimed twice is a programming error. */
export function allJobHandlers(k: Kontor): JobHandlers {
  const all: JobHandlers = { ...CORE_JOBS, ...MAIL_JOBS };
  for (const m of [...k.modules, ...k.flows]) {
    for (const [kind, handler] of Object.entries(m.jobs ?? {})) {
      if (all[kind]) throw new Error(`job kind "${kind}" is registered twice (by ${m.name})`);
      all[kind] = handler;
    }
  }
  return all;
}
