#!/usr/bin/env node
// The `kontor` command. TypeScript sources run through tsx, so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../server/src/cli/main.ts');
