'use strict';
// RTCDataChannel and createDataChannel() (webrtc-pc 6.1, 6.2): argument
// checks, attribute values, ids, send() states, binaryType, messages as
// MessageEvents, Blob sends and the datachannel event; in the manner of
// web-platform-tests' RTCPeerConnection-createDataChannel.html and
// RTCDataChannel-*.html. Two in-process peers on loopback.
const {
  RTCPeerConnection, RTCDataChannel, RTCDataChannelEvent, RTCErrorEvent, RTCError,
} = require('../..');
const {
  createPeer, signal, channelOpen, nextChannel, waitFor,
} = require('../support/peers.cjs');

const { peerFactory, throwsDom } = require('../support/w3c.cjs');

const make = peerFactory(RTCPeerConnection, { wasmrtc: { loopback: true } });


/** An open channel pair: `local` made by createDataChannel, `remote` from the datachannel event. */
async function openPair(init) {
  const a = make();
  const b = make();
  const local = a.createDataChannel('pair', init);
  const announced = nextChannel(b, 'pair');
  await signal(a, b);
  const remote = await announced;
  await Promise.all([channelOpen(local), channelOpen(remote)]);
  return { a, b, local, remote };
}

describe('createDataChannel arguments (6.1)', () => {
  test('no argument is a TypeError; length is 1', () => {
    expect(RTCPeerConnection.prototype.createDataChannel.length).toBe(1);
    expect(() => make().createDataChannel()).toThrow(TypeError);
  });

  test('default attribute values', () => {
    const dc = make().createDataChannel('');
    expect(dc).toBeInstanceOf(RTCDataChannel);
    expect(dc).toBeInstanceOf(EventTarget);
    expect(dc.label).toBe('');
    expect(dc.ordered).toBe(true);
    expect(dc.maxPacketLifeTime).toBeNull();
    expect(dc.maxRetransmits).toBeNull();
    expect(dc.protocol).toBe('');
    expect(dc.negotiated).toBe(false);
    expect(dc.id).toBeNull(); // the DTLS role is not known yet
    expect(dc.readyState).toBe('connecting');
    expect(dc.bufferedAmount).toBe(0);
    expect(dc.bufferedAmountLowThreshold).toBe(0);
    // 6.2 binaryType: "initialized to the string arraybuffer".
    expect(dc.binaryType).toBe('arraybuffer');
  });

  test('given values are kept', () => {
    const pc = make();
    const dc = pc.createDataChannel('test', { ordered: false, maxRetransmits: 1, protocol: 'custom', negotiated: true, id: 3 });
    expect([dc.label, dc.ordered, dc.maxRetransmits, dc.maxPacketLifeTime, dc.protocol, dc.negotiated, dc.id])
      .toEqual(['test', false, 1, null, 'custom', true, 3]);
    const dc2 = pc.createDataChannel('test2', { maxPacketLifeTime: 42 });
    expect([dc2.maxPacketLifeTime, dc2.maxRetransmits]).toEqual([42, null]);
    expect(pc.createDataChannel('', { maxRetransmits: 0 }).maxRetransmits).toBe(0);
    expect(pc.createDataChannel('', { maxPacketLifeTime: 0 }).maxPacketLifeTime).toBe(0);
  });

  test('label and protocol are USVStrings: null, undefined, lone surrogates', () => {
    const pc = make();
    expect(pc.createDataChannel(null).label).toBe('null');
    expect(pc.createDataChannel(undefined).label).toBe('undefined');
    expect(pc.createDataChannel('\uD800').label).toBe('\uFFFD');
    expect(pc.createDataChannel('', { protocol: null }).protocol).toBe('null');
    expect(pc.createDataChannel('', { protocol: undefined }).protocol).toBe('');
    expect(pc.createDataChannel('', { protocol: '\uD800' }).protocol).toBe('\uFFFD');
  });

  test('ordered: null converts to false, undefined to the default true', () => {
    const pc = make();
    expect(pc.createDataChannel('', { ordered: null }).ordered).toBe(false);
    expect(pc.createDataChannel('', { ordered: undefined }).ordered).toBe(true);
  });

  test('label or protocol over 65535 bytes is a TypeError; exactly 65535 is fine', () => {
    const pc = make();
    expect(() => pc.createDataChannel('l'.repeat(65536))).toThrow(TypeError);
    expect(() => pc.createDataChannel('\u00b5'.repeat(32768), { negotiated: true, id: 42 })).toThrow(TypeError);
    expect(() => pc.createDataChannel('', { protocol: 'p'.repeat(65536) })).toThrow(TypeError);
    expect(() => pc.createDataChannel('', { protocol: '\u00b6'.repeat(32768) })).toThrow(TypeError);
    const dc = pc.createDataChannel('l'.repeat(65535), { protocol: 'p'.repeat(65535) });
    expect(dc.label.length).toBe(65535);
  });

  test('both maxPacketLifeTime and maxRetransmits is a TypeError', () => {
    const pc = make();
    expect(() => pc.createDataChannel('', { maxPacketLifeTime: 0, maxRetransmits: 0 })).toThrow(TypeError);
    expect(() => pc.createDataChannel('', { maxPacketLifeTime: undefined, maxRetransmits: undefined })).not.toThrow();
  });

  test('ids: negotiated without id, id 65535, and out-of-range ids are TypeErrors', () => {
    const pc = make();
    expect(() => pc.createDataChannel('', { negotiated: true })).toThrow(TypeError);
    for (const id of [-1, 65535, 65536]) expect(() => pc.createDataChannel('', { negotiated: true, id })).toThrow(TypeError);
    // [EnforceRange] unsigned short even when not negotiated.
    for (const id of [-1, 65536]) expect(() => pc.createDataChannel('', { id })).toThrow(TypeError);
    for (const id of [0, 1, 65534, 65535]) expect(pc.createDataChannel('', { id }).id).toBeNull();
    expect(pc.createDataChannel('', { negotiated: true, id: 65534 }).id).toBe(65534);
  });

  test('reusing an id in use is an OperationError', () => {
    const pc = make();
    pc.createDataChannel('a', { negotiated: true, id: 42 });
    throwsDom(() => pc.createDataChannel('b', { negotiated: true, id: 42 }), 'OperationError');
  });

  test('createDataChannel on a closed connection is an InvalidStateError', () => {
    const pc = make();
    pc.close();
    throwsDom(() => pc.createDataChannel(''), 'InvalidStateError');
  });

  test('ids are assigned by the time setRemoteDescription(answer) resolves, and at once afterwards', async () => {
    const a = make();
    const b = make();
    const negotiated = a.createDataChannel('n', { negotiated: true, id: 42 });
    const dc1 = a.createDataChannel('channel');
    const offer = await a.createOffer();
    await Promise.all([a.setLocalDescription(offer), b.setRemoteDescription(offer)]);
    const answer = await b.createAnswer();
    await b.setLocalDescription(answer);
    await a.setRemoteDescription(answer);
    expect(dc1.id).not.toBeNull();
    const dc2 = a.createDataChannel('channel');
    expect(dc2.id).not.toBeNull();
    expect(dc2.id).not.toBe(dc1.id);
    expect(dc2.id % 2).toBe(dc1.id % 2); // RFC 8832 section 6: one parity per DTLS role
    expect(negotiated.id).toBe(42);
    throwsDom(() => a.createDataChannel('again', { negotiated: true, id: dc1.id }), 'OperationError');
  });
});

