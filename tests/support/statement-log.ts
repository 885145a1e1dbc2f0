/**
 * A TCP relay in front of the test Postgres that records the SQL text of every statement clients
 * run (a simple Query, an unnamed Parse, or a Bind of a statement the connection prepared by name),
 * so a test can see which statements a request cost. Everything passes through untouched, in both
 * directions.
 */
import net from "node:net";

export type StatementLog = {
  /** A URL like `directUrl` that reaches the same database through the relay. */
  through: (directUrl: string) => string;
  /** The statements sent since the last `clear()`. */
  statements: () => string[];
  clear: () => void;
  stop: () => Promise<void>;
};

/** Reads frontend messages out of the byte stream: the startup packet has no type byte, the rest do. */
function frontendReader(record: (sql: string) => void) {
  let pending = Buffer.alloc(0);
  let started = false;
  const prepared = new Map<string, string>();
  const cString = (from: number) => pending.subarray(from, pending.indexOf(0, from)).toString("utf8");
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const header = started ? 5 : 4;
      if (pending.length < header) return;
      const length = pending.readInt32BE(started ? 1 : 0) + (started ? 1 : 0);
      if (pending.length < length) return;
      const type = started ? String.fromCharCode(pending[0]!) : null;
      if (type === "Q") record(cString(5));
      if (type === "P") {
        const [name, sql] = [cString(5), cString(pending.indexOf(0, 5) + 1)];
        if (name) prepared.set(name, sql);
        else record(sql);
      }
      if (type === "B") {
        const statement = cString(pending.indexOf(0, 5) + 1);
        if (statement) record(prepared.get(statement) ?? `(unknown prepared statement ${statement})`);
      }
      // An SSLRequest or GSSENCRequest is followed by another startup packet.
      const code = started ? 0 : pending.readInt32BE(4);
      if (!started && code !== 80877103 && code !== 80877104) started = true;
      pending = pending.subarray(length);
    }
  };
}

export async function startStatementLog(upstream: { host: string; port: number }): Promise<StatementLog> {
  let statements: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const server = net.connect(upstream.port, upstream.host);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        server.destroy();
      });
    }
    const read = frontendReader((sql) => statements.push(sql));
    client.on("data", (chunk: Buffer) => {
      read(chunk);
      server.write(chunk);
    });
    server.pipe(client);
    client.on("end", () => server.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    through: (directUrl) => {
      const url = new URL(directUrl);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    statements: () => [...statements],
    clear: () => {
      statements = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
