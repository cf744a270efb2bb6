// Runs the TypeScript worker entry through tsx: the backend worker thread when its caller
// runs from source (`leadbench serve` through tsx, tests). Built code starts worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
