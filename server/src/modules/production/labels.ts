import type { LabelCatalog } from '../../core/metadata/labels';

/** Production in Ukrainian. */
export const productionLabelsUk: LabelCatalog = {
  bills_of_materials: {
    singular: 'Специфікація',
    plural: 'Специфікації',
    fields: {
      name: 'Назва',
      product_id: 'Виріб',
      output_quantity: 'Кількість на випуск',
      is_active: 'Активна',
      notes: 'Примітки',
    },
    reverse: { product_id: 'Специфікації' },
  },
  bom_lines: {
    singular: 'Рядок специфікації',
    plural: 'Рядки специфікації',
    fields: {
      bom_id: 'Специфікація',
      component_id: 'Компонент',
      quantity: 'Кількість',
      position: 'Позиція',
    },
    reverse: { bom_id: 'Компоненти', component_id: 'Входить до специфікацій' },
  },
  production_orders: {
    singular: 'Виробниче замовлення',
    plural: 'Виробничі замовлення',
    fields: {
      number: 'Номер',
      status: 'Стан',
      bom_id: 'Специфікація',
      product_id: 'Виріб',
      quantity: 'Кількість',
      warehouse_id: 'Склад',
      sales_order_id: 'Замовлення клієнта',
      deal_id: 'Угода',
      planned_date: 'Запланована дата',
      finished_at: 'Завершено',
      produced_value: 'Вартість виготовленого',
      notes: 'Примітки',
    },
    options: {
      status: {
        draft: 'Чернетка',
        confirmed: 'Підтверджене',
        in_progress: 'У роботі',
        done: 'Виконане',
        cancelled: 'Скасоване',
      },
    },
    reverse: {
      bom_id: 'Виробничі замовлення',
      product_id: 'Виробничі замовлення',
      warehouse_id: 'Виробничі замовлення',
      sales_order_id: 'Виробничі замовлення',
      deal_id: 'Виробничі замовлення',
    },
  },
};
