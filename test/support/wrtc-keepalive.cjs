// Jest setupFiles: keeps every @roamhq/wrtc media object a test makes alive
// until the process exits. wrtc 0.10 crashes (SIGSEGV) when one of its
// media objects is destroyed at the wrong moment: garbage collected between
// test files, Jest lost the whole run's results with it. Held on `process`
// (shared by every test file's environment), they are only destroyed at
// exit, after the results are written; scripts/test.sh tolerates that
// exit status (139).
let wrtc;
try {
  wrtc = require('@roamhq/wrtc'); // eslint-disable-line global-require
} catch {
  wrtc = null;
}
if (wrtc && !wrtc.__wasmrtcKeepAlive) {
  const keep = (process.__wasmrtcWrtcObjects ||= []);
  const wrap = (owner, name, methods = []) => {
    const Original = owner[name];
    if (typeof Original !== 'function') return;
    const Kept = class extends Original {
      constructor(...args) {
        super(...args);
        keep.push(this);
      }
    };
    for (const m of methods) {
      const original = Original.prototype[m];
      Kept.prototype[m] = function keptResult(...args) {
        const r = original.apply(this, args);
        keep.push(r);
        return r;
      };
    }
    Object.defineProperty(Kept, 'name', { value: Original.name });
    owner[name] = Kept;
  };
  wrap(wrtc, 'RTCPeerConnection');
  wrap(wrtc, 'MediaStream');
  wrap(wrtc.nonstandard, 'RTCAudioSource', ['createTrack']);
  wrap(wrtc.nonstandard, 'RTCVideoSource', ['createTrack']);
  wrap(wrtc.nonstandard, 'RTCAudioSink');
  wrap(wrtc.nonstandard, 'RTCVideoSink');
  Object.defineProperty(wrtc, '__wasmrtcKeepAlive', { value: true });
}
