import { createRoute, type AnyRoute } from '@tanstack/react-router';
import { EditorPage, editorSearch } from './EditorPage';
import { ProcessesPage } from './ProcessesPage';
import { RunPage } from './RunPage';
import { RunsPage, runsSearch } from './RunsPage';

/** Automation under /automation: processes, the editor, runs; to add to the app's route tree. */
export function automationRoutes<P extends AnyRoute>(parent: P) {
  return [
    createRoute({ getParentRoute: () => parent, path: '/automation', component: ProcessesPage }),
    createRoute({ getParentRoute: () => parent, path: '/automation/new', component: EditorPage }),
    createRoute({
      getParentRoute: () => parent,
      path: '/automation/runs',
      component: RunsPage,
      validateSearch: runsSearch,
    }),
    createRoute({
      getParentRoute: () => parent,
      path: '/automation/runs/$runId',
      component: RunPage,
    }),
    createRoute({
      getParentRoute: () => parent,
      path: '/automation/$id',
      component: EditorPage,
      validateSearch: editorSearch,
    }),
  ] as const;
}
