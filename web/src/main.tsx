import '@mantine/core/styles.css';
import './app.css';
import { Stack, Text, Title } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import {
  createRootRoute,
  createRoute,
  createRouter,
  Link,
  RouterProvider,
} from '@tanstack/react-router';
import { StrictMode } from 'react';
import { useTranslation } from 'react-i18next';
import './i18n';
import { createRoot } from 'react-dom/client';
import { Root } from './layout/Root';
import { KontorMantineProvider } from './theme';
import { Board, boardSearch } from './pages/Board';
import { Home } from './pages/Home';
import { ImportPage } from './pages/ImportPage';
import { Profile } from './pages/Profile';
import { ObjectTable, tableSearch } from './pages/ObjectTable';
import { RecordPage } from './pages/RecordPage';
import { settingsRoutes } from './pages/settings/routes';
import { SlaReport } from './pages/sla/SlaReport';
import { StockPage } from './pages/stock/StockPage';
import { TrashPage } from './pages/record/TrashPage';
import { ReorderPage } from './pages/documents/ReorderPage';

const rootRoute = createRootRoute({ component: Root });
const routeTree = rootRoute.addChildren([
  createRoute({ getParentRoute: () => rootRoute, path: '/', component: Home }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/o/$object',
    component: ObjectTable,
    validateSearch: tableSearch,
  }),
  createRoute({ getParentRoute: () => rootRoute, path: '/o/$object/$id', component: RecordPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/trash/$object', component: TrashPage }),
  createRoute({
    getParentRoute: () => rootRoute,
    path: '/board/$object',
    component: Board,
    validateSearch: boardSearch,
  }),
  settingsRoutes(rootRoute),
  createRoute({ getParentRoute: () => rootRoute, path: '/import/$object', component: ImportPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/profile', component: Profile }),
  createRoute({ getParentRoute: () => rootRoute, path: '/stock', component: StockPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/stock/reorder', component: ReorderPage }),
  createRoute({ getParentRoute: () => rootRoute, path: '/sla', component: SlaReport }),
]);
function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('notFoundTitle')}</Title>
      <Text>
        {t('notFoundText')} <Link to="/">{t('goHome')}</Link>.
      </Text>
    </Stack>
  );
}

const router = createRouter({ routeTree, defaultNotFoundComponent: NotFound });

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
    <KontorMantineProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </KontorMantineProvider>
  </StrictMode>,
);
