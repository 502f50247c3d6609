import type { Socket } from 'node:net';

/**
 * Counts the requests in progress on each connection, so shutdown can close at once every
 * connection that is not serving a request (Node's own `closeIdleConnections` misses connections
 * that were opened and never used) and close the busy ones as soon as their answer is done.
 */
export class ConnectionTracker {
  private readonly inFlight = new Map<Socket, number>();

  add(socket: Socket): void {
    this.inFlight.set(socket, 0);
    // A client that resets its connection must not bring anything down.
    socket.on('error', () => undefined);
    socket.once('close', () => this.inFlight.delete(socket));
  }

  requestStarted(socket: Socket): void {
    this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
  }

  requestEnded(socket: Socket, closing: boolean): void {
    const left = (this.inFlight.get(socket) ?? 1) - 1;
    if (!this.inFlight.has(socket)) return;
    this.inFlight.set(socket, left);
    if (closing && left === 0) setImmediate(() => socket.destroySoon());
  }

  /** Closes every connection with no request in progress. */
  destroyIdle(): void {
    for (const [socket, count] of this.inFlight) if (count === 0) socket.destroy();
  }

  /** Closes every connection (the grace period is over). */
  destroyAll(): void {
    for (const socket of this.inFlight.keys()) socket.destroy();
  }
}
