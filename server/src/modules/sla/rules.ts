import { validationError, type ErrorDetail } from '../../core/errors';
import type { RecordHooks } from '../../core/records/hooks';
import { slaObjects, type StopKind } from './objects';
import { isTimeZone, parseWorkingHours } from './working-time';

/** A calendar's time zone must be a real IANA zone and its hours must read as working hours. */
export const calendarRulesHook: RecordHooks = {
  async beforeWrite(_ctx, e) {
    const errors: ErrorDetail[] = [];
    const zone = e.values.time_zone;
    if (typeof zone === 'string' && !isTimeZone(zone)) {
      errors.push({
        path: 'time_zone',
        message: `"${zone.slice(0, 64)}" is not an IANA time zone; use a name like Europe/Berlin or UTC`,
      });
    }
    const hours = e.values.working_hours;
    if (typeof hours === 'string') {
      const parsed = parseWorkingHours(hours);
      for (const problem of parsed.problems)
        errors.push({ path: 'working_hours', message: problem });
    }
    if (errors.length) throw validationError(errors);
  },
};

const OWN_OBJECTS = new Set(slaObjects.map((o) => o.name));

/**
 * A policy must name an object that exists and fields that object has, and say everything its
 * stop condition needs; checked on the policy as it will be after the change.
 */
export const policyRulesHook: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create' && e.values.enabled === undefined) e.values.enabled = true;
    const p = { ...(e.before ?? {}), ...e.values } as Record<string, unknown>;
    const errors: ErrorDetail[] = [];
    const present = (v: unknown) => v !== undefined && v !== null && v !== '';

    const object = typeof p.object === 'string' ? ctx.k.meta.find(p.object) : undefined;
    if (present(p.object) && (!object || OWN_OBJECTS.has(object.name))) {
      errors.push({
        path: 'object',
        message: `no object named "${String(p.object)}" can be timed`,
      });
    }
    const checkField = (name: string) => {
      if (object && present(p[name]) && !object.field(String(p[name]))) {
        errors.push({
          path: name,
          message: `${object.labelPlural.toLowerCase()} have no field "${String(p[name])}"`,
        });
      }
    };
    checkField('start_field');
    if (present(p.start_field) && !present(p.start_value))
      errors.push({ path: 'start_value', message: 'is required when a start field is given' });
    if (!present(p.start_field) && present(p.start_value))
      errors.push({ path: 'start_field', message: 'is required when a start value is given' });

    const kind = p.stop_kind as StopKind | undefined;
    if (kind === 'field_changes' || kind === 'field_becomes') {
      if (!present(p.stop_field))
        errors.push({ path: 'stop_field', message: `is required when the timer stops on a field` });
      checkField('stop_field');
    }
    if (kind === 'field_becomes' && !present(p.stop_value))
      errors.push({ path: 'stop_value', message: 'is required when the timer stops on a value' });

    const target = p.target_minutes;
    if (typeof target === 'number' && (target < 1 || target > 525_600)) {
      errors.push({
        path: 'target_minutes',
        message: 'must be from 1 to 525600 working minutes',
      });
    }
    if (errors.length) throw validationError(errors);
  },
};
