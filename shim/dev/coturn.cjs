// Starts Debian's coturn (`turnserver`) on 127.0.0.1 for a test file, with a
// generated configuration in a private temp dir: its own port (UDP and TCP),
// long-term credentials for one user, relays on 127.0.0.1 in a port range
// outside the kernel's ephemeral range, loopback peers allowed, no TLS (unless given a certificate) and no DTLS,
// no CLI, and its database, pid file and log in that temp dir. It never uses
// the system's configuration, database or a coturn service the package may
// have started.
//
//   const turn = await startCoturn({ username: 'alice', password: 'x', realm: 'wasmrtc.test' });
//   ... turn.port, turn.urls ...
//   await turn.stop();
const { spawn } = require('child_process');
const crypto = require('crypto');
const dgram = require('dgram');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const HOST = '127.0.0.1';
const RELAY_PORTS = 200;
const START_TIMEOUT_MS = 15000;
const STOP_TIMEOUT_MS = 5000;

/** A port free for both TCP and UDP on 127.0.0.1 (coturn listens on both). */
async function freeTcpUdpPort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = net.createServer();
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, HOST, resolve);
    });
    const { port } = server.address();
    const udp = dgram.createSocket('udp4');
    const udpFree = await new Promise((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, HOST, () => resolve(true));
    });
    await new Promise((resolve) => udp.close(() => resolve()));
    await new Promise((resolve) => server.close(() => resolve()));
    if (udpFree) return port;
  }
  throw new Error('coturn: no port free for both TCP and UDP');
}

/**
 * A random window of RELAY_PORTS ports outside the ephemeral range, so the
 * relays never collide with ports the system hands out for bind(0).
 */
