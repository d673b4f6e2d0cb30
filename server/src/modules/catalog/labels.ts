import type { LabelCatalog } from '../../core/metadata/labels';

/** The catalog in Ukrainian. */
export const catalogLabelsUk: LabelCatalog = {
  product_categories: {
    singular: 'Категорія товарів',
    plural: 'Категорії товарів',
    fields: { name: 'Назва', description: 'Опис' },
  },
  products: {
    singular: 'Товар',
    plural: 'Товари',
    fields: {
      name: 'Назва',
      sku: 'Артикул',
      kind: 'Вид',
      unit: 'Одиниця',
      price: 'Ціна',
      category_id: 'Категорія',
      supplier_id: 'Постачальник',
      is_active: 'Активний',
      allow_negative_stock: 'Залишок може бути від’ємним',
      external_ref: 'Зовнішній ідентифікатор',
      description: 'Опис',
    },
    options: { kind: { goods: 'Товар', service: 'Послуга' } },
    reverse: { category_id: 'Товари', supplier_id: 'Товари, що постачає' },
  },
};
