// A requestAnimationFrame counter for test/browser/responsiveness.test.cjs.
// window.frameMeter.start() counts frames (and paints the count, as an
// animation would) until stop(), which returns { frames, ms, fps, longestGap }.
// window.frameMeter.hog(busyMs) keeps the main thread busy in turns of
// busyMs until stop(): what a stack doing its work on the page's thread does.
(function () {
  let state = null;

  function start() {
    const out = document.body.appendChild(document.createElement('div'));
    const s = {
      frames: 0, first: null, last: null, longestGap: 0, running: true, out, hogTimer: null,
    };
    const tick = (t) => {
      if (!s.running) return;
      if (s.first === null) s.first = t;
      else s.longestGap = Math.max(s.longestGap, t - s.last);
      s.last = t;
      s.frames++;
      s.out.textContent = `frame ${s.frames}`;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    state = s;
  }

  function hog(busyMs) {
    state.hogTimer = setInterval(() => {
      const until = performance.now() + busyMs;
      while (performance.now() < until) { /* busy */ }
    }, 0);
  }

  function stop() {
    const s = state;
    state = null;
    s.running = false;
    clearInterval(s.hogTimer);
    s.out.remove();
    // Frames per second between the first and the last frame counted.
    const ms = s.last - s.first;
    return {
      frames: s.frames, ms: Math.round(ms), fps: ms > 0 ? ((s.frames - 1) * 1000) / ms : 0, longestGap: Math.round(s.longestGap),
    };
  }

  window.frameMeter = { start, hog, stop };
}());
