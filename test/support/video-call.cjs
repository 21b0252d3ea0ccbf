// Video calls for the media tests: ours or libwebrtc (@roamhq/wrtc) at either
// end, one video track from a nonstandard RTCVideoSource, directly or with
// every packet through a loss/bottleneck proxy (loss-proxy.cjs).
const wasmrtc = require('../..');
const wrtc = require('@roamhq/wrtc');
const { signal, connectionState } = require('./peers.cjs');

const STACKS = {
  wasmrtc: {
    make: () => new wasmrtc.RTCPeerConnection({ wasmrtc: { loopback: true } }),
    api: wasmrtc,
  },
  wrtc: { make: () => new wrtc.RTCPeerConnection({ iceServers: [] }), api: wrtc },
};

/**
 * A call from `from` to `to` carrying one video (or, with kind 'audio', one
 * audio) track. With `proxy`, the sender gets only the proxy's candidate
 * and the receiver none, so every packet crosses the proxy. `closeMe`
 * collects what the test closes.
 */
async function videoCall(from, to, closeMe, { proxy = null, kind = 'video' } = {}) {
  const S = STACKS[from];
  const sender = S.make();
  const receiver = STACKS[to].make();
  const source = kind === 'audio' ? new S.api.nonstandard.RTCAudioSource() : new S.api.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  closeMe.push({ close: () => track.stop() });
  closeMe.push(sender, receiver);
  sender.addTrack(track, new S.api.MediaStream());
  const got = new Promise((resolve) => { receiver.ontrack = (e) => resolve(e.track); });
  if (!proxy) {
    await signal(sender, receiver);
  } else {
    receiver.addEventListener('icecandidate', (e) => {
      if (e.candidate && e.candidate.candidate) proxy.offerReceiverCandidate(e.candidate.candidate);
    });
    // No candidates, and no end-of-candidates either: the sender's one
    // candidate (the proxy) comes after the answer (RFC 8838 section 13:
    // none are taken after end-of-candidates).
    const strip = (sdp) => sdp.split('\r\n')
      .filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates').join('\r\n');
    await sender.setLocalDescription(await sender.createOffer());
    await receiver.setRemoteDescription({ type: 'offer', sdp: strip(sender.localDescription.sdp) });
    await receiver.setLocalDescription(await receiver.createAnswer());
    await sender.setRemoteDescription({ type: 'answer', sdp: strip(receiver.localDescription.sdp) });
    await sender.addIceCandidate({ candidate: proxy.senderCandidate, sdpMid: '0', sdpMLineIndex: 0 });
  }
  const remote = await got;
  await connectionState(receiver, 'connected');
  const sinks = STACKS[to].api.nonstandard;
  return {
    sender, receiver, source, remote, Sink: kind === 'audio' ? sinks.RTCAudioSink : sinks.RTCVideoSink,
  };
}

/** The longest time without a frame, up to `until` (ms, performance.now()). */
function longestGap(frames, until) {
  let gap = 0;
  for (let i = 1; i < frames.length; i++) gap = Math.max(gap, frames[i].at - frames[i - 1].at);
  if (frames.length) gap = Math.max(gap, until - frames[frames.length - 1].at);
  return gap;
}

async function videoStats(pc, type) {
  return [...(await pc.getStats()).values()].find((s) => s.type === type && s.kind === 'video');
}

async function selectedPair(pc) {
  const stats = [...(await pc.getStats()).values()];
  const transport = stats.find((s) => s.type === 'transport');
  return stats.find((s) => s.type === 'candidate-pair' && (transport ? s.id === transport.selectedCandidatePairId : s.nominated));
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

module.exports = {
  STACKS, videoCall, longestGap, videoStats, selectedPair, sleep,
};
