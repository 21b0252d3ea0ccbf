#!/usr/bin/env node
// Video, in one run:
//   1. codec: VP8 encode and decode frames per second at 640x480 and
//      1280x720, WASM against native: the same C++ harness
//      (wasm/bench/video_bench.cc) built natively (wasmrtc_video_bench,
//      Debian's libvpx) and into the WASM module (benchVp8 in
//      dist/wasmrtc-core.wasm, our libvpx build). src/pc's encoder settings
//      (realtime, CBR at 1.2 / 2.5 Mbit/s, 30 fps, cpu_used -6) on synthetic
//      panning, textured video with a moving block. Encode fps = frames fed
//      per second of encode() time; decode fps = frames decoded per second
//      of decode() time. Each side warms up; every figure is the fastest of
//      WASMRTC_BENCH_REPEAT (default 3) runs.
//   2. latency: RTCVideoSource.onFrame -> RTCPeerConnection -> remote
//      RTCVideoSink, ours -> ours against @roamhq/wrtc -> @roamhq/wrtc
//      (libwebrtc), 640x480 at 30 fps on loopback. Each frame carries its
//      number (test/support/video.cjs) over a panning, textured background;
//      performance.now() is read just before onFrame and as the sink's
//      onframe runs, per number; median and 95th percentile over
//      WASMRTC_BENCH_SECONDS (default 10) after a 2 s warm-up.
// Prints tables with the ratios. Builds nothing:
//
//   cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release     # no sanitizers
//   cmake --build build/bench --target wasmrtc_video_bench
//   scripts/build.sh --wasm-only                              # dist/wasmrtc-core.*
//   WASMRTC_VIDEO_BENCH=build/bench/test/bench/wasmrtc_video_bench \
//     scripts/lib/netns.sh node test/bench/video.cjs [codec|latency]
//
// (part 2 sends on loopback: run it in a network namespace of its own.)
// Without WASMRTC_VIDEO_BENCH it runs build/native/test/bench/wasmrtc_video_bench
// (scripts/build.sh builds that one with ASan/UBSan: the header says so, and
// its native figures are then not meaningful).
// WASMRTC_BENCH_VIDEO_FRAMES: frames per codec run and size (default 150, 5 s of video).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');
const { load } = require('../../js/core/module.cjs');
const { buildInfo, check, fastest } = require('./lib.cjs');
const { signal, connectionState } = require('../support/peers.cjs');
const { numberedFrame, frameNumber } = require('../support/video.cjs');

const ROOT = path.join(__dirname, '..', '..');
const FRAMES = Number(process.env.WASMRTC_BENCH_VIDEO_FRAMES || 150);
const REPEAT = Math.max(1, Number(process.env.WASMRTC_BENCH_REPEAT || 3));
const SECONDS = Number(process.env.WASMRTC_BENCH_SECONDS || 10);
const WARMUP_SECONDS = 2;
const SIZES = [[640, 480], [1280, 720]];
const BINARY = process.env.WASMRTC_VIDEO_BENCH
  || path.join(ROOT, 'build', 'native', 'test', 'bench', 'wasmrtc_video_bench');
const PART = process.argv[2] || 'all';

const TIMES = ['encodeSeconds', 'decodeSeconds'];

