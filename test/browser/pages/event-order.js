// The event-order scenario of issue 12, shared by the Node suite
// (test/jest/w3c-event-order.test.cjs) and the browser suite
// (test/browser/event-order.test.cjs), so that wasmrtc in Node, a polyfilled
// page and native Chromium run exactly the same code.
//
// Two connections in one realm, wired the way most applications wire them:
// every icecandidate goes straight into the other side's addIceCandidate,
// and a description is sent only once setLocalDescription has resolved.
// Every event of both connections and of their transports is logged, with a
// mark where each operation's promise resolves. rules(log) then lists what
// webrtc-pc forbids:
// - icecandidate and icegatheringstatechange before the setLocalDescription
//   that started gathering has resolved (4.4.1.5: gathering starts after the
//   description is applied; its events are queued as tasks);
// - signalingstatechange and track after the operation that caused them has
//   resolved (they fire in the "set the description" steps, before the
//   promise resolves);
// - more than one negotiationneeded (4.7.3: the check is queued, and waits
//   for the operations chain to be empty);
// - datachannel before the answerer's answer is applied;
// - an addIceCandidate that rejects.
// (Connection and transport state changes are not tied to the promises:
// they race with them, in native Chromium too.)
(function factory(root) {
  async function run(RTCPeerConnection, { withAudio = true } = {}) {
    const log = [];
    const rejections = [];
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    const names = new Map([[a, 'a'], [b, 'b']]);
    const events = ['icecandidate', 'icegatheringstatechange', 'signalingstatechange', 'iceconnectionstatechange',
      'connectionstatechange', 'negotiationneeded', 'datachannel', 'track'];
    for (const [pc, name] of names) {
      for (const type of events) {
        pc.addEventListener(type, (e) => {
          if (type === 'icecandidate') log.push(`${name}.icecandidate${e.candidate ? '' : '(null)'}`);
          else log.push(`${name}.${type}`);
        });
      }
    }
    const watchTransports = (pc, name) => {
      const seen = new Set();
      return () => {
        const t = pc.sctp;
        const dtls = t ? t.transport : (pc.getTransceivers()[0] && pc.getTransceivers()[0].sender.transport);
        for (const [obj, label] of [[t, 'sctp'], [dtls, 'dtls'], [dtls && dtls.iceTransport, 'ice']]) {
          if (!obj || seen.has(obj)) continue;
          seen.add(obj);
          obj.addEventListener('statechange', () => log.push(`${name}.${label}.statechange`));
        }
      };
    };
    const watchA = watchTransports(a, 'a');
    const watchB = watchTransports(b, 'b');
    // The usual wiring: forward at once, never queue.
    const forward = (from, to) => {
      from.addEventListener('icecandidate', (e) => {
        to.addIceCandidate(e.candidate).catch((err) => rejections.push(`${names.get(to)}: ${err.name}: ${err.message}`));
      });
    };
    forward(a, b);
    forward(b, a);
    const mark = (what) => log.push(`=${what}`);
    // A deadline, so that a connection that never comes up still closes both ends.
    const within = (promise, what) => Promise.race([promise, new Promise((_, reject) => {
      setTimeout(() => reject(new Error(`${what} did not happen within 15 s; log: ${log.join(' ')}`)), 15000);
    })]);

    let received;
    try {
      if (withAudio) a.addTransceiver('audio');
      const dc = a.createDataChannel('order');
      const remoteChannel = new Promise((resolve) => { b.addEventListener('datachannel', (e) => resolve(e.channel)); });
      const offer = await a.createOffer();
      mark('a.createOffer');
      await a.setLocalDescription(offer);
      mark('a.setLocalDescription');
      watchA();
      await b.setRemoteDescription(a.localDescription);
      mark('b.setRemoteDescription');
      watchB();
      await b.setLocalDescription();
      mark('b.setLocalDescription');
      watchB();
      await a.setRemoteDescription(b.localDescription);
      mark('a.setRemoteDescription');
      watchA();
      const channel = await within(remoteChannel, 'datachannel');
      await within(new Promise((resolve) => {
        if (dc.readyState === 'open') resolve();
        else dc.addEventListener('open', resolve);
      }), 'open');
      const message = new Promise((resolve) => { channel.addEventListener('message', (e) => resolve(e.data)); });
      dc.send('in order');
      received = await within(message, 'message');
    } finally {
      a.close();
      b.close();
    }
    return { log, rejections, received };
  }

  // What must not happen, as a list of readable violations (empty when all is well).
  function rules(log) {
    const violations = [];
    const at = (entry) => log.indexOf(entry);
    const before = (entry, markName) => {
      const m = at(`=${markName}`);
      return log.slice(0, m < 0 ? log.length : m).includes(entry);
    };
    const firstIndex = (re) => log.findIndex((x) => re.test(x));
    for (const [pc, sld] of [['a', 'a.setLocalDescription'], ['b', 'b.setLocalDescription']]) {
      const m = at(`=${sld}`);
      const first = firstIndex(new RegExp(`^${pc}\\.(icecandidate|icegatheringstatechange)`));
      if (first >= 0 && (m < 0 || first < m)) violations.push(`${log[first]} before ${sld} resolved`);
    }
    // signalingstatechange of each operation before its promise resolves.
    const ops = ['a.setLocalDescription', 'b.setRemoteDescription', 'b.setLocalDescription', 'a.setRemoteDescription'];
    let from = 0;
    for (const op of ops) {
      const m = at(`=${op}`);
      const pc = op[0];
      const slice = log.slice(from, m);
      if (!slice.includes(`${pc}.signalingstatechange`)) violations.push(`${pc}.signalingstatechange not before ${op} resolved`);
      from = m + 1;
    }
    if (log.includes('b.track') && !before('b.track', 'b.setRemoteDescription')) violations.push('b.track after b.setRemoteDescription resolved');
    // negotiationneeded: the offer is made in the same task as the channel,
    // so the queued check finds the operations chain busy and waits for it to
    // empty (4.7.3); by then negotiation is under way. At most once for a,
    // never for b, whose answer leaves nothing to negotiate.
    const nn = log.filter((x) => x === 'a.negotiationneeded').length;
    if (nn > 1) violations.push(`a.negotiationneeded fired ${nn} times`);
    if (log.includes('b.negotiationneeded')) violations.push('b.negotiationneeded fired');
    // b's DTLS role is known only once its answer is applied: no channel before.
    const dc = at('b.datachannel');
    if (dc >= 0 && dc < at('=b.setLocalDescription')) violations.push('b.datachannel before b.setLocalDescription resolved');
    return violations;
  }

  // The part of a log that does not depend on how fast candidates are found
  // and checked: the marks and the events the descriptions themselves cause
  // (connection state changes race with the promises, in Chromium too).
  // negotiationneeded is left out: here the offer is made in the task that
  // created the channel, so by webrtc-pc 4.7.3 the queued check finds the
  // operations chain busy and no event fires; Chromium 156 fires one before
  // createOffer resolves (its check runs before the offer reaches
  // libwebrtc's chain). wasmrtc follows the spec.
  function descriptionEvents(log) {
    return log.filter((x) => /^(=|[ab]\.(signalingstatechange|track)$)/.test(x));
  }

  const api = { run, rules, descriptionEvents };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.eventOrder = api;
}(typeof globalThis !== 'undefined' ? globalThis : this));