describe('RTCDataChannel attributes and send() (6.2)', () => {
  test('every on<event> handler exists and starts null', () => {
    const dc = make().createDataChannel('');
    for (const type of ['open', 'bufferedamountlow', 'error', 'closing', 'close', 'message']) {
      expect(dc[`on${type}`]).toBeNull();
    }
  });

  test('RTCDataChannel is not constructible', () => {
    expect(() => new RTCDataChannel()).toThrow(TypeError);
  });

  test('binaryType: blob and arraybuffer are kept, other values ignored', () => {
    const dc = make().createDataChannel('');
    dc.binaryType = 'blob';
    expect(dc.binaryType).toBe('blob');
    dc.binaryType = 'arraybuffer';
    for (const v of ['jellyfish', 'arraybuffer ', '', null, undefined, 234]) {
      dc.binaryType = v;
      expect(dc.binaryType).toBe('arraybuffer');
    }
  });

  test('bufferedAmountLowThreshold is an unsigned long', () => {
    const dc = make().createDataChannel('');
    dc.bufferedAmountLowThreshold = 1024;
    expect(dc.bufferedAmountLowThreshold).toBe(1024);
  });

  test('send() while connecting is an InvalidStateError', () => {
    const dc = make().createDataChannel('');
    throwsDom(() => dc.send('x'), 'InvalidStateError');
    throwsDom(() => dc.send(new Uint8Array(1)), 'InvalidStateError');
  });

  test('close() before open: closing then closed; send() then is an InvalidStateError', () => {
    const dc = make().createDataChannel('');
    dc.close();
    expect(['closing', 'closed']).toContain(dc.readyState);
    throwsDom(() => dc.send('x'), 'InvalidStateError');
  });
});

