import { createRoute, type AnyRoute } from '@tanstack/react-router';
import { Settings as Fields, fieldsSearch } from '../Settings';
import { ApiKeys } from './ApiKeys';
import { CustomObjects } from './CustomObjects';
import { Forms } from './Forms';
import { Pipelines } from './Pipelines';
import { Roles } from './Roles';
import { SettingsHome, SettingsLayout } from './SettingsLayout';
import { Users } from './Users';
import { WebhookDeliveries } from './WebhookDeliveries';
import { Webhooks } from './Webhooks';

/** The Settings area under /settings, to add to the app's route tree. */
export function settingsRoutes<P extends AnyRoute>(parent: P) {
  const settings = createRoute({
    getParentRoute: () => parent,
    path: '/settings',
    component: SettingsLayout,
  });
  return settings.addChildren([
    createRoute({ getParentRoute: () => settings, path: '/', component: SettingsHome }),
    createRoute({ getParentRoute: () => settings, path: '/users', component: Users }),
    createRoute({ getParentRoute: () => settings, path: '/roles', component: Roles }),
    createRoute({ getParentRoute: () => settings, path: '/pipelines', component: Pipelines }),
    createRoute({ getParentRoute: () => settings, path: '/objects', component: CustomObjects }),
    createRoute({
      getParentRoute: () => settings,
      path: '/fields',
      component: Fields,
      validateSearch: fieldsSearch,
    }),
    createRoute({ getParentRoute: () => settings, path: '/forms', component: Forms }),
    createRoute({ getParentRoute: () => settings, path: '/api-keys', component: ApiKeys }),
    createRoute({ getParentRoute: () => settings, path: '/webhooks', component: Webhooks }),
    createRoute({
      getParentRoute: () => settings,
      path: '/webhooks/$id',
      component: WebhookDeliveries,
    }),
  ]);
}
