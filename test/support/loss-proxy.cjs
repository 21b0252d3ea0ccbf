// A UDP relay on loopback between a media sender and its receiver, dropping
// a share of the sender's RTP (never STUN, DTLS or RTCP, so the handshake and
// reports stay intact). The test owns signaling: the sender is given only
// the proxy's candidate, the receiver no candidate at all, so the receiver
// learns the path from the proxy's checks (a peer-reflexive candidate) and
// every packet crosses the proxy.
const dgram = require('node:dgram');

function isRtp(b) {
  // RFC 7983: 128..191 is RTP/RTCP; RFC 5761: RTCP types are 192..223.
  return b.length > 1 && b[0] >= 128 && b[0] <= 191 && !(b[1] >= 192 && b[1] <= 223);
}

async function bind(socket) {
  await new Promise((resolve) => { socket.bind(0, '127.0.0.1', resolve); });
  return socket.address().port;
}

/**
 * `lossRate` of the sender's RTP is dropped (seeded, so runs repeat);
 * `delayMs` is added to every packet in both directions; `lossWindow`
 * (a function of no arguments, true while it applies) limits the loss.
 * `rateBps` makes the sender-to-receiver direction a bottleneck link:
 * packets are serialized at that rate behind what is queued, and dropped
 * when more than `queueBytes` wait (drop-tail, like a router).
 * `onRtp(msg)` sees each of the sender's RTP packets as it arrives.
 */
async function startLossProxy({
  lossRate = 0.1, seed = 1, delayMs = 0, lossWindow = () => true, rateBps = 0, queueBytes = 64 * 1024, onRtp = null,
} = {}) {
  const facingSender = dgram.createSocket('udp4');
  const facingReceiver = dgram.createSocket('udp4');
  const portA = await bind(facingSender);
  await bind(facingReceiver);
  let receiver = null; // { address, port }
  let sender = null;
  let state = seed >>> 0;
  const random = () => {
    // xorshift32
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 0x100000000;
  };
  const counts = {
    rtp: 0, dropped: 0, queueDropped: 0, forwardedBytes: 0,
  };
  const later = (fn, extraMs = 0) => (delayMs + extraMs > 0 ? setTimeout(fn, delayMs + extraMs) : fn());
  let linkFree = 0; // when the bottleneck has sent what is queued (performance.now() ms)
  const bottleneck = (bytes) => {
    if (!rateBps) return 0;
    const now = performance.now();
    const begin = Math.max(now, linkFree);
    if (((begin - now) * rateBps) / 8000 > queueBytes) return -1;
    linkFree = begin + (bytes * 8000) / rateBps;
    return linkFree - now;
  };
  let closed = false;
  facingSender.on('message', (msg, rinfo) => {
    sender = rinfo;
    if (!receiver) return;
    if (isRtp(msg)) {
      counts.rtp++;
      if (onRtp) onRtp(msg); // SRTP keeps the RTP header in the clear (RFC 3711 3.1)
      if (lossWindow() && random() < lossRate) {
        counts.dropped++;
        return;
      }
    }
    const to = receiver;
    const wait = bottleneck(msg.length);
    if (wait < 0) {
      counts.queueDropped++;
      return;
    }
    counts.forwardedBytes += msg.length;
    later(() => { if (!closed) facingReceiver.send(msg, to.port, to.address); }, wait);
  });
  facingReceiver.on('message', (msg) => {
    const to = sender;
    if (to) later(() => { if (!closed) facingSender.send(msg, to.port, to.address); });
  });
  return {
    counts,
    /** The candidate the sender gets (the receiver's address as the proxy). */
    senderCandidate: `candidate:1 1 udp 2122260223 127.0.0.1 ${portA} typ host generation 0`,
    /** Takes the receiver's host candidates; the first usable one is the target. */
    offerReceiverCandidate(line) {
      const f = line.split(' ');
      if (receiver || f[2].toLowerCase() !== 'udp' || f[4] !== '127.0.0.1') return;
      receiver = { address: f[4], port: Number(f[5]) };
    },
    close() {
      closed = true;
      facingSender.close();
      facingReceiver.close();
    },
  };
}

module.exports = { startLossProxy, isRtp };
