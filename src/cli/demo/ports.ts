/** Finds a free TCP port, so the demo can fall back from 9400 when something already listens there. */
import { createServer } from 'node:net';
import { TributaryError } from '../../errors.js';

const canListen = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

/** The first port from `first` on (at most `attempts` tried) that `host` can listen on. */
export async function findFreePort(host: string, first: number, attempts = 20): Promise<number> {
  for (let port = first; port < first + attempts && port <= 65_535; port += 1) {
    if (await canListen(host, port)) return port;
  }
  throw new TributaryError('SERVER_FAILED', `no free port on ${host} between ${first} and ${first + attempts - 1}`);
}
