// Runs wasmrtc-gateway (shim/gateway) on 127.0.0.1 (or `listen`) and a free
// port, for tests and the demo.
//
//   const gw = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
//   new WebSocket(`${gw.url}?target=127.0.0.1:${turn.port}`) ...
//   const { code, signal } = await gw.stop();   // SIGTERM; code 0 expected
//
// With `tls: { cert, key }` (PEM file paths) it serves wss:// and `url` says so.
// The binary is build/native/shim/gateway/wasmrtc-gateway, or $WASMRTC_GATEWAY.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

const ROOT = path.resolve(__dirname, '../..');
const DEFAULT_BINARY = path.join(ROOT, 'build/native/shim/gateway/wasmrtc-gateway');
const START_TIMEOUT_MS = 10000;
const STOP_TIMEOUT_MS = 10000;

function gatewayBinary() {
  const binary = process.env.WASMRTC_GATEWAY || DEFAULT_BINARY;
  if (!fs.existsSync(binary)) {
    throw new Error(
      `wasmrtc-gateway not found at ${binary}: build it (cmake -S . -B build/native && ` +
        'cmake --build build/native --target wasmrtc-gateway) or set WASMRTC_GATEWAY',
    );
  }
  return binary;
}

/**
 * @param options { turn: string[], listen?: string (an IPv4 address; default 127.0.0.1),
 *                  origins?: string[], maxPerIp?: number, maxConnections?: number,
 *                  idleTimeout?: number (s), handshakeTimeout?: number (s),
 *                  tls?: { cert: string, key: string }, args?: string[] }
 */
async function startGateway(options = {}) {
  const {
    turn, listen = '127.0.0.1', origins = [], maxPerIp, maxConnections, idleTimeout, handshakeTimeout, tls, args: extra = [],
  } = options;
  if (!turn || turn.length === 0) throw new Error('startGateway: `turn` needs at least one HOST:PORT');
  const args = ['--listen', `${listen}:0`];
  for (const t of turn) args.push('--turn', t);
  for (const o of origins) args.push('--origin', o);
  if (maxPerIp !== undefined) args.push('--max-per-ip', String(maxPerIp));
  if (maxConnections !== undefined) args.push('--max-connections', String(maxConnections));
  if (idleTimeout !== undefined) args.push('--idle-timeout', String(idleTimeout));
  if (handshakeTimeout !== undefined) args.push('--handshake-timeout', String(handshakeTimeout));
  if (tls) args.push('--cert', tls.cert, '--key', tls.key);
  args.push(...extra);

  const child = spawn(gatewayBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderrLines = [];
  const lineWaiters = new Set();
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    stderrLines.push(line);
    for (const waiter of lineWaiters) waiter(line);
  });

  let result = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      result = { code, signal };
      resolve(result);
    });
  });

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wasmrtc-gateway did not print its port in time\n${stderrLines.join('\n')}`));
    }, START_TIMEOUT_MS);
    const stdout = readline.createInterface({ input: child.stdout });
    stdout.on('line', (line) => {
      const m = /^listening on ([0-9.]+):(\d+)$/.exec(line);
      if (m && m[1] === listen) {
        clearTimeout(timer);
        resolve(Number(m[2]));
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`wasmrtc-gateway exited (${signal || code}) before listening\n${stderrLines.join('\n')}`));
    });
  });

  return {
    url: `${tls ? 'wss' : 'ws'}://${listen}:${port}/`,
    port,
    pid: child.pid,
    stderrLines,
    /** The exit { code, signal } once it has exited, else null. */
    get result() {
      return result;
    },
    exited,
    /** Resolves with the first stderr line (already logged or to come) matching `re`. */
    waitForLog(re) {
      const hit = stderrLines.find((l) => re.test(l));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve) => {
        const waiter = (line) => {
          if (!re.test(line)) return;
          lineWaiters.delete(waiter);
          resolve(line);
        };
        lineWaiters.add(waiter);
      });
    },
    /** SIGTERM, then waits for the exit; resolves with { code, signal } (code 0 expected). */
    async stop() {
      if (!result) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      return result;
    },
  };
}

module.exports = { startGateway };
