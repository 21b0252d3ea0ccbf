// Data channels between wasmrtc and real WebRTC stacks (libwebrtc via
// @roamhq/wrtc, libdatachannel via node-datachannel, werift) and ours,
// with wasmrtc as offerer and as answerer. Loopback / test namespace only.
const {
  createPeer, signal, connectionState, channelOpen, nextChannel, collect, toBuffer,
} = require('../support/peers.cjs');

jest.setTimeout(60000);

const OTHERS = ['wasmrtc', 'wrtc', 'node-datachannel', 'werift'];

describe.each(OTHERS)('with %s', (other) => {
  describe.each(['offerer', 'answerer'])('wasmrtc as %s', (role) => {
    let ours;
    let theirs;

    beforeEach(() => {
      ours = createPeer('wasmrtc');
      theirs = createPeer(other);
    });

    afterEach(() => {
      ours.close();
      theirs.close();
    });

    const offerer = () => (role === 'offerer' ? ours : theirs);
    const answerer = () => (role === 'offerer' ? theirs : ours);

    /** Connects with a first channel from the offerer; resolves both ends of it. */
    async function connect(label = 'first', init = {}) {
      const local = offerer().createDataChannel(label, init);
      const remote = nextChannel(answerer(), label);
      await signal(offerer(), answerer());
      const [a, b] = await Promise.all([channelOpen(local), remote.then(channelOpen)]);
      return { offererChannel: a, answererChannel: b };
    }

    test('1,000 ordered messages arrive in order, both ways', async () => {
      const { offererChannel, answererChannel } = await connect();
      const gotAtAnswerer = collect(answererChannel, 1000);
      const gotAtOfferer = collect(offererChannel, 1000);
      for (let i = 0; i < 1000; i++) offererChannel.send(`o${i}`);
      for (let i = 0; i < 1000; i++) answererChannel.send(`a${i}`);
      expect((await gotAtAnswerer).map(String)).toEqual(Array.from({ length: 1000 }, (_, i) => `o${i}`));
      expect((await gotAtOfferer).map(String)).toEqual(Array.from({ length: 1000 }, (_, i) => `a${i}`));
      expect(ours.connectionState).toBe('connected');
    });

    test('channels opened from the other side after connecting', async () => {
      await connect();
      const late = answerer().createDataChannel('late');
      const arriving = nextChannel(offerer(), 'late');
      const [a, b] = await Promise.all([channelOpen(late), arriving.then(channelOpen)]);
      const got = collect(b, 1);
      a.send('from the answerer');
      expect(String((await got)[0])).toBe('from the answerer');
    });

    test('a 256 KiB binary message arrives intact', async () => {
      const { offererChannel, answererChannel } = await connect();
      const big = Buffer.alloc(256 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7 + 3) & 0xff;
      answererChannel.binaryType = 'arraybuffer';
      offererChannel.binaryType = 'arraybuffer';
      const got = collect(answererChannel, 1);
      offererChannel.send(big);
      expect(toBuffer((await got)[0]).equals(big)).toBe(true);
      const back = collect(offererChannel, 1);
      answererChannel.send(big);
      expect(toBuffer((await back)[0]).equals(big)).toBe(true);
    });

    test('unordered with maxRetransmits 0', async () => {
      const { offererChannel, answererChannel } = await connect('lossy', { ordered: false, maxRetransmits: 0 });
      expect(offererChannel.ordered).toBe(false);
      expect(offererChannel.maxRetransmits).toBe(0);
      // werift 0.24 drops the unordered bit from its DATA_CHANNEL_OPEN when
      // maxRetransmits is set (channel type 0x01, not 0x81): the channel we
      // announce is what its OPEN said.
      // node-datachannel's polyfill gives incoming channels default options
      // (ordered, maxRetransmits null) whatever the OPEN said: nothing to read there.
      if (!(other === 'node-datachannel' && role === 'offerer')) {
        expect(answererChannel.ordered).toBe(other === 'werift' && role === 'answerer');
        expect(answererChannel.maxRetransmits).toBe(0);
      }
      const got = collect(answererChannel, 50);
      for (let i = 0; i < 50; i++) offererChannel.send(`u${i}`);
      // Loopback loses nothing; order is not promised.
      expect((await got).map(String).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `u${i}`).sort());
    });

    test('64 channels at once', async () => {
      await connect();
      const channels = Array.from({ length: 64 }, (_, i) => offerer().createDataChannel(`c${i}`));
      const arrived = new Map();
      const all = new Promise((resolve) => {
        answerer().addEventListener('datachannel', (e) => {
          arrived.set(e.channel.label, e.channel);
          if (arrived.size === 64) resolve();
        });
      });
      await Promise.all(channels.map(channelOpen));
      await all;
      const echoes = channels.map((dc, i) => {
        const remote = arrived.get(`c${i}`);
        const got = collect(remote, 1);
        dc.send(`on c${i}`);
        return got.then(([m]) => String(m));
      });
      expect(await Promise.all(echoes)).toEqual(channels.map((_, i) => `on c${i}`));
      expect(new Set(channels.map((c) => c.id)).size).toBe(64);
    });

    test('negotiated channels with a fixed id', async () => {
      await connect();
      const a = offerer().createDataChannel('neg', { negotiated: true, id: 42 });
      const b = answerer().createDataChannel('neg', { negotiated: true, id: 42 });
      expect(a.id).toBe(42);
      await Promise.all([channelOpen(a), channelOpen(b)]);
      const got = collect(b, 1);
      a.send('negotiated');
      expect(String((await got)[0])).toBe('negotiated');
    });

    test('close from either side reaches the other', async () => {
      const { offererChannel, answererChannel } = await connect();
      const closed = new Promise((resolve) => answererChannel.addEventListener('close', resolve, { once: true }));
      offererChannel.close();
      await closed;
      expect(answererChannel.readyState).toBe('closed');

      const second = answerer().createDataChannel('second');
      const arriving = nextChannel(offerer(), 'second');
      const [mine, remote] = await Promise.all([channelOpen(second), arriving.then(channelOpen)]);
      const closedToo = new Promise((resolve) => remote.addEventListener('close', resolve, { once: true }));
      mine.close();
      await closedToo;
      expect(remote.readyState).toBe('closed');
    });
  });
});

describe.each(['wrtc', 'node-datachannel'])('a wrong fingerprint against %s', (other) => {
  test.each(['offerer', 'answerer'])('fails the connection with wasmrtc as %s', async (role) => {
    const ours = createPeer('wasmrtc');
    const theirs = createPeer(other);
    const offerer = role === 'offerer' ? ours : theirs;
    const answerer = role === 'offerer' ? theirs : ours;
    const dc = offerer.createDataChannel('never');
    let opened = false;
    dc.addEventListener('open', () => { opened = true; });
    answerer.addEventListener('datachannel', () => { opened = true; });
    // Flip one hex digit of the fingerprint the other side receives from theirs.
    const mangle = (sdp) => sdp.replace(/(a=fingerprint:sha-256 )([0-9A-F])/i, (m, p, d) => p + (d === 'A' ? 'B' : 'A'));
    const failed = connectionState(ours, 'failed');
    await signal(offerer, answerer, { mangle: (sdp) => (sdp === theirs.localDescription?.sdp ? mangle(sdp) : sdp) });
    await failed;
    expect(ours.connectionState).toBe('failed');
    expect(opened).toBe(false);
    // node-datachannel keeps a never-opened channel's callbacks (and so the
    // process) alive unless the channel itself is closed.
    dc.close();
    ours.close();
    theirs.close();
  });
});
