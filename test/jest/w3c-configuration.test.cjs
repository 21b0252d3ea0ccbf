'use strict';
// RTCConfiguration (webrtc-pc 4.2, 4.4.1.2 "set a configuration"): what the
// constructor and setConfiguration() accept and refuse, and what
// getConfiguration() gives back; in the manner of web-platform-tests'
// RTCConfiguration-*.html, whose config_test() runs each case through both
// entry points.
const { RTCPeerConnection } = require('../..');

const LOOPBACK = { wasmrtc: { loopback: true } };
const { peerFactory, throwsDom: domError } = require('../support/w3c.cjs');

const make = peerFactory(RTCPeerConnection);

/** Runs `body(makePc)` once with the constructor, once with setConfiguration() on a default connection. */
function configTest(name, body) {
  test(`new RTCPeerConnection(config): ${name}`, () => body((config) => make(config)));
  test(`setConfiguration(config): ${name}`, () => body((config) => {
    const pc = make();
    pc.setConfiguration(config);
    return pc;
  }));
}


describe('defaults', () => {
  test('new RTCPeerConnection() has the default configuration', () => {
    expect(RTCPeerConnection.length).toBe(0);
    const c = make().getConfiguration();
    expect(c.iceServers).toEqual([]);
    expect(c.iceTransportPolicy).toBe('all');
    expect(c.bundlePolicy).toBe('balanced');
    expect(c.rtcpMuxPolicy).toBe('require');
    expect(c.iceCandidatePoolSize).toBe(0);
    expect(c.certificates).toEqual([]);
  });

  test.each([[undefined], [null], [{}]])('new RTCPeerConnection(%p) succeeds', (arg) => {
    expect(make(arg).signalingState).toBe('stable');
  });

  test('initial attribute values (RTCPeerConnection-constructor.html)', () => {
    const pc = make();
    for (const attr of ['localDescription', 'currentLocalDescription', 'pendingLocalDescription',
      'remoteDescription', 'currentRemoteDescription', 'pendingRemoteDescription', 'canTrickleIceCandidates', 'sctp']) {
      expect(pc[attr]).toBeNull();
    }
    expect(pc.signalingState).toBe('stable');
    expect(pc.iceGatheringState).toBe('new');
    expect(pc.iceConnectionState).toBe('new');
    expect(pc.connectionState).toBe('new');
  });
});

describe('iceServers', () => {
  configTest('{ iceServers: null } is a TypeError', (makePc) => {
    expect(() => makePc({ iceServers: null })).toThrow(TypeError);
  });
  configTest('[null], [undefined], [{}] are TypeErrors (urls is required)', (makePc) => {
    for (const iceServers of [[null], [undefined], [{}], [{ url: 'stun:stun1.example.net' }]]) {
      expect(() => makePc({ iceServers })).toThrow(TypeError);
    }
  });
  configTest('{ iceServers: undefined } and [] give []', (makePc) => {
    expect(makePc({ iceServers: undefined }).getConfiguration().iceServers).toEqual([]);
  });

  configTest('a stun URL string comes back as a list', (makePc) => {
    const [server, ...rest] = makePc({ iceServers: [{ urls: 'stun:stun1.example.net' }] }).getConfiguration().iceServers;
    expect(rest).toEqual([]);
    expect(server.urls).toEqual(['stun:stun1.example.net']);
  });

  configTest('turn and turns with username and credential (also empty strings)', (makePc) => {
    const pc = makePc({ iceServers: [{ urls: ['turns:turn.example.org', 'turn:turn.example.net'], username: 'user', credential: 'cred' }] });
    expect(pc.getConfiguration().iceServers).toEqual([
      { urls: ['turns:turn.example.org', 'turn:turn.example.net'], username: 'user', credential: 'cred' },
    ]);
    const empty = makePc({ iceServers: [{ urls: 'turn:turn.example.org', username: '', credential: '' }] });
    expect(empty.getConfiguration().iceServers[0]).toEqual({ urls: ['turn:turn.example.org'], username: '', credential: '' });
  });

  // "validate an ICE server URL", last step.
  configTest('turn/turns without username or credential is an InvalidAccessError', (makePc) => {
    for (const urls of ['turn:turn.example.net', 'turns:turn.example.net']) {
      domError(() => makePc({ iceServers: [{ urls }] }), 'InvalidAccessError');
      domError(() => makePc({ iceServers: [{ urls, username: 'user' }] }), 'InvalidAccessError');
      domError(() => makePc({ iceServers: [{ urls, credential: 'cred' }] }), 'InvalidAccessError');
    }
    domError(() => makePc({ iceServers: [{ urls: 'turn:t.example.net', username: 'u'.repeat(510), credential: 'c' }] }), 'InvalidAccessError');
  });

  configTest('empty urls, bad and unsupported URLs are SyntaxErrors', (makePc) => {
    for (const urls of [[], '', ['stun:stun1.example.net', ''], 'relative-url', 'http://example.com',
      'turn://example.org/foo?x=y', 'stun://example.org/foo?x=y', 'stun:example.net:65536', 'stun:example.net#foo',
      'stun:example.net?transport=udp', 'turn:example.net?transport=sctp', 'stun:192.168.0.257', 'stun:[example.net]',
      'stun:user@example.net', 'stun:example.net/foo']) {
      domError(() => makePc({ iceServers: [{ urls, username: 'u', credential: 'c' }] }), 'SyntaxError');
    }
  });

  configTest('URLs the WHATWG URL parser accepts as host and port are valid', (makePc) => {
    for (const urls of ['stun:ex%61mple.net', 'stun:[2001::1]', 'stun:example.net:', 'stun:example.net:65535',
      'stun:example\t.\norg', 'stun:faß.ExAmPlE', 'turn:turn.example.net?transport=tcp', 'turns:turn.example.net:443']) {
      expect(() => makePc({ iceServers: [{ urls, username: 'u', credential: 'c' }] })).not.toThrow();
    }
  });

  test('setConfiguration only applies an entirely valid configuration (RTCConfiguration-validation.html)', () => {
    const pc = make();
    domError(() => pc.setConfiguration({ iceTransportPolicy: 'relay', iceServers: [{ urls: '' }] }), 'SyntaxError');
    expect(pc.getConfiguration().iceTransportPolicy).toBe('all');
    pc.setConfiguration({ iceTransportPolicy: 'relay', iceServers: [{ urls: 'stun:stun1.example.net' }] });
    expect(pc.getConfiguration().iceTransportPolicy).toBe('relay');
    expect(pc.getConfiguration().iceServers[0].urls).toEqual(['stun:stun1.example.net']);
  });

  test('getConfiguration() returns a copy', () => {
    const pc = make({ iceServers: [{ urls: ['stun:a.example.net'] }] });
    pc.getConfiguration().iceServers[0].urls.push('stun:b.example.net');
    expect(pc.getConfiguration().iceServers[0].urls).toEqual(['stun:a.example.net']);
  });
});

