// Loads the TypeScript worker entry through tsx inside the worker thread (tests only).
import { register } from 'tsx/esm/api';

register();
await import('../../electron/backend/worker.ts');
