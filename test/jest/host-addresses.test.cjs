// Host candidates in Node: the machine's addresses without loopback, and
// loopback when there is nothing else (a container or a network namespace
// with only `lo`), so two peers on such a machine still connect.
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { hostAddresses } = require('../../shim/transports/udp-node.cjs');

const ROOT = path.join(__dirname, '..', '..');
const LO = [
  { address: '127.0.0.1', family: 'IPv4', internal: true },
  { address: '::1', family: 'IPv6', internal: true },
];

afterEach(() => jest.restoreAllMocks());

test('interfaces other than loopback are used, link-local IPv6 left out', () => {
  jest.spyOn(os, 'networkInterfaces').mockReturnValue({
    lo: LO,
    eth0: [
      { address: '10.1.2.3', family: 'IPv4', internal: false },
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: 'fd00::5', family: 'IPv6', internal: false },
    ],
  });
  expect(hostAddresses()).toEqual(['10.1.2.3', 'fd00::5']);
  expect(hostAddresses({ loopback: true })).toEqual(['127.0.0.1', '::1', '10.1.2.3', 'fd00::5']);
  expect(hostAddresses({ addresses: ['192.0.2.9'] })).toEqual(['192.0.2.9']);
});

test('with loopback alone, loopback is used', () => {
  jest.spyOn(os, 'networkInterfaces').mockReturnValue({ lo: LO });
  expect(hostAddresses()).toEqual(['127.0.0.1', '::1']);
});

// End to end in a network namespace that has only `lo`: two default
// RTCPeerConnections (no wasmrtc options) open a data channel.
const canUnshare = spawnSync('unshare', ['-n', 'true']).status === 0;
(canUnshare ? test : test.skip)('two default peers connect where only loopback exists (needs root for unshare -n)', () => {
  const script = `
    const { RTCPeerConnection } = require(${JSON.stringify(ROOT)});
    (async () => {
      const a = new RTCPeerConnection(); const b = new RTCPeerConnection();
      // Whole descriptions, candidates included (no trickle).
      const gathered = (pc) => new Promise((r) => {
        if (pc.iceGatheringState === 'complete') r();
        else pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r();
      });
      const dc = a.createDataChannel('lo');
      const got = new Promise((r) => { b.ondatachannel = (e) => { e.channel.onmessage = (m) => r(m.data); }; });
      dc.onopen = () => dc.send('over lo');
      await a.setLocalDescription(); await gathered(a); await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription(); await gathered(b); await a.setRemoteDescription(b.localDescription);
      console.log(await got); a.close(); b.close();
    })();`;
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" -e '${script.replace(/'/g, "'\\''")}'`], {
    encoding: 'utf8', timeout: 30000,
  });
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('over lo');
});
