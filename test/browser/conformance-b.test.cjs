// Drop-in conformance (issue 12, defects 4, 5, 6, 9 and 13, and Chromium's
// legacy members): the same
// page-side checks (pages/conformance-b.js) run on Chromium's own
// RTCPeerConnection and on the polyfill forced over it (two connections in
// one page, no gateway), and what page code can see must be the same.
// Native Chromium is the reference; where a check's outcome is fixed by
// webrtc-pc, the expected values are written out too.
const { useBrowserEnv } = require('../support/browser-env.cjs');

jest.setTimeout(120000);

// Chromium hides host addresses behind mDNS names by default, which only
// its own resolver knows; the test namespace has no mDNS. Remote audio plays
// without a user gesture.
const env = useBrowserEnv({
  chromiumArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns', '--autoplay-policy=no-user-gesture-required'],
});

/** kind: 'native', 'polyfilled' (no gateway: both connections in the page) or 'gateway' (polyfilled, through gateway + coturn). */
async function openPage(kind) {
  const page = await env.browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let query = '';
  if (kind === 'polyfilled') query = '?polyfill=1';
  if (kind === 'gateway') query = `?polyfill=1&gateway=${encodeURIComponent(env.gateway.url)}&iceServers=${encodeURIComponent(env.iceServers)}`;
  await page.goto(`${env.server.url}test/browser/pages/peer.html${query}`);
  expect(await page.evaluate(() => window.ready)).toBe(kind === 'native' ? 'native' : 'wasmrtc');
  await page.addScriptTag({ url: `${env.server.url}test/browser/pages/conformance-b.js` });
  return { page, errors };
}

/** Runs window.conformanceB[check]() on a native and on a polyfilled page: { native, polyfilled }. */
async function both(check) {
  const out = {};
  for (const kind of ['native', 'polyfilled']) {
    // eslint-disable-next-line no-await-in-loop
    const { page, errors } = await openPage(kind);
    try {
      // eslint-disable-next-line no-await-in-loop
      out[kind] = await page.evaluate((name) => window.conformanceB[name](), check);
      expect(errors).toEqual([]);
    } finally {
      // eslint-disable-next-line no-await-in-loop
      await page.close();
    }
  }
  return out;
}

// A channel's events with a remote close: Chromium's peer resets its
// streams before its ABORT, which may show as "closing" first; that is the
// remote stack's doing, not the receiving page's, so it is left out.
const withoutClosing = (log) => log.filter((e) => e.type !== 'closing');

// What webrtc-pc 6.2 makes of it: readyState "closed", then error (an
// RTCErrorEvent: OperationError, sctp-failure), then close, for each
// channel; then the RTCSctpTransport closes.
const EXPECTED_CLOSE = ['one', 'two'].flatMap((channel) => [
  {
    channel,
    type: 'error',
    readyState: 'closed',
    isRTCErrorEvent: true,
    error: {
      isRTCError: true, isDOMException: true, name: 'OperationError', errorDetail: 'sctp-failure', sctpCauseCode: 12, hasMessage: true,
    },
  },
  { channel, type: 'close', readyState: 'closed' },
]);

test('4: the peer closes its RTCPeerConnection: each open channel gets error (sctp-failure), then close', async () => {
  const r = await both('remoteClose');
  const sorted = (log) => [...withoutClosing(log).filter((e) => e.channel === 'one'), ...withoutClosing(log).filter((e) => e.channel === 'two')];
  expect(sorted(r.native)).toEqual(EXPECTED_CLOSE);
  expect(sorted(r.polyfilled)).toEqual(sorted(r.native));
  // The transport closes after the channels.
  for (const log of [r.native, r.polyfilled]) expect(log[log.length - 1]).toEqual({ sctp: 'closed' });
});

