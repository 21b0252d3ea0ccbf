// Video for the media tests: I420 frames that carry their number as large
// blocks (they survive VP8 at any sensible bitrate), sent at a steady rate
// into an RTCVideoSource, and read back from what an RTCVideoSink gets.

const BITS = 16;

function i420Size(w, h) { return w * h + 2 * ((w + 1) >> 1) * ((h + 1) >> 1); }

/**
 * Frame `n` as I420: the number's bits as black/white blocks along the top
 * rows, grey elsewhere; with `noise` also a band of texture that changes
 * every frame (several packets a frame, as real video has).
 */
function numberedFrame(width, height, n, { noise = false } = {}) {
  const data = new Uint8ClampedArray(i420Size(width, height)).fill(128);
  if (noise) {
    let x = (n + 1) * 2654435761;
    // A band of 1/16 of the rows: a few packets a frame at ~1 Mbit/s.
    const from = Math.floor(height / 2) * width;
    for (let i = from; i < from + Math.floor(height / 16) * width; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      data[i] = 64 + ((x >>> 0) & 127);
    }
  }
  const bw = Math.floor(width / BITS);
  const bh = Math.floor(height / 4);
  for (let b = 0; b < BITS; b++) {
    const on = (n >> b) & 1;
    for (let y = 0; y < bh; y++) {
      for (let x = b * bw; x < (b + 1) * bw; x++) data[y * width + x] = on ? 235 : 16;
    }
  }
  return { width, height, data };
}

/** The number a decoded frame carries (block centres, luma above or below mid grey). */
function frameNumber(frame) {
  const { width, height, data } = frame;
  const bw = Math.floor(width / BITS);
  const bh = Math.floor(height / 4);
  let n = 0;
  for (let b = 0; b < BITS; b++) {
    let sum = 0;
    let count = 0;
    for (let y = Math.floor(bh / 4); y < Math.floor((3 * bh) / 4); y += 2) {
      for (let x = b * bw + Math.floor(bw / 4); x < b * bw + Math.floor((3 * bw) / 4); x += 2) {
        sum += data[y * width + x];
        count++;
      }
    }
    if (sum / count > 128) n |= 1 << b;
  }
  return n;
}

/** Sends `count` numbered frames at `fps` (paced by the clock); resolves when done. */
function playFrames(source, {
  width = 640, height = 480, fps = 30, count = 90, noise = false,
} = {}) {
  return new Promise((resolve) => {
    const start = performance.now();
    let sent = 0;
    const tick = () => {
      const due = Math.min(count, Math.floor(((performance.now() - start) * fps) / 1000) + 1);
      while (sent < due) source.onFrame(numberedFrame(width, height, sent++, { noise }));
      if (sent >= count) {
        clearInterval(timer);
        resolve(sent);
      }
    };
    const timer = setInterval(tick, 5);
    tick();
  });
}

/** Listens with `Sink`; stop() gives [{ n, width, height, at }]. */
function watch(Sink, track) {
  const sink = new Sink(track);
  const seen = [];
  sink.onframe = ({ frame }) => {
    seen.push({
      n: frameNumber(frame), width: frame.width, height: frame.height, at: performance.now(),
    });
  };
  return {
    seen,
    stop() {
      sink.stop();
      return seen;
    },
  };
}

module.exports = {
  numberedFrame, frameNumber, playFrames, watch, i420Size,
};
