import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const FIRST_LINE = /^\/\/ (examples\/angular-dashboard\/\S+)\n/;

/**
 * docs/angular.md shows the Angular example's code: every TypeScript block that starts with a
 * comment naming a file of the example must appear in that file, word for word, so that the page
 * shows code that compiles (the browser suite builds the example).
 */
describe('docs/angular.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/angular.md'), 'utf8');
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('shows the example through at least five blocks, each naming its file', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const block of blocks) expect(block).toMatch(FIRST_LINE);
  });

  it('shows only code that is in the example as it is', () => {
    const missing = blocks.filter((block) => {
      const [firstLine, path] = FIRST_LINE.exec(block) ?? [];
      if (firstLine === undefined || path === undefined) return true;
      return !readFileSync(join(ROOT, path), 'utf8').includes(block.slice(firstLine.length));
    });
    expect(missing).toEqual([]);
  });
});