describe('an open pair', () => {
  test('datachannel event: an RTCDataChannelEvent; remote attributes match; open fires on both', async () => {
    const a = make();
    const b = make();
    const local = a.createDataChannel('chat', { ordered: false, maxRetransmits: 2, protocol: 'p' });
    const event = waitFor(b, 'datachannel');
    await signal(a, b);
    const e = await event;
    expect(e).toBeInstanceOf(RTCDataChannelEvent);
    const remote = e.channel;
    expect(remote).toBeInstanceOf(RTCDataChannel);
    expect(['connecting', 'open']).toContain(remote.readyState);
    expect([remote.label, remote.ordered, remote.maxRetransmits, remote.maxPacketLifeTime, remote.protocol, remote.negotiated])
      .toEqual(['chat', false, 2, null, 'p', false]);
    await Promise.all([channelOpen(local), channelOpen(remote)]);
    expect(remote.id).toBe(local.id);
    expect(a.sctp.state).toBe('connected');
  });

  test('string and binary messages arrive as MessageEvents', async () => {
    const { local, remote } = await openPair();
    const got = [];
    const done = new Promise((resolve) => {
      remote.onmessage = (e) => {
        got.push(e);
        if (got.length === 3) resolve();
      };
    });
    local.send('hello');
    local.send(new Uint8Array([1, 2, 3]));
    local.send(new Uint16Array([0x0201]).buffer);
    await done;
    expect(got[0]).toBeInstanceOf(MessageEvent);
    expect(got[0].data).toBe('hello');
    expect(got[0].origin).toBe('');
    expect(got[0].lastEventId).toBe('');
    expect(got[1].data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(got[1].data)]).toEqual([1, 2, 3]);
    expect([...new Uint8Array(got[2].data)]).toEqual([1, 2]);
  });

  test('a Blob is sent in order with the rest; binaryType blob receives Blobs', async () => {
    const { local, remote } = await openPair();
    remote.binaryType = 'blob';
    const got = [];
    const done = new Promise((resolve) => {
      remote.onmessage = (e) => {
        got.push(e.data);
        if (got.length === 3) resolve();
      };
    });
    local.send(new Blob([new Uint8Array([9, 9])]));
    local.send('after');
    local.send(new Uint8Array([7]));
    expect(local.bufferedAmount).toBeGreaterThanOrEqual(0);
    await done;
    expect(got[0]).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await got[0].arrayBuffer())]).toEqual([9, 9]);
    expect(got[1]).toBe('after');
    expect([...new Uint8Array(await got[2].arrayBuffer())]).toEqual([7]);
  });

  test('bufferedAmount grows with send() at once and drains with bufferedamountlow', async () => {
    const { local } = await openPair();
    local.bufferedAmountLowThreshold = 0;
    const low = waitFor(local, 'bufferedamountlow');
    local.send('x'.repeat(1000));
    expect(local.bufferedAmount).toBe(1000);
    await low;
    expect(local.bufferedAmount).toBe(0);
  });

  // webrtc-pc 6.2 send() step 4, with Chromium's 16 MiB (issue 14): a page
  // that ignores bufferedAmount gets OperationError, not unbounded memory.
  test('send() of large messages in a loop, ignoring bufferedAmount: OperationError at 16 MiB; the channel stays open and delivers', async () => {
    const { a, local, remote } = await openPair();
    // 1 MiB, or the largest message the peer takes (256 KiB between two of ours).
    const size = Math.min(1024 * 1024, a.sctp.maxMessageSize);
    const fit = (16 * 1024 * 1024) / size;
    const chunk = new Uint8Array(size);
    local.bufferedAmountLowThreshold = 0;
    const drained = waitFor(local, 'bufferedamountlow');
    let sent = 0;
    let error = null;
    const got = new Promise((resolve) => {
      let n = 0;
      remote.onmessage = () => { n += 1; if (n === fit) resolve(n); };
    });
    try {
      for (let i = 0; i < 4 * fit; i++) {
        local.send(chunk);
        sent += 1;
      }
    } catch (e) {
      error = e;
    }
    expect(sent).toBe(fit);
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe('OperationError');
    expect(local.readyState).toBe('open');
    expect(local.bufferedAmount).toBe(16 * 1024 * 1024);
    expect(await got).toBe(fit);
    await drained;
    expect(local.bufferedAmount).toBe(0);
    local.send(chunk); // room again
  });

  test('a message over sctp.maxMessageSize is a TypeError', async () => {
    const { local, a } = await openPair();
    expect(a.sctp.maxMessageSize).toBeGreaterThan(0);
    if (Number.isFinite(a.sctp.maxMessageSize)) {
      expect(() => local.send(new Uint8Array(a.sctp.maxMessageSize + 1))).toThrow(TypeError);
    }
  });

  test('close(): closing then close on this side, close on the other; send() then is an InvalidStateError', async () => {
    const { local, remote } = await openPair();
    const localClosed = waitFor(local, 'close');
    const remoteClosed = waitFor(remote, 'close');
    local.close();
    expect(local.readyState).toBe('closing');
    throwsDom(() => local.send('x'), 'InvalidStateError');
    await Promise.all([localClosed, remoteClosed]);
    expect(local.readyState).toBe('closed');
    expect(remote.readyState).toBe('closed');
    throwsDom(() => remote.send('x'), 'InvalidStateError');
  });

  test('negotiated channels with the same id on both sides open and talk', async () => {
    const a = make();
    const b = make();
    const x = a.createDataChannel('n', { negotiated: true, id: 5 });
    const y = b.createDataChannel('n', { negotiated: true, id: 5 });
    await signal(a, b);
    await Promise.all([channelOpen(x), channelOpen(y)]);
    const msg = waitFor(y, 'message');
    x.send('ping');
    expect((await msg).data).toBe('ping');
  });
});

