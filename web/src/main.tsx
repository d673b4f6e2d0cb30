import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createRootRoute, createRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './layout/Root';
import { Board } from './pages/Board';
import { Home } from './pages/Home';
import { ImportPage } from './pages/ImportPage';
import { Settings } from './pages/Settings';
import { ObjectTable } from './pages/ObjectTable';
import { RecordPage } from './pages/RecordPage';

const rootRoute = createRootRoute({ component: Root });
const routeTree = rootRoute.addChildren([
  createRoute({ getParentRoute: () => rootRoute, path: '/', component: Home }),
  createRoute({ getParentRoute: () => rootRoute, path: '/o/$object', component: ObjectTable }),
  createRoute({ getParentRoute: () => rootRoute, path: '/o/$object/$id', component: RecordPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/board/$object', component: Board }),
  createRoute({ getParentRoute: () => rootRoute, path: '/settings/fields', component: Settings }),
  createRoute({ getParentRoute: () => rootRoute, path: '/import/$object', component: ImportPage }),
]);
const router = createRouter({ routeTree });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, staleTime: 10_000 } },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
