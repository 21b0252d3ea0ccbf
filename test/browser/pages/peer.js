// See peer.html. Helpers the tests call through page.evaluate.
(function () {
  const q = new URLSearchParams(location.search);
  window.ready = new Promise((resolve, reject) => {
    if (q.get('esm')) {
      // The ES module build, its options in the module URL's query.
      const options = new URLSearchParams({ force: '' });
      if (q.get('gateway')) options.set('gateway', q.get('gateway'));
      if (q.get('iceServers')) options.set('iceServers', q.get('iceServers'));
      import(`/dist/wasmrtc-polyfill.mjs?${options}`).then((m) => resolve(m.default.installed ? 'wasmrtc' : 'no'), reject);
      return;
    }
    if (!q.get('polyfill')) { resolve('native'); return; }
    const s = document.createElement('script');
    s.src = '/dist/wasmrtc-polyfill.js';
    if (q.get('gateway')) s.dataset.gateway = q.get('gateway');
    if (q.get('iceServers')) s.dataset.iceServers = q.get('iceServers');
    s.dataset.force = '';
    s.onload = () => resolve('wasmrtc');
    s.onerror = () => reject(new Error('polyfill failed to load'));
    document.head.appendChild(s);
  });

  /** Resolves with the local description once gathering is complete (no trickle needed). */
  window.gathered = (pc) => new Promise((resolve) => {
    const done = () => resolve({ type: pc.localDescription.type, sdp: pc.localDescription.sdp });
    if (pc.iceGatheringState === 'complete') { done(); return; }
    pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') done(); });
  });

  window.opened = (dc) => new Promise((resolve, reject) => {
    if (dc.readyState === 'open') { resolve(); return; }
    dc.addEventListener('open', () => resolve(), { once: true });
    dc.addEventListener('close', () => reject(new Error('closed before open')), { once: true });
  });

  /** Collects `count` messages on `dc` (strings as they are, binary as byte arrays). */
  window.collect = (dc, count) => new Promise((resolve) => {
    const out = [];
    dc.addEventListener('message', function on(e) {
      out.push(typeof e.data === 'string' ? e.data : Array.from(new Uint8Array(e.data)));
      if (out.length === count) { dc.removeEventListener('message', on); resolve(out); }
    });
  });
}());

// Bulk helpers (see the browser tests).
(function () {
  /** Deterministic bytes: byte i of the stream is (i * 31 + 7) & 0xff. */
  function pattern(offset, length) {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = ((offset + i) * 31 + 7) & 0xff;
    return out;
  }

  async function sha256(bytes) {
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  window.patternHash = (size) => sha256(pattern(0, size));

  /** Sends `size` pattern bytes in `chunk`-byte messages, flow-controlled by bufferedamountlow. */
  window.sendFile = (dc, size, chunk = 16384) => new Promise((resolve, reject) => {
    const high = 1024 * 1024;
    dc.bufferedAmountLowThreshold = high / 4;
    let sent = 0;
    const pump = () => {
      try {
        while (sent < size && dc.bufferedAmount < high) {
          const n = Math.min(chunk, size - sent);
          dc.send(pattern(sent, n));
          sent += n;
        }
      } catch (e) { reject(e); return; }
      if (sent >= size) { dc.onbufferedamountlow = null; resolve(sent); }
    };
    dc.onbufferedamountlow = pump;
    pump();
  });

  /** Receives `size` bytes of binary messages and resolves with their SHA-256. */
  window.receiveFile = (dc, size) => new Promise((resolve) => {
    const whole = new Uint8Array(size);
    let got = 0;
    dc.binaryType = 'arraybuffer';
    dc.addEventListener('message', function on(e) {
      const bytes = new Uint8Array(e.data);
      whole.set(bytes, got);
      got += bytes.length;
      if (got >= size) { dc.removeEventListener('message', on); resolve(sha256(whole)); }
    });
  });
}());
