// Media for the browser tests, loaded into peer.html by
// test/support/browser-page.cjs (page.addScriptTag) once window.ready has
// settled, so RTCPeerConnection is already Chromium's or the polyfill's.
// Everything the tests reach is on window.media; a test page's peer is
// window.test ({ pc, ... }) and its first track event window.trackEvent.
(function () {
  /** Resolves once pc is connected; rejects if it fails. */
  function connected(pc) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pc.connectionState === 'connected') resolve();
        if (pc.connectionState === 'failed') reject(new Error('failed'));
      };
      pc.addEventListener('connectionstatechange', check);
      check();
    });
  }

  /** What the test learns from a track event (the track is the page's own, the streams' ids). */
  function describeTrackEvent(e) {
    return {
      kind: e.track.kind,
      nativeTrack: e.track instanceof ((window.wasmrtc && window.wasmrtc.native && window.wasmrtc.native.MediaStreamTrack) || MediaStreamTrack),
      streamIds: e.streams.map((s) => s.id),
    };
  }

  // ---- audio

  /**
   * A peer that sends a `hz` WebAudio oscillator and records what it
   * receives while window.recording is true (ScriptProcessor: raw samples
   * at the AudioContext's 48 kHz into window.test.recorded).
   */
  function audioPeer(hz) {
    const ctx = new AudioContext({ sampleRate: 48000 });
    const osc = ctx.createOscillator();
    osc.frequency.value = hz;
    const gain = ctx.createGain();
    gain.gain.value = 0.25;
    const dest = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(dest);
    osc.start();
    const pc = new RTCPeerConnection();
    pc.addTrack(dest.stream.getAudioTracks()[0], dest.stream);
    const recorded = [];
    window.trackEvent = new Promise((resolve) => {
      pc.ontrack = (e) => {
        // Chromium pulls remote WebRTC audio into WebAudio only while an
        // element plays it too.
        const el = new Audio();
        el.muted = true;
        el.srcObject = e.streams[0] || new MediaStream([e.track]);
        el.play();
        const src = ctx.createMediaStreamSource(new MediaStream([e.track]));
        const proc = ctx.createScriptProcessor(4096, 1, 1);
        proc.onaudioprocess = (ev) => {
          if (window.recording) recorded.push(...ev.inputBuffer.getChannelData(0));
        };
        src.connect(proc).connect(ctx.destination);
        resolve(describeTrackEvent(e));
      };
    });
    window.test = {
      pc, ctx, recorded, localStreamId: dest.stream.id,
    };
  }

  /** Stops recording; the samples as int16 values. */
  function takeRecording() {
    window.recording = false;
    return Array.from(window.test.recorded, (x) => Math.round(x * 32767));
  }

  // ---- video: frames that carry their number, as test/support/video.cjs

  const BITS = 16;
  const IDLE = 0xffff; // all blocks white: before the first numbered frame

  /**
   * Draws frame n on a 2D canvas: the number's bits as black/white blocks
   * along the top quarter (block b is bit b, width/16 wide), mid grey below
   * with a band of moving bars (motion, so frames differ beyond the blocks).
   */
  function drawNumber(ctx, width, height, n) {
    ctx.fillStyle = 'rgb(128,128,128)';
    ctx.fillRect(0, 0, width, height);
    const bw = Math.floor(width / BITS);
    const bh = Math.floor(height / 4);
    for (let b = 0; b < BITS; b++) {
      ctx.fillStyle = (n >> b) & 1 ? '#fff' : '#000';
      ctx.fillRect(b * bw, 0, bw, bh);
    }
    const band = Math.floor(height / 2);
    for (let i = 0; i < 8; i++) {
      ctx.fillStyle = `hsl(${(i * 45 + n * 7) % 360},70%,50%)`;
      ctx.fillRect(((n * 4 + i * 37) % width), band, Math.max(4, width / 40), Math.floor(height / 8));
    }
  }

  /**
   * A canvas source: canvas.captureStream(fps) showing IDLE until start(),
   * then frame numbers 0, 1, 2, ..., one per 1/fps of the clock, until
   * stop(), which returns how many numbers were drawn.
   */
  function numberedCanvas({ width = 640, height = 480, fps = 30 } = {}) {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    const stream = canvas.captureStream(fps);
    const t0 = performance.now();
    let start = null;
    let slot = -1; // redraw once per 1/fps: captureStream takes a frame when the canvas changes
    let shown = -1;
    let ended = false;
    const tick = () => {
      if (ended) return;
      const now = performance.now();
      const s = Math.floor(((now - t0) * fps) / 1000);
      if (s === slot) return;
      slot = s;
      if (start === null) {
        drawNumber(ctx, width, height, IDLE);
        return;
      }
      shown += 1; // every number is drawn once, even when the timer is late
      drawNumber(ctx, width, height, shown);
    };
    const timer = setInterval(tick, 5);
    tick();
    return {
      stream,
      track: stream.getVideoTracks()[0],
      start() { start = performance.now(); },
      stop() {
        ended = true;
        clearInterval(timer);
        return shown + 1;
      },
      close() {
        ended = true;
        clearInterval(timer);
        stream.getTracks().forEach((t) => t.stop());
      },
    };
  }

  /** The number frame carries (block centres: luma above or below mid grey). */
  async function frameNumber(frame) {
    const width = frame.visibleRect.width;
    const height = frame.visibleRect.height;
    let luma;
    if (frame.format === 'I420' || frame.format === 'I420A' || frame.format === 'NV12') {
      const buf = new Uint8Array(frame.allocationSize());
      const layout = await frame.copyTo(buf);
      luma = (x, y) => buf[layout[0].offset + y * layout[0].stride + x];
    } else {
      const buf = new Uint8Array(width * height * 4);
      await frame.copyTo(buf, { format: 'RGBA' });
      luma = (x, y) => {
        const o = (y * width + x) * 4;
        return (buf[o] + buf[o + 1] + buf[o + 2]) / 3;
      };
    }
    const bw = Math.floor(width / BITS);
    const bh = Math.floor(height / 4);
    let n = 0;
    for (let b = 0; b < BITS; b++) {
      let sum = 0;
      let count = 0;
      for (let y = Math.floor(bh / 4); y < Math.floor((3 * bh) / 4); y += 2) {
        for (let x = b * bw + Math.floor(bw / 4); x < b * bw + Math.floor((3 * bw) / 4); x += 2) {
          sum += luma(x, y);
          count++;
        }
      }
      if (sum / count > 128) n |= 1 << b;
    }
    return { n, width, height };
  }

  /**
   * Reads a video track's frames with MediaStreamTrackProcessor and, while
   * `seen.on`, decodes their numbers into seen.frames ({ n, width, height, at }).
   */
  function watchVideo(track) {
    const seen = { on: false, frames: [], read: 0 };
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    (async () => {
      for (;;) {
        // eslint-disable-next-line no-await-in-loop
        const { value, done } = await reader.read();
        if (done) break;
        seen.read++;
        try {
          if (seen.on) {
            const at = performance.now();
            // eslint-disable-next-line no-await-in-loop
            const f = await frameNumber(value);
            seen.frames.push({ ...f, at });
          }
        } finally {
          value.close();
        }
      }
    })().catch((e) => { seen.error = String(e); });
    seen.stop = () => reader.cancel();
    return seen;
  }

  /** Plays a stream in a muted <video>; counts the frames it presents. */
  function playVideo(stream) {
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.srcObject = stream;
    document.body.appendChild(video);
    const played = { video, presented: 0 };
    if (video.requestVideoFrameCallback) {
      const onFrame = (now, meta) => {
        played.presented = meta.presentedFrames;
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }
    video.play().catch((e) => { played.error = String(e); });
    return played;
  }

  /**
   * A peer that sends a numbered canvas (window.test.source) and, for the
   * first remote track, plays it in a <video> (window.test.played) and
   * decodes the numbers of its frames (window.test.seen).
   */
  function videoPeer(options) {
    const source = numberedCanvas(options);
    const pc = new RTCPeerConnection();
    pc.addTrack(source.track, source.stream);
    window.test = { pc, source, localStreamId: source.stream.id };
    window.trackEvent = new Promise((resolve) => {
      pc.ontrack = (e) => {
        window.test.played = playVideo(e.streams[0] || new MediaStream([e.track]));
        window.test.seen = watchVideo(e.track);
        resolve(describeTrackEvent(e));
      };
    });
  }

  /** What the page's <video> shows, and the inbound video stats. */
  async function videoReport() {
    const { played, pc } = window.test;
    const stats = await pc.getStats();
    const inbound = [...stats.values()].find((s) => s.type === 'inbound-rtp' && s.kind === 'video') || null;
    const outbound = [...stats.values()].find((s) => s.type === 'outbound-rtp' && s.kind === 'video') || null;
    return {
      videoWidth: played.video.videoWidth,
      videoHeight: played.video.videoHeight,
      presented: played.presented,
      currentTime: played.video.currentTime,
      playError: played.error || null,
      framesRead: window.test.seen.read,
      watchError: window.test.seen.error || null,
      inbound: inbound && {
        framesDecoded: inbound.framesDecoded, framesReceived: inbound.framesReceived, framesDropped: inbound.framesDropped, frameWidth: inbound.frameWidth, frameHeight: inbound.frameHeight, nackCount: inbound.nackCount, pliCount: inbound.pliCount,
      },
      outbound: outbound && {
        framesEncoded: outbound.framesEncoded, framesSent: outbound.framesSent, bytesSent: outbound.bytesSent, frameWidth: outbound.frameWidth, frameHeight: outbound.frameHeight, qualityLimitationReason: outbound.qualityLimitationReason,
      },
      // The codec each way (webrtc-stats codec.mimeType): sent, received.
      codecs: [outbound, inbound].map((s) => (s && stats.get(s.codecId)?.mimeType) || null),
    };
  }

  window.media = {
    connected, audioPeer, takeRecording, numberedCanvas, frameNumber, watchVideo, playVideo, videoPeer, videoReport, IDLE,
  };
}());