function runNative() {
  if (!fs.existsSync(BINARY)) {
    throw new Error(`no native harness at ${BINARY}: build wasmrtc_video_bench or set WASMRTC_VIDEO_BENCH`);
  }
  const runs = [];
  for (let i = 0; i < REPEAT; i++) {
    const out = execFileSync(BINARY, ['--frames', String(FRAMES)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    runs.push(JSON.parse(out));
  }
  return runs[0].vp8.map((_, i) => fastest(runs.map((r) => r.vp8[i]), TIMES));
}

function runWasm() {
  const core = load();
  // Warm-up, as the native harness does (compilation tiers, heap growth).
  for (const [w, h] of SIZES) check(core.benchVp8(w, h, 30), 'wasm vp8 warm-up');
  return SIZES.map(([w, h]) => fastest(
    Array.from({ length: REPEAT }, () => check(core.benchVp8(w, h, FRAMES), `wasm vp8 ${w}x${h}`)),
    TIMES));
}

const num = (x, digits, width) => x.toFixed(digits).padStart(width);

function codecPart() {
  const native = runNative();
  const wasm = runWasm();
  console.error(`native: ${JSON.stringify(native)}`);
  console.error(`wasm: ${JSON.stringify(wasm)}`);
  console.log(`native harness: ${path.relative(ROOT, path.resolve(BINARY))} (${buildInfo(BINARY)}); fastest of ${REPEAT} runs`);
  console.log(`VP8 realtime (src/pc's settings: CBR, cpu_used -6), ${FRAMES} frames (${FRAMES / 30} s at 30 fps) of panning textured video`);
  console.log(`${'frames per second'.padEnd(32)}  native     wasm  native/wasm kbit/s native    wasm PSNR-Y native   wasm  same bytes`);
  for (let i = 0; i < native.length; i++) {
    const n = native[i];
    const w = wasm[i];
    const size = `${n.width}x${n.height}`;
    const kbps = (r) => (r.bytes * 8) / r.videoSeconds / 1000;
    const rows = [
      [`encode ${size} @ ${n.bitrateBps / 1e6} Mbit/s`, n.frames / n.encodeSeconds, w.frames / w.encodeSeconds, true],
      [`decode ${size}`, n.encoded / n.decodeSeconds, w.encoded / w.decodeSeconds, false],
    ];
    for (const [label, fn, fw, details] of rows) {
      const extra = details
        ? ` ${num(kbps(n), 1, 13)} ${num(kbps(w), 1, 7)} ${num(n.psnrY, 2, 13)} ${num(w.psnrY, 2, 6)}  ${n.bytes === w.bytes && n.encoded === w.encoded ? 'yes' : 'no'}`
        : '';
      console.log(`  ${label.padEnd(30)} ${num(fn, 1, 7)} ${num(fw, 1, 8)} ${num(fn / fw, 2, 11)}x${extra}`);
    }
  }
}

// ---- part 2: end-to-end latency

const P = 64; // the background pans over 2P pixels each way

// A textured plane larger than the frame, panned under it: gratings plus
// fixed noise (as wasm/bench/video_bench.cc), so the encoder does real work.
function makeBackground(width, height) {
  const tw = width + 2 * P;
  const th = height + 2 * P;
  let lcg = 2024;
  const noise = (a) => {
    lcg = (Math.imul(lcg, 1664525) + 1013904223) >>> 0;
    return ((lcg >>> 8) % (2 * a + 1)) - a;
  };
  const y = new Uint8ClampedArray(tw * th);
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      y[j * tw + i] = 128 + 45 * Math.sin(i * 0.11) * Math.cos(j * 0.07) + 25 * Math.sin((i + j) * 0.031) + noise(18);
    }
  }
  const ctw = tw >> 1;
  const cth = th >> 1;
  const u = new Uint8ClampedArray(ctw * cth);
  const v = new Uint8ClampedArray(ctw * cth);
  for (let j = 0; j < cth; j++) {
    for (let i = 0; i < ctw; i++) {
      u[j * ctw + i] = 128 + 30 * Math.sin(i * 0.05 + j * 0.03);
      v[j * ctw + i] = 128 + 30 * Math.cos(i * 0.04 - j * 0.06);
    }
  }
  return {
    width, height, tw, ctw, y, u, v,
  };
}

const triangle = (t, period) => {
  const m = t % (2 * period);
  return m <= period ? m : 2 * period - m;
};

// Frame n: the number's blocks in the top quarter (numberedFrame's layout,
// which frameNumber reads back), below them the background at this frame's
// offset with +-2 of noise: motion, texture and residual, as in part 1.
function benchFrame(bg, n) {
  const { width, height, tw, ctw } = bg;
  const frame = numberedFrame(width, height, n);
  const { data } = frame;
  const ox = 2 * triangle(n, P / 2);
  const oy = triangle(n, P);
  const top = Math.floor(height / 4);
  for (let j = top; j < height; j++) {
    const from = (j + oy) * tw + ox;
    data.set(bg.y.subarray(from, from + width), j * width);
  }
  // +-2 of noise, a camera's (as the codec part's content has).
  let lcg = (Math.imul(n, 2654435761) + 1) >>> 0;
  for (let i = top * width; i < width * height; i++) {
    lcg = (Math.imul(lcg, 1664525) + 1013904223) >>> 0;
    data[i] += ((lcg >>> 24) % 5) - 2;
  }
  const cw = width >> 1;
  const ch = height >> 1;
  const uOff = width * height;
  const vOff = uOff + cw * ch;
  for (let j = Math.ceil(Math.floor(height / 4) / 2); j < ch; j++) {
    const from = (j + (oy >> 1)) * ctw + (ox >> 1);
    data.set(bg.u.subarray(from, from + cw), uOff + j * cw);
    data.set(bg.v.subarray(from, from + cw), vOff + j * cw);
  }
  return frame;
}

