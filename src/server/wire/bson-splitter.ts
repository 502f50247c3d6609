import { MAX_BSON_DOCUMENT_BYTES, readInt32LE } from './bson-reader';
import { MalformedRequest } from './malformed-request';

/** The original's answer to a length prefix it will not read. */
export const INVALID_BSON_SIZE = 'invalid BSON size';

/**
 * Cuts a BSON /send body into documents as its chunks arrive, so that documents are stored one
 * by one while the upload goes on (as the original does: with a body limit, the documents before
 * the limit are stored). Bytes left over at the end (a truncated document) are dropped silently.
 */
export class BsonSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /**
   * Adds a chunk and returns the documents now complete.
   *
   * @throws MalformedRequest `invalid BSON size` for a length over 16 MiB or under 5.
   */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const docs: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) return docs;
      const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.flatten();
      const size = readInt32LE(head, 0);
      if (size > MAX_BSON_DOCUMENT_BYTES || size < 5) throw new MalformedRequest(INVALID_BSON_SIZE);
      if (this.buffered < size) return docs;
      const all = this.chunks.length === 1 ? this.chunks[0]! : this.flatten();
      docs.push(all.subarray(0, size));
      const rest = all.subarray(size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
  }

  private flatten(): Buffer {
    const all = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    return all;
  }
}
