// Runs the TypeScript helper entry through tsx: the scoring helper thread when the backend
// itself runs from source (tests, the CLI, the benchmark). The built app starts the bundled
// score-helper.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./score-helper.ts');
