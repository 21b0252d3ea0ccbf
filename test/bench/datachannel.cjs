#!/usr/bin/env node
// Data-channel throughput and round-trip latency, ours against libwebrtc
// (@roamhq/wrtc), in one run on loopback:
//   ours-ours, ours-wrtc (ours sending), wrtc-wrtc
// Throughput: reliable ordered channel, 64 KiB messages, WASMRTC_BENCH_MB
// (default 200) MB, flow-controlled by bufferedAmountLowThreshold as an
// application would. Latency: 100-byte ping-pong, WASMRTC_BENCH_PINGS
// (default 1000) round trips, median and 99th percentile.
// Prints a table and the ratios to wrtc-wrtc.
//
//   scripts/lib/netns.sh node test/bench/datachannel.cjs
// (in a network namespace of its own: only loopback is reachable).
const { performance } = require('perf_hooks');
const { createPeer, signal, channelOpen, nextChannel } = require('../support/peers.cjs');

const MB = Number(process.env.WASMRTC_BENCH_MB || 200);
const PINGS = Number(process.env.WASMRTC_BENCH_PINGS || 1000);
const MESSAGE = 64 * 1024;
const HIGH_WATER = 1024 * 1024;

async function connect(senderKind, receiverKind) {
  const sender = createPeer(senderKind);
  const receiver = createPeer(receiverKind);
  const local = sender.createDataChannel('bench');
  const remote = nextChannel(receiver, 'bench');
  await signal(sender, receiver);
  const [a, b] = await Promise.all([channelOpen(local), remote.then(channelOpen)]);
  a.binaryType = 'arraybuffer';
  b.binaryType = 'arraybuffer';
  return { a, b, close: () => { sender.close(); receiver.close(); } };
}

function throughput(a, b, totalBytes) {
  return new Promise((resolve, reject) => {
    const chunk = new Uint8Array(MESSAGE);
    for (let i = 0; i < chunk.length; i++) chunk[i] = i & 0xff;
    let sent = 0;
    let received = 0;
    const start = performance.now();
    let poll = null;
    b.onmessage = (e) => {
      received += e.data.byteLength;
      if (received >= totalBytes) {
        clearInterval(poll);
        resolve((received / ((performance.now() - start) / 1000)) / 1e6);
      }
    };
    a.bufferedAmountLowThreshold = HIGH_WATER / 2;
    const pump = () => {
      try {
        while (sent < totalBytes && a.bufferedAmount < HIGH_WATER) {
          a.send(chunk);
          sent += chunk.length;
        }
      } catch (e) { reject(e); }
    };
    // bufferedamountlow, and a 1 ms poll too: @roamhq/wrtc 0.10 never fires
    // the event, so event-only flow control would stall it.
    a.onbufferedamountlow = pump;
    poll = setInterval(pump, 1);
    pump();
  });
}

function pingPong(a, b, count) {
  return new Promise((resolve) => {
    const payload = new Uint8Array(100);
    const rtts = [];
    let t0 = 0;
    b.onmessage = (e) => b.send(e.data);
    a.onmessage = () => {
      rtts.push(performance.now() - t0);
      if (rtts.length === count) {
        rtts.sort((x, y) => x - y);
        resolve({ median: rtts[Math.floor(count / 2)], p99: rtts[Math.floor(count * 0.99)] });
        return;
      }
      t0 = performance.now();
      a.send(payload);
    };
    t0 = performance.now();
    a.send(payload);
  });
}

async function measure(senderKind, receiverKind) {
  const c = await connect(senderKind, receiverKind);
  try {
    await throughput(c.a, c.b, 4 * MESSAGE * 16); // warm-up
    const mbps = await throughput(c.a, c.b, MB * 1e6);
    const rtt = await pingPong(c.a, c.b, PINGS);
    return { mbps, ...rtt };
  } finally {
    c.close();
  }
}

(async () => {
  const runs = [['wasmrtc', 'wasmrtc'], ['wasmrtc', 'wrtc'], ['wrtc', 'wrtc']];
  const results = {};
  for (const [s, r] of runs) {
    const name = `${s === 'wasmrtc' ? 'ours' : s}-${r === 'wasmrtc' ? 'ours' : r}`;
    results[name] = await measure(s, r); // eslint-disable-line no-await-in-loop
    console.error(`${name}: ${JSON.stringify(results[name])}`);
  }
  const base = results['wrtc-wrtc'];
  console.log(`data channel, ${MB} MB in ${MESSAGE / 1024} KiB messages; ${PINGS} 100-byte round trips; loopback`);
  console.log('pair         MB/s    vs wrtc   RTT median ms  p99 ms   vs wrtc (median)');
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(11)} ${r.mbps.toFixed(1).padStart(6)}  ${(r.mbps / base.mbps).toFixed(2).padStart(7)}x  `
      + `${r.median.toFixed(3).padStart(12)}  ${r.p99.toFixed(3).padStart(7)}  ${(r.median / base.median).toFixed(2).padStart(8)}x`);
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