const perFrame = (seconds, frames) => (seconds !== undefined && frames ? (seconds / frames) * 1000 : undefined);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

// @roamhq/wrtc 0.10 can crash (SIGSEGV) when one of its media objects is
// garbage collected at the wrong moment (test/support/wrtc-keepalive.cjs):
// everything made here is held until the process exits.
const keep = [];

const STACKS = {
  ours: () => {
    const api = require('../..'); // eslint-disable-line global-require
    return { api, make: () => new api.RTCPeerConnection({ wasmrtc: { loopback: true } }) };
  },
  wrtc: () => {
    const api = require('@roamhq/wrtc'); // eslint-disable-line global-require
    return { api, make: () => new api.RTCPeerConnection({ iceServers: [] }) };
  },
  // Ours with the toy codec (test/jest/fixtures/codecs/toy-video.mjs, a
  // user codec in JS: 16x16 block means of the luma) instead of VP8, on
  // the same frames: what a codec run by the worker costs end to end.
  'ours-toy': () => ({ ...STACKS.ours(), codec: 'video/x-toy' }),
};

let toyRegistered = null;
async function registerToy(api) {
  if (!toyRegistered) {
    toyRegistered = await api.codecs.register({
      kind: 'video', mimeType: 'video/x-toy', clockRate: 90000, module: path.join(ROOT, 'test', 'jest', 'fixtures', 'codecs', 'toy-video.mjs'),
    });
  }
}
function preferToy(api, sender) {
  const { codecs } = api.RTCRtpSender.getCapabilities('video');
  sender.getTransceivers()[0].setCodecPreferences(codecs.filter((c) => c.mimeType === 'video/x-toy' ||
    (c.mimeType === 'video/rtx' && c.sdpFmtpLine === `apt=${toyRegistered.payloadType}`)));
}

