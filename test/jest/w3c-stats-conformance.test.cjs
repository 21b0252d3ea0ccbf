'use strict';
// getStats() in a call with audio, video and a data channel between two
// wasmrtc peers (issue 12, defect 10): for each RTCStatsType webrtc-pc
// section 8.6 "Mandatory To Implement Stats" lists, every mandatory member
// is there with the JS type of its WebIDL type, and every *Id member names
// a stats object of the right type in the same report
// (test/support/stats-conformance.cjs). In the manner of web-platform-tests'
// RTCPeerConnection-mandatory-getStats.https.html, which waits (up to 20 s)
// for the round-trip times RTCP reports give; and then the values of the
// members this defect added mean what webrtc-stats says.
const {
  RTCPeerConnection, MediaStream, nonstandard: { RTCAudioSource, RTCVideoSource },
} = require('../..');
const { signal, channelOpen, nextChannel } = require('../support/peers.cjs');
const { numberedFrame } = require('../support/video.cjs');
const {
  MANDATORY, conformanceProblems, fmtpPayloadTypes, isFullReport,
} = require('../support/stats-conformance.cjs');

jest.setTimeout(90000);

const TYPES = Object.keys(MANDATORY);
const FULL_REPORT_MS = 20000;

/** Audio (a 440 Hz tone, 10 ms frames) and 320x240 video at 15 fps into the sources until stop(). */
function feed(audioSource, videoSource) {
  let n = 0;
  const audio = setInterval(() => {
    const samples = new Int16Array(480);
    for (let i = 0; i < 480; i++) samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 440 * (n * 480 + i)) / 48000));
    n++;
    audioSource.onData({
      samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480,
    });
  }, 10);
  let f = 0;
  const video = setInterval(() => videoSource.onFrame(numberedFrame(320, 240, f++, { noise: true })), 1000 / 15);
  return () => {
    clearInterval(audio);
    clearInterval(video);
  };
}

async function statsList(pc) {
  return [...(await pc.getStats()).values()];
}

/** Polls getStats until isFullReport (RTCP reports in both directions, round-trip times measured), or FULL_REPORT_MS. */
async function fullReport(pc) {
  const deadline = Date.now() + FULL_REPORT_MS;
  for (;;) {
    const list = await statsList(pc);
    if (isFullReport(list) || Date.now() > deadline) return list;
    await new Promise((r) => { setTimeout(r, 200); });
  }
}

const peers = {};
const closeMe = [];
let stopFeeding = () => {};

beforeAll(async () => {
  const a = new RTCPeerConnection({ wasmrtc: { loopback: true } });
  const b = new RTCPeerConnection({ wasmrtc: { loopback: true } });
  closeMe.push(a, b);
  const sources = {};
  for (const [name, pc] of [['a', a], ['b', b]]) {
    const audio = new RTCAudioSource();
    const video = new RTCVideoSource();
    const tracks = [audio.createTrack(), video.createTrack()];
    const stream = new MediaStream(tracks);
    for (const t of tracks) {
      pc.addTrack(t, stream);
      closeMe.push({ close: () => t.stop() });
    }
    sources[name] = { audio, video, tracks };
  }
  const dc = a.createDataChannel('stats');
  const theirs = nextChannel(b, 'stats');
  await signal(a, b);
  await channelOpen(dc);
  const dcb = await theirs;
  dc.send('to b');
  dcb.send('to a, longer');
  const stops = [feed(sources.a.audio, sources.a.video), feed(sources.b.audio, sources.b.video)];
  stopFeeding = () => stops.forEach((s) => s());
  const [ra, rb] = await Promise.all([fullReport(a), fullReport(b)]);
  peers.a = { pc: a, report: ra, tracks: sources.a.tracks };
  peers.b = { pc: b, report: rb, tracks: sources.b.tracks };
});

afterAll(() => {
  stopFeeding();
  for (const c of closeMe) c.close();
});

describe.each(['a', 'b'])('peer %s: the mandatory-to-implement stats (webrtc-pc 8.6)', (name) => {
  const problemsOf = (type) => {
    const { pc, report } = peers[name];
    const ctx = { fmtp: fmtpPayloadTypes(pc.localDescription.sdp, pc.remoteDescription.sdp) };
    return conformanceProblems(report, ctx).filter((p) => p.startsWith(`${type} `));
  };

  test('the call got far enough: RTCP round trips measured both ways for audio and video', () => {
    expect(isFullReport(peers[name].report)).toBe(true);
  });

  test.each(TYPES)('%s: present, every mandatory member there with its WebIDL type, references resolve', (type) => {
    const { report } = peers[name];
    const ofType = report.filter((s) => s.type === type);
    expect(ofType.length).toBeGreaterThan(0);
    if (/rtp|media-source/.test(type)) expect(ofType.map((s) => s.kind).sort()).toEqual(expect.arrayContaining(['audio', 'video']));
    expect(problemsOf(type)).toEqual([]);
  });
});