// webrtc-pc 6.2: when the underlying data transport closes with an error,
// readyState becomes "closed", error fires (an RTCErrorEvent, sctp-failure),
// then close. The peer closing its RTCPeerConnection aborts the SCTP
// association under our open channels; Chromium reports exactly that (its
// RTCError: OperationError, sctp-failure, sctpCauseCode 12, User-Initiated
// Abort), then closes the RTCSctpTransport.
describe.each(['wasmrtc', 'wrtc'])('the peer (%s) closes its RTCPeerConnection', (other) => {
  const peers = [];
  afterEach(() => {
    for (const pc of peers.splice(0)) pc.close();
  });

  test.each(['offerer', 'answerer'])('each of our open channels (we are the %s): error with sctp-failure, then close', async (role) => {
    const ours = createPeer('wasmrtc');
    const theirs = createPeer(other);
    peers.push(ours, theirs);
    const [offerer, answerer] = role === 'offerer' ? [ours, theirs] : [theirs, ours];
    const first = offerer.createDataChannel('first');
    const second = offerer.createDataChannel('second');
    const arrived = new Promise((resolve) => {
      const got = [];
      answerer.addEventListener('datachannel', (e) => {
        got.push(e.channel);
        if (got.length === 2) resolve(got);
      });
    });
    await signal(offerer, answerer);
    const remote = await arrived;
    const channels = role === 'offerer' ? [first, second] : remote;
    await Promise.all([first, second, ...remote].map(channelOpen));

    const log = [];
    const errors = [];
    for (const dc of channels) {
      for (const type of ['error', 'closing', 'close']) {
        dc.addEventListener(type, (e) => {
          log.push(`${dc.label} ${type} ${dc.readyState}`);
          if (type === 'error') errors.push(e);
        });
      }
    }
    const sctpStates = [];
    ours.sctp.addEventListener('statechange', () => sctpStates.push(`${ours.sctp.state} after ${log.length} channel events`));
    const closed = Promise.all(channels.map((dc) => waitFor(dc, 'close')));
    theirs.close();
    await closed;

    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toBeInstanceOf(RTCErrorEvent);
      expect(e.error).toBeInstanceOf(RTCError);
      expect(e.error).toBeInstanceOf(DOMException);
      expect(e.error.name).toBe('OperationError');
      expect(e.error.errorDetail).toBe('sctp-failure');
      expect(typeof e.error.message).toBe('string');
    }
    // readyState is "closed" when error fires; close comes after it. A
    // peer that resets its streams before its ABORT (libwebrtc does) may
    // first bring a "closing".
    for (const dc of channels) {
      const mine = log.filter((l) => l.startsWith(`${dc.label} `)).filter((l) => !l.endsWith('closing closing'));
      expect(mine).toEqual([`${dc.label} error closed`, `${dc.label} close closed`]);
    }
    if (other === 'wasmrtc') {
      // Our close() aborts with User-Initiated Abort (RFC 4960 3.3.10.12).
      for (const e of errors) expect(e.error.sctpCauseCode).toBe(12);
    }
    // Then the RTCSctpTransport closes (as Chromium's, after the channels).
    if (ours.sctp.state !== 'closed') await waitFor(ours.sctp, 'statechange', () => ours.sctp.state === 'closed');
    expect(sctpStates).toEqual([`closed after ${log.length} channel events`]);
  });
});
