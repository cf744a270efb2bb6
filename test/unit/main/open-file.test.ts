import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceArgument } from '../../../electron/main/open-file';

describe('workspaceArgument', () => {
  const cwd = resolve('/home/rep/leads');

  it('finds the .leadbench file a launch names, made absolute', () => {
    expect(workspaceArgument(['/opt/Leadbench/leadbench', 'Q3.leadbench'], cwd)).toBe(resolve(cwd, 'Q3.leadbench'));
    expect(workspaceArgument(['leadbench', '/data/West Coast.LEADBENCH'], cwd)).toBe('/data/West Coast.LEADBENCH');
    // From a checkout: `electron . file.leadbench`, with Chromium switches around it.
    expect(workspaceArgument(['electron', '.', '--no-sandbox', 'a.leadbench', '--flag=x.leadbench'], cwd)).toBe(
      resolve(cwd, 'a.leadbench'),
    );
  });

  it('ignores the executable, switches and other files', () => {
    expect(workspaceArgument(['/x/y.leadbench'], cwd)).toBeNull();
    expect(workspaceArgument(['leadbench', '--user-data-dir=/tmp/u.leadbench', 'notes.txt'], cwd)).toBeNull();
    expect(workspaceArgument([], cwd)).toBeNull();
  });
});
