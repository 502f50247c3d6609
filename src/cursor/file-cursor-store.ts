import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validPositions, type HmbCursorStore, type HmbPositions } from './cursor-store';

/**
 * Keeps positions in JSON files, one per key, in a directory (Node only). Each save writes a
 * temporary file and renames it over the old one, so a crash mid-write leaves the previous
 * positions intact, never a torn file.
 *
 * @example
 * ```ts
 * import { FileCursorStore } from 'hmb-rx';
 * client.subscribe(params, { cursor: { store: new FileCursorStore('./state'), key: 'alerts' } });
 * ```
 */
export class FileCursorStore implements HmbCursorStore {
  constructor(private readonly directory: string) {}

  async load(key: string): Promise<HmbPositions | undefined> {
    let text: string;
    try {
      text = readFileSync(this.fileOf(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      return validPositions(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  async save(key: string, positions: HmbPositions): Promise<void> {
    // Synchronous on purpose: the file is tiny, and the last save of a subscription runs in its
    // teardown, where nothing could wait for a promise.
    mkdirSync(this.directory, { recursive: true });
    const file = this.fileOf(key);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(positions));
    renameSync(temporary, file);
  }

  private fileOf(key: string): string {
    return join(this.directory, `${encodeURIComponent(key)}.json`);
  }
}
