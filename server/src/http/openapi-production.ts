type Schema = Record<string, unknown>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ERRORS = {
  '400': problem('Bad input; errors[] names each field, like finished_at'),
  '401': problem('No valid session or API key'),
  '403': problem('The role does not allow this'),
  '404': problem('No such production order'),
  '409': problem(
    'The order is not in a state for this, or components are short (insufficient_stock, one error per component at components.{product_id})',
  ),
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

function action(operationId: string, summary: string, body?: Schema): Schema {
  return {
    post: {
      tags: ['Production orders'],
      operationId,
      summary,
      parameters: [idParam],
      ...(body ? { requestBody: { content: { 'application/json': { schema: body } } } } : {}),
      responses: { '200': { description: 'the production order' }, ...ERRORS },
    },
  };
}

/** The actions of production orders, for the paths of the OpenAPI document. */
export function productionPaths(visible: Set<string>): Record<string, Schema> {
  if (!visible.has('production_orders')) return {};
  const o = '/api/v1/production_orders/{id}';
  return {
    [`${o}/shortages`]: {
      get: {
        tags: ['Production orders'],
        operationId: 'productionOrderShortages',
        summary:
          'Per leaf component (nested bills exploded): needed, reserved by this order, available, incoming, short',
        parameters: [idParam],
        responses: {
          '200': { description: '{production_order_id, status, warehouse_id, short, data: [...]}' },
          ...ERRORS,
        },
      },
    },
    [`${o}/confirm`]: action(
      'confirmProductionOrder',
      'A draft reserves its components in its warehouse, all or none',
    ),
    [`${o}/start`]: action('startProductionOrder', 'A confirmed order is in progress'),
    [`${o}/complete`]: action(
      'completeProductionOrder',
      'Consumes the reserved components and puts the goods made into the warehouse at exactly their value',
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          finished_at: {
            type: 'string',
            format: 'date-time',
            description: 'when the work finished (not in the future); now if left out',
          },
        },
      },
    ),
    [`${o}/cancel`]: action('cancelProductionOrder', 'Releases what the order reserved'),
  };
}
