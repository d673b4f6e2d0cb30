type Schema = Record<string, unknown>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ERRORS = {
  '400': problem('Bad input; errors[] names each parameter, like from'),
  '401': problem('No valid session or API key'),
  '403': problem('The role does not allow reading the timed records'),
  '404': problem('No such record or policy'),
};
const query = (name: string, description: string, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'string' },
});

/** The SLA read endpoints, for the paths of the OpenAPI document. */
export function slaPaths(visible: Set<string>): Record<string, Schema> {
  if (!visible.has('sla_policies')) return {};
  return {
    '/api/v1/sla/timers': {
      get: {
        tags: ['SLA policies'],
        operationId: 'recordSlaTimers',
        summary: "A record's SLA timers, newest first, with the working minutes left on open ones",
        parameters: [
          query('object', 'the timed object (leads)', true),
          query('record_id', 'the timed record', true),
        ],
        responses: { '200': { description: '{data: [timer]}' }, ...ERRORS },
      },
    },
    '/api/v1/sla/report': {
      get: {
        tags: ['SLA policies'],
        operationId: 'slaReport',
        summary:
          'Per policy: timers started, fulfilled in time or late, breached, running, cancelled; median and p95 working minutes to fulfilment',
        parameters: [
          query('policy_id', 'one policy only'),
          query('from', 'timers started from: YYYY-MM-DD (UTC) or an ISO instant'),
          query('to', 'timers started before: YYYY-MM-DD (inclusive, UTC) or an ISO instant'),
        ],
        responses: { '200': { description: '{data: [policy report]}' }, ...ERRORS },
      },
    },
  };
}
