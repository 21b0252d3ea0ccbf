// A PeerServer (the `peer` package, PeerJS's signaling server) on 127.0.0.1
// and a free port, for browser tests of PeerJS. It runs in a child process:
// the server's expiry and keep-alive timers have no stop in its API, and
// would hold Jest open. Pages reach it with
//   new Peer(id, { host: '127.0.0.1', port, path, secure: false, ... })
// (without host/port/path PeerJS goes to its cloud server).
//
//   const server = await startPeerServer();   // { host, port, path, stop() }
const { spawn } = require('child_process');

const PATH = '/peerjs';

function startPeerServer() {
  const child = spawn(process.execPath, [__filename, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code, signal) => reject(new Error(`PeerServer exited (${code ?? signal}) before listening`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /^listening (\d+)$/m.exec(out);
      if (!m) return;
      child.removeAllListeners('exit');
      resolve({
        host: '127.0.0.1',
        port: Number(m[1]),
        path: PATH,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) { done(); return; }
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

if (require.main === module && process.argv[2] === '--serve') {
  const { PeerServer } = require('peer'); // eslint-disable-line global-require
  PeerServer({ host: '127.0.0.1', port: 0, path: PATH }, (server) => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
}

module.exports = { startPeerServer };
