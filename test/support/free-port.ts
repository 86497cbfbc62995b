import { createServer } from "node:net";

/**
 * A TCP port nobody listens on now, on 127.0.0.1. For a process whose printed links or settings carry its
 * port, so it cannot be started on port 0; a random fixed port could collide with another test's connection.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}