describe('what the members mean', () => {
  const find = (list, type, kind) => list.find((s) => s.type === type && (!kind || s.kind === kind));

  test('codec: one per payload type and fmtp in use, as the SDP has it', () => {
    const { pc, report } = peers.a;
    const sdp = `${pc.localDescription.sdp}\r\n${pc.remoteDescription.sdp}`;
    for (const codec of report.filter((s) => s.type === 'codec')) {
      const [kind, name] = codec.mimeType.split('/');
      const rtpmap = new RegExp(`^a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}(/(\\d+))?$`, 'mi').exec(sdp);
      expect(rtpmap).not.toBeNull();
      if (kind === 'audio') expect(codec.channels).toBe(Number(rtpmap[2] || 1));
      if (codec.sdpFmtpLine !== undefined) expect(sdp).toContain(`a=fmtp:${codec.payloadType} ${codec.sdpFmtpLine}\r\n`);
    }
  });

  test('nackCount: NACKs sent (inbound) and received (outbound), none for audio, which asks for no retransmissions', () => {
    for (const name of ['a', 'b']) {
      const { report } = peers[name];
      expect(find(report, 'inbound-rtp', 'audio').nackCount).toBe(0);
      expect(find(report, 'outbound-rtp', 'audio').nackCount).toBe(0);
    }
    // What one side sent is what the other received (none are lost on loopback,
    // so these are 0 too; equal either way).
    expect(find(peers.a.report, 'outbound-rtp', 'video').nackCount).toBeLessThanOrEqual(find(peers.b.report, 'inbound-rtp', 'video').nackCount);
  });

  test('packetsDiscarded: no video packet comes too late on loopback; audio discards are some of what came', () => {
    for (const name of ['a', 'b']) {
      expect(find(peers[name].report, 'inbound-rtp', 'video').packetsDiscarded).toBe(0);
      // The audio jitter buffer also drops packets to catch up when Node's
      // timers hand it frames in bursts, so not necessarily 0 here
      // (test/native/pc/media_test.cc counts a late video packet exactly).
      const audio = find(peers[name].report, 'inbound-rtp', 'audio');
      expect(audio.packetsDiscarded).toBeLessThanOrEqual(audio.packetsReceived);
    }
  });

  test('sender and receiver getStats (webrtc-pc 8.5 stats selection): their stream and everything it references', async () => {
    const { pc } = peers.a;
    for (const part of [...pc.getSenders(), ...pc.getReceivers()]) {
      const list = [...(await part.getStats()).values()];
      const own = part.track && list.filter((s) => s.type === (pc.getSenders().includes(part) ? 'outbound-rtp' : 'inbound-rtp'));
      expect(own).toHaveLength(1);
      expect(own[0].kind).toBe(part.track.kind);
      const ids = new Set(list.map((s) => s.id));
      const dangling = list.flatMap((s) => Object.entries(s)
        .filter(([k, v]) => k.endsWith('Id') && k !== 'id' && !ids.has(v)).map(([k, v]) => `${s.type}.${k} ${v}`));
      expect(dangling).toEqual([]);
      // The selected pair and the certificates come with the transport.
      expect(list.map((s) => s.type)).toEqual(expect.arrayContaining(['transport', 'candidate-pair', 'local-candidate', 'remote-candidate', 'certificate', 'codec']));
    }
  });

  test.each(['a', 'b'])('trackIdentifier (peer %s): the sender\'s track (media-source) and the receiver\'s track (inbound-rtp)', (name) => {
    const { pc, report, tracks } = peers[name];
    for (const t of tracks) {
      expect(find(report, 'media-source', t.kind).trackIdentifier).toBe(t.id);
      const receiver = pc.getReceivers().find((r) => r.track.kind === t.kind);
      expect(find(report, 'inbound-rtp', t.kind).trackIdentifier).toBe(receiver.track.id);
    }
  });

  test('remote-inbound-rtp packetsReceived: once media stops and a report comes back, what the peer\'s inbound-rtp counted', async () => {
    stopFeeding();
    // The peer's receiver reports (RFC 3550 6.4.2) keep coming after the
    // last packet: wait for one that covers every packet each side sent.
    const deadline = Date.now() + FULL_REPORT_MS;
    let last;
    for (;;) {
      const [ra, rb] = await Promise.all([statsList(peers.a.pc), statsList(peers.b.pc)]);
      last = ['audio', 'video'].map((kind) => {
        const out = find(ra, 'outbound-rtp', kind);
        const remote = ra.find((s) => s.id === out.remoteId);
        const inbound = rb.find((s) => s.type === 'inbound-rtp' && s.ssrc === out.ssrc);
        return {
          kind, sent: out.packetsSent, remote: remote.packetsReceived, received: inbound.packetsReceived, lost: remote.packetsLost,
        };
      });
      if (last.every((x) => x.remote === x.received && x.received === x.sent) || Date.now() > deadline) break;
      await new Promise((r) => { setTimeout(r, 200); });
    }
    for (const x of last) {
      expect(x).toEqual({
        kind: x.kind, sent: x.sent, remote: x.sent, received: x.sent, lost: 0,
      });
    }
  });
});
