'use strict';
// RTCIceCandidate (webrtc-pc 4.8.2) and RTCSessionDescription (4.8.1):
// constructors, candidate-attribute parsing and toJSON(), checked the way
// web-platform-tests' RTCIceCandidate-constructor.html does. No connection
// is made: these are plain value classes.
const { RTCIceCandidate, RTCSessionDescription } = require('../..');

const HOST = 'candidate:1905690388 1 udp 2113937151 192.168.0.1 58041 typ host generation 0 ufrag thC8 network-cost 50';
const SRFLX = 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 192.168.0.1 rport 58041 generation 0';
const TCP = 'candidate:2 1 TCP 1518280447 192.168.0.1 9 typ host tcptype active';

describe('RTCIceCandidate constructor', () => {
  // 4.8.2 constructor step 1: both sdpMid and sdpMLineIndex null is a TypeError.
  test.each([
    ['no argument', undefined],
    ['{}', {}],
    ['explicit nulls', { candidate: '', sdpMid: null, sdpMLineIndex: null }],
    ['candidate only', { candidate: HOST }],
  ])('%s throws TypeError', (_, init) => {
    expect(() => new RTCIceCandidate(init)).toThrow(TypeError);
  });

  test('sdpMid only: empty candidate, every parsed field null', () => {
    const c = new RTCIceCandidate({ sdpMid: 'audio' });
    expect(c.candidate).toBe('');
    expect(c.sdpMid).toBe('audio');
    expect(c.sdpMLineIndex).toBeNull();
    expect(c.usernameFragment).toBeNull();
    for (const field of ['foundation', 'component', 'priority', 'address', 'protocol', 'port', 'type',
      'tcpType', 'relatedAddress', 'relatedPort']) {
      expect(c[field]).toBeNull();
    }
  });

  test('sdpMLineIndex only, including 65535 (not validated against any SDP)', () => {
    expect(new RTCIceCandidate({ sdpMLineIndex: 0 }).sdpMLineIndex).toBe(0);
    const c = new RTCIceCandidate({ sdpMLineIndex: 65535 });
    expect(c.sdpMid).toBeNull();
    expect(c.sdpMLineIndex).toBe(65535);
  });

  test('a host candidate is parsed into its fields', () => {
    const c = new RTCIceCandidate({ candidate: HOST, sdpMid: '0' });
    expect(c.candidate).toBe(HOST);
    expect(c.foundation).toBe('1905690388');
    expect(c.component).toBe('rtp');
    expect(c.priority).toBe(2113937151);
    expect(c.address).toBe('192.168.0.1');
    expect(c.protocol).toBe('udp');
    expect(c.port).toBe(58041);
    expect(c.type).toBe('host');
    expect(c.tcpType).toBeNull();
    expect(c.relatedAddress).toBeNull();
    expect(c.relatedPort).toBeNull();
    // usernameFragment comes from the dictionary, not from the ufrag
    // extension of the candidate line ("create an RTCIceCandidate" step 3).
    expect(c.usernameFragment).toBeNull();
  });

  test('a server reflexive candidate has relatedAddress and relatedPort', () => {
    const c = new RTCIceCandidate({ candidate: SRFLX, sdpMLineIndex: 0 });
    expect(c.type).toBe('srflx');
    expect(c.relatedAddress).toBe('192.168.0.1');
    expect(c.relatedPort).toBe(58041);
  });

  test('a TCP candidate has protocol tcp and its tcpType', () => {
    const c = new RTCIceCandidate({ candidate: TCP, sdpMid: '0' });
    expect(c.protocol).toBe('tcp');
    expect(c.tcpType).toBe('active');
    expect(c.component).toBe('rtp');
  });

  test('an "a=" prefixed line is parsed too', () => {
    expect(new RTCIceCandidate({ candidate: `a=${HOST}`, sdpMid: '0' }).port).toBe(58041);
  });

  // "If parsing failed, abort" and "if any field ... represents an invalid
  // value for the corresponding attribute, abort": the fields stay null, and
  // the constructor does not throw (the string is kept as given).
  test.each([
    ['arbitrary text', '<arbitrary string[0] content>;'],
    ['component 3', 'candidate:1 3 udp 1 192.168.0.1 5000 typ host'],
    ['unknown protocol', 'candidate:1 1 sctp 1 192.168.0.1 5000 typ host'],
    ['unknown type', 'candidate:1 1 udp 1 192.168.0.1 5000 typ bogus'],
    ['port out of range', 'candidate:1 1 udp 1 192.168.0.1 70000 typ host'],
    ['unknown tcptype', 'candidate:1 1 tcp 1 192.168.0.1 9 typ host tcptype sideways'],
  ])('an invalid candidate (%s) leaves every field null', (_, line) => {
    const c = new RTCIceCandidate({ candidate: line, sdpMid: 'audio' });
    expect(c.candidate).toBe(line);
    for (const field of ['foundation', 'component', 'priority', 'address', 'protocol', 'port', 'type', 'tcpType']) {
      expect(c[field]).toBeNull();
    }
  });

  test('all fields given', () => {
    const c = new RTCIceCandidate({ candidate: HOST, sdpMid: 'video', sdpMLineIndex: 1, usernameFragment: 'test' });
    expect(c.sdpMid).toBe('video');
    expect(c.sdpMLineIndex).toBe(1);
    expect(c.usernameFragment).toBe('test');
  });

  test('toJSON() returns the RTCIceCandidateInit members', () => {
    const c = new RTCIceCandidate({ candidate: HOST, sdpMid: 'video', sdpMLineIndex: 1, usernameFragment: 'test' });
    expect(c.toJSON()).toEqual({ candidate: HOST, sdpMid: 'video', sdpMLineIndex: 1, usernameFragment: 'test' });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c.toJSON());
  });

  test('attributes are read-only accessors on the prototype', () => {
    const c = new RTCIceCandidate({ sdpMid: 'a' });
    expect(Object.getOwnPropertyDescriptor(RTCIceCandidate.prototype, 'candidate').get).toBeInstanceOf(Function);
    expect(() => { c.sdpMid = 'b'; }).toThrow(TypeError);
    expect(c.sdpMid).toBe('a');
    expect(Object.prototype.toString.call(c)).toBe('[object RTCIceCandidate]');
  });
});

describe('RTCSessionDescription', () => {
  test.each(['offer', 'answer', 'pranswer', 'rollback'])('type %s is accepted', (type) => {
    const d = new RTCSessionDescription({ type, sdp: 'v=0\r\n' });
    expect(d.type).toBe(type);
    expect(d.sdp).toBe('v=0\r\n');
  });

  test('sdp defaults to the empty string', () => {
    expect(new RTCSessionDescription({ type: 'offer' }).sdp).toBe('');
  });

  test('an unknown type or a missing type is a TypeError (RTCSdpType enum, required member)', () => {
    expect(() => new RTCSessionDescription({ type: 'bogus', sdp: '' })).toThrow(TypeError);
    expect(() => new RTCSessionDescription({ sdp: '' })).toThrow(TypeError);
    expect(() => new RTCSessionDescription()).toThrow(TypeError);
  });

  test('toJSON() returns type and sdp', () => {
    const d = new RTCSessionDescription({ type: 'answer', sdp: 'v=0\r\n' });
    expect(d.toJSON()).toEqual({ type: 'answer', sdp: 'v=0\r\n' });
    expect(JSON.parse(JSON.stringify(d))).toEqual({ type: 'answer', sdp: 'v=0\r\n' });
  });
});
