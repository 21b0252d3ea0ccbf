#!/usr/bin/env node
// Audio CPU cost, WASM against native, in one run: the same C++ harness
// (test/bench/audio/audio_bench.cc) built natively (wasmrtc_audio_bench,
// Debian's libopus and libsrtp2) and into the WASM module (benchOpus and
// benchSrtp in dist/wasmrtc-core.wasm, our libopus and libsrtp2 on Mbed TLS).
//   Opus (48 kHz, 20 ms packets, default bitrate, in-band FEC at 10 %
//   expected loss; a 440 Hz tone plus noise), mono and stereo: encode and
//   decode real-time factor (seconds of audio per second of CPU).
//   SRTP (AES128_CM_HMAC_SHA1_80 and AEAD_AES_128_GCM), 1200-byte and
//   200-byte RTP packets: microseconds per protect and per unprotect.
// Each side warms up first; every figure is the fastest of
// WASMRTC_BENCH_REPEAT (default 3) runs, timed with a steady clock on one
// thread (wall time of a busy thread: run it on an otherwise idle machine).
// Prints a table with the ratios. Builds nothing:
//
//   cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release     # no sanitizers
//   cmake --build build/bench --target wasmrtc_audio_bench
//   scripts/build.sh --wasm-only                              # dist/wasmrtc-core.*
//   WASMRTC_AUDIO_BENCH=build/bench/test/bench/wasmrtc_audio_bench node test/bench/audio.cjs
//
// Without WASMRTC_AUDIO_BENCH it runs build/native/test/bench/wasmrtc_audio_bench
// (scripts/build.sh builds that one with ASan/UBSan: the header says so, and
// its native figures are then not meaningful).
// WASMRTC_BENCH_FRAMES: 10 ms frames per Opus run (default 3000, 30 s of audio).
// WASMRTC_BENCH_PACKETS: packets per SRTP run (default 20000).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { load } = require('../../js/core/module.cjs');
const { buildInfo, check, fastest } = require('./lib.cjs');

const ROOT = path.join(__dirname, '..', '..');
const FRAMES = Number(process.env.WASMRTC_BENCH_FRAMES || 3000);
const PACKETS = Number(process.env.WASMRTC_BENCH_PACKETS || 20000);
const REPEAT = Math.max(1, Number(process.env.WASMRTC_BENCH_REPEAT || 3));
const PROFILES = ['AES128_CM_HMAC_SHA1_80', 'AEAD_AES_128_GCM'];
const SIZES = [1200, 200];
const BINARY = process.env.WASMRTC_AUDIO_BENCH
  || path.join(ROOT, 'build', 'native', 'test', 'bench', 'wasmrtc_audio_bench');

function runNative() {
  if (!fs.existsSync(BINARY)) {
    throw new Error(`no native harness at ${BINARY}: build wasmrtc_audio_bench or set WASMRTC_AUDIO_BENCH`);
  }
  const runs = [];
  for (let i = 0; i < REPEAT; i++) {
    const out = execFileSync(BINARY, ['--frames', String(FRAMES), '--packets', String(PACKETS)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    runs.push(JSON.parse(out));
  }
  return {
    opus: runs[0].opus.map((_, i) => fastest(runs.map((r) => r.opus[i]), ['encodeSeconds', 'decodeSeconds'])),
    srtp: runs[0].srtp.map((_, i) => fastest(runs.map((r) => r.srtp[i]), ['protectSeconds', 'unprotectSeconds'])),
  };
}

function runWasm() {
  const core = load();
  // Warm-up: the same as the native harness does (compilation tiers, heap growth).
  for (const ch of [1, 2]) check(core.benchOpus(200, ch), 'wasm opus warm-up');
  for (const p of PROFILES) check(core.benchSrtp(2000, 1200, p), 'wasm srtp warm-up');
  const opus = [1, 2].map((ch) => fastest(
    Array.from({ length: REPEAT }, () => check(core.benchOpus(FRAMES, ch), 'wasm opus')),
    ['encodeSeconds', 'decodeSeconds']));
  const srtp = [];
  for (const p of PROFILES) {
    for (const size of SIZES) {
      srtp.push(fastest(
        Array.from({ length: REPEAT }, () => check(core.benchSrtp(PACKETS, size, p), `wasm srtp ${p}`)),
        ['protectSeconds', 'unprotectSeconds']));
    }
  }
  return { opus, srtp };
}

const num = (x, digits, width) => x.toFixed(digits).padStart(width);

function main() {
  const native = runNative();
  const wasm = runWasm();
  console.error(`native: ${JSON.stringify(native)}`);
  console.error(`wasm: ${JSON.stringify(wasm)}`);

  console.log(`native harness: ${path.relative(ROOT, path.resolve(BINARY))} (${buildInfo(BINARY)}); fastest of ${REPEAT} runs`);
  console.log(`Opus 48 kHz, 20 ms, default bitrate, FEC; ${FRAMES / 100} s of 440 Hz + noise`);
  console.log(`${'real-time factor (audio s / CPU s)'.padEnd(42)}  native      wasm  native/wasm  kbit/s native  wasm`);
  for (let i = 0; i < native.opus.length; i++) {
    const n = native.opus[i];
    const w = wasm.opus[i];
    const ch = n.channels === 1 ? 'mono' : 'stereo';
    const kbps = (r) => (r.bytes * 8) / r.audioSeconds / 1000;
    for (const [op, field] of [['encode', 'encodeSeconds'], ['decode', 'decodeSeconds']]) {
      const rn = n.audioSeconds / n[field];
      const rw = w.audioSeconds / w[field];
      console.log(`  ${`${op} ${ch}`.padEnd(40)} ${num(rn, 1, 7)}x ${num(rw, 1, 8)}x ${num(rn / rw, 2, 11)}x`
        + ` ${num(kbps(n), 1, 14)} ${num(kbps(w), 1, 5)}`);
    }
  }
  console.log(`SRTP, ${PACKETS} RTP packets each way`);
  console.log(`${'microseconds per packet'.padEnd(42)}  native      wasm  wasm/native`);
  for (let i = 0; i < native.srtp.length; i++) {
    const n = native.srtp[i];
    const w = wasm.srtp[i];
    for (const [op, field] of [['protect', 'protectSeconds'], ['unprotect', 'unprotectSeconds']]) {
      const un = (n[field] / n.packets) * 1e6;
      const uw = (w[field] / w.packets) * 1e6;
      console.log(`  ${`${op} ${n.profile} ${n.size} B`.padEnd(40)} ${num(un, 2, 8)} ${num(uw, 2, 9)} ${num(uw / un, 2, 11)}x`);
    }
  }
}

try {
  main();
} catch (e) {
  console.error(e);
  process.exitCode = 1;
}