describe('policies', () => {
  configTest('iceTransportPolicy: relay and all; null, "none" and unknown values are TypeErrors', (makePc) => {
    expect(makePc({ iceTransportPolicy: 'relay' }).getConfiguration().iceTransportPolicy).toBe('relay');
    for (const v of [null, 'none', 'invalid']) expect(() => makePc({ iceTransportPolicy: v })).toThrow(TypeError);
  });

  test.each(['balanced', 'max-compat', 'max-bundle'])('bundlePolicy %s is kept', (bundlePolicy) => {
    const pc = make({ bundlePolicy });
    expect(pc.getConfiguration().bundlePolicy).toBe(bundlePolicy);
    pc.setConfiguration({ bundlePolicy }); // unchanged: allowed
  });

  test('bundlePolicy null or unknown is a TypeError', () => {
    expect(() => make({ bundlePolicy: null })).toThrow(TypeError);
    expect(() => make({ bundlePolicy: 'invalid' })).toThrow(TypeError);
  });

  test('rtcpMuxPolicy: "require" and "negotiate" (kept, as in Chromium); null and unknown values are TypeErrors', () => {
    expect(make({ rtcpMuxPolicy: 'require' }).getConfiguration().rtcpMuxPolicy).toBe('require');
    const pc = make({ rtcpMuxPolicy: 'negotiate' });
    expect(pc.getConfiguration().rtcpMuxPolicy).toBe('negotiate');
    pc.setConfiguration({ rtcpMuxPolicy: 'negotiate' }); // unchanged: allowed
    // 4.4.1.2 step 4.4: changing it, even to the default by omission.
    domError(() => pc.setConfiguration({}), 'InvalidModificationError');
    domError(() => pc.setConfiguration({ rtcpMuxPolicy: 'require' }), 'InvalidModificationError');
    domError(() => make().setConfiguration({ rtcpMuxPolicy: 'negotiate' }), 'InvalidModificationError');
    expect(() => make({ rtcpMuxPolicy: null })).toThrow(TypeError);
    expect(() => make({ rtcpMuxPolicy: 'invalid' })).toThrow(TypeError);
  });

  test('iceCandidatePoolSize is an [EnforceRange] octet', () => {
    expect(make({ iceCandidatePoolSize: 255 }).getConfiguration().iceCandidatePoolSize).toBe(255);
    for (const v of [-1, 256, NaN, Infinity, Symbol('x')]) expect(() => make({ iceCandidatePoolSize: v })).toThrow(TypeError);
  });
});

