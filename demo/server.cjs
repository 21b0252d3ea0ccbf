#!/usr/bin/env node
// The data-channel demo: chat and file transfer between two browser tabs
// (or a tab and any WebRTC peer), every tab running wasmrtc's polyfill.
// Starts coturn and wasmrtc-gateway on 127.0.0.1, serves the page and the
// built dist/ files, and relays signaling between the two tabs of a room
// over a WebSocket (/signal?room=NAME).
//
//   node demo/server.cjs [--port 8080]      then open http://127.0.0.1:8080/ in two tabs
// (scripts/run.sh builds everything first and runs this.)
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const path = require('path');
const { WebSocketServer } = require('ws');
const { startCoturn } = require('../shim/dev/coturn.cjs');
const { startGateway } = require('../shim/dev/gateway.cjs');
const { turnCredentials } = require('../shim/turn-credentials.cjs');

const ROOT = path.join(__dirname, '..');
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm',
};

async function main() {
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 8080;
  // Pages get TURN credentials that expire (README.md, "Deploying"),
  // minted from a secret only this server and coturn know.
  const secret = crypto.randomBytes(16).toString('hex');
  const turn = await startCoturn({ realm: 'wasmrtc.demo', authSecret: secret });
  let gateway = null; // started once the page's origin is known (its port)

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/') {
      if (!gateway) {
        res.writeHead(503).end('starting');
        return;
      }
      // The page, with the polyfill's page-wide options filled in.
      const { username, credential } = turnCredentials({ secret, user: 'demo', ttl: 3600 });
      const iceServers = JSON.stringify([{ urls: `turn:127.0.0.1:${turn.port}?transport=tcp`, username, credential }]);
      const html = fs.readFileSync(path.join(__dirname, 'chat', 'index.html'), 'utf8')
        .replace('%GATEWAY%', gateway.url)
        .replace('%ICE_SERVERS%', iceServers.replace(/'/g, '&#39;'));
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(html);
      return;
    }
    // /dist/* from the build, everything else from demo/chat/.
    const [dir, rel] = url.pathname.startsWith('/dist/')
      ? [path.join(ROOT, 'dist'), url.pathname.slice('/dist/'.length)]
      : [path.join(__dirname, 'chat'), url.pathname.slice(1)];
    const file = path.join(dir, path.normalize(decodeURIComponent(rel)));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });

  // Signaling: the first two sockets of a room; each message goes to the
  // other. Only this server's own pages may join (Origin, RFC 6455 10.2):
  // the Origin's host and port are the Host the request came to.
  const rooms = new Map();
  const wss = new WebSocketServer({
    server,
    path: '/signal',
    verifyClient: ({ origin, req }) => {
      try {
        return new URL(origin).host === req.headers.host;
      } catch {
        return false; // no Origin, or "null"
      }
    },
  });
  wss.on('connection', (ws, req) => {
    const room = new URL(req.url, 'http://localhost').searchParams.get('room') || 'lobby';
    const members = rooms.get(room) || [];
    if (members.length >= 2) {
      ws.close(4000, 'room full');
      return;
    }
    members.push(ws);
    rooms.set(room, members);
    // The second to arrive makes the offer.
    ws.send(JSON.stringify({ type: 'joined', peers: members.length - 1 }));
    ws.on('message', (data) => {
      for (const other of rooms.get(room) || []) if (other !== ws && other.readyState === 1) other.send(String(data));
    });
    ws.on('close', () => {
      const left = (rooms.get(room) || []).filter((m) => m !== ws);
      if (left.length) rooms.set(room, left); else rooms.delete(room);
      for (const other of left) if (other.readyState === 1) other.send(JSON.stringify({ type: 'left' }));
    });
  });

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const pagePort = server.address().port;
  gateway = await startGateway({
    turn: [`127.0.0.1:${turn.port}`], origins: [`http://127.0.0.1:${pagePort}`, `http://localhost:${pagePort}`],
  });
  console.log(`wasmrtc demo: open http://127.0.0.1:${server.address().port}/ in two tabs (coturn on ${turn.port}, gateway ${gateway.url})`);

  const stop = async () => {
    server.close();
    wss.close();
    await gateway.stop();
    await turn.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
