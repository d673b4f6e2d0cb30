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
};
