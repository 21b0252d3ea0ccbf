#!/usr/bin/env node
// Round-trip latency added by the relay path (TURN over WebSocket through
// wasmrtc-gateway to a real coturn) against direct UDP, on loopback, in one
// run. Two WASM ICE agents ping-pong 100-byte datagrams
// (WASMRTC_BENCH_PINGS, default 2000, round trips) over:
//   direct        host to host UDP
//   one relayed   one agent relayed, the other direct
//   both relayed  both agents relayed (each through its own WebSocket)
// Prints median / p99 / mean RTT and the added latency against direct.
//
//   scripts/lib/netns.sh node test/bench/relay-latency.cjs
const { performance } = require('perf_hooks');
const { connectPair } = require('../support/ice-pair.cjs');
const { startCoturn } = require('../support/coturn.cjs');
const { startGateway } = require('../support/gateway.cjs');

const PINGS = Number(process.env.WASMRTC_BENCH_PINGS || 2000);
const LOOPBACK = { wasmrtc: { loopback: true, hostAddresses: ['127.0.0.1'] } };

function pingPong(a, b, count) {
  return new Promise((resolve) => {
    const payload = new Uint8Array(100).fill(0xff); // first byte outside STUN/DTLS/RTP (RFC 7983)
    const rtts = [];
    let t0 = 0;
    const echo = (bytes) => b.send(bytes);
    const onReply = () => {
      rtts.push(performance.now() - t0);
      if (rtts.length === count) {
        a.off('data', onReply);
        b.off('data', echo);
        rtts.sort((x, y) => x - y);
        resolve({
          median: rtts[Math.floor(count / 2)],
          p99: rtts[Math.floor(count * 0.99)],
          mean: rtts.reduce((s, x) => s + x, 0) / count,
        });
        return;
      }
      t0 = performance.now();
      a.send(payload);
    };
    b.on('data', echo);
    a.on('data', onReply);
    t0 = performance.now();
    a.send(payload);
  });
}

(async () => {
  const turn = await startCoturn({ username: 'alice', password: 'wonderland', realm: 'wasmrtc.test' });
  const gateway = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
  const relayed = () => ({
    iceServers: [{ urls: `turn:127.0.0.1:${turn.port}?transport=tcp`, username: turn.username, credential: turn.password }],
    iceTransportPolicy: 'relay',
    wasmrtc: { gateway: gateway.url },
  });
  const paths = [
    ['direct', LOOPBACK, LOOPBACK],
    ['one relayed', relayed(), LOOPBACK],
    ['both relayed', relayed(), relayed()],
  ];
  const results = [];
  try {
    for (const [name, optionsA, optionsB] of paths) {
      const { a, b } = await connectPair(optionsA, optionsB); // eslint-disable-line no-await-in-loop
      await pingPong(a, b, 100); // eslint-disable-line no-await-in-loop -- warm-up
      results.push([name, await pingPong(a, b, PINGS)]); // eslint-disable-line no-await-in-loop
      await Promise.all([a.close(), b.close()]); // eslint-disable-line no-await-in-loop
    }
  } finally {
    await gateway.stop();
    await turn.stop();
  }
  const direct = results[0][1];
  console.log(`ICE datagram round trips, 100 bytes, ${PINGS} each; loopback; relay = TURN/TCP via WebSocket gateway + coturn`);
  console.log('path           median ms   p99 ms   mean ms   added vs direct (median)');
  for (const [name, r] of results) {
    console.log(`${name.padEnd(13)} ${r.median.toFixed(3).padStart(10)} ${r.p99.toFixed(3).padStart(8)} `
      + `${r.mean.toFixed(3).padStart(9)}   +${(r.median - direct.median).toFixed(3)} ms (${(r.median / direct.median).toFixed(2)}x)`);
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