test('4: a native page closes: the polyfilled page\'s channels (through gateway + coturn) get error, then close', async () => {
  const ours = await openPage('gateway');
  const theirs = await openPage('native');
  try {
    const offer = await ours.page.evaluate(async () => {
      window.pc = new RTCPeerConnection();
      window.channels = [window.pc.createDataChannel('one'), window.pc.createDataChannel('two')];
      await window.pc.setLocalDescription();
      return window.gathered(window.pc);
    });
    const answer = await theirs.page.evaluate(async (o) => {
      window.pc = new RTCPeerConnection();
      window.pc.ondatachannel = (e) => window.opened(e.channel);
      await window.pc.setRemoteDescription(o);
      await window.pc.setLocalDescription();
      return window.gathered(window.pc);
    }, offer);
    const log = ours.page.evaluate(async (a) => {
      await window.pc.setRemoteDescription(a);
      await Promise.all(window.channels.map((dc) => window.opened(dc)));
      window.closeLog = window.conformanceB.watchClose(window.pc, window.channels);
      return 'open';
    }, answer);
    expect(await log).toBe('open');
    await theirs.page.evaluate(() => window.pc.close());
    const got = await ours.page.evaluate(() => window.closeLog);
    const sorted = [...withoutClosing(got).filter((e) => e.channel === 'one'), ...withoutClosing(got).filter((e) => e.channel === 'two')];
    expect(sorted).toEqual(EXPECTED_CLOSE);
    expect(got[got.length - 1]).toEqual({ sctp: 'closed' });
    expect(ours.errors).toEqual([]);
  } finally {
    await ours.page.close();
    await theirs.page.close();
  }
});

test('5: RTCCertificate.getFingerprints() values are lowercase hex', async () => {
  const r = await both('fingerprints');
  const lower = [{ algorithm: 'sha-256', lowercaseHex: true }];
  expect(r.native).toEqual([lower, lower]);
  expect(r.polyfilled).toEqual(r.native);
});

test('6: event and RTCError constructors convert their arguments as WebIDL does', async () => {
  const r = await both('eventConstructors');
  expect(r.native['IceEvent()']).toBe('throws TypeError');
  expect(r.native['IceEvent candidate {}']).toBe('throws TypeError');
  expect(r.polyfilled).toEqual(r.native);
});

test('9: replaceTrack and addTrack take ended tracks; nothing rejects unhandled', async () => {
  const r = await both('endedTracks');
  for (const kind of ['audio', 'video']) {
    expect(r.native[`${kind} replaceTrack(ended)`]).toBe('resolved');
    expect(r.native[`${kind} sender.track is it`]).toBe(true);
  }
  expect(r.native.unhandledRejections).toEqual([]);
  expect(r.polyfilled).toEqual(r.native);
});

test('13: getSynchronizationSources of received audio and video: rtpTimestamp moves with the media', async () => {
  const r = await both('synchronizationSources');
  expect(r.native.audio).toEqual(expect.objectContaining({
    rtpTimestampInRange: true, rtpTimestampAdvanced: true, sameSource: true, audioLevel: 'number',
  }));
  expect(r.native.video).toEqual(expect.objectContaining({ rtpTimestampInRange: true, rtpTimestampAdvanced: true, sameSource: true }));
  expect(r.polyfilled).toEqual(r.native);
});

test('12: Chromium\'s legacy stream API (addStream, removeStream, getLocalStreams, getRemoteStreams, createDTMFSender, addstream/removestream) and RTCDataChannel.reliable', async () => {
  const r = await both('legacyStreams');
  expect(r.native).toEqual(expect.objectContaining({
    afterAddTrack: [true],
    afterAddStream: [false, true],
    sendersAfterRepeats: 3,
    'addStream(null)': 'TypeError',
    dtmfIsTheSenders: true,
    dtmfUnsent: 'SyntaxError',
    order: ['addstream MediaStreamEvent tracks 1', 'addstream MediaStreamEvent tracks 2', 'track 1', 'track 1', 'track 1', 'resolved',
      'removestream MediaStreamEvent', 'resolved'],
    removeUnknown: 'ok',
    remoteAfterRemove: 1,
    reliable: [true, false, false],
    closed: 'InvalidStateError',
    hasOnaddstream: true,
  }));
  expect(r.polyfilled).toEqual(r.native);
});

test('12: a renegotiation that stops every transceiver leaves no transport: the states return to "new" as in Chromium, and ICE does not start again', async () => {
  const r = await both('closeAllTransports');
  expect(r.native).toContain('pc2 setLocalDescription resolved new new new');
  expect(r.native).toContain('pc1 setRemoteDescription resolved new new new');
  expect(r.native[r.native.length - 1]).toBe('end new new new new new new');
  expect(r.polyfilled).toEqual(r.native);
});
