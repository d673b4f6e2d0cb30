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
      queue_id: 'Черга',
      due_date: 'Термін',
      due_at: 'Час терміну',
      status: 'Статус',
      priority: 'Пріоритет',
      completed_at: 'Виконано',
      time_spent_minutes: 'Витрачено часу (хв)',
      related_object: 'Пов’язаний об’єкт',
      related_id: 'Пов’язаний запис',
      project_id: 'Проєкт',
    },
    options: {
      status: {
        open: 'Відкрите',
        waiting: 'Очікує',
        in_progress: 'У роботі',
        done: 'Виконане',
        cancelled: 'Скасоване',
      },
      priority: { low: 'Низький', normal: 'Звичайний', high: 'Високий' },
    },
    reverse: { project_id: 'Завдання', queue_id: 'Завдання' },
  },
  queues: {
    singular: 'Черга',
    plural: 'Черги',
    fields: { name: 'Назва', description: 'Опис' },
  },
  queue_members: {
    singular: 'Учасник черги',
    plural: 'Учасники черги',
    fields: { queue_id: 'Черга', user_id: 'Користувач' },
    reverse: { queue_id: 'Учасники' },
  },
  task_checklist_items: {
    singular: 'Пункт чек-листа',
    plural: 'Чек-лист',
    fields: { task_id: 'Завдання', text: 'Текст', done: 'Виконано', position: 'Позиція' },
    reverse: { task_id: 'Чек-лист' },
  },
  task_comments: {
    singular: 'Коментар',
    plural: 'Коментарі',
    fields: { task_id: 'Завдання', body: 'Текст', author_id: 'Автор' },
    reverse: { task_id: 'Коментарі' },
  },
  task_dependencies: {
    singular: 'Залежність',
    plural: 'Залежності',
    fields: { task_id: 'Завдання', depends_on_id: 'Чекає на завдання' },
    reverse: { task_id: 'Чекає на', depends_on_id: 'Блокує' },
  },
  task_watchers: {
    singular: 'Спостерігач',
    plural: 'Спостерігачі',
    fields: { task_id: 'Завдання', user_id: 'Користувач' },
    reverse: { task_id: 'Спостерігачі' },
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