function relayPortRange() {
  let [low, high] = [32768, 60999];
  try {
    [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  } catch {
    // not Linux: keep the defaults
  }
  const spans = [
    [10000, low - 1],
    [high + 1, 65535],
  ].filter(([a, b]) => b - a + 1 >= RELAY_PORTS);
  const [a, b] = spans.length ? spans[0] : [10000, 10000 + RELAY_PORTS - 1];
  const min = a + crypto.randomInt(b - a + 2 - RELAY_PORTS);
  return { min, max: min + RELAY_PORTS - 1 };
}

// What a TURN server reachable by any web page must not relay to, and the
// limits it sets (README.md "Deploying": these lines and LIMIT_LINES). Peers in private,
// loopback, link-local (with the cloud metadata address 169.254.169.254),
// CGNAT, benchmarking, multicast and reserved ranges, IPv4 and IPv6, are
// refused (403 to CreatePermission and ChannelBind); TCP relay (RFC 6062)
// is off (442 to a TCP Allocate); quotas and a bandwidth cap per session.
const SAFE_RELAY_LINES = [
  'no-tcp-relay',
  'no-multicast-peers',
  'denied-peer-ip=0.0.0.0-0.255.255.255',
  'denied-peer-ip=10.0.0.0-10.255.255.255',
  'denied-peer-ip=100.64.0.0-100.127.255.255',
  'denied-peer-ip=127.0.0.0-127.255.255.255',
  'denied-peer-ip=169.254.0.0-169.254.255.255',
  'denied-peer-ip=172.16.0.0-172.31.255.255',
  'denied-peer-ip=192.0.0.0-192.0.0.255',
  'denied-peer-ip=192.0.2.0-192.0.2.255',
  'denied-peer-ip=192.88.99.0-192.88.99.255',
  'denied-peer-ip=192.168.0.0-192.168.255.255',
  'denied-peer-ip=198.18.0.0-198.19.255.255',
  'denied-peer-ip=198.51.100.0-198.51.100.255',
  'denied-peer-ip=203.0.113.0-203.0.113.255',
  'denied-peer-ip=224.0.0.0-255.255.255.255',
  'denied-peer-ip=::1', // not '::-::1': coturn reads a range from :: as every address, IPv4 too
  'denied-peer-ip=::ffff:0.0.0.0-::ffff:255.255.255.255',
  'denied-peer-ip=64:ff9b::-64:ff9b::ffff:ffff',
  'denied-peer-ip=64:ff9b:1::-64:ff9b:1:ffff:ffff:ffff:ffff:ffff',
  'denied-peer-ip=2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff',
  'denied-peer-ip=2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
  'denied-peer-ip=2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'denied-peer-ip=fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'denied-peer-ip=ff00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];
// Quotas: allocations per user and in all, and bytes per second per
// session (max-bps counts bytes, each direction on its own). Left out for
// tests and the demo, whose bulk transfers and many connections are theirs.
const LIMIT_LINES = [
  'user-quota=12',
  'total-quota=1200',
  'max-bps=3000000',
];

// What tests and the demo need on top, and nothing more: loopback peers
// and the test namespace's veth pair (scripts/lib/netns.sh, 10.77.0.0/24).
const LOCAL_PEERS_LINES = [
  'allow-loopback-peers',
  'allowed-peer-ip=127.0.0.1',
  'allowed-peer-ip=10.77.0.0-10.77.0.255',
];

function configFile({
  dir, port, relay, username, password, realm, relayIp, tls, tlsPort, authSecret, localPeers,
}) {
  // TURN over TLS (RFC 8656 turns:) only when the test gives a certificate.
  const tlsLines = tls ? [`tls-listening-port=${tlsPort}`, `cert=${tls.cert}`, `pkey=${tls.key}`] : ['no-tls'];
  // Long-term credentials for one user, or time-limited ones minted from a
  // shared secret (shim/turn-credentials.cjs).
  const authLines = authSecret ? ['use-auth-secret', `static-auth-secret=${authSecret}`] : ['lt-cred-mech', `user=${username}:${password}`];
  return [
    `listening-ip=${HOST}`,
    `listening-port=${port}`,
    `relay-ip=${relayIp}`,
    `min-port=${relay.min}`,
    `max-port=${relay.max}`,
    ...authLines,
    `realm=${realm}`,
    'fingerprint',
    ...tlsLines,
    'no-dtls',
    'no-cli',
    // RFC 5780 would want a second address and the port above ours.
    'no-rfc5780',
    ...SAFE_RELAY_LINES,
    ...(localPeers ? LOCAL_PEERS_LINES : LIMIT_LINES),
    `userdb=${path.join(dir, 'turndb')}`,
    `pidfile=${path.join(dir, 'turnserver.pid')}`,
    `log-file=${path.join(dir, 'turnserver.log')}`,
    'simple-log',
    'no-stdout-log',
    '',
  ].join('\n');
}

function stunBindingRequest() {
  const msg = Buffer.alloc(20);
  msg.writeUInt16BE(0x0001, 0); // Binding request
  msg.writeUInt16BE(0, 2);
  msg.writeUInt32BE(0x2112a442, 4); // magic cookie (RFC 8489 5)
  crypto.randomFillSync(msg, 8, 12);
  return msg;
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tcpConnects(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once coturn answers a STUN Binding request over UDP. */
async function udpAnswers(port, deadline, exited) {
  const socket = dgram.createSocket('udp4');
  try {
    const request = stunBindingRequest();
    const answered = new Promise((resolve) => {
      socket.on('message', (msg) => {
        if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(request.subarray(8, 20))) {
          resolve(true);
        }
      });
    });
    while (Date.now() < deadline && !exited()) {
      socket.send(request, port, HOST);
      if (await Promise.race([answered, delay(100).then(() => false)])) return true;
    }
    return false;
  } finally {
    socket.close();
  }
}

function readTail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function startOnce({
  username, password, realm, relayIp, tls, authSecret, localPeers,
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmrtc-coturn-'));
  const port = await freeTcpUdpPort();
  const tlsPort = tls ? await freeTcpUdpPort() : null;
  const relay = relayPortRange();
  const conf = path.join(dir, 'turnserver.conf');
  fs.writeFileSync(conf, configFile({
    dir, port, relay, username, password, realm, relayIp, tls, tlsPort, authSecret, localPeers,
  }));

  const child = spawn('turnserver', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exit = null;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const spawnError = new Promise((resolve) => child.once('error', resolve));

  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  const stop = async () => {
    if (!exit) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    removeDir();
    return exit;
  };

  // Ready when TCP accepts and UDP answers a Binding request: polled, not slept.
  const deadline = Date.now() + START_TIMEOUT_MS;
  let ready = false;
  while (!exit && Date.now() < deadline) {
    const failed = await Promise.race([spawnError, delay(50).then(() => null)]);
    if (failed) {
      removeDir();
      throw new Error(`coturn: cannot run turnserver (${failed.message}); install Debian's coturn package`);
    }
    if (await tcpConnects(port) && (!tls || await tcpConnects(tlsPort))) {
      ready = await udpAnswers(port, deadline, () => exit !== null);
      break;
    }
  }
  if (!ready) {
    const why = exit ? `exited (${exit.signal || exit.code})` : 'did not start listening in time';
    const log = readTail(path.join(dir, 'turnserver.log'));
    await stop();
    const error = new Error(`coturn ${why} on port ${port}\n${stderr}\n${log}`);
    error.retryable = exit !== null; // most likely the port was taken meanwhile
    throw error;
  }

  return {
    host: HOST,
    port,
    username,
    password,
    realm,
    tlsPort,
    urls: [`turn:${HOST}:${port}?transport=udp`, `turn:${HOST}:${port}?transport=tcp`,
      ...(tls ? [`turns:${HOST}:${tlsPort}?transport=tcp`] : [])],
    relayPorts: relay,
    pid: child.pid,
    logFile: path.join(dir, 'turnserver.log'),
    stop,
  };
}

/**
 * Relaying is restricted as README.md says (SAFE_RELAY_LINES), except to
 * loopback and the test namespace's veth pair. With `localPeers` false it
 * is exactly README.md's configuration, quotas included (LIMIT_LINES).
 * `authSecret`: time-limited credentials (coturn use-auth-secret) instead of
 * the one user's long-term password.
 * `tls`: { cert, key } (PEM file paths) adds a TURN-over-TLS port, `tlsPort`.
 * `relayIp`: where relayed addresses live (default 127.0.0.1). Browsers
 * ignore loopback candidates, so browser tests relay on the test
 * namespace's veth address (scripts/lib/netns.sh: 10.77.0.2).
 */
async function startCoturn({
  username = 'wasmrtc', password = 'wasmrtc', realm = 'wasmrtc.test', relayIp = HOST, tls = null,
  authSecret = null, localPeers = true,
} = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce({
        username, password, realm, relayIp, tls, authSecret, localPeers,
      });
    } catch (error) {
      if (!error.retryable || attempt >= 3) throw error;
    }
  }
}

module.exports = { startCoturn, SAFE_RELAY_LINES, LIMIT_LINES };
