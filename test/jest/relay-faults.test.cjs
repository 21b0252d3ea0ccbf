// Issue 14: faults during a relayed call. Ours relays every packet over a
// WebSocket to wasmrtc-gateway and on to coturn (the path of a page), the
// peer (libwebrtc) is direct. When coturn dies, or the gateway stops, the
// WebSocket closes within a second, and our connection goes to
// "disconnected" and then "failed" well within consent time (RFC 7675
// section 5.1: 30 s without a consent response): the relay under the
// selected pair is gone, so the agent knows at once (src/ice
// on_relay_lost), and the application can restart ICE.
const { startCoturn } = require('../support/coturn.cjs');
const { startGateway } = require('../support/gateway.cjs');
const {
  createPeer, signal, channelOpen, nextChannel,
} = require('../support/peers.cjs');

jest.setTimeout(60000);

// Before this change the connection failed when consent expired, 29.8 s
// after the kill; now within the second the close takes to arrive.
const FAILED_WITHIN_MS = 5000;

let turn;
let gateway;
let ours;
let theirs;

beforeEach(async () => {
  turn = await startCoturn({ username: 'alice', password: 'wonderland', realm: 'wasmrtc.test' });
  gateway = await startGateway({ turn: [`127.0.0.1:${turn.port}`] });
  ours = createPeer('wasmrtc', {
    iceServers: [{ urls: `turn:127.0.0.1:${turn.port}?transport=tcp`, username: turn.username, credential: turn.password }],
    iceTransportPolicy: 'relay',
    wasmrtc: { gateway: gateway.url },
  });
  theirs = createPeer('wrtc');
  const local = ours.createDataChannel('call');
  const remote = nextChannel(theirs, 'call');
  await signal(ours, theirs);
  await Promise.all([channelOpen(local), remote.then(channelOpen)]);
  expect(ours.connectionState).toBe('connected');
});

afterEach(async () => {
  ours?.close();
  theirs?.close();
  await gateway?.stop();
  await turn?.stop();
});

/** Resolves with the time each state in `states` was reached, in order. */
function states(pc, wanted) {
  const seen = {};
  return new Promise((resolve) => {
    const on = () => {
      if (wanted.includes(pc.connectionState) && !(pc.connectionState in seen)) seen[pc.connectionState] = performance.now();
      if (wanted.every((s) => s in seen)) {
        pc.removeEventListener('connectionstatechange', on);
        resolve(seen);
      }
    };
    pc.addEventListener('connectionstatechange', on);
  });
}

test('coturn killed: the WebSocket closes within 1 s, then disconnected and failed within consent time', async () => {
  const reached = states(ours, ['disconnected', 'failed']);
  const closedLine = gateway.waitForLog(/ close target=\S+ reason=/);
  const killedAt = performance.now();
  process.kill(turn.pid, 'SIGKILL');
  await closedLine;
  expect(performance.now() - killedAt).toBeLessThan(1000);
  const at = await reached;
  expect(at.disconnected).toBeLessThan(at.failed);
  expect(at.failed - killedAt).toBeLessThan(FAILED_WITHIN_MS);
});

test('the gateway stopped: the same', async () => {
  const reached = states(ours, ['disconnected', 'failed']);
  const stoppedAt = performance.now();
  const { code } = await gateway.stop();
  expect(code).toBe(0);
  expect(performance.now() - stoppedAt).toBeLessThan(1000);
  gateway = null;
  const at = await reached;
  expect(at.disconnected).toBeLessThan(at.failed);
  expect(at.failed - stoppedAt).toBeLessThan(FAILED_WITHIN_MS);
});
