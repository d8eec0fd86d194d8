// Exit 0 when host:port accepts a TCP connection, retrying for up to N seconds (default 0).
import { connect } from 'node:net';

const [host = '127.0.0.1', port = '0', seconds = '0'] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;

const attempt = () =>
  new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => resolve(true));
    socket.once('timeout', () => resolve(false));
    socket.once('error', () => resolve(false));
  }).then((open) => {
    return open;
  });

for (;;) {
  if (await attempt()) process.exit(0);
  if (Date.now() >= deadline) process.exit(1);
  await new Promise((r) => setTimeout(r, 250));
}
