// Audio for the media tests: a paced 10 ms tone into an RTCAudioSource (or
// wrtc's), and what an RTCAudioSink hears: frames, energy, frequency.

const RATE = 48000;
const FRAME = RATE / 100;

/** Feeds `source` a sine of `hz` every 10 ms of real time for `ms`; resolves with the frames sent. */
function playTone(source, { hz = 440, ms = 5000, amplitude = 8000 } = {}) {
  return new Promise((resolve) => {
    const start = performance.now();
    const total = Math.round(ms / 10);
    let sent = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / 10) + 1);
      while (sent < due) {
        const samples = new Int16Array(FRAME);
        for (let i = 0; i < FRAME; i++) {
          samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * (sent * FRAME + i)) / RATE));
        }
        source.onData({
          samples, sampleRate: RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: FRAME,
        });
        sent++;
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve(sent);
      }
    };
    const timer = setInterval(tick, 5);
    tick();
  });
}

/** Listens on `track` with `Sink`; `stop()` returns what was heard (first channel). */
function listen(Sink, track) {
  const sink = new Sink(track);
  const frames = [];
  sink.ondata = (data) => {
    const ch = data.channelCount;
    const mono = new Int16Array(data.numberOfFrames);
    for (let i = 0; i < mono.length; i++) mono[i] = data.samples[i * ch];
    frames.push({ mono, sampleRate: data.sampleRate });
  };
  return {
    frames,
    stop() {
      sink.stop();
      return frames;
    },
  };
}

function rms(samples) {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/** Frames loud enough to carry the tone (not silence, not faded concealment). */
function audibleFrames(frames, threshold = 1000) {
  return frames.filter((f) => rms(f.mono) > threshold).length;
}

/**
 * Frequency from interpolated zero crossings per 100 ms window, median over
 * windows: a window with a concealed or time-stretched splice is an outlier.
 */
function frequency(frames) {
  // The rate most frames have (libwebrtc's sink gives 16 kHz silence before
  // the first packet is decoded).
  const counts = new Map();
  for (const f of frames) counts.set(f.sampleRate, (counts.get(f.sampleRate) || 0) + 1);
  const rate = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? RATE;
  const all = [];
  for (const f of frames) if (f.sampleRate === rate && rms(f.mono) > 1000) all.push(...f.mono);
  const win = rate / 10;
  const estimates = [];
  for (let start = 0; start + win <= all.length; start += win) {
    let first = -1;
    let last = -1;
    let crossings = 0;
    for (let i = start + 1; i < start + win; i++) {
      if ((all[i - 1] < 0) === (all[i] < 0)) continue;
      const t = i - 1 + all[i - 1] / (all[i - 1] - all[i]);
      if (crossings === 0) first = t;
      last = t;
      crossings++;
    }
    if (crossings >= 20) estimates.push((crossings - 1) / 2 / ((last - first) / rate));
  }
  if (estimates.length === 0) return 0;
  estimates.sort((a, b) => a - b);
  return estimates[Math.floor(estimates.length / 2)];
}

module.exports = {
  playTone, listen, audibleFrames, frequency, rms,
};