describe('setConfiguration changes that are not allowed (4.4.1.2 step 4)', () => {
  test('changing bundlePolicy, even to the default by omission, is an InvalidModificationError', () => {
    const pc = make({ bundlePolicy: 'max-bundle' });
    domError(() => pc.setConfiguration({ bundlePolicy: 'max-compat' }), 'InvalidModificationError');
    domError(() => pc.setConfiguration({}), 'InvalidModificationError');
    expect(pc.getConfiguration().bundlePolicy).toBe('max-bundle');
  });

  test('iceCandidatePoolSize may change before setLocalDescription, not after', async () => {
    const pc = make(LOOPBACK);
    pc.setConfiguration({ iceCandidatePoolSize: 1 });
    expect(pc.getConfiguration().iceCandidatePoolSize).toBe(1);
    pc.createDataChannel('x');
    await pc.setLocalDescription(await pc.createOffer());
    domError(() => pc.setConfiguration({ iceCandidatePoolSize: 2 }), 'InvalidModificationError');
    pc.setConfiguration({ iceCandidatePoolSize: 1 });
  });

  test('setConfiguration on a closed connection is an InvalidStateError', () => {
    const pc = make();
    pc.close();
    domError(() => pc.setConfiguration({}), 'InvalidStateError');
  });
});

describe('certificates', () => {
  test('null, [null], [undefined] and non-certificates are TypeErrors', () => {
    for (const certificates of [null, [null], [undefined], [{}]]) expect(() => make({ certificates })).toThrow(TypeError);
    expect(make({ certificates: [] }).getConfiguration().certificates).toEqual([]);
  });

  test('a generated certificate is kept; changing or dropping it is an InvalidModificationError', async () => {
    const [a, b] = await Promise.all([
      RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }),
      RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }),
    ]);
    const pc = make({ certificates: [a] });
    expect(pc.getConfiguration().certificates).toEqual([a]);
    expect(pc.getConfiguration().certificates[0]).toBe(a);
    pc.setConfiguration({ certificates: [a] });
    domError(() => pc.setConfiguration({ certificates: [b] }), 'InvalidModificationError');
    domError(() => pc.setConfiguration({ certificates: [a, b] }), 'InvalidModificationError');
    domError(() => pc.setConfiguration({}), 'InvalidModificationError');
  });

  test('an expired certificate is an InvalidAccessError (4.4.1.1 constructor)', async () => {
    const cert = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256', expires: 0 });
    expect(cert.expires).toBeLessThanOrEqual(Date.now());
    domError(() => make({ certificates: [cert] }), 'InvalidAccessError');
  });
});

describe('rtcpMuxPolicy "require" and remote descriptions (JSEP 5.10, as Chromium)', () => {
  const FP = Array(32).fill('00').join(':');
  // An audio section without BUNDLE and without a=rtcp-mux (WPT RTCConfiguration-rtcpMuxPolicy.html).
  const audio = (setup, mux) => ['v=0', 'o=- 166855176514521964 2 IN IP4 127.0.0.1', 's=-', 't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:someufrag', 'a=ice-pwd:somelongpwdwithenoughrandomness', `a=fingerprint:sha-256 ${FP}`,
    `a=setup:${setup}`, ...(setup === 'actpass' ? ['a=mid:audio1'] : []), 'a=sendonly',
    ...(mux ? ['a=rtcp-mux'] : []), 'a=rtcp-rsize', 'a=rtpmap:111 opus/48000/2', ''].join('\r\n');
  const errorName = (p) => p.then(() => 'resolved', (e) => e.name);

  test('an offer without a=rtcp-mux is an InvalidAccessError; with it, or under "negotiate", it is taken', async () => {
    const pc = make({ ...LOOPBACK });
    expect(await errorName(pc.setRemoteDescription({ type: 'offer', sdp: audio('actpass', false) }))).toBe('InvalidAccessError');
    expect(pc.signalingState).toBe('stable');
    expect(await errorName(pc.setRemoteDescription({ type: 'offer', sdp: audio('actpass', true) }))).toBe('resolved');
    const negotiate = make({ ...LOOPBACK, rtcpMuxPolicy: 'negotiate' });
    expect(await errorName(negotiate.setRemoteDescription({ type: 'offer', sdp: audio('actpass', false) }))).toBe('resolved');
    pc.close();
    negotiate.close();
  });

  test('an answer without a=rtcp-mux is an InvalidAccessError', async () => {
    const pc = make({ ...LOOPBACK });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    await pc.setLocalDescription(await pc.createOffer());
    expect(await errorName(pc.setRemoteDescription({ type: 'answer', sdp: audio('active', false) }))).toBe('InvalidAccessError');
    expect(pc.signalingState).toBe('have-local-offer');
    pc.close();
  });
});