async function latency(stack, bg) {
  const { api, make, codec } = STACKS[stack]();
  if (codec) await registerToy(api); // before the connections, which then offer it
  const sender = make();
  const receiver = make();
  const source = new api.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  const stream = new api.MediaStream();
  keep.push(sender, receiver, source, track, stream);
  sender.addTrack(track, stream);
  if (codec) preferToy(api, sender);
  const got = new Promise((resolve) => { receiver.ontrack = (e) => resolve(e.track); });
  await signal(sender, receiver);
  const remote = await got;
  await connectionState(receiver, 'connected');

  const fps = 30;
  const count = Math.round((WARMUP_SECONDS + SECONDS) * fps);
  const sentAt = new Float64Array(count).fill(NaN);
  const arrivedAt = new Float64Array(count).fill(NaN);
  const sizes = new Map();
  let unreadable = 0;
  const sink = new api.nonstandard.RTCVideoSink(remote);
  keep.push(sink);
  sink.onframe = ({ frame }) => {
    const at = performance.now();
    const n = frameNumber(frame);
    if (n >= count || Number.isNaN(sentAt[n]) || at < sentAt[n]) {
      unreadable++;
      return;
    }
    if (!Number.isNaN(arrivedAt[n])) return;
    arrivedAt[n] = at;
    const size = `${frame.width}x${frame.height}`;
    sizes.set(size, (sizes.get(size) || 0) + 1);
  };

  // Frames are made ahead of their time (not measured), then sent on the
  // 30 fps clock; the timestamp is taken just before onFrame.
  await new Promise((resolve) => {
    const start = performance.now();
    let sent = 0;
    let next = benchFrame(bg, 0);
    const timer = setInterval(() => {
      const due = Math.min(count, Math.floor(((performance.now() - start) * fps) / 1000) + 1);
      while (sent < due) {
        sentAt[sent] = performance.now();
        source.onFrame(next);
        sent++;
        if (sent < count) next = benchFrame(bg, sent);
      }
      if (sent >= count) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  await new Promise((r) => { setTimeout(r, 1000); }); // the last frames in flight
  sink.stop();
  const find = async (pc, type) => [...(await pc.getStats()).values()]
    .find((s) => s.type === type && (s.kind || s.mediaType) === 'video') || {};
  const out = await find(sender, 'outbound-rtp');
  const inb = await find(receiver, 'inbound-rtp');
  track.stop();
  sender.close();
  receiver.close();

  const first = WARMUP_SECONDS * fps;
  const lat = [];
  for (let n = first; n < count; n++) if (!Number.isNaN(arrivedAt[n])) lat.push(arrivedAt[n] - sentAt[n]);
  lat.sort((a, b) => a - b);
  return {
    stack,
    sent: count - first,
    arrived: lat.length,
    median: percentile(lat, 0.5),
    p95: percentile(lat, 0.95),
    max: lat[lat.length - 1],
    unreadable,
    sizes: [...sizes.entries()].map(([s, k]) => `${s}:${k}`).join(' '),
    framesEncoded: out.framesEncoded,
    bytesSent: out.bytesSent,
    // Where the time goes, per frame, from the stack's own statistics
    // (W3C totalEncodeTime, totalDecodeTime, jitterBufferDelay; ms), when
    // it reports them.
    encodeMs: perFrame(out.totalEncodeTime, out.framesEncoded),
    decodeMs: perFrame(inb.totalDecodeTime, inb.framesDecoded),
    jitterBufferMs: perFrame(inb.jitterBufferDelay, inb.jitterBufferEmittedCount),
  };
}

async function latencyPart() {
  const bg = makeBackground(640, 480);
  const results = [];
  for (const stack of ['ours', 'wrtc', 'ours-toy']) {
    const r = await latency(stack, bg); // eslint-disable-line no-await-in-loop
    console.error(`${stack}: ${JSON.stringify(r)}`);
    results.push(r);
  }
  const [ours, wrtc, toy] = results;
  console.log(`end to end, RTCVideoSource.onFrame -> remote RTCVideoSink: 640x480 at 30 fps, ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, loopback`);
  console.log(`${'sender -> receiver'.padEnd(18)} median ms  p95 ms  max ms  arrived  sizes received`);
  for (const r of results) {
    console.log(`  ${`${r.stack} -> ${r.stack}`.padEnd(16)} ${num(r.median, 1, 9)} ${num(r.p95, 1, 7)} ${num(r.max, 1, 7)}`
      + `  ${`${r.arrived}/${r.sent}`.padStart(7)}  ${r.sizes}`);
    if (r.encodeMs !== undefined || r.jitterBufferMs !== undefined) {
      const ms = (x) => (x === undefined ? '-' : `${x.toFixed(1)} ms`);
      console.log(`    its own stats, mean per frame: encode ${ms(r.encodeMs)}, decode ${ms(r.decodeMs)}, `
        + `jitter buffer ${ms(r.jitterBufferMs)}`);
    }
  }
  console.log(`  ours / wrtc: median ${(ours.median / wrtc.median).toFixed(2)}x, p95 ${(ours.p95 / wrtc.p95).toFixed(2)}x`);
  console.log(`  ours with the toy codec (a JS user codec) / ours with VP8: median ${(toy.median / ours.median).toFixed(2)}x, `
    + `p95 ${(toy.p95 / ours.p95).toFixed(2)}x`);
}

async function main() {
  if (PART === 'all' || PART === 'codec') codecPart();
  if (PART === 'all' || PART === 'latency') await latencyPart();
  if (!['all', 'codec', 'latency'].includes(PART)) throw new Error('usage: video.cjs [codec|latency]');
}

main().then(() => {
  // The process would end by itself here, but @roamhq/wrtc 0.10 then
  // crashes (SIGSEGV, exit status 139) in Node's teardown, as its media
  // objects are destroyed; process.exit ends it before that teardown.
  process.exit(0);
}, (e) => {
  console.error(e);
  process.exit(1);
});
