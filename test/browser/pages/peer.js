// See peer.html. Helpers the tests call through page.evaluate.
(function () {
  const q = new URLSearchParams(location.search);
  window.ready = new Promise((resolve, reject) => {
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
