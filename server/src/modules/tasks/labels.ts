import type { LabelCatalog } from '../../core/metadata/labels';

/** Tasks in Ukrainian. */
export const tasksLabelsUk: LabelCatalog = {
  tasks: {
    singular: 'Завдання',
    plural: 'Завдання',
    fields: {
      title: 'Назва',
      description: 'Опис',
      assignee_id: 'Виконавець',
      due_date: 'Термін',
      due_at: 'Час терміну',
      status: 'Статус',
      priority: 'Пріоритет',
      completed_at: 'Виконано',
      related_object: 'Пов’язаний об’єкт',
      related_id: 'Пов’язаний запис',
      project_id: 'Проєкт',
    },
    options: {
      status: {
        open: 'Відкрите',
        in_progress: 'У роботі',
        done: 'Виконане',
        cancelled: 'Скасоване',
      },
      priority: { low: 'Низький', normal: 'Звичайний', high: 'Високий' },
    },
    reverse: { project_id: 'Завдання' },
  },
  projects: {
    singular: 'Проєкт',
    plural: 'Проєкти',
    fields: {
      name: 'Назва',
      description: 'Опис',
      status: 'Статус',
      start_date: 'Початок',
      due_date: 'Термін',
      company_id: 'Компанія',
      deal_id: 'Угода',
      tasks_count: 'Завдань',
      done_tasks_count: 'Виконано завдань',
    },
    options: {
      status: {
        planned: 'Заплановано',
        active: 'Триває',
        on_hold: 'Призупинено',
        done: 'Завершено',
        cancelled: 'Скасовано',
      },
    },
    reverse: { company_id: 'Проєкти', deal_id: 'Проєкти' },
  },
};
