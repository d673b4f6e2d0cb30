import type { ObjectDef } from '../../core/metadata/types';

/** Working hours in a time zone; SLA targets count working time by one of these. */
export const calendars: ObjectDef = {
  name: 'calendars',
  labelSingular: 'Working calendar',
  labelPlural: 'Working calendars',
  module: 'sla',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, unique: true, searchable: true },
    {
      name: 'time_zone',
      label: 'Time zone',
      type: 'text',
      required: true,
      maxLength: 64,
      description: 'IANA time zone the hours are in, like Europe/Berlin or UTC',
    },
    {
      name: 'working_hours',
      label: 'Working hours',
      type: 'text',
      required: true,
      maxLength: 500,
      description:
        'Days and times separated by semicolons, like "mon-fri 09:00-17:00; sat 10:00-14:00"; ' +
        'several ranges a day with commas ("mon 09:00-12:00, 13:00-17:00"); an end before the ' +
        'start runs past midnight ("mon-fri 22:00-06:00")',
    },
  ],
};

/** A day without work in one calendar; the shifts that start on it do not count. */
export const calendarHolidays: ObjectDef = {
  name: 'calendar_holidays',
  labelSingular: 'Holiday',
  labelPlural: 'Holidays',
  module: 'sla',
  titleField: 'name',
  fields: [
    {
      name: 'calendar_id',
      label: 'Calendar',
      type: 'relation',
      target: 'calendars',
      required: true,
      indexed: true,
      reverseName: 'holidays',
      reverseLabel: 'Holidays',
    },
    { name: 'date', label: 'Date', type: 'date', required: true, indexed: true },
    { name: 'name', label: 'Name', type: 'text', required: true, searchable: true },
  ],
};

/** Stop conditions of an SLA policy. */
export const STOP_KINDS = ['field_changes', 'field_becomes', 'activity_created'] as const;
export type StopKind = (typeof STOP_KINDS)[number];

/**
 * A promise about a kind of record ("a new lead gets a first response within 15 working
 * minutes"): when its timer starts and stops, its target in working time and what a breach does.
 */
export const slaPolicies: ObjectDef = {
  name: 'sla_policies',
  labelSingular: 'SLA policy',
  labelPlural: 'SLA policies',
  module: 'sla',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, searchable: true },
    {
      name: 'object',
      label: 'Object',
      type: 'text',
      required: true,
      indexed: true,
      description: 'The records the policy times, by object name (leads, tasks, deals)',
    },
    { name: 'enabled', label: 'Enabled', type: 'boolean', indexed: true },
    {
      name: 'start_field',
      label: 'Start only when field',
      type: 'text',
      description:
        'Empty: every new record starts a timer. Otherwise a record starts one when it is ' +
        'created with, or changed to, this field equal to the start value',
    },
    { name: 'start_value', label: 'Start value', type: 'text' },
    {
      name: 'stop_kind',
      label: 'Stops when',
      type: 'select',
      required: true,
      options: [
        { value: 'field_changes', label: 'The stop field changes' },
        { value: 'field_becomes', label: 'The stop field takes the stop value' },
        { value: 'activity_created', label: 'An activity is recorded on the record' },
      ],
    },
    { name: 'stop_field', label: 'Stop field', type: 'text' },
    { name: 'stop_value', label: 'Stop value', type: 'text' },
    {
      name: 'target_minutes',
      label: 'Target (working minutes)',
      type: 'integer',
      required: true,
    },
    {
      name: 'calendar_id',
      label: 'Calendar',
      type: 'relation',
      target: 'calendars',
      required: true,
      onDelete: 'restrict',
      reverseName: 'sla_policies',
      reverseLabel: 'SLA policies',
    },
    { name: 'notify_owner', label: 'On breach: e-mail the owner', type: 'boolean' },
    {
      name: 'reassign_to',
      label: 'On breach: reassign to',
      type: 'relation',
      target: 'users',
    },
  ],
};

export const slaObjects = [calendars, calendarHolidays, slaPolicies];
