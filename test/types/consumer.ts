// Compiled with tsc --noEmit by test/jest/types.test.cjs: the declarations
// describe what the package exports.
import wasmrtc, { versions, stun } from 'wasmrtc';

const v: string = versions().libvpx;
const bytes: Uint8Array = stun.build({
  class: 'request',
  method: 'binding',
  transactionId: new Uint8Array(12),
  iceControlling: 1n,
  integrity: { password: 'x' },
  fingerprint: true,
});
const msg = stun.parse(bytes);
const cls: 'request' | 'indication' | 'success' | 'error' = msg.class;
const tie: bigint | undefined = msg.iceControlling;
try {
  stun.parse(new Uint8Array(3));
} catch (e) {
  if (e instanceof stun.StunError) {
    const code: string = e.code;
    console.log(code);
  }
}
console.log(v, cls, tie, wasmrtc.versions().opus);

// The W3C classes, as an application in Node would use them.
import { RTCPeerConnection, RTCIceCandidate, RTCDataChannel } from 'wasmrtc';

async function useWebrtc(): Promise<void> {
  const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }], wasmrtc: { loopback: true } });
  const dc: RTCDataChannel = pc.createDataChannel('chat', { ordered: false, maxRetransmits: 0 });
  dc.binaryType = 'arraybuffer';
  dc.onmessage = (e) => console.log(e.data);
  pc.onicecandidate = (e) => console.log(e.candidate?.address, e.candidate?.type);
  await pc.setLocalDescription();
  const sdp: string | undefined = pc.localDescription?.sdp;
  const c = new RTCIceCandidate({ candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' });
  const port: number | null = c.port;
  const report = await pc.getStats();
  report.forEach((s, id) => console.log(id, s.type));
  const state: 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed' = pc.connectionState;
  console.log(sdp, port, state, pc.sctp?.maxMessageSize, wasmrtc.RTCPeerConnection === RTCPeerConnection);
  pc.close();
}
void useWebrtc;

// Media: a source track sent with addTrack, the remote one heard with a sink.
import { MediaStream, RTCRtpSender, RTCRtpTransceiver, nonstandard } from 'wasmrtc';

function useMedia(pc: RTCPeerConnection): void {
  const source = new nonstandard.RTCAudioSource();
  const stream = new MediaStream();
  const sender: RTCRtpSender = pc.addTrack(source.createTrack(), stream);
  source.onData({ samples: new Int16Array(480), sampleRate: 48000, channelCount: 1, numberOfFrames: 480 });
  const t: RTCRtpTransceiver = pc.addTransceiver('audio', { direction: 'recvonly' });
  t.setCodecPreferences(RTCRtpSender.getCapabilities('audio')?.codecs ?? []);
  const params = sender.getParameters();
  params.encodings[0].maxBitrate = 32000;
  void sender.setParameters(params);
  pc.ontrack = (e) => {
    const sink = new nonstandard.RTCAudioSink(e.track);
    sink.ondata = (d) => console.log(d.sampleRate, d.samples.length, e.streams[0]?.id, e.transceiver.mid);
    console.log(e.receiver.getSynchronizationSources()[0]?.audioLevel, t.currentDirection);
  };
}
void useMedia;
