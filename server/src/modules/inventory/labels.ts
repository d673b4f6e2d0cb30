import type { LabelCatalog } from '../../core/metadata/labels';

/** The warehouse in Ukrainian. */
export const inventoryLabelsUk: LabelCatalog = {
  warehouses: {
    singular: 'Склад',
    plural: 'Склади',
    fields: {
      name: 'Назва',
      code: 'Код',
      is_active: 'Активний',
      street: 'Вулиця',
      city: 'Місто',
      country: 'Країна',
      description: 'Опис',
    },
  },
  reorder_points: {
    singular: 'Точка перезамовлення',
    plural: 'Точки перезамовлення',
    fields: {
      product_id: 'Товар',
      warehouse_id: 'Склад',
      min_quantity: 'Мінімальна кількість',
      reorder_quantity: 'Кількість для замовлення',
    },
    reverse: { product_id: 'Точки перезамовлення', warehouse_id: 'Точки перезамовлення' },
  },
  stock_counts: {
    singular: 'Інвентаризація',
    plural: 'Інвентаризації',
    fields: {
      number: 'Номер',
      warehouse_id: 'Склад',
      status: 'Стан',
      counted_at: 'Дата підрахунку',
      posting_id: 'Складська проводка',
      notes: 'Примітки',
    },
    options: { status: { draft: 'Чернетка', posted: 'Проведено' } },
    reverse: { warehouse_id: 'Інвентаризації' },
  },
  stock_count_lines: {
    singular: 'Рядок інвентаризації',
    plural: 'Рядки інвентаризації',
    fields: {
      count_id: 'Інвентаризація',
      product_id: 'Товар',
      counted_quantity: 'Фактична кількість',
      expected_quantity: 'Облікова кількість',
      difference: 'Різниця',
    },
    reverse: { count_id: 'Рядки', product_id: 'Рядки інвентаризацій' },
  },
};
