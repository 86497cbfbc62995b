import { once } from "node:events";
import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A TCP relay to a real server that a test can cut and restore, to take PostgreSQL away from a
 * running Naast without touching the server itself: `cut()` drops every open connection and refuses
 * new ones (ECONNREFUSED); `restore()` listens on the same port again.
 */
export class TcpProxy {
  #server?: Server;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.#server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on("close", () => this.#sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    this.#server.listen(this.port, "127.0.0.1");
    await once(this.#server, "listening");
    const address = this.#server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    return this;
  }

  async cut(): Promise<void> {
    const closed = new Promise((r) => this.#server?.close(r));
    for (const s of this.#sockets) s.destroy();
    await closed;
  }

  async restore(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.cut().catch(() => undefined);
  }
}
